//! `otpauth://` lists and Google Authenticator `otpauth-migration://` URIs, one per line.

use super::{Entries, from_key, from_uri};

/// One `otpauth://` URI per line; blank lines and `#` comments are skipped.
pub(crate) fn otpauth(text: &str, out: &mut Entries) {
    for line in text.lines().map(str::trim) {
        if line.is_empty() || line.starts_with('#') {
            continue;
        }
        out.push("", from_uri(line));
    }
}

/// One `otpauth-migration://` URI per line, each holding one or more accounts.
pub(crate) fn migration(text: &str, out: &mut Entries) {
    for line in text.lines().map(str::trim) {
        if line.is_empty() || line.starts_with('#') {
            continue;
        }
        match otpkit::migration::import(line) {
            Ok(keys) => {
                for key in &keys {
                    out.push("", Ok(from_key(key)));
                }
            }
            Err(e) => out.push("", Err(e.to_string())),
        }
    }
}
