use crepo_tests::{TestApp, TestEnv};

fn tls_env(env: &mut TestEnv) -> reqwest::Certificate {
    let cert = rcgen::generate_simple_self_signed(vec!["localhost".into()]).unwrap();
    let dir = env.data_dir.path().to_path_buf();
    std::fs::write(dir.join("cert.pem"), cert.cert.pem()).unwrap();
    std::fs::write(dir.join("key.pem"), cert.key_pair.serialize_pem()).unwrap();
    env.set("CREPO_TLS_CERT", dir.join("cert.pem").display().to_string())
        .set("CREPO_TLS_KEY", dir.join("key.pem").display().to_string());
    reqwest::Certificate::from_pem(cert.cert.pem().as_bytes()).unwrap()
}

fn client(
    app: &TestApp,
    root: reqwest::Certificate,
    max: reqwest::tls::Version,
) -> reqwest::Client {
    reqwest::Client::builder()
        .use_rustls_tls()
        .add_root_certificate(root)
        .resolve("localhost", ([127, 0, 0, 1], app.port).into())
        .max_tls_version(max)
        .build()
        .unwrap()
}

#[tokio::test]
async fn tls_1_3_is_served_with_hsts_and_tls_1_2_is_refused() {
    let mut env = TestEnv::new().await;
    let root = tls_env(&mut env);
    let app = TestApp::spawn_with(env).await;
    let url = format!("https://localhost:{}/health/live", app.port);

    let res = client(&app, root.clone(), reqwest::tls::Version::TLS_1_3)
        .get(&url)
        .send()
        .await
        .unwrap();
    assert_eq!(res.status(), 200);
    assert_eq!(
        res.headers()["strict-transport-security"],
        "max-age=63072000; includeSubDomains"
    );

    let refused = client(&app, root, reqwest::tls::Version::TLS_1_2)
        .get(&url)
        .send()
        .await;
    assert!(refused.is_err(), "a TLS 1.2 client was served");
}

#[tokio::test]
async fn plain_http_is_not_answered_on_a_tls_port() {
    let mut env = TestEnv::new().await;
    tls_env(&mut env);
    let app = TestApp::spawn_with(env).await;
    let res = reqwest::get(format!("http://127.0.0.1:{}/health/live", app.port)).await;
    assert!(res.is_err() || res.unwrap().status() != 200);
}
