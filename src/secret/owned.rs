//! `Secret`: owned key bytes that are wiped on drop and never printed.

use alloc::string::String;
use alloc::vec;
use alloc::vec::Vec;
use core::fmt;

use subtle::ConstantTimeEq;
use zeroize::{Zeroize, Zeroizing};

use crate::base32::{base32_decoded_len, base32_encoded_len, decode_base32, encode_base32};
use crate::error::{Base32Error, Error};

// Generation lives in a child module so it can fill a `Secret` in place.

/// A shared secret: the raw key bytes of an HOTP or TOTP credential.
///
/// The bytes are wiped when the value is dropped. `Debug` shows only the length in bits, and
/// there is no `Display`: write the secret out on purpose with [`Secret::to_base32`].
/// Equality is compared in constant time (the lengths are public).
///
/// # Examples
///
/// ```
/// use otpkit::Secret;
///
/// let secret = Secret::from_base32("JBSW Y3DP EHPK 3PXP")?;
/// assert_eq!(secret.bits(), 80);
/// assert_eq!(*secret.to_base32(), "JBSWY3DPEHPK3PXP");
/// assert_eq!(format!("{secret:?}"), "Secret { bits: 80, .. }");
/// # Ok::<(), otpkit::Base32Error>(())
/// ```
#[derive(Clone)]
pub struct Secret {
    pub(super) bytes: Vec<u8>,
}

impl Secret {
    /// Copies raw key bytes.
    ///
    /// # Errors
    ///
    /// [`Error::EmptyKey`] for no bytes.
    ///
    /// # Examples
    ///
    /// ```
    /// let s = otpkit::Secret::from_bytes(b"12345678901234567890")?;
    /// assert_eq!(s.len(), 20);
    /// # Ok::<(), otpkit::Error>(())
    /// ```
    pub fn from_bytes(bytes: &[u8]) -> Result<Self, Error> {
        if bytes.is_empty() {
            return Err(Error::EmptyKey);
        }
        Ok(Self {
            bytes: bytes.to_vec(),
        })
    }

    /// Decodes base32 text leniently, as [`decode_base32`] describes.
    ///
    /// # Errors
    ///
    /// The [`Base32Error`] of the text; never `BufferTooSmall`.
    ///
    /// # Examples
    ///
    /// ```
    /// let s = otpkit::Secret::from_base32("gezdgnbvgy3tqojq")?;
    /// assert_eq!(s.as_bytes(), b"1234567890");
    /// # Ok::<(), otpkit::Base32Error>(())
    /// ```
    #[doc(alias = "try_from_base32")]
    pub fn from_base32(text: &str) -> Result<Self, Base32Error> {
        let mut bytes = vec![0u8; base32_decoded_len(text)?];
        if let Err(e) = decode_base32(text, &mut bytes) {
            bytes.zeroize();
            return Err(e);
        }
        Ok(Self { bytes })
    }

    /// The key bytes, to build a [`Hotp`](crate::Hotp) or [`Totp`](crate::Totp).
    ///
    /// # Examples
    ///
    /// ```
    /// # use otpkit::{Algorithm, Digits, Secret, Totp};
    /// let s = Secret::from_base32("JBSWY3DPEHPK3PXP")?;
    /// let totp = Totp::new(Algorithm::Sha1, s.as_bytes(), Digits::SIX, 30)?;
    /// # Ok::<(), Box<dyn core::error::Error>>(())
    /// ```
    #[must_use]
    #[doc(alias = "to_bytes")]
    pub fn as_bytes(&self) -> &[u8] {
        &self.bytes
    }

    /// The length in bytes.
    ///
    /// # Examples
    ///
    /// ```
    /// assert_eq!(otpkit::Secret::from_base32("JBSWY3DPEHPK3PXP")?.len(), 10);
    /// # Ok::<(), otpkit::Base32Error>(())
    /// ```
    #[must_use]
    #[allow(clippy::len_without_is_empty)] // never empty
    pub fn len(&self) -> usize {
        self.bytes.len()
    }

    /// The length in bits, the measure of a secret's strength.
    ///
    /// # Examples
    ///
    /// ```
    /// assert_eq!(otpkit::Secret::from_bytes(&[1; 20])?.bits(), 160);
    /// # Ok::<(), otpkit::Error>(())
    /// ```
    #[must_use]
    pub fn bits(&self) -> usize {
        self.bytes.len().saturating_mul(8)
    }

    /// The secret as unpadded upper-case base32, in a string that is wiped on drop.
    ///
    /// # Examples
    ///
    /// ```
    /// let s = otpkit::Secret::from_bytes(b"1234567890")?;
    /// assert_eq!(s.to_base32().as_str(), "GEZDGNBVGY3TQOJQ");
    /// # Ok::<(), otpkit::Error>(())
    /// ```
    #[must_use]
    #[doc(alias = "get_secret_base32")]
    pub fn to_base32(&self) -> Zeroizing<String> {
        let mut buf = vec![0u8; base32_encoded_len(self.bytes.len())];
        // The buffer has exactly the encoded length, so encoding cannot fail; the text is
        // ASCII, so neither can the conversion. Both are handled without panicking anyway.
        if encode_base32(&self.bytes, &mut buf).is_err() {
            buf.zeroize();
        }
        Zeroizing::new(String::from_utf8(buf).unwrap_or_default())
    }
}

impl Drop for Secret {
    fn drop(&mut self) {
        self.bytes.zeroize();
    }
}

impl zeroize::ZeroizeOnDrop for Secret {}

impl fmt::Debug for Secret {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("Secret")
            .field("bits", &self.bits())
            .finish_non_exhaustive()
    }
}

impl ConstantTimeEq for Secret {
    fn ct_eq(&self, other: &Self) -> subtle::Choice {
        self.bytes.as_slice().ct_eq(other.bytes.as_slice())
    }
}

impl PartialEq for Secret {
    fn eq(&self, other: &Self) -> bool {
        self.ct_eq(other).into()
    }
}

impl Eq for Secret {}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn debug_never_shows_bytes() {
        let s = Secret::from_bytes(b"super secret key").unwrap();
        let shown = alloc::format!("{s:?}");
        assert_eq!(shown, "Secret { bits: 128, .. }");
        assert!(!shown.contains("super"));
    }

    #[test]
    fn equality_and_errors() {
        assert_eq!(
            Secret::from_base32("MZXW6"),
            Secret::from_bytes(b"foo").map_err(|_| Base32Error::Empty)
        );
        assert_ne!(
            Secret::from_bytes(b"foo").unwrap(),
            Secret::from_bytes(b"fop").unwrap()
        );
        assert_eq!(Secret::from_bytes(b"").err(), Some(Error::EmptyKey));
        assert_eq!(Secret::from_base32("==").err(), Some(Base32Error::Empty));
    }
}
