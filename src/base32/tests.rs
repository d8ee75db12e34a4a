use super::*;
use std::vec::Vec;

fn decode(s: &str) -> Result<Vec<u8>, Base32Error> {
    let mut buf = [0u8; 256];
    decode_base32(s, &mut buf).map(|b| b.to_vec())
}

#[test]
fn rfc4648_vectors_round_trip() {
    let vectors: [(&[u8], &str); 6] = [
        (b"f", "MY"),
        (b"fo", "MZXQ"),
        (b"foo", "MZXW6"),
        (b"foob", "MZXW6YQ"),
        (b"fooba", "MZXW6YTB"),
        (b"foobar", "MZXW6YTBOI"),
    ];
    for (bytes, text) in vectors {
        assert_eq!(decode(text).unwrap(), bytes, "{text}");
        let mut buf = [0u8; 16];
        assert_eq!(encode_base32(bytes, &mut buf).unwrap(), text);
        assert_eq!(base32_encoded_len(bytes.len()), text.len());
    }
}

#[test]
fn lenient_forms_decode_alike() {
    let want = b"Hello!\xde\xad\xbe\xef".to_vec();
    for s in [
        "JBSWY3DPEHPK3PXP",
        "jbswy3dpehpk3pxp",
        "JBSW Y3DP EHPK 3PXP",
        "jbsw-y3dp-ehpk-3pxp",
        "  JBSWY3DPEHPK3PXP  ",
    ] {
        assert_eq!(decode(s).unwrap(), want, "{s}");
    }
    assert_eq!(decode("MZXW6===").unwrap(), b"foo");
    assert_eq!(decode("MZXW6= = =").unwrap(), b"foo");
    assert_eq!(decode("MZXW6").unwrap(), b"foo");
}

#[test]
fn trailing_bits_are_ignored() {
    // "MZ" carries 10 bits for one byte; the low two bits of 'Z' (25 = 0b11001) are unused.
    assert_eq!(decode("MZ").unwrap(), b"f");
    assert_eq!(decode("MY").unwrap(), b"f");
    // 26 symbols (130 bits) decode to 16 bytes whatever the last symbol's low bits.
    let a = decode("AAAAAAAAAAAAAAAAAAAAAAAAAA").unwrap();
    let b = decode("AAAAAAAAAAAAAAAAAAAAAAAAAD").unwrap();
    assert_eq!(a.len(), 16);
    assert_eq!(a, b);
}

#[test]
fn errors_say_where() {
    assert_eq!(
        decode("JBSW1"),
        Err(Base32Error::InvalidCharacter { position: 4 })
    );
    assert_eq!(
        decode("JB0W"),
        Err(Base32Error::InvalidCharacter { position: 2 })
    );
    assert_eq!(
        decode("MZ=XW"),
        Err(Base32Error::InvalidPadding { position: 2 })
    );
    assert_eq!(decode("M"), Err(Base32Error::InvalidLength { symbols: 1 }));
    assert_eq!(
        decode("MZX"),
        Err(Base32Error::InvalidLength { symbols: 3 })
    );
    assert_eq!(
        decode("MZXW6Y"),
        Err(Base32Error::InvalidLength { symbols: 6 })
    );
    assert_eq!(decode(""), Err(Base32Error::Empty));
    assert_eq!(decode(" - ==="), Err(Base32Error::Empty));
    assert_eq!(
        decode("é"),
        Err(Base32Error::InvalidCharacter { position: 0 })
    );
    let mut small = [0u8; 4];
    assert_eq!(
        decode_base32("MZXW6YTB", &mut small),
        Err(Base32Error::BufferTooSmall { needed: 5 })
    );
    assert_eq!(
        encode_base32(b"fooba", &mut small),
        Err(Base32Error::BufferTooSmall { needed: 8 })
    );
}

#[test]
fn eighty_bit_secrets_are_valid() {
    assert_eq!(base32_decoded_len("JBSWY3DPEHPK3PXP"), Ok(10));
}

#[test]
fn encoded_len_is_exact_or_saturates_for_every_length() {
    // Found by the `base32_secret` fuzz target (corpus file `huge_encoded_len`): `len * 8`
    // overflowed, panicking with overflow checks and wrapping to a short length without.
    let exact = |len: usize| (u128::try_from(len).unwrap() * 8).div_ceil(5);
    for len in [
        0,
        1,
        4,
        5,
        6,
        usize::MAX / 8,
        usize::MAX / 8 + 1,
        usize::MAX / 8 * 5,
        usize::MAX / 8 * 5 + 4,
        usize::MAX / 2,
        usize::MAX - 1,
        usize::MAX,
    ] {
        let want = usize::try_from(exact(len)).unwrap_or(usize::MAX);
        assert_eq!(base32_encoded_len(len), want, "{len}");
    }
}
