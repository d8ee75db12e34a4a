//! Importers: the exports of the apps people move from, read into accounts.
//!
//! [`read`] detects the format (or takes the one given), decrypts it when it is encrypted, and
//! returns every entry it could read plus a [`Problem`] for each it could not: a bad entry never
//! stops the others. [`merge`] adds them to a vault, skipping duplicates (same secret, issuer
//! and name). Each reader follows the app's published description of its format; unknown
//! fields and groups are ignored.
//!
//! | format | plain | encrypted |
//! |---|---|---|
//! | `otpauth://` lists (also Ente's plain export), or any JSON holding such URIs (Proton Authenticator) | yes | – |
//! | Google Authenticator `otpauth-migration://` | yes | – |
//! | Aegis JSON | yes | password slots: scrypt → AES-256-GCM |
//! | 2FAS `.2fas` (schema ≤ 4) | yes | PBKDF2-SHA256 → AES-256-GCM |
//! | andOTP JSON | yes | PBKDF2-SHA1 → AES-256-GCM (iterations from the file, ≤ 2,000,000) |
//! | Bitwarden JSON and CSV (`login.totp`) | yes | – |
//! | FreeOTP+ JSON | yes | – |

mod aegis;
mod andotp;
mod bitwarden;
mod freeotp;
mod twofas;
mod uris;

use core::fmt;
use core::str::FromStr;

use otpkit::credential::Kind;
use otpkit::{Algorithm, Credential, Digits, KeyUri, Secret};

use crate::{Account, Color, Password, Vault};

/// The formats [`read`] knows.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
#[non_exhaustive]
pub enum Format {
    /// One `otpauth://` URI per line.
    Otpauth,
    /// Google Authenticator `otpauth-migration://` URIs, one per line.
    GoogleMigration,
    /// Aegis JSON, plain or encrypted.
    Aegis,
    /// 2FAS `.2fas`, plain or encrypted.
    TwoFas,
    /// andOTP JSON, plain, or its encrypted binary backup.
    AndOtp,
    /// Bitwarden JSON export.
    BitwardenJson,
    /// Bitwarden CSV export.
    BitwardenCsv,
    /// FreeOTP+ JSON backup.
    FreeOtpPlus,
}

impl Format {
    /// Every format, in the order [`detect`] tries them.
    pub const ALL: [Self; 8] = [
        Self::Aegis,
        Self::TwoFas,
        Self::BitwardenJson,
        Self::FreeOtpPlus,
        Self::AndOtp,
        Self::BitwardenCsv,
        Self::GoogleMigration,
        Self::Otpauth,
    ];

    /// The name `--format` takes.
    ///
    /// # Examples
    ///
    /// ```
    /// use otpkit_vault::import::Format;
    /// assert_eq!(Format::TwoFas.name(), "2fas");
    /// assert_eq!("2fas".parse::<Format>(), Ok(Format::TwoFas));
    /// ```
    #[must_use]
    pub const fn name(self) -> &'static str {
        match self {
            Self::Otpauth => "otpauth",
            Self::GoogleMigration => "google",
            Self::Aegis => "aegis",
            Self::TwoFas => "2fas",
            Self::AndOtp => "andotp",
            Self::BitwardenJson => "bitwarden",
            Self::BitwardenCsv => "bitwarden-csv",
            Self::FreeOtpPlus => "freeotp-plus",
        }
    }
}

impl fmt::Display for Format {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.name())
    }
}

impl FromStr for Format {
    type Err = Error;

    fn from_str(s: &str) -> Result<Self, Error> {
        Self::ALL
            .into_iter()
            .find(|f| f.name().eq_ignore_ascii_case(s))
            .ok_or(Error::UnknownFormat)
    }
}

