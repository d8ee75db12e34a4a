//! Constant-time evidence for verification: dudect's test (Reparaz, Balasch, Verbauwhede,
//! "Dude, is my code constant time?", 2017) through the `dudect-bencher` crate.
//!
//! Each benchmark times one call for two classes of input drawn at random and interleaved —
//! `Totp::verify` and `Verifier::check` over a ±1 window (decimal and Steam Guard codes),
//! `Hotp::resync` over a look-ahead of 20, recovery-code redemption over ten stored codes —
//! then applies Welch's t-test to the two timing distributions (and to cropped versions of
//! them). `|t| < 4.5` is the customary threshold for "no timing
//! difference found"; a larger `|t|` is a leak worth looking at. This is evidence, not a
//! proof, and not a CI gate: the figures depend on the machine and its load.
//!
//! ```sh
//! cargo bench --bench ct_verify                          # every pair, 2 million timings each
//! cargo bench --bench ct_verify -- --filter right_first  # one pair
//! cargo bench --bench ct_verify -- --continuous wrong    # one pair until Ctrl-C
//! CT_SAMPLES=200000 cargo bench --bench ct_verify        # a short run
//! ```

// A bench is a program: if its setup fails it should stop loudly.
#![allow(clippy::expect_used, clippy::indexing_slicing)]

use dudect_bencher::ctbench::{BenchFn, BenchMetadata, BenchName, BenchOpts, run_benches_console};
use dudect_bencher::rand::RngExt;
use dudect_bencher::{BenchRng, Class, CtRunner};
use otpkit::verifier::{Policy, State, Verifier};
use otpkit::{Algorithm, Digits, Hotp, Totp, Window, recovery};

/// Timings per benchmark run, both classes together: `CT_SAMPLES` in the environment, or 2
/// million.
fn samples() -> usize {
    std::env::var("CT_SAMPLES")
        .ok()
        .and_then(|s| s.parse().ok())
        .unwrap_or(2_000_000)
}
/// RFC 6238's SHA-1 test key.
const KEY: &[u8] = b"12345678901234567890";
/// The Steam Guard alphabet, to make wrong Steam codes.
const STEAM: &[u8] = b"23456789BCDFGHJKMNPQRTVWXY";

/// What the user typed, relative to the codes of the window around the current step.
#[derive(Clone, Copy)]
enum Input {
    /// Wrong: every character differs from the current step's code.
    WrongAllDigits,
    /// Wrong: only the last character differs from the current step's code.
    WrongLastDigit,
    /// Right: the code of the step before the current one (the window's first slot).
    RightFirstSlot,
    /// Right: the code of the step after the current one (the window's last slot).
    RightLastSlot,
}

fn totp() -> Totp {
    Totp::new(Algorithm::Sha1, KEY, Digits::SIX, 30).expect("a valid TOTP")
}

/// The character `by` places further in its alphabet (digits, or Steam's).
fn shift(c: u8, by: usize, steam: bool) -> u8 {
    let alphabet: &[u8] = if steam { STEAM } else { b"0123456789" };
    let i = alphabet
        .iter()
        .position(|&a| a == c)
        .expect("a code character");
    alphabet[(i + by) % alphabet.len()]
}

/// A typed code held inline, so that every input of both classes lies in the one vector of
/// inputs, laid out alike. (Held as `String`s, a near miss, edited in place, and a far one,
/// collected afresh, were allocated differently, and the two classes' texts lay in different
/// places of the heap: the bench then timed where the text was, not what the scan did.)
#[derive(Clone, Copy)]
struct Typed {
    bytes: [u8; 24],
    len: usize,
}

impl Typed {
    fn new(text: &str) -> Self {
        let mut bytes = [0u8; 24];
        bytes[..text.len()].copy_from_slice(text.as_bytes());
        Self {
            bytes,
            len: text.len(),
        }
    }

    fn as_str(&self) -> &str {
        core::str::from_utf8(&self.bytes[..self.len]).expect("ASCII")
    }
}

/// One typed code of the given kind at a random time, and that time. A wrong code that
/// happens to match another step of the window is drawn again.
fn draw(totp: &Totp, kind: Input, rng: &mut BenchRng) -> (Typed, u64) {
    let steam = totp.hotp().is_steam();
    loop {
        let step = rng.random_range(1..1u64 << 40);
        let time = step * 30 + rng.random_range(0..30u64);
        let code_of = |s: u64| totp.generate_at_step(s).as_str().to_owned();
        let current = code_of(step);
        let typed: String = match kind {
            Input::WrongAllDigits => current
                .bytes()
                .map(|c| char::from(shift(c, 5, steam)))
                .collect(),
            Input::WrongLastDigit => {
                let mut typed = current.into_bytes();
                if let Some(last) = typed.last_mut() {
                    *last = shift(*last, 1, steam);
                }
                String::from_utf8(typed).expect("ASCII")
            }
            Input::RightFirstSlot => code_of(step - 1),
            Input::RightLastSlot => code_of(step + 1),
        };
        let matches_window = [step - 1, step, step + 1]
            .iter()
            .any(|&s| code_of(s) == typed);
        let wrong = matches!(kind, Input::WrongAllDigits | Input::WrongLastDigit);
        if matches_window != wrong {
            return (Typed::new(&typed), time);
        }
    }
}

