//! The permission catalogue. Names are stable: clients and stored roles use them.

/// One grantable operation.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Permission {
    pub name: &'static str,
    /// Holding any privileged permission makes login require an SMS code.
    pub privileged: bool,
    pub description_ja: &'static str,
    pub description_en: &'static str,
}

const fn p(name: &'static str, privileged: bool, ja: &'static str, en: &'static str) -> Permission {
    Permission {
        name,
        privileged,
        description_ja: ja,
        description_en: en,
    }
}

pub const CATALOGUE: &[Permission] = &[
    p("projects.read", false, "案件を閲覧する", "Read projects"),
    p(
        "projects.write",
        false,
        "案件を作成・編集する",
        "Create and edit projects",
    ),
    p(
        "projects.delete",
        false,
        "案件を削除する",
        "Delete projects",
    ),
    p(
        "files.read",
        false,
        "デザインファイルを閲覧・ダウンロードする",
        "Read and download design files",
    ),
    p(
        "files.write",
        false,
        "デザインファイルをアップロード・削除する",
        "Upload and delete design files",
    ),
    p(
        "labels.read",
        false,
        "商品コードラベルを閲覧する",
        "Read product-code labels",
    ),
    p(
        "labels.manage",
        false,
        "商品コードラベルを管理する",
        "Manage product-code labels",
    ),
    p("users.read", false, "ユーザーを閲覧する", "Read users"),
    p(
        "users.manage",
        true,
        "ユーザーを作成・編集する",
        "Create and edit users",
    ),
    p("users.delete", true, "ユーザーを削除する", "Delete users"),
    p(
        "roles.manage",
        true,
        "ロールと権限を管理する",
        "Manage roles and permissions",
    ),
    p(
        "settings.manage",
        true,
        "テナント設定を変更する",
        "Change tenant settings",
    ),
    p(
        "access_logs.read_all",
        true,
        "テナント全体のアクセスログを閲覧・出力する",
        "Read and export the whole tenant's access log",
    ),
    p(
        "exports.create",
        true,
        "全データをエクスポートする",
        "Export all data",
    ),
];

pub fn find(name: &str) -> Option<&'static Permission> {
    CATALOGUE.iter().find(|p| p.name == name)
}

/// A role every tenant starts with; it cannot be deleted.
pub struct BuiltinRole {
    pub name: &'static str,
    pub description: &'static str,
    pub permissions: &'static [&'static str],
}

pub const BUILTIN_ROLES: &[BuiltinRole] = &[
    BuiltinRole {
        name: "admin",
        description: "すべての操作 / Everything",
        permissions: &[
            "projects.read",
            "projects.write",
            "projects.delete",
            "files.read",
            "files.write",
            "labels.read",
            "labels.manage",
            "users.read",
            "users.manage",
            "users.delete",
            "roles.manage",
            "settings.manage",
            "access_logs.read_all",
            "exports.create",
        ],
    },
    BuiltinRole {
        name: "editor",
        description: "案件・ファイル・ラベルの編集 / Edit projects, files and labels",
        permissions: &[
            "projects.read",
            "projects.write",
            "projects.delete",
            "files.read",
            "files.write",
            "labels.read",
            "labels.manage",
            "users.read",
        ],
    },
    BuiltinRole {
        name: "viewer",
        description: "閲覧のみ / Read only",
        permissions: &["projects.read", "files.read", "labels.read", "users.read"],
    },
];

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn admin_holds_every_permission_and_built_in_roles_name_only_known_ones() {
        let admin = &BUILTIN_ROLES[0];
        assert_eq!(admin.permissions.len(), CATALOGUE.len());
        for role in BUILTIN_ROLES {
            for name in role.permissions {
                assert!(find(name).is_some(), "{} grants unknown {name}", role.name);
            }
        }
    }
}
