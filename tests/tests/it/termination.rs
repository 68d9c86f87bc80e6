//! Ending the service (CLD.8.1.5): the administrator's request (password,
//! typed slug, SMS code; withdrawable), and the deletion that leaves nothing
//! of the tenant anywhere but its certificate, even when interrupted.

use std::time::Duration;

use crepo_tests::{
    assert_problem, binary::crepo, moto::Moto, operators::operator, scan::rows_mentioning, Session,
    TestApp, TestEnv,
};
use reqwest::Method;
use serde_json::{json, Value};

use super::{
    exports::{finished, start_export},
    files::{new_project, upload},
};

const PW: &str = "correct horse battery staple";
const ADMIN_PHONE: &str = "+819012345678";

async fn challenge(app: &TestApp, s: &Session, password: &str, slug: &str) -> reqwest::Response {
    app.send_auth(
        Method::POST,
        "/api/v1/termination/challenge",
        &s.access,
        Some(&json!({ "current_password": password, "confirm_slug": slug })),
    )
    .await
}

async fn request(app: &TestApp, s: &Session) -> Value {
    let res = challenge(app, s, PW, &s.tenant).await;
    assert_eq!(res.status(), 202, "{}", res.text().await.unwrap());
    let c: Value = res.json().await.unwrap();
    let res = app
        .send_auth(
            Method::POST,
            "/api/v1/termination",
            &s.access,
            Some(&json!({ "challenge_token": c["challenge_token"], "code": app.last_code(ADMIN_PHONE) })),
        )
        .await;
    assert_eq!(res.status(), 202, "{}", res.text().await.unwrap());
    res.json().await.unwrap()
}

#[tokio::test]
async fn an_administrator_requests_termination_with_password_slug_and_code_and_may_withdraw_it() {
    let app = TestApp::spawn().await;
    let s = app.admin("leaving").await;
    let none: Value = app
        .get_auth("/api/v1/termination", &s.access)
        .await
        .json()
        .await
        .unwrap();
    assert_eq!(none["status"], "none");
    assert_eq!(none["slug"], "leaving");
    assert_eq!(none["grace_days"], 30);

    let wrong = assert_problem(
        challenge(&app, &s, "not my password", "leaving").await,
        422,
        "validation_failed",
    )
    .await;
    assert_eq!(wrong["errors"][0]["field"], "current_password");
    let typo = assert_problem(
        challenge(&app, &s, PW, "leavin").await,
        422,
        "validation_failed",
    )
    .await;
    assert_eq!(typo["errors"][0]["code"], "mismatch");
    let (_, viewer) = app
        .user(
            &s,
            "viewer@leaving.example",
            &["viewer"],
            None,
            "viewer passphrase 42",
        )
        .await;
    assert_problem(
        challenge(&app, &viewer, PW, "leaving").await,
        403,
        "permission_denied",
    )
    .await;

    // A wrong code requests nothing.
    let c: Value = challenge(&app, &s, PW, "leaving")
        .await
        .json()
        .await
        .unwrap();
    let res = app
        .send_auth(
            Method::POST,
            "/api/v1/termination",
            &s.access,
            Some(&json!({ "challenge_token": c["challenge_token"], "code": "000000" })),
        )
        .await;
    assert_eq!(res.status(), 401);
    let still: Value = app
        .get_auth("/api/v1/termination", &s.access)
        .await
        .json()
        .await
        .unwrap();
    assert_eq!(still["status"], "none");

    let requested = request(&app, &s).await;
    assert_eq!(requested["status"], "requested");
    assert_eq!(requested["requested_by_email"], "owner@leaving.example");
    let at =
        chrono::DateTime::parse_from_rfc3339(requested["requested_at"].as_str().unwrap()).unwrap();
    let due = chrono::DateTime::parse_from_rfc3339(requested["deletion_due_at"].as_str().unwrap())
        .unwrap();
    assert_eq!(due - at, chrono::Duration::days(30));
    assert_problem(
        challenge(&app, &s, PW, "leaving").await,
        409,
        "termination_requested",
    )
    .await;

    // Operators see it.
    let ops = operator(&app, "ops@crepo.example").await;
    let tenants: Value = app
        .get_auth("/api/v1/ops/tenants", &ops)
        .await
        .json()
        .await
        .unwrap();
    let t = &tenants["items"][0];
    assert_eq!(t["termination_requested_at"], requested["requested_at"]);
    assert_eq!(t["termination_due_at"], requested["deletion_due_at"]);

    let withdrawn = app
        .send_auth(Method::DELETE, "/api/v1/termination", &s.access, None)
        .await;
    assert_eq!(withdrawn.status(), 200);
    assert_eq!(withdrawn.json::<Value>().await.unwrap()["status"], "none");
    assert_problem(
        app.send_auth(Method::DELETE, "/api/v1/termination", &s.access, None)
            .await,
        409,
        "no_termination_request",
    )
    .await;
    app.settle_log().await;
    let log: Value = app
        .get_auth("/api/v1/access-logs?event=tenant.termination.", &s.access)
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
    assert_eq!(
        events,
        [
            "tenant.termination.withdrawn",
            "tenant.termination.requested"
        ]
    );
}

