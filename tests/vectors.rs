//! The published test vectors, read from `tests/data/` and run by one loop each.

// Tests state their expectations bluntly; the library itself may not.
#![allow(
    clippy::unwrap_used,
    clippy::panic,
    clippy::indexing_slicing,
    clippy::cast_possible_truncation,
    clippy::cast_possible_wrap,
    clippy::cast_sign_loss
)]

use otpkit::{Algorithm, Digits, Hotp, Totp, VerifyError, Window, decode_base32};

/// The non-comment, non-blank lines of a data file, split on whitespace.
fn rows(text: &str) -> Vec<Vec<&str>> {
    text.lines()
        .map(str::trim)
        .filter(|l| !l.is_empty() && !l.starts_with('#'))
        .map(|l| l.split_whitespace().collect())
        .collect()
}

/// RFC 6238's seeds: the 20-byte ASCII seed repeated to the MAC length.
fn rfc6238_seed(algorithm: Algorithm) -> Vec<u8> {
    b"12345678901234567890"
        .iter()
        .copied()
        .cycle()
        .take(algorithm.output_len())
        .collect()
}

#[test]
fn rfc4226_appendix_d() {
    let rows = rows(include_str!("data/rfc4226.txt"));
    assert_eq!(rows.len(), 10);
    let hotp = Hotp::new(Algorithm::Sha1, b"12345678901234567890", Digits::SIX).unwrap();
    for row in rows {
        let [counter, code] = row[..] else {
            panic!("bad row {row:?}")
        };
        let counter: u64 = counter.parse().unwrap();
        assert_eq!(hotp.generate(counter).as_str(), code, "counter {counter}");
        // The same code verifies at exactly that counter from any counter up to it.
        let m = hotp.verify(code, 0, 10).unwrap();
        assert_eq!(m.step, counter);
        assert_eq!(m.next_counter(), counter + 1);
    }
}

#[test]
fn rfc6238_appendix_b() {
    let rows = rows(include_str!("data/rfc6238.txt"));
    assert_eq!(rows.len(), 18);
    for row in rows {
        let [time, algorithm, code] = row[..] else {
            panic!("bad row {row:?}")
        };
        let time: u64 = time.parse().unwrap();
        let algorithm: Algorithm = algorithm.parse().unwrap();
        let totp = Totp::new(algorithm, &rfc6238_seed(algorithm), Digits::EIGHT, 30).unwrap();
        assert_eq!(
            totp.generate(time).unwrap().as_str(),
            code,
            "{algorithm} at {time}"
        );
        let m = totp.verify(code, time, Window::EXACT).unwrap();
        assert_eq!((m.step, m.offset), (time / 30, 0));
    }
}

#[test]
fn steam_guard_known_answers() {
    let rows = rows(include_str!("data/steam.txt"));
    assert_eq!(rows.len(), 4);
    let mut buf = [0u8; 20];
    let key = decode_base32("OJZ2BP7STWSLUD7I23Q5AYZELZB5OAFU", &mut buf).unwrap();
    let steam = Totp::steam(key).unwrap();
    for row in rows {
        let [time, code] = row[..] else {
            panic!("bad row {row:?}")
        };
        let time: u64 = time.parse().unwrap();
        assert_eq!(steam.generate(time).unwrap().as_str(), code, "at {time}");
        // Typed in lower case with a space, it still verifies; a digit code is malformed.
        let typed = format!("{} {}", &code[..2], &code[2..]).to_lowercase();
        assert_eq!(
            steam.verify(&typed, time, Window::EXACT).unwrap().step,
            time / 30
        );
        assert!(matches!(
            steam.verify("12345", time, Window::EXACT),
            Err(VerifyError::Malformed(_))
        ));
    }
}
