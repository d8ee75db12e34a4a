//! `otpkit code --watch` in a pseudo-terminal.
//!
//! How: util-linux's `script -qfec CMD /dev/null` runs CMD with a pseudo-terminal as its
//! standard output and copies what it draws to ours; `timeout -s INT 5` presses Ctrl-C (sends
//! SIGINT) after about five redraws. We then split the output into frames and check each one.
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]

mod common;

use std::process::{Command, Stdio};
use std::time::{SystemTime, UNIX_EPOCH};

use otpkit::{Algorithm, Digits, Secret, Totp};

fn unix_now() -> u64 {
    SystemTime::now()
        .duration_since(UNIX_EPOCH)
        .unwrap()
        .as_secs()
}

#[test]
fn watch_redraws_the_code_and_the_seconds_left() {
    if !common::have("script", "watch_redraws_the_code_and_the_seconds_left")
        || !common::have("timeout", "watch_redraws_the_code_and_the_seconds_left")
    {
        return;
    }
    let key = "JBSWY3DPEHPK3PXP";
    let uri = format!("otpauth://totp/ACME%20Co:alice@example.com?secret={key}&issuer=ACME%20Co");
    let command = format!(
        "timeout --preserve-status -s INT 5 {} code --watch '{uri}'",
        env!("CARGO_BIN_EXE_otpkit")
    );
    let start = unix_now();
    let out = Command::new("script")
        .args(["-qfec", &command, "/dev/null"])
        .stdin(Stdio::null())
        .output()
        .unwrap();
    let end = unix_now();
    let screen = String::from_utf8(out.stdout).unwrap();
    // Ctrl-C ends the watch as a success, with its line finished.
    assert_eq!(out.status.code(), Some(0), "{screen:?}");
    let screen = screen
        .strip_suffix("\r\n")
        .expect("Ctrl-C finishes the line")
        .strip_prefix("ACME Co (alice@example.com)\r\n")
        .expect("the account above the code")
        .to_owned();

    let secret = Secret::from_base32(key).unwrap();
    let totp = Totp::new(Algorithm::Sha1, secret.as_bytes(), Digits::SIX, 30).unwrap();
    let codes: Vec<String> = (start..=end)
        .map(|t| totp.generate(t).unwrap().to_string())
        .collect();

    // Each redraw returns to the start of the line and erases it.
    let frames: Vec<&str> = screen
        .split("\r\x1b[2K")
        .filter(|f| !f.is_empty())
        .collect();
    assert!(frames.len() >= 2, "at least one refresh: {screen:?}");
    let mut lefts = Vec::new();
    for frame in &frames {
        let parts: Vec<&str> = frame.split_whitespace().collect();
        let [code, bar, left, "left"] = parts[..] else {
            panic!("frame {frame:?}");
        };
        assert!(
            codes.iter().any(|c| c == code),
            "{code} is not a code of {start}..={end}"
        );
        let left: u64 = left.strip_suffix('s').unwrap().parse().unwrap();
        assert!((1..=30).contains(&left), "{frame:?}");
        // With a 30-second period and a 30-cell bar, one full cell per second left.
        assert_eq!(bar.chars().count(), 30);
        assert_eq!(
            bar.chars().filter(|&c| c == '█').count() as u64,
            left,
            "{frame:?}"
        );
        lefts.push(left);
    }
    // Each redraw is for a later second: the count moves (down, or back up at a new step).
    for pair in lefts.windows(2) {
        assert_ne!(pair[0], pair[1], "{lefts:?}");
    }
}
