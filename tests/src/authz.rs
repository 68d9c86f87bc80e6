//! The cast of the authorization matrix (tests/tests/authz_matrix.rs): one
//! tenant with an admin, an editor, a viewer, a label-scoped and an
//! assigned-scoped member, a user without roles, and another tenant's admin;
//! objects in and out of each reference scope.

use std::collections::{BTreeMap, BTreeSet};

use reqwest::Method;
use serde_json::{json, Value};

use crate::{Session, TestApp};

pub const ALL: &[&str] = &[
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
pub const EDITOR: &[&str] = &[
    "projects.read",
    "projects.write",
    "projects.delete",
    "files.read",
    "files.write",
    "labels.read",
    "labels.manage",
    "users.read",
];
pub const VIEWER: &[&str] = &["projects.read", "files.read", "labels.read", "users.read"];
pub const LABEL_TEAM: &[&str] = &[
    "projects.read",
    "projects.write",
    "files.read",
    "files.write",
    "labels.read",
];
pub const ASSIGNED_TEAM: &[&str] = &[
    "projects.read",
    "projects.write",
    "projects.delete",
    "files.read",
    "files.write",
];

#[derive(Clone, Copy, PartialEq, Eq, Debug)]
pub enum Reach {
    All,
    InScopeOnly,
    Nothing,
}

pub struct Actor {
    pub name: &'static str,
    pub token: String,
    pub perms: BTreeSet<&'static str>,
    pub reach: Reach,
    pub foreign: bool,
}

pub struct World {
    pub admin: Session,
    pub label_in: String,
    pub viewer_role: String,
    pub label_team_role: String,
    pub assignee: String,
    pub viewer_user: String,
    pub policy: Value,
    pub actors: Vec<Actor>,
    pub shared_in: (String, String),
    pub shared_out: (String, String),
    pub notice: String,
}

/// A release note for every tenant, published straight into the platform.
pub async fn release_note(app: &TestApp) -> String {
    use crepo_api::entities::platform::notice::{NoticeKind, NoticeStatus, Severity};
    use sea_orm::{ActiveModelTrait, ActiveValue::Set};
    let now = chrono::Utc::now();
    let id = uuid::Uuid::now_v7();
    crepo_api::entities::platform::notice::ActiveModel {
        id: Set(id),
        kind: Set(NoticeKind::Release),
        severity: Set(Severity::Info),
        title_ja: Set("新機能".into()),
        title_en: Set(None),
        body_ja: Set("本文".into()),
        body_en: Set(None),
        audience_tenant_ids: Set(None),
        starts_at: Set(None),
        ends_at: Set(None),
        emergency: Set(false),
        emergency_reason: Set(None),
        status: Set(NoticeStatus::Published),
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

pub async fn json_of(res: reqwest::Response) -> Value {
    let status = res.status();
    let text = res.text().await.unwrap();
    assert!(
        status.is_success(),
        "setup call failed with {status}: {text}"
    );
    serde_json::from_str(&text).unwrap_or(Value::Null)
}

pub fn unique() -> String {
    uuid::Uuid::new_v4().simple().to_string()[..12].to_owned()
}

pub async fn user_with(
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
    pub async fn build(app: &TestApp) -> World {
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
            crepo_api::entities::tenant::role::Entity::find()
                .all(&tx)
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
    pub async fn project(&self, app: &TestApp, in_scope: bool) -> (String, String) {
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

    pub async fn fresh(&self, app: &TestApp, object: &str) -> String {
        let token = &self.admin.access;
        match object {
            "label" => json_of(app.send_auth(Method::POST, "/api/v1/labels", token, Some(&json!({ "code": format!("F-{}", unique()), "name": "Fresh" }))).await).await["id"].as_str().unwrap().to_owned(),
            "user" => json_of(app.send_auth(Method::POST, "/api/v1/users", token, Some(&json!({ "email": format!("{}@fresh.example", unique()), "name": "Fresh", "role_ids": [self.viewer_role] }))).await).await["user"]["id"].as_str().unwrap().to_owned(),
            "role" => json_of(app.send_auth(Method::POST, "/api/v1/roles", token, Some(&json!({ "name": format!("fresh {}", unique()), "permissions": ["projects.read"], "scope": { "kind": "all" } }))).await).await["id"].as_str().unwrap().to_owned(),
            other => panic!("no fresh {other}"),
        }
    }

    pub fn fill(&self, v: &Value) -> Value {
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
