//! Properties of generation and verification over arbitrary keys, times, windows and input.

// Tests state their expectations bluntly; the library itself may not.
#![allow(
    clippy::unwrap_used,
    clippy::panic,
    clippy::indexing_slicing,
    clippy::cast_possible_truncation,
    clippy::cast_possible_wrap,
    clippy::cast_sign_loss
)]

use otpkit::{Algorithm, Digits, Error, Hotp, Totp, VerifyError, Window};
use proptest::prelude::*;

fn algorithm() -> impl Strategy<Value = Algorithm> {
    prop_oneof![
        Just(Algorithm::Sha1),
        Just(Algorithm::Sha256),
        Just(Algorithm::Sha512)
    ]
}

fn digits() -> impl Strategy<Value = Digits> {
    (6u8..=10).prop_map(|d| Digits::new(d).unwrap())
}

fn key() -> impl Strategy<Value = Vec<u8>> {
    prop::collection::vec(any::<u8>(), 1..200)
}

/// Times spread over every time the library accepts (to the start of year 5000,
/// `Totp::MAX_TIME`), with extra weight at both ends.
fn time() -> impl Strategy<Value = u64> {
    prop_oneof![
        0u64..100,
        0..=Totp::MAX_TIME,
        (Totp::MAX_TIME - 100)..=Totp::MAX_TIME
    ]
}

fn window() -> impl Strategy<Value = Window> {
    (0u32..=5, 0u32..=5).prop_map(|(b, a)| Window::new(b, a).unwrap())
}

/// Which steps of the window `window` around `current` have the code `code`: the reference
/// answer, computed the slow, obvious way.
fn matching_steps(totp: &Totp, code: &str, current: u64, window: Window) -> Vec<u64> {
    let first = current.saturating_sub(u64::from(window.behind()));
    let last = current.saturating_add(u64::from(window.ahead()));
    (first..=last)
        .filter(|&s| totp.generate_at_step(s).as_str() == code)
        .collect()
}

