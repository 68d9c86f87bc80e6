//! Storage shapes, one folder per place they live. API types live with their
//! capability and convert from these.
//!
//! - `platform`: the platform database (tenants, operators, audit, notices,
//!   the access-log anchors and checkpoints kept outside the tenant).
//! - `tenant`: every tenant's own schema (or SQLite file).
//! - `shared`: tables that exist in both, with the same shape: sessions,
//!   one-time codes and SMS sends (operators in the platform, users in a tenant).

/// A status or kind stored as text: each variant's snake_case name is both
/// its stored value and its name in the API, and a stored value this build
/// does not know fails to load instead of being read as another.
macro_rules! stored_enum {
    ($item:item) => {
        #[derive(
            Debug,
            Clone,
            Copy,
            PartialEq,
            Eq,
            EnumIter,
            DeriveActiveEnum,
            serde::Serialize,
            serde::Deserialize,
            utoipa::ToSchema,
        )]
        #[sea_orm(
            rs_type = "String",
            db_type = "String(StringLen::None)",
            rename_all = "snake_case"
        )]
        #[serde(rename_all = "snake_case")]
        $item
    };
}

pub mod platform;
pub mod shared;
pub mod tenant;

#[cfg(test)]
mod tests {
    use sea_orm::{ActiveEnum, Iterable};

    use super::{platform, tenant};

    /// The API's name of each value is the stored one, and a stored value
    /// this build does not know fails to load.
    fn stored_as_named<E: ActiveEnum<Value = String> + Iterable + serde::Serialize>() {
        for v in E::iter() {
            assert_eq!(
                serde_json::to_value(&v).unwrap(),
                serde_json::Value::String(v.to_value())
            );
        }
        assert!(E::try_from_value(&"unheard_of".to_owned()).is_err());
    }

    #[test]
    fn statuses_and_kinds_read_the_same_in_json_and_in_the_database() {
        stored_as_named::<platform::tenant::TenantStatus>();
        stored_as_named::<tenant::user::UserStatus>();
        stored_as_named::<tenant::role::ScopeKind>();
        stored_as_named::<tenant::project::ProjectStatus>();
        stored_as_named::<tenant::label::LabelKind>();
        stored_as_named::<tenant::file::SniffedType>();
        stored_as_named::<tenant::export::ExportStatus>();
        stored_as_named::<tenant::file_evaluation::EvaluationStatus>();
        stored_as_named::<platform::notice::NoticeKind>();
        stored_as_named::<platform::notice::Severity>();
        stored_as_named::<platform::notice::NoticeStatus>();
        stored_as_named::<platform::notice_update::IncidentStage>();
        stored_as_named::<platform::notice_delivery::DeliveryChannel>();
        stored_as_named::<platform::notice_delivery::DeliveryStatus>();
        assert!(
            platform::operator::OperatorStatus::try_from_value(&"suspended".to_owned()).is_err()
        );
    }
}
