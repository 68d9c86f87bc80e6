//! Access control: the permission catalogue and the built-in roles.

pub mod permissions;
pub mod scope;

pub use permissions::{BuiltinRole, Permission, BUILTIN_ROLES, CATALOGUE};
