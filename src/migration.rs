//! Google Authenticator's account transfer: `otpauth-migration://offline?data=…`.
//!
//! The rules are documented on [`import_migration`] and [`export_migration`], where users see
//! them. The protobuf messages are derived by hand with `prost` (no build script, no `.proto`
//! compiler), and unknown fields are skipped, so newer exports with more fields still import.

use alloc::format;
use alloc::string::String;
use alloc::vec::Vec;
use core::fmt;

use base64::Engine as _;
use base64::engine::general_purpose::STANDARD_PAD_INDIFFERENT as BASE64;
use percent_encoding::{NON_ALPHANUMERIC, percent_decode_str, utf8_percent_encode};
use prost::Message as _;
use sha2::{Digest, Sha256};
use zeroize::{Zeroize, Zeroizing};

use crate::algorithm::Algorithm;
use crate::code::Digits;
use crate::credential::{Credential, Kind};
use crate::secret::Secret;
use crate::totp::Totp;
use crate::uri::{KeyUri, MAX_URI_LEN, after_scheme, first_bad_escape};

/// The most accounts one export URI (one QR code) carries, as Google Authenticator does.
///
/// # Examples
///
/// ```
/// assert_eq!(otpkit::MIGRATION_BATCH_LEN, 10);
/// ```
pub const MIGRATION_BATCH_LEN: usize = 10;

const SCHEME: &str = "otpauth-migration://";

/// `MigrationPayload` as Google Authenticator writes it.
#[derive(Clone, PartialEq, prost::Message)]
#[prost(skip_debug)]
struct Payload {
    #[prost(message, repeated, tag = "1")]
    otp_parameters: Vec<OtpParameters>,
    #[prost(int32, tag = "2")]
    version: i32,
    #[prost(int32, tag = "3")]
    batch_size: i32,
    #[prost(int32, tag = "4")]
    batch_index: i32,
    #[prost(int32, tag = "5")]
    batch_id: i32,
}

/// `OtpParameters`. The enums are read as plain `int32` (the same wire format) so that an
/// unknown value is ours to report rather than silently mapped to a default.
#[derive(Clone, PartialEq, prost::Message)]
#[prost(skip_debug)]
struct OtpParameters {
    #[prost(bytes = "vec", tag = "1")]
    secret: Vec<u8>,
    #[prost(string, tag = "2")]
    name: String,
    #[prost(string, tag = "3")]
    issuer: String,
    /// 0 unspecified, 1 SHA1, 2 SHA256, 3 SHA512, 4 MD5.
    #[prost(int32, tag = "4")]
    algorithm: i32,
    /// 0 unspecified, 1 six, 2 eight.
    #[prost(int32, tag = "5")]
    digits: i32,
    /// 0 unspecified, 1 HOTP, 2 TOTP.
    #[prost(int32, tag = "6")]
    kind: i32,
    #[prost(int64, tag = "7")]
    counter: i64,
}

impl Drop for OtpParameters {
    fn drop(&mut self) {
        self.secret.zeroize();
    }
}

/// Why one account of an export could not be imported or exported.
///
/// # Examples
///
/// ```
/// use otpkit::AccountProblem;
///
/// assert_eq!(AccountProblem::Period.to_string(), "google authenticator only has 30-second periods");
/// ```
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
#[non_exhaustive]
pub enum AccountProblem {
    /// Import: the secret is empty.
    EmptySecret,
    /// Import: the algorithm is MD5, unspecified beyond the known values, or unknown.
    UnsupportedAlgorithm,
    /// Import: the digit count is neither six nor eight (nor unspecified, which means six).
    UnsupportedDigits,
    /// Import: the type is neither HOTP nor TOTP.
    UnsupportedType,
    /// Import: an HOTP counter below zero.
    NegativeCounter,
    /// Export: Steam Guard keys have no representation in an export.
    Steam,
    /// Export: a TOTP period other than 30 seconds (the export has no period field).
    Period,
    /// Export: digits other than 6 or 8.
    Digits,
    /// Export: an HOTP counter above `i64::MAX`.
    CounterTooLarge,
    /// Export: a TOTP T0 other than 0.
    T0,
}

