//! Every policy rule with explicit times, then the same rules and "never panics" under proptest.

use super::*;
use crate::algorithm::Algorithm;
use crate::code::Digits;
use crate::error::CodeError;
use crate::verify::Window;
use core::fmt;
use proptest::prelude::*;
use std::string::ToString;

const KEY: &[u8] = b"12345678901234567890";

fn totp() -> Totp {
    Totp::new(Algorithm::Sha1, KEY, Digits::SIX, 30).unwrap()
}

/// Eight digits, for the properties: fewer chance collisions between steps of one window.
fn totp8() -> Totp {
    Totp::new(Algorithm::Sha1, KEY, Digits::EIGHT, 30).unwrap()
}

fn hotp() -> Hotp {
    Hotp::new(Algorithm::Sha1, KEY, Digits::SIX).unwrap()
}

fn at_step(step: u64) -> crate::Code {
    totp().generate_at_step(step)
}

fn accepted(outcome: Outcome) -> Match {
    match outcome {
        Outcome::Accepted(m) => m,
        other => panic!("expected acceptance, got {other:?}"),
    }
}

// ---- window -------------------------------------------------------------------------------

#[test]
fn the_default_window_is_one_step_either_way() {
    let v = Verifier::totp(totp(), Policy::default());
    let now = 30 * 1000 + 17; // step 1000
    for (step, expected) in [
        (998, false),
        (999, true),
        (1000, true),
        (1001, true),
        (1002, false),
    ] {
        let (outcome, _) = v.check(&State::new(), at_step(step).as_str(), now);
        assert_eq!(outcome.is_accepted(), expected, "step {step}");
        if expected {
            assert_eq!(
                accepted(outcome).offset,
                i64::try_from(step).unwrap() - 1000
            );
        }
    }
}

#[test]
fn a_configured_window_is_used_and_bounded() {
    let policy = Policy::default().with_window(Window::new(2, 0).unwrap());
    let v = Verifier::totp(totp(), policy);
    let now = 30 * 1000;
    assert!(
        v.check(&State::new(), at_step(998).as_str(), now)
            .0
            .is_accepted()
    );
    assert_eq!(
        v.check(&State::new(), at_step(1001).as_str(), now).0,
        Outcome::WrongCode
    );
    assert_eq!(
        v.check(&State::new(), at_step(997).as_str(), now).0,
        Outcome::WrongCode
    );
    // The bounds of every setting.
    assert!(Window::new(Window::MAX + 1, 0).is_err());
    assert_eq!(
        Policy::default().with_max_drift(Policy::MAX_DRIFT + 1),
        Err(Error::DriftTooLarge)
    );
    assert_eq!(
        Policy::default().with_look_ahead(Window::MAX + 1),
        Err(Error::LookAhead(crate::Error::LookAheadTooLarge))
    );
    assert_eq!(
        Policy::default().with_resync_look_ahead(Hotp::MAX_RESYNC_WINDOW + 1),
        Err(Error::LookAhead(crate::Error::ResyncLookAheadTooLarge))
    );
}

#[test]
fn window_edges_at_time_zero_and_the_end_of_time() {
    let v = Verifier::totp(totp(), Policy::default());
    assert!(
        v.check(&State::new(), at_step(0).as_str(), 0)
            .0
            .is_accepted()
    );
    let last = Totp::MAX_TIME / 30;
    let m = accepted(
        v.check(&State::new(), at_step(last).as_str(), Totp::MAX_TIME)
            .0,
    );
    assert_eq!((m.step, m.offset), (last, 0));
    let late = Verifier::totp(totp().with_t0(100), Policy::default());
    assert_eq!(
        late.check(&State::new(), "123456", 99),
        (
            Outcome::Misconfigured(crate::Error::TimeBeforeT0),
            State::new()
        )
    );
}

#[test]
fn a_time_in_milliseconds_is_refused_and_not_a_failure() {
    let v = Verifier::totp(totp(), Policy::default());
    let millis = 1_111_111_109_000;
    let right = at_step(1_111_111_109 / 30);
    assert_eq!(
        v.check(&State::new(), right.as_str(), millis),
        (
            Outcome::Misconfigured(crate::Error::TimeInMilliseconds),
            State::new()
        )
    );
    assert_eq!(
        v.resync(&State::new(), right.as_str(), right.as_str(), millis),
        (
            Outcome::Misconfigured(crate::Error::TimeInMilliseconds),
            State::new()
        )
    );
    assert_eq!(
        Outcome::Misconfigured(crate::Error::TimeInMilliseconds).to_string(),
        "time is after year 5000: pass unix seconds, not milliseconds"
    );
}

