//! `otpkit new` (with `--svg` and `--confirm`) and `otpkit demo`: the seed flow through the
//! binary, checked against the library reading what the binary printed.
#![allow(
    clippy::unwrap_used,
    clippy::expect_used,
    clippy::panic,
    clippy::indexing_slicing
)]

mod common;

use std::io::{BufRead, BufReader, Read, Write};
use std::process::{Command, Stdio};
use std::time::{SystemTime, UNIX_EPOCH};

use common::{otpkit, otpkit_stdin};
use otpkit::{Algorithm, Credential, Digits, KeyUri, Secret, Totp, credential::Kind, qr::QrCode};

fn unix_now() -> u64 {
    SystemTime::now()
        .duration_since(UNIX_EPOCH)
        .unwrap()
        .as_secs()
}

/// Base32 grouped in fours, as `new` and `demo` print keys (written here from the rule).
fn in_fours(text: &str) -> String {
    let chars: Vec<char> = text.chars().collect();
    chars
        .chunks(4)
        .map(|c| c.iter().collect::<String>())
        .collect::<Vec<_>>()
        .join(" ")
}

#[test]
fn new_prints_the_uri_the_key_and_a_qr_code() {
    let run = otpkit(&[
        "new",
        "--issuer",
        "Example",
        "--account",
        "alice@example.com",
    ]);
    let out = run.ok();
    let mut lines = out.splitn(3, '\n');
    let uri = lines.next().unwrap();
    let key_line = lines.next().unwrap();
    let qr = lines.next().unwrap();
    let key = KeyUri::parse(uri).unwrap();
    assert_eq!(
        (key.issuer(), key.label_issuer(), key.account()),
        (Some("Example"), Some("Example"), "alice@example.com")
    );
    let credential = key.credential();
    assert_eq!(credential.kind(), Kind::Totp { period: 30, t0: 0 });
    assert_eq!(
        (credential.algorithm(), credential.digits()),
        (Algorithm::Sha1, Digits::SIX)
    );
    assert_eq!(credential.secret().bits(), 160);
    assert_eq!(
        key_line,
        format!(
            "key: {} (160 bits)",
            in_fours(&credential.secret().to_base32())
        )
    );
    assert_eq!(qr, QrCode::new(uri).unwrap().to_terminal().as_str());

    // A fresh secret every time.
    let again = otpkit(&[
        "new",
        "--issuer",
        "Example",
        "--account",
        "alice@example.com",
        "--no-qr",
    ]);
    let other = KeyUri::parse(again.ok().lines().next().unwrap()).unwrap();
    assert_ne!(other.credential().secret(), credential.secret());
    assert_eq!(
        again.stdout.lines().count(),
        2,
        "--no-qr: the URI and the key only"
    );
}

#[test]
fn new_takes_the_code_parameters_and_writes_an_svg() {
    let svg = format!("{}/new-qr.svg", env!("CARGO_TARGET_TMPDIR"));
    let run = otpkit(&[
        "new",
        "--issuer",
        "ACME Co",
        "--account",
        "bob",
        "--algorithm",
        "SHA512",
        "--digits",
        "8",
        "--period",
        "60",
        "--bits",
        "256",
        "--svg",
        &svg,
        "--no-qr",
    ]);
    let uri = run.ok().lines().next().unwrap().to_owned();
    let key = KeyUri::parse(&uri).unwrap();
    let credential = key.credential();
    assert_eq!(credential.kind(), Kind::Totp { period: 60, t0: 0 });
    assert_eq!(
        (credential.algorithm(), credential.digits()),
        (Algorithm::Sha512, Digits::EIGHT)
    );
    assert_eq!(credential.secret().bits(), 256);
    assert_eq!(
        std::fs::read_to_string(&svg).unwrap(),
        QrCode::new(&uri).unwrap().to_svg().as_str()
    );
    #[cfg(unix)]
    {
        use std::os::unix::fs::PermissionsExt;
        let mode = std::fs::metadata(&svg).unwrap().permissions().mode();
        assert_eq!(mode & 0o077, 0, "the QR code holds the secret: owner only");
    }
}

