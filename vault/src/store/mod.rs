//! `Vault`: one encrypted file on disk, opened with a password, saved without ever losing data.
//!
//! Every save runs the same sequence (FORMAT.md, "Saving"): exclusive lock on the sidecar
//! `<file>.lock` → re-read the file and compare its generation → write a new file next to it
//! (`create_new`, 0600) → fsync it → hard-link the current file into the backups folder →
//! rename the new file over → fsync the directory → drop backups beyond the last 5.

mod backups;
mod files;
mod lock;
mod payload;
mod save;

use core::fmt;
use std::path::{Path, PathBuf};

use zeroize::Zeroizing;

pub use self::backups::{BACKUPS_KEPT, Backup};
use self::files::{clean_temps, create_private_dir, dir_of, read};
use self::lock::Lock;
use self::payload::decode_accounts;
pub use self::save::Step;
#[cfg(feature = "failpoints")]
pub use self::save::set_failpoint;
use crate::format::{self, Header, MasterKey, Slot};
use crate::{Account, Error, KdfParams, Password};

/// An open vault: its accounts in memory, its master key, and where it lives.
///
/// # Examples
///
/// ```
/// use otpkit::{Credential, Secret};
/// use otpkit_vault::{Account, KdfParams, Password, Vault};
///
/// let dir = tempfile::tempdir()?;
/// let path = dir.path().join("vault.otpkit");
/// let password = Password::new("correct horse".into());
/// let mut vault = Vault::create(&path, &password, KdfParams::CHEAP)?;
/// vault.add(Account::new("Example", "alice", Credential::steam(Secret::from_bytes(b"key")?), 0)?);
/// vault.save()?;
///
/// let vault = Vault::open(&path, &password)?;
/// assert_eq!(vault.accounts()[0].name, "alice");
/// assert!(matches!(Vault::open(&path, &Password::new("nope".into())), Err(otpkit_vault::Error::WrongPassword)));
/// # Ok::<(), Box<dyn std::error::Error>>(())
/// ```
pub struct Vault {
    path: PathBuf,
    header: Header,
    master: MasterKey,
    accounts: Vec<Account>,
}

impl fmt::Debug for Vault {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("Vault")
            .field("path", &self.path)
            .field("generation", &self.header.generation)
            .field("accounts", &self.accounts.len())
            .finish_non_exhaustive()
    }
}

/// What a vault file's header says ([`Vault::inspect`]); see there for an example.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
#[non_exhaustive]
pub struct FileInfo {
    /// The format version.
    pub version: u32,
    /// How many times it was saved.
    pub generation: u64,
    /// How many key slots it has.
    pub slots: usize,
    /// The first slot's Argon2id parameters.
    pub kdf: KdfParams,
}

impl Vault {
    /// The default vault file: `$XDG_DATA_HOME/otpkit/vault.otpkit`, else
    /// `~/.local/share/otpkit/vault.otpkit`; `None` when neither variable is set.
    ///
    /// # Examples
    ///
    /// ```
    /// if let Some(path) = otpkit_vault::Vault::default_path() {
    ///     assert!(path.ends_with("otpkit/vault.otpkit"));
    /// }
    /// ```
    #[must_use]
    pub fn default_path() -> Option<PathBuf> {
        let base = std::env::var_os("XDG_DATA_HOME")
            .map(PathBuf::from)
            .filter(|p| p.is_absolute())
            .or_else(|| {
                std::env::var_os("HOME")
                    .map(PathBuf::from)
                    .filter(|p| p.is_absolute())
                    .map(|h| h.join(".local").join("share"))
            })?;
        Some(base.join("otpkit").join("vault.otpkit"))
    }

    /// Creates a new, empty vault at `path` (and its folder, 0700), protected by `password`.
    ///
    /// # Errors
    ///
    /// [`Error::AlreadyExists`] when a vault is there; [`Error::Io`] when a step fails;
    /// [`Error::KdfRefused`] for parameters Argon2 refuses.
    ///
    /// # Examples
    ///
    /// ```
    /// # use otpkit::{Credential, Secret};
    /// # use otpkit_vault::{Account, KdfParams, Password, Vault};
    /// # let dir = tempfile::tempdir()?;
    /// # let path = dir.path().join("vault.otpkit");
    /// # let pw = Password::new("pw".into());
    /// let vault = Vault::create(&path, &pw, KdfParams::CHEAP)?;
    /// assert!(vault.accounts().is_empty());
    /// assert!(matches!(Vault::create(&path, &pw, KdfParams::CHEAP), Err(otpkit_vault::Error::AlreadyExists)));
    /// # Ok::<(), Box<dyn std::error::Error>>(())
    /// ```
    pub fn create(path: &Path, password: &Password, params: KdfParams) -> Result<Self, Error> {
        let dir = dir_of(path);
        if !dir.exists() {
            create_private_dir(&dir).map_err(Error::io("create the vault's folder"))?;
        }
        let _lock = Lock::take(path)?;
        if path.exists() {
            return Err(Error::AlreadyExists);
        }
        let master: MasterKey = Zeroizing::new(crate::rand::bytes()?);
        let header = format::new_header(password, params, &master)?;
        let mut vault = Self {
            path: path.to_owned(),
            header,
            master,
            accounts: Vec::new(),
        };
        vault.write_locked()?;
        Ok(vault)
    }

