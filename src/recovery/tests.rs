//! Recovery codes: the alphabet, typing leniency, single use, throttling with the verifier's
//! state, and the stored form.

use super::testing::{normalised, normalised_legacy};
use super::*;
use crate::secret::GenerateError;
use crate::verifier::tests::{any_state, any_time};
use crate::verifier::{Policy, State, Throttle, Verifier};
use crate::{Algorithm, Digits, Totp};
use proptest::prelude::*;
use std::string::{String, ToString};
use std::vec;
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

/// The service key of the tests.
fn key() -> Key {
    Key::from_bytes(&[0x5a; 32]).unwrap()
}

fn codes(count: usize) -> (Vec<Code>, Codes) {
    Codes::generate(&key(), &mut TestRng(0x9e37_79b9_7f4a_7c15), count).unwrap()
}

#[test]
fn codes_are_grouped_from_an_alphabet_without_look_alikes() {
    let (shown, stored) = codes(Codes::DEFAULT_COUNT);
    assert_eq!((shown.len(), stored.remaining()), (10, 10));
    for code in &shown {
        let text = code.as_str();
        assert_eq!(text.len(), 19, "{text}");
        for at in [4, 9, 14] {
            assert_eq!(text.as_bytes()[at], b'-', "{text}");
        }
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
        assert!(!kept.contains(&code.as_str()[..4]));
    }
    assert_eq!(
        std::format!("{stored:?}"),
        "Codes { unused: 10, used: 0, .. }"
    );
}

#[test]
#[cfg_attr(miri, ignore)] // a hundred keyed codes: over a minute under Miri; the other tests take the same paths
fn every_symbol_is_reachable() {
    let (shown, _) = codes(Codes::MAX_COUNT);
    let seen: std::collections::BTreeSet<char> = shown
        .iter()
        .flat_map(|c| c.as_str().chars().collect::<Vec<_>>())
        .filter(|&c| c != '-')
        .collect();
    assert_eq!(seen.len(), 32);
    assert_eq!(
        Codes::generate(&key(), &mut TestRng(1), 101).err(),
        Some(Error::TooMany)
    );
    assert_eq!(codes(0).1.remaining(), 0);
}

#[test]
fn typing_is_lenient_about_case_hyphens_and_look_alikes() {
    assert_eq!(
        normalised("abcd-efgh-jkmn-pqrs"),
        Some(*b"ABCDEFGHJKMNPQRS")
    );
    assert_eq!(
        normalised(" OIL2 3456 789A BCDE "),
        Some(*b"01123456789ABCDE")
    );
    // Pasted with a no-break space between the groups and a line break after.
    assert_eq!(
        normalised("abcd\u{a0}efgh\u{a0}jkmn\u{a0}pqrs\r\n"),
        Some(*b"ABCDEFGHJKMNPQRS")
    );
    assert_eq!(
        normalised("\tabcdefgh\u{202f}jkmnpqrs"),
        Some(*b"ABCDEFGHJKMNPQRS")
    );
    // The same reader as one-time codes: a thin space or an end hyphen is refused.
    assert_eq!(normalised("ABCDEFGH\u{2009}JKMNPQRS"), None);
    assert_eq!(normalised("-ABCDEFGHJKMNPQRS"), None);
    assert_eq!(normalised("ABCD-EFGH-JKMN-PQRU"), None);
    assert_eq!(normalised("ABCD-EFGH-JKMN-PQR"), None);
    // Codes of the first format have 10 symbols.
    assert_eq!(normalised_legacy("abcde-fghjk"), Some(*b"ABCDEFGHJK"));
    assert_eq!(normalised_legacy("ABCD-EFGH-JKMN-PQRS"), None);
}

