//! The operating system's generator: keys, salts, nonces and ids.
//!
//! A failure (only where the OS has no usable generator) is [`Error::Random`], never a panic:
//! without random bytes no key, nonce or id is drawn and nothing is written.

use std::io;

use uuid::Uuid;

use crate::Error;

/// `N` random bytes from the operating system.
pub(crate) fn bytes<const N: usize>() -> Result<[u8; N], Error> {
    let mut out = [0u8; N];
    getrandom::fill(&mut out).map_err(|e| Error::Random(to_io(e)))?;
    Ok(out)
}

/// getrandom's error as an `io::Error`: the OS error code when there is one.
fn to_io(e: getrandom::Error) -> io::Error {
    match e.raw_os_error() {
        Some(code) => io::Error::from_raw_os_error(code),
        None => io::Error::other(e.to_string()),
    }
}

/// A random (version 4) UUID.
pub(crate) fn uuid() -> Result<Uuid, Error> {
    Ok(uuid::Builder::from_random_bytes(bytes()?).into_uuid())
}

#[cfg(test)]
mod tests {
    #![allow(clippy::unwrap_used)]
    use super::*;

    #[test]
    fn draws_differ_and_uuids_are_v4() {
        assert_ne!(bytes::<32>().unwrap(), bytes::<32>().unwrap());
        assert_eq!(uuid().unwrap().get_version_num(), 4);
    }

    #[test]
    fn a_generator_failure_is_a_typed_error_with_the_os_reason() {
        let err = Error::Random(to_io(getrandom::Error::UNSUPPORTED));
        assert!(
            err.to_string()
                .starts_with("the operating system's random generator failed: "),
            "{err}"
        );
        assert!(core::error::Error::source(&err).is_some());
    }
}
