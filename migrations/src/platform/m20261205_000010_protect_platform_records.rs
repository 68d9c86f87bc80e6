use sea_orm_migration::{prelude::*, schema::*, sea_orm::DbBackend};

use super::m20261125_000005_create_access_log_checkpoints::AccessLogCheckpoints;

#[derive(DeriveMigrationName)]
pub struct Migration;

#[derive(DeriveIden)]
enum Chain {
    /// The signature of the tenant's previous checkpoint, signed with this
    /// one: a deleted checkpoint breaks the chain (null on older rows).
    PrevSignature,
}

/// What vouches for the tenants' logs is append-only too: checkpoints and
/// the platform audit refuse UPDATE, DELETE and TRUNCATE; an anchor only
/// moves forward (its seq grows) and is never deleted.
#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        manager
            .alter_table(
                Table::alter()
                    .table(AccessLogCheckpoints::Table)
                    .add_column(text_null(Chain::PrevSignature))
                    .to_owned(),
            )
            .await?;
        let db = manager.get_connection();
        let statements: &[&str] = match manager.get_database_backend() {
            DbBackend::Postgres => &[
                "CREATE FUNCTION platform_append_only() RETURNS trigger LANGUAGE plpgsql AS $$
                 BEGIN
                   RAISE EXCEPTION '% is append-only (% refused)', TG_TABLE_NAME, TG_OP
                     USING ERRCODE = 'insufficient_privilege';
                 END $$",
                "CREATE FUNCTION anchor_forward_only() RETURNS trigger LANGUAGE plpgsql AS $$
                 BEGIN
                   IF TG_OP = 'UPDATE' AND NEW.tenant_id = OLD.tenant_id AND NEW.seq > OLD.seq THEN
                     RETURN NEW;
                   END IF;
                   RAISE EXCEPTION 'access_log_anchors only move forward (% refused)', TG_OP
                     USING ERRCODE = 'insufficient_privilege';
                 END $$",
                "CREATE TRIGGER checkpoints_append_only BEFORE UPDATE OR DELETE ON access_log_checkpoints
                 FOR EACH ROW EXECUTE FUNCTION platform_append_only()",
                "CREATE TRIGGER checkpoints_no_truncate BEFORE TRUNCATE ON access_log_checkpoints
                 FOR EACH STATEMENT EXECUTE FUNCTION platform_append_only()",
                "CREATE TRIGGER audit_append_only BEFORE UPDATE OR DELETE ON platform_audit
                 FOR EACH ROW EXECUTE FUNCTION platform_append_only()",
                "CREATE TRIGGER audit_no_truncate BEFORE TRUNCATE ON platform_audit
                 FOR EACH STATEMENT EXECUTE FUNCTION platform_append_only()",
                "CREATE TRIGGER anchors_forward_only BEFORE UPDATE OR DELETE ON access_log_anchors
                 FOR EACH ROW EXECUTE FUNCTION anchor_forward_only()",
                "CREATE TRIGGER anchors_no_truncate BEFORE TRUNCATE ON access_log_anchors
                 FOR EACH STATEMENT EXECUTE FUNCTION platform_append_only()",
            ],
            _ => &[
                "CREATE TRIGGER checkpoints_no_update BEFORE UPDATE ON access_log_checkpoints
                 BEGIN SELECT RAISE(ABORT, 'access_log_checkpoints is append-only (UPDATE refused)'); END",
                "CREATE TRIGGER checkpoints_no_delete BEFORE DELETE ON access_log_checkpoints
                 BEGIN SELECT RAISE(ABORT, 'access_log_checkpoints is append-only (DELETE refused)'); END",
                "CREATE TRIGGER audit_no_update BEFORE UPDATE ON platform_audit
                 BEGIN SELECT RAISE(ABORT, 'platform_audit is append-only (UPDATE refused)'); END",
                "CREATE TRIGGER audit_no_delete BEFORE DELETE ON platform_audit
                 BEGIN SELECT RAISE(ABORT, 'platform_audit is append-only (DELETE refused)'); END",
                "CREATE TRIGGER anchors_forward_only BEFORE UPDATE ON access_log_anchors
                 WHEN NEW.tenant_id != OLD.tenant_id OR NEW.seq <= OLD.seq
                 BEGIN SELECT RAISE(ABORT, 'access_log_anchors only move forward (UPDATE refused)'); END",
                "CREATE TRIGGER anchors_no_delete BEFORE DELETE ON access_log_anchors
                 BEGIN SELECT RAISE(ABORT, 'access_log_anchors only move forward (DELETE refused)'); END",
            ],
        };
        for sql in statements {
            db.execute_unprepared(sql).await?;
        }
        Ok(())
    }

    async fn down(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        let db = manager.get_connection();
        let statements: &[&str] = match manager.get_database_backend() {
            DbBackend::Postgres => &[
                "DROP TRIGGER IF EXISTS checkpoints_append_only ON access_log_checkpoints",
                "DROP TRIGGER IF EXISTS checkpoints_no_truncate ON access_log_checkpoints",
                "DROP TRIGGER IF EXISTS audit_append_only ON platform_audit",
                "DROP TRIGGER IF EXISTS audit_no_truncate ON platform_audit",
                "DROP TRIGGER IF EXISTS anchors_forward_only ON access_log_anchors",
                "DROP TRIGGER IF EXISTS anchors_no_truncate ON access_log_anchors",
                "DROP FUNCTION IF EXISTS anchor_forward_only()",
                "DROP FUNCTION IF EXISTS platform_append_only()",
            ],
            _ => &[
                "DROP TRIGGER IF EXISTS checkpoints_no_update",
                "DROP TRIGGER IF EXISTS checkpoints_no_delete",
                "DROP TRIGGER IF EXISTS audit_no_update",
                "DROP TRIGGER IF EXISTS audit_no_delete",
                "DROP TRIGGER IF EXISTS anchors_forward_only",
                "DROP TRIGGER IF EXISTS anchors_no_delete",
            ],
        };
        for sql in statements {
            db.execute_unprepared(sql).await?;
        }
        manager
            .alter_table(
                Table::alter()
                    .table(AccessLogCheckpoints::Table)
                    .drop_column(Chain::PrevSignature)
                    .to_owned(),
            )
            .await
    }
}
