use validator::Validate;

use super::*;
use crate::error::ApiError;

fn code<T: std::fmt::Debug>(parsed: Result<T, FieldError>) -> String {
    parsed.unwrap_err().code
}

#[test]
fn slugs_follow_the_pattern_and_avoid_reserved_words() {
    for ok in ["abc", "acme-foods", "a1b", &"a".repeat(40)] {
        assert_eq!(Slug::parse("s", ok).unwrap().as_str(), ok);
    }
    for bad in [
        "ab",
        "-abc",
        "abc-",
        "ABC",
        "a_b",
        " abc",
        "あいう",
        &"a".repeat(41),
    ] {
        assert_eq!(code(Slug::parse("s", bad)), "invalid_format", "{bad}");
    }
    assert_eq!(code(Slug::parse("s", "admin")), "reserved");
}

#[test]
fn phones_must_be_e164() {
    assert_eq!(
        Phone::parse("p", "+819012345678").unwrap().as_str(),
        "+819012345678"
    );
    for bad in [
        "09012345678",
        "+0123456789",
        "+81 90 1234",
        "+1234",
        "+1234567890123456",
        " +819012345678",
    ] {
        assert_eq!(code(Phone::parse("p", bad)), "invalid_phone", "{bad}");
    }
}

#[test]
fn emails_keep_their_spelling_and_are_keyed_regardless_of_case() {
    let email = Email::parse("email", "Hanako@Acme.example").unwrap();
    assert_eq!(email.as_str(), "Hanako@Acme.example");
    assert_eq!(email.key(), "hanako@acme.example");
    assert_eq!(Email::key_of(" HANAKO@acme.EXAMPLE "), email.key());
    let long = format!("{}@example.com", "a".repeat(250));
    for bad in ["not-an-email", "a@", "@acme.example", long.as_str()] {
        assert_eq!(code(Email::parse("email", bad)), "invalid_email", "{bad}");
    }
}

#[test]
fn names_are_stored_trimmed_and_bounded_by_their_type() {
    assert_eq!(
        DisplayName::parse("name", "  山田 花子 ").unwrap().as_str(),
        "山田 花子"
    );
    assert!(DisplayName::parse("name", &"名".repeat(200)).is_ok());
    assert_eq!(
        code(DisplayName::parse("name", &"名".repeat(201))),
        "too_long"
    );
    assert!(RoleName::parse("name", &"名".repeat(100)).is_ok());
    assert_eq!(code(RoleName::parse("name", &"名".repeat(101))), "too_long");
    for blank in ["", "   ", "\u{3000}"] {
        assert_eq!(code(DisplayName::parse("name", blank)), "required");
    }
}

#[test]
fn names_cannot_break_the_line_or_reorder_what_is_shown() {
    for bad in [
        "bad\u{7}name",
        "two\nlines",
        "two\u{2028}lines",
        "two\u{2029}paragraphs",
        "\u{202E}nimda",
        "a\u{2066}b\u{2069}",
        "c1\u{85}",
    ] {
        assert_eq!(
            code(DisplayName::parse("name", bad)),
            "invalid_characters",
            "{bad:?}"
        );
    }
    // Joiners belong to emoji and some scripts.
    assert!(DisplayName::parse("name", "👩\u{200D}💻 チーム").is_ok());
}

#[test]
fn label_codes_follow_the_pattern_and_are_keyed_regardless_of_case() {
    let label = LabelCode::parse("code", "ABC-123_x.y", None).unwrap();
    assert_eq!(label.as_str(), "ABC-123_x.y");
    assert_eq!(label.key(), "abc-123_x.y");
    for bad in ["", "-abc", "a b", "コード", &"a".repeat(65)] {
        assert_eq!(
            code(LabelCode::parse("code", bad, None)),
            "invalid_format",
            "{bad}"
        );
    }
    // A malformed code is named as such, whatever its kind.
    assert_eq!(
        code(LabelCode::parse("code", "a b", Some(LabelKind::Jan))),
        "invalid_format"
    );
}

#[test]
fn jan_codes_need_their_check_digit() {
    let jan = Some(LabelKind::Jan);
    for ok in ["4901234567894", "49012347", "4902102072618"] {
        assert!(LabelCode::parse("code", ok, jan).is_ok(), "{ok}");
    }
    for (bad, expected) in [
        ("4901234567895", "invalid_check_digit"),
        ("49012348", "invalid_check_digit"),
        ("490123456789", "invalid_jan"),
        ("49O1234567894", "invalid_jan"),
    ] {
        assert_eq!(code(LabelCode::parse("code", bad, jan)), expected, "{bad}");
    }
    assert!(LabelCode::parse("code", "490123456789", None).is_ok());
}

#[test]
fn file_names_lose_paths_and_what_would_disguise_them() {
    let clean = |raw: &str| FileName::clean(raw).map(String::from);
    assert_eq!(clean("../../etc/passwd").as_deref(), Some("passwd"));
    assert_eq!(clean("C:\\x\\design.ai").as_deref(), Some("design.ai"));
    assert_eq!(clean("a\u{0}b.png").as_deref(), Some("ab.png"));
    assert_eq!(
        clean("design\u{202E}gpj.exe").as_deref(),
        Some("designgpj.exe")
    );
    assert_eq!(
        clean("\u{2066} パッケージ案.pdf\u{2069}").as_deref(),
        Some("パッケージ案.pdf")
    );
    assert_eq!(
        clean(&"名".repeat(300)).map(|n| n.chars().count()),
        Some(255)
    );
    for nothing in ["..", ".", "  ", "dir/", "\u{202E}"] {
        assert_eq!(clean(nothing), None, "{nothing:?}");
    }
}

#[derive(Validate)]
struct Inner {
    #[validate(custom(function = "one_line_rule"))]
    en: Option<String>,
}

#[derive(Validate)]
struct Outer {
    #[validate(length(max = 3, code = "too_long", message = "at most 3"))]
    note: String,
    #[validate(nested)]
    title: Inner,
}

#[test]
fn a_check_answers_every_failing_field_at_once_sorted_by_field() {
    let input = Outer {
        note: "long".into(),
        title: Inner {
            en: Some("a\u{2028}b".into()),
        },
    };
    let mut check = Check::new(input.validate());
    let name = check.take(DisplayName::parse("name", ""));
    let slug = check.take(Slug::parse("slug", "acme"));
    assert!(slug.is_some());
    let Err(ApiError::Validation(errors)) = check.done(|| name) else {
        panic!("the check passed");
    };
    let found: Vec<(&str, &str)> = errors
        .iter()
        .map(|e| (e.field.as_str(), e.code.as_str()))
        .collect();
    assert_eq!(
        found,
        [
            ("name", "required"),
            ("note", "too_long"),
            ("title.en", "invalid_characters")
        ]
    );
    assert_eq!(errors[1].message, "at most 3");
}

#[test]
fn a_passing_check_builds_from_what_it_took() {
    let mut check = Check::default();
    let slug = check.take(Slug::parse("slug", "acme"));
    let built = check.done(|| Some(String::from(slug?))).unwrap();
    assert_eq!(built, "acme");
}
