//! What `otpkit new` writes is read back the same by the clients people use: pyotp (PyPI),
//! otpauth and otplib (npm), KeePassXC (`keepassxc-cli`) and, from the QR code of `--svg`,
//! zbarimg. Each reads the URI and reports the secret, issuer, account, algorithm, digits,
//! period and the code at a fixed time, and all of it must be what otpkit asked for and
//! computes itself. The keys `new` warns of (over 512 bits, over 8 digits) are refused by the
//! clients the warnings name.
//!
//! The readers are small scripts in `tests/peers/` (`npm ci` there installs the JavaScript
//! ones from the committed lock file). A test whose peer is missing says so and passes, unless
//! `OTPKIT_REQUIRE_PEERS=1` (set by CI, which installs them all): then it fails.
#![allow(
    clippy::unwrap_used,
    clippy::expect_used,
    clippy::panic,
    clippy::indexing_slicing
)]

mod common;

use std::path::{Path, PathBuf};

use common::{otpkit, peer, run, runs};
use serde_json::Value;

/// The time every code is compared at: the start of a step for periods of 15, 30, 45, 60 and
/// 90 seconds, so that KeePassXC's clock (set to it by faketime, then running) stays in it.
const TIME: u64 = 1_700_000_100;

/// The keys `new` makes for the peers: the defaults, and every other hash, code length and a
/// period each, with names that need percent-encoding (non-ASCII, and the URI's own `&`, `/`,
/// `+`, `?`, `#`, `%`, `=`, space).
const CASES: [(&str, &str, &[&str]); 3] = [
    ("ACME Co", "alice@example.com", &[]),
    (
        "Ünïcødé&Sons/EU",
        "bob+tag@example.com",
        &[
            "--algorithm",
            "sha256",
            "--digits",
            "8",
            "--period",
            "60",
            "--bits",
            "256",
        ],
    ),
    (
        "A?b#c%d;e",
        "e=f&g h~'!*()",
        &[
            "--algorithm",
            "SHA512",
            "--digits",
            "7",
            "--period",
            "45",
            "--bits",
            "512",
        ],
    ),
];

/// What a client read from a URI. The scripts in `tests/peers/` print these keys.
#[derive(Debug, PartialEq, Eq)]
struct Read {
    secret: String,
    issuer: String,
    account: String,
    algorithm: String,
    digits: u64,
    period: u64,
    code: String,
}

impl Read {
    fn from_json(text: &str) -> Self {
        let v: Value =
            serde_json::from_str(text).unwrap_or_else(|e| panic!("not JSON ({e}): {text:?}"));
        let s = |key: &str| {
            v[key]
                .as_str()
                .unwrap_or_else(|| panic!("{key} in {v}"))
                .to_owned()
        };
        let n = |key: &str| v[key].as_u64().unwrap_or_else(|| panic!("{key} in {v}"));
        Self {
            secret: s("secret"),
            issuer: s("issuer"),
            account: s("account"),
            algorithm: s("algorithm"),
            digits: n("digits"),
            period: n("period"),
            code: s("code"),
        }
    }
}

/// A key made by `otpkit new` for one of [`CASES`]: its URI, and what a client must read
/// from it. That comes from otpkit (`inspect --json`, `code --time`), checked first against
/// what `new` was asked for.
struct Made {
    uri: String,
    want: Read,
}

fn new_key(issuer: &str, account: &str, args: &[&str], svg: Option<&Path>) -> Made {
    let mut command = vec!["new", "--issuer", issuer, "--account", account, "--no-qr"];
    command.extend_from_slice(args);
    let svg_arg;
    if let Some(path) = svg {
        svg_arg = path.to_str().unwrap().to_owned();
        command.extend(["--svg", &svg_arg]);
    }
    let out = otpkit(&command);
    let uri = out.ok().lines().next().unwrap().to_owned();
    let info: Value = serde_json::from_str(otpkit(&["inspect", "--json", &uri]).ok()).unwrap();
    let asked = |flag: &str, default: &str| {
        args.iter()
            .position(|a| *a == flag)
            .map_or(default.to_owned(), |i| args[i + 1].to_owned())
    };
    let want = Read {
        secret: info["secret"].as_str().unwrap().to_owned(),
        issuer: info["issuer"].as_str().unwrap().to_owned(),
        account: info["account"].as_str().unwrap().to_owned(),
        algorithm: info["algorithm"].as_str().unwrap().to_owned(),
        digits: info["digits"].as_u64().unwrap(),
        period: info["period"].as_u64().unwrap(),
        code: otpkit(&["code", &uri, "--time", &TIME.to_string()])
            .ok()
            .trim_end()
            .to_owned(),
    };
    assert_eq!(
        (
            want.issuer.as_str(),
            want.account.as_str(),
            want.algorithm.clone(),
            want.digits.to_string(),
            want.period.to_string(),
            info["bits"].to_string(),
            want.code.len().to_string(),
        ),
        (
            issuer,
            account,
            asked("--algorithm", "sha1").to_uppercase(),
            asked("--digits", "6"),
            asked("--period", "30"),
            asked("--bits", "160"),
            asked("--digits", "6"),
        ),
        "{uri}"
    );
    Made { uri, want }
}

