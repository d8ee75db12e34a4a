//! `otpauth://` lists and Google Authenticator `otpauth-migration://` URIs, one per line.

use super::{Entries, from_key, from_uri};

/// One `otpauth://` URI per line; blank lines and `#` comments are skipped. A JSON file
/// (Proton Authenticator's export, for one) gives every string in it that is such a URI.
pub(crate) fn otpauth(text: &str, out: &mut Entries) {
    if let Ok(json) = serde_json::from_str::<serde_json::Value>(text) {
        let mut uris = Vec::new();
        collect_uris(&json, &mut uris, 0);
        for uri in uris {
            out.push("", from_uri(uri));
        }
        return;
    }
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

/// Every string of `v` that starts with `otpauth://`, depth-first, at most 64 levels deep.
fn collect_uris<'a>(v: &'a serde_json::Value, out: &mut Vec<&'a str>, depth: usize) {
    if depth > 64 {
        return;
    }
    match v {
        serde_json::Value::String(s)
            if s.trim_start()
                .to_ascii_lowercase()
                .starts_with("otpauth://") =>
        {
            out.push(s)
        }
        serde_json::Value::Array(a) => a.iter().for_each(|x| collect_uris(x, out, depth + 1)),
        serde_json::Value::Object(o) => o.values().for_each(|x| collect_uris(x, out, depth + 1)),
        _ => {}
    }
}