#[test]
fn a_misconfigured_server_counts_no_guess() {
    // Four failures already: a fifth counted one would lock the user out.
    let late = Verifier::totp(totp().with_t0(100), Policy::default());
    let mut state = State::new();
    for _ in 0..4 {
        state = late.check(&state, "000000", 1000).1;
    }
    assert_eq!(state.failures, 4);
    let misconfigured = Outcome::Misconfigured(crate::Error::TimeBeforeT0);
    for _ in 0..10 {
        assert_eq!(late.check(&state, "123456", 99), (misconfigured, state));
        assert_eq!(
            late.resync(&state, "123456", "654321", 99),
            (misconfigured, state)
        );
    }
    assert_eq!(misconfigured.to_string(), "time is before t0");
}

// ---- replay -------------------------------------------------------------------------------

#[test]
fn replay_at_the_same_step_and_an_earlier_one_is_already_used() {
    let v = Verifier::totp(totp(), Policy::default());
    let now = 30 * 500;
    let (outcome, state) = v.check(&State::new(), at_step(500).as_str(), now);
    assert_eq!(accepted(outcome).step, 500);
    assert_eq!((state.last_step, state.version), (Some(500), 1));

    // Same code, same step, a few seconds later: already used, state untouched.
    assert_eq!(
        v.check(&state, at_step(500).as_str(), now + 5),
        (Outcome::AlreadyUsed, state)
    );
    // The earlier step's code, still inside the window: already used too.
    assert_eq!(
        v.check(&state, at_step(499).as_str(), now + 5),
        (Outcome::AlreadyUsed, state)
    );
    // A wrong code is a different outcome, and a failure.
    let (outcome, failed) = v.check(&state, "000000", now + 5);
    assert_eq!(outcome, Outcome::WrongCode);
    assert_eq!(failed.failures, 1);
    // The next step's code is fresh.
    let (outcome, next) = v.check(&state, at_step(501).as_str(), now + 30);
    assert_eq!(accepted(outcome).step, 501);
    assert_eq!(next.last_step, Some(501));
}

#[test]
fn replays_do_not_count_as_failures() {
    let v = Verifier::totp(totp(), Policy::default());
    let (_, state) = v.check(&State::new(), at_step(10).as_str(), 300);
    let mut s = state;
    for _ in 0..20 {
        let (outcome, next) = v.check(&s, at_step(10).as_str(), 301);
        assert_eq!(outcome, Outcome::AlreadyUsed);
        s = next;
    }
    assert_eq!(s, state);
}

#[test]
fn malformed_input_is_neither_checked_nor_counted() {
    let v = Verifier::totp(totp(), Policy::default());
    assert_eq!(
        v.check(&State::new(), "12 34", 300),
        (
            Outcome::Malformed(CodeError::WrongLength {
                expected: 6,
                found: 4
            }),
            State::new()
        )
    );
    assert_eq!(
        v.check(&State::new(), "12x456", 300).0,
        Outcome::Malformed(CodeError::InvalidCharacter { position: 2 })
    );
}

// ---- throttling ---------------------------------------------------------------------------

#[test]
fn the_throttle_delay_grows_is_capped_and_resets() {
    let policy = Policy::default().with_throttle(Throttle::new(5, 30, 100));
    let v = Verifier::totp(totp(), policy);
    let mut s = State::new();
    let t = 10_000;
    for i in 1..=4 {
        let (outcome, next) = v.check(&s, "000000", t);
        assert_eq!(outcome, Outcome::WrongCode);
        assert_eq!((next.failures, next.locked_until), (i, None));
        s = next;
    }
    // The fifth failure: 30 s.
    let (_, next) = v.check(&s, "000000", t);
    assert_eq!((next.failures, next.locked_until), (5, Some(t + 30)));
    s = next;
    // During the delay even the right code is refused, and the state is unchanged.
    let right = totp().generate(t + 10).unwrap();
    assert_eq!(
        v.check(&s, right.as_str(), t + 10),
        (Outcome::Throttled { until: t + 30 }, s)
    );
    assert_eq!(v.check(&s, "000000", t + 29).1, s);
    // The sixth failure, when the delay is over: 60 s; the seventh: capped at 100.
    let (_, next) = v.check(&s, "000000", t + 30);
    assert_eq!((next.failures, next.locked_until), (6, Some(t + 90)));
    let (_, next) = v.check(&next, "000000", t + 90);
    assert_eq!((next.failures, next.locked_until), (7, Some(t + 190)));
    let (_, next) = v.check(&next, "000000", t + 190);
    assert_eq!(next.locked_until, Some(t + 290));
    // A success resets everything.
    let right = totp().generate(t + 290).unwrap();
    let (outcome, next) = v.check(&next, right.as_str(), t + 290);
    assert!(outcome.is_accepted());
    assert_eq!((next.failures, next.locked_until), (0, None));
}

