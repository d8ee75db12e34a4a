//! Accounts: what the vault stores for each key, and how a query selects one.

use core::fmt;
use core::str::FromStr;

use otpkit::credential::Kind;
use otpkit::{Algorithm, Credential, Digits, Secret};
use serde::{Deserialize, Serialize};
use uuid::Uuid;
use zeroize::Zeroizing;

use crate::Error;

/// A display colour, `#RRGGBB`.
///
/// # Examples
///
/// ```
/// let c: otpkit_vault::Color = "#1a2B3c".parse()?;
/// assert_eq!(c.to_string(), "#1A2B3C");
/// assert!("red".parse::<otpkit_vault::Color>().is_err());
/// # Ok::<(), otpkit_vault::Error>(())
/// ```
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub struct Color(pub [u8; 3]);

impl FromStr for Color {
    type Err = Error;

    fn from_str(s: &str) -> Result<Self, Error> {
        const WHY: &str = "colour must be #RRGGBB";
        let hex = s.strip_prefix('#').ok_or(Error::InvalidAccount(WHY))?;
        if hex.len() != 6 || !hex.bytes().all(|b| b.is_ascii_hexdigit()) {
            return Err(Error::InvalidAccount(WHY));
        }
        let v = u32::from_str_radix(hex, 16).map_err(|_| Error::InvalidAccount(WHY))?;
        let [_, r, g, b] = v.to_be_bytes();
        Ok(Self([r, g, b]))
    }
}

impl fmt::Display for Color {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let [r, g, b] = self.0;
        write!(f, "#{r:02X}{g:02X}{b:02X}")
    }
}

/// One account: the credential and what a person sees next to its code.
///
/// `Debug` shows no secret (the credential's own `Debug` is redacted).
///
/// # Examples
///
/// ```
/// use otpkit::{Algorithm, Credential, Digits, Secret};
/// use otpkit_vault::Account;
///
/// let cred = Credential::totp(Secret::from_base32("JBSWY3DPEHPK3PXP")?, Algorithm::Sha1, Digits::SIX, 30)?;
/// let account = Account::new("Example", "alice@example.com", cred, 1_700_000_000)?;
/// assert_eq!(account.label(), "Example:alice@example.com");
/// assert!(!format!("{account:?}").contains("JBSWY3DPEHPK3PXP"));
/// # Ok::<(), Box<dyn core::error::Error>>(())
/// ```
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Account {
    /// A stable random id (UUID version 4).
    pub id: Uuid,
    /// The service, e.g. "Example" (may be empty).
    pub issuer: String,
    /// The account at that service, e.g. "alice@example.com".
    pub name: String,
    /// An optional display colour.
    pub color: Option<Color>,
    /// A free-text note.
    pub note: String,
    /// The one-time password credential.
    pub credential: Credential,
    /// When it was added, unix seconds.
    pub created: u64,
    /// When it last changed, unix seconds.
    pub updated: u64,
    /// Its place in the list (smaller first).
    pub order: u32,
}

impl Account {
    /// A new account with a fresh random id, no colour and no note, created and updated `now`.
    ///
    /// # Errors
    ///
    /// [`Error::Random`] when the operating system's generator cannot give the id.
    ///
    /// # Examples
    ///
    /// ```
    /// # use otpkit::{Credential, Secret};
    /// let a = otpkit_vault::Account::new("", "bob", Credential::steam(Secret::from_bytes(b"k")?), 5)?;
    /// assert_eq!(a.created, 5);
    /// # Ok::<(), Box<dyn core::error::Error>>(())
    /// ```
    pub fn new(issuer: &str, name: &str, credential: Credential, now: u64) -> Result<Self, Error> {
        Ok(Self {
            id: crate::rand::uuid()?,
            issuer: issuer.to_owned(),
            name: name.to_owned(),
            color: None,
            note: String::new(),
            credential,
            created: now,
            updated: now,
            order: 0,
        })
    }

    /// `issuer:name`, or `name` alone when there is no issuer.
    ///
    /// # Examples
    ///
    /// ```
    /// # use otpkit::{Credential, Secret};
    /// let a = otpkit_vault::Account::new("", "bob", Credential::steam(Secret::from_bytes(b"k")?), 0)?;
    /// assert_eq!(a.label(), "bob");
    /// # Ok::<(), Box<dyn core::error::Error>>(())
    /// ```
    #[must_use]
    pub fn label(&self) -> String {
        if self.issuer.is_empty() {
            self.name.clone()
        } else {
            format!("{}:{}", self.issuer, self.name)
        }
    }