impl fmt::Display for AccountProblem {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(match self {
            Self::EmptySecret => "secret is empty",
            Self::UnsupportedAlgorithm => "unsupported algorithm (expected SHA1, SHA256 or SHA512)",
            Self::UnsupportedDigits => "digits must be 6 or 8",
            Self::UnsupportedType => "otp type must be hotp or totp",
            Self::NegativeCounter => "counter is negative",
            Self::Steam => "google authenticator has no steam guard keys",
            Self::Period => "google authenticator only has 30-second periods",
            Self::Digits => "google authenticator only has 6 or 8 digits",
            Self::CounterTooLarge => "counter is larger than google authenticator can store",
            Self::T0 => "google authenticator has no t0",
        })
    }
}

/// A Google Authenticator export could not be read or written.
///
/// Messages are short, lowercase, and never contain a secret; account errors name the account
/// (its position and name).
///
/// # Examples
///
/// ```
/// use otpkit::{import_migration, MigrationError};
///
/// assert_eq!(import_migration("otpauth-migration://offline?data=%%%").unwrap_err().to_string(), "invalid percent-encoding at position 33");
/// assert_eq!(import_migration("otpauth-migration://offline"), Err(MigrationError::MissingData));
/// ```
#[derive(Clone, Debug, PartialEq, Eq, Hash)]
#[non_exhaustive]
pub enum MigrationError {
    /// The URI is longer than [`MAX_URI_LEN`].
    TooLong,
    /// The URI does not start with `otpauth-migration://offline`.
    InvalidScheme,
    /// There is no `data` parameter.
    MissingData,
    /// There is more than one `data` parameter.
    DuplicateData,
    /// A `%` is not followed by two hexadecimal digits.
    InvalidPercentEncoding {
        /// Byte offset of the `%` in the URI.
        position: usize,
    },
    /// `data` is not standard base64.
    InvalidBase64,
    /// `data` does not decode to a migration payload.
    InvalidPayload,
    /// One account could not be imported or exported.
    Account {
        /// The account's position (from 0) in the payload, or in the keys given to export.
        index: usize,
        /// The account name.
        account: String,
        /// What is wrong with it.
        problem: AccountProblem,
    },
}

impl fmt::Display for MigrationError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Self::TooLong => f.write_str("uri is longer than 64 KiB"),
            Self::InvalidScheme => f.write_str("not an otpauth-migration://offline uri"),
            Self::MissingData => f.write_str("missing data parameter"),
            Self::DuplicateData => f.write_str("duplicate data parameter"),
            Self::InvalidPercentEncoding { position } => {
                write!(f, "invalid percent-encoding at position {position}")
            }
            Self::InvalidBase64 => f.write_str("data is not valid base64"),
            Self::InvalidPayload => f.write_str("data is not a migration payload"),
            Self::Account {
                index,
                account,
                problem,
            } => write!(f, "account {index} ({account:?}): {problem}"),
        }
    }
}

impl core::error::Error for MigrationError {}

/// One export URI read: its accounts, and where it stands in a multi-part export.
///
/// # Examples
///
/// ```
/// use otpkit::{export_migration, import_migration_batch, Credential, KeyUri, Secret};
///
/// let key = KeyUri::new(Credential::hotp(Secret::from_bytes(b"k")?, Default::default(), Default::default(), 1), None, "a")?;
/// let batch = import_migration_batch(&export_migration(&[key])?[0])?;
/// assert_eq!((batch.index, batch.size, batch.keys.len()), (0, 1, 1));
/// # Ok::<(), Box<dyn core::error::Error>>(())
/// ```
#[derive(Clone, Debug, PartialEq, Eq)]
#[non_exhaustive]
pub struct MigrationBatch {
    /// The accounts of this URI, in order.
    pub keys: Vec<KeyUri>,
    /// This URI's position (from 0) among the export's URIs (`batch_index`).
    pub index: i32,
    /// How many URIs the export has (`batch_size`; 0 when the exporter did not say).
    pub size: i32,
    /// The same number on every URI of one export (`batch_id`).
    pub id: i32,
}

