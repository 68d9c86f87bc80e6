use crepo_tests::workspace_root;

#[test]
fn the_committed_openapi_yaml_matches_the_code() {
    let generated = crepo_api::openapi::yaml().unwrap();
    let path = workspace_root().join("openapi.yaml");
    let committed = std::fs::read_to_string(&path).unwrap_or_default();
    assert!(
        committed == generated,
        "openapi.yaml is stale: run `make openapi` and commit the result"
    );
}

#[test]
fn every_operation_declares_security_and_problem_responses() {
    let spec: serde_json::Value = serde_json::to_value(crepo_api::openapi::spec()).unwrap();
    for (path, item) in spec["paths"].as_object().unwrap() {
        for (method, op) in item.as_object().unwrap() {
            assert!(
                op.get("security").is_some() || spec.get("security").is_some(),
                "{method} {path}: no security"
            );
            for (status, response) in op["responses"].as_object().unwrap() {
                if status.starts_with('4') || status.starts_with('5') {
                    let content = &response["content"];
                    assert!(
                        content.get("application/problem+json").is_some()
                            || path == "/health/ready",
                        "{method} {path} {status}: error without the problem schema"
                    );
                }
            }
        }
    }
}
