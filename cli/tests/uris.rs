//! `otpkit inspect`, `import` and `export`: the uri module's own case file run through the
//! binary, a round trip through an export built here, and a public sample export.
#![allow(
    clippy::unwrap_used,
    clippy::expect_used,
    clippy::panic,
    clippy::indexing_slicing
)]

mod common;

use common::{otpkit, otpkit_stdin, scratch_file};
use otpkit::{Algorithm, Credential, Digits, KeyUri, Secret, qr::QrCode};
use serde_json::{Value, json};

/// The JSON object `inspect --json` prints for `uri`.
fn inspect(uri: &str) -> Value {
    serde_json::from_str(otpkit(&["inspect", "--json", uri]).ok()).unwrap()
}

fn hex(bytes: &[u8]) -> String {
    bytes.iter().map(|b| format!("{b:02x}")).collect()
}

#[test]
fn inspect_json_has_exactly_the_documented_keys_in_order() {
    let uri = "otpauth://hotp/ACME%20Co:john.doe@email.com?secret=HXDMVJECJJWSRB3HWIZR4IFUGFTMXBOZ&issuer=ACME&algorithm=SHA256&digits=8&counter=7&image=https%3A%2F%2Fexample.com%2Fa.png";
    let text = otpkit(&["inspect", "--json", uri]).ok().to_owned();
    let value: Value = serde_json::from_str(&text).unwrap();
    let keys: Vec<&str> = value
        .as_object()
        .unwrap()
        .keys()
        .map(String::as_str)
        .collect();
    assert_eq!(
        keys,
        [
            "type",
            "issuer",
            "label_issuer",
            "account",
            "secret",
            "bits",
            "algorithm",
            "digits",
            "period",
            "counter",
            "params"
        ]
    );
    assert_eq!(
        value,
        json!({
            "type": "hotp", "issuer": "ACME", "label_issuer": "ACME Co", "account": "john.doe@email.com",
            "secret": "HXDMVJECJJWSRB3HWIZR4IFUGFTMXBOZ", "bits": 160, "algorithm": "SHA256",
            "digits": 8, "period": null, "counter": 7,
            "params": {"image": "https://example.com/a.png"},
        })
    );
    assert_eq!(text.lines().count(), 1, "one object on one line");

    let steam = inspect("otpauth://steam/Steam:gaben?secret=GEZDGNBV");
    assert_eq!(
        (
            &steam["type"],
            &steam["digits"],
            &steam["period"],
            &steam["counter"]
        ),
        (&json!("steam"), &json!(5), &json!(30), &Value::Null)
    );
    // A bare secret has no names; the flags still apply.
    assert_eq!(
        serde_json::from_str::<Value>(
            otpkit_stdin(
                &[
                    "inspect",
                    "--json",
                    "--hotp",
                    "--counter",
                    "3",
                    "--algorithm",
                    "sha512"
                ],
                "jbsw y3dp\n"
            )
            .ok()
        )
        .unwrap(),
        json!({
            "type": "hotp", "issuer": null, "label_issuer": null, "account": "", "secret": "JBSWY3DP",
            "bits": 40, "algorithm": "SHA512", "digits": 6, "period": null, "counter": 3, "params": {},
        })
    );
}

