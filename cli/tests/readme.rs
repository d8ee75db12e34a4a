//! The README's `otpkit` session is real: each `$` command in it is run again here (by `sh`,
//! in a scratch directory, with this build's `otpkit` first on `PATH`) and must print what the
//! README shows. `new` makes a fresh secret, so its lines are checked for shape only.
#![allow(
    clippy::unwrap_used,
    clippy::expect_used,
    clippy::panic,
    clippy::indexing_slicing
)]

use std::path::Path;
use std::process::Command;

use otpkit::KeyUri;

#[test]
fn readme_session_is_what_otpkit_prints() {
    let readme = include_str!("../../README.md");
    let start = readme.find("## The `otpkit` command").expect("the section");
    let block = &readme[start..];
    let block = &block[block.find("```text\n").unwrap() + 8..];
    let block = &block[..block.find("```").unwrap()];

    // (command, the lines shown after it)
    let mut session: Vec<(&str, Vec<&str>)> = Vec::new();
    for line in block.lines() {
        match line.strip_prefix("$ ") {
            Some(command) => session.push((command, Vec::new())),
            None => session.last_mut().unwrap().1.push(line),
        }
    }
    assert!(session.len() >= 7, "{session:?}");

    let dir = Path::new(env!("CARGO_TARGET_TMPDIR")).join("readme-session");
    std::fs::create_dir_all(&dir).unwrap();
    let bin_dir = Path::new(env!("CARGO_BIN_EXE_otpkit")).parent().unwrap();
    let path = format!(
        "{}:{}",
        bin_dir.display(),
        std::env::var("PATH").unwrap_or_default()
    );
    for (command, shown) in session {
        let out = Command::new("sh")
            .args(["-c", &format!("{{ {command}\n}} 2>&1")])
            .current_dir(&dir)
            .env("PATH", &path)
            .output()
            .unwrap();
        let printed = String::from_utf8(out.stdout).unwrap();
        let printed: Vec<&str> = printed.lines().collect();
        if command.starts_with("otpkit new ") {
            assert_eq!(printed.len(), 2, "{printed:?}");
            let key = KeyUri::parse(printed[0]).unwrap();
            assert_eq!(
                (key.issuer(), key.account()),
                (Some("ACME Co"), "alice@example.com")
            );
            assert!(printed[1].starts_with("key: ") && printed[1].ends_with(" (160 bits)"));
            assert!(dir.join("alice.svg").exists());
        } else {
            assert_eq!(printed, shown, "$ {command}");
        }
    }
}
