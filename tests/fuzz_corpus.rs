//! Runs every file of the committed fuzz corpus (`fuzz/corpus/<target>/`) through the fuzz
//! targets' own checks, on stable Rust, so that `cargo test` keeps them honest between fuzzing
//! runs. The target logic is the fuzz crate's, included by path: the same code runs under
//! libFuzzer and here.

// The targets use the owned types (`Secret`, `KeyUri`).
#![cfg(feature = "migration")]
// The helper below is outside any #[test] fn, where clippy.toml's test allowances do not reach.
#![allow(clippy::unwrap_used, clippy::panic)]

#[path = "../fuzz/src/reference.rs"]
#[allow(dead_code)]
mod reference;
#[path = "../fuzz/src/targets.rs"]
mod targets;

#[path = "../fuzz/src/corpus.rs"]
mod corpus;

/// Every committed input of `fuzz/corpus/<name>/` through `target`.
fn run_corpus(name: &str, target: fn(&[u8])) {
    let dir = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("fuzz/corpus");
    corpus::run(&dir, name, target);
}

#[test]
fn base32_secret_corpus() {
    run_corpus("base32_secret", targets::base32_secret);
}

#[test]
fn verify_corpus() {
    run_corpus("verify", targets::verify);
}

#[test]
fn uri_parse_corpus() {
    run_corpus("uri_parse", targets::uri_parse);
}

#[test]
fn migration_import_corpus() {
    run_corpus("migration_import", targets::migration_import);
}

/// The targets must reject what they should: a target that accepted everything would pass
/// the corpus runs above whatever the library did.
#[test]
fn targets_are_not_vacuous() {
    // The reference decoder really decodes, and really refuses.
    assert_eq!(reference::decode_base32("MZXW6YTBOI").unwrap(), b"foobar");
    assert_eq!(
        reference::decode_base32("MZ=XW"),
        Err(otpkit::Base32Error::InvalidPadding { position: 2 })
    );
    assert_eq!(reference::encode_base32(b"foobar"), "MZXW6YTBOI");
    assert_eq!(reference::encode_base64(b"fooba"), "Zm9vYmE=");
    let mut field = Vec::new();
    reference::put_varint_field(&mut field, 7, 300);
    assert_eq!(field, [0x38, 0xac, 0x02]);
    // The reader model skips pasted separators, and really refuses the rest.
    assert_eq!(
        reference::normalise_code("\t123\u{a0}456-78\r\n", false, 8).as_deref(),
        Ok("12345678")
    );
    assert_eq!(
        reference::normalise_code("123\u{2009}456", false, 6),
        Err(otpkit::CodeError::InvalidCharacter { position: 3 })
    );
    assert_eq!(
        reference::normalise_code("-y2b3c", true, 5),
        Err(otpkit::CodeError::InvalidCharacter { position: 0 })
    );
    // The verification model finds RFC 6238's code for T = 59 at step 1, one step back.
    let totp = otpkit::Totp::new(
        otpkit::Algorithm::Sha1,
        b"12345678901234567890",
        otpkit::Digits::EIGHT,
        30,
    )
    .unwrap();
    let code_at = |s: u64| totp.generate_at_step(s).as_str().to_owned();
    assert_eq!(
        reference::scan(1, 3, 2, "94287082", None, code_at),
        Ok(otpkit::Match {
            step: 1,
            offset: -1
        })
    );
    assert_eq!(
        reference::scan(1, 3, 2, "94287082", Some(1), code_at),
        Err(otpkit::VerifyError::Replayed)
    );
}

#[test]
fn verifier_check_corpus() {
    run_corpus("verifier_check", targets::verifier_check);
}

#[cfg(feature = "serde")]
#[path = "../fuzz/src/serde_targets.rs"]
mod serde_targets;

#[cfg(feature = "serde")]
#[test]
fn stored_forms_corpus() {
    run_corpus("stored_forms", serde_targets::stored_forms);
}

/// The URI target's plain second reading really reads: the otplib label rule, a `%3A`
/// separator, case variants of known names and the other parameters in order.
#[test]
fn the_plain_uri_reading_reads() {
    let r = reference::read_uri(
        " otpauth://TOTP/Ac:me:%20alice?Secret=GEZDGNBV&issuer=Ac:me&Image=x&DIGITS=8#frag\n",
    )
    .unwrap();
    assert_eq!(r.kind, "totp");
    assert_eq!(
        (r.label_issuer.as_deref(), r.account.as_str()),
        (Some("Ac:me"), "alice")
    );
    let known: Vec<(&str, &str)> = r
        .known
        .iter()
        .map(|(n, v)| (n.as_str(), v.as_str()))
        .collect();
    assert_eq!(
        known,
        [("secret", "GEZDGNBV"), ("issuer", "Ac:me"), ("digits", "8")]
    );
    assert_eq!(r.others, [("Image".to_owned(), "x".to_owned())]);
    let r = reference::read_uri("otpauth://totp/A%3ab?secret=A&encoder=STEAM").unwrap();
    assert_eq!(
        (
            r.kind.as_str(),
            r.label_issuer.as_deref(),
            r.account.as_str()
        ),
        ("steam", Some("A"), "b")
    );
    assert_eq!(reference::read_uri("http://totp/a?secret=A"), None);
    assert_eq!(reference::read_uri("otpauth://totp/%zz?secret=A"), None);
}
