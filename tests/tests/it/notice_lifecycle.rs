//! Notices moving on: maintenance by its window (an injected clock),
//! incidents by their updates, and read marks that reset with each phase.

use chrono::Duration;
use crepo_tests::{
    assert_problem,
    notices::{find, maintenance, notice, published, seen},
    operators::{operator, operator_session},
    TestApp,
};
use reqwest::Method;
use serde_json::{json, Value};

#[tokio::test]
async fn maintenance_moves_from_scheduled_to_in_progress_to_completed_by_time() {
    let app = TestApp::spawn().await;
    let admin = app.admin("acme").await;
    let ops = operator(&app, "ops@crepo.example").await;
    let m = published(&app, &ops, &maintenance(Duration::days(8))).await;
    let cancelled = published(&app, &ops, &maintenance(Duration::days(9))).await;
    let path = format!("/api/v1/ops/notices/{}", cancelled["id"].as_str().unwrap());
    let res = app.send_auth(Method::DELETE, &path, &ops, None).await;
    assert_eq!(res.status(), 200);
    assert_eq!(res.json::<Value>().await.unwrap()["status"], "cancelled");

    let items = seen(&app, &admin.access).await;
    assert_eq!(find(&items, &m["id"]).unwrap()["status"], "scheduled");
    assert!(
        find(&items, &cancelled["id"]).is_none(),
        "cancelled maintenance is not shown"
    );

    app.state
        .clock
        .advance(Duration::days(8) + Duration::minutes(30));
    // Sessions time out by the same clock: sign in again.
    let admin = app.admin_session("acme").await;
    let items = seen(&app, &admin.access).await;
    assert_eq!(find(&items, &m["id"]).unwrap()["status"], "in_progress");

    app.state.clock.advance(Duration::hours(2));
    let admin = app.admin_session("acme").await;
    let ops = operator_session(&app, "ops@crepo.example").await;
    let items = seen(&app, &admin.access).await;
    assert!(
        find(&items, &m["id"]).is_none(),
        "completed maintenance leaves the list"
    );
    let all: Value = app
        .get_auth("/api/v1/ops/notices?kind=maintenance", &ops)
        .await
        .json()
        .await
        .unwrap();
    let statuses: Vec<&str> = all["items"]
        .as_array()
        .unwrap()
        .iter()
        .map(|n| n["status"].as_str().unwrap())
        .collect();
    assert_eq!(statuses, ["cancelled", "completed"], "{all}");
    let done = format!("/api/v1/ops/notices/{}", m["id"].as_str().unwrap());
    let res = app.send_auth(Method::DELETE, &done, &ops, None).await;
    assert_problem(res, 409, "notice_closed").await;
}
#[tokio::test]
async fn incidents_move_through_their_stages_with_timestamped_updates() {
    let app = TestApp::spawn().await;
    let admin = app.admin("acme").await;
    let ops = operator(&app, "ops@crepo.example").await;
    let incident = published(&app, &ops, &notice("incident", None)).await;
    assert_eq!(incident["status"], "investigating");
    let updates = format!(
        "/api/v1/ops/notices/{}/updates",
        incident["id"].as_str().unwrap()
    );
    for stage in ["identified", "monitoring", "resolved"] {
        let body = json!({ "status": stage, "body": { "ja": format!("{stage} です") } });
        let res = app
            .send_auth(Method::POST, &updates, &ops, Some(&body))
            .await;
        assert_eq!(res.status(), 201);
    }
    let bad = json!({ "status": "scheduled", "body": { "ja": "x" } });
    let res = app
        .send_auth(Method::POST, &updates, &ops, Some(&bad))
        .await;
    assert_problem(res, 422, "validation_failed").await;

    let items = seen(&app, &admin.access).await;
    let shown = find(&items, &incident["id"]).expect("resolved within 7 days is still shown");
    assert_eq!(shown["status"], "resolved");
    let stages: Vec<&str> = shown["updates"]
        .as_array()
        .unwrap()
        .iter()
        .map(|u| u["status"].as_str().unwrap())
        .collect();
    assert_eq!(stages, ["identified", "monitoring", "resolved"]);
    let times: Vec<&str> = shown["updates"]
        .as_array()
        .unwrap()
        .iter()
        .map(|u| u["at"].as_str().unwrap())
        .collect();
    assert!(times.windows(2).all(|w| w[0] <= w[1]), "{times:?}");

    let path = format!("/api/v1/ops/notices/{}", incident["id"].as_str().unwrap());
    let res = app.send_auth(Method::DELETE, &path, &ops, None).await;
    assert_problem(res, 409, "not_cancellable").await;
    let m = published(&app, &ops, &maintenance(Duration::days(8))).await;
    let m_updates = format!("/api/v1/ops/notices/{}/updates", m["id"].as_str().unwrap());
    let body = json!({ "status": "identified", "body": { "ja": "x" } });
    let res = app
        .send_auth(Method::POST, &m_updates, &ops, Some(&body))
        .await;
    assert_problem(res, 409, "no_updates").await;

    app.state
        .clock
        .advance(Duration::days(7) + Duration::minutes(1));
    let admin = app.admin_session("acme").await;
    let ops = operator_session(&app, "ops@crepo.example").await;
    let items = seen(&app, &admin.access).await;
    assert!(
        find(&items, &incident["id"]).is_none(),
        "resolved over 7 days ago is gone"
    );

    let audit: Value = app
        .get_auth("/api/v1/ops/audit", &ops)
        .await
        .json()
        .await
        .unwrap();
    let actions: Vec<&str> = audit["items"]
        .as_array()
        .unwrap()
        .iter()
        .map(|e| e["action"].as_str().unwrap())
        .collect();
    for action in ["notice.published", "notice.update_posted"] {
        assert!(
            actions.contains(&action),
            "{action} missing from {actions:?}"
        );
    }
}
#[tokio::test]
async fn a_notice_that_moves_to_a_new_phase_is_unread_again() {
    let app = TestApp::spawn().await;
    let admin = app.admin("acme").await;
    let ops = operator(&app, "ops@crepo.example").await;
    let m = published(&app, &ops, &maintenance(Duration::days(8))).await;
    let incident = published(&app, &ops, &notice("incident", None)).await;
    for n in [&m, &incident] {
        let path = format!("/api/v1/notices/{}/read", n["id"].as_str().unwrap());
        let res = app
            .send_auth(Method::POST, &path, &admin.access, None)
            .await;
        assert_eq!(res.status(), 204);
    }
    let items = seen(&app, &admin.access).await;
    assert_eq!(find(&items, &m["id"]).unwrap()["read"], true);
    assert_eq!(find(&items, &incident["id"]).unwrap()["read"], true);

    let updates = format!(
        "/api/v1/ops/notices/{}/updates",
        incident["id"].as_str().unwrap()
    );
    let body = json!({ "status": "identified", "body": { "ja": "原因を特定しました" } });
    assert_eq!(
        app.send_auth(Method::POST, &updates, &ops, Some(&body))
            .await
            .status(),
        201
    );
    app.state
        .clock
        .advance(Duration::days(8) + Duration::minutes(1));
    let admin = app.admin_session("acme").await;
    let items = seen(&app, &admin.access).await;
    let started = find(&items, &m["id"]).unwrap();
    assert_eq!(started["status"], "in_progress");
    assert_eq!(
        started["read"], false,
        "the maintenance has started: a new phase"
    );
    assert_eq!(
        find(&items, &incident["id"]).unwrap()["read"],
        false,
        "a new stage"
    );
}
