//! Fresh secrets: from a caller's CSPRNG (`rand_core`) or, under `std`, from the operating system
//! (`getrandom`).

use alloc::vec;

use rand_core::CryptoRng;

use super::{GenerateError, Secret, Strength};

/// Checks a requested size and returns it in bytes.
pub(crate) fn check_generated_bits(bits: usize) -> Result<usize, GenerateError> {
    if bits < Secret::MIN_GENERATED_BITS {
        Err(GenerateError::TooShort { bits })
    } else if bits > Secret::MAX_GENERATED_BITS {
        Err(GenerateError::TooLong { bits })
    } else if bits % 8 != 0 {
        Err(GenerateError::NotWholeBytes { bits })
    } else {
        Ok(bits / 8)
    }
}

impl Secret {
    /// The size of [`Secret::generate`] and [`Secret::generate_os`]: 160 bits, the length
    /// RFC 4226 §4 (R6) recommends, and the output size of HMAC-SHA-1.
    ///
    /// # Examples
    ///
    /// ```
    /// assert_eq!(otpkit::Secret::generate_os()?.bits(), otpkit::Secret::DEFAULT_BITS);
    /// # Ok::<(), otpkit::secret::GenerateError>(())
    /// ```
    pub const DEFAULT_BITS: usize = 160;

    /// The smallest size generated: 128 bits, the floor of [`Strength::ISSUER`] (RFC 4226
    /// §4 R6 makes it a must).
    ///
    /// # Examples
    ///
    /// ```
    /// use otpkit::{Secret, secret::GenerateError};
    ///
    /// assert!(Secret::generate_os_bits(Secret::MIN_GENERATED_BITS).is_ok());
    /// assert_eq!(Secret::generate_os_bits(120).err(), Some(GenerateError::TooShort { bits: 120 }));
    /// ```
    pub const MIN_GENERATED_BITS: usize = Strength::ISSUER.min_bits();

    /// The largest size generated: 1024 bits. HMAC hashes a key longer than its block (64 bytes
    /// for SHA-1 and SHA-256, 128 for SHA-512) down to one digest, so more adds nothing.
    ///
    /// # Examples
    ///
    /// ```
    /// use otpkit::{Secret, secret::GenerateError};
    ///
    /// assert_eq!(Secret::generate_os_bits(Secret::MAX_GENERATED_BITS)?.len(), 128);
    /// assert_eq!(Secret::generate_os_bits(1032).err(), Some(GenerateError::TooLong { bits: 1032 }));
    /// # Ok::<(), GenerateError>(())
    /// ```
    pub const MAX_GENERATED_BITS: usize = 1024;

    /// A fresh 160-bit secret ([`Secret::DEFAULT_BITS`]) from the caller's cryptographically
    /// secure generator.
    ///
    /// `rng` must implement `rand_core` 0.10's [`CryptoRng`]: a generator that is not marked as
    /// cryptographically secure does not compile.
    ///
    /// # Examples
    ///
    /// ```
    /// use otpkit::Secret;
    /// // Any rand_core 0.10 CryptoRng: rand's `rng()`, a seeded `ChaCha20Rng` on a device
    /// // without an operating system, or here the OS generator through getrandom's `SysRng`.
    /// let mut rng = rand_core::UnwrapErr(getrandom::SysRng);
    /// let secret = Secret::generate(&mut rng);
    /// assert_eq!(secret.bits(), 160);
    /// ```
    ///
    /// A generator that is not cryptographically secure is refused at compile time:
    ///
    /// ```compile_fail
    /// struct Counter(u64);
    /// impl rand_core::TryRng for Counter {
    ///     type Error = core::convert::Infallible;
    ///     fn try_next_u32(&mut self) -> Result<u32, Self::Error> { Ok(0) }
    ///     fn try_next_u64(&mut self) -> Result<u64, Self::Error> { self.0 += 1; Ok(self.0) }
    ///     fn try_fill_bytes(&mut self, dst: &mut [u8]) -> Result<(), Self::Error> { Ok(()) }
    /// }
    /// let secret = otpkit::Secret::generate(&mut Counter(0));
    /// ```
    #[must_use]
    pub fn generate<R: CryptoRng + ?Sized>(rng: &mut R) -> Self {
        Self::fill_new(Self::DEFAULT_BITS / 8, |bytes| rng.fill_bytes(bytes))
    }