#[tokio::test]
async fn deleting_a_tenant_leaves_nothing_of_it_anywhere_but_its_certificate() {
    let moto = Moto::start().await;
    let s3 = moto.bucket("crepo-erase").await;
    let mut env = TestEnv::new().await;
    moto.configure(&mut env);
    env.set("CREPO_STORAGE", "s3://crepo-erase/prod");
    let app = TestApp::spawn_with(env).await;
    let doomed = app.admin("doomed").await;
    let keeper = app.admin("keeper").await;
    let ops = operator(&app, "ops@crepo.example").await;

    // Fill it: a labelled project with files, a user with a phone, log
    // entries, an export, an incident delivered to it, operator actions.
    let project = new_project(&app, &doomed).await;
    for name in ["案A.png", "案B.pdf"] {
        let res = upload(
            &app,
            &doomed,
            &project,
            name,
            "application/octet-stream",
            vec![7u8; 20_000],
        )
        .await;
        assert_eq!(res.status(), 201);
    }
    upload(
        &app,
        &keeper,
        &new_project(&app, &keeper).await,
        "keep.bin",
        "application/octet-stream",
        vec![1u8; 100],
    )
    .await;
    let staff_phone = "+819011112222";
    app.create_user(
        &doomed,
        "staff@doomed.example",
        &["admin"],
        Some(staff_phone),
    )
    .await;
    let e = start_export(&app, &doomed).await;
    assert_eq!(
        finished(&app, &doomed, e["id"].as_str().unwrap()).await["status"],
        "ready"
    );
    let incident =
        crepo_tests::notices::notice("incident", Some(vec![doomed.tenant_id.to_string()]));
    let n = crepo_tests::notices::published(&app, &ops, &incident).await;
    for _ in 0..100 {
        let d: Value = app
            .get_auth(
                &format!(
                    "/api/v1/ops/notices/{}/deliveries",
                    n["id"].as_str().unwrap()
                ),
                &ops,
            )
            .await
            .json()
            .await
            .unwrap();
        if d["items"]
            .as_array()
            .is_some_and(|i| !i.is_empty() && i.iter().all(|x| x["status"] == "sent"))
        {
            break;
        }
        tokio::time::sleep(Duration::from_millis(100)).await;
    }
    let extraction = app
        .get_auth(
            &format!("/api/v1/ops/tenants/{}/access-logs", doomed.tenant_id),
            &ops,
        )
        .await;
    assert_eq!(extraction.status(), 200);
    for verb in ["suspend", "resume"] {
        let res = app
            .send_auth(
                Method::POST,
                &format!("/api/v1/ops/tenants/{}/{verb}", doomed.tenant_id),
                &ops,
                Some(&json!({ "reason": "staff@doomed.example asked" })),
            )
            .await;
        assert_eq!(res.status(), 200);
    }
    let doomed = app.admin_session("doomed").await;
    request(&app, &doomed).await;
    app.settle_log().await;

    let res = app
        .send_auth(
            Method::DELETE,
            &format!("/api/v1/ops/tenants/{}", doomed.tenant_id),
            &ops,
            None,
        )
        .await;
    assert_eq!(res.status(), 200, "{}", res.text().await.unwrap());
    let cert: Value = res.json().await.unwrap();
    assert_eq!(cert["slug"], "doomed");
    assert!(cert["requested_at"].is_string(), "{cert}");
    assert_eq!(cert["operator_email"], "ops@crepo.example");
    assert!(cert["rows_removed"].as_i64().unwrap() > 10, "{cert}");
    assert!(
        cert["objects_removed"].as_i64().unwrap() >= 3,
        "two files and the export: {cert}"
    );
    assert_eq!(cert["last_checkpoint_sha256"].as_str().unwrap().len(), 64);

    // Its tokens open nothing; its slug is not free yet.
    assert_eq!(
        app.get_auth("/api/v1/me", &doomed.access).await.status(),
        401
    );
    assert_problem(
        app.login("doomed", "owner@doomed.example", PW).await,
        401,
        "invalid_credentials",
    )
    .await;
    assert_problem(
        app.signup(&crepo_tests::signup_body("doomed")).await,
        409,
        "tenant_slug_taken",
    )
    .await;
    // Deleting it again finds nothing to do.
    assert_problem(
        app.send_auth(
            Method::DELETE,
            &format!("/api/v1/ops/tenants/{}", doomed.tenant_id),
            &ops,
            None,
        )
        .await,
        404,
        "not_found",
    )
    .await;

    // Every table of every schema: only the certificate names it. (The
    // owner's phone is every test admin's, the keeper's too: its staff's
    // phone stands for the tenant's phones.)
    let needles = vec![
        doomed.tenant_id.to_string(),
        "\"doomed\"".to_owned(),
        "owner@doomed.example".to_owned(),
        "staff@doomed.example".to_owned(),
        staff_phone.to_owned(),
    ];
    let found = rows_mentioning(&app, &needles).await;
    let (certificates, others): (Vec<_>, Vec<_>) = found.into_iter().partition(|(place, row)| {
        place.contains("platform_audit") && row.contains("tenant.deleted")
    });
    assert_eq!(certificates.len(), 1, "{certificates:?}");
    assert!(others.is_empty(), "left behind: {others:#?}");
    // The whole bucket: nothing under its prefix, nothing mentioning it.
    let listed = s3
        .list_objects_v2()
        .bucket("crepo-erase")
        .send()
        .await
        .unwrap();
    for o in listed.contents() {
        let key = o.key().unwrap();
        assert!(!key.contains(&doomed.tenant_id.to_string()), "{key}");
        let body = s3
            .get_object()
            .bucket("crepo-erase")
            .key(key)
            .send()
            .await
            .unwrap()
            .body
            .collect()
            .await
            .unwrap()
            .into_bytes();
        assert!(!String::from_utf8_lossy(&body).contains("doomed"), "{key}");
    }
    assert!(!listed.contents().is_empty(), "the keeper's files stay");
    // The keeper goes on; the audit chain still verifies with the redactions.
    assert_eq!(
        app.get_auth("/api/v1/me", &keeper.access).await.status(),
        200
    );
    let out = crepo(&app.env).args(["audit", "verify"]).output().unwrap();
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stdout)
    );
}

