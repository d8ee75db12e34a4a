//! The one reader of typed codes: one-time codes ([`TypedCode`](super::TypedCode), decimal or
//! Steam Guard) and recovery codes ([`recovery`](crate::recovery)) are read by the same rules,
//! each with its own alphabet and length.
//!
//! What people paste is accepted:
//!
//! - **at the ends**, before the first symbol and after the last: any run of ASCII space, tab,
//!   CR and LF (a line copied with its line break, an indented cell);
//! - **between two symbols**: any run of ASCII space, tab, hyphen-minus, no-break space
//!   (U+00A0) and narrow no-break space (U+202F), the separators that apps and locales put
//!   between digit groups (`123 456`, `123-456`, `7QK2M-XD04R`).
//!
//! Nothing else is skipped: a separator at an end that only belongs between groups (`-123456`,
//! a trailing no-break space), a line break inside the code, or any other character (a thin
//! space U+2009, a letter in a decimal code, full-width digits) is
//! [`CodeError::InvalidCharacter`] at its byte offset in the input. The error names a position,
//! never a symbol of the code. Separators are not counted in the length.

use crate::error::CodeError;

/// Skipped before the first symbol and after the last.
const AT_THE_ENDS: &[char] = &[' ', '\t', '\r', '\n'];
/// Skipped between two symbols.
const BETWEEN_GROUPS: &[char] = &[' ', '\t', '-', '\u{a0}', '\u{202f}'];