/// Reads one Google Authenticator export URI into its keys.
///
/// The URI is `otpauth-migration://offline?data=…` (scheme and host in any case, a fragment
/// and other parameters ignored, at most 64 KiB). `data` is percent-decoded; a space in it is
/// read as `+`, because a literal `+` that was not percent-encoded arrives as a space when
/// something form-decoded the URI on the way. It is then standard base64, padded or not, of a
/// protobuf `MigrationPayload`; unknown fields are skipped.
///
/// Each account becomes a [`KeyUri`]: its `name` is the label (the part before the first
/// `:` is the label issuer, spaces after it are trimmed), its `issuer` the issuer parameter
/// (absent when empty). Unspecified algorithm and digits mean SHA1 and 6; TOTP keys have a
/// 30-second period (the export has no period field). An export of several QR codes is
/// imported one URI at a time, in any order.
///
/// # Errors
///
/// A [`MigrationError`]: the URI's shape, the encoding, the payload, or an account that
/// cannot be read (MD5, unknown digits or type, empty secret, negative counter), which is
/// [`MigrationError::Account`] naming it.
///
/// # Examples
///
/// ```
/// use otpkit::{import_migration, Kind};
///
/// // From the test data of scito/extract_otp_secrets (example_export.txt).
/// let keys = import_migration(
///     "otpauth-migration://offline?data=CiUKEPqlBekzoNEukL7qlsjBCDYSCWhvdHAgZGVtbyABKAEwATgEEAEYASAAKNuv15j6%2F%2F%2F%2F%2FwE%3D",
/// )?;
/// assert_eq!(keys[0].account(), "hotp demo");
/// assert_eq!(keys[0].credential().kind(), Kind::Hotp { counter: 4 });
/// assert_eq!(*keys[0].credential().secret().to_base32(), "7KSQL2JTUDIS5EF65KLMRQIIGY");
/// # Ok::<(), otpkit::MigrationError>(())
/// ```
pub fn import_migration(uri: &str) -> Result<Vec<KeyUri>, MigrationError> {
    import_migration_batch(uri).map(|batch| batch.keys)
}

/// Reads one Google Authenticator export URI, with its batch numbers; see
/// [`import_migration`] for the rules.
///
/// # Errors
///
/// As [`import_migration`].
///
/// # Examples
///
/// ```
/// use otpkit::import_migration_batch;
///
/// // Part 3 of 3, from the test data of johncallahan/otpauth_migration.
/// let batch = import_migration_batch(
///     "otpauth-migration://offline?data=Cj8KFG423VA%2BmkFuqplxC%2BfgO%2BASoafzEhtBQ01FOnR3ZW50eS1vbmVAZXhhbXBsZS5jb20aBEFDTUUgASgBMAIKPwoUZ5RKVxJWL7P5RcYBhy5tQL80ycISG0FDTUU6dHdlbnR5LXR3b0BleGFtcGxlLmNvbRoEQUNNRSABKAEwAhABGAMgAijYkYF4",
/// )?;
/// assert_eq!((batch.index, batch.size), (2, 3));
/// assert_eq!(batch.keys[1].account(), "twenty-two@example.com");
/// # Ok::<(), otpkit::MigrationError>(())
/// ```
pub fn import_migration_batch(uri: &str) -> Result<MigrationBatch, MigrationError> {
    let bytes = payload_bytes(uri)?;
    let payload = Payload::decode(bytes.as_slice()).map_err(|_| MigrationError::InvalidPayload)?;
    let keys = payload
        .otp_parameters
        .iter()
        .enumerate()
        .map(|(index, otp)| {
            import_account(otp).map_err(|problem| account_error(index, &otp.name, problem))
        })
        .collect::<Result<Vec<_>, _>>()?;
    Ok(MigrationBatch {
        keys,
        index: payload.batch_index,
        size: payload.batch_size,
        id: payload.batch_id,
    })
}

fn account_error(index: usize, account: &str, problem: AccountProblem) -> MigrationError {
    MigrationError::Account {
        index,
        account: account.into(),
        problem,
    }
}