#[test]
fn a_code_is_single_use_and_the_outcome_counts_down() {
    let throttle = Throttle::default();
    let (shown, mut stored) = codes(3);
    let mut s = State::new();
    for (i, code) in shown.iter().enumerate() {
        // Typed in lower case without the hyphen.
        let typed: String = code.as_str().replace('-', "").to_lowercase();
        let (outcome, next_state, next_codes) = stored.redeem(&key(), &s, throttle, &typed, 100);
        assert_eq!(outcome, Outcome::Accepted { remaining: 2 - i });
        assert_eq!(next_state.version, s.version + 1);
        // Reuse: already used, nothing changes, not a failure.
        let again = next_codes.redeem(&key(), &next_state, throttle, code.as_str(), 101);
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
        let (outcome, next, _) = stored.redeem(&key(), &s, throttle, "0000-0000-0000-0000", 100);
        assert_eq!(outcome, Outcome::WrongCode);
        s = next;
    }
    assert_eq!(s.locked_until, Some(130));
    // A right code is refused unchecked while locked, even a malformed one.
    let (outcome, same, kept) = stored.redeem(&key(), &s, throttle, shown[0].as_str(), 110);
    assert_eq!(outcome, Outcome::Throttled { until: 130 });
    assert_eq!((same, kept.remaining()), (s, 2));
    assert_eq!(
        stored.redeem(&key(), &s, throttle, "?", 110).0,
        Outcome::Throttled { until: 130 }
    );
    // Afterwards it works and resets the count.
    let (outcome, s, _) = stored.redeem(&key(), &s, throttle, shown[0].as_str(), 130);
    assert_eq!(outcome, Outcome::Accepted { remaining: 1 });
    assert_eq!(s.failures, 0);
    // Malformed codes are not failures.
    let (outcome, same, _) = stored.redeem(&key(), &s, throttle, "ABC", 131);
    assert_eq!(
        outcome,
        Outcome::Malformed(CodeError::WrongLength {
            expected: 16,
            found: 3
        })
    );
    assert_eq!(same, s);
}

