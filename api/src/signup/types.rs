use chrono::{DateTime, Utc};
use serde::{Deserialize, Serialize};
use utoipa::ToSchema;

use crate::{
    error::ApiError,
    ids::{TenantId, UserId},
    passwords::{self, PasswordRules},
    values::{Check, DisplayName, Email, Phone, Slug},
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
        pattern = r"^[^\x00-\x1F\x7F-\x9F\u2028\u2029\u202A-\u202E\u2066-\u2069]*[^\s\x00-\x1F\x7F-\x9F\u2028\u2029\u202A-\u202E\u2066-\u2069][^\x00-\x1F\x7F-\x9F\u2028\u2029\u202A-\u202E\u2066-\u2069]*$"
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
        pattern = r"^[^\x00-\x1F\x7F-\x9F\u2028\u2029\u202A-\u202E\u2066-\u2069]*[^\s\x00-\x1F\x7F-\x9F\u2028\u2029\u202A-\u202E\u2066-\u2069][^\x00-\x1F\x7F-\x9F\u2028\u2029\u202A-\u202E\u2066-\u2069]*$"
    )]
    pub name: String,
    /// E.164, used for one-time codes at login.
    #[schema(example = "+819012345678", pattern = "^\\+[1-9][0-9]{6,14}$")]
    pub phone: String,
    /// The version of the terms of use the person signing up accepted: the
    /// current one (`GET /signup/terms`), recorded with the tenant.
    #[schema(example = "2026-12-01", max_length = 64)]
    pub accept_terms_version: String,
}

/// A sign-up whose every field passed its rule.
pub struct Signup {
    pub tenant_slug: Slug,
    pub tenant_name: DisplayName,
    pub email: Email,
    pub name: DisplayName,
    pub phone: Phone,
    /// Exactly as typed.
    pub password: String,
    pub terms_version: String,
}

impl SignupIn {
    /// Every failing field at once, each with a stable code.
    pub fn parse(self, rules: &PasswordRules, terms_version: &str) -> Result<Signup, ApiError> {
        let mut check = Check::default();
        if self.accept_terms_version != terms_version {
            check.push(crate::error::FieldError::new(
                "accept_terms_version",
                "outdated",
                format!("accept the current terms of use (version {terms_version})"),
            ));
        }
        check.extend(rules.violations("password", &self.password, passwords::MIN_LENGTH));
        let tenant_slug = check.take(Slug::parse("tenant_slug", &self.tenant_slug));
        let tenant_name = check.take(DisplayName::parse("tenant_name", &self.tenant_name));
        let email = check.take(Email::parse("email", &self.email));
        let name = check.take(DisplayName::parse("name", &self.name));
        let phone = check.take(Phone::parse("phone", &self.phone));
        check.done(|| {
            Some(Signup {
                tenant_slug: tenant_slug?,
                tenant_name: tenant_name?,
                email: email?,
                name: name?,
                phone: phone?,
                password: self.password,
                terms_version: self.accept_terms_version,
            })
        })
    }
}

#[derive(Serialize, ToSchema)]
pub struct SignupTenant {
    pub id: TenantId,
    pub slug: String,
    pub name: String,
    pub created_at: DateTime<Utc>,
    /// The terms of use accepted at sign-up.
    pub terms_version: String,
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
