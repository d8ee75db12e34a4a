//! Google Authenticator exports: public sample exports (each says where it came from), payloads
//! encoded by hand here (so the wire format is checked by something that is not prost), the
//! error cases, and export → import round trips.
#![cfg(feature = "migration")]
#![allow(
    clippy::unwrap_used,
    clippy::expect_used,
    clippy::panic,
    clippy::indexing_slicing
)]
// The hand protobuf encoder below truncates and reinterprets on purpose, as the wire format does.
#![allow(clippy::cast_possible_truncation, clippy::cast_sign_loss)]

use otpkit::{
    Algorithm, Credential, Digits, KeyUri, Secret,
    credential::Kind,
    migration::{self, AccountProblem},
};
use proptest::prelude::*;

#[path = "common/leak.rs"]
mod leak;

// --- Public samples --------------------------------------------------------------------------

/// github.com/scito/extract_otp_secrets, `example_export.txt` (exports of the Raspberry Pi blog's
/// 2FA example), with the `otpauth://` URIs that project lists for them in
/// `tests/data/url_list_output.txt`.
const SCITO: [(&str, &[&str]); 5] = [
    (
        "otpauth-migration://offline?data=CjUKEPqlBekzoNEukL7qlsjBCDYSDnBpQHJhc3BiZXJyeXBpGgtyYXNwYmVycnlwaSABKAEwAhABGAEgACjr4JKK%2B%2F%2F%2F%2F%2F8B",
        &["otpauth://totp/pi%40raspberrypi?secret=7KSQL2JTUDIS5EF65KLMRQIIGY&issuer=raspberrypi"],
    ),
    (
        "otpauth-migration://offline?data=CigKEPqlBekzoNEukL7qlsjBCDYSDnBpQHJhc3BiZXJyeXBpIAEoATACEAEYASAAKLzjp5n4%2F%2F%2F%2F%2FwE%3D",
        &["otpauth://totp/pi%40raspberrypi?secret=7KSQL2JTUDIS5EF65KLMRQIIGY"],
    ),
    (
        "otpauth-migration://offline?data=CigKEPqlBekzoNEukL7qlsjBCDYSDnBpQHJhc3BiZXJyeXBpIAEoATACCjUKEPqlBekzoNEukL7qlsjBCDYSDnBpQHJhc3BiZXJyeXBpGgtyYXNwYmVycnlwaSABKAEwAhABGAEgACiQ7OOa%2Bf%2F%2F%2F%2F8B",
        &[
            "otpauth://totp/pi%40raspberrypi?secret=7KSQL2JTUDIS5EF65KLMRQIIGY",
            "otpauth://totp/pi%40raspberrypi?secret=7KSQL2JTUDIS5EF65KLMRQIIGY&issuer=raspberrypi",
        ],
    ),
    (
        "otpauth-migration://offline?data=CiUKEPqlBekzoNEukL7qlsjBCDYSCWhvdHAgZGVtbyABKAEwATgEEAEYASAAKNuv15j6%2F%2F%2F%2F%2FwE%3D",
        &["otpauth://hotp/hotp%20demo?secret=7KSQL2JTUDIS5EF65KLMRQIIGY&counter=4"],
    ),
    (
        "otpauth-migration://offline?data=CjYKEPqlBekzoNEukL7qlsjBCDYSHGVuY29kaW5nOiDCv8Okw4TDqcOJPyAoZGVtbykgASgBMAIQARgBIAAorfCurv%2F%2F%2F%2F%2F%2FAQ%3D%3D",
        &[
            "otpauth://totp/encoding%3A%20%C2%BF%C3%A4%C3%84%C3%A9%C3%89%3F%20%28demo%29?secret=7KSQL2JTUDIS5EF65KLMRQIIGY",
        ],
    ),
];

