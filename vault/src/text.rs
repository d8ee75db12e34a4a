//! Text from a file, made safe to print on a terminal.
//!
//! Issuers, names and notes come from files other programs wrote. Printed raw, an escape
//! sequence could move the cursor, retitle the window or hide text, and a bidirectional
//! control could make `moc.elpmaxe` read as `example.com`. [`escape`] shows each such
//! character visibly instead.

use std::borrow::Cow;

/// Whether `c` is a bidirectional formatting control (Unicode's Bidi_Control property).
fn is_bidi_control(c: char) -> bool {
    matches!(c, '\u{061C}' | '\u{200E}' | '\u{200F}' | '\u{202A}'..='\u{202E}' | '\u{2066}'..='\u{2069}')
}

/// Whether a terminal acts on `c` or reorders text by it: a C0 or C1 control, DEL, or a
/// bidirectional control. [`escape`] shows exactly these; a JSON writer escapes them too.
///
/// # Examples
///
/// ```
/// use otpkit_vault::text::is_terminal_control;
///
/// assert!(is_terminal_control('\u{1b}') && is_terminal_control('\u{9b}'));
/// assert!(is_terminal_control('\u{202e}') && !is_terminal_control('é'));
/// ```
#[must_use]
pub fn is_terminal_control(c: char) -> bool {
    c.is_control() || is_bidi_control(c)
}

/// `text` with every C0 and C1 control, DEL and bidirectional control replaced by a visible
/// `\xNN` or `\u{NNNN}`; unchanged (and not copied) when there is none.
///
/// # Examples
///
/// ```
/// use otpkit_vault::text::escape;
///
/// assert_eq!(escape("alice@example.com"), "alice@example.com");
/// assert_eq!(escape("evil\u{1b}[2J"), "evil\\x1B[2J");
/// assert_eq!(escape("a\u{202e}b\u{85}"), "a\\u{202E}b\\u{85}");
/// ```
#[must_use]
pub fn escape(text: &str) -> Cow<'_, str> {
    let needs = is_terminal_control;
    if !text.chars().any(needs) {
        return Cow::Borrowed(text);
    }
    let mut out = String::with_capacity(text.len() + 8);
    for c in text.chars() {
        if !needs(c) {
            out.push(c);
        } else if u32::from(c) < 0x80 {
            out.push_str(&format!("\\x{:02X}", u32::from(c)));
        } else {
            out.push_str(&format!("\\u{{{:X}}}", u32::from(c)));
        }
    }
    Cow::Owned(out)
}

#[cfg(test)]
mod tests {
    use super::escape;

    #[test]
    fn every_control_is_visible() {
        for c in (0u32..0x20).chain([0x7F]).chain(0x80..0xA0) {
            let c = char::from_u32(c).unwrap_or('?');
            let shown = escape(&c.to_string()).into_owned();
            assert!(
                shown.starts_with('\\') && !shown.chars().any(char::is_control),
                "{shown:?}"
            );
        }
        for c in [
            '\u{061C}', '\u{200E}', '\u{200F}', '\u{202A}', '\u{202E}', '\u{2066}', '\u{2069}',
        ] {
            assert_eq!(escape(&c.to_string()), format!("\\u{{{:X}}}", u32::from(c)));
        }
        assert_eq!(escape("Ünïcödé ✓ 日本"), "Ünïcödé ✓ 日本");
    }
}
