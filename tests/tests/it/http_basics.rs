use crepo_tests::{assert_problem, TestApp};

#[tokio::test]
async fn a_sane_request_id_is_echoed_and_an_odd_one_replaced() {
    let app = TestApp::spawn().await;
    let res = app
        .client
        .get(app.url("/health/live"))
        .header("x-request-id", "trace-abc.123")
        .send()
        .await
        .unwrap();
    assert_eq!(res.headers()["x-request-id"], "trace-abc.123");

    for odd in ["bad id", "a\"b", &"x".repeat(200)] {
        let res = app
            .client
            .get(app.url("/health/live"))
            .header("x-request-id", odd)
            .send()
            .await
            .unwrap();
        let id = res.headers()["x-request-id"].to_str().unwrap().to_owned();
        assert!(uuid::Uuid::parse_str(&id).is_ok(), "{odd} gave {id}");
    }

    let res = app.get("/health/live").await;
    assert!(uuid::Uuid::parse_str(res.headers()["x-request-id"].to_str().unwrap()).is_ok());
}

#[tokio::test]
async fn every_response_carries_the_security_headers() {
    let app = TestApp::spawn().await;
    for path in ["/health/live", "/api/v1/nothing-here", "/docs/"] {
        let res = app.get(path).await;
        let h = res.headers();
        assert_eq!(h["x-content-type-options"], "nosniff", "{path}");
        assert_eq!(h["referrer-policy"], "no-referrer", "{path}");
        assert!(
            h["content-security-policy"]
                .to_str()
                .unwrap()
                .contains("frame-ancestors 'none'"),
            "{path}"
        );
        // Plain HTTP: no HSTS.
        assert!(h.get("strict-transport-security").is_none(), "{path}");
    }
}

#[tokio::test]
async fn unknown_routes_and_methods_answer_problem_json() {
    let app = TestApp::spawn().await;
    assert_problem(app.get("/api/v1/nothing-here").await, 404, "not_found").await;
    assert_problem(app.get("/nothing-here-either").await, 404, "not_found").await;
    let res = app
        .client
        .delete(app.url("/health/live"))
        .send()
        .await
        .unwrap();
    assert_eq!(res.headers()["allow"], "GET, HEAD");
    assert_problem(res, 405, "method_not_allowed").await;
    let res = app
        .client
        .get(app.url("/api/v1/signup"))
        .send()
        .await
        .unwrap();
    assert_eq!(res.headers()["allow"], "POST");
    assert_problem(res, 405, "method_not_allowed").await;
}

#[tokio::test]
async fn malformed_json_is_400_and_never_a_server_error() {
    let app = TestApp::spawn().await;
    for body in ["{", "not json", "{\"tenant_slug\": }", "", "\u{0}"] {
        let res = app
            .client
            .post(app.url("/api/v1/signup"))
            .header("content-type", "application/json")
            .body(body)
            .send()
            .await
            .unwrap();
        let status = res.status().as_u16();
        assert!(status == 400, "body {body:?} gave {status}");
        assert_problem(res, 400, "malformed_json").await;
    }
}

#[tokio::test]
async fn a_body_that_is_not_json_is_415() {
    let app = TestApp::spawn().await;
    let res = app
        .client
        .post(app.url("/api/v1/signup"))
        .header("content-type", "text/plain")
        .body("{}")
        .send()
        .await
        .unwrap();
    assert_problem(res, 415, "unsupported_media_type").await;
}

#[tokio::test]
async fn a_json_body_over_the_limit_is_413() {
    let app = TestApp::spawn().await;
    let mut body = crepo_tests::signup_body("big-body");
    body["tenant_name"] = serde_json::Value::String("x".repeat(1024 * 1024 + 10));
    let res = app.post_json("/api/v1/signup", &body).await;
    assert_problem(res, 413, "payload_too_large").await;
}

#[tokio::test]
async fn the_openapi_document_and_offline_docs_are_served() {
    let app = TestApp::spawn().await;
    let res = app.get("/api/v1/openapi.json").await;
    assert_eq!(res.status(), 200);
    let spec: serde_json::Value = res.json().await.unwrap();
    assert!(spec["paths"]["/api/v1/signup"]["post"].is_object());
    let res = app.get("/docs").await;
    assert_eq!(res.status(), 308);
    assert_eq!(res.headers()["location"], "/docs/");
    let res = app.get("/docs/").await;
    assert_eq!(res.status(), 200);
    let html = res.text().await.unwrap();
    assert!(html.contains("swagger"), "{html}");
    // Assets come from this server, not a CDN.
    assert!(!html.contains("https://"), "{html}");
    let res = app.get("/docs/swagger-ui-bundle.js").await;
    assert_eq!(res.status(), 200);
}
