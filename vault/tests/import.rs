//! Each importer reads files this test writes from the formats' published descriptions, plain
//! and encrypted with known passwords, holding the seven accounts of `common::seven` (SHA-1,
//! SHA-256, SHA-512; 6, 7, 8 digits; periods 20, 30, 50; HOTP; Steam): the same accounts come
//! back, with the same codes.
#![allow(
    clippy::unwrap_used,
    clippy::expect_used,
    clippy::panic,
    clippy::indexing_slicing
)]

mod common;

use aes_gcm::aead::{Aead, KeyInit};
use base64::Engine;
use otpkit::credential::Kind;
use otpkit_vault::import::{self, Error, Format};
use otpkit_vault::{Account, KdfParams, Password, Vault};
use serde_json::{Value, json};

const B64: base64::engine::GeneralPurpose = base64::engine::general_purpose::STANDARD;

fn pw() -> Password {
    Password::new("import password".into())
}

fn b32(a: &Account) -> String {
    a.credential.secret().to_base32().to_string()
}

fn alg(a: &Account) -> &'static str {
    match a.credential.algorithm() {
        otpkit::Algorithm::Sha256 => "SHA256",
        otpkit::Algorithm::Sha512 => "SHA512",
        _ => "SHA1",
    }
}

fn kind(a: &Account) -> &'static str {
    match a.credential.kind() {
        Kind::Hotp { .. } => "hotp",
        Kind::Steam => "steam",
        _ => "totp",
    }
}

fn seal(key: &[u8], nonce: &[u8; 12], plain: &[u8]) -> Vec<u8> {
    aes_gcm::Aes256Gcm::new_from_slice(key)
        .unwrap()
        .encrypt(&(*nonce).into(), plain)
        .unwrap()
}

fn hex(b: &[u8]) -> String {
    b.iter().map(|x| format!("{x:02x}")).collect()
}

/// The entries match the accounts: issuer, name, credential, and a code at a fixed time.
fn assert_same(got: &import::Imported, want: &[Account]) {
    assert!(got.problems.is_empty(), "{:?}", got.problems);
    assert_eq!(got.entries.len(), want.len());
    for (e, a) in got.entries.iter().zip(want) {
        assert_eq!(
            (e.issuer.as_str(), e.name.as_str()),
            (a.issuer.as_str(), a.name.as_str())
        );
        assert_eq!(e.credential, a.credential, "{}", a.label());
        let code = |c: &otpkit::Credential| match c.kind() {
            Kind::Hotp { counter } => c.to_hotp().unwrap().generate(counter).as_str().to_owned(),
            _ => c
                .to_totp()
                .unwrap()
                .generate(1_700_000_000)
                .unwrap()
                .as_str()
                .to_owned(),
        };
        assert_eq!(code(&e.credential), code(&a.credential));
    }
}

fn aegis_entries(accounts: &[Account]) -> Value {
    let entries: Vec<Value> = accounts
        .iter()
        .map(|a| {
            let mut info =
                json!({"secret": b32(a), "algo": alg(a), "digits": a.credential.code_len()});
            if let Some(p) = a.credential.period() {
                info["period"] = p.into();
            }
            if let Some(c) = a.credential.counter() {
                info["counter"] = c.into();
            }
            json!({"type": kind(a), "uuid": a.id.to_string(), "name": a.name, "issuer": a.issuer,
                   "note": "", "icon": null, "group": "work", "info": info})
        })
        .collect();
    json!({"version": 2, "entries": entries, "groups": [{"uuid": "x", "name": "work"}]})
}

