//! Tables that exist both in the platform (for operators) and in each tenant
//! (for users).

pub mod mfa_challenge;
pub mod session;
pub mod sms_send;
