//! `otpkit export`: `otpauth://` URIs to Google Authenticator exports (`otpauth-migration://`),
//! at most ten accounts each, each followed by its QR code for the app to scan.

use std::io::{self, Write};

use anyhow::{Context, Result, anyhow, bail};
use otpkit::{KeyUri, migration, qr::QrCode};
use zeroize::Zeroizing;

use crate::cli::ExportArgs;
use crate::exit_codes::ExitCode;
use crate::input::stdin_lines;

pub(crate) fn run(args: &ExportArgs) -> Result<ExitCode> {
    let uris = if args.uris.is_empty() || args.uris == ["-"] {
        stdin_lines()?
    } else {
        args.uris
            .iter()
            .map(|u| Zeroizing::new(u.clone()))
            .collect()
    };
    if uris.is_empty() {
        bail!("no URIs on standard input: pipe otpauth:// URIs in, one per line");
    }
    let keys = uris
        .iter()
        .enumerate()
        .map(|(i, uri)| KeyUri::parse(uri).map_err(|e| anyhow!("URI {} is not usable: {e}", i + 1)))
        .collect::<Result<Vec<_>>>()?;
    let exports = migration::export(&keys)
        .map_err(|e| anyhow!("cannot export {e}: leave that account out"))?;
    let mut out = io::stdout().lock();
    for export in &exports {
        writeln!(out, "{}", export.as_str())?;
        if !args.no_qr {
            let qr = QrCode::new(export).context(
                "an export is too long for a QR code (long account names?): use --no-qr",
            )?;
            write!(out, "{}", qr.to_terminal().as_str())?;
        }
    }
    Ok(ExitCode::Success)
}
