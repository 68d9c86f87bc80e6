//! Files the service writes under its data directory (SQLite databases,
//! objects, the SMS and mail outboxes, keys) hold customers' secrets in
//! development setups: directories are 0700 and files 0600, whatever the
//! process's umask.

use std::{
    io,
    os::unix::fs::{OpenOptionsExt, PermissionsExt},
    path::Path,
};

pub const FILE_MODE: u32 = 0o600;
const DIR_MODE: u32 = 0o700;

/// Creates `dir` (and its parents) and makes `dir` itself private.
pub fn create_dir(dir: &Path) -> io::Result<()> {
    std::fs::create_dir_all(dir)?;
    std::fs::set_permissions(dir, std::fs::Permissions::from_mode(DIR_MODE))
}

/// Creates `dir` and the missing directories between `root` and it, each
/// private (object keys nest folders).
pub async fn create_dirs_under(root: &Path, dir: &Path) -> io::Result<()> {
    tokio::fs::create_dir_all(dir).await?;
    let mut at = dir;
    while at != root && at.starts_with(root) {
        tokio::fs::set_permissions(at, std::fs::Permissions::from_mode(DIR_MODE)).await?;
        match at.parent() {
            Some(parent) => at = parent,
            None => break,
        }
    }
    Ok(())
}

/// Creates an empty private file when there is none (SQLite then keeps
/// its mode, and gives it to its journal and WAL files). An existing file is
/// never opened: closing any descriptor of a database file drops the POSIX
/// locks SQLite holds on it in this process.
pub fn touch(path: &Path) -> io::Result<()> {
    match std::fs::OpenOptions::new()
        .write(true)
        .create_new(true)
        .mode(FILE_MODE)
        .open(path)
    {
        Err(e) if e.kind() == io::ErrorKind::AlreadyExists => Ok(()),
        other => other.map(|_| ()),
    }
}

/// Options for a new private file (written whole, replacing any).
pub fn new_file() -> tokio::fs::OpenOptions {
    let mut options = tokio::fs::OpenOptions::new();
    options
        .write(true)
        .create(true)
        .truncate(true)
        .mode(FILE_MODE);
    options
}

/// Writes `bytes` to a new private file at `path`.
pub async fn write(path: &Path, bytes: &[u8]) -> io::Result<()> {
    use tokio::io::AsyncWriteExt;
    let mut file = new_file().open(path).await?;
    file.write_all(bytes).await?;
    file.flush().await
}
