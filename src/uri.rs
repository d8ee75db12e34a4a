//! `otpauth://` key URIs: reading what real apps write, and writing what they all read.
//!
//! The rules for reading and writing are documented on [`KeyUri`], where users see them.

use alloc::borrow::ToOwned;
use alloc::string::String;
use alloc::vec::Vec;
use core::fmt::{self, Write as _};

use percent_encoding::{AsciiSet, NON_ALPHANUMERIC, percent_decode, utf8_percent_encode};
use zeroize::{Zeroize, Zeroizing};

use crate::algorithm::Algorithm;
use crate::code::Digits;
use crate::credential::{Credential, Kind};
use crate::secret::Secret;
use crate::totp::Totp;

pub use error::UriError;
pub(crate) use parse::after_scheme;
#[cfg(feature = "migration")]
pub(crate) use parse::first_bad_escape;
use parse::*;

/// The parameters [`KeyUri::with_param`] refuses in any case: the security parameters, and
/// `encoder`, which can turn a TOTP key into a Steam Guard one.
const RESERVED_PARAMS: [&str; 7] = [
    "secret",
    "issuer",
    "algorithm",
    "digits",
    "period",
    "counter",
    "encoder",
];

/// The longest type name an [`UriError::UnsupportedType`] repeats.
const MAX_TYPE_IN_ERROR: usize = 16;

/// What percent-encoding leaves alone: RFC 3986 unreserved characters, and `@` (allowed in
/// both paths and queries, and what every account name has).
const COMPONENT: &AsciiSet = &NON_ALPHANUMERIC
    .remove(b'-')
    .remove(b'.')
    .remove(b'_')
    .remove(b'~')
    .remove(b'@');

