//! Google Authenticator's account transfer: `otpauth-migration://offline?data=…`.
//!
//! The rules are documented on [`import`] and [`export`], where users see
//! them. The protobuf messages are derived by hand with `prost` (no build script, no `.proto`
//! compiler), and unknown fields are skipped, so newer exports with more fields still import.

use alloc::format;
use alloc::string::String;
use alloc::vec::Vec;

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

mod error;

use crate::uri::{KeyUri, after_scheme, first_bad_escape};
pub use error::{AccountProblem, Error};

/// The most accounts one export URI (one QR code) carries, as Google Authenticator does.
///
/// # Examples
///
/// ```
/// assert_eq!(otpkit::migration::BATCH_LEN, 10);
/// ```
pub const BATCH_LEN: usize = 10;

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

/// One export URI read: its accounts, and where it stands in a multi-part export.
///
/// # Examples
///
/// ```
/// use otpkit::{Credential, KeyUri, Secret, migration};
///
/// let key = KeyUri::new(Credential::hotp(Secret::from_bytes(b"k")?, Default::default(), Default::default(), 1), None, "a")?;
/// let batch = migration::import_batch(&migration::export(&[key])?[0])?;
/// assert_eq!((batch.index, batch.size, batch.keys.len()), (0, 1, 1));
/// # Ok::<(), Box<dyn core::error::Error>>(())
/// ```
#[derive(Clone, Debug, PartialEq, Eq)]
#[non_exhaustive]
pub struct Batch {
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
/// A [`Error`]: the URI's shape, the encoding, the payload, or an account that
/// cannot be read (MD5, unknown digits or type, empty secret, negative counter), which is
/// [`Error::Account`] naming it.
///
/// # Examples
///
/// ```
/// use otpkit::{credential::Kind, migration};
///
/// // From the test data of scito/extract_otp_secrets (example_export.txt).
/// let keys = migration::import(
///     "otpauth-migration://offline?data=CiUKEPqlBekzoNEukL7qlsjBCDYSCWhvdHAgZGVtbyABKAEwATgEEAEYASAAKNuv15j6%2F%2F%2F%2F%2FwE%3D",
/// )?;
/// assert_eq!(keys[0].account(), "hotp demo");
/// assert_eq!(keys[0].credential().kind(), Kind::Hotp { counter: 4 });
/// assert_eq!(*keys[0].credential().secret().to_base32(), "7KSQL2JTUDIS5EF65KLMRQIIGY");
/// # Ok::<(), otpkit::migration::Error>(())
/// ```
pub fn import(uri: &str) -> Result<Vec<KeyUri>, Error> {
    import_batch(uri).map(|batch| batch.keys)
}

/// Reads one Google Authenticator export URI, with its batch numbers; see
/// [`import`] for the rules.
///
/// # Errors
///
/// As [`import`].
///
/// # Examples
///
/// ```
/// use otpkit::migration;
///
/// // Part 3 of 3, from the test data of johncallahan/otpauth_migration.
/// let batch = migration::import_batch(
///     "otpauth-migration://offline?data=Cj8KFG423VA%2BmkFuqplxC%2BfgO%2BASoafzEhtBQ01FOnR3ZW50eS1vbmVAZXhhbXBsZS5jb20aBEFDTUUgASgBMAIKPwoUZ5RKVxJWL7P5RcYBhy5tQL80ycISG0FDTUU6dHdlbnR5LXR3b0BleGFtcGxlLmNvbRoEQUNNRSABKAEwAhABGAMgAijYkYF4",
/// )?;
/// assert_eq!((batch.index, batch.size), (2, 3));
/// assert_eq!(batch.keys[1].account(), "twenty-two@example.com");
/// # Ok::<(), otpkit::migration::Error>(())
/// ```
pub fn import_batch(uri: &str) -> Result<Batch, Error> {
    let bytes = payload_bytes(uri)?;
    let payload = Payload::decode(bytes.as_slice()).map_err(|_| Error::InvalidPayload)?;
    let keys = payload
        .otp_parameters
        .iter()
        .enumerate()
        .map(|(index, otp)| {
            import_account(otp).map_err(|problem| account_error(index, &otp.name, problem))
        })
        .collect::<Result<Vec<_>, _>>()?;
    Ok(Batch {
        keys,
        index: payload.batch_index,
        size: payload.batch_size,
        id: payload.batch_id,
    })
}

fn account_error(index: usize, account: &str, problem: AccountProblem) -> Error {
    Error::Account {
        index,
        account: account.into(),
        problem,
    }
}

/// Checks the URI's shape and returns the decoded `data` bytes, in a buffer wiped on drop.
fn payload_bytes(uri: &str) -> Result<Zeroizing<Vec<u8>>, Error> {
    if uri.len() > KeyUri::MAX_LEN {
        return Err(Error::TooLong);
    }
    let (rest_offset, rest) = after_scheme(uri, SCHEME).ok_or(Error::InvalidScheme)?;
    let (host, query) = rest.split_once('?').unwrap_or((rest, ""));
    if !host.trim_end_matches('/').eq_ignore_ascii_case("offline") {
        return Err(Error::InvalidScheme);
    }
    let mut offset = rest_offset + host.len() + 1;
    let mut data = None;
    for pair in query.split('&') {
        let here = offset;
        offset += pair.len() + 1;
        if let Some(value) = pair.strip_prefix("data=") {
            if data.replace((value, here + 5)).is_some() {
                return Err(Error::DuplicateData);
            }
        }
    }
    let (raw, at) = data.ok_or(Error::MissingData)?;
    if let Some(i) = first_bad_escape(raw) {
        return Err(Error::InvalidPercentEncoding { position: at + i });
    }
    // Percent-decode, then read a space as the `+` it was.
    let mut text = Zeroizing::new(Vec::with_capacity(raw.len()));
    text.extend(percent_decode_str(raw).map(|b| if b == b' ' { b'+' } else { b }));
    let mut bytes = Zeroizing::new(Vec::with_capacity(text.len()));
    BASE64
        .decode_vec(text.as_slice(), &mut bytes)
        .map_err(|_| Error::InvalidBase64)?;
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
        Kind::Steam => return Err(AccountProblem::Steam),
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

/// Writes keys as Google Authenticator export URIs, at most [`BATCH_LEN`] accounts
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
/// [`Error::Account`] naming the first key Google Authenticator cannot represent:
/// Steam Guard, a period other than 30 seconds, digits other than 6 or 8, an HOTP counter
/// above `i64::MAX`.
///
/// # Examples
///
/// ```
/// use otpkit::{Algorithm, Credential, Digits, KeyUri, Secret, migration::{self, AccountProblem}};
///
/// let secret = Secret::from_base32("JBSWY3DPEHPK3PXP")?;
/// let key = KeyUri::new(Credential::totp(secret, Algorithm::Sha1, Digits::SIX, 30)?, Some("Example"), "alice@google.com")?;
/// let uris = migration::export(&[key.clone()])?;
/// assert_eq!(uris.len(), 1);
/// assert_eq!(migration::import(&uris[0])?, vec![key.clone()]);
///
/// let slow = KeyUri::new(Credential::totp(Secret::from_bytes(b"k")?, Algorithm::Sha1, Digits::SIX, 60)?, None, "bob")?;
/// assert_eq!(
///     migration::export(&[key, slow]).unwrap_err().to_string(),
///     "account 1 (\"bob\"): google authenticator only has 30-second periods"
/// );
/// # Ok::<(), Box<dyn core::error::Error>>(())
/// ```
pub fn export(keys: &[KeyUri]) -> Result<Vec<Zeroizing<String>>, Error> {
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

    let batches = accounts.chunks(BATCH_LEN);
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
