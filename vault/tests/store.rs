//! The store: round trip, errors that leave files untouched, tampering, backups, conflicts.
#![allow(
    clippy::unwrap_used,
    clippy::expect_used,
    clippy::panic,
    clippy::indexing_slicing
)]

mod common;

use std::fs;
use std::path::Path;

use common::{password, seven};
use otpkit_vault::{Color, Error, KdfParams, Password, Vault};
use proptest::prelude::*;

fn new_vault(dir: &Path) -> (std::path::PathBuf, Vault) {
    let path = dir.join("vault.otpkit");
    let mut vault = Vault::create(&path, &password(), KdfParams::CHEAP).unwrap();
    for a in seven() {
        vault.add(a);
    }
    vault.accounts_mut()[0].color = Some(Color([0x1e, 0x88, 0xe5]));
    vault.accounts_mut()[0].note = "recovery codes in the safe".into();
    vault.save().unwrap();
    (path, vault)
}

#[test]
fn round_trip_keeps_every_field() {
    let dir = tempfile::tempdir().unwrap();
    let (path, vault) = new_vault(dir.path());
    let back = Vault::open(&path, &password()).unwrap();
    assert_eq!(back.accounts(), vault.accounts());
    assert_eq!(back.generation(), 2);
    assert_eq!(back.kdf_params(), Some(KdfParams::CHEAP));
    // Codes survive too (a TOTP at a fixed time, the HOTP at its counter).
    let totp = back.accounts()[0].credential.to_totp().unwrap();
    assert_eq!(
        totp.generate(1_700_000_000).unwrap().as_str(),
        vault.accounts()[0]
            .credential
            .to_totp()
            .unwrap()
            .generate(1_700_000_000)
            .unwrap()
            .as_str()
    );
    #[cfg(unix)]
    {
        use std::os::unix::fs::PermissionsExt;
        assert_eq!(
            fs::metadata(&path).unwrap().permissions().mode() & 0o777,
            0o600
        );
    }
}

#[test]
fn debug_shows_no_secret() {
    let dir = tempfile::tempdir().unwrap();
    let (_, vault) = new_vault(dir.path());
    let shown = format!("{vault:?} {:?} {:?}", vault.accounts(), password());
    assert!(
        !shown.contains("JBSWY3DPEHPK3PXP") && !shown.contains("correct horse"),
        "{shown}"
    );
}

fn snapshot(dir: &Path) -> Vec<(String, Vec<u8>)> {
    let mut files = Vec::new();
    for entry in walk(dir) {
        files.push((entry.display().to_string(), fs::read(&entry).unwrap()));
    }
    files.sort();
    files
}

fn walk(dir: &Path) -> Vec<std::path::PathBuf> {
    let mut out = Vec::new();
    for e in fs::read_dir(dir).unwrap().flatten() {
        if e.path().is_dir() {
            out.extend(walk(&e.path()));
        } else {
            out.push(e.path());
        }
    }
    out
}

#[test]
fn wrong_password_truncation_and_bit_flips_have_their_own_errors_and_change_nothing() {
    let dir = tempfile::tempdir().unwrap();
    let (path, _) = new_vault(dir.path());
    let good = fs::read(&path).unwrap();

    let before = snapshot(dir.path());
    let err = Vault::open(&path, &Password::new("wrong".into())).unwrap_err();
    assert_eq!(err.to_string(), "wrong password");
    assert_eq!(snapshot(dir.path()), before);

    for len in [
        0,
        5,
        13,
        16,
        17,
        40,
        good.len() / 2,
        good.len() - 33,
        good.len() - 1,
    ] {
        fs::write(&path, &good[..len]).unwrap();
        let before = snapshot(dir.path());
        let err = Vault::open(&path, &password()).unwrap_err();
        assert_eq!(err.to_string(), "vault file is truncated", "length {len}");
        assert!(err.is_damage());
        assert!(Vault::edit(&path, &password(), |_| Ok::<(), Error>(())).is_err());
        assert_eq!(snapshot(dir.path()), before, "length {len}");
    }

    // A flipped bit anywhere past the format name is damage, never a wrong password.
    for at in (13..good.len()).step_by(7) {
        let mut bad = good.clone();
        bad[at] ^= 0x10;
        fs::write(&path, &bad).unwrap();
        let err = Vault::open(&path, &password()).unwrap_err();
        assert!(
            matches!(err, Error::Damaged | Error::Truncated),
            "byte {at}: {err}"
        );
    }
    let mut bad = good.clone();
    bad[0] ^= 1;
    fs::write(&path, &bad).unwrap();
    assert_eq!(
        Vault::open(&path, &password()).unwrap_err().to_string(),
        "not an otpkit vault file"
    );
}

