//! `otpkit inspect`: what a key holds, as one JSON object or as lines for a person. `import
//! --json` prints the same objects.

use std::io::{self, Write};

use anyhow::Result;
use otpkit::{Credential, KeyUri, credential::Kind};

use crate::cli::InspectArgs;
use crate::exit_codes::ExitCode;
use crate::key;
use crate::output::{self, escape, grouped};

pub(crate) fn run(args: &InspectArgs) -> Result<ExitCode> {
    let key = key::read(&args.key)?;
    let mut out = io::stdout().lock();
    if args.json {
        let secret = output::secret_text(&key.credential);
        let description = output::describe(&key.credential, key.uri.as_ref(), &secret);
        output::write_json(&mut out, &description)?;
    } else {
        write_for_a_person(&mut out, &key.credential, key.uri.as_ref())?;
    }
    Ok(ExitCode::Success)
}

/// The same facts as [`output::describe`], one per line, with the secret grouped in fours for typing.
fn write_for_a_person(
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
        escape(uri.and_then(KeyUri::issuer).unwrap_or(none))
    )?;
    writeln!(
        out,
        "label issuer  {}",
        escape(uri.and_then(KeyUri::label_issuer).unwrap_or(none))
    )?;
    writeln!(
        out,
        "account       {}",
        escape(uri.map_or(none, KeyUri::account))
    )?;
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
        writeln!(out, "param         {}={}", escape(name), escape(value))?;
    }
    Ok(())
}