/// The scripts' folder, `tests/peers/`.
fn peers_dir() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/peers")
}

/// A scratch path for this file's tests.
fn scratch(name: &str) -> PathBuf {
    let dir = Path::new(env!("CARGO_TARGET_TMPDIR")).join("peers");
    std::fs::create_dir_all(&dir).unwrap();
    dir.join(name)
}

fn have_pyotp(test: &str) -> bool {
    peer(
        test,
        "pyotp",
        "pip install pyotp",
        runs("python3", &["-c", "import pyotp"]),
    )
}

fn have_node_module(test: &str, module: &str) -> bool {
    let installed = peers_dir()
        .join("node_modules")
        .join(module)
        .join("package.json")
        .exists();
    peer(
        test,
        &format!("node and the npm package {module}"),
        "npm ci --prefix cli/tests/peers",
        runs("node", &["--version"]) && installed,
    )
}

/// Runs a reader script: `python3 pyotp_read.py` or `node NAME.js`, with the URI and [`TIME`].
fn read_with(program: &str, script: &str, uri: &str) -> common::Run {
    let script = peers_dir().join(script);
    run(program, &[script.to_str().unwrap(), uri, &TIME.to_string()])
}

fn check_reader(program: &str, script: &str) {
    for (issuer, account, args) in CASES {
        let made = new_key(issuer, account, args, None);
        let out = read_with(program, script, &made.uri);
        assert_eq!(
            Read::from_json(out.ok()),
            made.want,
            "{script}: {}",
            made.uri
        );
    }
}

#[test]
fn pyotp_reads_what_new_writes() {
    if !have_pyotp("pyotp_reads_what_new_writes") {
        return;
    }
    check_reader("python3", "pyotp_read.py");
}

#[test]
fn otpauth_reads_what_new_writes() {
    if !have_node_module("otpauth_reads_what_new_writes", "otpauth") {
        return;
    }
    check_reader("node", "otpauth.js");
}

#[test]
fn otplib_reads_what_new_writes() {
    let test = "otplib_reads_what_new_writes";
    if !have_node_module(test, "otplib") || !have_node_module(test, "@otplib/uri") {
        return;
    }
    check_reader("node", "otplib.js");
}

