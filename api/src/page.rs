//! Cursor pages, one shape for every list: a request names a page with
//! [`PageQuery`] and is answered with a [`Page`]. The cursor is the key of the
//! last item handed out, serialised and base64url-encoded: opaque to clients,
//! so a list may change its key without breaking them.

use base64::{engine::general_purpose::URL_SAFE_NO_PAD, Engine};
use serde::{de::DeserializeOwned, Deserialize, Serialize};
use utoipa::{
    openapi::{
        path::{Parameter, ParameterBuilder, ParameterIn},
        schema::{Array, ArrayBuilder, KnownFormat, ObjectBuilder, SchemaFormat, Type},
        Ref, Required,
    },
    IntoParams, ToSchema,
};

use crate::error::ApiError;

/// Page size when the request sends no `limit`.
const DEFAULT_LIMIT: u64 = 50;

/// One page of a list, in the list's order.
#[derive(Debug, Serialize, ToSchema)]
pub struct Page<T> {
    #[schema(schema_with = items_of::<T>)]
    pub items: Vec<T>,
    /// Pass as `cursor` for the next page; null on the last page.
    pub next_cursor: Option<String>,
}

/// `items` as references to `T`'s own schema; utoipa would otherwise copy
/// the whole schema of a generic argument into each page
/// (juhaku/utoipa#1586).
fn items_of<T: ToSchema>() -> Array {
    ArrayBuilder::new()
        .items(Ref::from_schema_name(T::name()))
        .build()
}

impl<T> Page<T> {
    /// The page from rows fetched in list order with `limit + 1`: the extra
    /// row only shows that more follow, and the cursor carries the key of the
    /// last row kept, so the next page (`key` past it) neither skips nor
    /// repeats a row.
    pub fn from_rows<K: Serialize>(
        mut rows: Vec<T>,
        limit: u64,
        key: impl FnOnce(&T) -> K,
    ) -> Self {
        let next_cursor = if rows.len() as u64 > limit {
            rows.truncate(limit as usize);
            rows.last().map(|row| encode(&key(row)))
        } else {
            None
        };
        Page {
            items: rows,
            next_cursor,
        }
    }

    /// The same page with each item turned into what the API shows.
    pub fn map<U>(self, f: impl FnMut(T) -> U) -> Page<U> {
        Page {
            items: self.items.into_iter().map(f).collect(),
            next_cursor: self.next_cursor,
        }
    }
}

/// `cursor` and `limit`, the same on every list. `MAX` is the largest page
/// the list serves (the access log, labels and files allow 200).
#[derive(Debug, Default, Deserialize)]
pub struct PageQuery<const MAX: u64 = 100> {
    pub cursor: Option<String>,
    pub limit: Option<u64>,
}

impl<const MAX: u64> PageQuery<MAX> {
    /// The page size: 1 to `MAX`, 50 when not sent.
    pub fn limit(&self) -> Result<u64, ApiError> {
        let limit = self.limit.unwrap_or(DEFAULT_LIMIT);
        if (1..=MAX).contains(&limit) {
            Ok(limit)
        } else {
            Err(ApiError::field(
                "limit",
                "out_of_range",
                format!("must be between 1 and {MAX}"),
            ))
        }
    }

    /// The key of the previous page's last item, when a cursor was sent.
    pub fn after<K: DeserializeOwned>(&self) -> Result<Option<K>, ApiError> {
        self.cursor.as_deref().map(decode).transpose()
    }
}

// By hand, not derived: the derive cannot write `MAX` into the schema.
impl<const MAX: u64> IntoParams for PageQuery<MAX> {
    fn into_params(_: impl Fn() -> Option<ParameterIn>) -> Vec<Parameter> {
        let param = |name: &str, description: String, schema: ObjectBuilder| {
            ParameterBuilder::new()
                .name(name)
                .parameter_in(ParameterIn::Query)
                .required(Required::False)
                .description(Some(description))
                .schema(Some(schema.build()))
                .build()
        };
        vec![
            param(
                "cursor",
                "From a previous page's `next_cursor` (opaque).".to_owned(),
                ObjectBuilder::new()
                    .schema_type(Type::String)
                    .pattern(Some("^[A-Za-z0-9_-]+$")),
            ),
            param(
                "limit",
                format!("Page size, 1–{MAX} (default {DEFAULT_LIMIT})."),
                ObjectBuilder::new()
                    .schema_type(Type::Integer)
                    .format(Some(SchemaFormat::KnownFormat(KnownFormat::Int64)))
                    .minimum(Some(1))
                    .maximum(Some(MAX)),
            ),
        ]
    }
}

fn encode<K: Serialize>(key: &K) -> String {
    // Keys are ids, numbers, strings and times: serialising them cannot fail.
    URL_SAFE_NO_PAD.encode(serde_json::to_vec(key).unwrap_or_default())
}