#[test]
fn scito_extract_otp_secrets_examples() {
    for (export, expected) in SCITO {
        let keys = migration::import(export).unwrap();
        let want: Vec<KeyUri> = expected.iter().map(|u| KeyUri::parse(u).unwrap()).collect();
        assert_eq!(keys, want, "{export}");
    }
    // The name "encoding: ¿äÄéÉ? (demo)" is a label: its prefix is the label issuer.
    let keys = migration::import(SCITO[4].0).unwrap();
    assert_eq!(keys[0].label_issuer(), Some("encoding"));
    assert_eq!(keys[0].account(), "\u{bf}\u{e4}\u{c4}\u{e9}\u{c9}? (demo)");
}

/// github.com/scito/extract_otp_secrets, `tests/data/test_plus_problem_export.txt`: `data` with
/// a literal, unencoded `+` (and `/`, `=`). Secrets read independently with Python's base64
/// and a hand protobuf reader.
const PLUS_PROBLEM: &str = "otpauth-migration://offline?data=ClEKFAciUeGF4aS6IDCvMv99ySZ1ekKsEiVTZXJlbml0eUxhYnM6dGVzdDFAc2VyZW5pdHlsYWJzLmNvLnVrGgxTZXJlbml0eUxhYnMgASgBMAIKUQoUkIY8/fbrHZWTb4CBln18lvqt0HcSJVNlcmVuaXR5TGFiczp0ZXN0MkBzZXJlbml0eWxhYnMuY28udWsaDFNlcmVuaXR5TGFicyABKAEwAgpRChScf+1/Ua4d4gCY0W/7fj9VBkM9PBIlU2VyZW5pdHlMYWJzOnRlc3QzQHNlcmVuaXR5bGFicy5jby51axoMU2VyZW5pdHlMYWJzIAEoATACClEKFG6Qu0ryTSFA/l5rmvTIXtNeb5LtEiVTZXJlbml0eUxhYnM6dGVzdDRAc2VyZW5pdHlsYWJzLmNvLnVrGgxTZXJlbml0eUxhYnMgASgBMAIQARgBIAAogtTa1vz/////AQ==";

#[test]
fn a_literal_plus_and_a_plus_that_became_a_space() {
    let secrets = [
        "A4RFDYMF4GSLUIBQV4ZP67OJEZ2XUQVM",
        "SCDDZ7PW5MOZLE3PQCAZM7L4S35K3UDX",
        "TR76272RVYO6EAEY2FX7W7R7KUDEGPJ4",
        "N2ILWSXSJUQUB7S6NONPJSC62NPG7EXN",
    ];
    let spaced = PLUS_PROBLEM.replace('+', " ");
    assert_ne!(spaced, PLUS_PROBLEM);
    let encoded = PLUS_PROBLEM.replace('+', "%2B");
    for uri in [PLUS_PROBLEM, spaced.as_str(), encoded.as_str()] {
        let keys = migration::import(uri).unwrap();
        assert_eq!(keys.len(), 4);
        for (i, key) in keys.iter().enumerate() {
            let want = format!(
                "otpauth://totp/SerenityLabs:test{}@serenitylabs.co.uk?secret={}&issuer=SerenityLabs",
                i + 1,
                secrets[i]
            );
            assert_eq!(key, &KeyUri::parse(&want).unwrap());
        }
    }
}

