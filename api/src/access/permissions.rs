//! The permission catalogue. Names are stable: clients and stored roles use
//! them. In code a permission is a [`Permission`], so a typo does not compile.

use std::{collections::BTreeSet, fmt, str::FromStr};

use serde::{Deserialize, Serialize};
use utoipa::ToSchema;

/// One grantable operation.
#[derive(
    Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize, ToSchema,
)]
pub enum Permission {
    #[serde(rename = "projects.read")]
    ProjectsRead,
    #[serde(rename = "projects.write")]
    ProjectsWrite,
    #[serde(rename = "projects.delete")]
    ProjectsDelete,
    #[serde(rename = "files.read")]
    FilesRead,
    #[serde(rename = "files.write")]
    FilesWrite,
    #[serde(rename = "labels.read")]
    LabelsRead,
    #[serde(rename = "labels.manage")]
    LabelsManage,
    #[serde(rename = "users.read")]
    UsersRead,
    #[serde(rename = "users.manage")]
    UsersManage,
    #[serde(rename = "users.delete")]
    UsersDelete,
    #[serde(rename = "roles.manage")]
    RolesManage,
    #[serde(rename = "settings.manage")]
    SettingsManage,
    #[serde(rename = "access_logs.read_all")]
    AccessLogsReadAll,
    #[serde(rename = "exports.create")]
    ExportsCreate,
}

use Permission::*;

impl Permission {
    /// The catalogue, in the order clients show it.
    pub const ALL: [Permission; 14] = [
        ProjectsRead,
        ProjectsWrite,
        ProjectsDelete,
        FilesRead,
        FilesWrite,
        LabelsRead,
        LabelsManage,
        UsersRead,
        UsersManage,
        UsersDelete,
        RolesManage,
        SettingsManage,
        AccessLogsReadAll,
        ExportsCreate,
    ];

    pub fn name(self) -> &'static str {
        match self {
            ProjectsRead => "projects.read",
            ProjectsWrite => "projects.write",
            ProjectsDelete => "projects.delete",
            FilesRead => "files.read",
            FilesWrite => "files.write",
            LabelsRead => "labels.read",
            LabelsManage => "labels.manage",
            UsersRead => "users.read",
            UsersManage => "users.manage",
            UsersDelete => "users.delete",
            RolesManage => "roles.manage",
            SettingsManage => "settings.manage",
            AccessLogsReadAll => "access_logs.read_all",
            ExportsCreate => "exports.create",
        }
    }

    /// Holding any privileged permission makes login require an SMS code.
    pub fn privileged(self) -> bool {
        matches!(
            self,
            UsersManage
                | UsersDelete
                | RolesManage
                | SettingsManage
                | AccessLogsReadAll
                | ExportsCreate
        )
    }

    /// Japanese and English descriptions, as the role editor shows them.
    pub fn description(self) -> (&'static str, &'static str) {
        match self {
            ProjectsRead => ("案件を閲覧する", "Read projects"),
            ProjectsWrite => ("案件を作成・編集する", "Create and edit projects"),
            ProjectsDelete => ("案件を削除する", "Delete projects"),
            FilesRead => (
                "デザインファイルを閲覧・ダウンロードする",
                "Read and download design files",
            ),
            FilesWrite => (
                "デザインファイルをアップロード・削除する",
                "Upload and delete design files",
            ),
            LabelsRead => ("商品コードラベルを閲覧する", "Read product-code labels"),
            LabelsManage => ("商品コードラベルを管理する", "Manage product-code labels"),
            UsersRead => ("ユーザーを閲覧する", "Read users"),
            UsersManage => ("ユーザーを作成・編集する", "Create and edit users"),
            UsersDelete => ("ユーザーを削除する", "Delete users"),
            RolesManage => ("ロールと権限を管理する", "Manage roles and permissions"),
            SettingsManage => ("テナント設定を変更する", "Change tenant settings"),
            AccessLogsReadAll => (
                "テナント全体のアクセスログを閲覧・出力する",
                "Read and export the whole tenant's access log",
            ),
            ExportsCreate => ("全データをエクスポートする", "Export all data"),
        }
    }
}

impl fmt::Display for Permission {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.name())
    }
}

impl FromStr for Permission {
    type Err = ();

    fn from_str(s: &str) -> Result<Self, ()> {
        Permission::ALL
            .into_iter()
            .find(|p| p.name() == s)
            .ok_or(())
    }
}

/// The permissions a role stores (a JSON list of names). A name this build
/// does not know grants nothing: stored data never widens access.
pub fn parse_stored(json: &str) -> BTreeSet<Permission> {
    serde_json::from_str::<Vec<String>>(json)
        .unwrap_or_default()
        .iter()
        .filter_map(|name| name.parse().ok())
        .collect()
}

/// What a role stores for `permissions`.
pub fn to_stored<'a>(permissions: impl IntoIterator<Item = &'a Permission>) -> String {
    let names: Vec<&str> = permissions.into_iter().map(|p| p.name()).collect();
    serde_json::to_string(&names).unwrap_or_else(|_| "[]".to_owned())
}

/// A role every tenant starts with; it cannot be deleted.
pub struct BuiltinRole {
    pub name: &'static str,
    pub description: &'static str,
    pub permissions: &'static [Permission],
}

pub const BUILTIN_ROLES: &[BuiltinRole] = &[
    BuiltinRole {
        name: "admin",
        description: "すべての操作 / Everything",
        permissions: &Permission::ALL,
    },
    BuiltinRole {
        name: "editor",
        description: "案件・ファイル・ラベルの編集 / Edit projects, files and labels",
        permissions: &[
            ProjectsRead,
            ProjectsWrite,
            ProjectsDelete,
            FilesRead,
            FilesWrite,
            LabelsRead,
            LabelsManage,
            UsersRead,
        ],
    },
    BuiltinRole {
        name: "viewer",
        description: "閲覧のみ / Read only",
        permissions: &[ProjectsRead, FilesRead, LabelsRead, UsersRead],
    },
];

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn names_round_trip_through_serde_and_from_str() {
        for p in Permission::ALL {
            assert_eq!(p.name().parse::<Permission>(), Ok(p));
            assert_eq!(serde_json::to_value(p).unwrap(), p.name());
        }
        assert!("projects.reed".parse::<Permission>().is_err());
    }

    #[test]
    fn unknown_stored_names_grant_nothing() {
        let stored = r#"["projects.read","projects.everything"]"#;
        assert_eq!(parse_stored(stored), BTreeSet::from([ProjectsRead]));
        assert!(parse_stored("not json").is_empty());
        assert_eq!(parse_stored(&to_stored(&[UsersRead, FilesRead])).len(), 2);
    }
}
