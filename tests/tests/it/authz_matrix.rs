//! Every operation in openapi.yaml × every kind of caller × an object in and
//! out of the caller's reference scope → the status the rule table in
//! tests/authz_rules.json expects. An operation without a rule fails the
//! test, so a new endpoint cannot slip through unguarded.

use crepo_tests::{
    authz::{Actor, Reach, World},
    workspace_root, TestApp,
};
use reqwest::Method;
use serde_json::Value;

fn expected(rule: &Value, actor: &Actor, in_scope: bool) -> u16 {
    let ok = rule["ok"].as_u64().unwrap() as u16;
    let object = rule["object"].as_str().unwrap();
    if object == "notice" {
        // Addressed to every tenant: every signed-in user may mark it read.
        return ok;
    }
    if actor.foreign {
        return if object == "none" { ok } else { 404 };
    }
    let Some(permission) = rule["permission"].as_str() else {
        return ok;
    };
    if !actor.perms.contains(permission) {
        return 403;
    }
    let scoped = object == "project" || object == "file";
    let reaches = match actor.reach {
        Reach::All => true,
        Reach::InScopeOnly => in_scope,
        Reach::Nothing => false,
    };
    if scoped && !reaches {
        404
    } else {
        ok
    }
}

#[tokio::test]
async fn every_operation_answers_every_kind_of_caller_as_the_rule_table_says() {
    let spec: Value = serde_norway::from_str(
        &std::fs::read_to_string(workspace_root().join("openapi.yaml")).unwrap(),
    )
    .unwrap();
    let rules: Value = serde_json::from_str(
        &std::fs::read_to_string(workspace_root().join("tests/authz_rules.json")).unwrap(),
    )
    .unwrap();
    let mut operations = Vec::new();
    for (path, item) in spec["paths"].as_object().unwrap() {
        for method in item.as_object().unwrap().keys() {
            operations.push(format!("{} {path}", method.to_uppercase()));
        }
    }
    let unruled: Vec<&String> = operations
        .iter()
        .filter(|op| rules.get(op.as_str()).is_none())
        .collect();
    assert!(
        unruled.is_empty(),
        "operations without a rule in tests/authz_rules.json: {unruled:?}"
    );
    let stale: Vec<&String> = rules
        .as_object()
        .unwrap()
        .keys()
        .filter(|k| !k.starts_with('_') && !operations.contains(k))
        .collect();
    assert!(
        stale.is_empty(),
        "rules for operations that no longer exist: {stale:?}"
    );

    let app = TestApp::spawn().await;
    let world = World::build(&app).await;
    let mut failures = Vec::new();
    let mut checked = 0;
    for op in &operations {
        let rule = &rules[op.as_str()];
        if rule.get("skip").is_some() {
            continue;
        }
        let (method, template) = op.split_once(' ').unwrap();
        let object = rule["object"].as_str().unwrap();
        let mutates = rule["mutates"].as_bool().unwrap_or(false);
        let scopes: &[bool] = if object == "project" || object == "file" {
            &[true, false]
        } else {
            &[true]
        };
        for actor in &world.actors {
            for &in_scope in scopes {
                let (project, file) = if (object == "project" || object == "file") && mutates {
                    world.project(&app, in_scope).await
                } else if in_scope {
                    world.shared_in.clone()
                } else {
                    world.shared_out.clone()
                };
                let id = match object {
                    "project" | "file" => project,
                    "label" if mutates => world.fresh(&app, "label").await,
                    "label" => world.label_in.clone(),
                    "user" if mutates => world.fresh(&app, "user").await,
                    "user" => world.viewer_user.clone(),
                    "role" if mutates => world.fresh(&app, "role").await,
                    "role" => world.label_team_role.clone(),
                    "notice" => world.notice.clone(),
                    _ => String::new(),
                };
                let mut url = template.replace("{id}", &id).replace("{file_id}", &file);
                if let Some(q) = rule["query"].as_str() {
                    url = format!("{url}?{q}");
                }
                let mut req = app
                    .client
                    .request(method.parse::<Method>().unwrap(), app.url(&url))
                    .bearer_auth(&actor.token);
                if rule["raw"].as_bool().unwrap_or(false) {
                    req = req
                        .query(&[("filename", "matrix.bin")])
                        .header("content-type", "application/octet-stream")
                        .body(vec![1u8, 2, 3]);
                } else if let Some(body) = rule.get("body") {
                    req = req.json(&world.fill(body));
                }
                let status = req.send().await.unwrap().status().as_u16();
                let want = expected(rule, actor, in_scope);
                checked += 1;
                if status != want {
                    failures.push(format!(
                        "{op} as {} ({}): got {status}, expected {want}",
                        actor.name,
                        if in_scope { "in scope" } else { "out of scope" }
                    ));
                }
            }
        }
    }
    assert!(checked > 300, "only {checked} cells checked");
    assert!(
        failures.is_empty(),
        "{} of {checked} cells differ:\n{}",
        failures.len(),
        failures.join("\n")
    );
}