proptest! {
    #[test]
    fn a_generated_code_verifies_at_its_own_step(
        algorithm in algorithm(), key in key(), digits in digits(),
        period in 1u64..1000, time in time(), window in window(),
    ) {
        let totp = Totp::new(algorithm, &key, digits, period).unwrap();
        let code = totp.generate(time).unwrap();
        let step = totp.step(time).unwrap();
        let m = totp.verify(code.as_str(), time, window).unwrap();
        // The latest matching step is chosen; it is this step unless a later step in the window
        // happens to have the same code.
        prop_assert!(m.step >= step);
        prop_assert_eq!(totp.generate_at_step(m.step), code);
        prop_assert_eq!(m.offset, i64::try_from(m.step - step).unwrap());
    }

    #[test]
    fn a_time_after_year_5000_is_refused_as_milliseconds(
        key in key(), period in 1u64..1000, t0 in any::<u64>(),
        time in prop_oneof![(Totp::MAX_TIME + 1)..=u64::MAX, 1_000_000_000_000u64..2_000_000_000_000],
    ) {
        let totp = Totp::new(Algorithm::Sha1, &key, Digits::SIX, period).unwrap().with_t0(t0);
        prop_assert_eq!(totp.step(time), Err(Error::TimeInMilliseconds));
        prop_assert_eq!(totp.seconds_left(time), Err(Error::TimeInMilliseconds));
        prop_assert_eq!(totp.generate(time), Err(Error::TimeInMilliseconds));
        let code = totp.generate_at_step(time / 1000 / period);
        prop_assert_eq!(
            totp.verify(code.as_str(), time, Window::default()),
            Err(VerifyError::Setup(Error::TimeInMilliseconds))
        );
    }

    #[test]
    fn verification_accepts_exactly_the_steps_in_the_window(
        key in key(), digits in digits(), current in time(),
        distance in 0u64..12, before in any::<bool>(), window in window(),
    ) {
        let totp = Totp::new(Algorithm::Sha1, &key, digits, 1).unwrap();
        let step = if before { current.saturating_sub(distance) } else { current.saturating_add(distance) };
        let code = totp.generate_at_step(step);
        let expected = matching_steps(&totp, code.as_str(), current, window);
        match totp.verify(code.as_str(), current, window) {
            Ok(m) => prop_assert_eq!(Some(&m.step), expected.last()),
            Err(e) => {
                prop_assert_eq!(e, VerifyError::Mismatch);
                prop_assert!(expected.is_empty());
            }
        }
    }

    #[test]
    fn an_accepted_step_is_never_accepted_again(
        key in key(), time in time(), window in window(), later in 0u64..60,
    ) {
        let totp = Totp::new(Algorithm::Sha1, &key, Digits::SIX, 30).unwrap();
        let code = totp.generate(time).unwrap();
        let first = totp.verify(code.as_str(), time, window).unwrap();
        let later_time = time.saturating_add(later).min(Totp::MAX_TIME);
        let again = totp.verify_after(code.as_str(), later_time, window, first.step);
        // `first.step` was the latest matching step, so nothing in any window that far is left.
        match again {
            Ok(m) => prop_assert!(m.step > first.step),
            Err(e) => prop_assert!(e == VerifyError::Replayed || e == VerifyError::Mismatch),
        }
        if later == 0 {
            prop_assert_eq!(again, Err(VerifyError::Replayed));
        }
    }

    #[test]
    fn codes_always_have_the_configured_length(
        algorithm in algorithm(), key in key(), digits in digits(), counter in any::<u64>(),
    ) {
        let hotp = Hotp::new(algorithm, &key, digits).unwrap();
        let code = hotp.generate(counter);
        prop_assert_eq!(code.len(), usize::from(digits.get()));
        prop_assert!(code.as_str().bytes().all(|b| b.is_ascii_digit()));
        let steam = Totp::steam(&key).unwrap().generate_at_step(counter);
        prop_assert_eq!(steam.len(), 5);
    }

    #[test]
    fn hotp_look_ahead_finds_the_counter_and_moves_past_it(
        key in key(), counter in prop_oneof![0u64..1000, (u64::MAX - 20)..=u64::MAX],
        ahead in 0u32..10, distance in 0u64..12,
    ) {
        let hotp = Hotp::new(Algorithm::Sha1, &key, Digits::EIGHT).unwrap();
        let used = counter.saturating_add(distance);
        let code = hotp.generate(used);
        match hotp.verify(code.as_str(), counter, ahead) {
            Ok(m) => {
                prop_assert_eq!(hotp.generate(m.step), code);
                prop_assert!(m.step >= counter && m.step < u64::MAX);
                prop_assert!(m.step - counter <= u64::from(ahead));
                prop_assert_eq!(m.next_counter(), m.step + 1);
            }
            Err(e) => {
                prop_assert_eq!(e, VerifyError::Mismatch);
                prop_assert!(distance > u64::from(ahead) || used == u64::MAX || counter == u64::MAX);
            }
        }
    }

    #[test]
    fn hotp_resync_finds_two_consecutive_codes(
        key in key(), counter in 0u64..1000, distance in 0u64..200,
    ) {
        let hotp = Hotp::new(Algorithm::Sha1, &key, Digits::EIGHT).unwrap();
        let c = counter + distance;
        let (first, second) = (hotp.generate(c), hotp.generate(c + 1));
        let m = hotp.resync(first.as_str(), second.as_str(), counter, 200).unwrap();
        prop_assert_eq!(hotp.generate(m.step), second);
        prop_assert_eq!(hotp.generate(m.step - 1), first);
        prop_assert_eq!(m.next_counter(), m.step + 1);
        // Swapped, the pair is not consecutive.
        prop_assert!(hotp.resync(second.as_str(), first.as_str(), counter, 200).is_err()
            || first == second);
    }

}