/// Rewrites one header field and recomputes the checksum, as a deliberate tamperer would.
fn tamper(good: &[u8], field: &str, value: serde_json::Value) -> Vec<u8> {
    use sha2::Digest;
    let len = u32::from_be_bytes(good[13..17].try_into().unwrap()) as usize;
    let mut header: serde_json::Value = serde_json::from_slice(&good[17..17 + len]).unwrap();
    if let Some(slot_field) = field.strip_prefix("slot.") {
        header["slots"][0][slot_field] = value;
    } else {
        header[field] = value;
    }
    let json = serde_json::to_vec(&header).unwrap();
    let mut out = b"otpkit-vault\n".to_vec();
    out.extend_from_slice(&u32::try_from(json.len()).unwrap().to_be_bytes());
    out.extend_from_slice(&json);
    out.extend_from_slice(&good[17 + len..good.len() - 32]);
    let sum = sha2::Sha256::digest(&out);
    out.extend_from_slice(&sum);
    out
}

#[test]
fn every_header_field_is_authenticated() {
    let dir = tempfile::tempdir().unwrap();
    let (path, _) = new_vault(dir.path());
    let good = fs::read(&path).unwrap();
    let flip_hex = |s: &str| {
        let mut c: Vec<char> = s.chars().collect();
        c[0] = if c[0] == '0' { '1' } else { '0' };
        c.into_iter().collect::<String>()
    };
    let header_len = u32::from_be_bytes(good[13..17].try_into().unwrap()) as usize;
    let header: serde_json::Value = serde_json::from_slice(&good[17..17 + header_len]).unwrap();
    let slot = &header["slots"][0];
    let cases: Vec<(&str, serde_json::Value, &str)> = vec![
        (
            "format",
            "otpkit-vaulz".into(),
            "vault header is invalid: wrong format name",
        ),
        (
            "version",
            2.into(),
            "vault format version 2 is not supported",
        ),
        (
            "generation",
            99.into(),
            "vault file is damaged (its checksum or tag does not match)",
        ),
        (
            "cipher",
            "aes256gcm".into(),
            "vault header is invalid: unknown cipher",
        ),
        (
            "nonce",
            flip_hex(header["nonce"].as_str().unwrap()).into(),
            "vault file is damaged (its checksum or tag does not match)",
        ),
        (
            "body_len",
            17.into(),
            "vault header is invalid: lengths do not add up",
        ),
        (
            "slots",
            serde_json::json!([]),
            "vault header is invalid: no key slot",
        ),
        (
            "slots",
            serde_json::Value::Array(vec![header["slots"][0].clone(); 9]),
            "vault header is invalid: more than 8 key slots",
        ),
        (
            "extra",
            1.into(),
            "vault header is invalid: not the header's JSON",
        ),
        (
            "slot.kdf",
            "scrypt".into(),
            "vault header is invalid: unknown slot kind or kdf",
        ),
        (
            "slot.memory_kib",
            (2 * 1024 * 1024).into(),
            "key derivation parameters refused: more than 1 GiB of memory",
        ),
        (
            "slot.passes",
            11.into(),
            "key derivation parameters refused: more than 10 passes",
        ),
        ("slot.passes", 2.into(), "wrong password"),
        (
            "slot.lanes",
            17.into(),
            "key derivation parameters refused: more than 16 lanes",
        ),
        (
            "slot.salt",
            flip_hex(slot["salt"].as_str().unwrap()).into(),
            "wrong password",
        ),
        (
            "slot.nonce",
            flip_hex(slot["nonce"].as_str().unwrap()).into(),
            "wrong password",
        ),
        (
            "slot.wrapped_key",
            flip_hex(slot["wrapped_key"].as_str().unwrap()).into(),
            "wrong password",
        ),
        (
            "slot.salt",
            "00".into(),
            "vault header is invalid: slot field of the wrong length",
        ),
    ];
    for (field, value, message) in cases {
        fs::write(&path, tamper(&good, field, value)).unwrap();
        let err = Vault::open(&path, &password()).unwrap_err();
        assert_eq!(err.to_string(), message, "{field}");
    }
    // Even the same header in other bytes (one more space) is refused: the header's bytes,
    // not its meaning, are authenticated.
    let same = {
        use sha2::Digest;
        let mut json = good[17..17 + header_len].to_vec();
        json.insert(1, b' ');
        let mut out = b"otpkit-vault\n".to_vec();
        out.extend_from_slice(&u32::try_from(json.len()).unwrap().to_be_bytes());
        out.extend_from_slice(&json);
        out.extend_from_slice(&good[17 + header_len..good.len() - 32]);
        let sum = sha2::Sha256::digest(&out);
        out.extend_from_slice(&sum);
        out
    };
    fs::write(&path, same).unwrap();
    assert_eq!(
        Vault::open(&path, &password()).unwrap_err().to_string(),
        "vault file is damaged (its checksum or tag does not match)"
    );
    fs::write(&path, &good).unwrap();
    Vault::open(&path, &password()).unwrap();
}