/// The rule table's `widening` cases: a caller holding `projects.write` over
/// every project, but `files.read` only over assigned projects and
/// `files.write` only over labelled ones, may change members and labels,
/// except in ways that widen its own reach.
#[tokio::test]
async fn no_caller_widens_its_own_reach_through_the_operations_the_rule_table_marks() {
    use crepo_tests::authz::{json_of, user_with};
    use serde_json::json;
    let rules: Value = serde_json::from_str(
        &std::fs::read_to_string(workspace_root().join("tests/authz_rules.json")).unwrap(),
    )
    .unwrap();
    let app = TestApp::spawn().await;
    let admin = app.admin("acme").await;
    let token = admin.access.clone();
    let label = json_of(
        app.send_auth(
            Method::POST,
            "/api/v1/labels",
            &token,
            Some(&json!({ "code": "WIDE", "name": "Wide" })),
        )
        .await,
    )
    .await["id"]
        .as_str()
        .unwrap()
        .to_owned();
    let mut roles = Vec::new();
    for (name, perms, scope) in [
        (
            "writers",
            json!(["projects.read", "projects.write"]),
            json!({ "kind": "all" }),
        ),
        (
            "assigned readers",
            json!(["files.read"]),
            json!({ "kind": "assigned" }),
        ),
        (
            "labelled uploaders",
            json!(["files.write"]),
            json!({ "kind": "labels", "label_ids": [label] }),
        ),
    ] {
        let role = json_of(
            app.send_auth(
                Method::POST,
                "/api/v1/roles",
                &token,
                Some(&json!({ "name": name, "permissions": perms, "scope": scope })),
            )
            .await,
        )
        .await;
        roles.push(role["id"].as_str().unwrap().to_owned());
    }
    let (me, caller) = user_with(&app, &admin, "widener@acme.example", &roles).await;
    let mut cases = 0;
    for (op, rule) in rules.as_object().unwrap() {
        let Some(widening) = rule.get("widening") else {
            continue;
        };
        let (method, template) = op.split_once(' ').unwrap();
        for (body, want, code) in [
            (
                rule["body"].clone(),
                rule["ok"].as_u64().unwrap() as u16,
                None,
            ),
            (widening["body"].clone(), 403, widening["code"].as_str()),
        ] {
            let project = json_of(
                app.send_auth(
                    Method::POST,
                    "/api/v1/projects",
                    &token,
                    Some(&json!({ "name": format!("widen {}", crepo_tests::authz::unique()) })),
                )
                .await,
            )
            .await["id"]
                .as_str()
                .unwrap()
                .to_owned();
            let body: Value = serde_json::from_str(
                &body
                    .to_string()
                    .replace("$self", &me)
                    .replace("$label", &label),
            )
            .unwrap();
            let res = app
                .send_auth(
                    method.parse().unwrap(),
                    &template.replace("{id}", &project),
                    &caller,
                    Some(&body),
                )
                .await;
            let status = res.status().as_u16();
            let answer: Value = res.json().await.unwrap_or(Value::Null);
            assert_eq!(status, want, "{op} with {body}: {answer}");
            if let Some(code) = code {
                assert_eq!(answer["code"], code, "{op} with {body}");
            }
            cases += 1;
        }
    }
    assert_eq!(cases, 4, "both widening rules ran, each both ways");
}
