use sea_orm_migration::{prelude::*, schema::*, sea_orm::DbBackend};

#[derive(DeriveMigrationName)]
pub struct Migration;

/// A tenant administrator's request to end the service.
#[derive(DeriveIden)]
enum Tenants {
    Table,
    TerminationRequestedAt,
    TerminationRequestedBy,
    /// The terms of use accepted at sign-up, and when.
    TermsVersion,
    TermsAcceptedAt,
}

/// A redacted audit entry keeps the digest of what it said, so the chain
/// still verifies (CLD.8.1.5: a deleted tenant's data leaves the audit too).
#[derive(DeriveIden)]
enum PlatformAudit {
    Table,
    RedactedDigest,
}

/// A tenant being deleted, until the deletion certificate is written: what
/// the deletion needs to finish after an interruption.
#[derive(DeriveIden)]
enum TenantErasures {
    Table,
    TenantId,
    Slug,
    RequestedAt,
    StartedAt,
    OperatorEmail,
    /// Rows counted before the schema was dropped (JSON).
    Counts,
    /// Values to scrub from platform rows: e-mail addresses and phones (JSON).
    Needles,
    ObjectsRemoved,
    LastCheckpoint,
}

/// Slugs of deleted tenants (as SHA-256, not the slug itself) and until
/// when no one may take them.
#[derive(DeriveIden)]
enum SlugQuarantine {
    Table,
    SlugSha256,
    Until,
}

const PG: &[&str] = &[
    "CREATE FUNCTION platform_erasable() RETURNS trigger LANGUAGE plpgsql AS $$
     BEGIN
       IF TG_OP = 'DELETE' AND EXISTS (SELECT 1 FROM tenant_erasures e WHERE e.tenant_id = OLD.tenant_id) THEN
         RETURN OLD;
       END IF;
       RAISE EXCEPTION '% is append-only (% refused)', TG_TABLE_NAME, TG_OP
         USING ERRCODE = 'insufficient_privilege';
     END $$",
    "DROP TRIGGER checkpoints_append_only ON access_log_checkpoints",
    "CREATE TRIGGER checkpoints_append_only BEFORE UPDATE OR DELETE ON access_log_checkpoints
     FOR EACH ROW EXECUTE FUNCTION platform_erasable()",
    "CREATE OR REPLACE FUNCTION anchor_forward_only() RETURNS trigger LANGUAGE plpgsql AS $$
     BEGIN
       IF TG_OP = 'UPDATE' AND NEW.tenant_id = OLD.tenant_id AND NEW.seq > OLD.seq THEN
         RETURN NEW;
       END IF;
       IF TG_OP = 'DELETE' AND EXISTS (SELECT 1 FROM tenant_erasures e WHERE e.tenant_id = OLD.tenant_id) THEN
         RETURN OLD;
       END IF;
       RAISE EXCEPTION 'access_log_anchors only move forward (% refused)', TG_OP
         USING ERRCODE = 'insufficient_privilege';
     END $$",
    "CREATE FUNCTION audit_redact_only() RETURNS trigger LANGUAGE plpgsql AS $$
     BEGIN
       IF TG_OP = 'UPDATE' AND OLD.redacted_digest IS NULL AND NEW.redacted_digest IS NOT NULL
          AND NEW.id = OLD.id AND NEW.at = OLD.at AND NEW.action = OLD.action
          AND NEW.actor_kind IS NOT DISTINCT FROM OLD.actor_kind
          AND NEW.actor_id IS NOT DISTINCT FROM OLD.actor_id
          AND NEW.actor_email IS NOT DISTINCT FROM OLD.actor_email
          AND NEW.target_kind IS NOT DISTINCT FROM OLD.target_kind
          AND NEW.ip IS NOT DISTINCT FROM OLD.ip
          AND NEW.request_id IS NOT DISTINCT FROM OLD.request_id
          AND NEW.prev_hash IS NOT DISTINCT FROM OLD.prev_hash
          AND NEW.hash IS NOT DISTINCT FROM OLD.hash
          AND NEW.target_id IS NULL AND NEW.details = '{\"redacted\":true}' THEN
         RETURN NEW;
       END IF;
       RAISE EXCEPTION 'platform_audit is append-only (% refused)', TG_OP
         USING ERRCODE = 'insufficient_privilege';
     END $$",
    "DROP TRIGGER audit_append_only ON platform_audit",
    "CREATE TRIGGER audit_append_only BEFORE UPDATE OR DELETE ON platform_audit
     FOR EACH ROW EXECUTE FUNCTION audit_redact_only()",
];

