use chrono::{DateTime, Utc};
use serde::{Deserialize, Serialize};
use utoipa::ToSchema;

use crate::{
    error::FieldError,
    ids::{TenantId, UserId},
    passwords::{self, PasswordRules},
    validate,
};

/// Unknown fields are refused, so nobody can slip in `role` or `tenant_id`.
#[derive(Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct SignupIn {
    /// The tenant's address in the service: 3–40 of `a-z`, `0-9`, `-`, not
    /// starting or ending with `-`, and not a reserved word (api, admin, ops, www …).
    #[schema(
        example = "acme-foods",
        pattern = "^[a-z0-9][a-z0-9-]{1,38}[a-z0-9]$",
        min_length = 3,
        max_length = 40
    )]
    pub tenant_slug: String,
    /// The organisation's display name.
    #[schema(
        example = "アクメ食品株式会社",
        min_length = 1,
        max_length = 200,
        pattern = r"^[^\x00-\x1F\x7F-\x9F]*[^\s\x00-\x1F\x7F-\x9F][^\x00-\x1F\x7F-\x9F]*$"
    )]
    pub tenant_name: String,
    #[schema(example = "hanako@acme.example", format = Email, max_length = 254)]
    pub email: String,
    /// 12–128 characters (Unicode welcome), not a commonly used password.
    #[schema(format = Password, min_length = 12, max_length = 128)]
    pub password: String,
    /// The first user's display name.
    #[schema(
        example = "山田 花子",
        min_length = 1,
        max_length = 200,
        pattern = r"^[^\x00-\x1F\x7F-\x9F]*[^\s\x00-\x1F\x7F-\x9F][^\x00-\x1F\x7F-\x9F]*$"
    )]
    pub name: String,
    /// E.164, used for one-time codes at login.
    #[schema(example = "+819012345678", pattern = "^\\+[1-9][0-9]{6,14}$")]
    pub phone: String,
}

impl SignupIn {
    /// Trims the free-text fields (after validation, which sees the input as
    /// sent); the password is taken exactly as typed.
    pub fn normalised(mut self) -> Self {
        self.tenant_slug = self.tenant_slug.trim().to_owned();
        self.tenant_name = self.tenant_name.trim().to_owned();
        self.email = self.email.trim().to_owned();
        self.name = self.name.trim().to_owned();
        self.phone = self.phone.trim().to_owned();
        self
    }

    /// Every failing field, each with a stable code.
    pub fn violations(&self, rules: &PasswordRules) -> Vec<FieldError> {
        let mut errors: Vec<FieldError> = [
            validate::slug("tenant_slug", &self.tenant_slug),
            validate::name("tenant_name", &self.tenant_name, 200),
            validate::email("email", &self.email),
            validate::name("name", &self.name, 200),
            validate::phone("phone", &self.phone),
        ]
        .into_iter()
        .flatten()
        .collect();
        errors.extend(rules.violations("password", &self.password, passwords::MIN_LENGTH));
        errors
    }
}

#[derive(Serialize, ToSchema)]
pub struct SignupTenant {
    pub id: TenantId,
    pub slug: String,
    pub name: String,
    pub created_at: DateTime<Utc>,
}

#[derive(Serialize, ToSchema)]
pub struct SignupUser {
    pub id: UserId,
    pub email: String,
    pub name: String,
    pub phone: String,
    /// Role names; the first user holds `admin`.
    pub roles: Vec<String>,
}

/// The created tenant and user. Contains no secret.
#[derive(Serialize, ToSchema)]
pub struct SignupOut {
    pub tenant: SignupTenant,
    pub user: SignupUser,
}