    /// Opens the vault at `path`. Removes temporary files an interrupted save left; changes
    /// nothing else.
    ///
    /// Needs only read access: in a folder it cannot write (a read-only mount, a vault shared
    /// read-only) it reads without creating the lock file, and leaves temporary files alone.
    ///
    /// # Errors
    ///
    /// [`Error::WrongPassword`], [`Error::Truncated`], [`Error::Damaged`],
    /// [`Error::NotAVault`], [`Error::NotFound`], ... (none of them changes a file).
    ///
    /// # Examples
    ///
    /// ```
    /// # use otpkit::{Credential, Secret};
    /// # use otpkit_vault::{Account, KdfParams, Password, Vault};
    /// # let dir = tempfile::tempdir()?;
    /// # let path = dir.path().join("vault.otpkit");
    /// # let pw = Password::new("pw".into());
    /// Vault::create(&path, &pw, KdfParams::CHEAP)?;
    /// assert_eq!(Vault::open(&path, &pw)?.generation(), 1);
    /// let err = Vault::open(&path, &Password::new("wrong".into())).unwrap_err();
    /// assert_eq!(err.to_string(), "wrong password");
    /// # Ok::<(), Box<dyn std::error::Error>>(())
    /// ```
    pub fn open(path: &Path, password: &Password) -> Result<Self, Error> {
        let lock = Lock::shared(path)?;
        if lock.is_some() {
            clean_temps(path);
        }
        let bytes = read(path)?;
        drop(lock);
        Self::from_bytes(path, &bytes, password)
    }

    /// What a vault file's header says, without a password (and without deriving a key).
    ///
    /// # Errors
    ///
    /// Those of [`Vault::open`] that concern the file itself: [`Error::Truncated`],
    /// [`Error::Damaged`], [`Error::NotAVault`], [`Error::BadHeader`], ...
    ///
    /// # Examples
    ///
    /// ```
    /// # use otpkit_vault::{KdfParams, Password, Vault};
    /// # let dir = tempfile::tempdir()?;
    /// let path = dir.path().join("v");
    /// Vault::create(&path, &Password::new("pw".into()), KdfParams::CHEAP)?;
    /// let info = Vault::inspect(&std::fs::read(&path)?)?;
    /// assert_eq!((info.version, info.generation, info.slots), (1, 1, 1));
    /// assert_eq!(info.kdf, KdfParams::CHEAP);
    /// # Ok::<(), Box<dyn std::error::Error>>(())
    /// ```
    pub fn inspect(bytes: &[u8]) -> Result<FileInfo, Error> {
        let parsed = format::parse(bytes)?;
        let kdf = parsed
            .header
            .slots
            .first()
            .ok_or(Error::BadHeader("no key slot"))?
            .params()?;
        Ok(FileInfo {
            version: parsed.header.version,
            generation: parsed.header.generation,
            slots: parsed.header.slots.len(),
            kdf,
        })
    }

    /// Decrypts a vault file held in memory (a copy, a backup) and returns its accounts.
    ///
    /// # Errors
    ///
    /// Those of [`Vault::open`], except the I/O ones.
    ///
    /// # Examples
    ///
    /// ```
    /// # use otpkit_vault::{KdfParams, Password, Vault};
    /// # let dir = tempfile::tempdir()?;
    /// # let path = dir.path().join("v");
    /// # let pw = Password::new("pw".into());
    /// Vault::create(&path, &pw, KdfParams::CHEAP)?;
    /// assert!(Vault::decrypt(&std::fs::read(&path)?, &pw)?.is_empty());
    /// # Ok::<(), Box<dyn std::error::Error>>(())
    /// ```
    pub fn decrypt(bytes: &[u8], password: &Password) -> Result<Vec<Account>, Error> {
        Self::from_bytes(Path::new(""), bytes, password).map(|v| v.accounts)
    }

    fn from_bytes(path: &Path, bytes: &[u8], password: &Password) -> Result<Self, Error> {
        let parsed = format::parse(bytes)?;
        let master = parsed.unlock(password)?;
        let plain = parsed.open(&master)?;
        let accounts = decode_accounts(&plain)?;
        Ok(Self {
            path: path.to_owned(),
            header: parsed.header,
            master,
            accounts,
        })
    }