#[test]
fn throttled_attempts_compute_nothing() {
    // The shape of the code and the time are not even looked at while throttled.
    let v = Verifier::totp(totp().with_t0(1_000_000), Policy::default());
    let mut s = State::new();
    s.locked_until = Some(500);
    assert_eq!(
        v.check(&s, "not a code", 400),
        (Outcome::Throttled { until: 500 }, s)
    );
    assert_eq!(
        v.resync(&s, "x", "y", 400),
        (Outcome::Throttled { until: 500 }, s)
    );
    // Once it is over, the same input gets its real answer.
    assert!(matches!(
        v.check(&s, "not a code", 500).0,
        Outcome::Malformed(_)
    ));
}

#[test]
fn the_throttle_survives_a_restart() {
    let v = Verifier::totp(totp(), Policy::default());
    let mut s = State::new();
    for _ in 0..5 {
        s = v.check(&s, "000000", 1000).1;
    }
    // A new verifier (a restarted server) with the stored state.
    let restarted = Verifier::totp(totp(), Policy::default());
    assert_eq!(
        restarted.check(&s, "000000", 1001).0,
        Outcome::Throttled { until: 1030 }
    );
}

#[test]
fn throttle_arithmetic_saturates() {
    let t = Throttle::new(0, u64::MAX, u64::MAX);
    assert_eq!(t.delay_after(0), u64::MAX);
    assert_eq!(t.delay_after(u32::MAX), u64::MAX);
    let v = Verifier::totp(totp(), Policy::default().with_throttle(t));
    let mut s = State::new();
    s.failures = u32::MAX;
    s.version = u64::MAX;
    let (outcome, next) = v.check(&s, "000000", Totp::MAX_TIME);
    assert_eq!(outcome, Outcome::WrongCode);
    assert_eq!(
        (next.failures, next.locked_until, next.version),
        (u32::MAX, Some(u64::MAX), 0)
    );
}

// ---- drift --------------------------------------------------------------------------------

/// Logs in at `now` with a phone whose clock is `phone_offset` steps off.
fn login(v: &Verifier, s: &State, now: u64, phone_offset: i64) -> (Outcome, State) {
    let Generator::Totp(totp) = &v.generator else {
        panic!("a TOTP verifier")
    };
    let phone = now.saturating_add_signed(phone_offset * 30);
    v.check(s, totp.generate(phone).unwrap().as_str(), now)
}

#[test]
fn drift_follows_a_clock_that_runs_two_steps_slow() {
    let v = Verifier::totp(totp(), Policy::default());
    let mut s = State::new();
    let mut now = 1_000_000;
    // Two steps slow from the start is outside the ±1 window.
    assert_eq!(login(&v, &s, now, -2).0, Outcome::WrongCode);
    // The phone falls behind gradually: one step slow for three logins ...
    for (i, expected_drift) in [(0, 0), (1, 0), (2, -1)] {
        now += 3600;
        let (outcome, next) = login(&v, &s, now, -1);
        assert_eq!(accepted(outcome).offset, -1, "login {i}");
        assert_eq!(next.drift, expected_drift, "login {i}");
        s = next;
    }
    // ... then two steps slow: now inside the window centred on -1, and after three logins
    // the window is centred on -2.
    for expected_drift in [-1, -1, -2] {
        now += 3600;
        let (outcome, next) = login(&v, &s, now, -2);
        assert_eq!(accepted(outcome).offset, -2);
        assert_eq!(next.drift, expected_drift);
        s = next;
    }
    // The window has not widened for anyone else: a fresh state still refuses -2.
    assert_eq!(
        login(&v, &State::new(), now + 3600, -2).0,
        Outcome::WrongCode
    );
    // And this user may now even be three steps slow.
    assert_eq!(accepted(login(&v, &s, now + 3600, -3).0).offset, -3);
}

#[test]
fn inconsistent_offsets_do_not_move_the_centre() {
    let v = Verifier::totp(totp(), Policy::default());
    for pattern in [
        [-1, 0, -1, 0, -1, 0],
        [-1, 1, -1, 1, -1, 1],
        [1, 1, 0, 1, 1, 0],
    ] {
        let mut s = State::new();
        for (i, offset) in pattern.into_iter().enumerate() {
            let now = 1_000_000 + 3600 * u64::try_from(i).unwrap();
            let (outcome, next) = login(&v, &s, now, offset);
            assert!(outcome.is_accepted());
            s = next;
        }
        assert_eq!(s.drift, 0, "{pattern:?}");
    }
}

