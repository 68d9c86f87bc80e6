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

/// The key of `kind` for a client: its address, or for IPv6 its /64 (a host
/// usually holds the whole block, so counting single addresses would let it
/// rotate through billions of them).
pub fn client_key(kind: &str, ip: std::net::IpAddr) -> String {
    match ip {
        std::net::IpAddr::V4(ip) => format!("{kind}:{ip}"),
        std::net::IpAddr::V6(ip) => match ip.to_ipv4_mapped() {
            Some(v4) => format!("{kind}:{v4}"),
            None => {
                let s = ip.segments();
                format!("{kind}:{:x}:{:x}:{:x}:{:x}::/64", s[0], s[1], s[2], s[3])
            }
        },
    }
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

#[cfg(test)]
mod tests {
    use super::client_key;

    #[test]
    fn ipv6_clients_count_by_their_64_block() {
        let a = client_key("login", "2001:db8:1:2:aaaa::1".parse().unwrap());
        let b = client_key("login", "2001:db8:1:2:ffff:1:2:3".parse().unwrap());
        let other = client_key("login", "2001:db8:1:3::1".parse().unwrap());
        assert_eq!(a, b);
        assert_ne!(a, other);
        assert_eq!(
            client_key("login", "192.0.2.7".parse().unwrap()),
            "login:192.0.2.7"
        );
        assert_eq!(
            client_key("login", "::ffff:192.0.2.7".parse().unwrap()),
            "login:192.0.2.7"
        );
    }
}
