//! Recovery codes: the alphabet, typing leniency, single use, throttling with the verifier's
//! state, and the stored form.

use super::testing::normalised;
use super::*;
use crate::secret::GenerateError;
use crate::verifier::tests::{any_state, any_time};
use crate::verifier::{Policy, State, Throttle, Verifier};
use crate::{Algorithm, Digits, Totp};
use proptest::prelude::*;
use std::string::{String, ToString};
use std::vec::Vec;

/// A deterministic generator for tests (xorshift): not cryptographic, marked as such only
/// so that the tests can run `generate` reproducibly.
pub(crate) struct TestRng(pub(crate) u64);

impl rand_core::TryRng for TestRng {
    type Error = core::convert::Infallible;
    fn try_next_u32(&mut self) -> Result<u32, Self::Error> {
        Ok(u32::try_from(self.try_next_u64()? >> 32).unwrap())
    }
    fn try_next_u64(&mut self) -> Result<u64, Self::Error> {
        self.0 ^= self.0 << 13;
        self.0 ^= self.0 >> 7;
        self.0 ^= self.0 << 17;
        Ok(self.0)
    }
    fn try_fill_bytes(&mut self, dst: &mut [u8]) -> Result<(), Self::Error> {
        for b in dst {
            *b = self.try_next_u64()?.to_le_bytes()[0];
        }
        Ok(())
    }
}
impl rand_core::TryCryptoRng for TestRng {}

fn codes(count: usize) -> (Vec<Code>, Codes) {
    Codes::generate(&mut TestRng(0x9e37_79b9_7f4a_7c15), count).unwrap()
}

#[test]
fn codes_are_grouped_from_an_alphabet_without_look_alikes() {
    let (shown, stored) = codes(Codes::DEFAULT_COUNT);
    assert_eq!((shown.len(), stored.remaining()), (10, 10));
    for code in &shown {
        let text = code.as_str();
        assert_eq!(text.len(), 11, "{text}");
        assert_eq!(text.as_bytes()[5], b'-', "{text}");
        for c in text.chars().filter(|&c| c != '-') {
            assert!(c.is_ascii_digit() || c.is_ascii_uppercase(), "{text}");
            assert!(!"ILOU".contains(c), "{text}");
        }
    }
    let distinct: std::collections::BTreeSet<&str> = shown.iter().map(Code::as_str).collect();
    assert_eq!(distinct.len(), 10);
    // Only hashes are stored: the codes' text appears nowhere in what is kept.
    let kept = std::format!("{:?}{:?}{:?}", stored.salt(), stored.unused(), stored);
    for code in &shown {
        assert!(!kept.contains(&code.as_str()[..5]));
    }
    assert_eq!(
        std::format!("{stored:?}"),
        "Codes { unused: 10, used: 0, .. }"
    );
}

#[test]
fn every_symbol_is_reachable() {
    let (shown, _) = codes(Codes::MAX_COUNT);
    let seen: std::collections::BTreeSet<char> = shown
        .iter()
        .flat_map(|c| c.as_str().chars().collect::<Vec<_>>())
        .filter(|&c| c != '-')
        .collect();
    assert_eq!(seen.len(), 32);
    assert_eq!(
        Codes::generate(&mut TestRng(1), 101).err(),
        Some(Error::TooMany)
    );
    assert_eq!(codes(0).1.remaining(), 0);
}

#[test]
fn typing_is_lenient_about_case_hyphens_and_look_alikes() {
    assert_eq!(normalised("abcde-fghjk"), Some(*b"ABCDEFGHJK"));
    assert_eq!(normalised(" OIL23 45678 "), Some(*b"0112345678"));
    // Pasted with a no-break space between the groups and a line break after.
    assert_eq!(normalised("abcde\u{a0}fghjk\r\n"), Some(*b"ABCDEFGHJK"));
    assert_eq!(normalised("\tabcde\u{202f}fghjk"), Some(*b"ABCDEFGHJK"));
    // The same reader as one-time codes: a thin space or an end hyphen is refused.
    assert_eq!(normalised("ABCDE\u{2009}FGHJK"), None);
    assert_eq!(normalised("-ABCDEFGHJK"), None);
    assert_eq!(normalised("ABCDE-FGHJU"), None);
    assert_eq!(normalised("ABCDE-FGHJ"), None);
}

#[test]
fn a_code_is_single_use_and_the_outcome_counts_down() {
    let throttle = Throttle::default();
    let (shown, mut stored) = codes(3);
    let mut s = State::new();
    for (i, code) in shown.iter().enumerate() {
        // Typed in lower case without the hyphen.
        let typed: String = code.as_str().replace('-', "").to_lowercase();
        let (outcome, next_state, next_codes) = stored.redeem(&s, throttle, &typed, 100);
        assert_eq!(outcome, Outcome::Accepted { remaining: 2 - i });
        assert_eq!(next_state.version, s.version + 1);
        // Reuse: already used, nothing changes, not a failure.
        let again = next_codes.redeem(&next_state, throttle, code.as_str(), 101);
        assert_eq!(
            again,
            (
                Outcome::AlreadyUsed { remaining: 2 - i },
                next_state,
                next_codes.clone()
            )
        );
        s = next_state;
        stored = next_codes;
    }
    assert_eq!((stored.remaining(), stored.used().len()), (0, 3));
}

