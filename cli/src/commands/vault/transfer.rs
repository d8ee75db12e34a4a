//! `otpkit vault import` and `otpkit vault export`.

use std::fs::{self, OpenOptions};
use std::io::{self, Read, Write};
use std::path::{Path, PathBuf};

use anyhow::{Context, Result, bail};
use clap::Args;
use otpkit_vault::import::{self, Format};
use otpkit_vault::text::escape;
use otpkit_vault::{Vault, export};

use super::Ctx;
use super::input::Source;
use crate::exit_codes::ExitCode;

#[derive(Debug, Args)]
pub(crate) struct ImportArgs {
    /// The export file.
    file: PathBuf,
    /// The file's format [default: detected]: otpauth, google, aegis, 2fas, andotp, bitwarden,
    /// bitwarden-csv, freeotp-plus.
    #[arg(long, value_name = "FORMAT")]
    format: Option<String>,
    /// Print what would be added; change nothing.
    #[arg(long)]
    dry_run: bool,
    /// Read the export file's own password from the first line of FILE (else a prompt).
    #[arg(long, value_name = "FILE")]
    source_password_file: Option<PathBuf>,
}

#[derive(Debug, Args)]
pub(crate) struct ExportArgs {
    /// vault (a copy of the encrypted file), otpauth, aegis or google.
    #[arg(long, value_name = "FORMAT", default_value = "vault")]
    format: String,
    /// Allow a plain-text export (otpauth, aegis, google): it holds every secret.
    #[arg(long)]
    plain: bool,
    /// Write to FILE (created, 0600) instead of standard output.
    #[arg(long, short, value_name = "FILE")]
    output: Option<PathBuf>,
    /// google: print only the URIs, no QR codes.
    #[arg(long)]
    no_qr: bool,
}

fn read_file(path: &Path) -> Result<Vec<u8>> {
    let file = fs::File::open(path).with_context(|| format!("cannot read {}", path.display()))?;
    let mut bytes = Vec::new();
    let limit = u64::try_from(import::MAX_FILE_LEN).unwrap_or(u64::MAX) + 1;
    file.take(limit)
        .read_to_end(&mut bytes)
        .with_context(|| format!("cannot read {}", path.display()))?;
    Ok(bytes)
}

pub(crate) fn import(ctx: &mut Ctx<'_>, args: &ImportArgs) -> Result<ExitCode> {
    let password = ctx.password()?;
    let format = args
        .format
        .as_deref()
        .map(str::parse::<Format>)
        .transpose()?;
    let bytes = zeroize::Zeroizing::new(read_file(&args.file)?);
    let imported = match import::read(&bytes, format, None) {
        Err(import::Error::NeedsPassword) => {
            let source = match &args.source_password_file {
                Some(f) => Source::File(f),
                None => Source::Prompt,
            };
            let pw = source.read(&mut ctx.stdin, "Password of the import file: ", false)?;
            import::read(&bytes, format, Some(&pw))?
        }
        other => other?,
    };
    let mut err = io::stderr().lock();
    for p in &imported.problems {
        let label = if p.label.is_empty() {
            String::new()
        } else {
            format!(" ({})", escape(&p.label))
        };
        writeln!(
            err,
            "skipped entry {}{label}: {}",
            p.entry,
            escape(&p.reason)
        )?;
    }
    let now = crate::time::now()?;
    let (problems, format) = (imported.problems.len(), imported.format);
    let entries = imported.entries;
    let summary = if args.dry_run {
        let mut vault = Vault::open(&ctx.path, &password)?;
        let mut out = io::stdout().lock();
        let before = vault.accounts().len();
        let summary = import::merge(&mut vault, entries, now)?;
        for a in vault.accounts().get(before..).unwrap_or_default() {
            writeln!(
                out,
                "would add {} ({})",
                escape(&a.label()),
                a.credential.kind().name()
            )?;
        }
        summary
    } else {
        Vault::edit(&ctx.path, &password, |v| import::merge(v, entries, now))?
    };
    writeln!(
        err,
        "{format}: {} {}, {} duplicates skipped, {problems} bad entries skipped",
        if args.dry_run { "would add" } else { "added" },
        summary.added,
        summary.duplicates,
    )?;
    if summary.added == 0 && summary.duplicates == 0 && problems > 0 {
        bail!("no entry of {} could be read", args.file.display());
    }
    Ok(ExitCode::Success)
}

/// Creates `path` (0600, never over an existing file) with `bytes`.
fn write_private(path: &Path, bytes: &[u8]) -> Result<()> {
    let mut opts = OpenOptions::new();
    opts.write(true).create_new(true);
    #[cfg(unix)]
    std::os::unix::fs::OpenOptionsExt::mode(&mut opts, 0o600);
    let mut f = opts
        .open(path)
        .with_context(|| format!("cannot create {}", path.display()))?;
    f.write_all(bytes)?;
    f.sync_all()?;
    Ok(())
}

pub(crate) fn export(ctx: &mut Ctx<'_>, args: &ExportArgs) -> Result<ExitCode> {
    let password = ctx.password()?;
    let vault = Vault::open(&ctx.path, &password)?;
    if args.format == "vault" {
        let out = args
            .output
            .as_deref()
            .context("--output FILE: where to write the copy of the vault")?;
        write_private(out, &fs::read(&ctx.path).context("cannot read the vault")?)?;
        writeln!(
            io::stderr(),
            "wrote the encrypted vault to {}",
            out.display()
        )?;
        return Ok(ExitCode::Success);
    }
    if !args.plain {
        bail!(
            "a {} export holds every secret in plain text: add --plain to write it",
            args.format
        );
    }
    let (text, skipped) = match args.format.as_str() {
        "otpauth" => export::otpauth_list(vault.accounts()),
        "aegis" => (export::aegis_plain_json(vault.accounts()), Vec::new()),
        "google" => {
            let (uris, skipped) = export::google_migration(vault.accounts())?;
            let mut parts = Vec::new();
            for uri in uris {
                let qr = if !args.no_qr && args.output.is_none() {
                    Some(otpkit::qr::QrCode::new(&uri)?.to_terminal())
                } else {
                    None
                };
                parts.push(uri);
                parts.extend(qr);
            }
            // One buffer of the final size: a growing one would leave unwiped copies.
            let len = parts.iter().map(|p| p.len() + 1).sum();
            let mut text = zeroize::Zeroizing::new(String::with_capacity(len));
            for p in &parts {
                text.push_str(p);
                if !p.ends_with('\n') {
                    text.push('\n');
                }
            }
            (text, skipped)
        }
        other => bail!("unknown export format {other:?}: expected vault, otpauth, aegis or google"),
    };
    let mut err = io::stderr().lock();
    for s in &skipped {
        writeln!(err, "skipped {}: {}", escape(&s.label), s.reason)?;
    }
    writeln!(
        err,
        "warning: this export holds every secret in plain text; delete it once imported"
    )?;
    match &args.output {
        Some(path) => {
            write_private(path, text.as_bytes())?;
            writeln!(err, "wrote {} (0600)", path.display())?;
        }
        None => io::stdout().write_all(text.as_bytes())?,
    }
    Ok(ExitCode::Success)
}