#[test]
fn password_change_rewraps_the_master_key_only() {
    let dir = tempfile::tempdir().unwrap();
    let (path, mut vault) = new_vault(dir.path());
    let before = fs::read(&path).unwrap();
    let new = Password::new("new password".into());
    vault.change_password(&new, KdfParams::CHEAP).unwrap();
    vault.save().unwrap();
    assert_eq!(
        Vault::open(&path, &password()).unwrap_err().to_string(),
        "wrong password"
    );
    let reopened = Vault::open(&path, &new).unwrap();
    assert_eq!(reopened.accounts(), vault.accounts());
    // The backup of the previous version still opens with the old password.
    let backups = Vault::backups(&path).unwrap();
    assert_eq!(fs::read(&backups[0].path).unwrap(), before);
    assert!(Vault::open(&backups[0].path, &password()).is_ok());
}

#[test]
fn a_stale_copy_is_refused_and_edit_serialises() {
    let dir = tempfile::tempdir().unwrap();
    let (path, mut stale) = new_vault(dir.path());
    Vault::edit(&path, &password(), |v| {
        v.accounts_mut().pop();
        Ok::<(), Error>(())
    })
    .unwrap();
    stale.accounts_mut().clear();
    assert_eq!(
        stale.save().unwrap_err().to_string(),
        "the vault was changed by another process (generation 3, expected 2)"
    );
    assert_eq!(Vault::open(&path, &password()).unwrap().accounts().len(), 6);
    // A failed change writes nothing.
    let before = fs::read(&path).unwrap();
    let r = Vault::edit(&path, &password(), |v| {
        v.accounts_mut().clear();
        Err::<(), Error>(Error::NoMatch)
    });
    assert!(r.is_err());
    assert_eq!(fs::read(&path).unwrap(), before);
}

#[test]
fn backups_keep_the_last_five_and_restore() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("v.otpkit");
    let mut vault = Vault::create(&path, &password(), KdfParams::CHEAP).unwrap();
    let all = seven();
    for a in all.iter().cloned() {
        vault.add(a);
        vault.save().unwrap();
    }
    let backups = Vault::backups(&path).unwrap();
    let gens: Vec<u64> = backups.iter().map(|b| b.generation).collect();
    assert_eq!(gens, [7, 6, 5, 4, 3]);
    // Generation 5 held the first four accounts.
    let restored = Vault::restore(&path, &backups[2].path, &password()).unwrap();
    assert_eq!(restored.accounts().len(), 4);
    assert_eq!(restored.generation(), 9);
    let now = Vault::open(&path, &password()).unwrap();
    assert_eq!(now.accounts().len(), 4);
    // The version it replaced (7 accounts) is a backup now.
    let newest = &Vault::backups(&path).unwrap()[0];
    assert_eq!(newest.generation, 8);
    assert_eq!(
        Vault::open(&newest.path, &password())
            .unwrap()
            .accounts()
            .len(),
        7
    );
}

