//! `crepo operator create` (the only way operators come to exist) and the
//! tenant commands operators run from a shell: suspend, resume, delete.

use std::io::BufRead;

use anyhow::{bail, Context};
use chrono::Utc;
use sea_orm::{ActiveModelTrait, ActiveValue::Set};
use uuid::Uuid;

use crate::audit::{self, Actor, Entry};
use crate::{
    db::Db,
    entities::platform::operator::{self, OperatorStatus},
    passwords::{self, PasswordRules},
    values::{Email, Phone},
};

/// The password comes from `CREPO_OPERATOR_PASSWORD` or the first line of
/// standard input, never from the command line (it would show in `ps`).
pub fn read_password() -> anyhow::Result<String> {
    if let Ok(p) = std::env::var("CREPO_OPERATOR_PASSWORD") {
        return Ok(p);
    }
    let mut line = String::new();
    std::io::stdin()
        .lock()
        .read_line(&mut line)
        .context("cannot read the password from standard input")?;
    Ok(line.trim_end_matches(['\r', '\n']).to_owned())
}

pub async fn create(db: &Db, email: &str, phone: &str, password: &str) -> anyhow::Result<Uuid> {
    let email = Email::parse("email", email);
    let phone = Phone::parse("phone", phone);
    let mut problems: Vec<String> = [email.as_ref().err(), phone.as_ref().err()]
        .into_iter()
        .flatten()
        .map(|e| format!("--{}: {}", e.field, e.message))
        .collect();
    problems.extend(
        PasswordRules::new()
            .violations("password", password, passwords::MIN_LENGTH)
            .into_iter()
            .map(|e| format!("password: {}", e.message)),
    );
    let (Ok(email), Ok(phone), true) = (email, phone, problems.is_empty()) else {
        bail!("{}", problems.join("; "));
    };
    let now = Utc::now();
    let id = Uuid::now_v7();
    let hash = passwords::hash(password.to_owned())
        .await
        .map_err(|e| anyhow::anyhow!("{e}"))?;
    operator::ActiveModel {
        id: Set(id),
        email: Set(email.as_str().into()),
        email_key: Set(email.key().into()),
        phone: Set(phone.into()),
        password_hash: Set(hash),
        status: Set(OperatorStatus::Active),
        failed_logins: Set(0),
        locked_until: Set(None),
        created_at: Set(now),
        updated_at: Set(now),
    }
    .insert(db.platform())
    .await
    .map_err(|e| match e.sql_err() {
        Some(sea_orm::SqlErr::UniqueConstraintViolation(_)) => {
            anyhow::anyhow!("an operator with this email already exists")
        }
        _ => anyhow::Error::new(e),
    })?;
    audit::append(
        db,
        Entry {
            at: now,
            actor: Actor::Cli,
            action: "operator.created",
            target: Some(("operator", id.to_string())),
            details: serde_json::json!({ "email": email.as_str() }),
            ip: None,
            request_id: None,
        },
    )
    .await
    .map_err(|e| anyhow::anyhow!("{e}"))?;
    Ok(id)
}

/// `crepo tenant suspend|resume ID --reason …`.
pub async fn suspend_or_resume(
    settings: &crate::config::Settings,
    id: crate::ids::TenantId,
    reason: &str,
    suspend: bool,
) -> anyhow::Result<std::process::ExitCode> {
    use super::suspension::{change, Change};
    let c = if suspend {
        Change::Suspend
    } else {
        Change::Resume
    };
    let db = Db::connect(settings).await?;
    let outcome = change(
        &db,
        id,
        c,
        reason.trim(),
        Actor::Cli,
        Utc::now(),
        (None, None),
    )
    .await;
    db.close().await;
    Ok(match outcome {
        Ok(ended) if suspend => {
            println!("tenant {id}: suspended, {ended} session(s) ended");
            std::process::ExitCode::SUCCESS
        }
        Ok(_) => {
            println!("tenant {id}: resumed");
            std::process::ExitCode::SUCCESS
        }
        Err(e) => {
            eprintln!("tenant {id}: {e}");
            std::process::ExitCode::FAILURE
        }
    })
}

/// `crepo tenant delete ID`.
pub async fn delete_tenant(
    settings: &crate::config::Settings,
    id: crate::ids::TenantId,
) -> anyhow::Result<std::process::ExitCode> {
    use crate::termination::erase::{erase, Deleter};
    let db = Db::connect(settings).await?;
    let store = crate::storage::from_settings(settings).await?;
    let signer = crate::logbook::signing::LogSigner::load(settings)?;
    let deleter = Deleter {
        actor: Actor::Cli,
        operator_email: None,
    };
    let done = erase(
        &db,
        store.as_ref(),
        &signer,
        settings,
        id,
        deleter,
        Utc::now(),
    )
    .await;
    db.close().await;
    Ok(match done {
        Ok(c) => {
            println!(
                "tenant {id} ({}) deleted: {} row(s), {} object(s); certificate in the platform audit",
                c.slug, c.rows_removed, c.objects_removed
            );
            std::process::ExitCode::SUCCESS
        }
        Err(e) => {
            eprintln!("tenant {id}: {e}");
            std::process::ExitCode::FAILURE
        }
    })
}