/// github.com/johncallahan/otpauth_migration, `test/otpauth_migration_test_data.dart`: a
/// 22-account export in three QR codes (`string1Of3UrlEncoded` …), with the URIs that project
/// lists for each (`list1Of3` …; here the first and last of each).
const BATCHES: [(&str, usize, [&str; 2]); 3] = [
    (
        "otpauth-migration://offline?data=CjgKFEAMt6taggt2RMlyOqc%2FgKq4rLAdEhRBQ01FOm9uZUBleGFtcGxlLmNvbRoEQUNNRSABKAEwAgo4ChT2aPztshguMytZeJ7mD5gmjwJrlhIUQUNNRTp0d29AZXhhbXBsZS5jb20aBEFDTUUgASgBMAIKOgoUNT2RciBQftSX5pYbnfYyeQmte8wSFkFDTUU6dGhyZWVAZXhhbXBsZS5jb20aBEFDTUUgASgBMAIKOQoUd2SPY9F%2BYOZ0kchIO6I0FiVe6SYSFUFDTUU6Zm91ckBleGFtcGxlLmNvbRoEQUNNRSABKAEwAgo5ChRGVdxYupF5A3VN1FvCB7KOFHJMEBIVQUNNRTpmaXZlQGV4YW1wbGUuY29tGgRBQ01FIAEoATACCjgKFPW7LtgHn%2Fo4s1UAvmwb%2FBDMSxOhEhRBQ01FOnNpeEBleGFtcGxlLmNvbRoEQUNNRSABKAEwAgo6ChQ%2BWpi%2BlKrk%2FDlTh7D3oD21yPi2IhIWQUNNRTpzZXZlbkBleGFtcGxlLmNvbRoEQUNNRSABKAEwAgo6ChSmPi4DpijhO49AE3VlsP9rBCgKvhIWQUNNRTplaWdodEBleGFtcGxlLmNvbRoEQUNNRSABKAEwAgo5ChTDJbVsyBwYtzVPvx7EjAEYQH%2BNHRIVQUNNRTpuaW5lQGV4YW1wbGUuY29tGgRBQ01FIAEoATACCjgKFIe1FhE2wfYShI3ZTcgyqP%2BOiIM%2BEhRBQ01FOnRlbkBleGFtcGxlLmNvbRoEQUNNRSABKAEwAhABGAMgACjYkYF4",
        10,
        [
            "otpauth://totp/ACME:one@example.com?secret=IAGLPK22QIFXMRGJOI5KOP4AVK4KZMA5&issuer=ACME&algorithm=SHA1&digits=6&period=30",
            "otpauth://totp/ACME:ten@example.com?secret=Q62RMEJWYH3BFBEN3FG4QMVI76HIRAZ6&issuer=ACME&algorithm=SHA1&digits=6&period=30",
        ],
    ),
    (
        "otpauth-migration://offline?data=CjsKFJnXM4qkFXGvKXG99Yip3Y%2Bwu22%2BEhdBQ01FOmVsZXZlbkBleGFtcGxlLmNvbRoEQUNNRSABKAEwAgo7ChQILfKeHrURHnbgBlb3%2Bih5nIbNMRIXQUNNRTp0d2VsdmVAZXhhbXBsZS5jb20aBEFDTUUgASgBMAIKPQoUGbmHd%2BJGX%2BJeFXtvoQEDPCtZtfgSGUFDTUU6dGhpcnRlZW5AZXhhbXBsZS5jb20aBEFDTUUgASgBMAIKPQoUS43ZC59C0jnhiCRSRC4wsUkgIFkSGUFDTUU6Zm91cnRlZW5AZXhhbXBsZS5jb20aBEFDTUUgASgBMAIKPAoUDXHDXptDHG48ffDX470wX8QfPokSGEFDTUU6ZmlmdGVlbkBleGFtcGxlLmNvbRoEQUNNRSABKAEwAgo8ChRAOkNzc9Jk30qQCRTMDYdtQo26cxIYQUNNRTpzaXh0ZWVuQGV4YW1wbGUuY29tGgRBQ01FIAEoATACCj4KFEGT6fvPwMT6qJXUXk9NA1Cp3tIzEhpBQ01FOnNldmVudGVlbkBleGFtcGxlLmNvbRoEQUNNRSABKAEwAgo9ChTDzFdCAvpLzPZ%2F0vZEMhQXqh7mZxIZQUNNRTplaWdodGVlbkBleGFtcGxlLmNvbRoEQUNNRSABKAEwAgo9ChSMR9YASr0LLX%2BVspWlIXnkTIDzzRIZQUNNRTpuaW5ldGVlbkBleGFtcGxlLmNvbRoEQUNNRSABKAEwAgo7ChSRv%2Fqs7BwtQ5vyYbHxhXM8I3K8YRIXQUNNRTp0d2VudHlAZXhhbXBsZS5jb20aBEFDTUUgASgBMAIQARgDIAEo2JGBeA%3D%3D",
        10,
        [
            "otpauth://totp/ACME:eleven@example.com?secret=THLTHCVECVY26KLRXX2YRKO5R6YLW3N6&issuer=ACME&algorithm=SHA1&digits=6&period=30",
            "otpauth://totp/ACME:twenty@example.com?secret=SG77VLHMDQWUHG7SMGY7DBLTHQRXFPDB&issuer=ACME&algorithm=SHA1&digits=6&period=30",
        ],
    ),
    (
        "otpauth-migration://offline?data=Cj8KFG423VA%2BmkFuqplxC%2BfgO%2BASoafzEhtBQ01FOnR3ZW50eS1vbmVAZXhhbXBsZS5jb20aBEFDTUUgASgBMAIKPwoUZ5RKVxJWL7P5RcYBhy5tQL80ycISG0FDTUU6dHdlbnR5LXR3b0BleGFtcGxlLmNvbRoEQUNNRSABKAEwAhABGAMgAijYkYF4",
        2,
        [
            "otpauth://totp/ACME:twenty-one@example.com?secret=NY3N2UB6TJAW5KUZOEF6PYB34AJKDJ7T&issuer=ACME&algorithm=SHA1&digits=6&period=30",
            "otpauth://totp/ACME:twenty-two@example.com?secret=M6KEUVYSKYX3H6KFYYAYOLTNIC7TJSOC&issuer=ACME&algorithm=SHA1&digits=6&period=30",
        ],
    ),
];

