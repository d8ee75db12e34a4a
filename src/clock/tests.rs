use super::*;

#[test]
fn reads_a_time_after_2020_here() {
    assert!(now().unwrap() > 1_577_836_800);
}

#[test]
fn each_reason_keeps_its_public_error() {
    assert_eq!(
        Error::from(ClockError::BeforeUnixEpoch),
        Error::ClockBeforeUnixEpoch
    );
    assert_eq!(Error::from(ClockError::Unavailable), Error::NoSystemClock);
    assert_eq!(
        VerifyError::from(ClockError::BeforeUnixEpoch),
        VerifyError::ClockBeforeUnixEpoch
    );
    assert_eq!(
        VerifyError::from(ClockError::Unavailable),
        VerifyError::NoSystemClock
    );
}