/// `new` warns over 512 bits because otplib refuses keys over 64 bytes: the warning and the
/// refusal start at the same size.
#[test]
fn otplib_refuses_the_long_keys_new_warns_of() {
    let test = "otplib_refuses_the_long_keys_new_warns_of";
    if !have_node_module(test, "otplib") || !have_node_module(test, "@otplib/uri") {
        return;
    }
    for bits in ["504", "512", "520", "1024"] {
        let out = otpkit(&[
            "new",
            "--issuer",
            "ACME",
            "--account",
            "a",
            "--no-qr",
            "--bits",
            bits,
        ]);
        let uri = out.ok().lines().next().unwrap().to_owned();
        let warned = out.stderr.contains("warning: ");
        let read = read_with("node", "otplib.js", &uri);
        let refused = read.ok().contains(r#""error":"SecretTooLongError""#);
        let long = bits.parse::<u32>().unwrap() > 512;
        assert_eq!(
            (warned, refused),
            (long, long),
            "--bits {bits}: {out:?} {read:?}"
        );
        if !refused {
            let code = otpkit(&["code", &uri, "--time", &TIME.to_string()]);
            assert_eq!(Read::from_json(read.ok()).code, code.ok().trim_end());
        }
    }
}

/// `new` warns over 8 digits because pyotp and otplib read only 6 to 8 from a URI.
#[test]
fn pyotp_and_otplib_refuse_the_long_codes_new_warns_of() {
    let test = "pyotp_and_otplib_refuse_the_long_codes_new_warns_of";
    if !have_pyotp(test) || !have_node_module(test, "@otplib/uri") {
        return;
    }
    for digits in ["8", "9", "10"] {
        let out = otpkit(&[
            "new",
            "--issuer",
            "ACME",
            "--account",
            "a",
            "--no-qr",
            "--digits",
            digits,
        ]);
        let uri = out.ok().lines().next().unwrap().to_owned();
        let warned = out.stderr.contains("warning: ");
        let long = digits != "8";
        assert_eq!(warned, long, "--digits {digits}: {out:?}");
        for (program, script) in [("python3", "pyotp_read.py"), ("node", "otplib.js")] {
            let read = read_with(program, script, &uri);
            assert_eq!(
                read.status != 0,
                long,
                "{script} --digits {digits}: {read:?}"
            );
            if long {
                assert!(
                    read.stderr.contains("digits") || read.stderr.contains("Digits"),
                    "{script} refused for another reason: {read:?}"
                );
            }
        }
    }
}

/// `text` with XML's five special characters escaped.
fn xml_escape(text: &str) -> String {
    text.replace('&', "&amp;")
        .replace('<', "&lt;")
        .replace('>', "&gt;")
        .replace('"', "&quot;")
        .replace('\'', "&apos;")
}

/// Runs `keepassxc-cli ARGS` with `password` typed on standard input (once per line needed).
fn keepassxc(args: &[&str], stdin: &str) -> common::Run {
    common::run_stdin("keepassxc-cli", args, stdin)
}

/// KeePassXC stores an entry's TOTP as the URI itself (the `otp` attribute) and shows its
/// code: the database is made by `keepassxc-cli import` from an XML export holding the URI,
/// and `show -t` runs under faketime at [`TIME`]. KeePassXC shows no issuer or account of its
/// own for a URI, so those are checked by the URI coming back unchanged.
#[test]
fn keepassxc_reads_what_new_writes() {
    let test = "keepassxc_reads_what_new_writes";
    let install = "apt-get install keepassxc faketime";
    if !peer(
        test,
        "keepassxc-cli",
        install,
        runs("keepassxc-cli", &["--version"]),
    ) || !peer(test, "faketime", install, runs("faketime", &["--version"]))
    {
        return;
    }
    for (i, (issuer, account, args)) in CASES.into_iter().enumerate() {
        let made = new_key(issuer, account, args, None);
        let xml = scratch(&format!("keepassxc-{i}.xml"));
        let db = scratch(&format!("keepassxc-{i}.kdbx"));
        let _ = std::fs::remove_file(&db);
        std::fs::write(
            &xml,
            format!(
                "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<KeePassFile><Root><Group>\
                 <Name>Root</Name><Entry>\
                 <String><Key>Title</Key><Value>otpkit</Value></String>\
                 <String><Key>otp</Key><Value>{}</Value></String>\
                 </Entry></Group></Root></KeePassFile>\n",
                xml_escape(&made.uri)
            ),
        )
        .unwrap();
        let (xml, db) = (xml.to_str().unwrap(), db.to_str().unwrap());
        // The smallest key derivation time it allows (100 ms), and a password it reads twice.
        keepassxc(&["import", "-q", "-p", "-t", "100", xml, db], "pw\npw\n").ok();
        let stored = keepassxc(&["show", "-q", "-a", "otp", db, "otpkit"], "pw\n");
        assert_eq!(stored.ok().trim_end(), made.uri);
        let at = format!("@{TIME}");
        let shown = common::run_stdin(
            "faketime",
            &[&at, "keepassxc-cli", "show", "-q", "-t", db, "otpkit"],
            "pw\n",
        );
        assert_eq!(shown.ok().trim_end(), made.want.code, "{}", made.uri);
    }
}

/// The QR code of `new --svg` (rasterised by rsvg-convert, as a browser would draw it) decodes
/// with zbarimg to exactly the URI `new` printed, which otpkit reads back as it made it.
#[test]
fn zbarimg_reads_the_qr_code_new_draws() {
    let test = "zbarimg_reads_the_qr_code_new_draws";
    let install = "apt-get install zbar-tools librsvg2-bin";
    if !peer(test, "zbarimg", install, runs("zbarimg", &["--version"]))
        || !peer(
            test,
            "rsvg-convert",
            install,
            runs("rsvg-convert", &["--version"]),
        )
    {
        return;
    }
    for (i, (issuer, account, args)) in CASES.into_iter().enumerate() {
        let svg = scratch(&format!("qr-{i}.svg"));
        let png = scratch(&format!("qr-{i}.png"));
        let made = new_key(issuer, account, args, Some(&svg));
        let (svg, png) = (svg.to_str().unwrap(), png.to_str().unwrap());
        run("rsvg-convert", &["-o", png, svg]).ok();
        let decoded = run("zbarimg", &["--raw", "-q", png]);
        assert_eq!(decoded.ok().trim_end(), made.uri);
        let info: Value =
            serde_json::from_str(otpkit(&["inspect", "--json", decoded.ok().trim_end()]).ok())
                .unwrap();
        assert_eq!(
            (info["secret"].as_str(), info["account"].as_str()),
            (Some(made.want.secret.as_str()), Some(account))
        );
    }
}