#[test]
fn johncallahan_three_batches_import_one_by_one_in_any_order() {
    let mut ids = Vec::new();
    for (index, (uri, count, [first, last])) in BATCHES.iter().enumerate().rev() {
        let batch = migration::import_batch(uri).unwrap();
        assert_eq!(batch.keys.len(), *count);
        assert_eq!(batch.keys[0], KeyUri::parse(first).unwrap());
        assert_eq!(batch.keys[count - 1], KeyUri::parse(last).unwrap());
        assert_eq!(
            (batch.index, batch.size),
            (i32::try_from(index).unwrap(), 3)
        );
        ids.push(batch.id);
    }
    // "2JGBeA" ends each payload: field 5, the varint d8 91 81 78 = 251676888.
    assert_eq!(ids, [251_676_888; 3]);
}

// --- Payloads encoded by hand ----------------------------------------------------------------

fn varint(out: &mut Vec<u8>, mut v: u64) {
    while v >= 0x80 {
        out.push((v as u8) | 0x80);
        v >>= 7;
    }
    out.push(v as u8);
}

/// Writes a varint field; zero is the proto3 default and is left out, as encoders do.
fn field_varint(out: &mut Vec<u8>, tag: u64, v: u64) {
    if v == 0 {
        return;
    }
    varint(out, tag << 3);
    varint(out, v);
}

/// Writes a length-delimited field; empty is the proto3 default and is left out.
fn field_bytes(out: &mut Vec<u8>, tag: u64, b: &[u8]) {
    if b.is_empty() {
        return;
    }
    varint(out, (tag << 3) | 2);
    varint(out, b.len() as u64);
    out.extend_from_slice(b);
}

/// An `OtpParameters` message: secret, name, issuer, algorithm, digits, type, counter.
fn otp(
    secret: &[u8],
    name: &str,
    issuer: &str,
    alg: u64,
    digits: u64,
    kind: u64,
    counter: i64,
) -> Vec<u8> {
    let mut m = Vec::new();
    field_bytes(&mut m, 1, secret);
    field_bytes(&mut m, 2, name.as_bytes());
    field_bytes(&mut m, 3, issuer.as_bytes());
    field_varint(&mut m, 4, alg);
    field_varint(&mut m, 5, digits);
    field_varint(&mut m, 6, kind);
    field_varint(&mut m, 7, counter as u64);
    m
}

