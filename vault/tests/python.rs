//! The independent Python decrypter of FORMAT.md reads what otpkit writes.
//!
//! Needs `python3` with `argon2-cffi` and `cryptography`; without them the test says so and
//! passes, unless `OTPKIT_REQUIRE_PEERS=1` (CI), where it fails.
#![allow(
    clippy::unwrap_used,
    clippy::expect_used,
    clippy::panic,
    clippy::indexing_slicing
)]

mod common;

use std::io::Write;
use std::process::{Command, Stdio};

use otpkit_vault::{KdfParams, Vault};

fn python_ready() -> bool {
    let ok = Command::new("python3")
        .args(["-c", "import argon2, cryptography"])
        .output()
        .is_ok_and(|o| o.status.success());
    if !ok {
        assert!(
            std::env::var_os("OTPKIT_REQUIRE_PEERS").is_none_or(|v| v != "1"),
            "OTPKIT_REQUIRE_PEERS=1 but python3 with argon2-cffi and cryptography is missing"
        );
        eprintln!(
            "skipped: python3 with argon2-cffi and cryptography not found (pip install argon2-cffi cryptography)"
        );
    }
    ok
}

fn decrypt(path: &std::path::Path, password: &str) -> std::process::Output {
    let script = concat!(env!("CARGO_MANIFEST_DIR"), "/tests/decrypt.py");
    let mut child = Command::new("python3")
        .arg(script)
        .arg(path)
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .unwrap();
    child
        .stdin
        .take()
        .unwrap()
        .write_all(password.as_bytes())
        .unwrap();
    child.wait_with_output().unwrap()
}

#[test]
fn python_decrypter_reads_the_vault() {
    if !python_ready() {
        return;
    }
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("vault.otpkit");
    let pw = common::password();
    let mut vault = Vault::create(&path, &pw, KdfParams::new(256, 2, 2).unwrap()).unwrap();
    for a in common::seven() {
        vault.add(a);
    }
    vault.save().unwrap();

    let out = decrypt(&path, "correct horse battery staple");
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let list: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
    let accounts = list["accounts"].as_array().unwrap();
    assert_eq!(accounts.len(), 7);
    for (seen, want) in accounts.iter().zip(vault.accounts()) {
        assert_eq!(seen["id"], want.id.to_string());
        assert_eq!(seen["issuer"], want.issuer.as_str());
        assert_eq!(seen["name"], want.name.as_str());
        assert_eq!(
            seen["otp"]["secret"],
            want.credential.secret().to_base32().as_str()
        );
        assert_eq!(seen["otp"]["type"], want.credential.kind().name());
    }
    assert_eq!(accounts[4]["otp"]["counter"], 7);
    assert_eq!(accounts[2]["otp"]["period"], 50);

    let out = decrypt(&path, "wrong");
    assert!(!out.status.success());
    assert_eq!(
        String::from_utf8_lossy(&out.stderr).trim(),
        "wrong password"
    );
}
