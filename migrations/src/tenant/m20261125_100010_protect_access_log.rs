use sea_orm_migration::{prelude::*, sea_orm::DbBackend};

#[derive(DeriveMigrationName)]
pub struct Migration;

/// Append-only in the database itself: UPDATE and DELETE on `access_log` are
/// refused. The retention purge is the one exception, and must say so inside
/// its own transaction (PostgreSQL: `SET LOCAL crepo.access_log_purge = 'on'`;
/// SQLite: a row in `access_log_purge_permit`, deleted before commit).
#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        let db = manager.get_connection();
        match manager.get_database_backend() {
            DbBackend::Postgres => {
                db.execute_unprepared(
                    "CREATE FUNCTION access_log_append_only() RETURNS trigger LANGUAGE plpgsql AS $$
                     BEGIN
                       IF TG_OP = 'DELETE' AND current_setting('crepo.access_log_purge', true) = 'on' THEN
                         RETURN OLD;
                       END IF;
                       RAISE EXCEPTION 'access_log is append-only (% refused)', TG_OP
                         USING ERRCODE = 'insufficient_privilege';
                     END $$",
                )
                .await?;
                db.execute_unprepared(
                    "CREATE TRIGGER access_log_append_only BEFORE UPDATE OR DELETE ON access_log
                     FOR EACH ROW EXECUTE FUNCTION access_log_append_only()",
                )
                .await?;
                db.execute_unprepared(
                    "CREATE TRIGGER access_log_no_truncate BEFORE TRUNCATE ON access_log
                     FOR EACH STATEMENT EXECUTE FUNCTION access_log_append_only()",
                )
                .await?;
            }
            _ => {
                db.execute_unprepared(
                    "CREATE TABLE access_log_purge_permit (id INTEGER PRIMARY KEY)",
                )
                .await?;
                db.execute_unprepared(
                    "CREATE TRIGGER access_log_no_update BEFORE UPDATE ON access_log
                     BEGIN SELECT RAISE(ABORT, 'access_log is append-only (UPDATE refused)'); END",
                )
                .await?;
                db.execute_unprepared(
                    "CREATE TRIGGER access_log_no_delete BEFORE DELETE ON access_log
                     WHEN NOT EXISTS (SELECT 1 FROM access_log_purge_permit)
                     BEGIN SELECT RAISE(ABORT, 'access_log is append-only (DELETE refused)'); END",
                )
                .await?;
            }
        }
        Ok(())
    }

    async fn down(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        let db = manager.get_connection();
        match manager.get_database_backend() {
            DbBackend::Postgres => {
                db.execute_unprepared(
                    "DROP TRIGGER IF EXISTS access_log_no_truncate ON access_log",
                )
                .await?;
                db.execute_unprepared(
                    "DROP TRIGGER IF EXISTS access_log_append_only ON access_log",
                )
                .await?;
                db.execute_unprepared("DROP FUNCTION IF EXISTS access_log_append_only()")
                    .await?;
            }
            _ => {
                db.execute_unprepared("DROP TRIGGER IF EXISTS access_log_no_delete")
                    .await?;
                db.execute_unprepared("DROP TRIGGER IF EXISTS access_log_no_update")
                    .await?;
                db.execute_unprepared("DROP TABLE IF EXISTS access_log_purge_permit")
                    .await?;
            }
        }
        Ok(())
    }
}