fn payload(accounts: &[Vec<u8>], size: u64, index: u64, id: u64) -> Vec<u8> {
    let mut p = Vec::new();
    for a in accounts {
        field_bytes(&mut p, 1, a);
    }
    field_varint(&mut p, 2, 1);
    field_varint(&mut p, 3, size);
    field_varint(&mut p, 4, index);
    field_varint(&mut p, 5, id);
    p
}

fn base64(bytes: &[u8]) -> String {
    const A: &[u8; 64] = b"ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";
    let mut s = String::new();
    for c in bytes.chunks(3) {
        let n = (u32::from(c[0]) << 16)
            | (u32::from(*c.get(1).unwrap_or(&0)) << 8)
            | u32::from(*c.get(2).unwrap_or(&0));
        for i in 0..4 {
            if i <= c.len() {
                s.push(A[((n >> (18 - 6 * i)) & 63) as usize] as char);
            } else {
                s.push('=');
            }
        }
    }
    s
}

fn migration_uri(payload: &[u8]) -> String {
    let b64 = base64(payload)
        .replace('+', "%2B")
        .replace('/', "%2F")
        .replace('=', "%3D");
    format!("otpauth-migration://offline?data={b64}")
}

#[test]
fn hand_encoded_accounts_import() {
    let accounts = [
        otp(
            b"12345678901234567890",
            "ACME Co:john@example.com",
            "ACME Co",
            2,
            2,
            2,
            0,
        ),
        otp(b"foo", "bob", "", 3, 1, 1, 42),
        // Unspecified algorithm and digits mean SHA1 and six.
        otp(b"bar", "Issuer:  carol", "Other", 0, 0, 2, 0),
    ];
    let batch = migration::import_batch(&migration_uri(&payload(&accounts, 1, 0, 7))).unwrap();
    assert_eq!((batch.index, batch.size, batch.id), (0, 1, 7));
    let want = [
        "otpauth://totp/ACME%20Co:john@example.com?secret=GEZDGNBVGY3TQOJQGEZDGNBVGY3TQOJQ&issuer=ACME%20Co&algorithm=SHA256&digits=8",
        "otpauth://hotp/bob?secret=MZXW6&algorithm=SHA512&counter=42",
        "otpauth://totp/Issuer:carol?secret=MJQXE&issuer=Other",
    ];
    let want: Vec<KeyUri> = want.iter().map(|u| KeyUri::parse(u).unwrap()).collect();
    assert_eq!(batch.keys, want);
}

#[test]
fn unknown_fields_are_skipped() {
    let mut account = otp(b"foo", "bob", "", 1, 1, 2, 0);
    field_varint(&mut account, 8, 12345); // a newer exporter's field
    field_bytes(&mut account, 9, b"extra");
    let mut p = payload(&[account], 1, 0, 1);
    field_bytes(&mut p, 6, b"more");
    let keys = migration::import(&migration_uri(&p)).unwrap();
    assert_eq!(
        keys,
        [KeyUri::parse("otpauth://totp/bob?secret=MZXW6").unwrap()]
    );
}