const SQLITE: &[&str] = &[
    "DROP TRIGGER checkpoints_no_delete",
    "CREATE TRIGGER checkpoints_delete_only_erased BEFORE DELETE ON access_log_checkpoints
     WHEN NOT EXISTS (SELECT 1 FROM tenant_erasures e WHERE e.tenant_id = OLD.tenant_id)
     BEGIN SELECT RAISE(ABORT, 'access_log_checkpoints is append-only (DELETE refused)'); END",
    "DROP TRIGGER anchors_no_delete",
    "CREATE TRIGGER anchors_delete_only_erased BEFORE DELETE ON access_log_anchors
     WHEN NOT EXISTS (SELECT 1 FROM tenant_erasures e WHERE e.tenant_id = OLD.tenant_id)
     BEGIN SELECT RAISE(ABORT, 'access_log_anchors only move forward (DELETE refused)'); END",
    "DROP TRIGGER audit_no_update",
    "CREATE TRIGGER audit_update_only_redaction BEFORE UPDATE ON platform_audit
     WHEN NOT (OLD.redacted_digest IS NULL AND NEW.redacted_digest IS NOT NULL
       AND NEW.id = OLD.id AND NEW.at = OLD.at AND NEW.action = OLD.action
       AND NEW.actor_kind IS OLD.actor_kind AND NEW.actor_id IS OLD.actor_id
       AND NEW.actor_email IS OLD.actor_email AND NEW.target_kind IS OLD.target_kind
       AND NEW.ip IS OLD.ip AND NEW.request_id IS OLD.request_id
       AND NEW.prev_hash IS OLD.prev_hash AND NEW.hash IS OLD.hash
       AND NEW.target_id IS NULL AND NEW.details = '{\"redacted\":true}')
     BEGIN SELECT RAISE(ABORT, 'platform_audit is append-only (UPDATE refused)'); END",
];

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        for col in [
            timestamp_with_time_zone_null(Tenants::TerminationRequestedAt),
            text_null(Tenants::TerminationRequestedBy),
            text_null(Tenants::TermsVersion),
            timestamp_with_time_zone_null(Tenants::TermsAcceptedAt),
        ] {
            let mut col = col;
            manager
                .alter_table(
                    Table::alter()
                        .table(Tenants::Table)
                        .add_column(&mut col)
                        .to_owned(),
                )
                .await?;
        }
        manager
            .alter_table(
                Table::alter()
                    .table(PlatformAudit::Table)
                    .add_column(text_null(PlatformAudit::RedactedDigest))
                    .to_owned(),
            )
            .await?;
        manager
            .create_table(
                Table::create()
                    .table(TenantErasures::Table)
                    .col(uuid(TenantErasures::TenantId).primary_key())
                    .col(text(TenantErasures::Slug))
                    .col(timestamp_with_time_zone_null(TenantErasures::RequestedAt))
                    .col(timestamp_with_time_zone(TenantErasures::StartedAt))
                    .col(text_null(TenantErasures::OperatorEmail))
                    .col(text(TenantErasures::Counts))
                    .col(text(TenantErasures::Needles))
                    .col(big_integer(TenantErasures::ObjectsRemoved).default(0))
                    .col(text_null(TenantErasures::LastCheckpoint))
                    .to_owned(),
            )
            .await?;
        manager
            .create_table(
                Table::create()
                    .table(SlugQuarantine::Table)
                    .col(string(SlugQuarantine::SlugSha256).primary_key())
                    .col(timestamp_with_time_zone(SlugQuarantine::Until))
                    .to_owned(),
            )
            .await?;
        let statements = match manager.get_database_backend() {
            DbBackend::Postgres => PG,
            _ => SQLITE,
        };
        let db = manager.get_connection();
        for sql in statements {
            db.execute_unprepared(sql).await?;
        }
        Ok(())
    }

    async fn down(&self, _manager: &SchemaManager) -> Result<(), DbErr> {
        Err(DbErr::Migration(
            "the termination migration is not reversible: it guards erasures".into(),
        ))
    }
}