/// Why a file could not be imported at all.
///
/// # Examples
///
/// ```
/// assert_eq!(otpkit_vault::import::Error::WrongPassword.to_string(), "wrong password for the import file");
/// ```
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
#[non_exhaustive]
pub enum Error {
    /// No format recognises the file.
    UnknownFormat,
    /// The file is encrypted and no password was given.
    NeedsPassword,
    /// The file's password is wrong (or its ciphertext damaged).
    WrongPassword,
    /// The file is of the format but does not read as it.
    Malformed(&'static str),
    /// The file asks for key derivation work beyond the bounds.
    KdfRefused,
}

impl fmt::Display for Error {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Self::UnknownFormat => f.write_str("unknown import format"),
            Self::NeedsPassword => {
                f.write_str("the import file is encrypted: its password is needed")
            }
            Self::WrongPassword => f.write_str("wrong password for the import file"),
            Self::Malformed(why) => write!(f, "malformed import file: {why}"),
            Self::KdfRefused => {
                f.write_str("the import file's key derivation parameters are out of bounds")
            }
        }
    }
}

impl core::error::Error for Error {}

/// One account read from a file.
///
/// # Examples
///
/// ```
/// let file = b"otpauth://totp/Example:alice?secret=JBSWY3DPEHPK3PXP";
/// let entry = &otpkit_vault::import::read(file, None, None)?.entries[0];
/// assert_eq!((entry.issuer.as_str(), entry.name.as_str()), ("Example", "alice"));
/// # Ok::<(), otpkit_vault::import::Error>(())
/// ```
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Entry {
    /// The service.
    pub issuer: String,
    /// The account name.
    pub name: String,
    /// A note, when the format has one.
    pub note: String,
    /// A colour, when the format has one.
    pub color: Option<Color>,
    /// The credential.
    pub credential: Credential,
}

/// An entry that was skipped, and why.
///
/// # Examples
///
/// ```
/// let problem = &otpkit_vault::import::read(b"otpauth://totp/x?secret=***", None, None)?.problems[0];
/// assert_eq!(problem.entry, 1);
/// assert!(problem.reason.contains("base32")); // the URI reader's own message
/// # Ok::<(), otpkit_vault::import::Error>(())
/// ```
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Problem {
    /// Its place in the file, from 1.
    pub entry: usize,
    /// What it was called, when that could be read.
    pub label: String,
    /// Why it was skipped.
    pub reason: String,
}

/// What a file held ([`read`]; see there for an example).
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Imported {
    /// The format it was read as.
    pub format: Format,
    /// The entries read.
    pub entries: Vec<Entry>,
    /// The entries skipped.
    pub problems: Vec<Problem>,
}

/// What [`merge`] did (see there for an example).
#[derive(Clone, Copy, Debug, PartialEq, Eq, Default)]
pub struct Summary {
    /// Entries added.
    pub added: usize,
    /// Entries skipped because the vault (or the file, earlier) had the same one.
    pub duplicates: usize,
}

/// The format `bytes` look like, or `None`.
///
/// # Examples
///
/// ```
/// use otpkit_vault::import::{Format, detect};
/// assert_eq!(detect(b"otpauth://totp/x?secret=JBSWY3DPEHPK3PXP\n"), Some(Format::Otpauth));
/// assert_eq!(detect(br#"{"services":[],"schemaVersion":4}"#), Some(Format::TwoFas));
/// assert_eq!(detect(b"hello"), None);
/// ```
#[must_use]
pub fn detect(bytes: &[u8]) -> Option<Format> {
    let text = core::str::from_utf8(bytes).ok();
    let json: Option<serde_json::Value> = text.and_then(|t| serde_json::from_str(t).ok());
    if let Some(v) = &json {
        if v.get("header").is_some() && v.get("db").is_some() {
            return Some(Format::Aegis);
        }
        if v.get("services").is_some() || v.get("servicesEncrypted").is_some() {
            return Some(Format::TwoFas);
        }
        if v.get("items").is_some() && v.get("encrypted").is_some_and(|e| e == false) {
            return Some(Format::BitwardenJson);
        }
        if v.get("tokens").is_some() {
            return Some(Format::FreeOtpPlus);
        }
        if v.as_array()
            .is_some_and(|a| a.iter().all(|e| e.get("secret").is_some()))
        {
            return Some(Format::AndOtp);
        }
        // Any other JSON that holds otpauth:// URIs (Proton Authenticator's export).
        return text
            .is_some_and(|t| t.to_ascii_lowercase().contains("otpauth://"))
            .then_some(Format::Otpauth);
    }
    let Some(text) = text else {
        return andotp::looks_encrypted(bytes).then_some(Format::AndOtp);
    };
    let first = text.lines().map(str::trim).find(|l| !l.is_empty())?;
    if first.starts_with("folder,") && first.contains("login_totp") {
        return Some(Format::BitwardenCsv);
    }
    let lower = text.to_ascii_lowercase();
    if lower.contains("otpauth-migration://") {
        return Some(Format::GoogleMigration);
    }
    if lower.contains("otpauth://") {
        return Some(Format::Otpauth);
    }
    andotp::looks_encrypted(bytes).then_some(Format::AndOtp)
}

