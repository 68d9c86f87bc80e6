//! Listing projects: label, text and status filters in SQL, keyset pages.

use sea_orm::{
    sea_query::{Expr, Func, LikeExpr, Query},
    ColumnTrait, Condition, ConnectionTrait, EntityTrait, QueryFilter, QueryOrder, QuerySelect,
};

use chrono::{DateTime, Utc};
use serde::{Deserialize, Serialize};
use uuid::Uuid;

use super::{
    labels_of,
    types::{ProjectOut, ProjectQuery, ProjectSort, ProjectStatus},
};
use crate::{
    entities::tenant::{label, project, project_label},
    error::{ApiError, FieldError},
    page::Page,
};

/// Where a page ended: the sort key and id of its last project.
#[derive(Debug, Serialize, Deserialize)]
enum Key {
    #[serde(rename = "u")]
    Updated(DateTime<Utc>, Uuid),
    #[serde(rename = "n")]
    Name(String, Uuid),
}

fn bad(field: &str, message: &str) -> ApiError {
    ApiError::Validation(vec![FieldError::new(field, "invalid_query", message)])
}

impl ProjectQuery {
    /// Parses the query string by hand: `label` repeats.
    pub fn parse(raw: &str) -> Result<ProjectQuery, ApiError> {
        let pairs: Vec<(String, String)> = serde_urlencoded::from_str(raw)
            .map_err(|_| bad("query", "the query string is malformed"))?;
        let mut q = ProjectQuery::default();
        for (key, value) in pairs {
            match key.as_str() {
                "label" => q.label.push(value),
                "q" => q.q = Some(value),
                "status" => {
                    q.status = Some(match value.as_str() {
                        "active" => ProjectStatus::Active,
                        "archived" => ProjectStatus::Archived,
                        _ => return Err(bad("status", "must be active or archived")),
                    })
                }
                "sort" => {
                    q.sort = Some(match value.as_str() {
                        "updated" => ProjectSort::Updated,
                        "name" => ProjectSort::Name,
                        _ => return Err(bad("sort", "must be updated or name")),
                    })
                }
                "cursor" => q.page.cursor = Some(value),
                "limit" => {
                    q.page.limit = Some(
                        value
                            .parse()
                            .map_err(|_| bad("limit", "must be a whole number"))?,
                    )
                }
                _ => {}
            }
        }
        if q.label.len() > 20 {
            return Err(bad("label", "at most 20 labels"));
        }
        if q.label.iter().any(|l| l.chars().count() > 64)
            || q.q.as_deref().is_some_and(|s| s.chars().count() > 200)
        {
            return Err(ApiError::field(
                "q",
                "too_long",
                "label codes are at most 64 characters, q at most 200",
            ));
        }
        Ok(q)
    }
}

pub async fn page(
    conn: &impl ConnectionTrait,
    query: &ProjectQuery,
    scope: sea_orm::Condition,
) -> Result<Page<ProjectOut>, ApiError> {
    let limit = query.page.limit()?;
    let sort = query.sort.unwrap_or_default();
    // Only what the caller's roles reach, decided in the query itself.
    let mut select = project::Entity::find().filter(scope);
    if !query.label.is_empty() {
        let keys: Vec<String> = query.label.iter().map(|c| c.to_lowercase()).collect();
        let wanted = keys.iter().collect::<std::collections::BTreeSet<_>>().len() as i64;
        // Projects carrying every one of the codes.
        let carrying = Query::select()
            .column((project_label::Entity, project_label::Column::ProjectId))
            .from(project_label::Entity)
            .inner_join(
                label::Entity,
                Expr::col((label::Entity, label::Column::Id))
                    .equals((project_label::Entity, project_label::Column::LabelId)),
            )
            .and_where(Expr::col((label::Entity, label::Column::CodeKey)).is_in(keys))
            .group_by_col((project_label::Entity, project_label::Column::ProjectId))
            .and_having(
                Expr::expr(Func::count_distinct(Expr::col((
                    project_label::Entity,
                    project_label::Column::LabelId,
                ))))
                .eq(wanted),
            )
            .to_owned();
        select = select.filter(project::Column::Id.in_subquery(carrying));
    }
    if let Some(q) = query.q.as_deref().map(str::trim).filter(|q| !q.is_empty()) {
        select = select.filter(
            Expr::col(project::Column::SearchKey)
                .like(LikeExpr::new(crate::text::like_pattern(q)).escape('\\')),
        );
    }
    if let Some(status) = query.status {
        select = select.filter(project::Column::Status.eq(status));
    }
    if let Some(after) = query.page.after()? {
        select = match (after, sort) {
            (Key::Updated(at, id), ProjectSort::Updated) => select.filter(
                Condition::any().add(project::Column::UpdatedAt.lt(at)).add(
                    Condition::all()
                        .add(project::Column::UpdatedAt.eq(at))
                        .add(project::Column::Id.lt(id)),
                ),
            ),
            (Key::Name(key, id), ProjectSort::Name) => select.filter(
                Condition::any()
                    .add(project::Column::NameKey.gt(key.clone()))
                    .add(
                        Condition::all()
                            .add(project::Column::NameKey.eq(key))
                            .add(project::Column::Id.gt(id)),
                    ),
            ),
            _ => {
                return Err(ApiError::field(
                    "cursor",
                    "invalid_cursor",
                    "the cursor belongs to another sort order",
                ))
            }
        };
    }
    select = match sort {
        ProjectSort::Updated => select
            .order_by_desc(project::Column::UpdatedAt)
            .order_by_desc(project::Column::Id),
        ProjectSort::Name => select
            .order_by_asc(project::Column::NameKey)
            .order_by_asc(project::Column::Id),
    };
    let rows = select.limit(limit + 1).all(conn).await?;
    let page = Page::from_rows(rows, limit, |p| match sort {
        ProjectSort::Updated => Key::Updated(p.updated_at, p.id),
        ProjectSort::Name => Key::Name(p.name_key.clone(), p.id),
    });
    let ids: Vec<Uuid> = page.items.iter().map(|p| p.id).collect();
    let mut labels = labels_of(conn, &ids).await?;
    Ok(page.map(|p| {
        let l = labels.remove(&p.id).unwrap_or_default();
        ProjectOut::new(p, l)
    }))
}
