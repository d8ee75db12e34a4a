//! Secret strength as a policy, separate from parsing: a parser accepts any non-empty key, and
//! the caller decides how many bits it will trust.

use super::TooWeak;
#[cfg(feature = "alloc")]
use crate::secret::Secret;

/// The least number of secret bits a party will accept.
///
/// RFC 4226 §4 (R6) requires at least 128 bits and recommends 160. A service that *issues*
/// secrets should hold to that ([`Strength::ISSUER`]; [`Secret::generate`] never makes less).
/// A verifier that must keep working with keys issued long ago (many 2010s services handed out
/// 80-bit keys, as the Key-Uri-Format page's own example does) may choose
/// [`Strength::LEGACY_VERIFIER`]. The default is the strict one.
///
/// # Examples
///
/// ```
/// use otpkit::{Secret, secret};
///
/// let legacy = Secret::from_base32("JBSWY3DPEHPK3PXP")?; // 80 bits
/// assert_eq!(secret::Strength::ISSUER.check(&legacy), Err(secret::TooWeak { bits: 80, min: 128 }));
/// assert_eq!(secret::Strength::LEGACY_VERIFIER.check(&legacy), Ok(()));
/// assert_eq!(secret::Strength::default(), secret::Strength::ISSUER);
/// # Ok::<(), otpkit::Base32Error>(())
/// ```
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub struct Strength {
    min_bits: usize,
}

impl Strength {
    /// At least 128 bits: for a service issuing secrets (RFC 4226 §4 R6).
    ///
    /// # Examples
    ///
    /// ```
    /// use otpkit::secret;
    ///
    /// assert_eq!(secret::Strength::ISSUER.check_key(&[0; 16]), Ok(()));
    /// assert_eq!(secret::Strength::ISSUER.check_key(&[0; 10]), Err(secret::TooWeak { bits: 80, min: 128 }));
    /// ```
    pub const ISSUER: Self = Self { min_bits: 128 };

    /// At least 80 bits: for a verifier that accepts legacy secrets it did not issue itself.
    ///
    /// # Examples
    ///
    /// ```
    /// use otpkit::secret;
    ///
    /// assert_eq!(secret::Strength::LEGACY_VERIFIER.check_key(&[0; 10]), Ok(()));
    /// assert_eq!(secret::Strength::LEGACY_VERIFIER.check_key(&[0; 8]), Err(secret::TooWeak { bits: 64, min: 80 }));
    /// ```
    pub const LEGACY_VERIFIER: Self = Self { min_bits: 80 };

    /// A policy with another floor, in bits. Below 80 bits is not recommended for anything:
    /// such a key falls to an offline search from a few observed codes.
    ///
    /// # Examples
    ///
    /// ```
    /// use otpkit::secret;
    ///
    /// let strict = secret::Strength::new(160);
    /// assert_eq!(strict.min_bits(), 160);
    /// assert!(strict.check_key(&[0u8; 16]).is_err());
    /// ```
    #[must_use]
    pub const fn new(min_bits: usize) -> Self {
        Self { min_bits }
    }

    /// The floor in bits.
    ///
    /// # Examples
    ///
    /// ```
    /// assert_eq!(otpkit::secret::Strength::LEGACY_VERIFIER.min_bits(), 80);
    /// ```
    #[must_use]
    pub const fn min_bits(self) -> usize {
        self.min_bits
    }

    /// Checks raw key bytes (no allocator needed).
    ///
    /// # Errors
    ///
    /// [`TooWeak`] when the key has fewer bits than the policy's floor.
    ///
    /// # Examples
    ///
    /// ```
    /// use otpkit::secret;
    ///
    /// assert_eq!(secret::Strength::ISSUER.check_key(&[7u8; 20]), Ok(()));
    /// assert_eq!(secret::Strength::ISSUER.check_key(&[7u8; 15]), Err(secret::TooWeak { bits: 120, min: 128 }));
    /// ```
    pub const fn check_key(self, key: &[u8]) -> Result<(), TooWeak> {
        let bits = key.len().saturating_mul(8);
        if bits < self.min_bits {
            Err(TooWeak {
                bits,
                min: self.min_bits,
            })
        } else {
            Ok(())
        }
    }

    /// Checks a [`Secret`].
    ///
    /// # Errors
    ///
    /// [`TooWeak`] when the secret has fewer bits than the policy's floor.
    ///
    /// # Examples
    ///
    /// ```
    /// use otpkit::{Secret, secret};
    ///
    /// let secret = Secret::from_bytes(b"12345678901234567890")?;
    /// assert_eq!(secret::Strength::ISSUER.check(&secret), Ok(()));
    /// # Ok::<(), otpkit::Error>(())
    /// ```
    #[cfg(feature = "alloc")]
    pub fn check(self, secret: &Secret) -> Result<(), TooWeak> {
        self.check_key(secret.as_bytes())
    }
}

impl Default for Strength {
    /// [`Strength::ISSUER`]: weaker keys must be asked for by name.
    fn default() -> Self {
        Self::ISSUER
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::string::ToString;

    #[test]
    fn floors_are_inclusive() {
        assert_eq!(Strength::ISSUER.check_key(&[0; 16]), Ok(()));
        assert_eq!(
            Strength::ISSUER.check_key(&[0; 15]),
            Err(TooWeak {
                bits: 120,
                min: 128
            })
        );
        assert_eq!(Strength::LEGACY_VERIFIER.check_key(&[0; 10]), Ok(()));
        assert_eq!(
            Strength::LEGACY_VERIFIER.check_key(&[0; 9]),
            Err(TooWeak { bits: 72, min: 80 })
        );
        assert_eq!(
            Strength::LEGACY_VERIFIER.check_key(&[]),
            Err(TooWeak { bits: 0, min: 80 })
        );
        assert_eq!(Strength::new(0).check_key(&[]), Ok(()));
        assert_eq!(
            Strength::new(usize::MAX).check_key(&[0; 64]),
            Err(TooWeak {
                bits: 512,
                min: usize::MAX
            })
        );
    }

    #[cfg(feature = "alloc")]
    #[test]
    fn checks_a_secret_by_its_bits() {
        let s = Secret::from_bytes(&[9; 10]).unwrap();
        assert_eq!(
            Strength::ISSUER.check(&s),
            Err(TooWeak { bits: 80, min: 128 })
        );
        assert_eq!(Strength::LEGACY_VERIFIER.check(&s), Ok(()));
    }

    #[test]
    fn message_is_exact() {
        assert_eq!(
            TooWeak { bits: 72, min: 80 }.to_string(),
            "secret has 72 bits, the policy requires at least 80"
        );
    }
}