    /// Whether `other` is the same key for the same account (same secret, issuer and name):
    /// the importers' duplicate rule.
    #[must_use]
    pub(crate) fn same_key(&self, issuer: &str, name: &str, credential: &Credential) -> bool {
        self.issuer == issuer
            && self.name == name
            && self.credential.secret() == credential.secret()
    }

    fn candidate(&self) -> String {
        format!("{} ({})", self.label(), short_id(&self.id))
    }
}

/// The first 8 hex digits of an id: what lists show and queries usually type.
///
/// # Examples
///
/// ```
/// let id = uuid::Uuid::parse_str("67e55044-10b1-426f-9247-bb680e5fe0c8")?;
/// assert_eq!(otpkit_vault::short_id(&id), "67e55044");
/// # Ok::<(), uuid::Error>(())
/// ```
#[must_use]
pub fn short_id(id: &Uuid) -> String {
    let mut s = id.simple().to_string();
    s.truncate(8);
    s
}

/// Picks the one account a query means.
///
/// The query is tried in order: an id prefix (at least 4 hex digits, dashes ignored); an exact
/// case-insensitive `issuer`, `name` or `issuer:name`; then a case-insensitive substring of
/// `issuer:name`. The first rule with any match decides: one match is the answer, more are
/// [`Error::Ambiguous`] with the candidates.
///
/// # Errors
///
/// [`Error::NoMatch`] or [`Error::Ambiguous`].
///
/// # Examples
///
/// ```
/// use otpkit::{Credential, Secret};
/// use otpkit_vault::{Account, Error, select};
///
/// let cred = || Credential::steam(Secret::from_bytes(b"k").unwrap());
/// let list = [Account::new("GitHub", "alice", cred(), 0)?, Account::new("GitLab", "alice", cred(), 0)?];
/// assert_eq!(select(&list, "github")?, 0);
/// assert!(matches!(select(&list, "git"), Err(Error::Ambiguous(c)) if c.len() == 2));
/// assert!(matches!(select(&list, "nothing"), Err(Error::NoMatch)));
/// # Ok::<(), Error>(())
/// ```
pub fn select(accounts: &[Account], query: &str) -> Result<usize, Error> {
    let q = query.trim().to_lowercase();
    if q.is_empty() {
        return Err(Error::NoMatch);
    }
    let hex: String = q.chars().filter(|c| *c != '-').collect();
    let by_id = |a: &Account| {
        hex.len() >= 4
            && hex.chars().all(|c| c.is_ascii_hexdigit())
            && a.id.simple().to_string().starts_with(&hex)
    };
    let exact = |a: &Account| {
        a.issuer.to_lowercase() == q || a.name.to_lowercase() == q || a.label().to_lowercase() == q
    };
    let contains = |a: &Account| a.label().to_lowercase().contains(&q);
    let rules: [&dyn Fn(&Account) -> bool; 3] = [&by_id, &exact, &contains];
    for rule in rules {
        let hits: Vec<usize> = (0..accounts.len())
            .filter(|&i| accounts.get(i).is_some_and(rule))
            .collect();
        match hits.as_slice() {
            [] => {}
            [one] => return Ok(*one),
            many => {
                return Err(Error::Ambiguous(
                    many.iter()
                        .filter_map(|&i| accounts.get(i))
                        .map(Account::candidate)
                        .collect(),
                ));
            }
        }
    }
    Err(Error::NoMatch)
}

/// The stored form of an account (FORMAT.md, "The account list").
#[derive(Serialize, Deserialize)]
pub(crate) struct StoredAccount {
    id: Uuid,
    #[serde(default)]
    issuer: String,
    name: String,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    color: Option<String>,
    #[serde(default)]
    note: String,
    otp: StoredOtp,
    #[serde(default)]
    created: u64,
    #[serde(default)]
    updated: u64,
    #[serde(default)]
    order: u32,
}

#[derive(Serialize, Deserialize)]
#[serde(tag = "type", rename_all = "lowercase")]
enum StoredOtp {
    Totp {
        secret: Zeroizing<String>,
        algorithm: String,
        digits: u8,
        period: u64,
        #[serde(default)]
        t0: u64,
    },
    Hotp {
        secret: Zeroizing<String>,
        algorithm: String,
        digits: u8,
        counter: u64,
    },
    Steam {
        secret: Zeroizing<String>,
    },
}

/// The name the file and otpauth:// URIs use for an algorithm.
pub(crate) fn algorithm_name(a: Algorithm) -> &'static str {
    match a {
        Algorithm::Sha256 => "SHA256",
        Algorithm::Sha512 => "SHA512",
        _ => "SHA1",
    }
}

