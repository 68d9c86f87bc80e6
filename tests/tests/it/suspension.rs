//! An operator suspends a tenant (CLD.8.1.5): its sessions end at once, its
//! users' sign-in says `tenant_suspended` (only after the right password),
//! its data stays, other tenants go on; resuming lets them in again.

use crepo_tests::{
    assert_problem,
    binary::{crepo, output},
    operators::operator,
    TestApp,
};
use reqwest::Method;
use serde_json::{json, Value};

const PW: &str = "correct horse battery staple";

#[tokio::test]
async fn a_suspended_tenant_is_locked_out_with_its_data_kept_until_resumed() {
    let app = TestApp::spawn().await;
    let s = app.admin("paused").await;
    let neighbour = app.admin("neighbour").await;
    let project = app
        .send_auth(
            Method::POST,
            "/api/v1/projects",
            &s.access,
            Some(&json!({ "name": "残る案件" })),
        )
        .await;
    assert_eq!(project.status(), 201);
    let ops = operator(&app, "ops@crepo.example").await;
    let path = format!("/api/v1/ops/tenants/{}/suspend", s.tenant_id);

    assert_problem(
        app.send_auth(Method::POST, &path, &ops, Some(&json!({ "reason": "" })))
            .await,
        422,
        "validation_failed",
    )
    .await;
    // A tenant user's token opens nothing here.
    assert_eq!(
        app.send_auth(
            Method::POST,
            &path,
            &s.access,
            Some(&json!({ "reason": "x" }))
        )
        .await
        .status(),
        401
    );
    let res = app
        .send_auth(
            Method::POST,
            &path,
            &ops,
            Some(&json!({ "reason": "未払い (請求書 #42)" })),
        )
        .await;
    assert_eq!(res.status(), 200, "{}", res.text().await.unwrap());
    let t: Value = res.json().await.unwrap();
    assert_eq!(t["status"], "suspended");
    assert_eq!(t["suspended_reason"], "未払い (請求書 #42)");
    assert!(t["suspended_at"].is_string());
    assert_problem(
        app.send_auth(
            Method::POST,
            &path,
            &ops,
            Some(&json!({ "reason": "again" })),
        )
        .await,
        409,
        "tenant_not_active",
    )
    .await;

    // The live access token, the refresh token and a fresh sign-in all stop.
    assert_problem(
        app.get_auth("/api/v1/me", &s.access).await,
        403,
        "tenant_suspended",
    )
    .await;
    // The refresh token's session was ended by the suspension, and says so.
    let refreshed = app
        .post_json(
            "/api/v1/auth/refresh",
            &json!({ "refresh_token": s.refresh }),
        )
        .await;
    assert_problem(refreshed, 403, "tenant_suspended").await;
    let forged = app
        .post_json(
            "/api/v1/auth/refresh",
            &json!({ "refresh_token": format!("crt_{}_{}", s.tenant_id, "A".repeat(43)) }),
        )
        .await;
    assert_eq!(forged.status(), 401, "a made-up token learns nothing");
    assert_problem(
        app.login("paused", "owner@paused.example", PW).await,
        403,
        "tenant_suspended",
    )
    .await;
    // A wrong password learns nothing about the tenant's state.
    assert_problem(
        app.login("paused", "owner@paused.example", "wrong password entirely")
            .await,
        401,
        "invalid_credentials",
    )
    .await;
    // Other tenants go on.
    assert_eq!(
        app.get_auth("/api/v1/me", &neighbour.access).await.status(),
        200
    );

    let audit: Value = app
        .get_auth("/api/v1/ops/audit?action=tenant.suspended", &ops)
        .await
        .json()
        .await
        .unwrap();
    assert_eq!(
        audit["items"][0]["details"]["reason"], "未払い (請求書 #42)",
        "{audit}"
    );
    assert_eq!(audit["items"][0]["details"]["sessions_ended"], 1);

    let resume = format!("/api/v1/ops/tenants/{}/resume", s.tenant_id);
    let res = app
        .send_auth(
            Method::POST,
            &resume,
            &ops,
            Some(&json!({ "reason": "入金確認" })),
        )
        .await;
    assert_eq!(res.status(), 200);
    let t: Value = res.json().await.unwrap();
    assert_eq!(t["status"], "active");
    assert!(t["suspended_reason"].is_null());
    assert_problem(
        app.send_auth(
            Method::POST,
            &resume,
            &ops,
            Some(&json!({ "reason": "again" })),
        )
        .await,
        409,
        "tenant_not_suspended",
    )
    .await;

    // Back in, with everything still there, and the tenant's own log says what happened.
    let back = app.admin_session("paused").await;
    let projects: Value = app
        .get_auth("/api/v1/projects", &back.access)
        .await
        .json()
        .await
        .unwrap();
    assert_eq!(projects["items"][0]["name"], "残る案件");
    app.settle_log().await;
    let log: Value = app
        .get_auth("/api/v1/access-logs?event=tenant.", &back.access)
        .await
        .json()
        .await
        .unwrap();
    let events: Vec<&str> = log["items"]
        .as_array()
        .unwrap()
        .iter()
        .map(|e| e["event"].as_str().unwrap())
        .collect();
    assert!(
        events.contains(&"tenant.suspended") && events.contains(&"tenant.resumed"),
        "{events:?}"
    );
}

#[tokio::test]
async fn the_cli_suspends_and_resumes_a_tenant_too() {
    let app = TestApp::spawn().await;
    let s = app.admin("clied").await;
    let run = async |verb: &str| {
        let mut cmd = crepo(&app.env);
        cmd.args([
            "tenant",
            verb,
            &s.tenant_id.to_string(),
            "--reason",
            "調査のため",
        ]);
        let out = output(cmd).await;
        (
            out.status.success(),
            String::from_utf8_lossy(&out.stdout).to_string()
                + &String::from_utf8_lossy(&out.stderr),
        )
    };
    let (ok, said) = run("suspend").await;
    assert!(
        ok && said.contains("suspended, 1 session(s) ended"),
        "{said}"
    );
    assert_problem(
        app.get_auth("/api/v1/me", &s.access).await,
        403,
        "tenant_suspended",
    )
    .await;
    let (ok, said) = run("suspend").await;
    assert!(!ok && said.contains("only an active tenant"), "{said}");
    let (ok, said) = run("resume").await;
    assert!(ok, "{said}");
    assert_eq!(
        app.get_auth("/api/v1/me", &app.admin_session("clied").await.access)
            .await
            .status(),
        200
    );
}
