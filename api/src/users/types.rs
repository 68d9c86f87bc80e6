use chrono::{DateTime, Utc};
use serde::{Deserialize, Deserializer, Serialize};
use utoipa::{IntoParams, ToSchema};

use crate::{
    accounts::RoleRef,
    entities::tenant::user::{self, UserStatus},
    error::ApiError,
    ids::{RoleId, UserId},
    values::{Check, DisplayName, Email, Phone},
};

#[derive(Debug, Serialize, ToSchema)]
pub struct UserOut {
    pub id: UserId,
    pub email: String,
    pub name: String,
    /// Masked (`+81******5678`) unless the caller holds `users.manage` or is
    /// this user.
    pub phone: Option<String>,
    pub status: UserStatus,
    pub roles: Vec<RoleRef>,
    pub password_change_required: bool,
    /// True while failed logins keep the account locked.
    pub locked: bool,
    pub created_at: DateTime<Utc>,
    pub updated_at: DateTime<Utc>,
}

impl UserOut {
    /// The phone masked, for viewers who do not manage users.
    pub fn with_masked_phone(mut self) -> Self {
        self.phone = self.phone.as_deref().map(crate::auth::otp::mask_phone);
        self
    }

    pub fn new(u: user::Model, roles: Vec<RoleRef>, now: DateTime<Utc>) -> Self {
        Self {
            id: UserId(u.id),
            locked: u.locked_until.is_some_and(|t| t > now),
            status: u.status,
            email: u.email,
            name: u.name,
            phone: u.phone,
            roles,
            password_change_required: u.password_change_required,
            created_at: u.created_at,
            updated_at: u.updated_at,
        }
    }
}

#[derive(Debug, Deserialize, IntoParams)]
#[into_params(parameter_in = Query)]
pub struct UserQuery {
    /// Only users with this status.
    pub status: Option<UserStatus>,
    /// Case-insensitive part of the name or email.
    #[param(max_length = 200)]
    pub q: Option<String>,
    /// Only holders of this role (who holds a role, for the roles page).
    pub role_id: Option<crate::ids::RoleId>,
}

#[derive(Debug, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct UserIn {
    #[schema(example = "taro@acme.example", format = Email, max_length = 254)]
    pub email: String,
    #[schema(
        example = "佐藤 太郎",
        min_length = 1,
        max_length = 200,
        pattern = r"^[^\x00-\x1F\x7F-\x9F\u2028\u2029\u202A-\u202E\u2066-\u2069]*[^\s\x00-\x1F\x7F-\x9F\u2028\u2029\u202A-\u202E\u2066-\u2069][^\x00-\x1F\x7F-\x9F\u2028\u2029\u202A-\u202E\u2066-\u2069]*$"
    )]
    pub name: String,
    /// E.164; required when a role is privileged (SMS code at login).
    #[schema(example = "+819012345678", pattern = "^\\+[1-9][0-9]{6,14}$")]
    pub phone: Option<String>,
    #[serde(default)]
    pub role_ids: Vec<RoleId>,
}

/// A new user whose every field passed its rule.
pub struct NewUser {
    pub email: Email,
    pub name: DisplayName,
    pub phone: Option<Phone>,
    pub role_ids: Vec<RoleId>,
}

impl UserIn {
    pub fn parse(self) -> Result<NewUser, ApiError> {
        let mut check = Check::default();
        let email = check.take(Email::parse("email", &self.email));
        let name = check.take(DisplayName::parse("name", &self.name));
        let phone = check.take(
            self.phone
                .as_deref()
                .map(|p| Phone::parse("phone", p))
                .transpose(),
        );
        check.done(|| {
            Some(NewUser {
                email: email?,
                name: name?,
                phone: phone?,
                role_ids: self.role_ids,
            })
        })
    }
}

/// Created user and its one-time temporary password, shown only here.
#[derive(Debug, Serialize, ToSchema)]
pub struct UserCreatedOut {
    pub user: UserOut,
    /// Give it to the user; it must be changed at first login.
    pub temporary_password: String,
    /// It signs in until then (the policy's `temporary_password_hours`).
    pub expires_at: DateTime<Utc>,
}

/// A new temporary password for an existing user, shown only here.
#[derive(Debug, Serialize, ToSchema)]
pub struct PasswordResetOut {
    /// Give it to the user; it must be changed at the next login.
    pub temporary_password: String,
    pub expires_at: DateTime<Utc>,
}

/// `Some(None)` when the field is present and null, `None` when absent.
fn double_option<'de, D, T>(d: D) -> Result<Option<Option<T>>, D::Error>
where
    D: Deserializer<'de>,
    T: Deserialize<'de>,
{
    Option::<T>::deserialize(d).map(Some)
}

#[derive(Debug, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct UserPatch {
    #[schema(
        min_length = 1,
        max_length = 200,
        pattern = r"^[^\x00-\x1F\x7F-\x9F\u2028\u2029\u202A-\u202E\u2066-\u2069]*[^\s\x00-\x1F\x7F-\x9F\u2028\u2029\u202A-\u202E\u2066-\u2069][^\x00-\x1F\x7F-\x9F\u2028\u2029\u202A-\u202E\u2066-\u2069]*$"
    )]
    pub name: Option<String>,
    /// E.164, or null to remove.
    #[serde(default, deserialize_with = "double_option")]
    #[schema(value_type = Option<String>, pattern = "^\\+[1-9][0-9]{6,14}$")]
    pub phone: Option<Option<String>>,
    /// `disabled` ends the user's sessions at once.
    pub status: Option<UserStatus>,
}

/// A user's change, every field given passed its rule.
pub struct UserChange {
    pub name: Option<DisplayName>,
    /// `Some(None)` removes the phone.
    pub phone: Option<Option<Phone>>,
    pub status: Option<UserStatus>,
}

impl UserPatch {
    pub fn parse(self) -> Result<UserChange, ApiError> {
        let mut check = Check::default();
        let name = check.take(
            self.name
                .as_deref()
                .map(|n| DisplayName::parse("name", n))
                .transpose(),
        );
        let phone = check.take(
            self.phone
                .as_ref()
                .map(|p| p.as_deref().map(|p| Phone::parse("phone", p)).transpose())
                .transpose(),
        );
        check.done(|| {
            Some(UserChange {
                name: name?,
                phone: phone?,
                status: self.status,
            })
        })
    }
}

#[derive(Debug, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct RoleIdsIn {
    pub role_ids: Vec<RoleId>,
}