/// An Aegis vault: password slot (scrypt N = 2^10 here, r 8, p 1) wraps a master key with
/// AES-256-GCM; the content is AES-256-GCM under the master key, base64, tag in the header.
fn aegis_encrypted(accounts: &[Account], password: &str, log_n: u8) -> Vec<u8> {
    let master = [7u8; 32];
    let salt = [9u8; 32];
    let mut kek = [0u8; 32];
    scrypt::scrypt(
        password.as_bytes(),
        &salt,
        &scrypt::Params::new(log_n.min(12), 8, 1).unwrap(),
        &mut kek,
    )
    .unwrap();
    let wrapped = seal(&kek, &[1; 12], &master);
    let (key, key_tag) = wrapped.split_at(32);
    let content = serde_json::to_vec(&aegis_entries(accounts)).unwrap();
    let sealed = seal(&master, &[2; 12], &content);
    let (db, tag) = sealed.split_at(sealed.len() - 16);
    serde_json::to_vec(&json!({
        "version": 1,
        "header": {
            "slots": [
                {"type": 2, "uuid": "bio", "key": hex(&[0; 32]), "key_params": {"nonce": hex(&[0; 12]), "tag": hex(&[0; 16])}},
                {"type": 1, "uuid": "pw", "key": hex(key), "key_params": {"nonce": hex(&[1; 12]), "tag": hex(key_tag)},
                 "n": 1u64 << log_n, "r": 8, "p": 1, "salt": hex(&salt)}
            ],
            "params": {"nonce": hex(&[2; 12]), "tag": hex(tag)}
        },
        "db": B64.encode(db),
    }))
    .unwrap()
}

#[test]
fn aegis_plain_and_encrypted() {
    let accounts = common::seven();
    let plain = serde_json::to_vec(&json!({"version": 1, "header": {"slots": null, "params": null}, "db": aegis_entries(&accounts)})).unwrap();
    let got = import::read(&plain, None, None).unwrap();
    assert_eq!(got.format, Format::Aegis);
    assert_same(&got, &accounts);

    let enc = aegis_encrypted(&accounts, "import password", 10);
    assert_eq!(
        import::read(&enc, None, None).unwrap_err(),
        Error::NeedsPassword
    );
    assert_eq!(
        import::read(&enc, None, Some(&Password::new("nope".into()))).unwrap_err(),
        Error::WrongPassword
    );
    assert_same(&import::read(&enc, None, Some(&pw())).unwrap(), &accounts);

    // A slot that asks for 2^24 scrypt blocks is refused before any work.
    let mut greedy: Value = serde_json::from_slice(&enc).unwrap();
    greedy["header"]["slots"][1]["n"] = (1u64 << 24).into();
    let greedy = serde_json::to_vec(&greedy).unwrap();
    assert_eq!(
        import::read(&greedy, None, Some(&pw()))
            .unwrap_err()
            .to_string(),
        "the import file's key derivation parameters are out of bounds"
    );
}

fn twofas_services(accounts: &[Account]) -> Value {
    accounts
        .iter()
        .enumerate()
        .map(|(i, a)| {
            json!({"name": a.issuer, "secret": b32(a), "updatedAt": 1, "serviceTypeID": null,
                   "otp": {"label": a.name, "account": a.name, "issuer": a.issuer, "digits": a.credential.code_len(),
                           "period": a.credential.period().unwrap_or(30), "algorithm": alg(a),
                           "counter": a.credential.counter().unwrap_or(0), "tokenType": kind(a).to_uppercase(), "source": "Manual"},
                   "order": {"position": i}, "badge": {"color": "Default"}, "icon": {"selected": "Label"}})
        })
        .collect()
}

#[test]
fn twofas_plain_and_encrypted() {
    let accounts = common::seven();
    let plain = serde_json::to_vec(&json!({"services": twofas_services(&accounts), "groups": [], "schemaVersion": 4, "appVersionCode": 5000000})).unwrap();
    let got = import::read(&plain, None, None).unwrap();
    assert_eq!(got.format, Format::TwoFas);
    assert_same(&got, &accounts);

    let salt = [5u8; 32];
    let iv = [6u8; 12];
    let mut key = [0u8; 32];
    pbkdf2::pbkdf2_hmac::<sha2::Sha256>(b"import password", &salt, 10_000, &mut key);
    let sealed = seal(
        &key,
        &iv,
        &serde_json::to_vec(&twofas_services(&accounts)).unwrap(),
    );
    let enc = serde_json::to_vec(&json!({
        "services": [], "groups": [], "schemaVersion": 4, "appVersionCode": 5000000,
        "servicesEncrypted": format!("{}:{}:{}", B64.encode(&sealed), B64.encode(salt), B64.encode(iv)),
        "reference": "ignored",
    }))
    .unwrap();
    assert_eq!(
        import::read(&enc, None, None).unwrap_err(),
        Error::NeedsPassword
    );
    assert_eq!(
        import::read(&enc, None, Some(&Password::new("nope".into()))).unwrap_err(),
        Error::WrongPassword
    );
    assert_same(&import::read(&enc, None, Some(&pw())).unwrap(), &accounts);

    let newer = serde_json::to_vec(&json!({"services": [], "schemaVersion": 5})).unwrap();
    assert_eq!(
        import::read(&newer, None, None).unwrap_err().to_string(),
        "malformed import file: 2FAS schema newer than 4"
    );
}

