//! Storage shapes. API types live with their capability and convert from these.

pub mod role;
pub mod tenant;
pub mod user;
pub mod user_role;