/// A key as an `otpauth://` URI describes it: the credential, who issued it, the account, and
/// any other parameters the URI carried.
///
/// There is no `Display`, because a URI contains the secret: write one on purpose with
/// [`KeyUri::to_uri`]. `Debug` shows everything but the secret. With the `serde` feature it
/// serializes as `{"credential": …, "label_issuer": …, "issuer_param": …, "account": …,
/// "params": [[name, value], …]}` (the secret as base32 in human-readable formats), and a
/// stored key is accepted only if a URI can carry it.
///
/// The format is Google's [Key-Uri-Format]: `otpauth://TYPE/LABEL?PARAMETERS`. Real-world URIs
/// stray from it in many ways; these are the rules [`KeyUri::parse`] follows, and why.
///
/// # Reading rules
///
/// - **Size.** A URI longer than 64 KiB ([`KeyUri::MAX_LEN`]) is refused before it is looked at.
///   Everything else is one pass over the text: parsing is linear and never panics. ASCII
///   whitespace around the URI (a trailing newline from a scanner or clipboard) is ignored.
/// - **Scheme and type** are case-insensitive (`OTPAUTH://TOTP/…`). The types are `totp`, `hotp`
///   and `steam` (a Steam Guard key, as Aegis and andOTP write it); `encoder=steam` on a `totp`
///   URI also means Steam Guard. Any other type is [`UriError::UnsupportedType`], naming it.
/// - **Fragment.** Everything from the first `#` is ignored.
/// - **Label.** The path after the type is required (it may be empty: `otpauth://totp/?…`). It is
///   percent-decoded as UTF-8; a bad `%` escape or invalid UTF-8 is an error. `+` in the label is
///   a literal plus (it is a path, not a form). The issuer prefix is separated from the account
///   like this: if the raw label has a literal `:`, the first one separates and every `%3A` is a
///   literal colon; if it has none, the first `%3A` (either case) separates. One exception:
///   when the `issuer` parameter has colons and the label starts with it, unescaped, and a
///   literal `:` (otplib writes `Ac:me:alice` with `issuer=Ac:me`), that colon separates, so
///   the account is `alice`. Spaces after the separator are trimmed. An empty prefix
///   (`:alice`) means no prefix.
/// - **Parameters.** Pairs are split on `&`; empty pairs (`&&`) are skipped; a pair without `=`
///   has an empty value. Names and values are percent-decoded as UTF-8, and `+` means a space
///   (form encoding, which is what most generators meant). The known names below (and
///   `encoder`) are read in any ASCII case: `Digits=8` is `digits=8`, and with `digits=6` beside
///   it a duplicate, since apps that ignore case would read it so. Other names keep their case.
/// - **`secret`** is required. It is base32, read leniently by [`Secret::from_base32`]: either
///   case, with or without padding, spaces and hyphens ignored. Any length that decodes to at
///   least one byte is accepted: 80-bit secrets are common, and strength is a policy, not a
///   parse error.
/// - **`issuer`.** When the parameter and the label prefix differ, the key is accepted (Microsoft
///   and Authy exports do this): [`KeyUri::issuer`] is the parameter, and
///   [`KeyUri::label_issuer`] keeps the prefix readable. An empty parameter falls back to the
///   prefix.
/// - **`algorithm`**: `SHA1`, `SHA256` or `SHA512` in any case, also with a hyphen (`SHA-256`);
///   anything else (`MD5`, `SHA3-256`, empty) is [`UriError::UnsupportedAlgorithm`]. Default SHA1.
/// - **`digits`**: 6 to 10, default 6. **`period`**: at least 1 second, default 30.
///   **`counter`**: any `u64`, default 0 (the format requires it for HOTP; we do not). Numbers are
///   plain ASCII digits: a sign, a decimal point, a space, an empty value or overflow is an
///   error. `period` on an HOTP key and `counter` on a TOTP key are checked and then ignored.
/// - **Steam Guard** keys are SHA-1, five characters, 30 seconds. `digits=5`, `algorithm=SHA1`
///   and `period=30` may be written (Aegis does); any other value is
///   [`UriError::SteamParameter`].
/// - **Duplicates.** `secret`, `issuer`, `algorithm`, `digits`, `period` and `counter` may each
///   appear once: two values for a security parameter are [`UriError::DuplicateParameter`]
///   rather than a silent choice. Every other parameter (`image`, `color`, `encoder`, …) is kept,
///   in order, in [`KeyUri::params`].
///
/// # Writing rules
///
/// [`KeyUri::to_uri`] writes
/// `otpauth://totp/Issuer:account?secret=…&issuer=…&algorithm=…&digits=…&period=…` (`counter`
/// instead of `period` for HOTP; type `steam` for Steam Guard) and then the other parameters.
/// Everything except RFC 3986's unreserved characters and `@` is percent-encoded (a space is
/// `%20`, never `+`; a colon inside the issuer or account is `%3A`), the secret is unpadded
/// upper-case base32, and the issuer is in both the label and the parameter, which is what
/// every app reads. [`KeyUri::to_uri_minimal`] leaves out `algorithm`, `digits`, `period` and
/// `counter` when they have their default values. Reading what either writes gives back an
/// equal [`KeyUri`].
///
/// [Key-Uri-Format]: https://github.com/google/google-authenticator/wiki/Key-Uri-Format
///
/// # Examples
///
/// ```
/// use otpkit::{Algorithm, KeyUri, credential::Kind};
///
/// let key = KeyUri::parse(
///     "otpauth://totp/Example:alice@google.com?secret=JBSWY3DPEHPK3PXP&issuer=Example",
/// )?;
/// assert_eq!(key.issuer(), Some("Example"));
/// assert_eq!(key.account(), "alice@google.com");
/// assert_eq!(key.credential().kind(), Kind::Totp { period: 30, t0: 0 });
/// assert_eq!(key.credential().algorithm(), Algorithm::Sha1);
/// assert!(!format!("{key:?}").contains("JBSW"));
/// # Ok::<(), otpkit::UriError>(())
/// ```
#[derive(Clone, PartialEq, Eq)]
pub struct KeyUri {
    credential: Credential,
    label_issuer: Option<String>,
    issuer_param: Option<String>,
    account: String,
    params: Vec<(String, String)>,
}

impl fmt::Debug for KeyUri {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("KeyUri")
            .field("credential", &self.credential)
            .field("label_issuer", &self.label_issuer)
            .field("issuer_param", &self.issuer_param)
            .field("account", &self.account)
            .field("params", &self.params)
            .finish()
    }
}

impl KeyUri {
    /// The longest URI [`KeyUri::parse`] reads: 64 KiB.
    ///
    /// # Examples
    ///
    /// ```
    /// use otpkit::{KeyUri, UriError};
    ///
    /// let long = format!("otpauth://totp/a?secret=JBSWY3DP&image={}", "x".repeat(KeyUri::MAX_LEN));
    /// assert_eq!(KeyUri::parse(&long).unwrap_err(), UriError::TooLong);
    /// ```
    pub const MAX_LEN: usize = 64 * 1024;

