//! Enrolment through the public API only: a service and an authenticator that share nothing but
//! the URI (or its QR code), with the pending and confirmed states crossing a storage boundary.
#![cfg(feature = "std")]
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::indexing_slicing)]

use otpkit::{
    Algorithm, Digits, KeyUri, VerifyError,
    enroll::{self, Enrollment},
    secret,
};

/// What an authenticator app does with a scanned URI: parse it, and hold to the strength it
/// accepts (a verifier may take legacy keys; these are new, so the issuer policy holds too).
fn authenticator(uri: &str) -> otpkit::Totp {
    let key = KeyUri::parse(uri).unwrap();
    secret::Strength::ISSUER
        .check(key.credential().secret())
        .unwrap();
    key.credential().to_totp().unwrap()
}

#[test]
fn every_option_survives_the_trip_through_the_uri() {
    let t = 2_000_000_000;
    for (algorithm, digits, period) in [
        (Algorithm::Sha1, Digits::SIX, 30),
        (Algorithm::Sha256, Digits::SEVEN, 60),
        (Algorithm::Sha512, Digits::EIGHT, 15),
        (Algorithm::Sha1, Digits::new(10).unwrap(), 1),
    ] {
        let options = enroll::Options::new()
            .with_algorithm(algorithm)
            .with_digits(digits)
            .with_period(period)
            .unwrap()
            .with_secret_bits(512)
            .unwrap();
        let pending = Enrollment::start("Svc", "u", options).unwrap();
        assert_eq!(pending.secret().bits(), 512);
        let app = authenticator(&pending.uri());
        let code = app.generate(t).unwrap();
        assert_eq!(code.len(), usize::from(digits.get()));
        let confirmed = pending.confirm(code.as_str(), t).unwrap();
        assert_eq!(confirmed.step, t / period);
        assert_eq!(confirmed.credential.algorithm(), algorithm);
    }
}

#[test]
fn a_code_from_another_enrolment_does_not_confirm() {
    let t = 1_234_567_890;
    let mine = Enrollment::start("Svc", "me", enroll::Options::new()).unwrap();
    let theirs = Enrollment::start("Svc", "me", enroll::Options::new()).unwrap();
    let their_code = authenticator(&theirs.uri()).generate(t).unwrap();
    let my_app = authenticator(&mine.uri());
    let my_codes: Vec<_> = [t - 30, t, t + 30]
        .iter()
        .map(|&s| my_app.generate(s).unwrap())
        .collect();
    // (Skip the one-in-a-few-hundred-thousand case where the codes happen to agree.)
    if my_codes.iter().all(|c| c.as_str() != their_code.as_str()) {
        assert_eq!(
            mine.confirm(their_code.as_str(), t).unwrap_err().error(),
            VerifyError::Mismatch
        );
    }
}

#[test]
fn codes_outside_one_step_are_refused() {
    let t = 1_700_000_000;
    let pending = Enrollment::start("Svc", "u", enroll::Options::new()).unwrap();
    let app = authenticator(&pending.uri());
    let stale = app.generate(t - 60).unwrap();
    let window: Vec<_> = [t - 30, t, t + 30]
        .iter()
        .map(|&s| app.generate(s).unwrap())
        .collect();
    if window.iter().all(|c| c.as_str() != stale.as_str()) {
        let rejected = pending.confirm(stale.as_str(), t).unwrap_err();
        assert_eq!(rejected.error(), VerifyError::Mismatch);
        // The same enrolment then confirms with the current code.
        let confirmed = rejected
            .into_enrollment()
            .confirm(window[1].as_str(), t)
            .unwrap();
        assert_eq!((confirmed.step, confirmed.offset), (t / 30, 0));
    }
}

#[cfg(feature = "serde")]
#[test]
fn pending_and_confirmed_cross_a_storage_boundary() {
    let t = 1_700_000_000;
    let pending = Enrollment::start("ACME Co", "alice", enroll::Options::new()).unwrap();
    let uri = pending.uri();
    // Request 1 ends: the pending enrolment goes to the session store.
    let session = serde_json::to_string(&pending).unwrap();
    drop(pending);

    let code = authenticator(&uri).generate(t).unwrap();

    // Request 2: read it back and confirm.
    let pending: Enrollment = serde_json::from_str(&session).unwrap();
    assert_eq!(pending.uri(), uri);
    let confirmed = pending.confirm(code.as_str(), t).unwrap();
    let record = serde_json::to_string(&confirmed).unwrap();

    // A later login reads the record and refuses the confirming code.
    let stored: enroll::Confirmed = serde_json::from_str(&record).unwrap();
    assert_eq!(
        stored.credential.to_totp().unwrap().verify_after(
            code.as_str(),
            t + 1,
            otpkit::Window::default(),
            stored.step
        ),
        Err(VerifyError::Replayed)
    );
}

#[cfg(feature = "qr")]
#[test]
fn the_qr_code_scans_to_the_uri() {
    let pending =
        Enrollment::start("ACME Co", "alice@example.com", enroll::Options::new()).unwrap();
    let qr = pending.qr().unwrap();
    let side = qr.width() + 2 * otpkit::qr::QrCode::QUIET_ZONE;
    // A camera's view: 5 pixels a module, quiet zone included.
    let mut img = rqrr::PreparedImage::prepare_from_greyscale(side * 5, side * 5, |x, y| {
        let (mx, my) = (x / 5, y / 5);
        let q = otpkit::qr::QrCode::QUIET_ZONE;
        if mx >= q && my >= q && qr.is_dark(mx - q, my - q) {
            0
        } else {
            255
        }
    });
    let grids = img.detect_grids();
    assert_eq!(grids.len(), 1);
    let scanned = grids[0].decode().unwrap().1;
    assert_eq!(scanned, *pending.uri());
    // What the app reads from it is what the service will verify.
    let code = authenticator(&scanned).generate(1_000_000).unwrap();
    assert!(pending.confirm(code.as_str(), 1_000_000).is_ok());
}

#[cfg(feature = "qr")]
#[test]
fn a_uri_too_long_for_a_qr_code_is_a_typed_error() {
    let account = "a".repeat(2400);
    let pending = Enrollment::start("Svc", &account, enroll::Options::new()).unwrap();
    let len = pending.uri().len();
    assert_eq!(
        pending.qr().unwrap_err(),
        otpkit::qr::Error::DataTooLong { len }
    );
}