#[test]
fn the_centre_moves_by_the_smallest_offset_of_the_run() {
    let policy = Policy::default().with_window(Window::symmetric(3).unwrap());
    let v = Verifier::totp(totp(), policy);
    let mut s = State::new();
    for (i, offset) in [-3, -2, -3].into_iter().enumerate() {
        let now = 1_000_000 + 3600 * u64::try_from(i).unwrap();
        s = login(&v, &s, now, offset).1;
    }
    assert_eq!(s.drift, -2);
}

#[test]
fn drift_is_bounded_and_a_fixed_clock_is_not_locked_out() {
    let policy = Policy::default().with_max_drift(3).unwrap();
    let v = Verifier::totp(totp(), policy);
    let mut s = State::new();
    let mut now = 1_000_000;
    let mut offset = 0;
    // The phone loses a step every three logins, down to -6; the centre stops at -3.
    for login_number in 0..18 {
        if login_number % 3 == 0 && offset > -6 {
            offset -= 1;
        }
        now += 3600;
        let (outcome, next) = login(&v, &s, now, offset);
        if offset >= -4 {
            assert!(outcome.is_accepted(), "offset {offset}");
            s = next;
        } else {
            assert_eq!(outcome, Outcome::WrongCode, "offset {offset}");
        }
    }
    assert_eq!(s.drift, -3);
    // The user fixes the phone's clock: the window still reaches the server's own step, and
    // after three logins the centre is back.
    for expected in [-3, -3, 0] {
        now += 3600;
        let (outcome, next) = login(&v, &s, now, 0);
        assert_eq!(accepted(outcome).offset, 0);
        assert_eq!(next.drift, expected);
        s = next;
    }
}

#[test]
fn drift_can_be_turned_off() {
    let v = Verifier::totp(totp(), Policy::default().with_drift_after(0));
    let mut s = State::new();
    for i in 0..5 {
        s = login(&v, &s, 1_000_000 + 3600 * i, -1).1;
    }
    assert_eq!(s.drift, 0);
    // A stored drift is ignored when drift is off.
    s.drift = -5;
    assert_eq!(login(&v, &s, 2_000_000, -5).0, Outcome::WrongCode);
}

#[test]
fn totp_resync_centres_the_window_on_a_far_clock() {
    let v = Verifier::totp(totp(), Policy::default());
    let now = 30 * 10_000;
    let (first, second) = (at_step(9_992), at_step(9_993)); // 7 steps slow
    let (outcome, s) = v.resync(&State::new(), first.as_str(), second.as_str(), now);
    let m = accepted(outcome);
    assert_eq!((m.step, m.offset), (9_993, -7));
    assert_eq!((s.drift, s.last_step), (-7, Some(9_993)));
    // The same pair again is already used.
    assert_eq!(
        v.resync(&s, first.as_str(), second.as_str(), now + 5),
        (Outcome::AlreadyUsed, s)
    );
    // Codes out of order, or beyond max_drift, are wrong codes.
    let (outcome, failed) = v.resync(&State::new(), second.as_str(), first.as_str(), now);
    assert_eq!((outcome, failed.failures), (Outcome::WrongCode, 1));
    let (far1, far2) = (at_step(9_988), at_step(9_989));
    assert_eq!(
        v.resync(&State::new(), far1.as_str(), far2.as_str(), now).0,
        Outcome::WrongCode
    );
}

/// Issue 11, item 9: near T0 the start of the resync range is clipped at step 0, and the end
/// must stay at `current + max_drift` rather than slide forward by what was clipped.
#[test]
#[cfg_attr(miri, ignore)] // thousands of HMACs over every (current, second) pair: minutes under Miri
fn totp_resync_near_t0_clips_both_ends_of_the_range() {
    let t = totp8();
    for reach in [0_u32, 1, 3, 10] {
        let v = Verifier::totp(t.clone(), Policy::default().with_max_drift(reach).unwrap());
        let bound = u64::from(reach);
        for current in 0..=bound + 2 {
            let now = 30 * current + 29;
            for second in 1..=current + 3 * bound + 3 {
                let (a, b) = (t.generate_at_step(second - 1), t.generate_at_step(second));
                let (outcome, _) = v.resync(&State::new(), a.as_str(), b.as_str(), now);
                let inside = second + bound >= current && second <= current + bound;
                assert_eq!(
                    outcome.is_accepted(),
                    inside,
                    "reach {reach}, current step {current}, second code's step {second}: {outcome:?}"
                );
                if inside {
                    let drift = i64::try_from(second).unwrap() - i64::try_from(current).unwrap();
                    assert_eq!(accepted(outcome).offset, drift);
                }
            }
        }
    }
}

// ---- HOTP ---------------------------------------------------------------------------------

