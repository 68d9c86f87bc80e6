//! Request and response bodies of the authentication endpoints.

use serde::{Deserialize, Serialize};
use utoipa::ToSchema;

use super::session::TokensOut;

#[derive(Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct LoginIn {
    /// The tenant's slug.
    #[schema(example = "acme-foods", max_length = 40)]
    pub tenant: String,
    #[schema(example = "hanako@acme.example", max_length = 254)]
    pub email: String,
    #[schema(format = Password, max_length = 1024)]
    pub password: String,
}

/// A second step is needed: a code was texted to the user's phone.
#[derive(Serialize, ToSchema)]
pub struct MfaRequiredOut {
    /// Always true.
    pub mfa_required: bool,
    /// Short-lived; only good for `POST /auth/mfa` and `/auth/mfa/resend`.
    pub mfa_token: String,
    /// The phone the code went to, masked (`+81******5678`).
    pub phone_masked: String,
    /// Seconds the code stays valid.
    pub code_expires_in: i64,
    /// Seconds before another code may be requested.
    pub resend_after: i64,
}

/// Either tokens, or the request for an SMS code.
#[derive(Serialize, ToSchema)]
#[serde(untagged)]
pub enum LoginOut {
    Tokens(TokensOut),
    MfaRequired(MfaRequiredOut),
}

#[derive(Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct MfaIn {
    pub mfa_token: String,
    /// The 6-digit code from the text message.
    #[schema(example = "123456", max_length = 16)]
    pub code: String,
}

#[derive(Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct MfaResendIn {
    pub mfa_token: String,
}

#[derive(Serialize, ToSchema)]
pub struct MfaResendOut {
    pub phone_masked: String,
    pub code_expires_in: i64,
    /// Seconds before another code may be requested.
    pub resend_after: i64,
}

#[derive(Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct RefreshIn {
    /// Required in JSON mode; in browser mode leave it out (the cookie
    /// carries the token).
    #[schema(max_length = 256, nullable = false)]
    #[serde(default)]
    pub refresh_token: Option<String>,
}