/// Reads `input` into `out`, exactly `out.len()` symbols. `symbol` maps a character of the
/// alphabet to the byte stored for it (upper-casing, or reading `O` as `0`) and refuses the
/// rest.
///
/// # Errors
///
/// [`CodeError::InvalidCharacter`] for the first character that is neither a symbol, nor a
/// separator between two symbols, nor whitespace before the first symbol or after the last, [`CodeError::WrongLength`] when the symbols are not
/// `out.len()` (counts capped at 255).
pub(crate) fn read_typed(
    input: &str,
    out: &mut [u8],
    symbol: impl Fn(char) -> Option<u8>,
) -> Result<(), CodeError> {
    // The common case first: exactly the symbols, nothing around or between them (what a
    // code field or an app's copy button gives). It is read in one pass over the bytes; any
    // other input, and any input this pass does not take whole, goes the general way below,
    // which accepts these inputs with the same result. Only the typed text (public) decides.
    if input.len() == out.len() && input.is_ascii() {
        let mut all = true;
        for (slot, byte) in out.iter_mut().zip(input.bytes()) {
            match symbol(char::from(byte)) {
                Some(stored) => *slot = stored,
                None => all = false,
            }
        }
        if all {
            return Ok(());
        }
    }
    let is_symbol = |c: char| symbol(c).is_some();
    // Byte offsets of the first and the last symbol: a separator must lie strictly between.
    let (first, last) = (input.find(is_symbol), input.rfind(is_symbol));
    let mut found: usize = 0;
    for (position, c) in input.char_indices() {
        if let Some(byte) = symbol(c) {
            if let Some(slot) = out.get_mut(found) {
                *slot = byte;
            }
            found = found.saturating_add(1);
            continue;
        }
        let between = first.is_some_and(|f| f < position) && last.is_some_and(|l| position < l);
        let allowed = if between {
            BETWEEN_GROUPS.contains(&c)
        } else {
            AT_THE_ENDS.contains(&c)
        };
        if !allowed {
            return Err(CodeError::InvalidCharacter { position });
        }
    }
    if found == out.len() {
        Ok(())
    } else {
        Err(CodeError::WrongLength {
            expected: u8::try_from(out.len()).unwrap_or(u8::MAX),
            found: u8::try_from(found).unwrap_or(u8::MAX),
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn digits(input: &str) -> Result<[u8; 6], CodeError> {
        let mut out = [0; 6];
        read_typed(input, &mut out, |c| {
            u8::try_from(c).ok().filter(u8::is_ascii_digit)
        })?;
        Ok(out)
    }

    fn invalid(position: usize) -> Result<[u8; 6], CodeError> {
        Err(CodeError::InvalidCharacter { position })
    }

    #[test]
    fn the_bare_symbols_read_as_the_general_path_reads_them() {
        // The one-pass reading of bare symbols (and where it gives up) agrees with the
        // general reader: same symbols stored, same errors.
        for input in [
            "123456",
            "000000",
            "12345a",
            "1234567",
            "12345",
            "12 456",
            "１２３",
            "",
        ] {
            let fast = digits(input);
            let mut out = [0u8; 6];
            let spaced = std::format!(" {input} ");
            let general = read_typed(&spaced, &mut out, |c| {
                u8::try_from(c).ok().filter(u8::is_ascii_digit)
            })
            .map(|()| out);
            match (fast, general) {
                (Ok(a), Ok(b)) => assert_eq!(a, b, "{input:?}"),
                (
                    Err(CodeError::InvalidCharacter { position: a }),
                    Err(CodeError::InvalidCharacter { position: b }),
                ) => {
                    assert_eq!(a + 1, b, "{input:?}");
                }
                (a, b) => assert_eq!(a.err(), b.err(), "{input:?}"),
            }
        }
    }

    #[test]
    fn each_separator_is_accepted_between_groups() {
        for separator in [" ", "-", "\t", "\u{a0}", "\u{202f}", " - ", "\u{a0}\u{a0}"] {
            let input = std::format!("123{separator}456");
            assert_eq!(digits(&input), Ok(*b"123456"), "{input:?}");
        }
        assert_eq!(digits("12 34-56"), Ok(*b"123456"));
    }

    #[test]
    fn whitespace_and_line_breaks_are_accepted_at_the_ends() {
        for input in [
            "123456\n",
            "123456\r\n",
            "\r\n123456",
            " \t123456 \t",
            "\t123 456\r\n",
        ] {
            assert_eq!(digits(input), Ok(*b"123456"), "{input:?}");
        }
    }

    #[test]
    fn other_characters_are_refused_by_position() {
        // A thin space is not a group separator people's apps paste.
        assert_eq!(digits("123\u{2009}456"), invalid(3));
        // A letter in a decimal code, after a separator: the position counts bytes.
        assert_eq!(digits("\u{a0}"), invalid(0));
        assert_eq!(digits("123\u{a0}45a"), invalid(7));
        // Full-width digits.
        assert_eq!(digits("１２３４５６"), invalid(0));
        // A line break inside the code.
        assert_eq!(digits("123\n456"), invalid(3));
        assert_eq!(digits("123\r\n456"), invalid(3));
        // After the last symbol only the ends' whitespace counts: the line break passes, the
        // letter does not.
        assert_eq!(digits("123456\nx"), invalid(7));
    }

    #[test]
    fn group_separators_are_refused_at_the_ends() {
        assert_eq!(digits("-123456"), invalid(0));
        assert_eq!(digits("123456-"), invalid(6));
        assert_eq!(digits(" -123456"), invalid(1));
        assert_eq!(digits("123456\u{a0}"), invalid(6));
        assert_eq!(digits("\u{202f}123456"), invalid(0));
        assert_eq!(digits("123456 - \n"), invalid(7));
    }

    #[test]
    fn lengths_count_symbols_only() {
        assert_eq!(
            digits("12 345"),
            Err(CodeError::WrongLength {
                expected: 6,
                found: 5
            })
        );
        assert_eq!(
            digits(" \r\n\t"),
            Err(CodeError::WrongLength {
                expected: 6,
                found: 0
            })
        );
        let long = "1".repeat(300);
        assert_eq!(
            digits(&long),
            Err(CodeError::WrongLength {
                expected: 6,
                found: 255
            })
        );
    }

    #[test]
    fn an_error_names_no_symbol_of_the_code() {
        let e = digits("987654x").unwrap_err();
        let text = std::string::ToString::to_string(&e);
        assert_eq!(text, "invalid character at position 6");
    }
}
