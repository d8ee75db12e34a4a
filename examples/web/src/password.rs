//! Passwords: Argon2id hashes in the PHC string format (`password-auth`, RustCrypto's
//! `argon2` with its default cost and a fresh salt per hash), computed off the async threads.

use zeroize::Zeroizing;

use crate::page::Failure;

/// The shortest password accepted at sign-up, in characters.
pub const MIN: usize = 10;
/// The longest password read, in characters.
pub const MAX: usize = 256;

/// Refuses a password that is too short or too long, saying which.
pub fn acceptable(password: &str) -> Result<(), Failure> {
    let chars = password.chars().count();
    if chars < MIN {
        return Err(Failure::bad_request(format!(
            "That password is too short: use at least {MIN} characters."
        )));
    }
    if chars > MAX {
        return Err(Failure::bad_request(format!(
            "That password is too long: use at most {MAX} characters."
        )));
    }
    Ok(())
}

/// The hash to store.
pub async fn hash(password: Zeroizing<String>) -> anyhow::Result<String> {
    Ok(
        tokio::task::spawn_blocking(move || password_auth::generate_hash(password.as_bytes()))
            .await?,
    )
}

/// Whether `password` matches `hash`.
pub async fn verify(password: Zeroizing<String>, hash: String) -> anyhow::Result<bool> {
    Ok(tokio::task::spawn_blocking(move || {
        password_auth::verify_password(password.as_bytes(), &hash).is_ok()
    })
    .await?)
}
