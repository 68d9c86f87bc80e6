use sea_orm_migration::prelude::*;

mod m20261125_000001_create_tenants;
mod m20261125_000002_create_rate_limits;
mod m20261125_000003_create_operators;
mod m20261125_000004_create_platform_audit;
mod m20261125_000005_create_access_log_checkpoints;
mod m20261125_000006_create_access_log_anchors;
mod m20261125_000007_create_notices;
mod m20261125_000008_create_notice_updates;
mod m20261125_000009_create_notice_deliveries;
mod m20261205_000010_protect_platform_records;
mod m20261205_000011_chain_platform_audit;
mod m20261207_000012_exports_and_suspension;
mod m20261207_000013_termination;
mod m20261207_000014_delivery_recipients;
mod m20261207_000015_evaluation_queue;

use crate::shared::{
    m20261125_200001_create_sessions as create_sessions,
    m20261125_200002_create_mfa_challenges as create_mfa_challenges,
    m20261125_200003_create_sms_sends as create_sms_sends,
};

/// Migrates the platform schema (`public` on PostgreSQL, the main file on SQLite).
pub struct PlatformMigrator;

#[async_trait::async_trait]
impl MigratorTrait for PlatformMigrator {
    fn migration_table_name() -> DynIden {
        Alias::new("platform_migrations").into_iden()
    }

    fn migrations() -> Vec<Box<dyn MigrationTrait>> {
        vec![
            Box::new(m20261125_000001_create_tenants::Migration),
            Box::new(m20261125_000002_create_rate_limits::Migration),
            Box::new(m20261125_000003_create_operators::Migration),
            Box::new(m20261125_000004_create_platform_audit::Migration),
            Box::new(create_sessions::Migration),
            Box::new(create_mfa_challenges::Migration),
            Box::new(create_sms_sends::Migration),
            Box::new(m20261125_000005_create_access_log_checkpoints::Migration),
            Box::new(m20261125_000006_create_access_log_anchors::Migration),
            Box::new(m20261125_000007_create_notices::Migration),
            Box::new(m20261125_000008_create_notice_updates::Migration),
            Box::new(m20261125_000009_create_notice_deliveries::Migration),
            Box::new(m20261205_000010_protect_platform_records::Migration),
            Box::new(m20261205_000011_chain_platform_audit::Migration),
            Box::new(m20261207_000012_exports_and_suspension::Migration),
            Box::new(m20261207_000013_termination::Migration),
            Box::new(m20261207_000014_delivery_recipients::Migration),
            Box::new(m20261207_000015_evaluation_queue::Migration),
        ]
    }
}