/// The largest file the importers read (exports with icons run to a few MiB).
///
/// # Examples
///
/// ```
/// use otpkit_vault::import::{Error, MAX_FILE_LEN, read};
/// assert_eq!(read(&vec![b' '; MAX_FILE_LEN + 1], None, None), Err(Error::Malformed("larger than 32 MiB")));
/// ```
pub const MAX_FILE_LEN: usize = 32 * 1024 * 1024;

/// Reads an export: `format` or the detected one; `password` for an encrypted file.
///
/// # Errors
///
/// [`Error::UnknownFormat`], [`Error::NeedsPassword`], [`Error::WrongPassword`],
/// [`Error::Malformed`], [`Error::KdfRefused`]. Bad entries are not errors: they are in
/// [`Imported::problems`].
///
/// # Examples
///
/// ```
/// let file = b"otpauth://totp/Example:alice?secret=JBSWY3DPEHPK3PXP\nnot a uri\n";
/// let imported = otpkit_vault::import::read(file, None, None)?;
/// assert_eq!(imported.entries[0].name, "alice");
/// assert_eq!(imported.problems[0].entry, 2);
/// # Ok::<(), otpkit_vault::import::Error>(())
/// ```
pub fn read(
    bytes: &[u8],
    format: Option<Format>,
    password: Option<&Password>,
) -> Result<Imported, Error> {
    if bytes.len() > MAX_FILE_LEN {
        return Err(Error::Malformed("larger than 32 MiB"));
    }
    let format = format
        .or_else(|| detect(bytes))
        .ok_or(Error::UnknownFormat)?;
    let mut out = Entries::default();
    match format {
        Format::Otpauth => uris::otpauth(text(bytes)?, &mut out),
        Format::GoogleMigration => uris::migration(text(bytes)?, &mut out),
        Format::Aegis => aegis::read(json(bytes)?, password, &mut out)?,
        Format::TwoFas => twofas::read(json(bytes)?, password, &mut out)?,
        Format::AndOtp => andotp::read(bytes, password, &mut out)?,
        Format::BitwardenJson => bitwarden::json(json(bytes)?, &mut out)?,
        Format::BitwardenCsv => bitwarden::csv(text(bytes)?, &mut out)?,
        Format::FreeOtpPlus => freeotp::read(json(bytes)?, &mut out)?,
    }
    Ok(Imported {
        format,
        entries: out.entries,
        problems: out.problems,
    })
}

/// Adds the entries to the vault (in memory: save after), skipping duplicates.
///
/// # Errors
///
/// [`crate::Error::Random`] when the operating system's generator cannot give an account its
/// id; the entries added before it stay in the vault (in memory).
///
/// # Examples
///
/// ```
/// # use otpkit_vault::{KdfParams, Password, Vault, import};
/// # let dir = tempfile::tempdir()?;
/// # let mut vault = Vault::create(&dir.path().join("v"), &Password::new("pw".into()), KdfParams::CHEAP)?;
/// let file = b"otpauth://totp/Example:alice?secret=JBSWY3DPEHPK3PXP\notpauth://totp/Example:alice?secret=JBSWY3DPEHPK3PXP\n";
/// let summary = import::merge(&mut vault, import::read(file, None, None)?.entries, 0)?;
/// assert_eq!((summary.added, summary.duplicates), (1, 1));
/// # Ok::<(), Box<dyn std::error::Error>>(())
/// ```
pub fn merge(vault: &mut Vault, entries: Vec<Entry>, now: u64) -> Result<Summary, crate::Error> {
    let mut summary = Summary::default();
    for e in entries {
        if vault
            .accounts()
            .iter()
            .any(|a| a.same_key(&e.issuer, &e.name, &e.credential))
        {
            summary.duplicates += 1;
            continue;
        }
        let mut account = Account::new(&e.issuer, &e.name, e.credential, now)?;
        account.note = e.note;
        account.color = e.color;
        vault.add(account);
        summary.added += 1;
    }
    Ok(summary)
}

