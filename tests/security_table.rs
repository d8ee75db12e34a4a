//! Runs every row of the parser table in `SECURITY.md` (also the crate docs' "Hardening"
//! section): each input must be refused with exactly the error and message the row shows, so
//! the table cannot drift from the code.

// `KeyUri`, `Secret` and the migration import need an allocator.
#![cfg(feature = "migration")]
// The table reader below is outside any #[test] fn, where clippy.toml's test allowances do not
// reach; a malformed row should stop the test loudly.
#![allow(
    clippy::unwrap_used,
    clippy::expect_used,
    clippy::panic,
    clippy::indexing_slicing
)]

use core::fmt::{Debug, Display};

use otpkit::{
    Algorithm, Digits, Hotp, KeyUri, Secret, Totp, Window, decode_base32, encode_base32, migration,
    recovery,
    verifier::{Policy, State, Verifier},
};

const SECURITY_MD: &str = include_str!("../SECURITY.md");
/// RFC 6238's SHA-1 key; with 6 digits its codes for steps 0 and 1 are 755224 and 287082.
const KEY: &[u8] = b"12345678901234567890";

/// A table cell's input: text (JSON string literals, `× n` to repeat, `+` to join), a
/// number, or a pair of numbers.
#[derive(Debug)]
enum Input {
    Text(String),
    Number(u64),
    Pair(u32, u32),
}

impl Input {
    fn text(&self) -> &str {
        match self {
            Self::Text(text) => text,
            other => panic!("expected text, got {other:?}"),
        }
    }

    fn number(&self) -> u64 {
        match self {
            Self::Number(n) => *n,
            other => panic!("expected a number, got {other:?}"),
        }
    }
}

fn number(text: &str) -> u64 {
    match text.trim() {
        "u32::MAX" => u64::from(u32::MAX),
        "u64::MAX" => u64::MAX,
        n => n.parse().unwrap_or_else(|e| panic!("{n:?}: {e}")),
    }
}

fn parse_input(cell: &str) -> Input {
    if let Some(pair) = cell.strip_prefix('(').and_then(|c| c.strip_suffix(')')) {
        let (a, b) = pair.split_once(',').expect("a pair");
        let n = |t: &str| u32::try_from(number(t)).expect("a u32");
        return Input::Pair(n(a), n(b));
    }
    if !cell.starts_with('"') {
        return Input::Number(number(cell));
    }
    let mut text = String::new();
    let mut rest = cell;
    loop {
        // One JSON string literal: up to the first quote that no backslash escapes.
        let mut end = 1;
        let bytes = rest.as_bytes();
        while bytes[end] != b'"' {
            end += if bytes[end] == b'\\' { 2 } else { 1 };
        }
        let literal: String = serde_json::from_str(&rest[..=end]).expect("a JSON string");
        rest = rest[end + 1..].trim_start();
        let times = match rest.strip_prefix('×') {
            Some(after) => {
                let digits = after.trim_start();
                let len = digits
                    .find(|c: char| !c.is_ascii_digit())
                    .unwrap_or(digits.len());
                rest = digits[len..].trim_start();
                usize::try_from(number(&digits[..len])).unwrap()
            }
            None => 1,
        };
        text.push_str(&literal.repeat(times));
        match rest.strip_prefix('+') {
            Some(after) => rest = after.trim_start(),
            None => break,
        }
    }
    assert!(rest.is_empty(), "left over in {cell:?}: {rest:?}");
    Input::Text(text)
}

/// The `Debug` and `Display` of a policy outcome.
fn outcome<O: Debug + Display>(outcome: &O) -> (String, String) {
    (format!("{outcome:?}"), outcome.to_string())
}

/// The `Debug` and `Display` of the error, or a failure if the input was accepted.
fn refusal<T, E: Debug + Display>(result: Result<T, E>) -> (String, String) {
    match result {
        Ok(_) => panic!("accepted"),
        Err(e) => (format!("{e:?}"), e.to_string()),
    }
}

fn totp() -> Totp {
    Totp::new(Algorithm::Sha1, KEY, Digits::SIX, 30).unwrap()
}

fn hotp() -> Hotp {
    Hotp::new(Algorithm::Sha1, KEY, Digits::SIX).unwrap()
}

