//! The one place the library reads the system clock (feature `std`), and the one conversion
//! of a [`SystemTime`] into unix seconds. Everything else takes the time as an argument.

use std::time::{SystemTime, UNIX_EPOCH};

use crate::error::Error;

/// `time` as whole unix seconds (rounded down).
///
/// # Errors
///
/// [`Error::ClockBeforeUnixEpoch`] for a time before 1970.
pub(crate) fn unix_seconds(time: SystemTime) -> Result<u64, Error> {
    time.duration_since(UNIX_EPOCH)
        .map(|d| d.as_secs())
        .map_err(|_| Error::ClockBeforeUnixEpoch)
}

/// The system clock's time in unix seconds.
///
/// # Errors
///
/// [`Error::ClockBeforeUnixEpoch`] for a clock before 1970.
#[cfg(not(all(target_arch = "wasm32", target_os = "unknown")))]
pub(crate) fn now() -> Result<u64, Error> {
    unix_seconds(SystemTime::now())
}

/// There is no system clock on `wasm32-unknown-unknown`: `SystemTime::now()` panics there, so
/// the `*_now()` functions answer [`Error::NoSystemClock`] instead.
#[cfg(all(target_arch = "wasm32", target_os = "unknown"))]
pub(crate) fn now() -> Result<u64, Error> {
    Err(Error::NoSystemClock)
}

#[cfg(test)]
mod tests {
    use super::*;
    use core::time::Duration;

    #[test]
    fn seconds_are_rounded_down_and_1970_is_the_floor() {
        let at = |ms| UNIX_EPOCH + Duration::from_millis(ms);
        assert_eq!(unix_seconds(at(0)), Ok(0));
        assert_eq!(unix_seconds(at(59_999)), Ok(59));
        assert_eq!(unix_seconds(at(1_111_111_109_000)), Ok(1_111_111_109));
        assert_eq!(
            unix_seconds(UNIX_EPOCH - Duration::from_secs(1)),
            Err(Error::ClockBeforeUnixEpoch)
        );
    }

    #[test]
    fn the_clock_reads_a_present_day_time() {
        let now = now().unwrap();
        // After this test was written, and before year 5000.
        assert!(
            (1_700_000_000..crate::Totp::MAX_TIME).contains(&now),
            "{now}"
        );
    }
}
