//! A key typed at a terminal is read without echo: `otpkit code` with no KEY, its standard
//! input a pseudo-terminal.
//!
//! How: util-linux's `script -qfec CMD /dev/null` gives CMD a pseudo-terminal and passes our
//! pipe's bytes to it as typing. We wait until the prompt is on the screen, type the key, and
//! check that the screen shows the prompt and the code but never the key.
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]

mod common;

use std::io::{Read, Write};
use std::process::{Command, Stdio};

use otpkit::{Algorithm, Digits, Secret, Totp};

#[test]
fn a_key_typed_at_a_terminal_is_not_echoed() {
    if !common::have("script", "a_key_typed_at_a_terminal_is_not_echoed") {
        return;
    }
    let key = "JBSWY3DPEHPK3PXP";
    let command = format!("{} code --time 59", env!("CARGO_BIN_EXE_otpkit"));
    let mut child = Command::new("script")
        .args(["-qfec", &command, "/dev/null"])
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .unwrap();
    let mut stdout = child.stdout.take().unwrap();
    let mut screen = Vec::new();
    let prompt = b"key (base32 or otpauth:// URI): ";
    while !screen.windows(prompt.len()).any(|w| w == prompt) {
        let mut byte = [0u8; 1];
        assert_eq!(stdout.read(&mut byte).unwrap(), 1, "no prompt: {screen:?}");
        screen.push(byte[0]);
    }
    // The prompt is written just before echo is turned off: give that a moment to happen.
    std::thread::sleep(core::time::Duration::from_millis(500));
    let mut stdin = child.stdin.take().unwrap();
    stdin.write_all(format!("{key}\r").as_bytes()).unwrap();
    stdout.read_to_end(&mut screen).unwrap();
    drop(stdin);
    assert!(child.wait().unwrap().success());
    let screen = String::from_utf8(screen).unwrap();

    let secret = Secret::from_base32(key).unwrap();
    let code = Totp::new(Algorithm::Sha1, secret.as_bytes(), Digits::SIX, 30)
        .unwrap()
        .generate(59)
        .unwrap();
    assert!(screen.contains(&format!("{code}\r\n")), "{screen:?}");
    assert!(!screen.contains("JBSW"), "the key was echoed: {screen:?}");
}
