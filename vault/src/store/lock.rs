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
    pub(super) fn shared(path: &Path) -> Result<Self, Error> {
        let file = Self::file(path)?;
        file.lock_shared().map_err(Error::io("lock the vault"))?;
        Ok(Self(file))
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

pub(super) fn lock_path(path: &Path) -> PathBuf {
    with_suffix(path, ".lock")
}
