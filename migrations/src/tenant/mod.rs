use sea_orm_migration::prelude::*;

mod m20261125_100001_create_users;
mod m20261125_100002_create_roles;
mod m20261125_100003_create_user_roles;
mod m20261125_100004_add_lockout_to_users;
mod m20261125_100005_create_refresh_tokens;
mod m20261125_100006_create_password_history;
mod m20261125_100007_create_password_policy;
mod m20261125_100008_create_access_log;
mod m20261125_100009_create_access_log_head;
mod m20261125_100010_protect_access_log;
mod m20261125_100011_create_projects;
mod m20261125_100012_create_labels;
mod m20261125_100013_create_project_labels;
mod m20261125_100014_create_files;
mod m20261125_100015_create_role_labels;
mod m20261125_100016_create_project_members;
mod m20261125_100017_create_notice_reads;
mod m20261205_100018_expire_temporary_passwords;
mod m20261205_100019_create_access_log_outbox;
mod m20261207_100020_create_exports;
mod m20261207_100021_create_security_contacts;
mod m20261207_100022_create_file_evaluations;

use crate::shared::{
    m20261125_200001_create_sessions as create_sessions,
    m20261125_200002_create_mfa_challenges as create_mfa_challenges,
    m20261125_200003_create_sms_sends as create_sms_sends,
};

/// Migrates one tenant: run it inside a transaction whose `search_path` is that
/// tenant's schema (PostgreSQL) or on that tenant's own file (SQLite).
pub struct TenantMigrator;

#[async_trait::async_trait]
impl MigratorTrait for TenantMigrator {
    fn migration_table_name() -> DynIden {
        Alias::new("tenant_migrations").into_iden()
    }

    fn migrations() -> Vec<Box<dyn MigrationTrait>> {
        vec![
            Box::new(m20261125_100001_create_users::Migration),
            Box::new(m20261125_100002_create_roles::Migration),
            Box::new(m20261125_100003_create_user_roles::Migration),
            Box::new(m20261125_100004_add_lockout_to_users::Migration),
            Box::new(create_sessions::Migration),
            Box::new(m20261125_100005_create_refresh_tokens::Migration),
            Box::new(create_mfa_challenges::Migration),
            Box::new(create_sms_sends::Migration),
            Box::new(m20261125_100006_create_password_history::Migration),
            Box::new(m20261125_100007_create_password_policy::Migration),
            Box::new(m20261125_100008_create_access_log::Migration),
            Box::new(m20261125_100009_create_access_log_head::Migration),
            Box::new(m20261125_100010_protect_access_log::Migration),
            Box::new(m20261125_100011_create_projects::Migration),
            Box::new(m20261125_100012_create_labels::Migration),
            Box::new(m20261125_100013_create_project_labels::Migration),
            Box::new(m20261125_100014_create_files::Migration),
            Box::new(m20261125_100015_create_role_labels::Migration),
            Box::new(m20261125_100016_create_project_members::Migration),
            Box::new(m20261125_100017_create_notice_reads::Migration),
            Box::new(m20261205_100018_expire_temporary_passwords::Migration),
            Box::new(m20261205_100019_create_access_log_outbox::Migration),
            Box::new(m20261207_100020_create_exports::Migration),
            Box::new(m20261207_100021_create_security_contacts::Migration),
            Box::new(m20261207_100022_create_file_evaluations::Migration),
        ]
    }
}