/// Checks the URI's shape and returns the decoded `data` bytes, in a buffer wiped on drop.
fn payload_bytes(uri: &str) -> Result<Zeroizing<Vec<u8>>, MigrationError> {
    if uri.len() > MAX_URI_LEN {
        return Err(MigrationError::TooLong);
    }
    let (rest_offset, rest) = after_scheme(uri, SCHEME).ok_or(MigrationError::InvalidScheme)?;
    let (host, query) = rest.split_once('?').unwrap_or((rest, ""));
    if !host.trim_end_matches('/').eq_ignore_ascii_case("offline") {
        return Err(MigrationError::InvalidScheme);
    }
    let mut offset = rest_offset + host.len() + 1;
    let mut data = None;
    for pair in query.split('&') {
        let here = offset;
        offset += pair.len() + 1;
        if let Some(value) = pair.strip_prefix("data=") {
            if data.replace((value, here + 5)).is_some() {
                return Err(MigrationError::DuplicateData);
            }
        }
    }
    let (raw, at) = data.ok_or(MigrationError::MissingData)?;
    if let Some(i) = first_bad_escape(raw) {
        return Err(MigrationError::InvalidPercentEncoding { position: at + i });
    }
    // Percent-decode, then read a space as the `+` it was.
    let mut text = Zeroizing::new(Vec::with_capacity(raw.len()));
    text.extend(percent_decode_str(raw).map(|b| if b == b' ' { b'+' } else { b }));
    let mut bytes = Zeroizing::new(Vec::with_capacity(text.len()));
    BASE64
        .decode_vec(text.as_slice(), &mut bytes)
        .map_err(|_| MigrationError::InvalidBase64)?;
    Ok(bytes)
}

/// One account of a payload as a key.
fn import_account(otp: &OtpParameters) -> Result<KeyUri, AccountProblem> {
    let secret = Secret::from_bytes(&otp.secret).map_err(|_| AccountProblem::EmptySecret)?;
    let algorithm = match otp.algorithm {
        0 | 1 => Algorithm::Sha1,
        2 => Algorithm::Sha256,
        3 => Algorithm::Sha512,
        _ => return Err(AccountProblem::UnsupportedAlgorithm),
    };
    let digits = match otp.digits {
        0 | 1 => Digits::SIX,
        2 => Digits::EIGHT,
        _ => return Err(AccountProblem::UnsupportedDigits),
    };
    let credential = match otp.kind {
        1 => {
            let counter =
                u64::try_from(otp.counter).map_err(|_| AccountProblem::NegativeCounter)?;
            Credential::hotp(secret, algorithm, digits, counter)
        }
        2 => Credential::totp(secret, algorithm, digits, Totp::DEFAULT_PERIOD)
            .map_err(|_| AccountProblem::Period)?,
        _ => return Err(AccountProblem::UnsupportedType),
    };
    let (label_issuer, account) = match otp.name.split_once(':') {
        Some((prefix, account)) => (Some(prefix.into()), account.trim_start_matches(' ')),
        None => (None, otp.name.as_str()),
    };
    let issuer = (!otp.issuer.is_empty()).then(|| otp.issuer.clone());
    Ok(KeyUri::from_parts(
        credential,
        label_issuer,
        issuer,
        account.into(),
    ))
}

/// One key as an account of a payload.
fn export_account(key: &KeyUri) -> Result<OtpParameters, AccountProblem> {
    let cred = key.credential();
    let (kind, counter) = match cred.kind() {
        Kind::Totp { period, t0 } => {
            if period != Totp::DEFAULT_PERIOD {
                return Err(AccountProblem::Period);
            }
            if t0 != 0 {
                return Err(AccountProblem::T0);
            }
            (2, 0)
        }
        Kind::Hotp { counter } => (
            1,
            i64::try_from(counter).map_err(|_| AccountProblem::CounterTooLarge)?,
        ),
        _ => return Err(AccountProblem::Steam),
    };
    let digits = match cred.digits().get() {
        6 => 1,
        8 => 2,
        _ => return Err(AccountProblem::Digits),
    };
    let algorithm = match cred.algorithm() {
        Algorithm::Sha1 => 1,
        Algorithm::Sha256 => 2,
        Algorithm::Sha512 => 3,
    };
    // The name is the label as Google Authenticator keeps it, unescaped: `Issuer:account`.
    // A label issuer with a colon cannot be told apart there, so it goes in the issuer field.
    let param = key.issuer_param().unwrap_or("");
    let (prefix, issuer) = match key.label_issuer() {
        Some(prefix) if prefix.contains(':') => {
            (None, if param.is_empty() { prefix } else { param })
        }
        prefix => (prefix, param),
    };
    let name = match prefix {
        Some(prefix) => format!("{prefix}:{}", key.account()),
        // An empty prefix keeps a colon in the account from separating.
        None if key.account().contains(':') => format!(":{}", key.account()),
        None => key.account().into(),
    };
    Ok(OtpParameters {
        secret: cred.secret().as_bytes().to_vec(),
        name,
        issuer: issuer.into(),
        algorithm,
        digits,
        kind,
        counter,
    })
}