#[test]
fn accounts_that_cannot_be_read_are_named() {
    let cases = [
        (
            otp(b"foo", "md5 key", "", 4, 1, 2, 0),
            AccountProblem::UnsupportedAlgorithm,
            "unsupported algorithm (expected SHA1, SHA256 or SHA512)",
        ),
        (
            otp(b"foo", "alg 9", "", 9, 1, 2, 0),
            AccountProblem::UnsupportedAlgorithm,
            "unsupported algorithm (expected SHA1, SHA256 or SHA512)",
        ),
        (
            otp(b"foo", "seven", "", 1, 3, 2, 0),
            AccountProblem::UnsupportedDigits,
            "digits must be 6 or 8",
        ),
        (
            otp(b"foo", "no type", "", 1, 1, 0, 0),
            AccountProblem::UnsupportedType,
            "otp type must be hotp or totp",
        ),
        (
            otp(b"foo", "type 3", "", 1, 1, 3, 0),
            AccountProblem::UnsupportedType,
            "otp type must be hotp or totp",
        ),
        (
            otp(b"foo", "neg", "", 1, 1, 1, -1),
            AccountProblem::NegativeCounter,
            "counter is negative",
        ),
        (
            otp(b"", "empty", "", 1, 1, 2, 0),
            AccountProblem::EmptySecret,
            "secret is empty",
        ),
    ];
    for (bad, problem, text) in cases {
        let good = otp(b"ok", "fine", "", 1, 1, 2, 0);
        let uri = migration_uri(&payload(&[good, bad.clone()], 1, 0, 1));
        let err = migration::import(&uri).unwrap_err();
        let migration::Error::Account {
            index,
            account,
            problem: got,
        } = &err
        else {
            panic!("{err:?}");
        };
        assert_eq!((*index, *got), (1, problem));
        assert_eq!(err.to_string(), format!("account 1 ({account:?}): {text}"));
        assert!(!err.to_string().contains("Zm9v"));
        leak::assert_hidden(&err.to_string(), b"foo");
        leak::assert_hidden(&format!("{err:?}"), b"foo");
    }
    // A negative counter on a TOTP account is irrelevant and ignored.
    let uri = migration_uri(&payload(&[otp(b"foo", "t", "", 1, 1, 2, -5)], 1, 0, 1));
    assert_eq!(
        migration::import(&uri).unwrap()[0].credential().kind(),
        Kind::Totp { period: 30, t0: 0 }
    );
}

#[test]
fn malformed_exports_give_exact_errors() {
    let good = migration_uri(&payload(&[otp(b"foo", "a", "", 1, 1, 2, 0)], 1, 0, 1));
    let data = good.split("data=").nth(1).unwrap().to_owned();
    let cases: Vec<(String, migration::Error, &str)> = vec![
        (
            "otpauth://totp/a?secret=MZXW6".into(),
            migration::Error::InvalidScheme,
            "not an otpauth-migration://offline uri",
        ),
        (
            format!("otpauth-migration://online?data={data}"),
            migration::Error::InvalidScheme,
            "not an otpauth-migration://offline uri",
        ),
        (
            "otpauth-migration://offline".into(),
            migration::Error::MissingData,
            "missing data parameter",
        ),
        (
            "otpauth-migration://offline?dat=x".into(),
            migration::Error::MissingData,
            "missing data parameter",
        ),
        (
            format!("{good}&data={data}"),
            migration::Error::DuplicateData,
            "duplicate data parameter",
        ),
        (
            "otpauth-migration://offline?data=ab%2".into(),
            migration::Error::InvalidPercentEncoding { position: 35 },
            "invalid percent-encoding at position 35",
        ),
        (
            "otpauth-migration://offline?x=1&data=%zz".into(),
            migration::Error::InvalidPercentEncoding { position: 37 },
            "invalid percent-encoding at position 37",
        ),
        (
            "otpauth-migration://offline?data=A".into(),
            migration::Error::InvalidBase64,
            "data is not valid base64",
        ),
        (
            "otpauth-migration://offline?data=ab-_".into(),
            migration::Error::InvalidBase64,
            "data is not valid base64",
        ),
        // 0x0a 0x05: field 1, length 5, but only one byte follows.
        (
            "otpauth-migration://offline?data=CgUA".into(),
            migration::Error::InvalidPayload,
            "data is not a migration payload",
        ),
        (
            format!(
                "otpauth-migration://offline?data={data}&x={}",
                "y".repeat(65536)
            ),
            migration::Error::TooLong,
            "uri is longer than 64 KiB",
        ),
    ];
    for (uri, err, text) in cases {
        assert_eq!(migration::import(&uri), Err(err.clone()), "{uri:.80}");
        assert_eq!(err.to_string(), text);
    }
    // Case, whitespace, fragments and other parameters do not matter.
    let upper = format!(" OTPAUTH-MIGRATION://OFFLINE?x=1&data={data}#frag\n");
    assert_eq!(migration::import(&upper), migration::import(&good));
    assert_eq!(
        migration::import("otpauth-migration://offline?data="),
        Ok(vec![])
    );
}