    /// Opens the vault, runs `change` and saves, all under the lock, so that concurrent
    /// processes each see the other's changes (none is refused with [`Error::Conflict`]).
    /// Nothing is written when `change` fails.
    ///
    /// # Errors
    ///
    /// Those of [`Vault::open`], of `change`, and of [`Vault::save`].
    ///
    /// # Examples
    ///
    /// ```
    /// # use otpkit::{Credential, Secret};
    /// # use otpkit_vault::{Account, KdfParams, Password, Vault};
    /// # let dir = tempfile::tempdir()?;
    /// # let path = dir.path().join("v");
    /// # let pw = Password::new("pw".into());
    /// Vault::create(&path, &pw, KdfParams::CHEAP)?;
    /// Vault::edit(&path, &pw, |v| {
    ///     v.add(Account::new("", "bob", Credential::steam(Secret::from_bytes(b"k").unwrap()), 0)?);
    ///     Ok::<(), otpkit_vault::Error>(())
    /// })?;
    /// assert_eq!(Vault::open(&path, &pw)?.accounts().len(), 1);
    /// # Ok::<(), Box<dyn std::error::Error>>(())
    /// ```
    pub fn edit<T, E>(
        path: &Path,
        password: &Password,
        change: impl FnOnce(&mut Self) -> Result<T, E>,
    ) -> Result<T, E>
    where
        E: From<Error>,
    {
        let _lock = Lock::take(path)?;
        clean_temps(path);
        let bytes = read(path)?;
        let mut vault = Self::from_bytes(path, &bytes, password)?;
        let out = change(&mut vault)?;
        vault.write_locked()?;
        Ok(out)
    }

    /// [`Vault::edit`] for a vault already open: takes the lock, re-reads the file with the
    /// master key this vault holds (no key derivation, so no second password prompt's worth
    /// of Argon2), runs `change` on what is on disk now and saves. Another process's save since
    /// this one opened is taken in first (changes made here and not saved are then replaced by
    /// the file's); nothing is written when `change` fails.
    ///
    /// # Errors
    ///
    /// Those of [`Vault::open`] that concern the file, of `change`, and of [`Vault::save`];
    /// [`Error::Conflict`] when the file on disk is no longer sealed with this vault's master
    /// key (another vault was put in its place).
    ///
    /// # Examples
    ///
    /// ```
    /// # use otpkit::{Credential, Secret};
    /// # use otpkit_vault::{Account, KdfParams, Password, Vault};
    /// # let dir = tempfile::tempdir()?;
    /// # let path = dir.path().join("v");
    /// # let pw = Password::new("pw".into());
    /// Vault::create(&path, &pw, KdfParams::CHEAP)?;
    /// let mut vault = Vault::open(&path, &pw)?; // the one key derivation
    /// Vault::edit(&path, &pw, |other| {         // another process adds an account
    ///     other.add(Account::new("", "bob", Credential::steam(Secret::from_bytes(b"k")?), 0)?);
    ///     Ok::<(), Box<dyn std::error::Error>>(())
    /// })?;
    /// vault.update(|v| {
    ///     v.accounts_mut()[0].note = "seen".into(); // bob is there: the file was re-read
    ///     Ok::<(), otpkit_vault::Error>(())
    /// })?;
    /// assert_eq!(Vault::open(&path, &pw)?.accounts()[0].note, "seen");
    /// # Ok::<(), Box<dyn std::error::Error>>(())
    /// ```
    pub fn update<T, E>(&mut self, change: impl FnOnce(&mut Self) -> Result<T, E>) -> Result<T, E>
    where
        E: From<Error>,
    {
        let _lock = Lock::take(&self.path)?;
        clean_temps(&self.path);
        let bytes = read(&self.path)?;
        let parsed = format::parse(&bytes)?;
        let conflict = Error::Conflict {
            expected: self.header.generation,
            found: parsed.header.generation,
        };
        let plain = parsed.open(&self.master).map_err(|_| conflict)?;
        self.accounts = decode_accounts(&plain)?;
        self.header = parsed.header;
        let out = change(self)?;
        self.write_locked()?;
        Ok(out)
    }

    /// The file this vault lives in.
    ///
    /// # Examples
    ///
    /// ```
    /// # use otpkit::{Credential, Secret};
    /// # use otpkit_vault::{Account, KdfParams, Password, Vault};
    /// # let dir = tempfile::tempdir()?;
    /// # let path = dir.path().join("vault.otpkit");
    /// # let pw = Password::new("pw".into());
    /// let vault = Vault::create(&path, &pw, KdfParams::CHEAP)?;
    /// assert_eq!(vault.path(), path);
    /// # Ok::<(), Box<dyn std::error::Error>>(())
    /// ```
    #[must_use]
    pub fn path(&self) -> &Path {
        &self.path
    }

