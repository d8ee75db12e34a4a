//! `otpkit import`: Google Authenticator exports (`otpauth-migration://`) to `otpauth://` URIs.

use std::io::{self, Write};

use anyhow::{Result, anyhow, bail};
use otpkit::{KeyUri, migration};
use zeroize::Zeroizing;

use crate::cli::ImportArgs;
use crate::exit_codes::ExitCode;
use crate::input::stdin_lines;
use crate::output::{Description, describe, secret_text, write_json};

pub(crate) fn run(args: &ImportArgs) -> Result<ExitCode> {
    let exports = match args.uri.as_deref() {
        Some(uri) if uri != "-" => vec![Zeroizing::new(uri.to_owned())],
        _ => stdin_lines()?,
    };
    if exports.is_empty() {
        bail!("no export on standard input: pipe otpauth-migration:// URIs in, one per line");
    }
    let mut keys: Vec<KeyUri> = Vec::new();
    for (i, export) in exports.iter().enumerate() {
        let imported = migration::import(export).map_err(|e| {
            if exports.len() == 1 {
                anyhow!("not a Google Authenticator export: {e}")
            } else {
                anyhow!("export on line {} is not usable: {e}", i + 1)
            }
        })?;
        keys.extend(imported);
    }
    let mut out = io::stdout().lock();
    if args.json {
        let secrets: Vec<Zeroizing<String>> = keys
            .iter()
            .map(|key| secret_text(key.credential()))
            .collect();
        let list: Vec<Description<'_>> = keys
            .iter()
            .zip(&secrets)
            .map(|(key, secret)| describe(key.credential(), Some(key), secret))
            .collect();
        write_json(&mut out, &list)?;
    } else {
        for key in &keys {
            writeln!(out, "{}", key.to_uri().as_str())?;
        }
    }
    Ok(ExitCode::Success)
}
