//! `Vault`: one encrypted file on disk, opened with a password, saved without ever losing data.
//!
//! Every save runs the same sequence (FORMAT.md, "Saving"): exclusive lock on the sidecar
//! `<file>.lock` → re-read the file and compare its generation → write a new file next to it
//! (`create_new`, 0600) → fsync it → hard-link the current file into the backups folder →
//! rename the new file over → fsync the directory → drop backups beyond the last 5.

use core::fmt;
use std::fs::{self, File, OpenOptions};
use std::io::{self, Write};
use std::path::{Path, PathBuf};

use zeroize::Zeroizing;

use crate::account::StoredAccount;
use crate::format::{self, Header, MasterKey, Slot};
use crate::{Account, Error, KdfParams, Password};

/// How many earlier versions a save keeps in the backups folder.
///
/// # Examples
///
/// ```
/// assert_eq!(otpkit_vault::BACKUPS_KEPT, 5);
/// ```
pub const BACKUPS_KEPT: usize = 5;

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
/// vault.add(Account::new("Example", "alice", Credential::steam(Secret::from_bytes(b"key")?), 0));
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

/// One earlier version in the backups folder ([`Vault::backups`]; see there for an example).
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Backup {
    /// The generation it holds.
    pub generation: u64,
    /// Its file.
    pub path: PathBuf,
}

/// The sidecar lock: held while it lives.
struct Lock(File);

impl Lock {
    /// The exclusive lock every save holds.
    fn take(path: &Path) -> Result<Self, Error> {
        let file = Self::file(path)?;
        file.lock().map_err(Error::io("lock the vault"))?;
        Ok(Self(file))
    }

    /// A shared lock for reading: readers run side by side, and no save is under way while it
    /// is held (so any temporary file then is stale).
    fn shared(path: &Path) -> Result<Self, Error> {
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

fn with_suffix(path: &Path, suffix: &str) -> PathBuf {
    let mut name = path.file_name().map(ToOwned::to_owned).unwrap_or_default();
    name.push(suffix);
    path.with_file_name(name)
}

fn lock_path(path: &Path) -> PathBuf {
    with_suffix(path, ".lock")
}

fn temp_prefix(path: &Path) -> String {
    let name = path
        .file_name()
        .map(|n| n.to_string_lossy().into_owned())
        .unwrap_or_default();
    format!(".{name}.tmp-")
}

fn dir_of(path: &Path) -> PathBuf {
    match path.parent() {
        Some(p) if !p.as_os_str().is_empty() => p.to_owned(),
        _ => PathBuf::from("."),
    }
}

fn sync_dir(dir: &Path) -> Result<(), Error> {
    #[cfg(unix)]
    File::open(dir)
        .and_then(|d| d.sync_all())
        .map_err(Error::io("sync the directory"))?;
    let _ = dir;
    Ok(())
}

/// Reads the file; `NotFound` when there is none.
fn read(path: &Path) -> Result<Vec<u8>, Error> {
    fs::read(path).map_err(|e| match e.kind() {
        io::ErrorKind::NotFound => Error::NotFound,
        _ => Error::Io {
            step: "read the vault",
            source: e,
        },
    })
}

/// Removes temporary files a crashed save left (only called under the lock, so none is live).
fn clean_temps(path: &Path) {
    let prefix = temp_prefix(path);
    let Ok(entries) = fs::read_dir(dir_of(path)) else {
        return;
    };
    for entry in entries.flatten() {
        if entry.file_name().to_string_lossy().starts_with(&prefix) {
            let _ = fs::remove_file(entry.path());
        }
    }
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
        let master: MasterKey = Zeroizing::new(crate::rand::bytes());
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
        clean_temps(path);
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
    ///     v.add(Account::new("", "bob", Credential::steam(Secret::from_bytes(b"k").unwrap()), 0));
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
    /// vault.add(Account::new("Example", "alice", Credential::steam(Secret::from_bytes(b"k")?), 0));
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
    /// vault.add(Account::new("Example", "alice", Credential::steam(Secret::from_bytes(b"k")?), 0));
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
    /// vault.add(Account::new("A", "a", cred(), 0));
    /// vault.add(Account::new("B", "b", cred(), 0));
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
    /// vault.add(Account::new("A", "a", Credential::steam(Secret::from_bytes(b"k")?), 0));
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

    /// The save sequence; the caller holds the lock.
    fn write_locked(&mut self) -> Result<(), Error> {
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

    fn write_locked_unchecked(&mut self) -> Result<(), Error> {
        let mut header = self.header.clone();
        let previous = header.generation;
        header.generation = previous.saturating_add(1);
        let plain = encode_accounts(&self.accounts)?;
        let bytes = format::seal(&mut header, &self.master, &plain)?;
        let dir = dir_of(&self.path);

        let suffix = format::hex(&crate::rand::bytes::<6>());
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

    /// Hard-links (or, where links fail, copies) the current file into the backups folder.
    fn backup_current(&self, generation: u64) -> Result<(), Error> {
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

    fn prune_backups(&self) {
        if let Ok(list) = Self::backups(&self.path) {
            for old in list.iter().skip(BACKUPS_KEPT) {
                let _ = fs::remove_file(&old.path);
            }
        }
    }
}

#[derive(serde::Serialize, serde::Deserialize)]
struct StoredList {
    accounts: Vec<StoredAccount>,
}

fn encode_accounts(accounts: &[Account]) -> Result<Zeroizing<Vec<u8>>, Error> {
    let list = StoredList {
        accounts: accounts.iter().map(StoredAccount::from).collect(),
    };
    // Measured first, then written into a buffer of exactly that size, so that growing never
    // leaves a copy of the plaintext behind in freed memory.
    let mut counter = Counter(0);
    serde_json::to_writer(&mut counter, &list).map_err(|_| Error::BadPayload)?;
    let mut out = Zeroizing::new(Vec::with_capacity(counter.0));
    serde_json::to_writer(&mut *out, &list).map_err(|_| Error::BadPayload)?;
    Ok(out)
}

/// A writer that only counts the bytes.
struct Counter(usize);

impl Write for Counter {
    fn write(&mut self, buf: &[u8]) -> io::Result<usize> {
        self.0 = self.0.saturating_add(buf.len());
        Ok(buf.len())
    }

    fn flush(&mut self) -> io::Result<()> {
        Ok(())
    }
}

fn decode_accounts(plain: &[u8]) -> Result<Vec<Account>, Error> {
    let list: StoredList = serde_json::from_slice(plain).map_err(|_| Error::BadPayload)?;
    list.accounts.into_iter().map(Account::try_from).collect()
}

/// Creates `dir` and its missing parents, owner-only (0700) where the platform has modes.
fn create_private_dir(dir: &Path) -> io::Result<()> {
    let mut builder = fs::DirBuilder::new();
    builder.recursive(true);
    #[cfg(unix)]
    std::os::unix::fs::DirBuilderExt::mode(&mut builder, 0o700);
    builder.create(dir)
}
