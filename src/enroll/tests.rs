use super::*;
use crate::algorithm::Algorithm;
use crate::code::Digits;
use crate::error::{CodeError, VerifyError};
use crate::secret::GenerateError;
use crate::uri::UriError;
use std::format;
use std::string::ToString;

/// A predictable generator that claims to be cryptographic, so tests know the secret.
/// Never do this outside a test.
struct Counting(u8);

impl rand_core::TryRng for Counting {
    type Error = core::convert::Infallible;
    fn try_next_u32(&mut self) -> Result<u32, Self::Error> {
        Ok(0)
    }
    fn try_next_u64(&mut self) -> Result<u64, Self::Error> {
        Ok(0)
    }
    fn try_fill_bytes(&mut self, dst: &mut [u8]) -> Result<(), Self::Error> {
        for b in dst {
            self.0 = self.0.wrapping_add(1);
            *b = self.0;
        }
        Ok(())
    }
}

impl rand_core::TryCryptoRng for Counting {}

const NOW: u64 = 1_700_000_000;
const STEP: u64 = NOW / 30;

/// Secret bytes 1..=20. Codes below were computed with Python's `hmac` module (RFC 6238 with
/// SHA-1, 6 digits, 30 s), independently of this crate.
fn known() -> Enrollment {
    Enrollment::start_with_rng(
        "ACME Co",
        "alice@example.com",
        Options::new(),
        &mut Counting(0),
    )
    .unwrap()
}

#[test]
fn the_uri_carries_the_generated_secret_and_every_parameter() {
    let e = known();
    assert_eq!(
        e.secret().as_bytes(),
        (1..=20).collect::<alloc::vec::Vec<u8>>()
    );
    assert_eq!(
        e.uri().as_str(),
        "otpauth://totp/ACME%20Co:alice@example.com?secret=AEBAGBAFAYDQQCIKBMGA2DQPCAIREEYU\
         &issuer=ACME%20Co&algorithm=SHA1&digits=6&period=30"
    );
    assert_eq!(KeyUri::parse(&e.uri()).unwrap(), *e.key());
}

#[test]
fn options_reach_the_uri_and_the_codes() {
    let options = Options::new()
        .with_algorithm(Algorithm::Sha256)
        .with_digits(Digits::EIGHT)
        .with_period(60)
        .unwrap()
        .with_secret_bits(256)
        .unwrap();
    let e = Enrollment::start_with_rng("X", "y", options, &mut Counting(0)).unwrap();
    assert_eq!(
        e.uri().as_str(),
        "otpauth://totp/X:y?secret=AEBAGBAFAYDQQCIKBMGA2DQPCAIREEYUCULBOGAZDINRYHI6D4QA\
         &issuer=X&algorithm=SHA256&digits=8&period=60"
    );
    let confirmed = e.confirm("38707941", NOW).unwrap();
    assert_eq!((confirmed.step, confirmed.offset), (NOW / 60, 0));
}

#[test]
fn one_step_either_way_confirms_two_do_not() {
    for (code, offset) in [("044492", -1), ("957349", 0), ("108174", 1)] {
        let confirmed = known().confirm(code, NOW).unwrap();
        assert_eq!(confirmed.step, STEP.wrapping_add_signed(offset));
        assert_eq!(confirmed.offset, offset);
        assert_eq!(confirmed.credential, *known().credential());
    }
    for code in ["476283", "159343"] {
        assert_eq!(
            known().confirm(code, NOW).unwrap_err().error(),
            VerifyError::Mismatch
        );
    }
}

#[test]
fn the_confirming_code_cannot_log_in_through_the_verifier() {
    // Issue 11, item 6: the whole documented path — confirm, store the credential with
    // `State::for_confirmed`, check logins with `Verifier::new` — refuses the confirming code
    // (and the step before it) and accepts the next step's code, once.
    use crate::verifier::{Outcome, Policy, State, Verifier};
    let confirmed = known().confirm("957349", NOW).unwrap();
    let verifier = Verifier::new(&confirmed.credential, Policy::default()).unwrap();
    let state = State::for_confirmed(&confirmed);
    assert_eq!(
        (state.version, state.last_step, state.failures),
        (0, Some(STEP), 0)
    );
    for (code, time) in [("957349", NOW + 10), ("957349", NOW + 31), ("044492", NOW)] {
        assert_eq!(
            verifier.check(&state, code, time),
            (Outcome::AlreadyUsed, state),
            "{code} at {time}"
        );
    }
    let (outcome, next) = verifier.check(&state, "108174", NOW + 30);
    assert!(
        matches!(outcome, Outcome::Accepted(m) if m.step == STEP + 1),
        "{outcome:?}"
    );
    assert_eq!(
        verifier.check(&next, "108174", NOW + 31).0,
        Outcome::AlreadyUsed
    );
    // The state of a bare credential has no used step: the hazard `for_confirmed` closes.
    let bare = State::for_credential(&confirmed.credential);
    assert!(verifier.check(&bare, "957349", NOW + 10).0.is_accepted());
}