/// Every case of the library's `tests/data/uri_cases.json` through `otpkit inspect --json`:
/// accepted URIs give the case's values (and the defaults for what it leaves out), refused
/// ones give its error text on one line, without the secret.
#[test]
fn inspect_agrees_with_the_uri_case_file() {
    let path = concat!(env!("CARGO_MANIFEST_DIR"), "/../tests/data/uri_cases.json");
    let cases: Vec<Value> = serde_json::from_str(&std::fs::read_to_string(path).unwrap()).unwrap();
    assert!(cases.len() > 50);
    for case in &cases {
        let uri = case["uri"].as_str().unwrap();
        let rule = case["rule"].as_str().unwrap();
        if let Some(ok) = case.get("ok") {
            let got = inspect(uri);
            let secret = Secret::from_base32(got["secret"].as_str().unwrap()).unwrap();
            assert_eq!(hex(secret.as_bytes()), ok["secret"], "{rule}");
            assert_eq!(got["bits"], json!(secret.bits()), "{rule}");
            let kind = ok.get("type").and_then(Value::as_str).unwrap_or("totp");
            assert_eq!(got["type"], kind, "{rule}");
            assert_eq!(got["account"], ok["account"], "{rule}");
            for name in ["issuer", "label_issuer"] {
                assert_eq!(
                    got[name],
                    ok.get(name).cloned().unwrap_or(Value::Null),
                    "{rule}: {name}"
                );
            }
            let digits = if kind == "steam" { json!(5) } else { json!(6) };
            assert_eq!(
                got["digits"],
                ok.get("digits").cloned().unwrap_or(digits),
                "{rule}"
            );
            assert_eq!(
                got["algorithm"],
                ok.get("algorithm").cloned().unwrap_or(json!("SHA1")),
                "{rule}"
            );
            let period = if kind == "hotp" {
                Value::Null
            } else {
                json!(30)
            };
            assert_eq!(
                got["period"],
                ok.get("period").cloned().unwrap_or(period),
                "{rule}"
            );
            let counter = if kind == "hotp" {
                json!(0)
            } else {
                Value::Null
            };
            assert_eq!(
                got["counter"],
                ok.get("counter").cloned().unwrap_or(counter),
                "{rule}"
            );
            // A repeated unknown parameter shows its first value.
            let mut params = serde_json::Map::new();
            for pair in ok
                .get("params")
                .and_then(Value::as_array)
                .into_iter()
                .flatten()
            {
                params
                    .entry(pair[0].as_str().unwrap())
                    .or_insert_with(|| pair[1].clone());
            }
            assert_eq!(got["params"], Value::Object(params), "{rule}");
        } else {
            let err = case["err"].as_str().unwrap();
            let run = otpkit(&["inspect", "--json", uri]);
            let line = run.error();
            let lower = uri.trim_start().to_ascii_lowercase();
            if lower.starts_with("otpauth-migration:") {
                // The CLI points at the command that reads these.
                assert_eq!(
                    line,
                    "otpkit: KEY is a Google Authenticator export: turn it into otpauth:// URIs with `otpkit import`"
                );
            } else if lower.contains(':') {
                // A URI (base32 has no colon), of the wrong scheme or not usable.
                assert_eq!(
                    line,
                    format!("otpkit: KEY is not a usable otpauth:// URI: {err}"),
                    "{rule}"
                );
            } else if uri.trim().is_empty() {
                assert_eq!(
                    line,
                    "otpkit: KEY is empty: give a base32 secret or an otpauth:// URI"
                );
            } else {
                // Not a URI at all: read as a bare secret, and refused as one.
                assert!(
                    line.starts_with("otpkit: KEY is not base32"),
                    "{rule}: {line}"
                );
            }
            if let Some(start) = uri.find("secret=") {
                let secret: String = uri[start + 7..]
                    .chars()
                    .take_while(|c| c.is_ascii_alphanumeric())
                    .collect();
                if secret.len() >= 8 {
                    assert!(!line.contains(&secret), "{rule}: secret in {line}");
                }
            }
        }
    }
}

#[test]
fn inspect_for_a_person() {
    let uri = "otpauth://totp/Contoso:alice%40contoso.com?secret=jbswy3dpehpk3pxp&issuer=Microsoft&digits=8&color=red";
    let file = scratch_file("inspect-uri.txt", &format!("{uri}\n"));
    let from_file = otpkit(&["inspect", "--key-file", file.to_str().unwrap()]);
    assert_eq!(
        from_file.ok(),
        "type          TOTP (time-based)\n\
         issuer        Microsoft\n\
         label issuer  Contoso\n\
         account       alice@contoso.com\n\
         secret        JBSW Y3DP EHPK 3PXP (80 bits)\n\
         algorithm     SHA1\n\
         digits        8\n\
         period        30 s\n\
         param         color=red\n"
    );
    assert_eq!(otpkit_stdin(&["inspect"], uri).ok(), from_file.stdout);
    assert_eq!(otpkit(&["inspect", uri]).ok(), from_file.stdout);
    let hotp = otpkit(&["inspect", "otpauth://hotp/bob?secret=GEZDGNBV&counter=9"]);
    assert!(hotp.ok().contains("type          HOTP (counter-based)\n"));
    assert!(hotp.stdout.contains("issuer        (none)\n"));
    assert!(hotp.stdout.contains("counter       9\n"));
}

