//! Runs the committed seed corpus of the vault's fuzz targets (`fuzz/corpus/<target>/`) through
//! the targets' own checks on stable Rust; the target logic is the fuzz crate's, included by path.
#![allow(clippy::unwrap_used, clippy::panic)]

#[path = "../../fuzz/src/vault_targets.rs"]
mod vault_targets;

#[path = "../../fuzz/src/corpus.rs"]
mod corpus;

use std::fs;
use std::path::PathBuf;

/// Every committed input of `fuzz/corpus/<name>/` through `target`.
fn run_corpus(name: &str, target: fn(&[u8])) {
    let dir = PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../fuzz/corpus");
    corpus::run(&dir, name, target);
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
