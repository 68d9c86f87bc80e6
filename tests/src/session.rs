//! Signed-in users for tests: sessions with their tokens, and the helpers
//! that create users, sign them in (with the SMS code) and change policies.

use serde_json::{json, Value};

use crate::TestApp;

/// Tokens of a signed-in user.
#[derive(Debug, Clone)]
pub struct Session {
    /// The tenant's slug, as given at login.
    pub tenant: String,
    pub access: String,
    pub refresh: String,
    pub tenant_id: crepo_api::ids::TenantId,
    pub user_id: uuid::Uuid,
}

impl TestApp {
    /// Every message the outbox has sent, oldest first.
    pub fn outbox(&self) -> Vec<Value> {
        self.env.outbox()
    }

    /// The code in the latest message to `phone`.
    pub fn last_code(&self, phone: &str) -> String {
        self.env.last_code(phone)
    }

    pub async fn login(&self, tenant: &str, email: &str, password: &str) -> reqwest::Response {
        self.post_json(
            "/api/v1/auth/login",
            &json!({ "tenant": tenant, "email": email, "password": password }),
        )
        .await
    }

    /// Logs in, entering the SMS code when asked; panics on failure.
    pub async fn session(
        &self,
        tenant: &str,
        email: &str,
        password: &str,
        phone: Option<&str>,
    ) -> Session {
        let res = self.login(tenant, email, password).await;
        assert_eq!(res.status(), 200, "{}", res.text().await.unwrap());
        let mut body: Value = res.json().await.unwrap();
        if body["mfa_required"] == true {
            let code = self.last_code(phone.expect("a privileged user needs a phone"));
            let res = self
                .post_json(
                    "/api/v1/auth/mfa",
                    &json!({ "mfa_token": body["mfa_token"], "code": code }),
                )
                .await;
            assert_eq!(res.status(), 200);
            body = res.json().await.unwrap();
        }
        let me: Value = self
            .get_auth("/api/v1/me", body["access_token"].as_str().unwrap())
            .await
            .json()
            .await
            .unwrap();
        Session {
            tenant: tenant.to_owned(),
            access: body["access_token"].as_str().unwrap().to_owned(),
            refresh: body["refresh_token"].as_str().unwrap().to_owned(),
            tenant_id: me["tenant"]["id"].as_str().unwrap().parse().unwrap(),
            user_id: me["id"].as_str().unwrap().parse().unwrap(),
        }
    }

    /// Signs up `slug` and signs its admin in (with the SMS code).
    pub async fn admin(&self, slug: &str) -> Session {
        self.signup_ok(slug).await;
        self.admin_session(slug).await
    }

    /// A new session of `slug`'s admin (after the app's clock moved past the
    /// last one's timeout).
    pub async fn admin_session(&self, slug: &str) -> Session {
        self.session(
            slug,
            &format!("owner@{slug}.example"),
            "correct horse battery staple",
            Some("+819012345678"),
        )
        .await
    }

    pub async fn get_auth(&self, path: &str, token: &str) -> reqwest::Response {
        self.client
            .get(self.url(path))
            .bearer_auth(token)
            .send()
            .await
            .unwrap()
    }

    pub async fn send_auth(
        &self,
        method: reqwest::Method,
        path: &str,
        token: &str,
        body: Option<&Value>,
    ) -> reqwest::Response {
        let mut req = self
            .client
            .request(method, self.url(path))
            .bearer_auth(token);
        if let Some(body) = body {
            req = req.json(body);
        }
        req.send().await.unwrap()
    }

    /// Creates a user through the API; returns (user json, temporary password).
    pub async fn create_user(
        &self,
        admin: &Session,
        email: &str,
        roles: &[&str],
        phone: Option<&str>,
    ) -> (Value, String) {
        let role_ids = self.role_ids(admin, roles).await;
        let body = json!({ "email": email, "name": "テスト ユーザー", "phone": phone, "role_ids": role_ids });
        let res = self
            .send_auth(
                reqwest::Method::POST,
                "/api/v1/users",
                &admin.access,
                Some(&body),
            )
            .await;
        assert_eq!(res.status(), 201, "{}", res.text().await.unwrap());
        let created: Value = res.json().await.unwrap();
        (
            created["user"].clone(),
            created["temporary_password"].as_str().unwrap().to_owned(),
        )
    }

    /// A user's first login, as one created by an admin must make it: logs in
    /// with the temporary password (entering the SMS code when asked) and
    /// changes it to `new_password`. The session stays valid.
    pub async fn first_login(
        &self,
        tenant: &str,
        email: &str,
        temporary: &str,
        phone: Option<&str>,
        new_password: &str,
    ) -> Session {
        let session = self.session(tenant, email, temporary, phone).await;
        let change = json!({ "current_password": temporary, "new_password": new_password });
        let res = self
            .send_auth(
                reqwest::Method::PUT,
                "/api/v1/me/password",
                &session.access,
                Some(&change),
            )
            .await;
        assert_eq!(res.status(), 204, "{}", res.text().await.unwrap());
        session
    }

    /// A user created by `admin` with the built-in `roles`, signed in after
    /// changing its temporary password to `password`: (user json, session).
    pub async fn user(
        &self,
        admin: &Session,
        email: &str,
        roles: &[&str],
        phone: Option<&str>,
        password: &str,
    ) -> (Value, Session) {
        let (user, temporary) = self.create_user(admin, email, roles, phone).await;
        let session = self
            .first_login(&admin.tenant, email, &temporary, phone, password)
            .await;
        (user, session)
    }

    /// Changes the tenant's password policy as `edit` says (the rest stays).
    pub async fn edit_policy(&self, admin: &Session, edit: impl FnOnce(&mut Value)) {
        let path = "/api/v1/settings/password-policy";
        let mut policy: Value = self
            .get_auth(path, &admin.access)
            .await
            .json()
            .await
            .unwrap();
        edit(&mut policy);
        let res = self
            .send_auth(reqwest::Method::PUT, path, &admin.access, Some(&policy))
            .await;
        assert_eq!(res.status(), 200, "{}", res.text().await.unwrap());
    }

    /// Ids of the built-in roles named, read from the tenant's database.
    pub async fn role_ids(&self, admin: &Session, names: &[&str]) -> Vec<String> {
        use sea_orm::{ColumnTrait, EntityTrait, QueryFilter};
        let db = self.db().await;
        let tx = db.tenant_tx(admin.tenant_id).await.unwrap();
        let roles = crepo_api::entities::tenant::role::Entity::find()
            .filter(
                crepo_api::entities::tenant::role::Column::Name
                    .is_in(names.iter().map(|n| n.to_string())),
            )
            .all(&tx)
            .await
            .unwrap();
        assert_eq!(roles.len(), names.len(), "unknown role among {names:?}");
        roles.into_iter().map(|r| r.id.to_string()).collect()
    }
}