/// Runs one row's parser, as its first cell names it, on its input.
fn run(parser: &str, input: &Input) -> (String, String) {
    let window = Window::default();
    match parser {
        "`decode_base32`" => refusal(decode_base32(input.text(), &mut [0u8; 64])),
        "`decode_base32` into 4 bytes" => refusal(decode_base32(input.text(), &mut [0u8; 4])),
        "`encode_base32` into 4 bytes" => {
            refusal(encode_base32(input.text().as_bytes(), &mut [0u8; 4]))
        }
        "`Secret::from_base32`" => refusal(Secret::from_base32(input.text())),
        "`Totp::verify`" => refusal(totp().verify(input.text(), 59, window)),
        "`Totp::verify` with T0 = 60" => {
            refusal(totp().with_t0(60).verify(input.text(), 59, window))
        }
        "`Totp::verify_after` step 1" => refusal(totp().verify_after(input.text(), 59, window, 1)),
        "`Totp::verify` Steam Guard" => {
            refusal(Totp::steam(KEY).unwrap().verify(input.text(), 59, window))
        }
        "`Hotp::verify` counter 0, look-ahead 101" => refusal(hotp().verify(input.text(), 0, 101)),
        "`Hotp::verify` counter `u64::MAX`" => refusal(hotp().verify(input.text(), u64::MAX, 1)),
        "`Hotp::resync` counter 0, look-ahead 1001" => {
            refusal(hotp().resync(input.text(), input.text(), 0, 1001))
        }
        "`Algorithm::from_str`" => refusal(input.text().parse::<Algorithm>()),
        "`Digits::new`" => refusal(Digits::new(u8::try_from(input.number()).unwrap())),
        "`Window::new`" => match input {
            Input::Pair(behind, ahead) => refusal(Window::new(*behind, *ahead)),
            other => panic!("expected a pair, got {other:?}"),
        },
        "`Totp::new` period" => {
            refusal(Totp::new(Algorithm::Sha1, KEY, Digits::SIX, input.number()))
        }
        "`Totp::new` key" => refusal(Totp::new(
            Algorithm::Sha1,
            input.text().as_bytes(),
            Digits::SIX,
            30,
        )),
        "`KeyUri::parse`" => refusal(KeyUri::parse(input.text())),
        "`KeyUri::from_pasted`" => refusal(KeyUri::from_pasted(input.text())),
        "`KeyUri::with_param`" => {
            let key = KeyUri::parse("otpauth://totp/bob?secret=GEZDGNBV").unwrap();
            refusal(key.with_param(input.text(), "GEZDGNBV"))
        }
        "`Totp::from_uri`" => refusal(Totp::from_uri(input.text())),
        "`Totp::generate` time" => refusal(totp().generate(input.number())),
        "`migration::import`" => refusal(migration::import(input.text())),
        "`Verifier::check`" => {
            let verifier = Verifier::totp(totp(), Policy::default());
            outcome(&verifier.check(&State::new(), input.text(), 59).0)
        }
        "`recovery::Codes::redeem`" => {
            let codes = recovery::Codes::from_parts([7; 16], vec![[0; 32]], Vec::new()).unwrap();
            let key = recovery::Key::from_bytes(&[7; 32]).unwrap();
            let throttle = Policy::default().throttle();
            outcome(
                &codes
                    .redeem(&key, &State::new(), throttle, input.text(), 59)
                    .0,
            )
        }
        other => panic!("no runner for the parser cell {other:?}"),
    }
}

#[test]
fn every_row_of_the_parser_table_holds() {
    let table = SECURITY_MD
        .split("## Parsers and what they refuse")
        .nth(1)
        .expect("the parser table section");
    let mut rows = 0;
    for line in table.lines().filter(|l| l.starts_with("| `")) {
        let cells: Vec<&str> = line.trim_matches('|').split(" | ").map(str::trim).collect();
        let [parser, input, error, message] = cells[..] else {
            panic!("a row needs four cells: {line}");
        };
        let input = parse_input(input.trim_matches('`'));
        let (debug, display) = run(parser, &input);
        assert_eq!(debug, error.trim_matches('`'), "{line}");
        assert_eq!(display, message, "{line}");
        rows += 1;
    }
    assert!(rows >= 40, "only {rows} rows found");
}

#[test]
fn the_input_syntax_reads_as_documented() {
    assert_eq!(parse_input(r#""a\tb""#).text(), "a\tb");
    assert_eq!(parse_input(r#""ab" × 3"#).text(), "ababab");
    assert_eq!(parse_input(r#""x" + "y" × 2"#).text(), "xyy");
    assert_eq!(parse_input("11").number(), 11);
    assert!(matches!(
        parse_input("(0, u32::MAX)"),
        Input::Pair(0, u32::MAX)
    ));
}
