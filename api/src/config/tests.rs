//! Settings from variables: defaults, validation, secrets kept out of Debug.

use super::*;
use std::collections::HashMap;

fn settings(vars: &[(&str, &str)]) -> Result<Settings, ConfigError> {
    let map: HashMap<String, String> = vars
        .iter()
        .map(|(k, v)| (k.to_string(), v.to_string()))
        .collect();
    Settings::from_lookup(|k| map.get(k).cloned())
}

#[test]
fn defaults_use_sqlite_and_local_directories_under_the_data_dir() {
    let s = settings(&[("CREPO_DATA_DIR", "/tmp/x")]).unwrap();
    assert_eq!(s.database_url.expose(), "sqlite:///tmp/x/crepo.db");
    assert!(matches!(s.storage, StorageSettings::Directory(ref p) if p.ends_with("objects")));
    assert!(matches!(s.sms, SmsSettings::Outbox(ref p) if p.ends_with("sms-outbox.jsonl")));
    assert_eq!(s.listen.to_string(), "127.0.0.1:8080");
    assert_eq!(s.aws.region, "ap-northeast-1");
}

#[test]
fn a_bad_value_names_its_variable() {
    for (var, value) in [
        ("CREPO_LISTEN", "nowhere"),
        ("CREPO_DATABASE_URL", "mysql://x"),
        ("CREPO_STORAGE", "ftp://x"),
        ("CREPO_SMS", "pigeon"),
        ("CREPO_JSON_LIMIT", "-1"),
        ("CREPO_TRUSTED_PROXIES", "10.0.0.0/99"),
        ("CREPO_SIGNUP_RATE_LIMIT", "ten"),
        ("CREPO_JWT_SECRET", "short"),
        ("CREPO_MAIL", "pigeon"),
        ("CREPO_DELIVERY_RETRY_MS", "0"),
    ] {
        let e = settings(&[(var, value)]).unwrap_err();
        assert_eq!(e.var, var, "{e}");
    }
}

#[test]
fn ses_mail_needs_a_sender() {
    let e = settings(&[("CREPO_MAIL", "ses")]).unwrap_err();
    assert_eq!(e.var, "CREPO_MAIL_FROM", "{e}");
    let e = settings(&[("CREPO_MAIL", "ses"), ("CREPO_MAIL_FROM", "nobody")]).unwrap_err();
    assert_eq!(e.var, "CREPO_MAIL_FROM", "{e}");
    let s = settings(&[
        ("CREPO_MAIL", "ses"),
        ("CREPO_MAIL_FROM", "noreply@crepo.example"),
    ])
    .unwrap();
    assert_eq!(
        s.mail,
        super::MailSettings::Ses {
            from: "noreply@crepo.example".into()
        }
    );
    // SMS through SNS no longer drags mail along: it stays in the outbox.
    let s = settings(&[("CREPO_SMS", "sns")]).unwrap();
    assert!(matches!(s.mail, super::MailSettings::Outbox(_)));
}

#[test]
fn secrets_are_not_printed() {
    let s = settings(&[
        ("CREPO_DATABASE_URL", "postgres://u:hunter2@db/x"),
        ("CREPO_JWT_SECRET", "0123456789abcdef0123456789abcdef-xyz"),
    ])
    .unwrap();
    let printed = format!("{s:?}");
    assert!(!printed.contains("hunter2"));
    assert!(!printed.contains("0123456789abcdef"));
}

#[test]
fn s3_storage_splits_bucket_and_prefix() {
    let s = settings(&[("CREPO_STORAGE", "s3://crepo-data/prod/objects/")]).unwrap();
    assert!(
        matches!(s.storage, StorageSettings::S3 { ref bucket, ref prefix } if bucket == "crepo-data" && prefix == "prod/objects")
    );
}