#[test]
fn a_re_enrolment_state_moves_past_the_old_version() {
    // Issue 11, item 10: the replaced credential's state was never changed (version 0) — the
    // new one must still get a different version, or a compare-and-swap on 0 by a request
    // that read the old row passes.
    use crate::verifier::State;
    let confirmed = known().confirm("957349", NOW).unwrap();
    for old_version in [0, 1, 41, u64::MAX] {
        let mut old = State::with_counter(5);
        old.version = old_version;
        old.failures = 4;
        let new = State::for_confirmed(&confirmed).replacing(&old);
        assert_eq!(new.version, old_version.wrapping_add(1));
        assert_ne!(new.version, old.version);
        // Only the version is carried; the rest is the new credential's.
        assert_eq!(
            (new.last_step, new.counter, new.failures),
            (Some(STEP), 0, 0)
        );
    }
}

#[test]
fn the_confirming_code_cannot_be_replayed() {
    let confirmed = known().confirm("957349", NOW).unwrap();
    let totp = confirmed.credential.to_totp().unwrap();
    let window = Window::default();
    assert_eq!(
        totp.verify_after("957349", NOW + 10, window, confirmed.step),
        Err(VerifyError::Replayed)
    );
    // The earlier step's code is spent too; the next step's is fresh.
    assert_eq!(
        totp.verify_after("044492", NOW, window, confirmed.step),
        Err(VerifyError::Replayed)
    );
    assert_eq!(
        totp.verify_after("108174", NOW + 30, window, confirmed.step)
            .unwrap()
            .step,
        STEP + 1
    );
}

#[test]
fn a_rejected_code_gives_the_same_enrolment_back() {
    let e = known();
    let uri = e.uri();
    let rejected = e.confirm("000000", NOW).unwrap_err();
    assert_eq!(rejected.error(), VerifyError::Mismatch);
    assert_eq!(rejected.to_string(), "code does not match");
    let e = rejected.into_enrollment();
    assert_eq!(e.uri(), uri);
    let rejected = e.confirm("95734", NOW).unwrap_err();
    assert_eq!(
        rejected.error(),
        VerifyError::Malformed(CodeError::WrongLength {
            expected: 6,
            found: 5
        })
    );
    let e = rejected.into_enrollment();
    // Typed with a space, as users do.
    assert_eq!(e.confirm("957 349", NOW).unwrap().step, STEP);
}

#[test]
fn names_are_required() {
    let start = |i, a| Enrollment::start_with_rng(i, a, Options::new(), &mut Counting(0));
    assert_eq!(start("", "a").unwrap_err(), Error::EmptyIssuer);
    assert_eq!(start("  ", "a").unwrap_err(), Error::EmptyIssuer);
    assert_eq!(start("I", "").unwrap_err(), Error::EmptyAccount);
    assert_eq!(start("I", " \t").unwrap_err(), Error::EmptyAccount);
    // A colon is allowed: the URI encodes it.
    let e = start("A:B", "c:d").unwrap();
    assert!(e.uri().starts_with("otpauth://totp/A%3AB:c%3Ad?"));
    assert_eq!(KeyUri::parse(&e.uri()).unwrap().issuer(), Some("A:B"));
}

#[test]
fn options_refuse_bad_values() {
    assert_eq!(
        Options::new().with_period(0),
        Err(crate::Error::InvalidPeriod)
    );
    assert_eq!(
        Options::new().with_secret_bits(120),
        Err(GenerateError::TooShort { bits: 120 })
    );
    assert_eq!(
        Options::new().with_secret_bits(161),
        Err(GenerateError::NotWholeBytes { bits: 161 })
    );
    assert_eq!(
        Options::new().with_secret_bits(2048),
        Err(GenerateError::TooLong { bits: 2048 })
    );
    assert_eq!(Options::default(), Options::new());
}

#[test]
fn resume_checks_what_was_stored() {
    let e = known();
    let resumed =
        Enrollment::resume(e.credential().clone(), "ACME Co", "alice@example.com").unwrap();
    assert_eq!(resumed.uri(), e.uri());
    assert_eq!(resumed.confirm("957349", NOW).unwrap().step, STEP);

    let secret = || Secret::from_bytes(&[7; 20]).unwrap();
    let totp = Credential::totp(secret(), Algorithm::Sha1, Digits::SIX, 30).unwrap();
    let cases = [
        (
            Credential::hotp(secret(), Algorithm::Sha1, Digits::SIX, 0),
            Error::NotTotp,
        ),
        (Credential::steam(secret()), Error::NotTotp),
        (totp.clone().with_t0(30), Error::NotTotp),
        (
            Credential::totp(
                Secret::from_bytes(&[7; 10]).unwrap(),
                Algorithm::Sha1,
                Digits::SIX,
                30,
            )
            .unwrap(),
            Error::WeakSecret(secret::TooWeak { bits: 80, min: 128 }),
        ),
    ];
    for (credential, expected) in cases {
        assert_eq!(
            Enrollment::resume(credential, "I", "a").unwrap_err(),
            expected
        );
    }
    assert_eq!(
        Enrollment::resume(totp.clone(), "", "a").unwrap_err(),
        Error::EmptyIssuer
    );
    assert_eq!(
        Enrollment::resume(totp, "I", "").unwrap_err(),
        Error::EmptyAccount
    );
}

