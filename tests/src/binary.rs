//! The `crepo` binary as a process: found beside the test executable (in
//! whatever target directory cargo builds into), started on a free port, stopped
//! with SIGTERM.

use std::{
    path::PathBuf,
    process::{Child, Command, ExitStatus},
    time::{Duration, Instant},
};

use serde_json::{json, Value};

use crate::{signup_body, TestEnv};

/// The `crepo` binary of this build: `CREPO_BIN` when set, else `crepo` in
/// the profile directory the running test executable was built into (its
/// `deps/` parent), so a target directory outside the workspace
/// (`CARGO_TARGET_DIR`) is found too.
pub fn crepo_bin() -> PathBuf {
    let bin = match std::env::var_os("CREPO_BIN") {
        Some(path) => PathBuf::from(path),
        None => {
            let exe = std::env::current_exe().unwrap();
            let mut dir = exe.parent().unwrap();
            if dir.ends_with("deps") {
                dir = dir.parent().unwrap();
            }
            dir.join(format!("crepo{}", std::env::consts::EXE_SUFFIX))
        }
    };
    assert!(
        bin.exists(),
        "{} missing: run `cargo build --bin crepo` first (make test does), or set CREPO_BIN",
        bin.display()
    );
    bin
}

/// `crepo` with exactly `env`'s variables, logging warnings only.
pub fn crepo(env: &TestEnv) -> Command {
    let mut cmd = Command::new(crepo_bin());
    cmd.env_clear()
        .envs(env.vars.iter())
        .env("CREPO_LOG", "warn");
    cmd
}

/// Runs `cmd` to its end off the test's runtime thread: the in-process
/// app's background tasks (the access-log writer) run on that thread, and a
/// command waiting for a lock they hold must not stop them.
pub async fn output(mut cmd: Command) -> std::process::Output {
    tokio::task::spawn_blocking(move || cmd.output().unwrap())
        .await
        .unwrap()
}

/// A port free at the time of asking.
pub fn free_port() -> u16 {
    std::net::TcpListener::bind("127.0.0.1:0")
        .unwrap()
        .local_addr()
        .unwrap()
        .port()
}

/// `crepo serve` on `port` with `env`'s variables; add more before [`Server::start`].
pub fn serve(env: &TestEnv, port: u16) -> Command {
    let mut cmd = crepo(env);
    cmd.arg("serve")
        .env("CREPO_LISTEN", format!("127.0.0.1:{port}"));
    cmd
}

/// A `crepo serve` process, answering on `port`.
pub struct Server {
    pub child: Child,
    pub port: u16,
    pub http: reqwest::Client,
}

impl Server {
    /// Spawns `cmd` (from [`serve`]) and waits until `/health/live` answers 200.
    pub async fn start(mut cmd: Command, port: u16) -> Server {
        let mut server = Server {
            child: cmd.spawn().unwrap(),
            port,
            http: reqwest::Client::new(),
        };
        let live = server.url("/health/live");
        let deadline = Instant::now() + Duration::from_secs(20);
        loop {
            if let Some(status) = server.child.try_wait().unwrap() {
                panic!("crepo serve exited before answering: {status}");
            }
            let res = server.http.get(&live).send().await;
            if res.is_ok_and(|r| r.status() == 200) {
                return server;
            }
            assert!(Instant::now() < deadline, "crepo serve did not start");
            tokio::time::sleep(Duration::from_millis(100)).await;
        }
    }

    pub fn url(&self, path: &str) -> String {
        format!("http://127.0.0.1:{}{path}", self.port)
    }

    pub fn pid(&self) -> u32 {
        self.child.id()
    }

    /// Sends SIGTERM.
    pub fn sigterm(&self) {
        let sent = Command::new("kill")
            .args(["-TERM", &self.pid().to_string()])
            .status()
            .unwrap();
        assert!(sent.success());
    }

    /// Waits for the process to exit, at most `limit`.
    pub async fn exit_within(&mut self, limit: Duration) -> ExitStatus {
        let started = Instant::now();
        loop {
            if let Some(status) = self.child.try_wait().unwrap() {
                return status;
            }
            assert!(started.elapsed() < limit, "no exit within {limit:?}");
            tokio::time::sleep(Duration::from_millis(50)).await;
        }
    }

    /// SIGTERM, then the exit status (within 15 seconds).
    pub async fn stop(&mut self) -> ExitStatus {
        self.sigterm();
        self.exit_within(Duration::from_secs(15)).await
    }

    /// Signs up `slug` (with [`signup_body`]) and signs its admin in with the
    /// SMS code from `env`'s outbox; returns the access token.
    pub async fn admin_token(&self, env: &TestEnv, slug: &str) -> String {
        let signup = signup_body(slug);
        let res = self
            .http
            .post(self.url("/api/v1/signup"))
            .json(&signup)
            .send()
            .await
            .unwrap();
        assert_eq!(res.status(), 201, "{}", res.text().await.unwrap());
        let login: Value = self
            .post(
                "/api/v1/auth/login",
                &json!({ "tenant": slug, "email": signup["email"], "password": signup["password"] }),
            )
            .await;
        let code = env.last_code(signup["phone"].as_str().unwrap());
        let tokens = self
            .post(
                "/api/v1/auth/mfa",
                &json!({ "mfa_token": login["mfa_token"], "code": code }),
            )
            .await;
        tokens["access_token"].as_str().unwrap().to_owned()
    }

    async fn post(&self, path: &str, body: &Value) -> Value {
        let res = self
            .http
            .post(self.url(path))
            .json(body)
            .send()
            .await
            .unwrap();
        assert_eq!(res.status(), 200, "{path}");
        res.json().await.unwrap()
    }
}

impl Drop for Server {
    /// A test that fails half-way leaves no server behind.
    fn drop(&mut self) {
        if matches!(self.child.try_wait(), Ok(None)) {
            let _ = self.child.kill();
            let _ = self.child.wait();
        }
    }
}
