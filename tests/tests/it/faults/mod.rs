//! `make faults`: dependencies that fail under load (issue 15). Each test
//! runs only with CREPO_FAULTS=1 (they take their time, start their own
//! PostgreSQL cluster and moto_server) and prints, per fault, the time to the
//! first 503, the recovery time and the acknowledged writes it checked.

mod crash;
mod database;
mod disk;
mod services;

fn enabled() -> bool {
    std::env::var("CREPO_FAULTS").is_ok_and(|v| v == "1")
}