    /// A secret of `len` bytes (checked by [`check_generated_bits`], so never empty) filled by `fill`. The
    /// bytes are written in place, inside a value that wipes them on drop.
    fn fill_new(len: usize, fill: impl FnOnce(&mut [u8])) -> Self {
        let mut secret = Self {
            bytes: vec![0; len],
        };
        fill(&mut secret.bytes);
        secret
    }

    /// A fresh secret of `bits` bits from the caller's cryptographically secure generator.
    ///
    /// # Errors
    ///
    /// [`GenerateError::TooShort`] below 128 bits, [`GenerateError::TooLong`] above 1024,
    /// [`GenerateError::NotWholeBytes`] for a size that is not a multiple of 8 (refused, not
    /// rounded).
    ///
    /// # Examples
    ///
    /// ```
    /// use otpkit::{Secret, secret::GenerateError};
    /// let mut rng = rand_core::UnwrapErr(getrandom::SysRng);
    /// // 256 bits for an HMAC-SHA-256 credential (RFC 6238 §5.1 suggests the hash's length).
    /// assert_eq!(Secret::generate_bits(&mut rng, 256)?.bits(), 256);
    /// assert_eq!(Secret::generate_bits(&mut rng, 130).err(), Some(GenerateError::NotWholeBytes { bits: 130 }));
    /// # Ok::<(), GenerateError>(())
    /// ```
    pub fn generate_bits<R: CryptoRng + ?Sized>(
        rng: &mut R,
        bits: usize,
    ) -> Result<Self, GenerateError> {
        Ok(Self::fill_new(check_generated_bits(bits)?, |bytes| {
            rng.fill_bytes(bytes)
        }))
    }

    /// A fresh 160-bit secret ([`Secret::DEFAULT_BITS`]) from the operating system's generator
    /// (`getrandom`).
    ///
    /// # Errors
    ///
    /// [`GenerateError::Os`] if the operating system cannot provide random bytes.
    ///
    /// # Examples
    ///
    /// ```
    /// let a = otpkit::Secret::generate_os()?;
    /// let b = otpkit::Secret::generate_os()?;
    /// assert_eq!(a.bits(), 160);
    /// assert_ne!(a, b);
    /// # Ok::<(), otpkit::secret::GenerateError>(())
    /// ```
    #[cfg(feature = "std")]
    #[doc(alias = "generate_secret")]
    pub fn generate_os() -> Result<Self, GenerateError> {
        Self::generate_os_bits(Self::DEFAULT_BITS)
    }

    /// A fresh secret of `bits` bits from the operating system's generator (`getrandom`).
    ///
    /// # Errors
    ///
    /// As [`Secret::generate_bits`], and [`GenerateError::Os`] if the operating system cannot
    /// provide random bytes.
    ///
    /// # Examples
    ///
    /// ```
    /// use otpkit::{Secret, secret::GenerateError};
    ///
    /// assert_eq!(Secret::generate_os_bits(512)?.len(), 64);
    /// assert_eq!(Secret::generate_os_bits(2048).err(), Some(GenerateError::TooLong { bits: 2048 }));
    /// # Ok::<(), GenerateError>(())
    /// ```
    #[cfg(feature = "std")]
    pub fn generate_os_bits(bits: usize) -> Result<Self, GenerateError> {
        let mut result = Ok(());
        let secret = Self::fill_new(check_generated_bits(bits)?, |bytes| {
            result = getrandom::fill(bytes)
        });
        // On failure the secret (whatever the OS wrote) is dropped, and so wiped.
        result.map(|()| secret).map_err(|_| GenerateError::Os)
    }
}

#[cfg(test)]
mod tests;