// --- Export ------------------------------------------------------------------------------------

fn totp_key(secret: &[u8], issuer: Option<&str>, account: &str) -> KeyUri {
    let cred = Credential::totp(
        Secret::from_bytes(secret).unwrap(),
        Algorithm::Sha1,
        Digits::SIX,
        30,
    )
    .unwrap();
    KeyUri::new(cred, issuer, account).unwrap()
}

#[test]
fn export_writes_the_wire_format_by_hand() {
    let key = totp_key(
        b"Hello!\xde\xad\xbe\xef",
        Some("Example"),
        "alice@google.com",
    );
    let uris = migration::export(&[key]).unwrap();
    assert_eq!(uris.len(), 1);
    let batch = migration::import_batch(&uris[0]).unwrap();
    let want = payload(
        &[otp(
            b"Hello!\xde\xad\xbe\xef",
            "Example:alice@google.com",
            "Example",
            1,
            1,
            2,
            0,
        )],
        1,
        0,
        u64::try_from(batch.id).unwrap(),
    );
    assert_eq!(uris[0].as_str(), migration_uri(&want));
    assert!(batch.id >= 0);
}

#[test]
fn export_batches_ten_accounts_per_uri() {
    let keys: Vec<KeyUri> = (0..25u8)
        .map(|i| totp_key(&[i, 1, 2, 3], Some("ACME"), &format!("user{i}@example.com")))
        .collect();
    let uris = migration::export(&keys).unwrap();
    assert_eq!(uris.len(), 3);
    let mut back = Vec::new();
    let mut ids = Vec::new();
    for (i, uri) in uris.iter().enumerate() {
        let batch = migration::import_batch(uri).unwrap();
        assert_eq!(
            batch.keys.len(),
            if i < 2 { migration::BATCH_LEN } else { 5 }
        );
        assert_eq!((batch.index, batch.size), (i32::try_from(i).unwrap(), 3));
        ids.push(batch.id);
        back.extend(batch.keys);
    }
    assert_eq!(back, keys);
    assert!(ids.iter().all(|&id| id == ids[0]));
    // The same keys give the same export; other keys another batch id.
    assert_eq!(migration::export(&keys).unwrap(), uris);
    let other = migration::import_batch(&migration::export(&keys[1..]).unwrap()[0]).unwrap();
    assert_ne!(other.id, ids[0]);
    assert_eq!(
        migration::export(&[]).unwrap(),
        Vec::<zeroize::Zeroizing<String>>::new()
    );
}

#[test]
fn export_names_keys_google_authenticator_cannot_hold() {
    let s = || Secret::from_bytes(b"k").unwrap();
    let bad = [
        (
            KeyUri::new(Credential::steam(s()), Some("Steam"), "gaben").unwrap(),
            AccountProblem::Steam,
            "google authenticator has no steam guard keys",
        ),
        (
            KeyUri::new(
                Credential::totp(s(), Algorithm::Sha1, Digits::SIX, 60).unwrap(),
                None,
                "slow",
            )
            .unwrap(),
            AccountProblem::Period,
            "google authenticator only has 30-second periods",
        ),
        (
            KeyUri::new(
                Credential::totp(s(), Algorithm::Sha1, Digits::SEVEN, 30).unwrap(),
                None,
                "seven",
            )
            .unwrap(),
            AccountProblem::Digits,
            "google authenticator only has 6 or 8 digits",
        ),
        (
            KeyUri::new(
                Credential::hotp(s(), Algorithm::Sha1, Digits::new(10).unwrap(), 0),
                None,
                "ten",
            )
            .unwrap(),
            AccountProblem::Digits,
            "google authenticator only has 6 or 8 digits",
        ),
        (
            KeyUri::new(
                Credential::hotp(s(), Algorithm::Sha1, Digits::SIX, u64::MAX),
                None,
                "big",
            )
            .unwrap(),
            AccountProblem::CounterTooLarge,
            "counter is larger than google authenticator can store",
        ),
    ];
    for (key, problem, text) in bad {
        let good = totp_key(b"ok", None, "fine");
        let account = key.account().to_owned();
        let err = migration::export(&[good.clone(), good, key]).unwrap_err();
        assert_eq!(
            err,
            migration::Error::Account {
                index: 2,
                account: account.clone(),
                problem
            }
        );
        assert_eq!(err.to_string(), format!("account 2 ({account:?}): {text}"));
    }
    // i64::MAX is the largest counter that fits.
    let key = KeyUri::new(
        Credential::hotp(s(), Algorithm::Sha1, Digits::EIGHT, i64::MAX as u64),
        None,
        "max",
    )
    .unwrap();
    assert_eq!(
        migration::import(&migration::export(core::slice::from_ref(&key)).unwrap()[0]).unwrap(),
        [key]
    );
}