fn text(bytes: &[u8]) -> Result<&str, Error> {
    core::str::from_utf8(bytes).map_err(|_| Error::Malformed("not UTF-8 text"))
}

fn json(bytes: &[u8]) -> Result<Wiped, Error> {
    serde_json::from_slice(bytes)
        .map(Wiped)
        .map_err(|_| Error::Malformed("not JSON"))
}

/// A parsed JSON export whose strings (secrets among them) are wiped when it drops.
pub(crate) struct Wiped(pub(crate) serde_json::Value);

impl core::ops::Deref for Wiped {
    type Target = serde_json::Value;

    fn deref(&self) -> &serde_json::Value {
        &self.0
    }
}

impl Drop for Wiped {
    fn drop(&mut self) {
        wipe(&mut self.0, 0);
    }
}

/// Overwrites every string of `v` with zeros (and empties it), depth-first.
fn wipe(v: &mut serde_json::Value, depth: usize) {
    use zeroize::Zeroize;
    match v {
        serde_json::Value::String(s) => s.zeroize(),
        // FreeOTP+ keeps a secret as a list of numbers: overwrite each (best effort; a
        // number is held inline, and the fence keeps the store from being optimised away).
        serde_json::Value::Number(n) => {
            *n = 0u8.into();
            core::sync::atomic::compiler_fence(core::sync::atomic::Ordering::SeqCst);
        }
        serde_json::Value::Array(a) if depth < 256 => a.iter_mut().for_each(|x| wipe(x, depth + 1)),
        serde_json::Value::Object(o) if depth < 256 => {
            o.values_mut().for_each(|x| wipe(x, depth + 1))
        }
        _ => {}
    }
}

/// The entries and problems a reader collects.
#[derive(Default)]
pub(crate) struct Entries {
    entries: Vec<Entry>,
    problems: Vec<Problem>,
    seen: usize,
}

impl Entries {
    /// Records the next entry of the file: read, or skipped with its reason.
    pub(crate) fn push(&mut self, label: &str, entry: Result<Entry, String>) {
        self.seen += 1;
        match entry {
            Ok(e) => self.entries.push(e),
            Err(reason) => self.problems.push(Problem {
                entry: self.seen,
                label: label.to_owned(),
                reason,
            }),
        }
    }
}

/// The parameters an entry gives, in the words most formats use.
#[derive(Default)]
pub(crate) struct Spec<'a> {
    pub(crate) issuer: &'a str,
    pub(crate) name: &'a str,
    pub(crate) secret: &'a str,
    pub(crate) kind: &'a str,
    pub(crate) algorithm: Option<&'a str>,
    pub(crate) digits: Option<u64>,
    pub(crate) period: Option<u64>,
    pub(crate) counter: Option<u64>,
    pub(crate) note: &'a str,
}

impl<'a> Spec<'a> {
    /// The code parameters as most formats name them (`digits`, `period`, `counter`, and the
    /// algorithm under `algorithm_key`) read from `v`; the rest left empty for the caller.
    pub(crate) fn otp_params(v: &'a serde_json::Value, algorithm_key: &str) -> Self {
        Self {
            algorithm: Some(str_of(v, algorithm_key)),
            digits: num_of(v, "digits"),
            period: num_of(v, "period"),
            counter: num_of(v, "counter"),
            ..Self::default()
        }
    }

    /// The entry, or why not (a short message without the secret).
    pub(crate) fn entry(&self) -> Result<Entry, String> {
        let secret = Secret::from_base32(self.secret.trim())
            .map_err(|_| "secret is not base32".to_owned())?;
        self.entry_with(secret)
    }