/// Keys with different parameters, made by the library, as URIs.
fn sample_keys(n: usize) -> Vec<KeyUri> {
    (0..n)
        .map(|i| {
            let secret = Secret::from_bytes(&[u8::try_from(i).unwrap() + 1; 20]).unwrap();
            let credential = match i % 3 {
                0 => Credential::totp(secret, Algorithm::Sha1, Digits::SIX, 30).unwrap(),
                1 => Credential::totp(secret, Algorithm::Sha256, Digits::EIGHT, 30).unwrap(),
                _ => Credential::hotp(secret, Algorithm::Sha512, Digits::SIX, 40 + i as u64),
            };
            KeyUri::new(
                credential,
                Some(&format!("Issuer {i}")),
                &format!("user{i}@example.com"),
            )
            .unwrap()
        })
        .collect()
}

#[test]
fn export_then_import_gives_the_keys_back() {
    let keys = sample_keys(12);
    let uris: String = keys
        .iter()
        .map(|k| format!("{}\n", k.to_uri().as_str()))
        .collect();
    let exported = otpkit_stdin(&["export", "--no-qr"], &uris);
    let batches: Vec<&str> = exported.ok().lines().collect();
    assert_eq!(batches.len(), 2, "at most ten accounts an export");
    assert!(
        batches
            .iter()
            .all(|b| b.starts_with("otpauth-migration://offline?data="))
    );

    let imported = otpkit_stdin(&["import"], &exported.stdout);
    let back: Vec<KeyUri> = imported
        .ok()
        .lines()
        .map(|l| KeyUri::parse(l).unwrap())
        .collect();
    assert_eq!(back, keys);
    // One export as the argument: its ten keys.
    let first = otpkit(&["import", batches[0]]);
    assert_eq!(first.ok().lines().count(), 10);

    let json: Value = serde_json::from_str(otpkit(&["import", "--json", batches[1]]).ok()).unwrap();
    let list = json.as_array().unwrap();
    assert_eq!(list.len(), 2);
    assert_eq!(list[0], inspect(&keys[10].to_uri()));
    assert_eq!(list[1]["type"], "hotp");
    assert_eq!(list[1]["counter"], 51);
}

#[test]
fn export_draws_a_qr_code_after_each_export() {
    let keys = sample_keys(2);
    let args: Vec<String> = keys.iter().map(|k| k.to_uri().to_string()).collect();
    let args: Vec<&str> = core::iter::once("export")
        .chain(args.iter().map(String::as_str))
        .collect();
    let run = otpkit(&args);
    let out = run.ok();
    let (export, qr) = out.split_once('\n').unwrap();
    assert_eq!(qr, QrCode::new(export).unwrap().to_terminal().as_str());
    assert_eq!(
        otpkit(&["import", export]).ok(),
        args[1..]
            .iter()
            .map(|u| format!("{u}\n"))
            .collect::<String>()
    );
}