    /// A key for `account`, issued by `issuer` (written in both the label and the `issuer`
    /// parameter), with no other parameters.
    ///
    /// An empty issuer is no issuer. Leading spaces of the account are dropped, as reading the
    /// label would drop them.
    ///
    /// # Errors
    ///
    /// [`UriError::T0NotRepresentable`] for a TOTP credential whose T0 is not 0: no URI
    /// parameter carries it.
    ///
    /// # Examples
    ///
    /// ```
    /// use otpkit::{Algorithm, Credential, Digits, KeyUri, Secret};
    ///
    /// let secret = Secret::from_base32("JBSWY3DPEHPK3PXP")?;
    /// let cred = Credential::totp(secret, Algorithm::Sha1, Digits::SIX, 30)?;
    /// let key = KeyUri::new(cred, Some("Example"), "alice@google.com")?;
    /// assert_eq!(
    ///     key.to_uri_minimal().as_str(),
    ///     "otpauth://totp/Example:alice@google.com?secret=JBSWY3DPEHPK3PXP&issuer=Example"
    /// );
    /// # Ok::<(), Box<dyn core::error::Error>>(())
    /// ```
    pub fn new(
        credential: Credential,
        issuer: Option<&str>,
        account: &str,
    ) -> Result<Self, UriError> {
        if let Kind::Totp { t0, .. } = credential.kind() {
            if t0 != 0 {
                return Err(UriError::T0NotRepresentable);
            }
        }
        let issuer = issuer.filter(|i| !i.is_empty()).map(ToOwned::to_owned);
        Ok(Self {
            credential,
            label_issuer: issuer.clone(),
            issuer_param: issuer,
            account: account.trim_start_matches(' ').to_owned(),
            params: Vec::new(),
        })
    }

    /// A key from parts that are already decoded and checked (the migration import).
    #[cfg(feature = "migration")]
    pub(crate) fn from_parts(
        credential: Credential,
        label_issuer: Option<String>,
        issuer_param: Option<String>,
        account: String,
    ) -> Self {
        Self {
            credential,
            label_issuer: label_issuer.filter(|i| !i.is_empty()),
            issuer_param,
            account,
            params: Vec::new(),
        }
    }

    /// Reads an `otpauth://` URI, following the rules in the [`KeyUri`] notes.
    ///
    /// # Errors
    ///
    /// A [`UriError`] saying what is wrong and, for encoding errors, where. It never contains
    /// the secret.
    ///
    /// # Examples
    ///
    /// ```
    /// use otpkit::{Algorithm, Digits, KeyUri, UriError, credential::Kind};
    ///
    /// // Microsoft-style: the parameter and the label disagree; the parameter wins.
    /// let key = KeyUri::parse("otpauth://totp/Contoso:alice%40contoso.com?secret=jbswy3dpehpk3pxp&issuer=Microsoft")?;
    /// assert_eq!(key.issuer(), Some("Microsoft"));
    /// assert_eq!(key.label_issuer(), Some("Contoso"));
    ///
    /// let key = KeyUri::parse("otpauth://HOTP/x?secret=GEZDGNBV&counter=7&digits=8&algorithm=sha-256")?;
    /// assert_eq!(key.credential().kind(), Kind::Hotp { counter: 7 });
    /// assert_eq!(key.credential().digits(), Digits::EIGHT);
    /// assert_eq!(key.credential().algorithm(), Algorithm::Sha256);
    ///
    /// assert_eq!(KeyUri::parse("otpauth://totp/x?secret=GEZDGNBV&algorithm=MD5"), Err(UriError::UnsupportedAlgorithm));
    /// # Ok::<(), UriError>(())
    /// ```
    #[doc(alias = "from_url", alias = "from_url_unchecked")]
    pub fn parse(uri: &str) -> Result<Self, UriError> {
        if uri.len() > Self::MAX_LEN {
            return Err(UriError::TooLong);
        }
        let (offset, rest) = after_scheme(uri, "otpauth://").ok_or(UriError::InvalidScheme)?;

        let type_end = rest.find(['/', '?']).unwrap_or(rest.len());
        let type_name = rest.get(..type_end).unwrap_or("");
        let uri_type = if type_name.eq_ignore_ascii_case("totp") {
            UriType::Totp
        } else if type_name.eq_ignore_ascii_case("hotp") {
            UriType::Hotp
        } else if type_name.eq_ignore_ascii_case("steam") {
            UriType::Steam
        } else {
            let cut = (0..=MAX_TYPE_IN_ERROR.min(type_name.len()))
                .rev()
                .find(|&i| type_name.is_char_boundary(i))
                .unwrap_or(0);
            return Err(UriError::UnsupportedType {
                name: type_name.get(..cut).unwrap_or("").to_owned(),
            });
        };

        let rest = rest.get(type_end..).unwrap_or("");
        let Some(path) = rest.strip_prefix('/') else {
            return Err(UriError::MissingLabel);
        };
        let label_offset = offset + type_end + 1;
        let (raw_label, query) = match path.find('?') {
            Some(q) => (path.get(..q).unwrap_or(""), path.get(q + 1..).unwrap_or("")),
            None => (path, ""),
        };
        let (mut label_issuer, mut account) = split_label(raw_label, label_offset)?;

        let mut seen = Seen::default();
        let mut params = Vec::new();
        let mut steam_encoder = false;
        let mut pair_offset = label_offset + raw_label.len() + 1;
        for pair in query.split('&') {
            let here = pair_offset;
            pair_offset += pair.len() + 1;
            if pair.is_empty() {
                continue;
            }
            let (raw_name, raw_value, value_offset) = match pair.find('=') {
                Some(eq) => (
                    pair.get(..eq).unwrap_or(""),
                    pair.get(eq + 1..).unwrap_or(""),
                    here + eq + 1,
                ),
                None => (pair, "", here + pair.len()),
            };
            let name = plain(decode(raw_name, here, true)?);
            let value = decode(raw_value, value_offset, true)?;
            match Known::from_name(&name) {
                Some(known) => seen.set(known, value)?,
                None => {
                    if name.eq_ignore_ascii_case("encoder") && value.eq_ignore_ascii_case("steam") {
                        steam_encoder = true;
                    }
                    params.push((name, plain(value)));
                }
            }
        }

        let kind = match uri_type {
            UriType::Totp if steam_encoder => UriType::Steam,
            other => other,
        };
        let credential = build_credential(kind, &seen)?;
        if let Some(issuer) = seen.issuer.as_deref() {
            if let Some((prefix, rest)) = split_after_issuer(raw_label, label_offset, issuer)? {
                label_issuer = Some(prefix);
                account = rest;
            }
        }
        Ok(Self {
            credential,
            label_issuer,
            issuer_param: seen.issuer,
            account: plain(account),
            params,
        })
    }