#[test]
fn messages_are_exact() {
    let cases = [
        (Error::EmptyIssuer, "issuer is empty"),
        (Error::EmptyAccount, "account name is empty"),
        (
            Error::NotTotp,
            "an enrolment needs a totp credential with t0 = 0",
        ),
        (
            Error::WeakSecret(secret::TooWeak { bits: 80, min: 128 }),
            "weak secret: secret has 80 bits, the policy requires at least 128",
        ),
        (
            Error::Generate(GenerateError::Os),
            "cannot generate a secret: the operating system's random number generator failed",
        ),
        (
            Error::Uri(UriError::T0NotRepresentable),
            "cannot build the uri: a uri cannot carry a t0 other than 0",
        ),
    ];
    for (e, text) in cases {
        assert_eq!(e.to_string(), text);
    }
    assert!(core::error::Error::source(&Error::Generate(GenerateError::Os)).is_some());
    assert!(core::error::Error::source(&Error::EmptyIssuer).is_none());
}

#[test]
fn debug_shows_no_secret() {
    let e = known();
    let b32 = e.secret().to_base32();
    let shown = format!("{e:?}");
    assert!(shown.starts_with("Enrollment { key: KeyUri {"), "{shown}");
    assert!(!shown.contains(b32.as_str()));
    let rejected = e.confirm("000000", NOW).unwrap_err();
    assert!(!format!("{rejected:?}").contains(b32.as_str()));
    let confirmed = rejected.into_enrollment().confirm("957349", NOW).unwrap();
    assert!(!format!("{confirmed:?}").contains(b32.as_str()));
}

#[cfg(feature = "std")]
#[test]
fn os_enrolments_are_fresh_and_confirm_now() {
    let a = Enrollment::start("I", "a", Options::new()).unwrap();
    let b = Enrollment::start("I", "a", Options::new()).unwrap();
    assert_ne!(a.secret(), b.secret());
    assert_eq!(a.secret().bits(), 160);
    let code = a.credential().to_totp().unwrap().generate_now().unwrap();
    let confirmed = a.confirm_now(code.as_str()).unwrap();
    // The code was generated at most a step ago.
    assert!(confirmed.offset == 0 || confirmed.offset == -1);
}

#[cfg(feature = "serde")]
#[test]
fn confirmed_and_pending_round_trip_through_json() {
    let pending = known();
    let json = serde_json::to_string(&pending).unwrap();
    assert_eq!(
        json,
        r#"{"credential":{"secret":"AEBAGBAFAYDQQCIKBMGA2DQPCAIREEYU","algorithm":"SHA1","digits":6,"kind":{"type":"totp","period":30,"t0":0}},"issuer":"ACME Co","account":"alice@example.com"}"#
    );
    let back: Enrollment = serde_json::from_str(&json).unwrap();
    assert_eq!(back.uri(), pending.uri());

    let confirmed = back.confirm("108174", NOW).unwrap();
    let json = serde_json::to_string(&confirmed).unwrap();
    assert_eq!(
        json,
        r#"{"credential":{"secret":"AEBAGBAFAYDQQCIKBMGA2DQPCAIREEYU","algorithm":"SHA1","digits":6,"kind":{"type":"totp","period":30,"t0":0}},"step":56666667,"offset":1}"#
    );
    assert_eq!(serde_json::from_str::<Confirmed>(&json).unwrap(), confirmed);
}

#[cfg(feature = "serde")]
#[test]
fn a_stored_pending_enrolment_is_checked_when_read() {
    let json = serde_json::to_string(&known()).unwrap();
    for (bad, message) in [
        (
            json.replace(
                r#""type":"totp","period":30,"t0":0"#,
                r#""type":"hotp","counter":0"#,
            ),
            "an enrolment needs a totp credential with t0 = 0",
        ),
        (
            json.replace(r#""t0":0"#, r#""t0":5"#),
            "an enrolment needs a totp credential with t0 = 0",
        ),
        (
            json.replace("AEBAGBAFAYDQQCIKBMGA2DQPCAIREEYU", "AEBAGBAFAYDQQCIK"),
            "weak secret: secret has 80 bits, the policy requires at least 128",
        ),
        (json.replace("ACME Co", ""), "issuer is empty"),
    ] {
        let err = serde_json::from_str::<Enrollment>(&bad).unwrap_err();
        assert!(err.to_string().starts_with(message), "{err}");
    }
}
