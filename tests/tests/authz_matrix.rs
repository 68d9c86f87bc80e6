//! Every operation in openapi.yaml × every kind of caller × an object in and
//! out of the caller's reference scope → the status the rule table in
//! tests/authz_rules.json expects. An operation without a rule fails the
//! test, so a new endpoint cannot slip through unguarded.

use std::collections::{BTreeMap, BTreeSet};

use crepo_tests::{workspace_root, Session, TestApp};
use reqwest::Method;
use serde_json::{json, Value};

const ALL: &[&str] = &[
    "projects.read",
    "projects.write",
    "projects.delete",
    "files.read",
    "files.write",
    "labels.read",
    "labels.manage",
    "users.read",
    "users.manage",
    "users.delete",
    "roles.manage",
    "settings.manage",
    "access_logs.read_all",
    "exports.create",
];
const EDITOR: &[&str] = &[
    "projects.read",
    "projects.write",
    "projects.delete",
    "files.read",
    "files.write",
    "labels.read",
    "labels.manage",
    "users.read",
];
const VIEWER: &[&str] = &["projects.read", "files.read", "labels.read", "users.read"];
const LABEL_TEAM: &[&str] = &[
    "projects.read",
    "projects.write",
    "files.read",
    "files.write",
    "labels.read",
];
const ASSIGNED_TEAM: &[&str] = &[
    "projects.read",
    "projects.write",
    "projects.delete",
    "files.read",
    "files.write",
];

#[derive(Clone, Copy, PartialEq, Eq, Debug)]
enum Reach {
    All,
    InScopeOnly,
    Nothing,
}

struct Actor {
    name: &'static str,
    token: String,
    perms: BTreeSet<&'static str>,
    reach: Reach,
    foreign: bool,
}

struct World {
    admin: Session,
    label_in: String,
    viewer_role: String,
    label_team_role: String,
    assignee: String,
    viewer_user: String,
    policy: Value,
    actors: Vec<Actor>,
    shared_in: (String, String),
    shared_out: (String, String),
    notice: String,
}

/// A release note for every tenant, published straight into the platform.
async fn release_note(app: &TestApp) -> String {
    use sea_orm::{ActiveModelTrait, ActiveValue::Set};
    let now = chrono::Utc::now();
    let id = uuid::Uuid::now_v7();
    crepo_api::entities::notice::ActiveModel {
        id: Set(id),
        kind: Set("release".into()),
        severity: Set("info".into()),
        title_ja: Set("新機能".into()),
        title_en: Set(None),
        body_ja: Set("本文".into()),
        body_en: Set(None),
        audience_tenant_ids: Set(None),
        starts_at: Set(None),
        ends_at: Set(None),
        emergency: Set(false),
        emergency_reason: Set(None),
        status: Set("published".into()),
        published_at: Set(now),
        resolved_at: Set(None),
        cancelled_at: Set(None),
        created_by: Set(None),
        updated_at: Set(now),
    }
    .insert(app.state.db.platform())
    .await
    .unwrap();
    id.to_string()
}

async fn json_of(res: reqwest::Response) -> Value {
    let status = res.status();
    let text = res.text().await.unwrap();
    assert!(
        status.is_success(),
        "setup call failed with {status}: {text}"
    );
    serde_json::from_str(&text).unwrap_or(Value::Null)
}

fn unique() -> String {
    uuid::Uuid::new_v4().simple().to_string()[..12].to_owned()
}

async fn user_with(
    app: &TestApp,
    admin: &Session,
    email: &str,
    roles: &[String],
) -> (String, String) {
    let body = json!({ "email": email, "name": "Matrix User", "role_ids": roles });
    let created = json_of(
        app.send_auth(Method::POST, "/api/v1/users", &admin.access, Some(&body))
            .await,
    )
    .await;
    let temp = created["temporary_password"].as_str().unwrap().to_owned();
    let t = json_of(app.login("acme", email, &temp).await).await;
    let token = t["access_token"].as_str().unwrap().to_owned();
    let change = json!({ "current_password": temp, "new_password": "matrix user passphrase" });
    let res = app
        .send_auth(Method::PUT, "/api/v1/me/password", &token, Some(&change))
        .await;
    assert_eq!(res.status(), 204);
    (created["user"]["id"].as_str().unwrap().to_owned(), token)
}

