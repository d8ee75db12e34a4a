//! The ways in from text: [`KeyUri::from_pasted`] (a URI or a bare secret, as users paste
//! them), `str::parse`, [`Totp::from_uri`] and [`Credential::from_uri`].

use core::str::FromStr;

use super::*;
use crate::error::Base32Error;

impl KeyUri {
    /// Reads what a user pastes into a "set up your authenticator" field: an `otpauth://` URI
    /// *or* a bare base32 secret, the two things services show.
    ///
    /// Surrounding ASCII white space is ignored. Text with a `:` is a URI (base32 has none),
    /// read by [`KeyUri::parse`], so its issuer, account and parameters are kept. Anything else
    /// is a base32 secret, read as leniently as [`Secret::from_base32`] reads it (either case,
    /// padding or none, spaces and hyphens between groups: `jbsw y3dp-ehpk 3pxp`), with the
    /// defaults every authenticator uses for one: TOTP, SHA-1, 6 digits, 30 seconds. Its key
    /// has no issuer, an empty account and no parameters.
    ///
    /// # Errors
    ///
    /// Every error of [`KeyUri::parse`] for a URI (a `https://` link is
    /// [`UriError::InvalidScheme`]); [`UriError::MigrationExport`] for a Google Authenticator
    /// export, which holds several keys; [`UriError::NotAKey`] for text that is not base32,
    /// saying where; [`UriError::TooLong`] over [`KeyUri::MAX_LEN`]. None contains the secret.
    ///
    /// # Examples
    ///
    /// ```
    /// use otpkit::{Algorithm, Digits, KeyUri, UriError, credential::Kind};
    ///
    /// let key = KeyUri::from_pasted("otpauth://totp/Example:alice?secret=JBSWY3DPEHPK3PXP&issuer=Example\n")?;
    /// assert_eq!((key.issuer(), key.account()), (Some("Example"), "alice"));
    ///
    /// let key = KeyUri::from_pasted("  jbsw y3dp-ehpk 3pxp==== ")?;
    /// assert_eq!(key.credential().secret().as_bytes(), b"Hello!\xde\xad\xbe\xef");
    /// assert_eq!(key.credential().kind(), Kind::Totp { period: 30, t0: 0 });
    /// assert_eq!((key.credential().algorithm(), key.credential().digits()), (Algorithm::Sha1, Digits::SIX));
    /// assert_eq!((key.issuer(), key.account()), (None, ""));
    ///
    /// let err = KeyUri::from_pasted("JBSWY3DPEHPK3PX1").unwrap_err();
    /// assert_eq!(
    ///     err.to_string(),
    ///     "not a key (invalid base32 character at position 15): paste an otpauth:// uri or a base32 secret"
    /// );
    /// assert_eq!(KeyUri::from_pasted("https://example.com/?secret=JBSWY3DP"), Err(UriError::InvalidScheme));
    /// # Ok::<(), UriError>(())
    /// ```
    #[doc(alias = "from_url")]
    pub fn from_pasted(text: &str) -> Result<Self, UriError> {
        if text.len() > Self::MAX_LEN {
            return Err(UriError::TooLong);
        }
        let start = text.len() - text.trim_ascii_start().len();
        let trimmed = text.trim_ascii();
        if after_scheme(trimmed, "otpauth-migration:").is_some() {
            return Err(UriError::MigrationExport);
        }
        if trimmed.contains(':') {
            return Self::parse(text);
        }
        let secret =
            Secret::from_base32(trimmed).map_err(|e| UriError::NotAKey(shift(e, start)))?;
        let credential =
            Credential::totp(secret, Algorithm::Sha1, Digits::SIX, Totp::DEFAULT_PERIOD)
                // The default period is not 0, the only error `totp` has.
                .map_err(|_| UriError::InvalidPeriod)?;
        Self::new(credential, None, "")
    }
}

/// A base32 error with its position moved from the trimmed text to the text as pasted.
fn shift(e: Base32Error, by: usize) -> Base32Error {
    match e {
        Base32Error::InvalidCharacter { position } => Base32Error::InvalidCharacter {
            position: position.saturating_add(by),
        },
        Base32Error::InvalidPadding { position } => Base32Error::InvalidPadding {
            position: position.saturating_add(by),
        },
        other => other,
    }
}

/// `"otpauth://…".parse::<KeyUri>()`: [`KeyUri::parse`].
///
/// # Examples
///
/// ```
/// let key: otpkit::KeyUri = "otpauth://totp/ACME:bob?secret=GEZDGNBV".parse()?;
/// assert_eq!(key.account(), "bob");
/// # Ok::<(), otpkit::UriError>(())
/// ```
impl FromStr for KeyUri {
    type Err = UriError;

    fn from_str(uri: &str) -> Result<Self, UriError> {
        Self::parse(uri)
    }
}

impl Credential {
    /// The credential of an `otpauth://` URI ([`KeyUri::parse`] without the names). To take
    /// a bare base32 secret too, use [`KeyUri::from_pasted`].
    ///
    /// # Errors
    ///
    /// As [`KeyUri::parse`].
    ///
    /// # Examples
    ///
    /// ```
    /// use otpkit::{Credential, credential::Kind};
    ///
    /// let c = Credential::from_uri("otpauth://hotp/bob?secret=GEZDGNBV&counter=7")?;
    /// assert_eq!(c.kind(), Kind::Hotp { counter: 7 });
    /// # Ok::<(), otpkit::UriError>(())
    /// ```
    #[doc(alias = "from_url")]
    pub fn from_uri(uri: &str) -> Result<Self, UriError> {
        KeyUri::parse(uri).map(|key| key.credential)
    }
}

impl Totp {
    /// A TOTP (or Steam Guard) generator from an `otpauth://` URI.
    ///
    /// # Errors
    ///
    /// As [`KeyUri::parse`], and [`UriError::NotTimeBased`] for an HOTP key (read it with
    /// [`Credential::from_uri`] and [`Credential::to_hotp`]).
    ///
    /// # Examples
    ///
    /// ```
    /// use otpkit::{Totp, UriError};
    ///
    /// let totp = Totp::from_uri("otpauth://totp/a?secret=GEZDGNBVGY3TQOJQGEZDGNBVGY3TQOJQ&digits=8")?;
    /// assert_eq!(totp.generate(59)?.as_str(), "94287082");
    /// let err = Totp::from_uri("otpauth://hotp/a?secret=GEZDGNBV").unwrap_err();
    /// assert_eq!(err, UriError::NotTimeBased);
    /// assert_eq!(err.to_string(), "uri is an hotp key: read it with Credential::from_uri");
    /// # Ok::<(), Box<dyn core::error::Error>>(())
    /// ```
    #[doc(alias = "from_url")]
    pub fn from_uri(uri: &str) -> Result<Self, UriError> {
        Credential::from_uri(uri)?
            .to_totp()
            .map_err(|_| UriError::NotTimeBased)
    }
}
