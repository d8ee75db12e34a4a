//! The backups folder `<vault>.backups`: the last versions a save replaced, listed and restored.

use std::fs::{self, File};
use std::io;
use std::path::{Path, PathBuf};

use super::Vault;
use super::files::{create_private_dir, read, sync_dir, with_suffix};
use super::lock::Lock;
use crate::format;
use crate::{Error, Password};

/// How many earlier versions a save keeps in the backups folder.
///
/// # Examples
///
/// ```
/// assert_eq!(otpkit_vault::BACKUPS_KEPT, 5);
/// ```
pub const BACKUPS_KEPT: usize = 5;

/// One earlier version in the backups folder ([`Vault::backups`]; see there for an example).
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Backup {
    /// The generation it holds.
    pub generation: u64,
    /// Its file.
    pub path: PathBuf,
}

impl Vault {
    /// The backups folder of the vault at `path`: `<file>.backups` next to it.
    ///
    /// # Examples
    ///
    /// ```
    /// let dir = otpkit_vault::Vault::backups_dir("/data/vault.otpkit".as_ref());
    /// assert_eq!(dir, std::path::Path::new("/data/vault.otpkit.backups"));
    /// ```
    #[must_use]
    pub fn backups_dir(path: &Path) -> PathBuf {
        with_suffix(path, ".backups")
    }

    /// The versions in the backups folder, newest first.
    ///
    /// # Errors
    ///
    /// [`Error::Io`] when the folder exists but cannot be read.
    ///
    /// # Examples
    ///
    /// ```
    /// # use otpkit::{Credential, Secret};
    /// # use otpkit_vault::{Account, KdfParams, Password, Vault};
    /// # let dir = tempfile::tempdir()?;
    /// # let path = dir.path().join("vault.otpkit");
    /// # let pw = Password::new("pw".into());
    /// let mut vault = Vault::create(&path, &pw, KdfParams::CHEAP)?;
    /// vault.save()?;
    /// vault.save()?;
    /// let gens: Vec<u64> = Vault::backups(&path)?.iter().map(|b| b.generation).collect();
    /// assert_eq!(gens, [2, 1]);
    /// # Ok::<(), Box<dyn std::error::Error>>(())
    /// ```
    pub fn backups(path: &Path) -> Result<Vec<Backup>, Error> {
        let dir = Self::backups_dir(path);
        let entries = match fs::read_dir(&dir) {
            Ok(e) => e,
            Err(e) if e.kind() == io::ErrorKind::NotFound => return Ok(Vec::new()),
            Err(e) => {
                return Err(Error::Io {
                    step: "read the backups folder",
                    source: e,
                });
            }
        };
        let mut out: Vec<Backup> = entries
            .flatten()
            .filter_map(|e| {
                let name = e.file_name().to_string_lossy().into_owned();
                let generation = name
                    .strip_prefix('g')?
                    .strip_suffix(".otpkit")?
                    .parse()
                    .ok()?;
                Some(Backup {
                    generation,
                    path: e.path(),
                })
            })
            .collect();
        out.sort_by_key(|b| core::cmp::Reverse(b.generation));
        Ok(out)
    }

    /// Makes a backup the current version again: it must open with `password`; its accounts
    /// (and its password) are saved as the next generation, and the version it replaces is
    /// kept as a backup too.
    ///
    /// # Errors
    ///
    /// Those of opening the backup and of saving.
    ///
    /// # Examples
    ///
    /// ```
    /// # use otpkit::{Credential, Secret};
    /// # use otpkit_vault::{Account, KdfParams, Password, Vault};
    /// # let dir = tempfile::tempdir()?;
    /// # let path = dir.path().join("vault.otpkit");
    /// # let pw = Password::new("pw".into());
    /// let mut vault = Vault::create(&path, &pw, KdfParams::CHEAP)?;
    /// vault.add(Account::new("A", "a", Credential::steam(Secret::from_bytes(b"k")?), 0)?);
    /// vault.save()?; // generation 2; generation 1 (empty) is a backup
    /// let first = &Vault::backups(&path)?[0];
    /// let restored = Vault::restore(&path, &first.path, &pw)?;
    /// assert!(restored.accounts().is_empty());
    /// assert_eq!(restored.generation(), 3);
    /// # Ok::<(), Box<dyn std::error::Error>>(())
    /// ```
    pub fn restore(path: &Path, backup: &Path, password: &Password) -> Result<Self, Error> {
        let bytes = read(backup)?;
        let mut restored = Self::from_bytes(path, &bytes, password)?;
        let _lock = Lock::take(path)?;
        // Saved as the generation after the current one. An unreadable current file is kept
        // as a backup numbered after every other, so that no backup is replaced.
        let current = read(path).and_then(|b| format::parse(&b).map(|p| p.header.generation));
        restored.header.generation = match current {
            Ok(generation) => generation,
            Err(_) => Self::backups(path)?
                .iter()
                .map(|b| b.generation)
                .chain([restored.header.generation])
                .max()
                .unwrap_or(0)
                .saturating_add(1),
        };
        restored.write_locked_unchecked()?;
        Ok(restored)
    }

    /// Hard-links (or, where links fail, copies) the current file into the backups folder.
    pub(super) fn backup_current(&self, generation: u64) -> Result<(), Error> {
        let dir = Self::backups_dir(&self.path);
        create_private_dir(&dir).map_err(Error::io("create the backups folder"))?;
        let target = dir.join(format!("g{generation:012}.otpkit"));
        let _ = fs::remove_file(&target);
        if fs::hard_link(&self.path, &target).is_err() {
            fs::copy(&self.path, &target)
                .map_err(Error::io("copy the vault into the backups folder"))?;
            File::open(&target)
                .and_then(|f| f.sync_all())
                .map_err(Error::io("sync the backup"))?;
        }
        sync_dir(&dir)
    }

    pub(super) fn prune_backups(&self) {
        if let Ok(list) = Self::backups(&self.path) {
            for old in list.iter().skip(BACKUPS_KEPT) {
                let _ = fs::remove_file(&old.path);
            }
        }
    }
}
