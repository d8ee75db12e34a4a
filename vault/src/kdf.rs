//! The password key derivation: Argon2id parameters, their bounds, and the derivation itself.

use zeroize::Zeroizing;

use crate::{Error, Password};

/// Argon2id parameters of a password slot, stored in the file next to the slot.
///
/// # Examples
///
/// ```
/// use otpkit_vault::KdfParams;
///
/// assert_eq!(KdfParams::DEFAULT.memory_kib, 64 * 1024);
/// assert!(KdfParams::new(2 * 1024 * 1024, 3, 1).is_err()); // 2 GiB is refused
/// ```
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct KdfParams {
    /// Memory, in KiB (Argon2's `m`).
    pub memory_kib: u32,
    /// Passes over the memory (Argon2's `t`).
    pub passes: u32,
    /// Lanes (Argon2's `p`).
    pub lanes: u32,
}

impl KdfParams {
    /// What a new vault gets: 64 MiB, 3 passes, 1 lane (RFC 9106's second recommended option).
    pub const DEFAULT: Self = Self {
        memory_kib: 64 * 1024,
        passes: 3,
        lanes: 1,
    };

    /// Cheap parameters for tests and benches: 64 KiB, 1 pass. A vault made with them is only as
    /// strong as its password.
    pub const CHEAP: Self = Self {
        memory_kib: 64,
        passes: 1,
        lanes: 1,
    };

    /// The most memory a file may ask for: 1 GiB. (`MAX_PASSES` and `MAX_LANES` likewise;
    /// [`KdfParams::new`] has the example.)
    pub const MAX_MEMORY_KIB: u32 = 1024 * 1024;
    /// The most passes a file may ask for.
    pub const MAX_PASSES: u32 = 10;
    /// The most lanes a file may ask for.
    pub const MAX_LANES: u32 = 16;

    /// Checked parameters.
    ///
    /// # Errors
    ///
    /// [`Error::KdfRefused`] beyond the `MAX_*` bounds or below Argon2's minimums
    /// (8 KiB per lane, 1 pass, 1 lane).
    ///
    /// # Examples
    ///
    /// ```
    /// # use otpkit_vault::KdfParams;
    /// assert_eq!(KdfParams::new(64, 11, 1).unwrap_err().to_string(), "key derivation parameters refused: more than 10 passes");
    /// ```
    pub fn new(memory_kib: u32, passes: u32, lanes: u32) -> Result<Self, Error> {
        if memory_kib > Self::MAX_MEMORY_KIB {
            return Err(Error::KdfRefused("more than 1 GiB of memory"));
        }
        if passes > Self::MAX_PASSES {
            return Err(Error::KdfRefused("more than 10 passes"));
        }
        if lanes > Self::MAX_LANES {
            return Err(Error::KdfRefused("more than 16 lanes"));
        }
        if passes == 0 || lanes == 0 || memory_kib < lanes.saturating_mul(8) {
            return Err(Error::KdfRefused("below argon2's minimums"));
        }
        Ok(Self {
            memory_kib,
            passes,
            lanes,
        })
    }

    /// The 32-byte key that wraps the master key.
    pub(crate) fn derive(
        &self,
        password: &Password,
        salt: &[u8],
    ) -> Result<Zeroizing<[u8; 32]>, Error> {
        let params = argon2::Params::new(self.memory_kib, self.passes, self.lanes, Some(32))
            .map_err(|_| Error::KdfRefused("argon2 refuses them"))?;
        let argon =
            argon2::Argon2::new(argon2::Algorithm::Argon2id, argon2::Version::V0x13, params);
        let mut out = Zeroizing::new([0u8; 32]);
        argon
            .hash_password_into(password.as_bytes(), salt, out.as_mut())
            .map_err(|_| Error::KdfRefused("argon2 refuses them"))?;
        Ok(out)
    }
}