/// A public sample: github.com/scito/extract_otp_secrets, `example_export.txt` (exports of
/// the Raspberry Pi blog's 2FA example), with the URIs that project lists for them in
/// `tests/data/url_list_output.txt`. The library's tests use the same sample.
#[test]
fn import_a_public_sample() {
    let samples = [
        (
            "otpauth-migration://offline?data=CjUKEPqlBekzoNEukL7qlsjBCDYSDnBpQHJhc3BiZXJyeXBpGgtyYXNwYmVycnlwaSABKAEwAhABGAEgACjr4JKK%2B%2F%2F%2F%2F%2F8B",
            vec![
                "otpauth://totp/pi%40raspberrypi?secret=7KSQL2JTUDIS5EF65KLMRQIIGY&issuer=raspberrypi",
            ],
        ),
        (
            "otpauth-migration://offline?data=CigKEPqlBekzoNEukL7qlsjBCDYSDnBpQHJhc3BiZXJyeXBpIAEoATACCjUKEPqlBekzoNEukL7qlsjBCDYSDnBpQHJhc3BiZXJyeXBpGgtyYXNwYmVycnlwaSABKAEwAhABGAEgACiQ7OOa%2Bf%2F%2F%2F%2F8B",
            vec![
                "otpauth://totp/pi%40raspberrypi?secret=7KSQL2JTUDIS5EF65KLMRQIIGY",
                "otpauth://totp/pi%40raspberrypi?secret=7KSQL2JTUDIS5EF65KLMRQIIGY&issuer=raspberrypi",
            ],
        ),
        (
            "otpauth-migration://offline?data=CiUKEPqlBekzoNEukL7qlsjBCDYSCWhvdHAgZGVtbyABKAEwATgEEAEYASAAKNuv15j6%2F%2F%2F%2F%2FwE%3D",
            vec!["otpauth://hotp/hotp%20demo?secret=7KSQL2JTUDIS5EF65KLMRQIIGY&counter=4"],
        ),
    ];
    let mut all_exports = String::new();
    let mut all_expected = Vec::new();
    for (export, expected) in samples {
        let run = otpkit(&["import", export]);
        let got: Vec<KeyUri> = run
            .ok()
            .lines()
            .map(|l| KeyUri::parse(l).unwrap())
            .collect();
        let want: Vec<KeyUri> = expected.iter().map(|u| KeyUri::parse(u).unwrap()).collect();
        assert_eq!(got, want, "{export}");
        all_exports.push_str(export);
        all_exports.push_str("\n\n");
        all_expected.extend(want);
    }
    // All of them on standard input, blank lines between.
    let run = otpkit_stdin(&["import", "-"], &all_exports);
    let got: Vec<KeyUri> = run
        .ok()
        .lines()
        .map(|l| KeyUri::parse(l).unwrap())
        .collect();
    assert_eq!(got, all_expected);
    // The imported HOTP key's codes are the key's: counter 4 as the export says.
    let hotp = otpkit(&[
        "code",
        "otpauth://hotp/hotp%20demo?secret=7KSQL2JTUDIS5EF65KLMRQIIGY&counter=4",
    ]);
    let key = Secret::from_base32("7KSQL2JTUDIS5EF65KLMRQIIGY").unwrap();
    let want = otpkit::Hotp::new(Algorithm::Sha1, key.as_bytes(), Digits::SIX)
        .unwrap()
        .generate(4);
    assert_eq!(hotp.ok(), format!("{want}\n"));
}

#[test]
fn import_and_export_errors() {
    let cases: [(&[&str], &str, &str); 6] = [
        (
            &["import"],
            "",
            "otpkit: no export on standard input: pipe otpauth-migration:// URIs in, one per line",
        ),
        (
            &["import", "otpauth-migration://offline?data=%zz"],
            "",
            "otpkit: not a Google Authenticator export: invalid percent-encoding at position 33",
        ),
        (
            &["import"],
            "otpauth-migration://offline?data=CiUKEPqlBekzoNEukL7qlsjBCDYSCWhvdHAgZGVtbyABKAEwATgEEAEYASAAKNuv15j6%2F%2F%2F%2F%2FwE%3D\nhttps://example.com\n",
            "otpkit: export on line 2 is not usable: not an otpauth-migration://offline uri",
        ),
        (
            &["export"],
            "\n\n",
            "otpkit: no URIs on standard input: pipe otpauth:// URIs in, one per line",
        ),
        (
            &[
                "export",
                "otpauth://totp/a?secret=JBSWY3DPEHPK3PXP",
                "otpauth://totp/b?secret=JBSWY3DPEHPK3PXP&digits=5",
            ],
            "",
            "otpkit: URI 2 is not usable: digits must be a whole number from 6 to 10",
        ),
        (
            &[
                "export",
                "otpauth://totp/a?secret=JBSWY3DPEHPK3PXP&period=60",
            ],
            "",
            "otpkit: cannot export account 0 (\"a\"): google authenticator only has 30-second periods: leave that account out",
        ),
    ];
    for (args, stdin, want) in cases {
        let run = otpkit_stdin(args, stdin);
        assert_eq!(run.error(), want, "{args:?}");
        assert!(!run.stderr.contains("JBSW"));
    }
}