fn andotp_list(accounts: &[Account]) -> Vec<u8> {
    let list: Vec<Value> = accounts
        .iter()
        .map(|a| {
            let mut e = json!({"secret": b32(a), "issuer": a.issuer, "label": a.name, "digits": a.credential.code_len(),
                               "type": kind(a).to_uppercase(), "algorithm": alg(a), "thumbnail": "Default",
                               "last_used": 0, "used_frequency": 0, "tags": ["x"]});
            if let Some(p) = a.credential.period() {
                e["period"] = p.into();
            }
            if let Some(c) = a.credential.counter() {
                e["counter"] = c.into();
            }
            e
        })
        .collect();
    serde_json::to_vec(&list).unwrap()
}

/// andOTP's encrypted backup: iterations (4 bytes, big-endian), salt (12), IV (12), AES-GCM.
fn andotp_encrypted(accounts: &[Account], iterations: u32) -> Vec<u8> {
    let salt = [3u8; 12];
    let iv = [4u8; 12];
    let mut key = [0u8; 32];
    pbkdf2::pbkdf2_hmac::<sha1::Sha1>(b"import password", &salt, iterations.min(5000), &mut key);
    let mut out = iterations.to_be_bytes().to_vec();
    out.extend_from_slice(&salt);
    out.extend_from_slice(&iv);
    out.extend(seal(&key, &iv, &andotp_list(accounts)));
    out
}

#[test]
fn andotp_plain_and_encrypted() {
    let accounts = common::seven();
    let got = import::read(&andotp_list(&accounts), None, None).unwrap();
    assert_eq!(got.format, Format::AndOtp);
    assert_same(&got, &accounts);

    let enc = andotp_encrypted(&accounts, 5000);
    assert_eq!(import::detect(&enc), Some(Format::AndOtp));
    assert_eq!(
        import::read(&enc, None, None).unwrap_err(),
        Error::NeedsPassword
    );
    assert_eq!(
        import::read(&enc, None, Some(&Password::new("nope".into()))).unwrap_err(),
        Error::WrongPassword
    );
    assert_same(&import::read(&enc, None, Some(&pw())).unwrap(), &accounts);

    // The iteration count comes from the file, so it is capped.
    let greedy = andotp_encrypted(&accounts, 3_000_000);
    assert_eq!(
        import::read(&greedy, Some(Format::AndOtp), Some(&pw())).unwrap_err(),
        Error::KdfRefused
    );
}

/// `login.totp` as an otpauth:// URI, bare base32 (a SHA-1/6/30 account) and steam://.
fn bitwarden_totp(a: &Account) -> String {
    if kind(a) == "steam" {
        return format!("steam://{}", b32(a));
    }
    if a.name == "alice@example.com" {
        return b32(a);
    }
    otpkit_vault::export::otpauth_list(core::slice::from_ref(a))
        .0
        .trim()
        .to_owned()
}