/// Writes keys as Google Authenticator export URIs, at most [`MIGRATION_BATCH_LEN`] accounts
/// each (one QR code per URI), in order.
///
/// Every URI carries `version` 1, the number of URIs (`batch_size`), its position
/// (`batch_index`) and one `batch_id` for the whole export: a number derived from the keys
/// (the first 31 bits of a SHA-256 over them), so the same keys always give the same URIs.
/// The account `name` is the label (`Issuer:account`), the `issuer` the issuer parameter; a
/// label issuer that contains a colon cannot be separated in a name, so it moves to the issuer
/// field when there is no issuer parameter (the key's [`KeyUri::issuer`] stays the same).
/// Parameters an export has no field for ([`KeyUri::params`]) are not written, and an empty
/// issuer parameter reads back as none. `data` is
/// padded standard base64 with `+`, `/` and `=` percent-encoded, as Google Authenticator
/// writes it. No keys give no URIs.
///
/// # Errors
///
/// [`MigrationError::Account`] naming the first key Google Authenticator cannot represent:
/// Steam Guard, a period other than 30 seconds, digits other than 6 or 8, an HOTP counter
/// above `i64::MAX`.
///
/// # Examples
///
/// ```
/// use otpkit::{export_migration, import_migration, AccountProblem, Algorithm, Credential, Digits, KeyUri, MigrationError, Secret};
///
/// let secret = Secret::from_base32("JBSWY3DPEHPK3PXP")?;
/// let key = KeyUri::new(Credential::totp(secret, Algorithm::Sha1, Digits::SIX, 30)?, Some("Example"), "alice@google.com")?;
/// let uris = export_migration(&[key.clone()])?;
/// assert_eq!(uris.len(), 1);
/// assert_eq!(import_migration(&uris[0])?, vec![key.clone()]);
///
/// let slow = KeyUri::new(Credential::totp(Secret::from_bytes(b"k")?, Algorithm::Sha1, Digits::SIX, 60)?, None, "bob")?;
/// assert_eq!(
///     export_migration(&[key, slow]).unwrap_err().to_string(),
///     "account 1 (\"bob\"): google authenticator only has 30-second periods"
/// );
/// # Ok::<(), Box<dyn core::error::Error>>(())
/// ```
pub fn export_migration(keys: &[KeyUri]) -> Result<Vec<Zeroizing<String>>, MigrationError> {
    let accounts = keys
        .iter()
        .enumerate()
        .map(|(index, key)| {
            export_account(key).map_err(|problem| account_error(index, key.account(), problem))
        })
        .collect::<Result<Vec<_>, _>>()?;

    let mut hash = Sha256::new();
    for account in &accounts {
        for field in [
            account.secret.as_slice(),
            account.name.as_bytes(),
            account.issuer.as_bytes(),
        ] {
            hash.update(u64::try_from(field.len()).unwrap_or(u64::MAX).to_be_bytes());
            hash.update(field);
        }
    }
    let digest = hash.finalize();
    let mut id = [0u8; 4];
    if let Some(first) = digest.get(..4) {
        id.copy_from_slice(first);
    }
    let batch_id = i32::from_be_bytes(id) & i32::MAX;

    let batches = accounts.chunks(MIGRATION_BATCH_LEN);
    let batch_size = i32::try_from(batches.len()).unwrap_or(i32::MAX);
    batches
        .enumerate()
        .map(|(index, chunk)| {
            let payload = Payload {
                otp_parameters: chunk.to_vec(),
                version: 1,
                batch_size,
                batch_index: i32::try_from(index).unwrap_or(i32::MAX),
                batch_id,
            };
            let bytes = Zeroizing::new(payload.encode_to_vec());
            let mut base64 = Zeroizing::new(String::with_capacity(bytes.len().div_ceil(3) * 4));
            BASE64.encode_string(bytes.as_slice(), &mut base64);
            let mut uri = Zeroizing::new(String::with_capacity(
                SCHEME.len() + "offline?data=".len() + base64.len() * 3,
            ));
            uri.push_str(SCHEME);
            uri.push_str("offline?data=");
            uri.extend(utf8_percent_encode(&base64, NON_ALPHANUMERIC));
            Ok(uri)
        })
        .collect()
}
