//! The atomic save sequence (FORMAT.md, "Saving") and its test-only failpoints.

use std::fs::{self, OpenOptions};
use std::io::Write;

use super::Vault;
use super::files::{dir_of, read, sync_dir, temp_prefix};
use super::payload::encode_accounts;
use crate::Error;
use crate::format;

/// A step of the save sequence, after which a test-only failpoint can stop it.
///
/// # Examples
///
/// ```
/// use otpkit_vault::Step;
/// assert_eq!(Step::ALL.first(), Some(&Step::WriteTemp));
/// ```
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
#[non_exhaustive]
pub enum Step {
    /// The new file is written (not yet synced).
    WriteTemp,
    /// The new file is synced to disk.
    SyncTemp,
    /// The current file is linked into the backups folder.
    Backup,
    /// The new file is renamed over the vault.
    Rename,
    /// The directory is synced.
    SyncDir,
    /// Old backups are pruned.
    Prune,
}

impl Step {
    /// Every step, in order.
    pub const ALL: [Self; 6] = [
        Self::WriteTemp,
        Self::SyncTemp,
        Self::Backup,
        Self::Rename,
        Self::SyncDir,
        Self::Prune,
    ];
}

#[cfg(feature = "failpoints")]
std::thread_local! {
    static FAILPOINT: core::cell::Cell<Option<Step>> = const { core::cell::Cell::new(None) };
}

/// Makes this thread's next saves stop right after `step`, as a crash there would (feature
/// `failpoints`, for tests): nothing after it runs, no clean-up either.
///
/// # Examples
///
/// ```
/// # use otpkit_vault::{KdfParams, Password, Step, Vault, set_failpoint};
/// # let dir = tempfile::tempdir()?;
/// # let path = dir.path().join("v");
/// # let pw = Password::new("pw".into());
/// let mut vault = Vault::create(&path, &pw, KdfParams::CHEAP)?;
/// set_failpoint(Some(Step::SyncTemp));
/// assert!(vault.save().is_err());
/// set_failpoint(None);
/// assert_eq!(Vault::open(&path, &pw)?.generation(), 1); // the old version
/// # Ok::<(), Box<dyn std::error::Error>>(())
/// ```
#[cfg(feature = "failpoints")]
pub fn set_failpoint(step: Option<Step>) {
    FAILPOINT.with(|f| f.set(step));
}

#[allow(clippy::unnecessary_wraps)]
fn failpoint(_step: Step) -> Result<(), Error> {
    #[cfg(feature = "failpoints")]
    if FAILPOINT.with(core::cell::Cell::get) == Some(_step) {
        return Err(Error::Failpoint(_step));
    }
    Ok(())
}

impl Vault {
    /// The save sequence; the caller holds the lock.
    pub(super) fn write_locked(&mut self) -> Result<(), Error> {
        // Re-read: refuse to overwrite a version another process wrote.
        match read(&self.path) {
            Ok(bytes) => {
                let found = format::parse(&bytes)?.header.generation;
                if found != self.header.generation {
                    return Err(Error::Conflict {
                        expected: self.header.generation,
                        found,
                    });
                }
            }
            Err(Error::NotFound) if self.header.generation == 0 => {}
            Err(e) => return Err(e),
        }
        self.write_locked_unchecked()
    }

    pub(super) fn write_locked_unchecked(&mut self) -> Result<(), Error> {
        let mut header = self.header.clone();
        let previous = header.generation;
        header.generation = previous.saturating_add(1);
        let plain = encode_accounts(&self.accounts)?;
        let bytes = format::seal(&mut header, &self.master, &plain)?;
        let dir = dir_of(&self.path);

        let suffix = format::hex(&crate::rand::bytes::<6>()?);
        let temp = dir.join(format!(
            "{}{}-{suffix}",
            temp_prefix(&self.path),
            std::process::id()
        ));
        let mut opts = OpenOptions::new();
        opts.write(true).create_new(true);
        #[cfg(unix)]
        std::os::unix::fs::OpenOptionsExt::mode(&mut opts, 0o600);
        let mut file = opts
            .open(&temp)
            .map_err(Error::io("create the new vault file"))?;
        file.write_all(&bytes)
            .map_err(Error::io("write the new vault file"))?;
        failpoint(Step::WriteTemp)?;
        file.sync_all()
            .map_err(Error::io("sync the new vault file"))?;
        drop(file);
        failpoint(Step::SyncTemp)?;

        if self.path.exists() {
            self.backup_current(previous)?;
        }
        failpoint(Step::Backup)?;
        fs::rename(&temp, &self.path).map_err(Error::io("rename the new file over the vault"))?;
        failpoint(Step::Rename)?;
        sync_dir(&dir)?;
        failpoint(Step::SyncDir)?;
        self.header = header;
        self.prune_backups();
        failpoint(Step::Prune)?;
        Ok(())
    }
}
