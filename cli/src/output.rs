//! What several commands print the same way: the JSON object of a key (`inspect --json`,
//! `import --json`) and a base32 secret grouped for typing (`inspect`, `new`, `demo`).

use core::fmt::Write as _;
use std::io::{self, Write};

use otpkit::{Credential, KeyUri};
use serde::Serialize;
use serde::ser::{SerializeMap, Serializer};
use zeroize::Zeroizing;

/// Text from a URI, a file or an error, made safe to print for a person: every terminal
/// control is shown as a visible escape, so a crafted issuer or account cannot move the
/// cursor, rewrite earlier lines, set the window title or reach the clipboard (OSC 52). The
/// vault's reader, so the whole binary has one rule.
pub(crate) use otpkit_vault::text::{escape, is_terminal_control};

/// The JSON object for a key, with exactly the keys of the interface (in this order): `type`,
/// `issuer`, `label_issuer`, `account`, `secret`, `bits`, `algorithm`, `digits`, `period`,
/// `counter`, `params`. It borrows everything, the secret from a wiped buffer of the caller's.
#[derive(Serialize)]
pub(crate) struct Description<'a> {
    #[serde(rename = "type")]
    kind: &'static str,
    issuer: Option<&'a str>,
    label_issuer: Option<&'a str>,
    account: &'a str,
    secret: &'a str,
    bits: usize,
    algorithm: &'static str,
    digits: usize,
    period: Option<u64>,
    counter: Option<u64>,
    params: Params<'a>,
}

/// A URI's other parameters as a JSON object; a repeated name keeps its first value, as the
/// URI's reader does for the known ones it accepts.
pub(crate) struct Params<'a>(&'a [(String, String)]);

impl Serialize for Params<'_> {
    fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        let mut map = serializer.serialize_map(None)?;
        for (i, (name, value)) in self.0.iter().enumerate() {
            let first = self.0.iter().position(|(n, _)| n == name) == Some(i);
            if first {
                map.serialize_entry(name, value)?;
            }
        }
        map.end()
    }
}

/// A key's secret as base32, in a buffer that is wiped on drop; [`describe`] borrows it.
pub(crate) fn secret_text(credential: &Credential) -> Zeroizing<String> {
    credential.secret().to_base32()
}

/// The JSON object of a key (see [`Description`]). `credential` is the effective one (override
/// flags applied); `uri` gives the names and the unknown parameters, and is `None` for a bare
/// secret; `secret` is [`secret_text`] of the credential.
pub(crate) fn describe<'a>(
    credential: &'a Credential,
    uri: Option<&'a KeyUri>,
    secret: &'a str,
) -> Description<'a> {
    Description {
        kind: credential.kind().name(),
        issuer: uri.and_then(KeyUri::issuer),
        label_issuer: uri.and_then(KeyUri::label_issuer),
        account: uri.map_or("", KeyUri::account),
        secret,
        bits: credential.secret().bits(),
        algorithm: credential.algorithm().as_str(),
        digits: credential.code_len(),
        period: credential.period(),
        counter: credential.counter(),
        params: Params(uri.map(KeyUri::params).unwrap_or_default()),
    }
}

/// Writes `value` as one line of JSON. The text is built in a buffer that is wiped on drop
/// (it may hold a secret), and the characters JSON itself leaves raw but a terminal obeys —
/// DEL, the C1 controls, the bidirectional controls — are written as `\uXXXX` escapes too,
/// which every JSON reader turns back into the same string.
pub(crate) fn write_json(out: &mut impl Write, value: &impl Serialize) -> io::Result<()> {
    let mut raw = Zeroizing::new(Vec::with_capacity(512));
    serde_json::to_writer(&mut *raw, value)?;
    let text = core::str::from_utf8(&raw).map_err(io::Error::other)?;
    let mut line = Zeroizing::new(String::with_capacity(text.len() + 1));
    for c in text.chars() {
        if is_terminal_control(c) {
            // Only inside strings: JSON's own syntax is ASCII without controls.
            let mut units = [0u16; 2];
            for unit in c.encode_utf16(&mut units) {
                let _ = write!(line, "\\u{unit:04x}");
            }
        } else {
            line.push(c);
        }
    }
    line.push('\n');
    out.write_all(line.as_bytes())
}

/// Base32 in groups of four, as people copy a key into an app by hand.
pub(crate) fn grouped(base32: &str) -> Zeroizing<String> {
    let mut text = Zeroizing::new(String::with_capacity(base32.len() * 5 / 4 + 1));
    for (i, c) in base32.chars().enumerate() {
        if i > 0 && i % 4 == 0 {
            text.push(' ');
        }
        text.push(c);
    }
    text
}

#[cfg(test)]
mod tests {
    #[test]
    fn grouped_in_fours() {
        assert_eq!(
            super::grouped("JBSWY3DPEHPK3PXP").as_str(),
            "JBSW Y3DP EHPK 3PXP"
        );
        assert_eq!(super::grouped("GEZDGNB").as_str(), "GEZD GNB");
        assert_eq!(super::grouped("").as_str(), "");
    }
}