#[test]
fn hotp_looks_ahead_moves_the_counter_and_spots_reuse() {
    let policy = Policy::default().with_look_ahead(5).unwrap();
    let v = Verifier::hotp(hotp(), policy);
    let s = State::with_counter(10);
    // Too early and too far ahead.
    assert_eq!(
        v.check(&s, hotp().generate(8).as_str(), 0).0,
        Outcome::WrongCode
    );
    assert_eq!(
        v.check(&s, hotp().generate(16).as_str(), 0).0,
        Outcome::WrongCode
    );
    let (outcome, s) = v.check(&s, hotp().generate(15).as_str(), 0);
    let m = accepted(outcome);
    assert_eq!((m.step, m.offset), (15, 5));
    assert_eq!((s.counter, s.last_step), (16, Some(15)));
    assert_eq!(
        v.check(&s, hotp().generate(15).as_str(), 0),
        (Outcome::AlreadyUsed, s)
    );
    // Older codes, skipped over, are simply wrong.
    assert_eq!(
        v.check(&s, hotp().generate(12).as_str(), 0).0,
        Outcome::WrongCode
    );
    // A fresh state's counter 10 means 9 is spent: already used.
    assert_eq!(
        v.check(&State::with_counter(10), hotp().generate(9).as_str(), 0)
            .0,
        Outcome::AlreadyUsed
    );
}

#[test]
fn hotp_resync_takes_two_consecutive_codes() {
    let v = Verifier::hotp(hotp(), Policy::default());
    let s = State::with_counter(0);
    let (c80, c81) = (hotp().generate(80), hotp().generate(81));
    assert_eq!(v.check(&s, c80.as_str(), 0).0, Outcome::WrongCode);
    // Not consecutive: refused, and a failure.
    let (outcome, failed) = v.resync(&s, c80.as_str(), hotp().generate(82).as_str(), 0);
    assert_eq!((outcome, failed.failures), (Outcome::WrongCode, 1));
    let (outcome, s) = v.resync(&s, c80.as_str(), c81.as_str(), 0);
    assert_eq!(accepted(outcome).step, 81);
    assert_eq!((s.counter, s.failures), (82, 0));
    // Beyond the resync look-ahead.
    let far = State::with_counter(82);
    let (a, b) = (hotp().generate(82 + 101), hotp().generate(82 + 102));
    assert_eq!(
        v.resync(&far, a.as_str(), b.as_str(), 0).0,
        Outcome::WrongCode
    );
}

#[test]
fn hotp_counter_at_the_end_of_u64() {
    let v = Verifier::hotp(hotp(), Policy::default());
    let s = State::with_counter(u64::MAX - 1);
    let (outcome, s) = v.check(&s, hotp().generate(u64::MAX - 1).as_str(), 0);
    assert!(outcome.is_accepted());
    assert_eq!(s.counter, u64::MAX);
    assert_eq!(
        v.check(&s, hotp().generate(u64::MAX).as_str(), 0).0,
        Outcome::WrongCode
    );
}

#[cfg(feature = "alloc")]
#[test]
fn a_verifier_from_credentials() {
    use crate::{Credential, Secret};
    let secret = || Secret::from_bytes(KEY).unwrap();
    let h = Credential::hotp(secret(), Algorithm::Sha1, Digits::SIX, 7);
    let v = Verifier::new(&h, Policy::default()).unwrap();
    let (outcome, s) = v.check(&State::for_credential(&h), hotp().generate(7).as_str(), 0);
    assert!(outcome.is_accepted());
    assert_eq!(s.counter, 8);
    let steam = Credential::steam(secret());
    let v = Verifier::new(&steam, Policy::default()).unwrap();
    let code = Totp::steam(KEY).unwrap().generate(90).unwrap();
    assert!(v.check(&State::new(), code.as_str(), 90).0.is_accepted());
}

// ---- messages -----------------------------------------------------------------------------

#[test]
fn messages_are_exact() {
    let m = Match { step: 1, offset: 0 };
    let cases: [(&dyn fmt::Display, &str); 9] = [
        (&Outcome::Accepted(m), "accepted"),
        (&Outcome::AlreadyUsed, "code was already used"),
        (&Outcome::WrongCode, "wrong code"),
        (
            &Outcome::Throttled { until: 1030 },
            "too many attempts; try again at 1030",
        ),
        (
            &Outcome::Malformed(CodeError::InvalidCharacter { position: 1 }),
            "malformed code: invalid character at position 1",
        ),
        (
            &Outcome::Misconfigured(crate::Error::TimeBeforeT0),
            "time is before t0",
        ),
        (
            &Error::DriftTooLarge,
            "drift bound is larger than 100 steps",
        ),
        (
            &Error::LookAhead(crate::Error::LookAheadTooLarge),
            "look-ahead is larger than 100 counters",
        ),
        (
            &Error::LookAhead(crate::Error::ResyncLookAheadTooLarge),
            "resync look-ahead is larger than 1000 counters",
        ),
    ];
    for (e, text) in cases {
        assert_eq!(e.to_string(), text);
    }
}