/// One input to [`no_input_panics`]: mostly valid settings and codes of the right length, so
/// that most cases get past the setup and format checks into the window scan, and some of
/// everything else (any digits, empty keys, periods of 0, times before T0 or past year 5000,
/// oversized windows, any text).
#[derive(Debug, Clone)]
struct AnyInput {
    key: Vec<u8>,
    digits: u8,
    period: u64,
    t0: u64,
    time: u64,
    code: CodeText,
    behind: u32,
    ahead: u32,
    last: u64,
    counter: u64,
    look_ahead: u32,
}

/// How the code text is made: the real code of a step near the current one, random digits of
/// the right length, or any text at all.
#[derive(Debug, Clone)]
enum CodeText {
    Real(i8),
    Digits(u64),
    Any(String),
}

fn any_input() -> impl Strategy<Value = AnyInput> {
    let settings = (
        prop_oneof![19 => prop::collection::vec(any::<u8>(), 1..300), 1 => prop::collection::vec(any::<u8>(), 0..300)],
        prop_oneof![19 => 6u8..=10, 1 => any::<u8>()],
        prop_oneof![6 => 1u64..=120, 3 => 1u64..=1_000_000_000, 1 => any::<u64>()],
        prop_oneof![8 => Just(0u64), 11 => 0..=Totp::MAX_TIME / 2, 1 => any::<u64>()],
        prop_oneof![19 => 0..=Totp::MAX_TIME / 2, 1 => any::<u64>()],
    );
    let side = || prop_oneof![12 => 0u32..=10, 7 => 0u32..=100, 1 => any::<u32>()];
    let code = prop_oneof![
        9 => any::<i8>().prop_map(CodeText::Real),
        9 => any::<u64>().prop_map(CodeText::Digits),
        2 => ".{0,24}".prop_map(CodeText::Any),
    ];
    let rest = (
        code,
        side(),
        side(),
        prop_oneof![3 => Just(None), 3 => (0u64..40).prop_map(Some), 1 => any::<u64>().prop_map(Some)],
        prop_oneof![9 => 0u64..1_000_000, 1 => any::<u64>()],
        prop_oneof![9 => 0u32..=100, 1 => 0u32..2000],
    );
    (settings, rest).prop_map(
        |((key, digits, period, t0, delta), (code, behind, ahead, last, counter, look_ahead))| {
            AnyInput {
                key,
                digits,
                period,
                t0,
                time: t0.saturating_add(delta),
                code,
                behind,
                ahead,
                last: last.unwrap_or(0),
                counter,
                look_ahead,
            }
        },
    )
}

impl AnyInput {
    /// The code text for a generator whose current step (or counter) is `current`.
    fn text(&self, digits: Digits, code_at: impl Fn(u64) -> String, current: u64) -> String {
        match &self.code {
            CodeText::Real(off) => code_at(current.saturating_add_signed(i64::from(*off) % 4)),
            CodeText::Digits(seed) => {
                let text = format!("{seed:020}");
                text[..usize::from(digits.get())].to_owned()
            }
            CodeText::Any(text) => text.clone(),
        }
    }
}

/// Whether a verification got as far as the constant-time scan of its window: it answered
/// with a match or a mismatch, not a setup or format error found before scanning.
fn scanned(result: &Result<otpkit::Match, VerifyError>) -> bool {
    matches!(
        result,
        Ok(_) | Err(VerifyError::Mismatch | VerifyError::Replayed)
    )
}

