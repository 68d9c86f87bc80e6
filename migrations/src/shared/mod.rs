//! Tables of the same shape in the platform (for operators) and in every tenant
//! (for users): sessions, one-time-code challenges and SMS send records. One
//! definition, so the code that uses them is shared too.

pub mod m20261125_200001_create_sessions;
pub mod m20261125_200002_create_mfa_challenges;
pub mod m20261125_200003_create_sms_sends;