    /// The credential: secret, algorithm, digits and kind.
    ///
    /// # Examples
    ///
    /// ```
    /// let key = otpkit::KeyUri::parse("otpauth://totp/a?secret=GEZDGNBVGY3TQOJQ")?;
    /// assert_eq!(key.credential().secret().as_bytes(), b"1234567890");
    /// # Ok::<(), otpkit::UriError>(())
    /// ```
    #[must_use]
    pub fn credential(&self) -> &Credential {
        &self.credential
    }

    /// The issuer to show: the `issuer` parameter, or the label prefix when the parameter is
    /// absent or empty.
    ///
    /// # Examples
    ///
    /// ```
    /// let key = otpkit::KeyUri::parse("otpauth://totp/ACME:bob?secret=GEZDGNBV&issuer=")?;
    /// assert_eq!(key.issuer(), Some("ACME"));
    /// # Ok::<(), otpkit::UriError>(())
    /// ```
    #[must_use]
    pub fn issuer(&self) -> Option<&str> {
        self.issuer_param
            .as_deref()
            .filter(|i| !i.is_empty())
            .or(self.label_issuer.as_deref())
    }

    /// The issuer prefix of the label (`ACME` in `ACME:bob`), if there is one.
    ///
    /// # Examples
    ///
    /// ```
    /// let key = otpkit::KeyUri::parse("otpauth://totp/ACME%3Abob?secret=GEZDGNBV&issuer=Acme%20Inc")?;
    /// assert_eq!(key.label_issuer(), Some("ACME"));
    /// assert_eq!(key.issuer(), Some("Acme Inc"));
    /// # Ok::<(), otpkit::UriError>(())
    /// ```
    #[must_use]
    pub fn label_issuer(&self) -> Option<&str> {
        self.label_issuer.as_deref()
    }

    /// The `issuer` parameter exactly as it was given (possibly empty), if there was one.
    ///
    /// # Examples
    ///
    /// ```
    /// let key = otpkit::KeyUri::parse("otpauth://totp/ACME:bob?secret=GEZDGNBV&issuer=")?;
    /// assert_eq!(key.issuer_param(), Some(""));
    /// # Ok::<(), otpkit::UriError>(())
    /// ```
    #[must_use]
    pub fn issuer_param(&self) -> Option<&str> {
        self.issuer_param.as_deref()
    }