#[tokio::test]
async fn an_interrupted_deletion_finishes_when_run_again() {
    let app = TestApp::spawn().await;
    let s = app.admin("halfway").await;
    let project = new_project(&app, &s).await;
    assert_eq!(
        upload(
            &app,
            &s,
            &project,
            "a.bin",
            "application/octet-stream",
            vec![1u8; 1000]
        )
        .await
        .status(),
        201
    );
    app.settle_log().await;
    let id = s.tenant_id.to_string();
    let died = crepo(&app.env)
        .args(["tenant", "delete", &id])
        .env("CREPO_FAULT_EXIT_AFTER_COMMIT", "tenant.erase.objects")
        .output()
        .unwrap();
    assert_eq!(
        died.status.code(),
        Some(86),
        "{}",
        String::from_utf8_lossy(&died.stderr)
    );
    // Half-way: nobody gets in any more.
    assert_eq!(app.get_auth("/api/v1/me", &s.access).await.status(), 401);
    let again = crepo(&app.env)
        .args(["tenant", "delete", &id])
        .output()
        .unwrap();
    let said = String::from_utf8_lossy(&again.stdout).to_string()
        + &String::from_utf8_lossy(&again.stderr);
    assert!(
        again.status.success() && said.contains("(halfway) deleted"),
        "{said}"
    );
    let found = rows_mentioning(&app, &[id.clone(), "owner@halfway.example".into()]).await;
    let others: Vec<_> = found
        .iter()
        .filter(|(_, row)| !row.contains("tenant.deleted"))
        .collect();
    assert!(others.is_empty(), "{others:#?}");
    assert_eq!(found.len(), 1, "one certificate: {found:#?}");
    assert!(!app.env.data_dir.path().join("objects").join(&id).exists());
    let third = crepo(&app.env)
        .args(["tenant", "delete", &id])
        .output()
        .unwrap();
    assert!(!third.status.success(), "nothing left to delete");
}
