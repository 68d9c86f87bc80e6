//! Looks for values everywhere a deleted tenant could have left them: every
//! row of every table of every schema (PostgreSQL) or SQLite file, each
//! column read as raw bytes, so UUIDs stored as 16 bytes are found too.

use sqlx::{Connection, Row};

use crate::{Engine, TestApp};

/// What a value looks like stored: as text, and a UUID also as its bytes.
pub fn forms(needle: &str) -> Vec<Vec<u8>> {
    let mut out = vec![needle.as_bytes().to_vec()];
    if let Ok(u) = uuid::Uuid::parse_str(needle) {
        out.push(u.as_bytes().to_vec());
        out.push(u.simple().to_string().into_bytes());
    }
    out
}

fn contains(hay: &[u8], needle: &[u8]) -> bool {
    !needle.is_empty() && hay.windows(needle.len()).any(|w| w == needle)
}

/// Each row holding one of `needles`: `(place, row bytes as lossy text)`.
pub async fn rows_mentioning(app: &TestApp, needles: &[String]) -> Vec<(String, String)> {
    let forms: Vec<Vec<u8>> = needles.iter().flat_map(|n| forms(n)).collect();
    let mut found = Vec::new();
    let mut check = |place: String, bytes: Vec<u8>| {
        if forms.iter().any(|f| contains(&bytes, f)) {
            found.push((place, String::from_utf8_lossy(&bytes).into_owned()));
        }
    };
    match crate::engine() {
        Engine::Postgres => {
            let url = app.env.vars["CREPO_DATABASE_URL"].clone();
            let mut conn = sqlx::PgConnection::connect(&url).await.unwrap();
            let tables: Vec<(String, String)> = sqlx::query_as(
                "SELECT table_schema::text, table_name::text FROM information_schema.tables
                 WHERE table_type = 'BASE TABLE' AND table_schema NOT IN ('pg_catalog', 'information_schema')",
            )
            .fetch_all(&mut conn)
            .await
            .unwrap();
            let schemas: Vec<(String,)> = sqlx::query_as("SELECT nspname::text FROM pg_namespace")
                .fetch_all(&mut conn)
                .await
                .unwrap();
            for (s,) in schemas {
                check(format!("schema {s}"), s.into_bytes());
            }
            for (schema, table) in tables {
                let rows = sqlx::query(&format!(
                    "SELECT t::text FROM \"{schema}\".\"{table}\" AS t"
                ))
                .fetch_all(&mut conn)
                .await
                .unwrap();
                for row in rows {
                    let text: String = row.get(0);
                    check(format!("{schema}.{table}"), text.into_bytes());
                }
            }
        }
        Engine::Sqlite => {
            let dir = app.env.data_dir.path();
            let mut files = vec![dir.join("crepo.db")];
            if let Ok(entries) = std::fs::read_dir(dir.join("tenants")) {
                files.extend(
                    entries
                        .flatten()
                        .map(|e| e.path())
                        .filter(|p| p.extension().is_some_and(|x| x == "db")),
                );
            }
            for file in files {
                let name = file.display().to_string();
                check(format!("file {name}"), name.clone().into_bytes());
                let url = format!("sqlite://{name}?mode=ro");
                let mut conn = sqlx::SqliteConnection::connect(&url).await.unwrap();
                let tables: Vec<(String,)> =
                    sqlx::query_as("SELECT name FROM sqlite_master WHERE type = 'table'")
                        .fetch_all(&mut conn)
                        .await
                        .unwrap();
                for (table,) in tables {
                    let rows = sqlx::query(&format!("SELECT * FROM \"{table}\""))
                        .fetch_all(&mut conn)
                        .await
                        .unwrap();
                    for row in rows {
                        let mut bytes = Vec::new();
                        for i in 0..row.len() {
                            let v: Option<Vec<u8>> = row.try_get_unchecked(i).unwrap_or(None);
                            bytes.extend(v.unwrap_or_default());
                            bytes.push(b'|');
                        }
                        check(format!("{name}:{table}"), bytes);
                    }
                }
            }
        }
    }
    found
}
