use super::*;

#[test]
fn numbers_are_plain_ascii_digits() {
    assert_eq!(number("0"), Some(0));
    assert_eq!(number("007"), Some(7));
    assert_eq!(number("18446744073709551615"), Some(u64::MAX));
    assert_eq!(number("18446744073709551616"), None);
    for bad in ["", "+1", "-1", "1.0", " 1", "1 ", "1e3", "١"] {
        assert_eq!(number(bad), None, "{bad:?}");
    }
}

#[test]
fn escapes_are_checked_with_their_position() {
    assert_eq!(check_escapes("a%41%3a", 10), Ok(()));
    assert_eq!(
        check_escapes("ab%4", 10),
        Err(UriError::InvalidPercentEncoding { position: 12 })
    );
    assert_eq!(
        check_escapes("%zz", 0),
        Err(UriError::InvalidPercentEncoding { position: 0 })
    );
    assert_eq!(
        check_escapes("x%", 0),
        Err(UriError::InvalidPercentEncoding { position: 1 })
    );
}

#[test]
fn decoding_plus_depends_on_the_component() {
    assert_eq!(decode("a+b%2B", 0, true).unwrap().as_str(), "a b+");
    assert_eq!(decode("a+b%2B", 0, false).unwrap().as_str(), "a+b+");
    assert_eq!(
        decode("ok%FF", 4, true),
        Err(UriError::InvalidUtf8 { position: 4 })
    );
}