#[test]
fn wrong_recovery_codes_are_throttled_with_otp_failures() {
    let totp = Totp::new(Algorithm::Sha1, b"12345678901234567890", Digits::SIX, 30).unwrap();
    let v = Verifier::totp(totp, Policy::default());
    let throttle = v.policy().throttle();
    let (shown, stored) = codes(2);
    let mut s = State::new();
    // Three wrong OTP codes, then two wrong recovery codes: locked.
    for _ in 0..3 {
        s = v.check(&s, "000000", 100).1;
    }
    for _ in 0..2 {
        let (outcome, next, _) = stored.redeem(&s, throttle, "00000-00000", 100);
        assert_eq!(outcome, Outcome::WrongCode);
        s = next;
    }
    assert_eq!(s.locked_until, Some(130));
    // A right code is refused unchecked while locked, even a malformed one.
    let (outcome, same, kept) = stored.redeem(&s, throttle, shown[0].as_str(), 110);
    assert_eq!(outcome, Outcome::Throttled { until: 130 });
    assert_eq!((same, kept.remaining()), (s, 2));
    assert_eq!(
        stored.redeem(&s, throttle, "?", 110).0,
        Outcome::Throttled { until: 130 }
    );
    // Afterwards it works and resets the count.
    let (outcome, s, _) = stored.redeem(&s, throttle, shown[0].as_str(), 130);
    assert_eq!(outcome, Outcome::Accepted { remaining: 1 });
    assert_eq!(s.failures, 0);
    // Malformed codes are not failures.
    let (outcome, same, _) = stored.redeem(&s, throttle, "ABC", 131);
    assert_eq!(
        outcome,
        Outcome::Malformed(CodeError::WrongLength {
            expected: 10,
            found: 3
        })
    );
    assert_eq!(same, s);
}

#[test]
fn codes_of_one_set_do_not_open_another() {
    let throttle = Throttle::default();
    let (shown_a, _) = codes(1);
    let (_, stored_b) = Codes::generate(&mut TestRng(42), 1).unwrap();
    assert_eq!(
        stored_b
            .redeem(&State::new(), throttle, shown_a[0].as_str(), 0)
            .0,
        Outcome::WrongCode
    );
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(64))]

    #[test]
    #[cfg_attr(miri, ignore)] // 64 cases take minutes under Miri
    fn only_the_users_codes_open_and_each_only_once(
        seed in 1u64..,
        typed in "[0-9A-Za-z -]{0,14}",
        pick in any::<prop::sample::Index>(),
        state in any_state(),
        time in any_time(),
    ) {
        let throttle = Throttle::default();
        let (shown, stored) = Codes::generate(&mut TestRng(seed), 4).unwrap();
        // Random text: never panics, and opens nothing unless it is one of the codes.
        let (outcome, after, codes) = stored.redeem(&state, throttle, &typed, time);
        let is_code = shown.iter().any(|c| normalised(c.as_str()) == normalised(&typed));
        prop_assert!(!outcome.is_accepted() || is_code);
        prop_assert!(codes.remaining() >= 3);
        if outcome == Outcome::WrongCode {
            prop_assert_eq!(after.failures, state.failures.saturating_add(1));
        }
        // A real code opens once (when not throttled), then is already used.
        let code = shown[pick.index(4)].as_str();
        let (first, s1, c1) = stored.redeem(&State::new(), throttle, code, time);
        prop_assert_eq!(first, Outcome::Accepted { remaining: 3 });
        prop_assert_eq!(c1.redeem(&s1, throttle, code, time).0, Outcome::AlreadyUsed { remaining: 3 });
    }
}

#[test]
fn recovery_messages_are_exact() {
    assert_eq!(
        Error::TooMany.to_string(),
        "more than 100 recovery codes asked for"
    );
    assert_eq!(
        Error::Generate(GenerateError::Os).to_string(),
        "the operating system's random number generator failed"
    );
    let cases: [(Outcome, &str); 5] = [
        (
            Outcome::Accepted { remaining: 9 },
            "accepted; 9 recovery codes left",
        ),
        (
            Outcome::AlreadyUsed { remaining: 9 },
            "recovery code was already used",
        ),
        (Outcome::WrongCode, "wrong recovery code"),
        (
            Outcome::Throttled { until: 5 },
            "too many attempts; try again at 5",
        ),
        (
            Outcome::Malformed(CodeError::InvalidCharacter { position: 0 }),
            "malformed recovery code: invalid character at position 0",
        ),
    ];
    for (o, text) in cases {
        assert_eq!(o.to_string(), text);
    }
}

#[cfg(feature = "serde")]
#[test]
fn recovery_codes_round_trip_and_still_redeem() {
    let throttle = Throttle::default();
    let (shown, stored) = Codes::generate(&mut TestRng(7), 3).unwrap();
    let (_, s, stored) = stored.redeem(&State::new(), throttle, shown[0].as_str(), 0);
    let json = serde_json::to_string(&stored).unwrap();
    let back: Codes = serde_json::from_str(&json).unwrap();
    assert_eq!(back, stored);
    assert!(json.starts_with(r#"{"format":1,"salt":""#), "{json}");
    assert_eq!(
        back.redeem(&s, throttle, shown[1].as_str(), 1).0,
        Outcome::Accepted { remaining: 1 }
    );
    assert_eq!(
        back.redeem(&s, throttle, shown[0].as_str(), 1).0,
        Outcome::AlreadyUsed { remaining: 2 }
    );
    for (bad, message) in [
        (
            r#"{"format":1,"salt":"00","unused":[]}"#,
            "expected 32 hex digits",
        ),
        (
            r#"{"format":3,"salt":"000102030405060708090a0b0c0d0e0f","unused":[]}"#,
            "unsupported recovery codes format 3",
        ),
    ] {
        let err = serde_json::from_str::<Codes>(bad).unwrap_err().to_string();
        assert!(err.contains(message), "{bad}: {err}");
    }
}