#[test]
fn codes_of_one_set_do_not_open_another() {
    let throttle = Throttle::default();
    let (shown_a, _) = codes(1);
    let (_, stored_b) = Codes::generate(&key(), &mut TestRng(42), 1).unwrap();
    assert_eq!(
        stored_b
            .redeem(&key(), &State::new(), throttle, shown_a[0].as_str(), 0)
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
        typed in "[0-9A-Za-z -]{0,22}",
        pick in any::<prop::sample::Index>(),
        state in any_state(),
        time in any_time(),
    ) {
        let throttle = Throttle::default();
        let (shown, stored) = Codes::generate(&key(), &mut TestRng(seed), 4).unwrap();
        // Random text: never panics, and opens nothing unless it is one of the codes.
        let (outcome, after, codes) = stored.redeem(&key(), &state, throttle, &typed, time);
        let is_code = shown.iter().any(|c| normalised(c.as_str()) == normalised(&typed));
        prop_assert!(!outcome.is_accepted() || is_code);
        prop_assert!(codes.remaining() >= 3);
        if outcome == Outcome::WrongCode {
            prop_assert_eq!(after.failures, state.failures.saturating_add(1));
        }
        // A real code opens once (when not throttled), then is already used.
        let code = shown[pick.index(4)].as_str();
        let (first, s1, c1) = stored.redeem(&key(), &State::new(), throttle, code, time);
        prop_assert_eq!(first, Outcome::Accepted { remaining: 3 });
        prop_assert_eq!(c1.redeem(&key(), &s1, throttle, code, time).0, Outcome::AlreadyUsed { remaining: 3 });
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
    let (shown, stored) = Codes::generate(&key(), &mut TestRng(7), 3).unwrap();
    let (_, s, stored) = stored.redeem(&key(), &State::new(), throttle, shown[0].as_str(), 0);
    let json = serde_json::to_string(&stored).unwrap();
    let back: Codes = serde_json::from_str(&json).unwrap();
    assert_eq!(back, stored);
    assert!(json.starts_with(r#"{"format":2,"salt":""#), "{json}");
    assert_eq!(
        back.redeem(&key(), &s, throttle, shown[1].as_str(), 1).0,
        Outcome::Accepted { remaining: 1 }
    );
    assert_eq!(
        back.redeem(&key(), &s, throttle, shown[0].as_str(), 1).0,
        Outcome::AlreadyUsed { remaining: 2 }
    );
    for (bad, message) in [
        (
            r#"{"format":2,"salt":"00","unused":[],"used":[]}"#,
            "expected 32 hex digits",
        ),
        (
            r#"{"format":3,"salt":"000102030405060708090a0b0c0d0e0f","unused":[],"used":[]}"#,
            "unsupported recovery codes format 3",
        ),
    ] {
        let err = serde_json::from_str::<Codes>(bad).unwrap_err().to_string();
        assert!(err.contains(message), "{bad}: {err}");
    }
}

#[test]
fn the_stored_form_is_keyed_and_useless_without_the_key() {
    // Issue 11, item 5: a stored hash is HMAC-SHA-256 under the service key (recomputed here
    // with RustCrypto's `Hmac` directly), not the old unkeyed SHA-256 of salt and code; codes
    // carry at least 64 bits; under another key no code opens.
    use hmac::Mac;
    use hmac::digest::KeyInit;
    let (shown, stored) = codes(3);
    for (code, hash) in shown.iter().zip(stored.unused()) {
        let symbols = normalised(code.as_str()).unwrap();
        assert!(symbols.len() * 5 >= 64);
        let mut mac = hmac::Hmac::<Sha256>::new_from_slice(&[0x5a; 32]).unwrap();
        mac.update(b"otpkit recovery code v2\0");
        mac.update(&stored.salt());
        mac.update(&symbols);
        assert_eq!(mac.finalize().into_bytes().as_slice(), hash.as_slice());
        let unkeyed: [u8; 32] = Sha256::new()
            .chain_update(stored.salt())
            .chain_update(symbols)
            .finalize()
            .into();
        assert_ne!(&unkeyed, hash);
    }
    assert!(!stored.needs_reissue());
    assert_eq!(stored.format(), Codes::FORMAT);
    let other = Key::from_bytes(&[0x5b; 32]).unwrap();
    for code in &shown {
        let (outcome, state, kept) =
            stored.redeem(&other, &State::new(), Throttle::default(), code.as_str(), 0);
        assert_eq!(outcome, Outcome::WrongCode);
        assert_eq!((state.failures, kept.remaining()), (1, 3));
    }
    // The key: 32 to 64 bytes, never shown.
    for len in [0, 16, 31, 65] {
        assert_eq!(
            Key::from_bytes(&vec![1; len]).err(),
            Some(Error::KeyLength { found: len })
        );
    }
    let long = Key::from_bytes(&[0x42; 64]).unwrap();
    assert_eq!(std::format!("{long:?}"), "Key(..)");
}

/// A set of the first format, as earlier versions stored it: 10-symbol codes, SHA-256 of
/// salt and code.
fn legacy(codes: &[&[u8; 10]], salt: [u8; 16]) -> Vec<[u8; 32]> {
    codes
        .iter()
        .map(|c| {
            Sha256::new()
                .chain_update(salt)
                .chain_update(c)
                .finalize()
                .into()
        })
        .collect()
}

#[test]
fn a_set_of_the_old_form_redeems_the_old_way_and_asks_for_reissue() {
    // Issue 11, item 5: the old stored form is read and flagged, never taken for the keyed
    // one.
    let salt = [9; 16];
    let hashes = legacy(&[b"ABCDEFGHJK", b"0123456789"], salt);
    let old = Codes::from_legacy_parts(salt, hashes.clone(), Vec::new()).unwrap();
    assert!(old.needs_reissue());
    assert_eq!(old.format(), Codes::LEGACY_FORMAT);
    let throttle = Throttle::default();
    let (outcome, state, after) = old.redeem(&key(), &State::new(), throttle, "abcde-fghjk", 0);
    assert_eq!(outcome, Outcome::Accepted { remaining: 1 });
    assert!(after.needs_reissue());
    assert_eq!(
        after.redeem(&key(), &state, throttle, "ABCDEFGHJK", 1).0,
        Outcome::AlreadyUsed { remaining: 1 }
    );
    // A code of the new length is not a code of this set.
    assert_eq!(
        old.redeem(&key(), &State::new(), throttle, "ABCD-EFGH-JKMN-PQRS", 0)
            .0,
        Outcome::Malformed(CodeError::WrongLength {
            expected: 10,
            found: 16
        })
    );
    // The same hashes read as the keyed form open nothing: the old form is never trusted
    // as the new one.
    let mistaken = Codes::from_parts(salt, hashes, Vec::new()).unwrap();
    assert!(!mistaken.needs_reissue());
    assert_eq!(
        mistaken
            .redeem(&key(), &State::new(), throttle, "abcde-fghjk", 0)
            .0,
        Outcome::Malformed(CodeError::WrongLength {
            expected: 16,
            found: 10
        })
    );
    assert_ne!(old, mistaken);
}

#[cfg(feature = "serde")]
#[test]
fn the_old_stored_form_reads_as_needing_reissue_and_stays_old() {
    let salt = [9; 16];
    let hashes = legacy(&[b"ABCDEFGHJK"], salt);
    let json = std::format!(
        r#"{{"format":1,"salt":"{}","unused":["{}"],"used":[]}}"#,
        hex(&salt),
        hex(&hashes[0]),
    );
    let old: Codes = serde_json::from_str(&json).unwrap();
    assert!(old.needs_reissue());
    assert_eq!(
        old.redeem(&key(), &State::new(), Throttle::default(), "ABCDE-FGHJK", 0)
            .0,
        Outcome::Accepted { remaining: 0 }
    );
    // Written back as format 1, never upgraded to format 2 without new codes.
    assert_eq!(serde_json::to_string(&old).unwrap(), json);
}

#[test]
fn duplicate_hashes_are_refused_on_read() {
    // Issue 11, item 8: a hash twice (in one list, or unused and used at once) would let
    // one code in twice; before, `from_parts` took it and `redeem` removed one copy.
    let (_, stored) = codes(2);
    let (a, b) = (stored.unused()[0], stored.unused()[1]);
    for (unused, used) in [
        (vec![a, a], vec![]),
        (vec![a, b, a], vec![]),
        (vec![a], vec![a]),
        (vec![b], vec![a, a]),
        (vec![], vec![b, a, b]),
    ] {
        assert_eq!(
            Codes::from_parts(stored.salt(), unused.clone(), used.clone()),
            Err(Error::DuplicateHash)
        );
        assert_eq!(
            Codes::from_legacy_parts(stored.salt(), unused, used),
            Err(Error::DuplicateHash)
        );
    }
    assert!(Codes::from_parts(stored.salt(), vec![a], vec![b]).is_ok());
    assert_eq!(
        Error::DuplicateHash.to_string(),
        "stored recovery codes hold the same hash twice"
    );
    assert_eq!(
        Error::KeyLength { found: 3 }.to_string(),
        "a recovery code key must have 32 to 64 bytes, got 3"
    );
}

#[cfg(feature = "serde")]
#[test]
fn duplicate_hashes_are_refused_by_serde() {
    let (_, stored) = codes(1);
    let (salt, h) = (hex(&stored.salt()), hex(&stored.unused()[0]));
    for (format, unused, used) in [
        (2, std::format!(r#""{h}","{h}""#), String::new()),
        (2, std::format!(r#""{h}""#), std::format!(r#""{h}""#)),
        (1, std::format!(r#""{h}""#), std::format!(r#""{h}""#)),
    ] {
        let json = std::format!(
            r#"{{"format":{format},"salt":"{salt}","unused":[{unused}],"used":[{used}]}}"#
        );
        let err = serde_json::from_str::<Codes>(&json)
            .unwrap_err()
            .to_string();
        assert!(
            err.starts_with("stored recovery codes hold the same hash twice"),
            "{json}: {err}"
        );
    }
}

/// Lower-case hex, as the stored form writes it.
#[cfg(feature = "serde")]
fn hex(bytes: &[u8]) -> String {
    bytes.iter().map(|b| std::format!("{b:02x}")).collect()
}

#[test]
fn dropping_a_redeemed_slot_keeps_the_others_in_order() {
    // The branch-free removal gives what removing by index gives, for every slot.
    let list: Vec<[u8; 32]> = (1..=5u8).map(|i| [i; 32]).collect();
    for index in 0..list.len() {
        let mut expected = list.clone();
        expected.remove(index);
        assert_eq!(without(&list, index), expected, "slot {index}");
    }
    assert_eq!(without(&list[..1], 0), Vec::<[u8; 32]>::new());
}
