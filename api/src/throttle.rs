//! Fixed-window rate limits kept in the platform database, so every API node
//! counts the same hits.

use chrono::{DateTime, Utc};
use sea_orm::{
    sea_query::{Alias, Expr, OnConflict, Query},
    ConnectionTrait, DbErr,
};

use crate::{config::RateLimit, db::Db, error::ApiError};

fn col(name: &str) -> Alias {
    Alias::new(name)
}

/// Counts one hit on `key`; beyond `limit` in the current window the answer is
/// 429 with the seconds until the window ends.
pub async fn hit(db: &Db, key: &str, limit: RateLimit, now: DateTime<Utc>) -> Result<(), ApiError> {
    let window = limit.window.as_secs().max(1) as i64;
    let now_s = now.timestamp();
    let start = now_s - now_s.rem_euclid(window);
    let hits = count(db, key, start).await?;
    if hits > i64::from(limit.count) {
        return Err(ApiError::TooManyRequests {
            retry_after: (start + window - now_s).max(1) as u64,
        });
    }
    Ok(())
}

async fn count(db: &Db, key: &str, window_start: i64) -> Result<i64, DbErr> {
    let table = col("rate_limits");
    let stmt = Query::insert()
        .into_table(table.clone())
        .columns([col("key"), col("window_start"), col("hits")])
        .values([key.into(), window_start.into(), 1i32.into()])
        .map_err(|e| DbErr::Custom(e.to_string()))?
        .on_conflict(
            OnConflict::column(col("key"))
                .value(
                    col("hits"),
                    Expr::case(
                        Expr::col((table.clone(), col("window_start"))).eq(window_start),
                        Expr::col((table.clone(), col("hits"))).add(1),
                    )
                    .finally(1),
                )
                .value(col("window_start"), window_start)
                .to_owned(),
        )
        .returning_col(col("hits"))
        .to_owned();
    let conn = db.platform();
    let row = conn
        .query_one(conn.get_database_backend().build(&stmt))
        .await?
        .ok_or_else(|| DbErr::Custom("rate limit upsert returned no row".into()))?;
    let hits: i32 = row.try_get("", "hits")?;
    Ok(i64::from(hits))
}

/// Drops counters of windows long past (called by the background prober).
pub async fn purge_expired(db: &Db, now: DateTime<Utc>) -> Result<u64, DbErr> {
    let stmt = Query::delete()
        .from_table(col("rate_limits"))
        .and_where(Expr::col(col("window_start")).lt(now.timestamp() - 86_400))
        .to_owned();
    let conn = db.platform();
    Ok(conn
        .execute(conn.get_database_backend().build(&stmt))
        .await?
        .rows_affected())
}