#[test]
fn a_label_issuer_with_a_colon_moves_to_the_issuer_field() {
    let key = KeyUri::parse("otpauth://totp/A%3AB:bob?secret=MZXW6").unwrap();
    let back = migration::import(&migration::export(&[key]).unwrap()[0]).unwrap();
    assert_eq!(
        back,
        [KeyUri::parse("otpauth://totp/bob?secret=MZXW6&issuer=A%3AB").unwrap()]
    );
    // With an issuer parameter, that parameter stays the issuer.
    let key = KeyUri::parse("otpauth://totp/A%3AB:a%3Ab?secret=MZXW6&issuer=C").unwrap();
    let back = migration::import(&migration::export(&[key]).unwrap()[0]).unwrap();
    assert_eq!(
        back,
        [KeyUri::parse("otpauth://totp/:a%3Ab?secret=MZXW6&issuer=C").unwrap()]
    );
}

fn exportable() -> impl Strategy<Value = KeyUri> {
    let text = prop_oneof!["[a-zA-Z0-9 :%+&=@.-]{0,12}", any::<String>()];
    (
        proptest::collection::vec(any::<u8>(), 1..64),
        prop_oneof![
            Just(Algorithm::Sha1),
            Just(Algorithm::Sha256),
            Just(Algorithm::Sha512)
        ],
        prop_oneof![Just(Digits::SIX), Just(Digits::EIGHT)],
        proptest::option::of(0..=i64::MAX as u64),
        proptest::option::of(text.clone()),
        text,
    )
        .prop_map(|(secret, algorithm, digits, counter, issuer, account)| {
            let secret = Secret::from_bytes(&secret).unwrap();
            let cred = match counter {
                Some(c) => Credential::hotp(secret, algorithm, digits, c),
                None => Credential::totp(secret, algorithm, digits, 30).unwrap(),
            };
            KeyUri::new(cred, issuer.as_deref(), &account).unwrap()
        })
}

proptest! {
    #[test]
    fn export_then_import_gives_the_keys_back(keys in proptest::collection::vec(exportable(), 0..23)) {
        let uris = migration::export(&keys).unwrap();
        prop_assert_eq!(uris.len(), keys.len().div_ceil(migration::BATCH_LEN));
        let mut back = Vec::new();
        for uri in &uris {
            back.extend(migration::import(uri).unwrap());
        }
        prop_assert_eq!(back.len(), keys.len());
        for (got, key) in back.iter().zip(&keys) {
            if key.label_issuer().is_some_and(|i| i.contains(':')) {
                // Moved to the issuer field: what the user sees is the same.
                prop_assert_eq!(got.issuer(), key.issuer());
                prop_assert_eq!(got.account(), key.account());
                prop_assert_eq!(got.credential(), key.credential());
            } else {
                prop_assert_eq!(got, key);
            }
        }
    }

    #[test]
    fn import_never_panics(data in "[A-Za-z0-9+/= %]{0,200}") {
        let _ = migration::import(&format!("otpauth-migration://offline?data={data}"));
    }

    #[test]
    fn import_never_panics_on_any_payload(bytes in proptest::collection::vec(any::<u8>(), 0..200)) {
        let _ = migration::import(&migration_uri(&bytes));
    }
}
