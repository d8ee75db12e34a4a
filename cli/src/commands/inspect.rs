//! `otpkit inspect`: what a key holds, as one JSON object or as lines for a person. `import
//! --json` prints the same objects.

use std::io::{self, Write};

use anyhow::Result;
use otpkit::{Credential, KeyUri, credential::Kind};
use serde_json::{Map, Value, json};

use crate::cli::InspectArgs;
use crate::exit_codes::ExitCode;
use crate::key;

pub(crate) fn run(args: &InspectArgs) -> Result<ExitCode> {
    let key = key::read(&args.key)?;
    let mut out = io::stdout().lock();
    if args.json {
        writeln!(out, "{}", describe(&key.credential, key.uri.as_ref()))?;
    } else {
        write_for_a_person(&mut out, &key.credential, key.uri.as_ref())?;
    }
    Ok(ExitCode::Success)
}

/// The JSON object for a key, with exactly the keys of the interface (in this order): `type`,
/// `issuer`, `label_issuer`, `account`, `secret`, `bits`, `algorithm`, `digits`, `period`,
/// `counter`, `params`.
///
/// `credential` is the effective one (override flags applied); `uri` gives the names and the
/// unknown parameters, and is `None` for a bare secret.
pub(crate) fn describe(credential: &Credential, uri: Option<&KeyUri>) -> Value {
    let mut params = Map::new();
    for (name, value) in uri.map(KeyUri::params).unwrap_or_default() {
        // A repeated unknown parameter keeps its first value, as the URI's reader does for
        // the known ones it accepts.
        params
            .entry(name.clone())
            .or_insert_with(|| Value::String(value.clone()));
    }
    json!({
        "type": credential.kind().name(),
        "issuer": uri.and_then(KeyUri::issuer),
        "label_issuer": uri.and_then(KeyUri::label_issuer),
        "account": uri.map_or("", KeyUri::account),
        "secret": credential.secret().to_base32().as_str(),
        "bits": credential.secret().bits(),
        "algorithm": credential.algorithm().as_str(),
        "digits": credential.code_len(),
        "period": credential.period(),
        "counter": credential.counter(),
        "params": params,
    })
}

/// The same facts as [`describe`], one per line, with the secret grouped in fours for typing.
pub(crate) fn write_for_a_person(
    out: &mut impl Write,
    credential: &Credential,
    uri: Option<&KeyUri>,
) -> io::Result<()> {
    let none = "(none)";
    let kind = match credential.kind() {
        Kind::Totp { .. } => "TOTP (time-based)",
        Kind::Hotp { .. } => "HOTP (counter-based)",
        Kind::Steam => "Steam Guard",
        _ => credential.kind().name(),
    };
    writeln!(out, "type          {kind}")?;
    writeln!(
        out,
        "issuer        {}",
        uri.and_then(KeyUri::issuer).unwrap_or(none)
    )?;
    writeln!(
        out,
        "label issuer  {}",
        uri.and_then(KeyUri::label_issuer).unwrap_or(none)
    )?;
    writeln!(out, "account       {}", uri.map_or(none, KeyUri::account))?;
    writeln!(
        out,
        "secret        {} ({} bits)",
        grouped(&credential.secret().to_base32()).as_str(),
        credential.secret().bits()
    )?;
    writeln!(out, "algorithm     {}", credential.algorithm())?;
    writeln!(out, "digits        {}", credential.code_len())?;
    match credential.kind() {
        Kind::Totp { period, t0 } if t0 != 0 => {
            writeln!(out, "period        {period} s, from unix time {t0}")?;
        }
        Kind::Hotp { counter } => writeln!(out, "counter       {counter}")?,
        _ => {
            if let Some(period) = credential.period() {
                writeln!(out, "period        {period} s")?;
            }
        }
    }
    for (name, value) in uri.map(KeyUri::params).unwrap_or_default() {
        writeln!(out, "param         {name}={value}")?;
    }
    Ok(())
}

/// Base32 in groups of four, as people copy a key into an app by hand.
pub(crate) fn grouped(base32: &str) -> zeroize::Zeroizing<String> {
    let mut text = zeroize::Zeroizing::new(String::with_capacity(base32.len() * 5 / 4 + 1));
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