#[test]
fn bitwarden_json_and_csv() {
    let accounts = common::seven();
    let items: Vec<Value> = accounts
        .iter()
        .map(|a| json!({"id": "x", "type": 1, "name": a.issuer, "notes": null, "favorite": false,
                        "login": {"username": a.name, "password": "hunter2", "totp": bitwarden_totp(a), "uris": []}}))
        .chain([json!({"id": "y", "type": 2, "name": "a secure note", "notes": "no totp"})])
        .collect();
    let file =
        serde_json::to_vec(&json!({"encrypted": false, "folders": [], "items": items})).unwrap();
    let got = import::read(&file, None, None).unwrap();
    assert_eq!(got.format, Format::BitwardenJson);
    assert_same(&got, &accounts);

    let mut csv = String::from(
        "folder,favorite,type,name,notes,fields,reprompt,login_uri,login_username,login_password,login_totp\n",
    );
    for a in &accounts {
        csv.push_str(&format!(
            ",,login,\"{}\",\"a note, with \"\"quotes\"\"\nand a line\",,0,https://x,{},pw,{}\n",
            a.issuer,
            a.name,
            bitwarden_totp(a)
        ));
    }
    csv.push_str(",,note,Just a note,,,0,,,,\n");
    let got = import::read(csv.as_bytes(), None, None).unwrap();
    assert_eq!(got.format, Format::BitwardenCsv);
    assert_same(&got, &accounts);
}

#[test]
fn freeotp_plus_json() {
    // FreeOTP+ has no Steam type: the six others.
    let accounts: Vec<Account> = common::seven()
        .into_iter()
        .filter(|a| kind(a) != "steam")
        .collect();
    let tokens: Vec<Value> = accounts
        .iter()
        .map(|a| {
            let bytes: Vec<i64> = a.credential.secret().as_bytes().iter().map(|b| i64::from((*b).cast_signed())).collect();
            json!({"algo": alg(a), "counter": a.credential.counter().unwrap_or(0), "digits": a.credential.code_len(),
                   "issuerExt": a.issuer, "issuerInt": a.issuer, "label": a.name, "period": a.credential.period().unwrap_or(30),
                   "secret": bytes, "type": kind(a).to_uppercase()})
        })
        .collect();
    let file = serde_json::to_vec(&json!({"tokenOrder": [], "tokens": tokens})).unwrap();
    let got = import::read(&file, None, None).unwrap();
    assert_eq!(got.format, Format::FreeOtpPlus);
    assert_same(&got, &accounts);
}

#[test]
fn otpauth_lists_and_google_migration() {
    let accounts = common::seven();
    let (list, skipped) = otpkit_vault::export::otpauth_list(&accounts);
    assert!(skipped.is_empty());
    let got = import::read(list.as_bytes(), None, None).unwrap();
    assert_eq!(got.format, Format::Otpauth);
    assert_same(&got, &accounts);

    // Google's format carries no Steam kind (nor 7 digits, nor SHA-512 periods of 50 s the
    // app reads): what it carries comes back, the rest is reported as skipped by the export.
    let (uris, skipped) = otpkit_vault::export::google_migration(&accounts).unwrap();
    let carried: Vec<Account> = accounts
        .iter()
        .filter(|a| !skipped.iter().any(|s| s.label == a.label()))
        .cloned()
        .collect();
    assert!(carried.len() >= 4, "{skipped:?}");
    let text: String = uris.iter().map(|u| format!("{}\n", u.as_str())).collect();
    let got = import::read(text.as_bytes(), None, None).unwrap();
    assert_eq!(got.format, Format::GoogleMigration);
    assert_same(&got, &carried);
}

#[test]
fn json_holding_otpauth_uris() {
    // The shape of Proton Authenticator's export: entries whose content holds the URI.
    let accounts = common::seven();
    let (list, _) = otpkit_vault::export::otpauth_list(&accounts);
    let entries: Vec<Value> = list.lines().map(|u| json!({"id": "x", "content": {"uri": u, "entry_type": "Totp", "name": "n"}, "note": ""})).collect();
    let file = serde_json::to_vec(&json!({"version": 1, "entries": entries})).unwrap();
    let got = import::read(&file, None, None).unwrap();
    assert_eq!(got.format, Format::Otpauth);
    assert_same(&got, &accounts);
}