/// Draws the inputs, each from the left or the right class at random (`make` builds one of a
/// class), then times `run` on each. Inputs are made before any timing so that only the call
/// under test is measured.
fn classes<T, R>(
    runner: &mut CtRunner,
    rng: &mut BenchRng,
    mut make: impl FnMut(Class, &mut BenchRng) -> T,
    run: impl Fn(&T) -> R,
) {
    let inputs: Vec<(Class, T)> = (0..samples())
        .map(|_| {
            let class = if rng.random::<bool>() {
                Class::Left
            } else {
                Class::Right
            };
            (class, make(class, rng))
        })
        .collect();
    for (class, input) in &inputs {
        runner.run_one(*class, || run(input));
    }
}

/// `Totp::verify` over ±1 on inputs of kinds `left` and `right`.
fn compare(runner: &mut CtRunner, rng: &mut BenchRng, left: Input, right: Input) {
    let totp = totp();
    let make = |class, rng: &mut BenchRng| {
        draw(
            &totp,
            if matches!(class, Class::Left) {
                left
            } else {
                right
            },
            rng,
        )
    };
    classes(runner, rng, make, |(typed, time)| {
        totp.verify(typed.as_str(), *time, Window::default())
    });
}

/// `Verifier::check` (a fresh state, the default policy: ±1, throttle) on `left` and `right`.
fn compare_verifier(
    runner: &mut CtRunner,
    rng: &mut BenchRng,
    totp: Totp,
    left: Input,
    right: Input,
) {
    let v = Verifier::totp(totp.clone(), Policy::default());
    let state = State::new();
    let make = |class, rng: &mut BenchRng| {
        draw(
            &totp,
            if matches!(class, Class::Left) {
                left
            } else {
                right
            },
            rng,
        )
    };
    classes(runner, rng, make, |(typed, time)| {
        v.check(&state, typed.as_str(), *time)
    });
}

/// Both wrong: must not tell a near miss from a far one.
fn wrong_all_digits_vs_last_digit(runner: &mut CtRunner, rng: &mut BenchRng) {
    compare(runner, rng, Input::WrongAllDigits, Input::WrongLastDigit);
}

/// The control: both classes drawn the same way (wrong in the last digit). Whatever `t` this
/// reaches is the harness's and the machine's own, the line below which the other pairs say
/// nothing.
fn control_same_class(runner: &mut CtRunner, rng: &mut BenchRng) {
    compare(runner, rng, Input::WrongLastDigit, Input::WrongLastDigit);
}

/// Both right: must not tell where in the window the match is.
fn right_first_vs_last_slot(runner: &mut CtRunner, rng: &mut BenchRng) {
    compare(runner, rng, Input::RightFirstSlot, Input::RightLastSlot);
}

/// Right against wrong. Accepting or refusing is the result itself, public by design (one
/// branch at the end of the scan builds a `Match` or an error), so a difference here is
/// expected and is not a leak; the scan before it is what must not differ.
fn wrong_last_digit_vs_right_last_slot(runner: &mut CtRunner, rng: &mut BenchRng) {
    compare(runner, rng, Input::WrongLastDigit, Input::RightLastSlot);
}

/// `Verifier::check`, both wrong: a near miss against a far one.
fn verifier_wrong_all_vs_last(runner: &mut CtRunner, rng: &mut BenchRng) {
    compare_verifier(
        runner,
        rng,
        totp(),
        Input::WrongAllDigits,
        Input::WrongLastDigit,
    );
}

/// `Verifier::check`, both right: where in the window the match is.
fn verifier_right_first_vs_last_slot(runner: &mut CtRunner, rng: &mut BenchRng) {
    compare_verifier(
        runner,
        rng,
        totp(),
        Input::RightFirstSlot,
        Input::RightLastSlot,
    );
}

/// Steam Guard codes through `Verifier::check`: a near miss against a far one (the masked
/// alphabet and truncation are on this path).
fn steam_wrong_all_vs_last(runner: &mut CtRunner, rng: &mut BenchRng) {
    let steam = Totp::steam(KEY).expect("a Steam TOTP");
    compare_verifier(
        runner,
        rng,
        steam,
        Input::WrongAllDigits,
        Input::WrongLastDigit,
    );
}