// ---- serialization ------------------------------------------------------------------------

#[cfg(feature = "serde")]
mod serialization {
    use super::*;
    use crate::{Credential, Secret};

    #[test]
    fn policy_credential_and_state_round_trip_through_json() {
        let policy = Policy::default()
            .with_window(Window::new(2, 1).unwrap())
            .with_max_drift(4)
            .unwrap()
            .with_throttle(Throttle::new(3, 10, 600));
        let json = serde_json::to_string(&policy).unwrap();
        assert_eq!(serde_json::from_str::<Policy>(&json).unwrap(), policy);

        let cred = Credential::totp(
            Secret::from_bytes(KEY).unwrap(),
            Algorithm::Sha1,
            Digits::SIX,
            30,
        )
        .unwrap();
        let json = serde_json::to_string(&cred).unwrap();
        assert_eq!(serde_json::from_str::<Credential>(&json).unwrap(), cred);

        let v = Verifier::new(&cred, policy).unwrap();
        let (_, state) = v.check(&State::new(), at_step(100).as_str(), 3000);
        let (_, state) = v.check(&state, "000000", 3000);
        let json = serde_json::to_string(&state).unwrap();
        assert_eq!(serde_json::from_str::<State>(&json).unwrap(), state);
        assert_eq!(
            json,
            r#"{"format":1,"version":2,"last_step":100,"counter":0,"failures":1,"locked_until":null,"drift":0,"drift_pending":0,"drift_streak":0}"#
        );
    }

