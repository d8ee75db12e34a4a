//! Runs the committed seed corpus of the vault's fuzz targets (`fuzz/corpus/<target>/`) through
//! the targets' own checks on stable Rust; the target logic is the fuzz crate's, included by path.
#![allow(clippy::unwrap_used, clippy::panic)]

#[path = "../../fuzz/src/vault_targets.rs"]
mod vault_targets;

use std::fs;
use std::path::PathBuf;

fn run_corpus(name: &str, target: fn(&[u8])) {
    let dir = PathBuf::from(env!("CARGO_MANIFEST_DIR"))
        .join("../fuzz/corpus")
        .join(name);
    let mut files: Vec<PathBuf> = fs::read_dir(&dir)
        .unwrap_or_else(|e| panic!("{}: {e}", dir.display()))
        .map(|entry| entry.unwrap().path())
        .filter(|path| path.is_file())
        .collect();
    files.sort();
    assert!(!files.is_empty(), "no corpus files in {}", dir.display());
    let mut failures = Vec::new();
    for path in &files {
        let data = fs::read(path).unwrap();
        if std::panic::catch_unwind(|| target(&data)).is_err() {
            failures.push(path.display().to_string());
        }
    }
    assert!(
        failures.is_empty(),
        "failing inputs:\n{}",
        failures.join("\n")
    );
}

#[test]
fn vault_envelope_corpus() {
    run_corpus("vault_envelope", vault_targets::vault_envelope);
}

#[test]
fn import_otpauth_corpus() {
    run_corpus("import_otpauth", vault_targets::import_otpauth);
}

#[test]
fn import_aegis_corpus() {
    run_corpus("import_aegis", vault_targets::import_aegis);
}

#[test]
fn import_twofas_corpus() {
    run_corpus("import_twofas", vault_targets::import_twofas);
}

#[test]
fn import_andotp_corpus() {
    run_corpus("import_andotp", vault_targets::import_andotp);
}

#[test]
fn import_bitwarden_corpus() {
    run_corpus("import_bitwarden", vault_targets::import_bitwarden);
}

#[test]
fn import_freeotp_corpus() {
    run_corpus("import_freeotp", vault_targets::import_freeotp);
}

/// The seeds are not all refused: each format's seed reads entries, and the vault seed opens.
#[test]
fn seeds_are_not_vacuous() {
    use otpkit_vault::import::{self, Format};
    let seed = |t: &str, f: &str| {
        fs::read(
            PathBuf::from(env!("CARGO_MANIFEST_DIR"))
                .join("../fuzz/corpus")
                .join(t)
                .join(f),
        )
        .unwrap()
    };
    for (target, file, format) in [
        ("import_otpauth", "list", Format::Otpauth),
        ("import_otpauth", "migration", Format::GoogleMigration),
        ("import_aegis", "plain.json", Format::Aegis),
        ("import_twofas", "plain.2fas", Format::TwoFas),
        ("import_andotp", "plain.json", Format::AndOtp),
        ("import_bitwarden", "export.json", Format::BitwardenJson),
        ("import_bitwarden", "export.csv", Format::BitwardenCsv),
        ("import_freeotp", "backup.json", Format::FreeOtpPlus),
    ] {
        let got = import::read(&seed(target, file), Some(format), None).unwrap();
        assert!(!got.entries.is_empty(), "{target}/{file}");
        assert_eq!(
            import::detect(&seed(target, file)),
            Some(format),
            "{target}/{file}"
        );
    }
    let framed = seed("vault_envelope", "header_then_body");
    assert!(framed.contains(&0), "the framed seed splits at a NUL");
    let vault = seed("vault_envelope", "two_accounts");
    let accounts =
        otpkit_vault::Vault::decrypt(&vault, &otpkit_vault::Password::new("fuzz".into())).unwrap();
    assert_eq!(accounts.len(), 2);
}