    /// How many times this vault has been saved.
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
    /// assert_eq!(vault.generation(), 2);
    /// # Ok::<(), Box<dyn std::error::Error>>(())
    /// ```
    #[must_use]
    pub fn generation(&self) -> u64 {
        self.header.generation
    }

    /// The accounts, in stored order.
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
    /// vault.add(Account::new("Example", "alice", Credential::steam(Secret::from_bytes(b"k")?), 0)?);
    /// assert_eq!(vault.accounts()[0].name, "alice");
    /// # Ok::<(), Box<dyn std::error::Error>>(())
    /// ```
    #[must_use]
    pub fn accounts(&self) -> &[Account] {
        &self.accounts
    }

    /// The accounts, to change in place (saved by [`Vault::save`]).
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
    /// vault.add(Account::new("Example", "alice", Credential::steam(Secret::from_bytes(b"k")?), 0)?);
    /// vault.accounts_mut()[0].note = "work phone".into();
    /// vault.save()?;
    /// assert_eq!(Vault::open(&path, &pw)?.accounts()[0].note, "work phone");
    /// # Ok::<(), Box<dyn std::error::Error>>(())
    /// ```
    pub fn accounts_mut(&mut self) -> &mut Vec<Account> {
        &mut self.accounts
    }

    /// Appends an account at the end of the order.
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
    /// let cred = || Credential::steam(Secret::from_bytes(b"k").unwrap());
    /// vault.add(Account::new("A", "a", cred(), 0)?);
    /// vault.add(Account::new("B", "b", cred(), 0)?);
    /// assert_eq!(vault.accounts()[1].order, 1);
    /// # Ok::<(), Box<dyn std::error::Error>>(())
    /// ```
    pub fn add(&mut self, mut account: Account) {
        account.order = self
            .accounts
            .iter()
            .map(|a| a.order.saturating_add(1))
            .max()
            .unwrap_or(0);
        self.accounts.push(account);
    }

    /// The Argon2id parameters of the first slot.
    ///
    /// # Examples
    ///
    /// ```
    /// # use otpkit::{Credential, Secret};
    /// # use otpkit_vault::{Account, KdfParams, Password, Vault};
    /// # let dir = tempfile::tempdir()?;
    /// # let path = dir.path().join("vault.otpkit");
    /// # let pw = Password::new("pw".into());
    /// let vault = Vault::create(&path, &pw, KdfParams::CHEAP)?;
    /// assert_eq!(vault.kdf_params(), Some(KdfParams::CHEAP));
    /// # Ok::<(), Box<dyn std::error::Error>>(())
    /// ```
    #[must_use]
    pub fn kdf_params(&self) -> Option<KdfParams> {
        self.header.slots.first().and_then(|s| s.params().ok())
    }

    /// Replaces the password: the master key is re-wrapped under a new slot (the account list
    /// is not re-encrypted under a new key). Takes effect on the next save.
    ///
    /// # Errors
    ///
    /// [`Error::KdfRefused`] for parameters Argon2 refuses.
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
    /// let new = Password::new("new".into());
    /// vault.change_password(&new, KdfParams::CHEAP)?;
    /// vault.save()?;
    /// assert!(Vault::open(&path, &new).is_ok());
    /// assert!(Vault::open(&path, &pw).is_err());
    /// # Ok::<(), Box<dyn std::error::Error>>(())
    /// ```
    pub fn change_password(&mut self, password: &Password, params: KdfParams) -> Result<(), Error> {
        self.header.slots = vec![Slot::new(password, params, &self.master)?];
        Ok(())
    }

    /// Saves: takes the lock, refuses if another process saved since this one read
    /// ([`Error::Conflict`]), then writes the new version safely and keeps a backup.
    ///
    /// # Errors
    ///
    /// [`Error::Conflict`], [`Error::Io`] (the vault on disk is then the old version or the
    /// new one, never a mix), or an error reading the file on disk (then nothing is written).
    ///
    /// # Examples
    ///
    /// ```
    /// # use otpkit::{Credential, Secret};
    /// # use otpkit_vault::{Account, KdfParams, Password, Vault};
    /// # let dir = tempfile::tempdir()?;
    /// # let path = dir.path().join("vault.otpkit");
    /// # let pw = Password::new("pw".into());
    /// let mut stale = Vault::create(&path, &pw, KdfParams::CHEAP)?;
    /// Vault::open(&path, &pw)?.save()?; // another writer
    /// assert_eq!(
    ///     stale.save().unwrap_err().to_string(),
    ///     "the vault was changed by another process (generation 2, expected 1)"
    /// );
    /// # Ok::<(), Box<dyn std::error::Error>>(())
    /// ```
    pub fn save(&mut self) -> Result<(), Error> {
        let _lock = Lock::take(&self.path)?;
        self.write_locked()
    }
}
