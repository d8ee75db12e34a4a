//! What a crafted URI or a misplaced key can make the binary print: terminal controls from a
//! URI are shown escaped (text) or as JSON escapes (JSON), a key typed where a flag's value
//! belongs is never repeated in the error, and `new --svg` never leaves the secret readable.
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]

mod common;

use common::{otpkit, scratch_file};

const KEY: &str = "JBSWY3DPEHPK3PXP";

/// A key that really is SHA-256 / 8 digits / 60 s, whose names try to clear the screen,
/// move the cursor up and rewrite the lines above (so it would *display* as SHA-1 / 6 / 30),
/// set the window title and the clipboard (OSC 0 and OSC 52), hide text with a C1 CSI, and
/// reverse it with a bidi override.
fn hostile_uri() -> String {
    let issuer = "%1B%5D0%3Bpwned%07%1B%5D52%3Bc%3BZXZpbA%3D%3D%07Evil%E2%80%AE";
    let account = "al%C2%9B2Kice%1B%5B3A%1B%5B2Kalgorithm%20SHA1%7F";
    format!(
        "otpauth://totp/{issuer}:{account}?secret={KEY}&issuer={issuer}&algorithm=SHA256\
         &digits=8&period=60&note=%1B%5B1A%E2%81%A6x"
    )
}

/// Every character a terminal acts on or reorders by, but the line feed that ends a line.
fn terminal_controls(text: &str) -> Vec<char> {
    text.chars()
        .filter(|&c| {
            (c != '\n' && c.is_control())
                || matches!(c, '\u{61c}' | '\u{200e}' | '\u{200f}')
                || ('\u{202a}'..='\u{202e}').contains(&c)
                || ('\u{2066}'..='\u{2069}').contains(&c)
        })
        .collect()
}

#[test]
fn inspect_shows_terminal_controls_escaped() {
    let run = otpkit(&["inspect", &hostile_uri()]);
    let out = run.ok();
    assert_eq!(terminal_controls(out), Vec::<char>::new(), "{out:?}");
    // The real parameters, each on its own line, unaltered by the names.
    assert!(out.contains("\nalgorithm     SHA256\n"), "{out}");
    assert!(out.contains("\ndigits        8\n"), "{out}");
    assert!(out.contains("\nperiod        60 s"), "{out}");
    // The names are still all there, visibly.
    assert!(
        out.contains("issuer        \\x1B]0;pwned\\x07\\x1B]52;c;ZXZpbA==\\x07Evil\\u{202E}\n"),
        "{out}"
    );
    assert!(
        out.contains("account       al\\u{9B}2Kice\\x1B[3A\\x1B[2Kalgorithm SHA1\\x7F\n"),
        "{out}"
    );
    assert!(
        out.contains("param         note=\\x1B[1A\\u{2066}x\n"),
        "{out}"
    );
}

#[test]
fn json_output_escapes_terminal_controls_and_reads_back_the_same() {
    let uri = hostile_uri();
    let out = otpkit(&["inspect", "--json", uri.as_str()]).ok().to_owned();
    assert_eq!(terminal_controls(&out), Vec::<char>::new(), "{out:?}");
    let value: serde_json::Value = serde_json::from_str(&out).unwrap();
    let key = otpkit::KeyUri::parse(&uri).unwrap();
    assert_eq!(value["account"], key.account());
    assert_eq!(value["issuer"], key.issuer().unwrap());
    assert_eq!(value["params"]["note"], "\u{1b}[1A\u{2066}x");
    assert_eq!(value["algorithm"], "SHA256");
    // import --json writes the same objects through the same writer.
    // (Google Authenticator exports carry no period: this key keeps 30 s.)
    let exportable = uri.replace("&period=60", "");
    let key = otpkit::KeyUri::parse(&exportable).unwrap();
    let export = otpkit::migration::export(core::slice::from_ref(&key)).unwrap();
    let out = otpkit(&["import", "--json", export[0].as_str()])
        .ok()
        .to_owned();
    assert_eq!(terminal_controls(&out), Vec::<char>::new(), "{out:?}");
    let value: serde_json::Value = serde_json::from_str(&out).unwrap();
    assert_eq!(value[0]["account"], key.account());
    assert_eq!(value[0]["issuer"], key.issuer().unwrap());
}

