//! The one leak check of the integration tests: text shown to a user (an error, a `Debug`
//! form) holds a key in none of the forms it could take — base32 as written in URIs (either
//! case), hex (either case), the byte list `Debug` prints for a `Vec<u8>` or `[u8; N]`
//! (`[72, 101, …]`, also without its brackets, as inside another struct's output), and the
//! bytes themselves when they are printable text. Include it with
//! `#[path = "common/leak.rs"] mod leak;`.

/// The forms of `key` looked for, each long enough that a chance match in ordinary text is
/// unlikely: whole-key forms, and the first four bytes of the byte list.
pub fn forms(key: &[u8]) -> Vec<String> {
    if key.is_empty() {
        return Vec::new();
    }
    let base32 = base32(key);
    let hex: String = key.iter().map(|b| format!("{b:02x}")).collect();
    let list = format!("{key:?}");
    let head: Vec<String> = key.iter().take(4).map(u8::to_string).collect();
    let mut forms = vec![
        base32.to_ascii_lowercase(),
        base32,
        hex.to_ascii_uppercase(),
        hex,
        list,
        head.join(", "),
    ];
    if let Ok(text) = core::str::from_utf8(key) {
        if key.len() >= 4 && text.chars().all(|c| !c.is_control()) {
            forms.push(text.to_owned());
        }
    }
    forms
}

/// RFC 4648 base32 without padding, written out here rather than taken from the library
/// under test.
#[allow(clippy::indexing_slicing)] // every index is masked to 0..32
fn base32(bytes: &[u8]) -> String {
    const ALPHABET: &[u8; 32] = b"ABCDEFGHIJKLMNOPQRSTUVWXYZ234567";
    let (mut out, mut buffer, mut bits) = (String::new(), 0u32, 0u32);
    for &b in bytes {
        buffer = (buffer << 8) | u32::from(b);
        bits += 8;
        while bits >= 5 {
            bits -= 5;
            out.push(char::from(ALPHABET[((buffer >> bits) & 31) as usize]));
        }
    }
    if bits > 0 {
        out.push(char::from(ALPHABET[((buffer << (5 - bits)) & 31) as usize]));
    }
    out
}

/// Panics, naming the form, when `shown` holds `key` in any of [`forms`].
#[track_caller]
pub fn assert_hidden(shown: &str, key: &[u8]) {
    for form in forms(key) {
        assert!(
            !shown.contains(&form),
            "the key appears as {form:?} in: {shown}"
        );
    }
}

/// The checker finds each form it claims to: a check that misses them would pass anything.
#[test]
fn the_leak_check_finds_every_form() {
    let key = b"Hello!\xde\xad\xbe\xef";
    for shown in [
        "secret: JBSWY3DPEHPK3PXP",
        "jbswy3dpehpk3pxp",
        "48656c6c6f21deadbeef",
        "bytes 48656C6C6F21DEADBEEF",
        "Secret { bytes: [72, 101, 108, 108, 111, 33, 222, 173, 190, 239] }",
        "72, 101, 108, 108",
    ] {
        let caught = std::panic::catch_unwind(|| assert_hidden(shown, key));
        assert!(caught.is_err(), "missed the key in {shown:?}");
    }
    let printable = b"12345678901234567890";
    let caught = std::panic::catch_unwind(|| assert_hidden("key 12345678901234567890", printable));
    assert!(caught.is_err());
    assert_hidden("Secret { bits: 80, .. }", key);
}