/// Steam Guard codes: where in the window the match is.
fn steam_right_first_vs_last_slot(runner: &mut CtRunner, rng: &mut BenchRng) {
    let steam = Totp::steam(KEY).expect("a Steam TOTP");
    compare_verifier(
        runner,
        rng,
        steam,
        Input::RightFirstSlot,
        Input::RightLastSlot,
    );
}

/// `Hotp::resync` over a look-ahead of 20: a right pair at the first counter against one at
/// the last (both accepted; which counter matched must not show).
fn resync_first_vs_last_pair(runner: &mut CtRunner, rng: &mut BenchRng) {
    let hotp = Hotp::new(Algorithm::Sha1, KEY, Digits::SIX).expect("a valid HOTP");
    let make = |class, rng: &mut BenchRng| {
        let counter = rng.random_range(0..1u64 << 40);
        let at = if matches!(class, Class::Left) {
            counter
        } else {
            counter + 20
        };
        let first = hotp.generate(at).as_str().to_owned();
        let second = hotp.generate(at + 1).as_str().to_owned();
        (first, second, counter)
    };
    classes(runner, rng, make, |(first, second, counter)| {
        hotp.resync(first, second, *counter, 20)
    });
}

/// Recovery-code redemption against ten unused codes: the first stored code against the last
/// (both accepted; which one matched must not show). Each timing draws one of 1024 sets of codes,
/// so that neither class is one fixed string at one fixed address.
fn recovery_first_vs_last_code(runner: &mut CtRunner, rng: &mut BenchRng) {
    let throttle = Policy::default().throttle();
    let state = State::new();
    let key = recovery::Key::from_bytes(&[0x5a; 32]).expect("a 32-byte key");
    let sets: Vec<(recovery::Codes, Typed, Typed)> = (0..1024)
        .map(|_| {
            let (shown, codes) = recovery::Codes::generate_os(&key, 10).expect("recovery codes");
            // Which shown code is stored where is the library's business: find both ends by
            // redeeming each once.
            let position = |code: &recovery::Code| {
                let (_, _, after) = codes.redeem(&key, &state, throttle, code.as_str(), 0);
                codes
                    .unused()
                    .iter()
                    .position(|h| !after.unused().contains(h))
                    .expect("one code redeemed")
            };
            let at = |i| {
                let code = shown.iter().find(|c| position(c) == i).expect("a code");
                Typed::new(code.as_str())
            };
            let (first, last) = (at(0), at(9));
            (codes, first, last)
        })
        .collect();
    // The typed code is copied into the input itself, so that both classes read their text
    // from the same place (read from the set, the last code lay a cache line further on).
    let make = |class, rng: &mut BenchRng| {
        let i = rng.random_range(0..sets.len());
        let (_, first, last) = &sets[i];
        (
            i,
            if matches!(class, Class::Left) {
                *first
            } else {
                *last
            },
        )
    };
    classes(runner, rng, make, |(i, typed)| {
        sets[*i].0.redeem(&key, &state, throttle, typed.as_str(), 0)
    });
}

/// Reads `--filter NAME` and `--continuous NAME`, and ignores the `--bench` that `cargo bench`
/// passes (dudect-bencher's own `ctbench_main!` would refuse it).
fn options() -> BenchOpts {
    let mut opts = BenchOpts::default();
    let mut args = std::env::args().skip(1);
    while let Some(arg) = args.next() {
        match arg.as_str() {
            "--filter" => opts.filter = args.next(),
            "--continuous" => {
                opts.continuous = true;
                opts.filter = args.next();
            }
            _ => {}
        }
    }
    opts
}

fn main() -> std::io::Result<()> {
    let benches: [(&'static str, BenchFn); 10] = [
        ("control_same_class", control_same_class),
        (
            "wrong_all_digits_vs_last_digit",
            wrong_all_digits_vs_last_digit,
        ),
        ("right_first_vs_last_slot", right_first_vs_last_slot),
        (
            "wrong_last_digit_vs_right_last_slot",
            wrong_last_digit_vs_right_last_slot,
        ),
        ("verifier_wrong_all_vs_last", verifier_wrong_all_vs_last),
        (
            "verifier_right_first_vs_last_slot",
            verifier_right_first_vs_last_slot,
        ),
        ("steam_wrong_all_vs_last", steam_wrong_all_vs_last),
        (
            "steam_right_first_vs_last_slot",
            steam_right_first_vs_last_slot,
        ),
        ("resync_first_vs_last_pair", resync_first_vs_last_pair),
        ("recovery_first_vs_last_code", recovery_first_vs_last_code),
    ];
    let benches = benches
        .into_iter()
        .map(|(name, benchfn)| BenchMetadata {
            name: BenchName(name),
            seed: None,
            benchfn,
        })
        .collect();
    run_benches_console(options(), benches)
}