#[test]
fn new_errors() {
    let cases: [(&[&str], &str); 8] = [
        (
            &[
                "new",
                "--issuer",
                "Example",
                "--account",
                "a",
                "--bits",
                "80",
            ],
            "otpkit: --bits: a new secret must have at least 128 bits, got 80",
        ),
        (
            &[
                "new",
                "--issuer",
                "Example",
                "--account",
                "a",
                "--bits",
                "130",
            ],
            "otpkit: --bits: a secret must be a whole number of bytes, got 130 bits",
        ),
        (
            &["new", "--issuer", " ", "--account", "a"],
            "otpkit: --issuer and --account: issuer is empty",
        ),
        (
            &[
                "new",
                "--issuer",
                "Example",
                "--account",
                "a",
                "--digits",
                "11",
            ],
            "otpkit: invalid value for --digits <N>: digits must be between 6 and 10, got 11; see `otpkit new --help`",
        ),
        // The same check and the same words as `code` and `verify` (one argument group).
        (
            &[
                "new",
                "--issuer",
                "Example",
                "--account",
                "a",
                "--period",
                "0",
            ],
            "otpkit: invalid value for --period <SECONDS>: period must be at least 1 second; see `otpkit new --help`",
        ),
        // The Key Uri Format forbids a colon in either name; otpauth (npm) splits on it even
        // as %3A, so the account would read as something else.
        (
            &["new", "--issuer", "ACME:EU", "--account", "a"],
            "otpkit: --issuer cannot contain ':', which separates issuer and account in the URI (apps misread it even as %3A): use another character, such as '-'",
        ),
        (
            &["new", "--issuer", "ACME", "--account", "eu:alice"],
            "otpkit: --account cannot contain ':', which separates issuer and account in the URI (apps misread it even as %3A): use another character, such as '-'",
        ),
        (
            &[
                "new",
                "--issuer",
                "ACME",
                "--account",
                "a",
                "--bits",
                "2048",
            ],
            "otpkit: --bits: a new secret must have at most 1024 bits, got 2048",
        ),
    ];
    for (args, want) in cases {
        assert_eq!(otpkit(args).error(), want);
    }
}

/// Over 512 bits or 8 digits the key is still made, with one warning line on stderr (otplib or
/// pyotp refuse such keys: `peers.rs` checks that); within them there is none.
#[test]
fn new_warns_of_keys_that_some_clients_refuse() {
    let new = |bits: &str| {
        otpkit(&[
            "new",
            "--issuer",
            "Example",
            "--account",
            "a",
            "--no-qr",
            "--bits",
            bits,
        ])
    };
    for (bits, warned) in [
        ("512", false),
        ("520", true),
        ("1024", true),
        ("160", false),
    ] {
        let run = new(bits);
        let uri = run.ok().lines().next().unwrap().to_owned();
        assert_eq!(
            KeyUri::parse(&uri).unwrap().credential().secret().bits(),
            bits.parse::<usize>().unwrap()
        );
        let want = if warned {
            format!(
                "otpkit: warning: a {bits}-bit secret is longer than some verifiers accept \
                 (otplib takes at most 512): use --bits 512 or less if they must read it\n"
            )
        } else {
            String::new()
        };
        assert_eq!(run.stderr, want, "--bits {bits}");
    }
    // Codes of 9 and 10 digits likewise (pyotp and otplib read 6 to 8).
    for (digits, warned) in [("8", false), ("9", true), ("10", true)] {
        let run = otpkit(&[
            "new",
            "--issuer",
            "Example",
            "--account",
            "a",
            "--no-qr",
            "--digits",
            digits,
        ]);
        let uri = run.ok().lines().next().unwrap().to_owned();
        assert_eq!(
            KeyUri::parse(&uri)
                .unwrap()
                .credential()
                .code_len()
                .to_string(),
            digits
        );
        let want = if warned {
            format!(
                "otpkit: warning: {digits}-digit codes are longer than some apps and libraries \
                 read (pyotp and otplib take 6 to 8): use --digits 8 or less if they must read it\n"
            )
        } else {
            String::new()
        };
        assert_eq!(run.stderr, want, "--digits {digits}");
    }
}

/// Runs `new --confirm`, reads the URI it prints, and answers with `answer(totp)`.
fn confirm_with(answer: impl Fn(&Totp) -> String) -> common::Run {
    let mut child = Command::new(env!("CARGO_BIN_EXE_otpkit"))
        .args([
            "new",
            "--issuer",
            "Example",
            "--account",
            "alice",
            "--confirm",
        ])
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .unwrap();
    let mut stdout = BufReader::new(child.stdout.take().unwrap());
    let mut uri = String::new();
    stdout.read_line(&mut uri).unwrap();
    let totp = KeyUri::parse(&uri).unwrap().credential().to_totp().unwrap();
    let mut stdin = child.stdin.take().unwrap();
    writeln!(stdin, "{}", answer(&totp)).unwrap();
    drop(stdin);
    let mut rest = String::new();
    stdout.read_to_string(&mut rest).unwrap();
    let mut stderr = String::new();
    child
        .stderr
        .take()
        .unwrap()
        .read_to_string(&mut stderr)
        .unwrap();
    let status = child.wait().unwrap().code().unwrap();
    common::Run {
        status,
        stdout: uri + &rest,
        stderr,
    }
}