/// Reads `SHA1`, `sha-256`, `HmacSHA512`... as the importers meet them.
pub(crate) fn parse_algorithm(s: &str) -> Option<Algorithm> {
    let n: String = s
        .to_ascii_uppercase()
        .chars()
        .filter(char::is_ascii_alphanumeric)
        .collect();
    match n.trim_start_matches("HMAC") {
        "SHA1" => Some(Algorithm::Sha1),
        "SHA256" => Some(Algorithm::Sha256),
        "SHA512" => Some(Algorithm::Sha512),
        _ => None,
    }
}

impl From<&Account> for StoredAccount {
    fn from(a: &Account) -> Self {
        let c = &a.credential;
        let secret = c.secret().to_base32();
        let algorithm = algorithm_name(c.algorithm()).to_owned();
        let digits = c.digits().get();
        let otp = match c.kind() {
            Kind::Hotp { counter } => StoredOtp::Hotp {
                secret,
                algorithm,
                digits,
                counter,
            },
            Kind::Steam => StoredOtp::Steam { secret },
            Kind::Totp { period, t0 } => StoredOtp::Totp {
                secret,
                algorithm,
                digits,
                period,
                t0,
            },
            // A kind this build does not know cannot have been built by it.
            _ => StoredOtp::Steam { secret },
        };
        Self {
            id: a.id,
            issuer: a.issuer.clone(),
            name: a.name.clone(),
            color: a.color.map(|c| c.to_string()),
            note: a.note.clone(),
            otp,
            created: a.created,
            updated: a.updated,
            order: a.order,
        }
    }
}

impl TryFrom<StoredAccount> for Account {
    type Error = Error;

    fn try_from(s: StoredAccount) -> Result<Self, Error> {
        let bad = |_| Error::BadPayload;
        let secret = |text: &str| Secret::from_base32(text).map_err(|_| Error::BadPayload);
        let algorithm = |a: &str| parse_algorithm(a).ok_or(Error::BadPayload);
        let credential = match s.otp {
            StoredOtp::Totp {
                secret: k,
                algorithm: a,
                digits,
                period,
                t0,
            } => Credential::totp(
                secret(&k)?,
                algorithm(&a)?,
                Digits::new(digits).map_err(bad)?,
                period,
            )
            .map_err(bad)?
            .with_t0(t0),
            StoredOtp::Hotp {
                secret: k,
                algorithm: a,
                digits,
                counter,
            } => Credential::hotp(
                secret(&k)?,
                algorithm(&a)?,
                Digits::new(digits).map_err(bad)?,
                counter,
            ),
            StoredOtp::Steam { secret: k } => Credential::steam(secret(&k)?),
        };
        let color = match s.color {
            Some(c) => Some(c.parse().map_err(|_| Error::BadPayload)?),
            None => None,
        };
        Ok(Self {
            id: s.id,
            issuer: s.issuer,
            name: s.name,
            color,
            note: s.note,
            credential,
            created: s.created,
            updated: s.updated,
            order: s.order,
        })
    }
}

#[cfg(test)]
mod tests {
    #![allow(clippy::unwrap_used)]
    use super::*;

    fn cred() -> Credential {
        Credential::steam(Secret::from_bytes(b"key").unwrap())
    }

    #[test]
    fn select_prefers_id_then_exact_then_substring() {
        let mut a = Account::new("Example", "alice", cred(), 0).unwrap();
        a.id = Uuid::from_u128(0xabcd_0000_0000_4000_8000_0000_0000_0001);
        let b = Account::new("Example Two", "bob", cred(), 0).unwrap();
        let list = [a, b];
        assert_eq!(select(&list, "ABCD").unwrap(), 0);
        assert_eq!(select(&list, "example").unwrap(), 0);
        assert_eq!(select(&list, "BOB").unwrap(), 1);
        assert_eq!(select(&list, "two").unwrap(), 1);
        let err = select(&list, "exa").unwrap_err();
        assert!(
            err.to_string()
                .starts_with("2 accounts match: Example:alice (abcd0000), Example Two:bob (")
        );
    }

    #[test]
    fn colour_is_checked() {
        assert_eq!("#00ff00".parse::<Color>().unwrap(), Color([0, 255, 0]));
        for bad in ["00ff00", "#0f0", "#00ff0g", "#00ff000", "#+0ff00"] {
            assert_eq!(
                bad.parse::<Color>().unwrap_err().to_string(),
                "invalid account: colour must be #RRGGBB"
            );
        }
    }
}
