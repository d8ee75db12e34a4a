//! Fuzz targets of the vault crate (`otpkit-vault`): the file's header and envelope, and each
//! importer's parser. Like `targets.rs` this file is also included by path, from
//! `vault/tests/fuzz_corpus.rs`, so that the seed corpus runs on stable; it may use only
//! `otpkit`, `otpkit_vault`, `sha2` and `std`.
#![allow(clippy::panic)]

use otpkit::credential::Kind;
use otpkit_vault::import::{self, Format};
use otpkit_vault::{Account, KdfParams, Password, Vault};

/// The header and envelope: never panics; a file that reads has parameters within the bounds;
/// one with cheap parameters is also tried with a password, which must fail or give accounts
/// that make codes. The input is tried as a whole file, and also framed as one (split at the
/// first NUL into header and body, with the format name, length and checksum made right), so
/// that mutations reach the header's reader past the checksum.
pub fn vault_envelope(data: &[u8]) {
    envelope(data);
    let split = data.iter().position(|b| *b == 0).unwrap_or(data.len());
    let (header, body) = data.split_at(split);
    let body = body.get(1..).unwrap_or_default();
    let Ok(len) = u32::try_from(header.len()) else {
        return;
    };
    let mut file = b"otpkit-vault\n".to_vec();
    file.extend_from_slice(&len.to_be_bytes());
    file.extend_from_slice(header);
    file.extend_from_slice(body);
    let sum = <sha2::Sha256 as sha2::Digest>::digest(&file);
    file.extend_from_slice(&sum);
    envelope(&file);
}

fn envelope(data: &[u8]) {
    let Ok(info) = Vault::inspect(data) else {
        return;
    };
    assert_eq!(info.version, 1);
    assert!(info.kdf.memory_kib <= KdfParams::MAX_MEMORY_KIB);
    assert!(info.kdf.passes <= KdfParams::MAX_PASSES);
    assert!(info.kdf.lanes <= KdfParams::MAX_LANES);
    assert!(info.slots >= 1);
    let cheap = info.kdf.memory_kib <= 1024 && info.kdf.passes <= 2 && info.slots <= 4;
    if !cheap {
        return;
    }
    if let Ok(accounts) = Vault::decrypt(data, &Password::new("fuzz".into())) {
        for a in &accounts {
            codes_work(&a.credential);
        }
    }
}

/// A credential that was built makes a code without panicking.
fn codes_work(c: &otpkit::Credential) {
    match c.kind() {
        Kind::Hotp { counter } => {
            let _ = c.to_hotp().map(|h| h.generate(counter));
        }
        _ => {
            let _ = c.to_totp().map(|t| t.generate(u64::MAX / 2));
        }
    }
}

/// Reads `data` as `format` (no password: encrypted files stop at "needs a password"); every
/// entry read makes codes, and survives an Aegis plain export and re-import unchanged.
fn import_as(data: &[u8], format: Format) {
    let Ok(imported) = import::read(data, Some(format), None) else {
        return;
    };
    assert_eq!(imported.format, format);
    let accounts: Vec<Account> = imported
        .entries
        .iter()
        .filter_map(|e| {
            codes_work(&e.credential);
            // Only the OS generator can fail here, which is no finding of the parser's.
            Account::new(&e.issuer, &e.name, e.credential.clone(), 0).ok()
        })
        .collect();
    let json = otpkit_vault::export::aegis_plain_json(&accounts);
    let Ok(back) = import::read(json.as_bytes(), Some(Format::Aegis), None) else {
        panic!("the vault's own Aegis export does not read back");
    };
    assert!(back.problems.is_empty(), "{:?}", back.problems);
    assert_eq!(back.entries.len(), accounts.len());
    for (e, a) in back.entries.iter().zip(&accounts) {
        assert_eq!(e.credential, a.credential);
        assert_eq!(
            (e.issuer.as_str(), e.name.as_str()),
            (a.issuer.trim(), a.name.trim())
        );
    }
}

/// `otpauth://` lists and Google migration URIs, and format detection over any input.
pub fn import_otpauth(data: &[u8]) {
    if let Some(f) = import::detect(data) {
        // What detection names, the reader of that format takes (it may still refuse).
        let _ = import::read(data, Some(f), None);
    }
    import_as(data, Format::Otpauth);
    import_as(data, Format::GoogleMigration);
}

/// Aegis JSON, plain (and the framing of encrypted vaults).
pub fn import_aegis(data: &[u8]) {
    import_as(data, Format::Aegis);
}

/// 2FAS `.2fas`, plain (and the framing of encrypted ones).
pub fn import_twofas(data: &[u8]) {
    import_as(data, Format::TwoFas);
}

/// andOTP JSON (and the header of encrypted backups).
pub fn import_andotp(data: &[u8]) {
    import_as(data, Format::AndOtp);
}

/// Bitwarden JSON and CSV.
pub fn import_bitwarden(data: &[u8]) {
    import_as(data, Format::BitwardenJson);
    import_as(data, Format::BitwardenCsv);
}

/// FreeOTP+ JSON.
pub fn import_freeotp(data: &[u8]) {
    import_as(data, Format::FreeOtpPlus);
}