    /// The account name: the label after the issuer prefix.
    ///
    /// # Examples
    ///
    /// ```
    /// let key = otpkit::KeyUri::parse("otpauth://totp/ACME:%20bob+smith?secret=GEZDGNBV")?;
    /// assert_eq!(key.account(), "bob+smith");
    /// # Ok::<(), otpkit::UriError>(())
    /// ```
    #[must_use]
    pub fn account(&self) -> &str {
        &self.account
    }

    /// The parameters other than the security ones, decoded, in the order they came.
    ///
    /// # Examples
    ///
    /// ```
    /// let key = otpkit::KeyUri::parse("otpauth://totp/a?secret=GEZDGNBV&image=https%3A%2F%2Fx.example%2Fi.png&color=red")?;
    /// assert_eq!(key.params()[0], ("image".to_string(), "https://x.example/i.png".to_string()));
    /// assert_eq!(key.params().len(), 2);
    /// # Ok::<(), otpkit::UriError>(())
    /// ```
    #[must_use]
    pub fn params(&self) -> &[(String, String)] {
        &self.params
    }

    /// The URI with every parameter: `secret`, `issuer` (when there is one), `algorithm`,
    /// `digits`, `period` (or `counter` for HOTP), then the other parameters. It contains the
    /// secret, so it is wiped on drop.
    ///
    /// # Examples
    ///
    /// ```
    /// use otpkit::{Algorithm, Credential, Digits, KeyUri, Secret};
    ///
    /// let cred = Credential::hotp(Secret::from_bytes(b"12345678901234567890")?, Algorithm::Sha256, Digits::EIGHT, 3);
    /// let key = KeyUri::new(cred, Some("ACME Co"), "bob@example.com")?;
    /// assert_eq!(
    ///     key.to_uri().as_str(),
    ///     "otpauth://hotp/ACME%20Co:bob@example.com?secret=GEZDGNBVGY3TQOJQGEZDGNBVGY3TQOJQ\
    ///      &issuer=ACME%20Co&algorithm=SHA256&digits=8&counter=3"
    /// );
    /// assert_eq!(KeyUri::parse(&key.to_uri())?, key);
    /// # Ok::<(), Box<dyn core::error::Error>>(())
    /// ```
    #[must_use]
    #[doc(alias = "to_url", alias = "get_url")]
    pub fn to_uri(&self) -> Zeroizing<String> {
        self.write(false)
    }

    /// The URI without the parameters that have their default values: `algorithm=SHA1`,
    /// `digits=6`, `period=30`, `counter=0`, and Steam Guard's implied ones.
    ///
    /// # Examples
    ///
    /// ```
    /// use otpkit::{Credential, KeyUri, Secret};
    ///
    /// let key = KeyUri::new(Credential::steam(Secret::from_base32("GEZDGNBV")?), Some("Steam"), "gaben")?;
    /// assert_eq!(key.to_uri_minimal().as_str(), "otpauth://steam/Steam:gaben?secret=GEZDGNBV&issuer=Steam");
    /// assert_eq!(KeyUri::parse(&key.to_uri_minimal())?, key);
    /// # Ok::<(), Box<dyn core::error::Error>>(())
    /// ```
    #[must_use]
    pub fn to_uri_minimal(&self) -> Zeroizing<String> {
        self.write(true)
    }