impl World {
    async fn build(app: &TestApp) -> World {
        let admin = app.admin("acme").await;
        let foreign = app.admin("other").await;
        let label = json_of(
            app.send_auth(
                Method::POST,
                "/api/v1/labels",
                &admin.access,
                Some(&json!({ "code": "IN-SCOPE", "name": "In" })),
            )
            .await,
        )
        .await;
        let label_in = label["id"].as_str().unwrap().to_owned();
        let make_role = |name: &str, perms: &[&str], scope: Value| json!({ "name": name, "permissions": perms, "scope": scope });
        let label_team = json_of(
            app.send_auth(
                Method::POST,
                "/api/v1/roles",
                &admin.access,
                Some(&make_role(
                    "label team",
                    LABEL_TEAM,
                    json!({ "kind": "labels", "label_ids": [label_in] }),
                )),
            )
            .await,
        )
        .await;
        let assigned_team = json_of(
            app.send_auth(
                Method::POST,
                "/api/v1/roles",
                &admin.access,
                Some(&make_role(
                    "assigned team",
                    ASSIGNED_TEAM,
                    json!({ "kind": "assigned" }),
                )),
            )
            .await,
        )
        .await;
        let ids = app.role_ids(&admin, &["editor", "viewer"]).await;
        let roles: BTreeMap<String, String> = {
            let db = app.db().await;
            let tx = db.tenant_tx(admin.tenant_id).await.unwrap();
            use sea_orm::EntityTrait;
            crepo_api::entities::role::Entity::find()
                .all(&*tx)
                .await
                .unwrap()
                .into_iter()
                .map(|r| (r.name, r.id.to_string()))
                .collect()
        };
        let _ = ids;
        let (_, editor) = user_with(
            app,
            &admin,
            "editor@acme.example",
            &[roles["editor"].clone()],
        )
        .await;
        let (viewer_user, viewer) = user_with(
            app,
            &admin,
            "viewer@acme.example",
            &[roles["viewer"].clone()],
        )
        .await;
        let (_, labeler) = user_with(
            app,
            &admin,
            "labeler@acme.example",
            &[label_team["id"].as_str().unwrap().to_owned()],
        )
        .await;
        let (assignee, assigned) = user_with(
            app,
            &admin,
            "assignee@acme.example",
            &[assigned_team["id"].as_str().unwrap().to_owned()],
        )
        .await;
        let (_, nobody) = user_with(app, &admin, "nobody@acme.example", &[]).await;
        let policy = json_of(
            app.get_auth("/api/v1/settings/password-policy", &admin.access)
                .await,
        )
        .await;
        let set = |p: &[&'static str]| p.iter().copied().collect::<BTreeSet<_>>();
        let actors = vec![
            Actor {
                name: "admin",
                token: admin.access.clone(),
                perms: set(ALL),
                reach: Reach::All,
                foreign: false,
            },
            Actor {
                name: "editor",
                token: editor,
                perms: set(EDITOR),
                reach: Reach::All,
                foreign: false,
            },
            Actor {
                name: "viewer",
                token: viewer,
                perms: set(VIEWER),
                reach: Reach::All,
                foreign: false,
            },
            Actor {
                name: "label-scoped",
                token: labeler,
                perms: set(LABEL_TEAM),
                reach: Reach::InScopeOnly,
                foreign: false,
            },
            Actor {
                name: "assigned-scoped",
                token: assigned,
                perms: set(ASSIGNED_TEAM),
                reach: Reach::InScopeOnly,
                foreign: false,
            },
            Actor {
                name: "no role",
                token: nobody,
                perms: BTreeSet::new(),
                reach: Reach::Nothing,
                foreign: false,
            },
            Actor {
                name: "other tenant's admin",
                token: foreign.access.clone(),
                perms: set(ALL),
                reach: Reach::All,
                foreign: true,
            },
        ];
        let mut world = World {
            admin,
            label_in,
            viewer_role: roles["viewer"].clone(),
            label_team_role: label_team["id"].as_str().unwrap().to_owned(),
            assignee,
            viewer_user,
            policy,
            actors,
            shared_in: (String::new(), String::new()),
            shared_out: (String::new(), String::new()),
            notice: release_note(app).await,
        };
        world.shared_in = world.project(app, true).await;
        world.shared_out = world.project(app, false).await;
        world
    }

    /// A project (with one file) inside or outside the scoped actors' reach.
    async fn project(&self, app: &TestApp, in_scope: bool) -> (String, String) {
        let token = &self.admin.access;
        let p = json_of(
            app.send_auth(
                Method::POST,
                "/api/v1/projects",
                token,
                Some(&json!({ "name": format!("fixture {}", unique()) })),
            )
            .await,
        )
        .await;
        let id = p["id"].as_str().unwrap().to_owned();
        if in_scope {
            json_of(
                app.send_auth(
                    Method::PUT,
                    &format!("/api/v1/projects/{id}/labels"),
                    token,
                    Some(&json!({ "label_ids": [self.label_in] })),
                )
                .await,
            )
            .await;
            json_of(
                app.send_auth(
                    Method::PUT,
                    &format!("/api/v1/projects/{id}/members"),
                    token,
                    Some(&json!({ "user_ids": [self.assignee] })),
                )
                .await,
            )
            .await;
        }
        let f = app
            .client
            .post(app.url(&format!("/api/v1/projects/{id}/files?filename=fixture.pdf")))
            .bearer_auth(token)
            .header("content-type", "application/pdf")
            .body(b"%PDF-1.7 fixture".to_vec())
            .send()
            .await
            .unwrap();
        let f = json_of(f).await;
        (id, f["id"].as_str().unwrap().to_owned())
    }

    async fn fresh(&self, app: &TestApp, object: &str) -> String {
        let token = &self.admin.access;
        match object {
            "label" => json_of(app.send_auth(Method::POST, "/api/v1/labels", token, Some(&json!({ "code": format!("F-{}", unique()), "name": "Fresh" }))).await).await["id"].as_str().unwrap().to_owned(),
            "user" => json_of(app.send_auth(Method::POST, "/api/v1/users", token, Some(&json!({ "email": format!("{}@fresh.example", unique()), "name": "Fresh", "role_ids": [self.viewer_role] }))).await).await["user"]["id"].as_str().unwrap().to_owned(),
            "role" => json_of(app.send_auth(Method::POST, "/api/v1/roles", token, Some(&json!({ "name": format!("fresh {}", unique()), "permissions": ["projects.read"], "scope": { "kind": "all" } }))).await).await["id"].as_str().unwrap().to_owned(),
            other => panic!("no fresh {other}"),
        }
    }

    fn fill(&self, v: &Value) -> Value {
        match v {
            Value::String(s) if s == "$policy" => self.policy.clone(),
            Value::String(s) if s == "$viewer_role" => Value::String(self.viewer_role.clone()),
            Value::String(s) => Value::String(s.replace("$unique", &unique())),
            Value::Array(items) => Value::Array(items.iter().map(|i| self.fill(i)).collect()),
            Value::Object(map) => {
                Value::Object(map.iter().map(|(k, v)| (k.clone(), self.fill(v))).collect())
            }
            other => other.clone(),
        }
    }
}

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
    let spec: Value = serde_yaml::from_str(
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
