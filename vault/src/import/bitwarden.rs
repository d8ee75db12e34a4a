//! Bitwarden exports, JSON and CSV: login items whose `totp` is an `otpauth://` URI, a bare
//! base32 secret, or `steam://SECRET`.

use serde_json::Value;

use super::{Entries, Entry, Error, Spec, Wiped, from_uri, str_of};

/// One `login.totp` value, named by the item's name and username.
fn entry(item_name: &str, username: &str, totp: &str) -> Result<Entry, String> {
    let totp = totp.trim();
    let lower = totp.to_ascii_lowercase();
    if lower.starts_with("otpauth://") {
        let mut e = from_uri(totp)?;
        if e.issuer.is_empty() {
            e.issuer = item_name.trim().to_owned();
        }
        if e.name.is_empty() {
            e.name = username.trim().to_owned();
        }
        return Ok(e);
    }
    let (kind, secret) = match lower.strip_prefix("steam://") {
        Some(_) => ("steam", totp.get("steam://".len()..).unwrap_or_default()),
        None => ("totp", totp),
    };
    Spec {
        issuer: item_name,
        name: username,
        secret,
        kind,
        ..Spec::default()
    }
    .entry()
}

pub(crate) fn json(file: Wiped, out: &mut Entries) -> Result<(), Error> {
    let items = file
        .get("items")
        .and_then(Value::as_array)
        .ok_or(Error::Malformed("no items"))?;
    for item in items {
        let login = item.get("login").unwrap_or(&Value::Null);
        let totp = str_of(login, "totp");
        if totp.is_empty() {
            continue;
        }
        out.push(
            str_of(item, "name"),
            entry(str_of(item, "name"), str_of(login, "username"), totp),
        );
    }
    Ok(())
}

pub(crate) fn csv(text: &str, out: &mut Entries) -> Result<(), Error> {
    let mut rows = parse_csv(text).into_iter();
    let header = rows.next().ok_or(Error::Malformed("empty CSV"))?;
    let col = |name: &str| header.iter().position(|h| h.trim() == name);
    let (Some(name), Some(user), Some(totp)) =
        (col("name"), col("login_username"), col("login_totp"))
    else {
        return Err(Error::Malformed(
            "CSV without name, login_username and login_totp columns",
        ));
    };
    for row in rows {
        let get = |i: usize| row.get(i).map(String::as_str).unwrap_or_default();
        if get(totp).trim().is_empty() {
            continue;
        }
        out.push(get(name), entry(get(name), get(user), get(totp)));
    }
    Ok(())
}

/// RFC 4180 CSV: fields in double quotes may hold commas, quotes (doubled) and line breaks.
pub(crate) fn parse_csv(text: &str) -> Vec<Vec<String>> {
    let mut rows = Vec::new();
    let mut row = Vec::new();
    let mut field = String::new();
    let mut quoted = false;
    let mut chars = text.chars().peekable();
    while let Some(c) = chars.next() {
        match (quoted, c) {
            (true, '"') if chars.peek() == Some(&'"') => {
                chars.next();
                field.push('"');
            }
            (true, '"') => quoted = false,
            (true, c) => field.push(c),
            (false, '"') if field.is_empty() => quoted = true,
            (false, ',') => row.push(core::mem::take(&mut field)),
            (false, '\r') if chars.peek() == Some(&'\n') => {}
            (false, '\n') => {
                row.push(core::mem::take(&mut field));
                rows.push(core::mem::take(&mut row));
            }
            (false, c) => field.push(c),
        }
    }
    if !field.is_empty() || !row.is_empty() {
        row.push(field);
        rows.push(row);
    }
    rows.retain(|r| !(r.len() == 1 && r.first().is_some_and(String::is_empty)));
    rows
}
