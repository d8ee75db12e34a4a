//! The operating system's generator: keys, salts, nonces and ids.

use uuid::Uuid;

/// `N` random bytes. Without an OS generator there is no safe vault, so a failure aborts.
#[allow(clippy::panic)]
pub(crate) fn bytes<const N: usize>() -> [u8; N] {
    let mut out = [0u8; N];
    if getrandom::fill(&mut out).is_err() {
        // getrandom fails only where the OS has no generator at all.
        panic!("the operating system's random generator is unavailable");
    }
    out
}

/// A random (version 4) UUID.
pub(crate) fn uuid() -> Uuid {
    uuid::Builder::from_random_bytes(bytes()).into_uuid()
}