fn decode<K: DeserializeOwned>(cursor: &str) -> Result<K, ApiError> {
    URL_SAFE_NO_PAD
        .decode(cursor)
        .ok()
        .and_then(|bytes| serde_json::from_slice(&bytes).ok())
        .ok_or_else(|| {
            ApiError::field("cursor", "invalid_cursor", "is not a cursor from this list")
        })
}

#[cfg(test)]
mod tests {
    use chrono::{DateTime, Utc};
    use uuid::Uuid;

    use super::*;

    fn query(cursor: Option<String>, limit: Option<u64>) -> PageQuery {
        PageQuery { cursor, limit }
    }

    fn field_code(e: ApiError) -> (String, String) {
        match e {
            ApiError::Validation(v) => (v[0].field.clone(), v[0].code.clone()),
            other => panic!("not a validation error: {other:?}"),
        }
    }

    #[test]
    fn a_cursor_gives_back_the_key_it_was_made_from() {
        let key = ("緑茶".to_owned(), Uuid::now_v7());
        let page = Page::from_rows(vec![1, 2], 1, |_| key.clone());
        let next = query(page.next_cursor, None);
        assert_eq!(next.after::<(String, Uuid)>().unwrap(), Some(key));

        let at: DateTime<Utc> = "2024-05-01T12:34:56.789Z".parse().unwrap();
        let next = query(Page::from_rows(vec![1, 2], 1, |_| at).next_cursor, None);
        assert_eq!(next.after::<DateTime<Utc>>().unwrap(), Some(at));
    }

    #[test]
    fn cursors_are_url_safe() {
        let page = Page::from_rows(vec![1, 2], 1, |_| "?&=/+ ~緑".to_owned());
        let cursor = page.next_cursor.unwrap();
        assert!(cursor
            .bytes()
            .all(|b| b.is_ascii_alphanumeric() || b == b'-' || b == b'_'));
    }

    #[test]
    fn garbage_and_foreign_cursors_are_invalid_cursor_on_cursor() {
        for bad in ["garbage!", "", "bm90IGpzb24"] {
            let e = query(Some(bad.into()), None).after::<i64>().unwrap_err();
            assert_eq!(field_code(e), ("cursor".into(), "invalid_cursor".into()));
        }
        // A cursor of a list keyed by text does not pass for a sequence number.
        let text = Page::from_rows(vec![1, 2], 1, |_| "abc").next_cursor;
        assert!(query(text, None).after::<i64>().is_err());
    }

    #[test]
    fn no_cursor_means_the_first_page() {
        assert_eq!(query(None, None).after::<Uuid>().unwrap(), None);
    }

    #[test]
    fn the_page_size_is_50_by_default_and_1_to_max() {
        assert_eq!(query(None, None).limit().unwrap(), 50);
        assert_eq!(query(None, Some(1)).limit().unwrap(), 1);
        assert_eq!(query(None, Some(100)).limit().unwrap(), 100);
        for bad in [0, 101] {
            let e = query(None, Some(bad)).limit().unwrap_err();
            assert_eq!(field_code(e), ("limit".into(), "out_of_range".into()));
        }
        let wide = PageQuery::<200> {
            cursor: None,
            limit: Some(200),
        };
        assert_eq!(wide.limit().unwrap(), 200);
    }

    #[test]
    fn a_full_page_with_one_row_more_keeps_limit_rows_and_points_at_the_last() {
        let page = Page::from_rows(vec![10, 20, 30, 40], 3, |n| *n);
        assert_eq!(page.items, vec![10, 20, 30]);
        let next = query(page.next_cursor, None);
        assert_eq!(next.after::<i32>().unwrap(), Some(30));
    }

    #[test]
    fn the_last_page_has_no_cursor() {
        let exact = Page::from_rows(vec![10, 20, 30], 3, |n| *n);
        assert_eq!(exact.items, vec![10, 20, 30]);
        assert_eq!(exact.next_cursor, None);
        let empty = Page::from_rows(Vec::<i32>::new(), 3, |n| *n);
        assert!(empty.items.is_empty());
        assert_eq!(empty.next_cursor, None);
    }

    #[test]
    fn mapping_a_page_keeps_its_cursor() {
        let page = Page::from_rows(vec![1, 2, 3], 2, |n| *n).map(|n| n.to_string());
        assert_eq!(page.items, vec!["1", "2"]);
        assert!(page.next_cursor.is_some());
    }

    #[test]
    fn the_documented_limit_names_the_list_maximum() {
        let params = PageQuery::<200>::into_params(|| None);
        let names: Vec<&str> = params.iter().map(|p| p.name.as_str()).collect();
        assert_eq!(names, ["cursor", "limit"]);
        let limit = serde_json::to_value(&params[1]).unwrap();
        assert_eq!(limit["schema"]["maximum"], 200);
        assert_eq!(limit["required"], false);
    }
}