#[test]
fn stale_temporary_files_are_removed_on_open() {
    let dir = tempfile::tempdir().unwrap();
    let (path, _) = new_vault(dir.path());
    let stale = dir.path().join(".vault.otpkit.tmp-1-abc");
    fs::write(&stale, b"half a file").unwrap();
    let other = dir.path().join("notes.txt");
    fs::write(&other, b"mine").unwrap();
    Vault::open(&path, &password()).unwrap();
    assert!(!stale.exists());
    assert!(other.exists());
}

#[test]
fn create_refuses_an_existing_vault() {
    let dir = tempfile::tempdir().unwrap();
    let (path, _) = new_vault(dir.path());
    let before = fs::read(&path).unwrap();
    let err = Vault::create(&path, &password(), KdfParams::CHEAP).unwrap_err();
    assert_eq!(err.to_string(), "a vault already exists at this path");
    assert_eq!(fs::read(&path).unwrap(), before);
    assert_eq!(
        Vault::open(&dir.path().join("none"), &password())
            .unwrap_err()
            .to_string(),
        "no vault at this path"
    );
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 24, ..ProptestConfig::default() })]

    /// Any account fields round-trip; any single-byte change is refused.
    #[test]
    fn format_round_trips_and_refuses_changes(
        issuer in "\\PC{0,20}", name in "\\PC{0,20}", note in "\\PC{0,40}",
        at in any::<prop::sample::Index>(), xor in 1u8..,
    ) {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("v");
        let mut vault = Vault::create(&path, &password(), KdfParams::CHEAP).unwrap();
        let mut a = seven().remove(4);
        a.issuer = issuer;
        a.name = name;
        a.note = note;
        vault.add(a);
        vault.save().unwrap();
        let back = Vault::open(&path, &password()).unwrap();
        prop_assert_eq!(back.accounts(), vault.accounts());
        let mut bytes = fs::read(&path).unwrap();
        let i = at.index(bytes.len());
        bytes[i] ^= xor;
        fs::write(&path, &bytes).unwrap();
        prop_assert!(Vault::open(&path, &password()).is_err());
    }
}

/// `update` re-reads the file with the key it holds: it needs no password (here the password
/// was changed by another writer in between, so deriving from the old one could not open the
/// file), takes in the other writer's save, and refuses a file sealed under another key.
#[test]
fn update_rereads_with_the_held_key_and_refuses_a_foreign_file() {
    let dir = tempfile::tempdir().unwrap();
    let (path, _) = new_vault(dir.path());
    let mut vault = Vault::open(&path, &password()).unwrap();
    let new_pw = Password::new("a new password".into());
    Vault::edit(&path, &password(), |other| {
        other.accounts_mut().remove(0);
        other.change_password(&new_pw, KdfParams::CHEAP)
    })
    .unwrap();
    assert!(matches!(
        Vault::open(&path, &password()),
        Err(Error::WrongPassword)
    ));
    let left = vault
        .update(|v| {
            v.accounts_mut()[0].note = "updated".into();
            Ok::<_, Error>(v.accounts().len())
        })
        .unwrap();
    assert_eq!(left, 6);
    let back = Vault::open(&path, &new_pw).unwrap();
    assert_eq!(back.accounts().len(), 6);
    assert_eq!(back.accounts()[0].note, "updated");
    assert_eq!(back.generation(), 4);

    // Another vault put in its place: refused, and that file is left as it is.
    let other_dir = tempfile::tempdir().unwrap();
    let other = other_dir.path().join("v");
    Vault::create(&other, &password(), KdfParams::CHEAP).unwrap();
    fs::copy(&other, &path).unwrap();
    let before = fs::read(&path).unwrap();
    let err = vault.update(|_| Ok::<_, Error>(())).unwrap_err();
    assert!(
        matches!(
            err,
            Error::Conflict {
                expected: 4,
                found: 1
            }
        ),
        "{err:?}"
    );
    assert_eq!(fs::read(&path).unwrap(), before);
}
