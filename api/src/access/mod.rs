//! Access control: the permission catalogue, the built-in roles, and the
//! reference scope that says which projects a permission reaches.

pub mod permissions;
pub mod scope;

pub use permissions::{BuiltinRole, Permission, BUILTIN_ROLES};
