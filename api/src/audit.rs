//! The platform audit log: every operator action and operator tool use is
//! appended here (operators read it through `ops::audit`).

use chrono::{DateTime, Utc};
use sea_orm::{ActiveModelTrait, ActiveValue::Set, ConnectionTrait};
use uuid::Uuid;

use crate::{entities::platform::platform_audit, error::ApiError};

/// Who acted.
pub enum Actor<'a> {
    Operator {
        id: Uuid,
        email: &'a str,
    },
    /// The `crepo` command line.
    Cli,
    /// Someone who did not authenticate (a failed operator login).
    Anonymous,
}

/// One entry to append.
pub struct Entry<'a> {
    pub actor: Actor<'a>,
    pub action: &'a str,
    pub target: Option<(&'a str, String)>,
    pub details: serde_json::Value,
    pub ip: Option<String>,
    pub request_id: Option<String>,
    /// By the application's clock (the command line uses the system's).
    pub at: DateTime<Utc>,
}

pub async fn append(conn: &impl ConnectionTrait, e: Entry<'_>) -> Result<(), ApiError> {
    let (kind, id, email) = match e.actor {
        Actor::Operator { id, email } => ("operator", Some(id), Some(email.to_owned())),
        Actor::Cli => ("cli", None, None),
        Actor::Anonymous => ("anonymous", None, None),
    };
    platform_audit::ActiveModel {
        id: Set(Uuid::now_v7()),
        at: Set(e.at),
        actor_kind: Set(kind.into()),
        actor_id: Set(id),
        actor_email: Set(email),
        action: Set(e.action.into()),
        target_kind: Set(e.target.as_ref().map(|(k, _)| (*k).to_owned())),
        target_id: Set(e.target.map(|(_, id)| id)),
        details: Set(e.details.to_string()),
        ip: Set(e.ip),
        request_id: Set(e.request_id),
    }
    .insert(conn)
    .await?;
    Ok(())
}
