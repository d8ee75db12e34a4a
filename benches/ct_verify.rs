//! Constant-time evidence for `Totp::verify`: dudect's test (Reparaz, Balasch, Verbauwhede,
//! "Dude, is my code constant time?", 2017) through the `dudect-bencher` crate.
//!
//! Each benchmark times verification over a ±1 window for two classes of input drawn at
//! random and interleaved, then applies Welch's t-test to the two timing distributions (and
//! to cropped versions of them). `|t| < 4.5` is the customary threshold for "no timing
//! difference found"; a larger `|t|` is a leak worth looking at. This is evidence, not a
//! proof, and not a CI gate: the figures depend on the machine and its load.
//!
//! ```sh
//! cargo bench --bench ct_verify                          # every pair, 2 million timings each
//! cargo bench --bench ct_verify -- --filter right_first  # one pair
//! cargo bench --bench ct_verify -- --continuous wrong    # one pair until Ctrl-C
//! ```

// A bench is a program: if its setup fails it should stop loudly.
#![allow(clippy::expect_used)]

use dudect_bencher::ctbench::{BenchFn, BenchMetadata, BenchName, BenchOpts, run_benches_console};
use dudect_bencher::rand::RngExt;
use dudect_bencher::{BenchRng, Class, CtRunner};
use otpkit::{Algorithm, Digits, Totp, Window};

/// Timings per benchmark run, both classes together.
const SAMPLES: usize = 2_000_000;
/// RFC 6238's SHA-1 test key.
const KEY: &[u8] = b"12345678901234567890";

/// What the user typed, relative to the codes of the window around the current step.
#[derive(Clone, Copy)]
enum Input {
    /// Wrong: every digit differs from the current step's code.
    WrongAllDigits,
    /// Wrong: only the last digit differs from the current step's code.
    WrongLastDigit,
    /// Right: the code of the step before the current one (the window's first slot).
    RightFirstSlot,
    /// Right: the code of the step after the current one (the window's last slot).
    RightLastSlot,
}

fn totp() -> Totp {
    Totp::new(Algorithm::Sha1, KEY, Digits::SIX, 30).expect("a valid TOTP")
}

/// One typed code of the given kind at a random time, as ASCII digits, and that time. A
/// wrong code that happens to match another step of the window is drawn again.
fn draw(totp: &Totp, kind: Input, rng: &mut BenchRng) -> ([u8; 6], u64) {
    loop {
        let step = rng.random_range(1..1u64 << 40);
        let time = step * 30 + rng.random_range(0..30u64);
        let code_of = |s: u64| -> [u8; 6] {
            let code = totp.generate_at_step(s);
            code.as_bytes().try_into().expect("six digits")
        };
        let current = code_of(step);
        let typed = match kind {
            Input::WrongAllDigits => current.map(|d| b'0' + (d - b'0' + 5) % 10),
            Input::WrongLastDigit => {
                let mut typed = current;
                if let Some(last) = typed.last_mut() {
                    *last = b'0' + (*last - b'0' + 1) % 10;
                }
                typed
            }
            Input::RightFirstSlot => code_of(step - 1),
            Input::RightLastSlot => code_of(step + 1),
        };
        let matches_window = [step - 1, step, step + 1]
            .iter()
            .any(|&s| code_of(s) == typed);
        let wrong = matches!(kind, Input::WrongAllDigits | Input::WrongLastDigit);
        if matches_window != wrong {
            return (typed, time);
        }
    }
}

/// Draws `SAMPLES` inputs, each from `left` or `right` at random, then times `verify` on each.
/// Inputs are made before any timing so that only verification is measured.
fn compare(runner: &mut CtRunner, rng: &mut BenchRng, left: Input, right: Input) {
    let totp = totp();
    let window = Window::default();
    let inputs: Vec<(Class, [u8; 6], u64)> = (0..SAMPLES)
        .map(|_| {
            let (class, kind) = if rng.random::<bool>() {
                (Class::Left, left)
            } else {
                (Class::Right, right)
            };
            let (typed, time) = draw(&totp, kind, rng);
            (class, typed, time)
        })
        .collect();
    for (class, typed, time) in inputs {
        runner.run_one(class, || {
            let text = core::str::from_utf8(&typed).unwrap_or_default();
            totp.verify(text, time, window)
        });
    }
}

/// Both wrong: must not tell a near miss from a far one.
fn wrong_all_digits_vs_last_digit(runner: &mut CtRunner, rng: &mut BenchRng) {
    compare(runner, rng, Input::WrongAllDigits, Input::WrongLastDigit);
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
    let benches: [(&'static str, BenchFn); 3] = [
        (
            "wrong_all_digits_vs_last_digit",
            wrong_all_digits_vs_last_digit,
        ),
        ("right_first_vs_last_slot", right_first_vs_last_slot),
        (
            "wrong_last_digit_vs_right_last_slot",
            wrong_last_digit_vs_right_last_slot,
        ),
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
