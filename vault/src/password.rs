//! `Password`: a passphrase held in memory that is wiped on drop.

use core::fmt;

use zeroize::Zeroizing;

/// A vault or import password. Wiped on drop; `Debug` shows no character of it.
///
/// # Examples
///
/// ```
/// let p = otpkit_vault::Password::new("correct horse".to_owned());
/// assert_eq!(format!("{p:?}"), "Password(..)");
/// ```
#[derive(Clone)]
pub struct Password(Zeroizing<String>);

impl Password {
    /// Takes the text (its buffer is wiped when the `Password` drops).
    ///
    /// # Examples
    ///
    /// ```
    /// assert_eq!(otpkit_vault::Password::new("pw".into()).as_bytes(), b"pw");
    /// ```
    #[must_use]
    pub fn new(text: String) -> Self {
        Self(Zeroizing::new(text))
    }

    /// The UTF-8 bytes the key derivations take.
    ///
    /// # Examples
    ///
    /// ```
    /// assert!(otpkit_vault::Password::new(String::new()).as_bytes().is_empty());
    /// ```
    #[must_use]
    pub fn as_bytes(&self) -> &[u8] {
        self.0.as_bytes()
    }
}

impl fmt::Debug for Password {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("Password(..)")
    }
}
