//! Text rules shared by capabilities: what may reach a log line, and the
//! search key both database engines compare alike.

use unicode_normalization::UnicodeNormalization;

/// Replaces control characters so a logged value cannot forge log lines.
pub fn escape_for_log(s: &str) -> String {
    s.chars()
        .flat_map(|c| -> Box<dyn Iterator<Item = char>> {
            if c.is_control() {
                Box::new(c.escape_unicode())
            } else {
                Box::new(std::iter::once(c))
            }
        })
        .collect()
}

/// NFKC then lower case: `ＡＢＣ`, `abc` and `ABC` meet, and half-width
/// katakana match full-width; computed in Rust so both engines agree.
pub fn normalise(text: &str) -> String {
    text.nfkc().collect::<String>().to_lowercase()
}

/// `%q%` for LIKE over a key made by [`normalise`], with `%`, `_` and `\`
/// taken literally (escape `\`).
pub fn like_pattern(q: &str) -> String {
    like_contains(&normalise(q))
}

/// `%q%` for LIKE, `q` taken literally (escape `\`).
pub fn like_contains(q: &str) -> String {
    format!("%{}%", like_literal(q))
}

/// `q%` for LIKE, `q` taken literally (escape `\`).
pub fn like_prefix(q: &str) -> String {
    format!("{}%", like_literal(q))
}

fn like_literal(q: &str) -> String {
    q.chars()
        .flat_map(|c| match c {
            '%' | '_' | '\\' => vec!['\\', c],
            c => vec![c],
        })
        .collect()
}

/// How event and action filters read: a name (`col = v`), or a prefix ending
/// in a dot (`auth.`: the name `auth` or any below it), LIKE wildcards in it
/// taken literally.
pub fn dotted_filter<C: sea_orm::ColumnTrait>(col: C, value: &str) -> sea_orm::Condition {
    use sea_orm::sea_query::{Expr, LikeExpr};
    match value.strip_suffix('.') {
        Some(prefix) => sea_orm::Condition::any().add(col.eq(prefix)).add(
            Expr::col((col.entity_name(), col))
                .like(LikeExpr::new(like_prefix(value)).escape('\\')),
        ),
        None => sea_orm::Condition::all().add(col.eq(value)),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn search_keys_fold_width_and_case() {
        assert_eq!(normalise("ＡＢＣ緑茶"), "abc緑茶");
        assert_eq!(normalise("ｶﾀｶﾅ"), "カタカナ");
        assert_eq!(like_pattern("50%_off"), "%50\\%\\_off%");
    }

    #[test]
    fn control_characters_are_escaped_for_logs() {
        assert_eq!(escape_for_log("a\nb\u{1b}[31m"), "a\\u{a}b\\u{1b}[31m");
        assert_eq!(escape_for_log("案件/ok"), "案件/ok");
    }
}