    pub(crate) fn entry_with(&self, secret: Secret) -> Result<Entry, String> {
        if secret.as_bytes().is_empty() {
            return Err("secret is empty".into());
        }
        let algorithm = match self.algorithm {
            None | Some("") => Algorithm::Sha1,
            Some(a) => crate::account::parse_algorithm(a)
                .ok_or_else(|| format!("unsupported algorithm {a:?}"))?,
        };
        let kind = self.kind.to_ascii_lowercase();
        if kind == "steam" {
            // Steam fixes everything but the secret (five characters, SHA-1, 30 s).
            return Ok(self.finish(Credential::steam(secret)));
        }
        let digits = u8::try_from(self.digits.unwrap_or(6))
            .ok()
            .and_then(|d| Digits::new(d).ok())
            .ok_or("digits out of range (6 to 10)")?;
        let credential = match kind.as_str() {
            "totp" | "" => Credential::totp(secret, algorithm, digits, self.period.unwrap_or(30))
                .map_err(|_| "period of 0".to_owned())?,
            "hotp" => Credential::hotp(secret, algorithm, digits, self.counter.unwrap_or(0)),
            other => return Err(format!("unsupported type {other:?}")),
        };
        Ok(self.finish(credential))
    }

    fn finish(&self, credential: Credential) -> Entry {
        Entry {
            issuer: self.issuer.trim().to_owned(),
            name: self.name.trim().to_owned(),
            note: self.note.to_owned(),
            color: None,
            credential,
        }
    }
}

/// An entry from an `otpauth://` URI, with the issuer and name it carries.
pub(crate) fn from_uri(uri: &str) -> Result<Entry, String> {
    let key = KeyUri::parse(uri.trim()).map_err(|e| e.to_string())?;
    Ok(from_key(&key))
}

pub(crate) fn from_key(key: &KeyUri) -> Entry {
    Entry {
        issuer: key.issuer().unwrap_or_default().to_owned(),
        name: key.account().to_owned(),
        note: String::new(),
        color: None,
        credential: key.credential().clone(),
    }
}

/// Field readers over `serde_json::Value` that never panic.
pub(crate) fn str_of<'a>(v: &'a serde_json::Value, key: &str) -> &'a str {
    v.get(key)
        .and_then(serde_json::Value::as_str)
        .unwrap_or_default()
}

pub(crate) fn num_of(v: &serde_json::Value, key: &str) -> Option<u64> {
    let field = v.get(key)?;
    field
        .as_u64()
        .or_else(|| field.as_str().and_then(|s| s.trim().parse().ok()))
}

/// The kind of `credential` in the words of the formats (`totp`, `hotp`, `steam`).
pub(crate) fn kind_name(credential: &Credential) -> &'static str {
    match credential.kind() {
        Kind::Hotp { .. } => "hotp",
        Kind::Steam => "steam",
        _ => "totp",
    }
}

/// The encrypted exports' last step: AES-256-GCM open (the tag appended), then the plaintext
/// read as JSON into a tree that is wiped on drop; `what` names it when it is not JSON.
pub(crate) fn open_json(
    key: &[u8],
    nonce: &[u8],
    ciphertext_and_tag: &[u8],
    what: &'static str,
) -> Result<Wiped, Error> {
    let plain = aes_gcm_open(key, nonce, ciphertext_and_tag)?;
    serde_json::from_slice(&plain)
        .map(Wiped)
        .map_err(|_| Error::Malformed(what))
}

/// AES-256-GCM open with the tag appended, for the encrypted exports.
pub(crate) fn aes_gcm_open(
    key: &[u8],
    nonce: &[u8],
    ciphertext_and_tag: &[u8],
) -> Result<zeroize::Zeroizing<Vec<u8>>, Error> {
    use aes_gcm::aead::{Aead, KeyInit};
    let cipher =
        aes_gcm::Aes256Gcm::new_from_slice(key).map_err(|_| Error::Malformed("key length"))?;
    let nonce: [u8; 12] = nonce
        .try_into()
        .map_err(|_| Error::Malformed("nonce length"))?;
    cipher
        .decrypt(&nonce.into(), ciphertext_and_tag)
        .map(zeroize::Zeroizing::new)
        .map_err(|_| Error::WrongPassword)
}