#[test]
fn new_confirm_accepts_the_apps_code_and_refuses_others() {
    let accepted = confirm_with(|totp| totp.generate(unix_now()).unwrap().to_string());
    let last = accepted.ok().lines().last().unwrap();
    assert!(
        last.starts_with("confirmed: store the credential with last step "),
        "{last}"
    );

    // The code of ten minutes ago is a well-formed code that no step of the window has.
    let refused = confirm_with(|totp| {
        let now = unix_now();
        let window: Vec<String> = [now - 30, now, now + 30]
            .iter()
            .map(|&t| totp.generate(t).unwrap().to_string())
            .collect();
        (1..100)
            .map(|m| totp.generate(now - 600 * m).unwrap().to_string())
            .find(|c| !window.contains(c))
            .unwrap()
    });
    assert_eq!(refused.status, 2, "{refused:?}");
    assert_eq!(
        refused.stderr,
        "otpkit: code refused: the enrolment is not confirmed\n"
    );
    assert!(!refused.stdout.contains("confirmed:"));

    let malformed = confirm_with(|_| String::from("12345"));
    assert_eq!(malformed.status, 1);
    assert_eq!(
        malformed.stderr,
        "otpkit: the code: malformed code: code must have 6 characters, got 5: type the code the app shows for the new key\n"
    );

    let empty = otpkit_stdin(
        &[
            "new",
            "--issuer",
            "E",
            "--account",
            "a",
            "--confirm",
            "--no-qr",
        ],
        "",
    );
    assert_eq!(empty.status, 1);
    assert_eq!(
        empty.stderr,
        "otpkit: no code on standard input: type the code the app shows for the new key\n"
    );
}

#[test]
fn demo_walks_the_seed_flow() {
    let start = unix_now();
    let run = otpkit(&["demo"]);
    let end = unix_now();
    let out = run.ok();
    let titles: Vec<&str> = out
        .lines()
        .filter(|l| l.as_bytes()[0].is_ascii_digit())
        .collect();
    assert_eq!(
        titles,
        [
            "1. Service: start an enrolment, show the QR code and the key",
            "2. Authenticator: read the key, show the code",
            "3. Service: confirm the first code",
            "4. Later login, 45 s on: the new code verifies",
            "5. Replay: the same code again is refused",
            "6. A code from outside the window is refused",
        ]
    );
    let body = |n: usize| -> Vec<&str> {
        let from = out.find(titles[n - 1]).unwrap() + titles[n - 1].len() + 1;
        let to = titles.get(n).map_or(out.len(), |t| out.find(t).unwrap());
        out[from..to].lines().collect()
    };

    // 1: the key, and a QR code of the URI an app would read for it.
    let step1 = body(1);
    let key_line = step1.last().unwrap().trim();
    let grouped = key_line
        .strip_prefix("key: ")
        .unwrap()
        .strip_suffix(" (160 bits)")
        .unwrap();
    let secret = Secret::from_base32(grouped).unwrap();
    let credential = Credential::totp(secret, Algorithm::Sha1, Digits::SIX, 30).unwrap();
    let totp = credential.to_totp().unwrap();
    let uri = KeyUri::new(credential, Some("Azets Cozone"), "ada.lovelace@example.com")
        .unwrap()
        .to_uri();
    let qr: String = step1[1..step1.len() - 1]
        .iter()
        .map(|l| format!("{l}\n"))
        .collect();
    assert_eq!(qr, QrCode::new(&uri).unwrap().to_terminal().as_str());

    // 2: the app's code and seconds left, for a moment during the run.
    let step2 = body(2).join("\n");
    let shown = step2
        .trim()
        .strip_prefix("Azets Cozone (ada.lovelace@example.com): ")
        .unwrap();
    let (code, left) = shown.split_once(", ").unwrap();
    let left: u64 = left.strip_suffix(" s left").unwrap().parse().unwrap();
    let at: Vec<u64> = (start..=end)
        .filter(|&t| {
            totp.generate(t).unwrap().as_str() == code && totp.seconds_left(t).unwrap() == left
        })
        .collect();
    assert!(!at.is_empty(), "{shown} is not the code of {start}..={end}");

    // 3: that code confirms the enrolment, typed 4 s after it was shown (a step earlier, if a
    // new step began meanwhile).
    let offset = if left > 4 { "0" } else { "-1" };
    let step3 = body(3)[0].trim().to_owned();
    assert!(
        step3.starts_with(&format!("{code} accepted (clock offset {offset})")),
        "{step3}"
    );
    // 4: the code 45 s later logs in.
    let later = totp.generate(at[0] + 45).unwrap();
    assert!(
        body(4)[0].trim().starts_with(&format!("{later} accepted")),
        "{:?}",
        body(4)
    );
    // 5: replaying it is refused as a replay.
    assert_eq!(
        body(5)[0].trim(),
        format!("{later} refused: code was already used")
    );
    // 6: an old code is refused as not matching.
    let step6 = body(6)[0].trim().to_owned();
    assert!(
        step6.ends_with("minutes earlier, refused: wrong code"),
        "{step6}"
    );
    let old = &step6[..6];
    let minutes: u64 = step6
        .split("the code of ")
        .nth(1)
        .unwrap()
        .split(' ')
        .next()
        .unwrap()
        .parse()
        .unwrap();
    assert_eq!(
        totp.generate(at[0] + 45 + 4 - minutes * 60)
            .unwrap()
            .as_str(),
        old
    );
}