    /// The key with one more parameter that authenticators read but codes do not depend on:
    /// `image=` (a logo URL, FreeOTP and others), `color=`, `icon=`, …. It is written after the
    /// security parameters, percent-encoded like everything else; an existing parameter of the
    /// same name is replaced (in its place; any repeats of it are dropped).
    ///
    /// # Errors
    ///
    /// [`UriError::ReservedParameter`] for `secret`, `issuer`, `algorithm`, `digits`, `period`,
    /// `counter` and `encoder` in any case (`Secret`, `DIGITS`): those say how codes are made,
    /// so they come from the credential, and an app that reads names case-insensitively must
    /// not find a second, different value.
    ///
    /// # Examples
    ///
    /// ```
    /// use otpkit::{KeyUri, UriError};
    ///
    /// let key = KeyUri::parse("otpauth://totp/ACME:bob?secret=GEZDGNBV&issuer=ACME")?
    ///     .with_param("image", "https://acme.example/logo.png")?
    ///     .with_param("color", "red & blue")?
    ///     .with_param("image", "https://acme.example/logo.svg")?;
    /// assert_eq!(
    ///     key.to_uri_minimal().as_str(),
    ///     "otpauth://totp/ACME:bob?secret=GEZDGNBV&issuer=ACME\
    ///      &image=https%3A%2F%2Facme.example%2Flogo.svg&color=red%20%26%20blue"
    /// );
    /// assert_eq!(KeyUri::parse(&key.to_uri())?, key);
    ///
    /// let err = key.with_param("Digits", "8").unwrap_err();
    /// assert_eq!(err, UriError::ReservedParameter { name: "digits" });
    /// assert_eq!(err.to_string(), "parameter \"digits\" comes from the credential: it cannot be set as an extra parameter");
    /// # Ok::<(), UriError>(())
    /// ```
    pub fn with_param(mut self, name: &str, value: &str) -> Result<Self, UriError> {
        if let Some(reserved) = RESERVED_PARAMS
            .into_iter()
            .find(|r| r.eq_ignore_ascii_case(name))
        {
            return Err(UriError::ReservedParameter { name: reserved });
        }
        let value = value.to_owned();
        match self.params.iter().position(|(n, _)| n == name) {
            Some(at) => {
                let mut index = 0;
                self.params.retain(|(n, _)| {
                    let keep = index <= at || n != name;
                    index += 1;
                    keep
                });
                if let Some(slot) = self.params.get_mut(at) {
                    slot.1 = value;
                }
            }
            None => self.params.push((name.to_owned(), value)),
        }
        Ok(self)
    }

    fn write(&self, minimal: bool) -> Zeroizing<String> {
        let cred = &self.credential;
        let secret = cred.secret().to_base32();
        let encoded_len = |s: &str| s.len().saturating_mul(3);
        // Reserve enough up front that the string never reallocates (a reallocation would
        // leave a copy of the secret in freed memory).
        let capacity = [
            128,
            secret.len(),
            encoded_len(self.label_issuer.as_deref().unwrap_or("")),
            encoded_len(&self.account),
            encoded_len(self.issuer_param.as_deref().unwrap_or("")),
        ]
        .into_iter()
        .chain(self.params.iter().map(|(n, v)| {
            encoded_len(n)
                .saturating_add(encoded_len(v))
                .saturating_add(2)
        }))
        .fold(0usize, usize::saturating_add);
        let mut out = Zeroizing::new(String::with_capacity(capacity));

        // Writing into a `String` cannot fail; the results are ignored on purpose.
        let _ = write!(out, "otpauth://{}/", cred.kind().name());
        match &self.label_issuer {
            Some(issuer) => {
                let _ = write!(out, "{}:", enc(issuer));
            }
            // An account with a colon needs a separator before it, or its first colon would
            // separate; an empty prefix reads back as none.
            None if self.account.contains(':') => out.push(':'),
            None => {}
        }
        let _ = write!(out, "{}?secret={}", enc(&self.account), secret.as_str());
        if let Some(issuer) = &self.issuer_param {
            let _ = write!(out, "&issuer={}", enc(issuer));
        }
        let steam = cred.kind() == Kind::Steam;
        if !minimal || cred.algorithm() != Algorithm::Sha1 {
            let _ = write!(out, "&algorithm={}", cred.algorithm().as_str());
        }
        if steam {
            if !minimal {
                out.push_str("&digits=5");
            }
        } else if !minimal || cred.digits() != Digits::SIX {
            let _ = write!(out, "&digits={}", cred.digits().get());
        }
        match cred.kind() {
            Kind::Hotp { counter } if !minimal || counter != 0 => {
                let _ = write!(out, "&counter={counter}");
            }
            Kind::Totp { period, .. } if !minimal || period != Totp::DEFAULT_PERIOD => {
                let _ = write!(out, "&period={period}");
            }
            Kind::Steam if !minimal => {
                let _ = write!(out, "&period={}", Totp::DEFAULT_PERIOD);
            }
            // The defaults a minimal URI leaves out.
            Kind::Hotp { .. } | Kind::Totp { .. } | Kind::Steam => {}
        }
        for (name, value) in &self.params {
            let _ = write!(out, "&{}={}", enc(name), enc(value));
        }
        out
    }
}

mod error;
mod from;
mod parse;
#[cfg(feature = "serde")]
mod serde_impl;
#[cfg(test)]
mod tests;
