//! The sidecar lock file `<vault>.lock`: exclusive while a save runs, shared while a reader reads.

use std::fs::{File, OpenOptions};
use std::io;
use std::path::{Path, PathBuf};

use super::files::with_suffix;
use crate::Error;

/// The sidecar lock: held while it lives.
pub(super) struct Lock(File);

impl Lock {
    /// The exclusive lock every save holds.
    pub(super) fn take(path: &Path) -> Result<Self, Error> {
        let file = Self::file(path)?;
        file.lock().map_err(Error::io("lock the vault"))?;
        Ok(Self(file))
    }

    /// A shared lock for reading: readers run side by side, and no save is under way while it
    /// is held (so any temporary file then is stale).
    ///
    /// Where the folder is not writable (a read-only mount, another user's vault), the lock
    /// file is opened read-only when it exists, and `None` when it does not: reading needs no
    /// lock, since a save replaces the file whole by a rename (a reader sees the old version or
    /// the new one), and a reader that cannot write cannot clean temporary files anyway.
    pub(super) fn shared(path: &Path) -> Result<Option<Self>, Error> {
        let file = match Self::file(path) {
            Ok(file) => file,
            Err(Error::Io { source, .. }) if read_only(&source) => {
                match File::open(lock_path(path)) {
                    Ok(file) => file,
                    Err(_) => return Ok(None),
                }
            }
            Err(e) => return Err(e),
        };
        file.lock_shared().map_err(Error::io("lock the vault"))?;
        Ok(Some(Self(file)))
    }

    fn file(path: &Path) -> Result<File, Error> {
        let mut opts = OpenOptions::new();
        opts.create(true).truncate(false).write(true);
        #[cfg(unix)]
        std::os::unix::fs::OpenOptionsExt::mode(&mut opts, 0o600);
        let file = opts.open(lock_path(path)).map_err(|e| match e.kind() {
            // No folder, so no vault.
            io::ErrorKind::NotFound => Error::NotFound,
            _ => Error::Io {
                step: "open the lock file",
                source: e,
            },
        })?;
        Ok(file)
    }
}

impl Drop for Lock {
    fn drop(&mut self) {
        let _ = self.0.unlock();
    }
}

/// Whether `e` says the folder (or the lock file) cannot be written.
fn read_only(e: &io::Error) -> bool {
    matches!(
        e.kind(),
        io::ErrorKind::PermissionDenied | io::ErrorKind::ReadOnlyFilesystem
    )
}

pub(super) fn lock_path(path: &Path) -> PathBuf {
    with_suffix(path, ".lock")
}
