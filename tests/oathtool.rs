//! Differential tests against a real peer, OATH Toolkit's `oathtool`, on random inputs.
//!
//! CI installs oathtool and sets `CI`, and then these tests require it. Elsewhere, without
//! oathtool, they print that they were skipped. The random cases come from a seed printed at the
//! start; set `OTPKIT_SEED` to replay a run.

// Tests state their expectations bluntly; the library itself may not.
#![allow(
    clippy::unwrap_used,
    clippy::panic,
    clippy::indexing_slicing,
    clippy::cast_possible_truncation,
    clippy::cast_possible_wrap,
    clippy::cast_sign_loss
)]

use std::process::Command;

use otpkit::{Algorithm, Digits, Hotp, Totp};

/// SplitMix64: a small deterministic generator, enough to spread test inputs.
struct Rng(u64);

impl Rng {
    fn next(&mut self) -> u64 {
        self.0 = self.0.wrapping_add(0x9e37_79b9_7f4a_7c15);
        let mut z = self.0;
        z = (z ^ (z >> 30)).wrapping_mul(0xbf58_476d_1ce4_e5b9);
        z = (z ^ (z >> 27)).wrapping_mul(0x94d0_49bb_1331_11eb);
        z ^ (z >> 31)
    }

    fn below(&mut self, n: u64) -> u64 {
        self.next() % n
    }

    fn bytes(&mut self, len: usize) -> Vec<u8> {
        (0..len).map(|_| self.next().to_le_bytes()[0]).collect()
    }
}

fn seeded() -> Rng {
    let seed = std::env::var("OTPKIT_SEED")
        .ok()
        .and_then(|s| s.parse().ok())
        .unwrap_or_else(|| {
            std::time::SystemTime::now()
                .duration_since(std::time::UNIX_EPOCH)
                .map(|d| d.as_nanos() as u64)
                .unwrap_or(1)
        });
    eprintln!("OTPKIT_SEED={seed}");
    Rng(seed)
}

/// Whether oathtool can be run; panics in CI when it cannot.
fn oathtool_available() -> bool {
    let found = Command::new("oathtool").arg("--version").output().is_ok();
    if !found {
        assert!(
            std::env::var_os("CI").is_none(),
            "CI requires oathtool: apt-get install -y oathtool"
        );
        eprintln!("skipped: oathtool is not installed (apt-get install oathtool)");
    }
    found
}

fn hex(bytes: &[u8]) -> String {
    bytes.iter().map(|b| format!("{b:02x}")).collect()
}

fn oathtool(args: &[String]) -> String {
    let out = Command::new("oathtool").args(args).output().unwrap();
    assert!(
        out.status.success(),
        "oathtool {args:?}: {}",
        String::from_utf8_lossy(&out.stderr)
    );
    String::from_utf8(out.stdout).unwrap().trim().to_owned()
}

#[test]
fn totp_matches_oathtool_on_random_inputs() {
    if !oathtool_available() {
        return;
    }
    let mut rng = seeded();
    for case in 0..200 {
        let algorithm = Algorithm::ALL[rng.below(3) as usize];
        // Key lengths from 1 byte to past the SHA-512 block (so long keys are hashed).
        let len = 1 + rng.below(160) as usize;
        let key = rng.bytes(len);
        let digits = Digits::new(6 + rng.below(3) as u8).unwrap(); // oathtool: 6 to 8
        let period = 1 + rng.below(120);
        let t0 = if rng.below(4) == 0 {
            rng.below(1 << 31)
        } else {
            0
        };
        // Up to the start of year 5000, the latest time otpkit takes as seconds (oathtool
        // parses up to 9999).
        let time = t0 + rng.below(Totp::MAX_TIME - t0);
        let totp = Totp::new(algorithm, &key, digits, period)
            .unwrap()
            .with_t0(t0);
        let ours = totp.generate(time).unwrap();
        let mode = algorithm.as_str().replace("SHA", "sha");
        let theirs = oathtool(&[
            format!("--totp={mode}"),
            format!("--digits={}", digits.get()),
            format!("--time-step-size={period}s"),
            format!("--start-time=@{t0}"),
            format!("--now=@{time}"),
            hex(&key),
        ]);
        assert_eq!(
            ours.as_str(),
            theirs,
            "case {case}: {algorithm} {} digits, period {period}, t0 {t0}, time {time}, key {}",
            digits.get(),
            hex(&key)
        );
    }
}

#[test]
fn hotp_matches_oathtool_on_random_inputs() {
    if !oathtool_available() {
        return;
    }
    let mut rng = seeded();
    for case in 0..200 {
        let len = 1 + rng.below(100) as usize;
        let key = rng.bytes(len);
        let digits = Digits::new(6 + rng.below(3) as u8).unwrap();
        // Small counters, huge ones, and the very last.
        let counter = match rng.below(3) {
            0 => rng.below(1000),
            1 => rng.next(),
            _ => u64::MAX - rng.below(3),
        };
        let hotp = Hotp::new(Algorithm::Sha1, &key, digits).unwrap();
        let theirs = oathtool(&[
            "--hotp".into(),
            format!("--digits={}", digits.get()),
            format!("--counter={counter}"),
            hex(&key),
        ]);
        assert_eq!(
            hotp.generate(counter).as_str(),
            theirs,
            "case {case}: counter {counter}, key {}",
            hex(&key)
        );
    }
}

#[test]
fn oathtool_codes_verify_in_our_window() {
    if !oathtool_available() {
        return;
    }
    // The other direction: what the peer generates, we accept at the right offset.
    let mut rng = seeded();
    for _ in 0..50 {
        let key = rng.bytes(20);
        let time = 1_000_000 + rng.below(2_000_000_000);
        let offset = rng.below(3) as i64 - 1;
        let peer_time = (time as i64 + offset * 30) as u64;
        let code = oathtool(&["--totp".into(), format!("--now=@{peer_time}"), hex(&key)]);
        let totp = Totp::new(Algorithm::Sha1, &key, Digits::SIX, 30).unwrap();
        let m = totp.verify(&code, time, otpkit::Window::default()).unwrap();
        assert_eq!(m.step, peer_time / 30);
    }
}