#[test]
fn a_key_where_a_flags_value_belongs_is_not_repeated() {
    for flags in [
        &["code", "--hotp", "--counter", KEY][..],
        &["code", "--digits", KEY],
        &["code", "--time", KEY],
        &["code", "--time=JBSWY3DPEHPK3PXP"],
        &["code", "--t0", KEY],
        &["code", "--algorithm", KEY],
        &["code", "--period", KEY],
        &["verify", "--code", "123456", "--window", KEY],
        &["new", "--issuer", "X", "--account", "y", "--bits", KEY],
    ] {
        let mut args = flags.to_vec();
        if args[0] != "new" {
            args.push(KEY);
        }
        let run = otpkit(&args);
        let message = run.error();
        assert!(!message.contains(KEY), "{args:?}: {message}");
        assert!(
            message.contains("invalid value for --"),
            "{args:?}: {message}"
        );
    }
    let run = otpkit(&["code", "--key-file", KEY]);
    let message = run.error();
    assert!(!message.contains(KEY), "{message}");
    assert!(message.starts_with("otpkit: cannot read the file given to --key-file"));
}

#[test]
fn code_watch_names_the_account_escaped() {
    if !common::have("script", "code_watch_names_the_account_escaped")
        || !common::have("timeout", "code_watch_names_the_account_escaped")
    {
        return;
    }
    let command = format!(
        "timeout --preserve-status -s INT 2 {} code --watch '{}'",
        env!("CARGO_BIN_EXE_otpkit"),
        hostile_uri()
    );
    let out = std::process::Command::new("script")
        .args(["-qfec", &command, "/dev/null"])
        .stdin(std::process::Stdio::null())
        .output()
        .unwrap();
    let text = String::from_utf8(out.stdout).unwrap();
    // The name line, visible; no OSC (title, clipboard) and no cursor movement from the URI.
    assert!(
        text.contains("\\x1B]52;c;ZXZpbA==\\x07Evil\\u{202E}"),
        "{text:?}"
    );
    assert!(!text.contains("\u{1b}]"), "{text:?}");
    assert!(
        !text.contains("\u{1b}[3A") && !text.contains("\u{9b}"),
        "{text:?}"
    );
}

#[cfg(unix)]
#[test]
fn new_svg_replaces_an_existing_file_or_link_with_a_private_one() {
    use std::os::unix::fs::{PermissionsExt, symlink};

    let dir = scratch_file("svg-probe", "")
        .parent()
        .unwrap()
        .join("svg-targets");
    let _ = std::fs::remove_dir_all(&dir);
    std::fs::create_dir_all(&dir).unwrap();
    let existing = dir.join("existing.svg");
    std::fs::write(&existing, "old").unwrap();
    std::fs::set_permissions(&existing, std::fs::Permissions::from_mode(0o644)).unwrap();
    let elsewhere = dir.join("elsewhere.txt");
    std::fs::write(&elsewhere, "not yours").unwrap();
    let link = dir.join("link.svg");
    symlink(&elsewhere, &link).unwrap();

    for path in [&existing, &link] {
        let run = otpkit(&[
            "new",
            "--issuer",
            "ACME",
            "--account",
            "alice",
            "--no-qr",
            "--svg",
            path.to_str().unwrap(),
        ]);
        run.ok();
        let meta = std::fs::symlink_metadata(path).unwrap();
        assert!(meta.file_type().is_file(), "{path:?} is a regular file now");
        assert_eq!(meta.permissions().mode() & 0o777, 0o600, "{path:?}");
        assert!(std::fs::read_to_string(path).unwrap().starts_with("<svg"));
    }
    // The link was replaced, not followed.
    assert_eq!(std::fs::read_to_string(&elsewhere).unwrap(), "not yours");
    // No temporary file is left behind.
    let names: Vec<String> = std::fs::read_dir(&dir)
        .unwrap()
        .map(|e| e.unwrap().file_name().into_string().unwrap())
        .collect();
    assert_eq!(names.len(), 3, "{names:?}");
}
