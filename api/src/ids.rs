//! Id newtypes: a tenant id cannot be passed where a user id is expected.

macro_rules! id_type {
    ($(#[$meta:meta])* $name:ident) => {
        $(#[$meta])*
        #[derive(
            Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord,
            serde::Serialize, serde::Deserialize, utoipa::ToSchema,
        )]
        #[serde(transparent)]
        pub struct $name(pub uuid::Uuid);

        impl $name {
            pub fn new() -> Self {
                Self(uuid::Uuid::now_v7())
            }
            pub fn as_uuid(&self) -> uuid::Uuid {
                self.0
            }
        }

        impl Default for $name {
            fn default() -> Self {
                Self::new()
            }
        }

        impl std::fmt::Display for $name {
            fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
                self.0.fmt(f)
            }
        }

        impl std::str::FromStr for $name {
            type Err = uuid::Error;
            fn from_str(s: &str) -> Result<Self, Self::Err> {
                uuid::Uuid::parse_str(s).map(Self)
            }
        }

        impl From<uuid::Uuid> for $name {
            fn from(id: uuid::Uuid) -> Self {
                Self(id)
            }
        }

        impl From<$name> for uuid::Uuid {
            fn from(id: $name) -> Self {
                id.0
            }
        }
    };
}

id_type!(
    /// A customer organisation.
    TenantId
);
id_type!(
    /// A user inside one tenant.
    UserId
);
id_type!(
    /// A role inside one tenant.
    RoleId
);
id_type!(
    /// A design project (案件).
    ProjectId
);
id_type!(
    /// A product-code label.
    LabelId
);
id_type!(
    /// A design file.
    FileId
);
id_type!(
    /// A full export of one tenant's data.
    ExportId
);
id_type!(
    /// A signed-in session (one login, on one device).
    SessionId
);

impl TenantId {
    /// The PostgreSQL schema holding this tenant's tables. Only hex digits
    /// follow the prefix, so it is safe to put in a statement.
    pub fn schema_name(&self) -> String {
        format!("tenant_{}", self.0.simple())
    }
}
