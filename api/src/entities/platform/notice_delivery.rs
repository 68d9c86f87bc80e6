//! `notice_deliveries` in the platform database.

use sea_orm::entity::prelude::*;

#[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel)]
#[sea_orm(table_name = "notice_deliveries")]
pub struct Model {
    #[sea_orm(primary_key, auto_increment = false)]
    pub id: Uuid,
    pub notice_id: Uuid,
    /// The incident update this sends; none for the first notice.
    pub update_id: Option<Uuid>,
    pub tenant_id: Uuid,
    pub user_id: Uuid,
    pub channel: DeliveryChannel,
    pub destination: String,
    pub status: DeliveryStatus,
    pub attempts: i32,
    pub last_error: Option<String>,
    /// JSON array of `{at, outcome, error}`, oldest first.
    pub attempt_log: String,
    pub next_attempt_at: DateTimeUtc,
    pub claimed_until: Option<DateTimeUtc>,
    pub sent_at: Option<DateTimeUtc>,
    pub created_at: DateTimeUtc,
    /// `user` (null on older rows) or `security_contact` (then `user_id`
    /// is the contact's id).
    pub recipient_kind: Option<String>,
    pub recipient_name: Option<String>,
}

stored_enum! {
    pub enum DeliveryChannel {
        Email,
        Sms,
    }
}

stored_enum! {
    pub enum DeliveryStatus {
        Pending,
        Sent,
        Failed,
    }
}

#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {}

impl ActiveModelBehavior for ActiveModel {}
