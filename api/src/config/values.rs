//! The value types of [`super::Settings`] and its error.

use std::{fmt, path::PathBuf, time::Duration};

/// A value that must never be logged or printed.
#[derive(Clone)]
pub struct Secret(String);

impl Secret {
    pub fn new(value: impl Into<String>) -> Self {
        Self(value.into())
    }
    pub fn expose(&self) -> &str {
        &self.0
    }
}

impl fmt::Debug for Secret {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("Secret(***)")
    }
}

/// Limits against SMS pumping (texts cost money and can be abused to earn
/// on premium numbers): per tenant and for the whole platform, per hour and
/// per day, and number prefixes never texted.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SmsLimits {
    pub tenant_hour: u32,
    pub tenant_day: u32,
    pub platform_hour: u32,
    pub platform_day: u32,
    pub deny_prefixes: Vec<String>,
    /// Users one tenant may have (`CREPO_TENANT_MAX_USERS`).
    pub tenant_max_users: u64,
}

/// The provider's support desk, shown to every customer (`GET /api/v1/support`).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SupportSettings {
    pub email: Option<String>,
    pub phone: Option<String>,
    pub url: Option<String>,
    pub hours_ja: String,
    pub hours_en: String,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum LogFormat {
    Pretty,
    Json,
}

#[derive(Debug, Clone)]
pub enum StorageSettings {
    Directory(PathBuf),
    S3 { bucket: String, prefix: String },
}

#[derive(Debug, Clone)]
pub enum SmsSettings {
    Outbox(PathBuf),
    Sns,
}

/// Where notice mail goes (`CREPO_MAIL`): a file in development, or Amazon
/// SES from `CREPO_MAIL_FROM` (a verified identity).
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum MailSettings {
    Outbox(PathBuf),
    Ses { from: String },
}

#[derive(Debug, Clone)]
pub struct TlsSettings {
    pub cert: PathBuf,
    pub key: PathBuf,
}

/// `count` events per `window`.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct RateLimit {
    pub count: u32,
    pub window: Duration,
}

/// The standard `AWS_*` variables the S3 and SNS backends use. Read here, not
/// from the process environment later, so that settings alone decide.
#[derive(Debug, Clone)]
pub struct AwsSettings {
    pub region: String,
    /// `AWS_ENDPOINT_URL`: an S3/SNS-compatible endpoint (path-style S3).
    pub endpoint_url: Option<String>,
    /// Static keys when given; otherwise the SDK's default provider chain.
    pub access_key_id: Option<String>,
    pub secret_access_key: Option<Secret>,
    pub session_token: Option<Secret>,
}

#[derive(Debug, thiserror::Error)]
#[error("{var}: {message}")]
pub struct ConfigError {
    pub var: &'static str,
    pub message: String,
}

pub(super) fn err(var: &'static str, message: impl Into<String>) -> ConfigError {
    ConfigError {
        var,
        message: message.into(),
    }
}