/// Authy has no export of its own; the documented way out (the `authy-export` tool) prints
/// "Key URI Format" lines, `otpauth://` URIs, one per line, under a line of its own text. Such
/// a file, written here, imports as an `otpauth` list: Authy's own 7-digit, 10-second tokens
/// included, the tool's heading line reported and skipped.
#[test]
fn authy_export_output_reads_as_an_otpauth_list() {
    let file = "Here are your authenticator tokens:\n\n\
        otpauth://totp/Twitch:carol?secret=GEZDGNBVGY3TQOJQGEZDGNBVGY3TQOJQ&digits=7&period=10\n\
        otpauth://totp/Example:alice?digits=6&secret=JBSWY3DPEHPK3PXP\n";
    let got = import::read(file.as_bytes(), None, None).unwrap();
    assert_eq!(got.format, Format::Otpauth);
    assert_eq!(got.entries.len(), 2);
    assert_eq!(got.problems.len(), 1);
    assert_eq!(got.problems[0].entry, 1);
    let twitch = &got.entries[0];
    assert_eq!(
        (twitch.issuer.as_str(), twitch.name.as_str()),
        ("Twitch", "carol")
    );
    let totp = twitch.credential.to_totp().unwrap();
    // 10-second steps: t = 9 and t = 10 are different steps, t = 10 and t = 19 the same.
    assert_eq!(totp.generate(10).unwrap().len(), 7);
    assert_eq!(totp.generate(10).unwrap(), totp.generate(19).unwrap());
    assert_ne!(totp.generate(9).unwrap(), totp.generate(10).unwrap());
    assert_eq!(got.entries[1].credential.code_len(), 6);
}

#[test]
fn bad_entries_are_reported_and_skipped_duplicates_counted() {
    let file = "\
otpauth://totp/Example:alice?secret=JBSWY3DPEHPK3PXP&issuer=Example
otpauth://totp/Bad:one?secret=not*base32
otpauth://totp/Example:alice?secret=JBSWY3DPEHPK3PXP&issuer=Example
otpauth://totp/Other:bob?secret=GEZDGNBVGY3TQOJQ&algorithm=MD5
otpauth://totp/Other:carol?secret=GEZDGNBVGY3TQOJQ
";
    let got = import::read(file.as_bytes(), None, None).unwrap();
    assert_eq!(got.entries.len(), 3);
    let skipped: Vec<usize> = got.problems.iter().map(|p| p.entry).collect();
    assert_eq!(skipped, [2, 4]);

    let dir = tempfile::tempdir().unwrap();
    let mut vault = Vault::create(&dir.path().join("v"), &pw(), KdfParams::CHEAP).unwrap();
    let s = import::merge(&mut vault, got.entries.clone(), 0).unwrap();
    assert_eq!((s.added, s.duplicates), (2, 1));
    let s = import::merge(&mut vault, got.entries, 0).unwrap();
    assert_eq!((s.added, s.duplicates), (0, 3));

    // Aegis entries of a type otpkit does not make (Yandex) are reported, the rest read.
    let mut content = aegis_entries(&common::seven()[..2]);
    content["entries"][1]["type"] = "yandex".into();
    let file = serde_json::to_vec(
        &json!({"version": 1, "header": {"slots": null, "params": null}, "db": content}),
    )
    .unwrap();
    let got = import::read(&file, None, None).unwrap();
    assert_eq!(got.entries.len(), 1);
    assert_eq!(got.problems[0].reason, "unsupported type \"yandex\"");
    assert_eq!(got.problems[0].label, "bob");
}

#[test]
fn format_override_and_unknown_files() {
    assert_eq!(
        import::read(b"hello world", None, None).unwrap_err(),
        Error::UnknownFormat
    );
    assert_eq!(
        import::read(b"{}", Some(Format::Aegis), None)
            .unwrap_err()
            .to_string(),
        "malformed import file: no db"
    );
    assert_eq!("nope".parse::<Format>().unwrap_err(), Error::UnknownFormat);
    for f in Format::ALL {
        assert_eq!(f.name().parse::<Format>().unwrap(), f);
    }
}