    #[test]
    fn the_documented_v1_state_reads() {
        // The literal from the `State` docs (also a doctest there).
        let doc = r#"{"format":1,"version":7,"last_step":56666667,"counter":0,"failures":0,
                     "locked_until":null,"drift":-1,"drift_pending":0,"drift_streak":0}"#;
        // What this version writes reads back, and so does a v1 state with extra fields from
        // some later minor revision.
        let extra: State =
            serde_json::from_str(&doc.replace(r#""version":7"#, r#""version":3,"new_field":true"#))
                .unwrap();
        assert_eq!(extra.version, 3);
        let s: State = serde_json::from_str(doc).unwrap();
        assert_eq!((s.version, s.last_step, s.drift), (7, Some(56_666_667), -1));
        // Format 1 fails closed: a state with a field missing is refused, never read as fresh
        // (which would roll an HOTP counter back and drop the replay marker and the throttle).
        for (bad, message) in [
            (r#"{"format":1,"version":1}"#, "missing field `last_step`"),
            (r#"{"format":1,"counter":9}"#, "missing field `version`"),
            (r#"{"counter":9}"#, "missing field `format`"),
            (
                r#"{"format":2,"whatever":[]}"#,
                "unsupported state format 2; this version reads format 1",
            ),
        ] {
            let err = serde_json::from_str::<State>(bad).unwrap_err().to_string();
            assert!(err.contains(message), "{bad}: {err}");
        }
    }

    #[test]
    fn a_format_1_state_missing_any_field_is_refused() {
        // Issue 11, item 7: each field of format 1 is a security field; dropping any one of
        // them from a stored state must be an error naming it, and `null` is kept apart from
        // missing for the nullable ones.
        let mut state = State::with_counter(41);
        state.version = 9;
        state.last_step = Some(40);
        state.failures = 3;
        state.locked_until = Some(1234);
        let full: serde_json::Map<std::string::String, serde_json::Value> =
            serde_json::from_value(serde_json::to_value(state).unwrap()).unwrap();
        assert_eq!(full.len(), 9);
        for field in full.keys().filter(|k| k.as_str() != "format") {
            let mut partial = full.clone();
            partial.remove(field);
            let err = serde_json::from_value::<State>(serde_json::Value::Object(partial))
                .unwrap_err()
                .to_string();
            assert_eq!(err, std::format!("missing field `{field}`"));
        }
        let mut nulls = full.clone();
        nulls.insert("last_step".into(), serde_json::Value::Null);
        nulls.insert("locked_until".into(), serde_json::Value::Null);
        let read: State = serde_json::from_value(serde_json::Value::Object(nulls)).unwrap();
        assert_eq!(
            (read.last_step, read.locked_until, read.counter),
            (None, None, 41)
        );
        // An unknown format is named before any field is missed.
        let err = serde_json::from_str::<State>(r#"{"format":2}"#).unwrap_err();
        assert!(
            err.to_string().starts_with("unsupported state format 2"),
            "{err}"
        );
    }

    #[test]
    fn stored_policies_are_checked_and_default_what_is_missing() {
        assert_eq!(
            serde_json::from_str::<Policy>("{}").unwrap(),
            Policy::default()
        );
        for (bad, message) in [
            (
                r#"{"window":{"behind":101,"ahead":1}}"#,
                "window is larger than 100 steps on one side",
            ),
            (
                r#"{"max_drift":500}"#,
                "drift bound is larger than 100 steps",
            ),
            (
                r#"{"look_ahead":500}"#,
                "look-ahead is larger than 100 counters",
            ),
            (r#"{"windw":{}}"#, "unknown field `windw`"),
        ] {
            let err = serde_json::from_str::<Policy>(bad).unwrap_err().to_string();
            assert!(err.contains(message), "{bad}: {err}");
        }
    }
}

// ---- properties ---------------------------------------------------------------------------

pub(crate) fn any_state() -> impl Strategy<Value = State> {
    let edge_u64 = prop_oneof![
        Just(0u64),
        Just(1),
        Just(u64::MAX),
        Just(u64::MAX - 1),
        any::<u64>()
    ];
    let edge_i32 = prop_oneof![
        Just(0i32),
        Just(i32::MIN),
        Just(i32::MAX),
        -20i32..20,
        any::<i32>()
    ];
    (
        edge_u64.clone(),
        proptest::option::of(edge_u64.clone()),
        edge_u64.clone(),
        prop_oneof![Just(0u32), Just(u32::MAX), any::<u32>()],
        proptest::option::of(edge_u64),
        edge_i32.clone(),
        edge_i32,
        any::<u32>(),
    )
        .prop_map(
            |(version, last_step, counter, failures, locked_until, drift, pending, streak)| State {
                version,
                last_step,
                counter,
                failures,
                locked_until,
                drift,
                drift_pending: pending,
                drift_streak: streak,
            },
        )
}

fn any_policy() -> impl Strategy<Value = Policy> {
    (
        0..=Window::MAX,
        0..=Window::MAX,
        0..=Policy::MAX_DRIFT,
        0u32..5,
        any::<(u32, u64, u64)>(),
        0..=Window::MAX,
        0..=Hotp::MAX_RESYNC_WINDOW,
    )
        .prop_map(
            |(behind, ahead, drift, after, (free, delay, max), look, resync)| {
                Policy::default()
                    .with_window(Window::new(behind, ahead).unwrap())
                    .with_max_drift(drift)
                    .unwrap()
                    .with_drift_after(after)
                    .with_throttle(Throttle::new(free, delay, max))
                    .with_look_ahead(look)
                    .unwrap()
                    .with_resync_look_ahead(resync)
                    .unwrap()
            },
        )
}

pub(crate) fn any_time() -> impl Strategy<Value = u64> {
    prop_oneof![
        Just(0u64),
        Just(u64::MAX),
        Just(u64::MAX - 29),
        any::<u64>()
    ]
}

/// What the rules promise about any state change. The replay invariant among them: an
/// accepted code moves the state strictly forward — past the last accepted step for TOTP,
/// past the counter for HOTP — so no accepted code can be accepted again.
fn check_transition(v: &Verifier, before: &State, outcome: &Outcome, after: &State) {
    match outcome {
        Outcome::Accepted(m) => {
            assert_eq!(after.version, before.version.wrapping_add(1));
            assert_eq!((after.failures, after.locked_until), (0, None));
            assert_eq!(after.last_step, Some(m.step));
            match v.generator {
                Generator::Totp(_) => {
                    assert!(
                        before.last_step.is_none_or(|used| m.step > used),
                        "TOTP step {} accepted after step {:?}",
                        m.step,
                        before.last_step
                    );
                }
                Generator::Hotp(_) => {
                    assert!(m.step >= before.counter, "{m:?} before {before:?}");
                    assert!(after.counter > before.counter, "{before:?} -> {after:?}");
                    assert_eq!(after.counter, m.step + 1);
                }
            }
        }
        Outcome::WrongCode => {
            assert_eq!(after.version, before.version.wrapping_add(1));
            assert_eq!(after.failures, before.failures.saturating_add(1));
        }
        Outcome::AlreadyUsed
        | Outcome::Throttled { .. }
        | Outcome::Malformed(_)
        | Outcome::Misconfigured(_) => assert_eq!(after, before),
    }
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(64))]

    #[test]
    #[cfg_attr(miri, ignore)] // 64 cases take minutes under Miri
    fn arbitrary_states_never_panic(
        state in any_state(),
        policy in any_policy(),
        time in any_time(),
        t0 in prop_oneof![Just(0u64), any::<u64>()],
        step_delta in -3i64..3,
        junk in "[0-9a-z -]{0,12}",
    ) {
        let totp = totp().with_t0(t0);
        let code = totp.generate(time.saturating_add_signed(step_delta * 30)).map(|c| c.to_string());
        let typed = code.as_deref().unwrap_or("123456");
        for v in [Verifier::totp(totp.clone(), policy), Verifier::hotp(hotp(), policy)] {
            for input in [typed, junk.as_str()] {
                let (outcome, after) = v.check(&state, input, time);
                check_transition(&v, &state, &outcome, &after);
                let (outcome, after) = v.resync(&state, input, typed, time);
                check_transition(&v, &state, &outcome, &after);
            }
            let h = hotp().generate(state.counter);
            let (outcome, after) = v.check(&state, h.as_str(), time);
            check_transition(&v, &state, &outcome, &after);
            if matches!(v.generator, Generator::Hotp(_)) && state.throttled_until(time).is_none() && state.counter < u64::MAX {
                prop_assert!(outcome.is_accepted());
                prop_assert!(after.counter > state.counter);
            }
        }
    }

    #[test]
    #[cfg_attr(miri, ignore)] // 64 cases take minutes under Miri
    fn a_code_is_accepted_once_then_already_used(
        behind in 0u32..=10,
        ahead in 0u32..=10,
        time in 3000u64..=Totp::MAX_TIME,
        pick in any::<prop::sample::Index>(),
    ) {
        let totp = totp8();
        let window = Window::new(behind, ahead).unwrap();
        let v = Verifier::totp(totp.clone(), Policy::default().with_window(window));
        let current = time / 30;
        let first = current - u64::from(behind);
        let step = first + u64::try_from(pick.index(usize::try_from(behind + ahead + 1).unwrap())).unwrap();
        let code = |s: u64| totp.generate_at_step(s);
        let (outcome, s) = v.check(&State::new(), code(step).as_str(), time);
        prop_assert_eq!(accepted(outcome).step, step);
        // The same code and every earlier one in the window: already used, nothing stored.
        for earlier in first..=step {
            prop_assert_eq!(v.check(&s, code(earlier).as_str(), time), (Outcome::AlreadyUsed, s));
        }
    }

    #[test]
    #[cfg_attr(miri, ignore)] // 64 cases take minutes under Miri
    fn hotp_resync_finds_any_pair_within_reach(
        counter in prop_oneof![0u64..1000, (u64::MAX - 2000)..(u64::MAX - 1200), any::<u64>()],
        gap in 0u32..=200,
    ) {
        let hotp = Hotp::new(Algorithm::Sha1, KEY, Digits::EIGHT).unwrap();
        let policy = Policy::default().with_resync_look_ahead(200).unwrap();
        let v = Verifier::hotp(hotp.clone(), policy);
        prop_assume!(counter < u64::MAX - 300);
        let c = counter + u64::from(gap);
        let state = State::with_counter(counter);
        let (outcome, next) = v.resync(&state, hotp.generate(c).as_str(), hotp.generate(c + 1).as_str(), 0);
        prop_assert_eq!(accepted(outcome).step, c + 1);
        prop_assert_eq!(next.counter, c + 2);
        // The second code is now spent.
        prop_assert_eq!(v.check(&next, hotp.generate(c + 1).as_str(), 0).0, Outcome::AlreadyUsed);
    }

    #[test]
    #[cfg_attr(miri, ignore)] // 64 cases take minutes under Miri
    fn throttle_delays_never_shrink_and_stay_capped(
        free in 0u32..10, delay in any::<u64>(), max in any::<u64>(), failures in any::<u32>(),
    ) {
        let t = Throttle::new(free, delay, max);
        let d = t.delay_after(failures);
        prop_assert!(d <= max);
        prop_assert!(t.delay_after(failures.saturating_add(1)) >= d);
        prop_assert_eq!(d == 0, failures < free || delay == 0 || max == 0);
    }

    #[test]
    #[cfg_attr(miri, ignore)] // 64 cases take minutes under Miri
    fn a_slowly_drifting_clock_always_gets_in(
        moves in proptest::collection::vec(-1i64..=1, 1..12),
    ) {
        // The phone's offset changes by at most one step every `drift_after` logins and stays
        // within max_drift: every login is accepted and the centre is never more than one step
        // from the phone.
        let v = Verifier::totp(totp8(), Policy::default());
        let mut s = State::new();
        let mut offset = 0i64;
        let mut now = 10_000_000;
        for m in moves {
            offset = (offset + m).clamp(-10, 10);
            for _ in 0..3 {
                now += 3600;
                let (outcome, next) = login(&v, &s, now, offset);
                prop_assert_eq!(accepted(outcome).offset, offset);
                s = next;
                prop_assert!((i64::from(s.drift) - offset).abs() <= 1);
            }
        }
    }
}