/// Nothing panics on any input, and the generated inputs mostly reach the window scan: a
/// fuzz-like test whose inputs all stop at `Digits::new` or a malformed code tests nothing.
#[test]
fn no_input_panics() {
    let mut runner = proptest::test_runner::TestRunner::new(ProptestConfig::with_cases(512));
    let (cases, reached) = (core::cell::Cell::new(0u32), core::cell::Cell::new(0u32));
    runner
        .run(&any_input(), |input| {
            cases.set(cases.get() + 1);
            let algorithm = Algorithm::Sha256;
            let Ok(digits) = Digits::new(input.digits) else {
                return Ok(());
            };
            let mut scans = 0;
            if let Ok(totp) = Totp::new(algorithm, &input.key, digits, input.period) {
                let totp = totp.with_t0(input.t0);
                let _ = totp.generate(input.time);
                let _ = totp.seconds_left(input.time);
                let current = totp.step(input.time).unwrap_or(0);
                let code = input.text(
                    digits,
                    |s| totp.generate_at_step(s).as_str().to_owned(),
                    current,
                );
                if let Ok(window) = Window::new(input.behind, input.ahead) {
                    let result = totp.verify(&code, input.time, window);
                    scans += u32::from(scanned(&result));
                    let last = current.saturating_sub(input.last);
                    let _ = totp.verify_after(&code, input.time, window, last);
                }
            }
            if let Ok(hotp) = Hotp::new(algorithm, &input.key, digits) {
                let code = input.text(
                    digits,
                    |c| hotp.generate(c).as_str().to_owned(),
                    input.counter,
                );
                let result = hotp.verify(&code, input.counter, input.look_ahead);
                scans += u32::from(scanned(&result));
                let _ = hotp.resync(&code, &code, input.counter, input.look_ahead);
            }
            if scans == 2 {
                reached.set(reached.get() + 1);
            }
            Ok(())
        })
        .unwrap();
    // Most cases (expected: about two thirds) scan both a TOTP and an HOTP window.
    assert!(
        reached.get() * 2 > cases.get(),
        "{} of {} cases reached the window scan",
        reached.get(),
        cases.get()
    );
}

#[test]
fn edges_near_zero_and_max() {
    let totp = Totp::new(Algorithm::Sha1, b"key", Digits::SIX, 1).unwrap();
    // Windows clip at step 0; the last time accepted is the start of year 5000.
    let code = totp.generate_at_step(0);
    assert_eq!(
        totp.verify(code.as_str(), 0, Window::symmetric(100).unwrap())
            .unwrap()
            .step,
        0
    );
    let code = totp.generate_at_step(Totp::MAX_TIME);
    let m = totp
        .verify(
            code.as_str(),
            Totp::MAX_TIME,
            Window::symmetric(100).unwrap(),
        )
        .unwrap();
    assert_eq!((m.step, m.offset), (Totp::MAX_TIME, 0));
    assert_eq!(
        totp.verify(code.as_str(), Totp::MAX_TIME + 1, Window::default()),
        Err(VerifyError::Setup(Error::TimeInMilliseconds))
    );
    // Nothing after u64::MAX can be accepted.
    assert_eq!(
        totp.verify_after(code.as_str(), Totp::MAX_TIME, Window::default(), u64::MAX),
        Err(VerifyError::Replayed)
    );
    // Before T0 is an error, not a wrap-around.
    let late = totp.clone().with_t0(100);
    assert_eq!(
        late.verify(code.as_str(), 99, Window::default()),
        Err(VerifyError::Setup(Error::TimeBeforeT0))
    );
    assert_eq!(late.generate(99), Err(Error::TimeBeforeT0));
    // HOTP never accepts counter u64::MAX, so the next counter always fits.
    let hotp = Hotp::new(Algorithm::Sha1, b"key", Digits::SIX).unwrap();
    let last = hotp.generate(u64::MAX);
    assert_eq!(
        hotp.verify(last.as_str(), u64::MAX, 0),
        Err(VerifyError::Mismatch)
    );
    assert_eq!(
        hotp.verify(last.as_str(), u64::MAX - 1, 100)
            .map(|m| m.step)
            .ok(),
        None
    );
    assert_eq!(
        hotp.verify("123456", 0, 101),
        Err(VerifyError::Setup(Error::LookAheadTooLarge))
    );
    assert_eq!(
        hotp.resync("123456", "123456", 0, 1001),
        Err(VerifyError::Setup(Error::ResyncLookAheadTooLarge))
    );
}
