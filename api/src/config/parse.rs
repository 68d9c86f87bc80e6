//! Parsers of single values: numbers in a range, booleans, storage URLs,
//! proxy networks, rate limits.

use std::{fmt, str::FromStr, time::Duration};

use ipnet::IpNet;

use super::{values::err, ConfigError, RateLimit, StorageSettings};

pub(super) fn number<T, F>(
    get: &F,
    var: &'static str,
    default: T,
    range: std::ops::RangeInclusive<T>,
) -> Result<T, ConfigError>
where
    T: FromStr + PartialOrd + fmt::Display + Copy,
    F: Fn(&'static str) -> Option<(&'static str, String)>,
{
    let Some((_, raw)) = get(var) else {
        return Ok(default);
    };
    let value: T = raw
        .trim()
        .parse()
        .map_err(|_| err(var, format!("`{raw}` is not a number")))?;
    if !range.contains(&value) {
        return Err(err(
            var,
            format!("{value} is outside {}..={}", range.start(), range.end()),
        ));
    }
    Ok(value)
}

pub(super) fn parse_bool(v: &str) -> Option<bool> {
    match v.to_ascii_lowercase().as_str() {
        "1" | "true" | "yes" | "on" => Some(true),
        "0" | "false" | "no" | "off" => Some(false),
        _ => None,
    }
}

pub(super) fn parse_storage(v: &str) -> Result<StorageSettings, String> {
    if let Some(path) = v.strip_prefix("file://") {
        if path.is_empty() {
            return Err("file:// needs a directory".into());
        }
        return Ok(StorageSettings::Directory(path.into()));
    }
    if let Some(rest) = v.strip_prefix("s3://") {
        let (bucket, prefix) = rest.split_once('/').unwrap_or((rest, ""));
        let valid_bucket = (3..=63).contains(&bucket.len())
            && bucket
                .chars()
                .all(|c| c.is_ascii_lowercase() || c.is_ascii_digit() || c == '-' || c == '.');
        if !valid_bucket {
            return Err(format!("`{bucket}` is not a valid S3 bucket name"));
        }
        return Ok(StorageSettings::S3 {
            bucket: bucket.into(),
            prefix: prefix.trim_matches('/').into(),
        });
    }
    Err(format!(
        "`{v}` is neither file://DIR nor s3://BUCKET/PREFIX"
    ))
}

pub(super) fn parse_proxies(v: &str) -> Result<Vec<IpNet>, String> {
    v.split(',')
        .map(str::trim)
        .filter(|s| !s.is_empty())
        .map(|s| {
            s.parse::<IpNet>()
                .or_else(|_| s.parse::<std::net::IpAddr>().map(IpNet::from))
                .map_err(|_| format!("`{s}` is not an IP address or CIDR block"))
        })
        .collect()
}

impl FromStr for RateLimit {
    type Err = String;

    /// `N/SECONDS`, for example `10/3600`.
    fn from_str(s: &str) -> Result<Self, String> {
        let bad = || format!("`{s}` is not COUNT/SECONDS, for example 10/3600");
        let (count, secs) = s.split_once('/').ok_or_else(bad)?;
        let count: u32 = count.trim().parse().map_err(|_| bad())?;
        let secs: u64 = secs.trim().parse().map_err(|_| bad())?;
        if count == 0 || secs == 0 {
            return Err(bad());
        }
        Ok(RateLimit {
            count,
            window: Duration::from_secs(secs),
        })
    }
}

/// `CREPO_SMS_TENANT_HOUR`, `_TENANT_DAY`, `_PLATFORM_HOUR`, `_PLATFORM_DAY`,
/// `CREPO_SMS_DENY_PREFIXES` and `CREPO_TENANT_MAX_USERS`.
pub(super) fn sms_limits<F>(get: &F) -> Result<super::SmsLimits, ConfigError>
where
    F: Fn(&'static str) -> Option<(&'static str, String)>,
{
    let deny_prefixes = match get("CREPO_SMS_DENY_PREFIXES") {
        Some((_, v)) if v == "none" => Vec::new(),
        Some((var, v)) => {
            let list: Vec<String> = v.split(',').map(|p| p.trim().to_owned()).collect();
            if let Some(bad) = list.iter().find(|p| {
                !p.starts_with('+') || p.len() < 2 || !p[1..].chars().all(|c| c.is_ascii_digit())
            }) {
                return Err(err(var, format!("`{bad}` is not a prefix like +882")));
            }
            list
        }
        // International networks and premium-rate ranges used for pumping.
        None => ["+881", "+882", "+883", "+979"].map(String::from).to_vec(),
    };
    Ok(super::SmsLimits {
        tenant_hour: number(get, "CREPO_SMS_TENANT_HOUR", 100, 1..=1_000_000)?,
        tenant_day: number(get, "CREPO_SMS_TENANT_DAY", 500, 1..=10_000_000)?,
        platform_hour: number(get, "CREPO_SMS_PLATFORM_HOUR", 2_000, 1..=10_000_000)?,
        platform_day: number(get, "CREPO_SMS_PLATFORM_DAY", 20_000, 1..=100_000_000)?,
        deny_prefixes,
        tenant_max_users: number(get, "CREPO_TENANT_MAX_USERS", 5_000, 1..=10_000_000)?,
    })
}

/// Where texts (`CREPO_SMS`) and notice mail (`CREPO_MAIL`, `CREPO_MAIL_FROM`) go.
pub(super) fn messaging<F>(
    get: &F,
    data_dir: &std::path::Path,
) -> Result<(super::SmsSettings, super::MailSettings), ConfigError>
where
    F: Fn(&'static str) -> Option<(&'static str, String)>,
{
    use super::{MailSettings, SmsSettings};
    let sms = match get("CREPO_SMS").map(|(_, v)| v) {
        None => SmsSettings::Outbox(data_dir.join("sms-outbox.jsonl")),
        Some(v) if v == "outbox" => SmsSettings::Outbox(data_dir.join("sms-outbox.jsonl")),
        Some(v) if v == "sns" => SmsSettings::Sns,
        Some(v) => return Err(err("CREPO_SMS", format!("`{v}` is neither outbox nor sns"))),
    };
    let mail = match get("CREPO_MAIL").map(|(_, v)| v) {
        None => MailSettings::Outbox(data_dir.join("mail-outbox.jsonl")),
        Some(v) if v == "outbox" => MailSettings::Outbox(data_dir.join("mail-outbox.jsonl")),
        Some(v) if v == "ses" => match get("CREPO_MAIL_FROM") {
            Some((_, from)) if from.contains('@') => MailSettings::Ses { from },
            Some((var, _)) => {
                return Err(err(
                    var,
                    "must be an email address (a verified SES identity)",
                ))
            }
            None => {
                return Err(err(
                    "CREPO_MAIL_FROM",
                    "is required with CREPO_MAIL=ses (the verified sender of notice mail)",
                ))
            }
        },
        Some(v) => {
            return Err(err(
                "CREPO_MAIL",
                format!("`{v}` is neither outbox nor ses"),
            ))
        }
    };
    Ok((sms, mail))
}
