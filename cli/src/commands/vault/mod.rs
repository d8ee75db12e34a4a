//! `otpkit vault …`: the encrypted account store (crate `otpkit-vault`) from the command line.
//!
//! Every command that changes the vault runs under its lock (`Vault::edit`), so concurrent
//! runs each see the other's changes. Everything printed from a file (issuer, name, note) goes
//! through `otpkit_vault::text::escape` first.

mod input;
mod transfer;

use std::io::{self, Write};
use std::path::{Path, PathBuf};

use anyhow::{Context, Result, anyhow, bail};
use clap::{Args, Subcommand};
use otpkit::credential::Kind;
use otpkit::{Algorithm, Credential, Digits, KeyUri, Secret};
use otpkit_vault::text::escape;
use otpkit_vault::{Account, Color, Error, KdfParams, Password, Vault, select, short_id};

use crate::exit_codes::ExitCode;
use input::{Source, Stdin};

/// `otpkit vault`: the options every subcommand shares, and the subcommand.
#[derive(Debug, Args)]
pub(crate) struct VaultArgs {
    /// The vault file [default: $OTPKIT_VAULT, else $XDG_DATA_HOME/otpkit/vault.otpkit].
    #[arg(long, value_name = "PATH", global = true)]
    vault: Option<PathBuf>,

    /// Read the vault password from the first line of FILE.
    #[arg(
        long,
        value_name = "FILE",
        global = true,
        conflicts_with = "password_stdin"
    )]
    password_file: Option<PathBuf>,

    /// Read the vault password from the first line of standard input.
    #[arg(long, global = true)]
    password_stdin: bool,

    #[command(subcommand)]
    command: VaultCommand,
}

#[derive(Debug, Subcommand)]
enum VaultCommand {
    /// Create a new, empty vault.
    #[command(after_help = "Example:\n  otpkit vault init")]
    Init {
        /// Argon2id memory in KiB [default: 65536]; small values are for tests only.
        #[arg(long, value_name = "KIB")]
        kdf_memory: Option<u32>,
        /// Argon2id passes [default: 3].
        #[arg(long, value_name = "N")]
        kdf_passes: Option<u32>,
    },
    /// Add an account from an otpauth:// URI, or from a secret read from standard input or a
    /// prompt.
    #[command(after_help = "\
Examples:
  otpkit vault add --uri 'otpauth://totp/Example:alice?secret=JBSWY3DPEHPK3PXP&issuer=Example'
  otpkit vault add --secret --issuer Example --name alice --digits 8 --color '#1e88e5'")]
    Add(AddArgs),
    /// List the accounts (no secrets).
    List {
        /// A JSON array instead of a table.
        #[arg(long)]
        json: bool,
    },
    /// Print the code of one account (HOTP: then advances and saves the counter).
    #[command(after_help = "\
Examples:
  otpkit vault code github
  otpkit vault code 67e5 --time 1700000000

Exit status: 2 when no account matches or several do (the candidates are listed).")]
    Code {
        /// An id prefix, or the issuer / name (case-insensitive; a unique part is enough).
        query: String,
        /// The unix time to make the code for, instead of now.
        #[arg(long, value_name = "UNIX")]
        time: Option<u64>,
    },
    /// Change an account's issuer, name, colour or note.
    Edit(EditArgs),
    /// Remove an account (asks first).
    Rm {
        /// Which account (as for `code`).
        query: String,
        /// Do not ask.
        #[arg(long)]
        yes: bool,
    },
    /// Change the vault password (re-wraps the master key; the accounts are not re-encrypted).
    Passwd {
        /// Read the new password from the first line of FILE.
        #[arg(long, value_name = "FILE")]
        new_password_file: Option<PathBuf>,
    },
    /// Add the accounts of another app's export.
    #[command(after_help = "\
Examples:
  otpkit vault import aegis-export.json --dry-run
  otpkit vault import 2fas-backup.2fas
  otpkit vault import andotp.json.aes --source-password-file export-password.txt")]
    Import(transfer::ImportArgs),
    /// Write the accounts out: the encrypted vault, or (with --plain) otpauth:// URIs, Aegis
    /// JSON, or Google Authenticator migration URIs with QR codes.
    #[command(after_help = "\
Examples:
  otpkit vault export -o vault-copy.otpkit
  otpkit vault export --format google --plain
  otpkit vault export --format aegis --plain -o aegis.json")]
    Export(transfer::ExportArgs),
    /// The backups of earlier versions.
    Backup {
        #[command(subcommand)]
        command: BackupCommand,
    },
    /// Decrypt the vault and check every account; changes nothing.
    Check,
    /// Print the vault's path.
    Path,
}

#[derive(Debug, Subcommand)]
enum BackupCommand {
    /// List the backups, newest first.
    List,
    /// Make a backup the current version (the version it replaces is kept as a backup).
    Restore {
        /// The generation to restore (from `backup list`).
        generation: u64,
    },
}

#[derive(Debug, Args)]
struct AddArgs {
    /// An otpauth:// URI (its issuer and name unless --issuer / --name say otherwise).
    #[arg(long, value_name = "URI", conflicts_with = "secret")]
    uri: Option<String>,
    /// Read a base32 secret from standard input, or a no-echo prompt.
    #[arg(long)]
    secret: bool,
    /// The service.
    #[arg(long)]
    issuer: Option<String>,
    /// The account at the service.
    #[arg(long)]
    name: Option<String>,
    /// SHA1, SHA256 or SHA512 [default: SHA1].
    #[arg(long, value_name = "NAME", conflicts_with = "uri")]
    algorithm: Option<String>,
    /// Digits per code, 6 to 10 [default: 6].
    #[arg(long, value_name = "N", conflicts_with = "uri")]
    digits: Option<u8>,
    /// Seconds per step [default: 30].
    #[arg(long, value_name = "SECONDS", conflicts_with = "uri")]
    period: Option<u64>,
    /// Counter-based (HOTP), starting at --counter.
    #[arg(long, conflicts_with_all = ["steam", "uri"])]
    hotp: bool,
    /// The HOTP counter [default: 0].
    #[arg(long, value_name = "N", requires = "hotp")]
    counter: Option<u64>,
    /// Steam Guard codes.
    #[arg(long, conflicts_with = "uri")]
    steam: bool,
    /// A display colour, #RRGGBB.
    #[arg(long, value_name = "#RRGGBB")]
    color: Option<String>,
    /// A note.
    #[arg(long)]
    note: Option<String>,
}

#[derive(Debug, Args)]
struct EditArgs {
    /// Which account (as for `code`).
    query: String,
    /// The new issuer.
    #[arg(long)]
    issuer: Option<String>,
    /// The new name.
    #[arg(long)]
    name: Option<String>,
    /// The new colour, #RRGGBB, or `none`.
    #[arg(long, value_name = "#RRGGBB")]
    color: Option<String>,
    /// The new note.
    #[arg(long)]
    note: Option<String>,
}

/// What every command needs: the path and how to get the password.
struct Ctx<'a> {
    path: PathBuf,
    source: Source<'a>,
    stdin: Stdin,
}

impl Ctx<'_> {
    fn password(&mut self) -> Result<Password> {
        self.source.read(&mut self.stdin, "Vault password: ", false)
    }
}

/// The vault file: `--vault`, `$OTPKIT_VAULT`, else the XDG default.
pub(crate) fn vault_path(arg: Option<&Path>) -> Result<PathBuf> {
    if let Some(p) = arg {
        return Ok(p.to_owned());
    }
    if let Some(p) = std::env::var_os("OTPKIT_VAULT").filter(|p| !p.is_empty()) {
        return Ok(PathBuf::from(p));
    }
    Vault::default_path().context("no vault path: set --vault PATH, OTPKIT_VAULT or HOME")
}

/// Runs one `otpkit vault` command.
pub(crate) fn run(args: &VaultArgs) -> Result<ExitCode> {
    let source = match (&args.password_file, args.password_stdin) {
        (Some(f), _) => Source::File(f),
        (None, true) => Source::Stdin,
        (None, false) => Source::Prompt,
    };
    let mut ctx = Ctx {
        path: vault_path(args.vault.as_deref())?,
        source,
        stdin: Stdin::new(),
    };
    let result = dispatch(&args.command, &mut ctx);
    match result {
        Err(err) => explain(err, &ctx.path),
        ok => ok,
    }
}

/// Turns the vault's errors into the CLI's: no match and ambiguity are status 2; damage and a
/// wrong password say that nothing changed and where the backups are.
fn explain(err: anyhow::Error, path: &Path) -> Result<ExitCode> {
    let Some(vault_err) = err.downcast_ref::<Error>() else {
        return Err(err);
    };
    match vault_err {
        Error::NoMatch | Error::Ambiguous(_) => {
            let msg = escape(&vault_err.to_string()).into_owned();
            let _ = writeln!(io::stderr(), "otpkit: {msg}");
            Ok(ExitCode::NoMatch)
        }
        e if e.is_damage()
            || matches!(
                e,
                Error::WrongPassword | Error::UnsupportedVersion(_) | Error::KdfRefused(_)
            ) =>
        {
            let backups = Vault::backups_dir(path);
            Err(anyhow!(
                "{e}; nothing was changed; earlier versions are in {} (`otpkit vault backup list`)",
                backups.display()
            ))
        }
        Error::NotFound => Err(anyhow!(
            "no vault at {}: create one with `otpkit vault init`",
            path.display()
        )),
        _ => Err(err),
    }
}

fn dispatch(command: &VaultCommand, ctx: &mut Ctx<'_>) -> Result<ExitCode> {
    match command {
        VaultCommand::Init {
            kdf_memory,
            kdf_passes,
        } => init(ctx, *kdf_memory, *kdf_passes),
        VaultCommand::Add(a) => add(ctx, a),
        VaultCommand::List { json } => list(ctx, *json),
        VaultCommand::Code { query, time } => code(ctx, query, *time),
        VaultCommand::Edit(e) => edit(ctx, e),
        VaultCommand::Rm { query, yes } => rm(ctx, query, *yes),
        VaultCommand::Passwd { new_password_file } => passwd(ctx, new_password_file.as_deref()),
        VaultCommand::Import(a) => transfer::import(ctx, a),
        VaultCommand::Export(a) => transfer::export(ctx, a),
        VaultCommand::Backup {
            command: BackupCommand::List,
        } => backup_list(ctx),
        VaultCommand::Backup {
            command: BackupCommand::Restore { generation },
        } => restore(ctx, *generation),
        VaultCommand::Check => check(ctx),
        VaultCommand::Path => {
            writeln!(io::stdout(), "{}", ctx.path.display())?;
            Ok(ExitCode::Success)
        }
    }
}

fn init(ctx: &mut Ctx<'_>, memory: Option<u32>, passes: Option<u32>) -> Result<ExitCode> {
    let d = KdfParams::DEFAULT;
    let params = KdfParams::new(
        memory.unwrap_or(d.memory_kib),
        passes.unwrap_or(d.passes),
        d.lanes,
    )?;
    let password = ctx
        .source
        .read(&mut ctx.stdin, "New vault password: ", true)?;
    Vault::create(&ctx.path, &password, params)?;
    writeln!(io::stderr(), "created {}", ctx.path.display())?;
    Ok(ExitCode::Success)
}

fn parse_algorithm(s: &str) -> Result<Algorithm> {
    s.parse()
        .map_err(|_| anyhow!("--algorithm: expected sha1, sha256 or sha512"))
}

fn add(ctx: &mut Ctx<'_>, a: &AddArgs) -> Result<ExitCode> {
    let password = ctx.password()?;
    let (credential, issuer, name) = if let Some(uri) = &a.uri {
        let key = KeyUri::parse(uri.trim()).context("--uri")?;
        let issuer = key.issuer().unwrap_or_default().to_owned();
        (key.credential().clone(), issuer, key.account().to_owned())
    } else if a.secret {
        let text = input::secret(&mut ctx.stdin)?;
        let secret = Secret::from_base32(&text).context("the secret is not base32")?;
        let algorithm = a
            .algorithm
            .as_deref()
            .map(parse_algorithm)
            .transpose()?
            .unwrap_or(Algorithm::Sha1);
        let digits = Digits::new(a.digits.unwrap_or(6)).context("--digits")?;
        let cred = if a.steam {
            Credential::steam(secret)
        } else if a.hotp {
            Credential::hotp(secret, algorithm, digits, a.counter.unwrap_or(0))
        } else {
            Credential::totp(secret, algorithm, digits, a.period.unwrap_or(30))
                .context("--period")?
        };
        (cred, String::new(), String::new())
    } else {
        bail!("give --uri URI, or --secret (read from standard input or a prompt)");
    };
    let issuer = a.issuer.clone().unwrap_or(issuer);
    let name = a.name.clone().unwrap_or(name);
    if name.is_empty() && issuer.is_empty() {
        bail!("give --name (and --issuer) for the account");
    }
    let color = a.color.as_deref().map(str::parse::<Color>).transpose()?;
    let mut account = Account::new(&issuer, &name, credential, crate::time::now()?)?;
    account.color = color;
    account.note = a.note.clone().unwrap_or_default();
    let label = account.label();
    let id = short_id(&account.id);
    Vault::edit(&ctx.path, &password, |v| {
        v.add(account);
        Ok::<(), Error>(())
    })?;
    writeln!(io::stderr(), "added {} ({id})", escape(&label))?;
    Ok(ExitCode::Success)
}

/// The JSON text with every character a terminal would act on written as `\uXXXX` (still the
/// same JSON).
fn terminal_safe_json(json: &str) -> String {
    let mut out = String::with_capacity(json.len());
    for c in json.chars() {
        // Line ends are the pretty printer's; inside strings serde_json escapes them already.
        if c != '\n' && escape(&c.to_string()).len() > c.len_utf8() {
            let mut units = [0u16; 2];
            for u in c.encode_utf16(&mut units) {
                out.push_str(&format!("\\u{u:04x}"));
            }
        } else {
            out.push(c);
        }
    }
    out
}

fn kind_text(c: &Credential) -> String {
    let alg = match c.algorithm() {
        Algorithm::Sha256 => "SHA256",
        Algorithm::Sha512 => "SHA512",
        _ => "SHA1",
    };
    match c.kind() {
        Kind::Hotp { counter } => {
            format!("hotp {alg} {} digits, counter {counter}", c.digits().get())
        }
        Kind::Steam => "steam".to_owned(),
        Kind::Totp { period, .. } => format!("totp {alg} {} digits, {period}s", c.digits().get()),
        _ => c.kind().name().to_owned(),
    }
}

fn list(ctx: &mut Ctx<'_>, json: bool) -> Result<ExitCode> {
    let password = ctx.password()?;
    let vault = Vault::open(&ctx.path, &password)?;
    let mut accounts: Vec<&Account> = vault.accounts().iter().collect();
    accounts.sort_by_key(|a| a.order);
    let mut out = io::stdout().lock();
    if json {
        let list: Vec<serde_json::Value> = accounts
            .iter()
            .map(|a| {
                let c = &a.credential;
                serde_json::json!({
                    "id": a.id.to_string(),
                    "issuer": a.issuer,
                    "name": a.name,
                    "color": a.color.map(|c| c.to_string()),
                    "note": a.note,
                    "type": c.kind().name(),
                    "algorithm": kind_text(c).split(' ').nth(1).unwrap_or("SHA1"),
                    "digits": c.code_len(),
                    "period": c.period(),
                    "counter": c.counter(),
                    "order": a.order,
                    "created": a.created,
                    "updated": a.updated,
                })
            })
            .collect();
        let text = serde_json::to_string_pretty(&list)?;
        writeln!(out, "{}", terminal_safe_json(&text))?;
    } else {
        for a in accounts {
            let color = a.color.map(|c| format!(" {c}")).unwrap_or_default();
            writeln!(
                out,
                "{}  {}  ({}){color}",
                short_id(&a.id),
                escape(&a.label()),
                kind_text(&a.credential)
            )?;
        }
    }
    Ok(ExitCode::Success)
}

fn code(ctx: &mut Ctx<'_>, query: &str, time: Option<u64>) -> Result<ExitCode> {
    let password = ctx.password()?;
    let mut vault = Vault::open(&ctx.path, &password)?;
    let i = select(vault.accounts(), query)?;
    let account = vault.accounts().get(i).context("no such account")?;
    if let Kind::Hotp { counter } = account.credential.kind() {
        if time.is_some() {
            bail!("HOTP codes do not depend on time: drop --time");
        }
        let id = account.id;
        // Advance under the lock, from the counter on disk (re-read with the key already
        // unwrapped: one key derivation per run).
        let code = vault.update(|v| {
            let a = v
                .accounts_mut()
                .iter_mut()
                .find(|a| a.id == id)
                .ok_or(Error::NoMatch)?;
            let counter = a.credential.counter().unwrap_or(counter);
            let code = a
                .credential
                .to_hotp()
                .map_err(|_| Error::BadPayload)?
                .generate(counter);
            a.credential = a.credential.clone().with_counter(counter.saturating_add(1));
            Ok::<_, Error>(code)
        })?;
        writeln!(io::stdout(), "{}", code.as_str())?;
        return Ok(ExitCode::Success);
    }
    let time = match time {
        Some(t) => t,
        None => crate::time::now()?,
    };
    let code = account.credential.to_totp()?.generate(time)?;
    writeln!(io::stdout(), "{}", code.as_str())?;
    Ok(ExitCode::Success)
}

fn edit(ctx: &mut Ctx<'_>, e: &EditArgs) -> Result<ExitCode> {
    let password = ctx.password()?;
    let color = match e.color.as_deref() {
        None => None,
        Some("none") => Some(None),
        Some(c) => Some(Some(c.parse::<Color>()?)),
    };
    let now = crate::time::now()?;
    let label = Vault::edit(&ctx.path, &password, |v| {
        let i = select(v.accounts(), &e.query)?;
        let a = v.accounts_mut().get_mut(i).ok_or(Error::NoMatch)?;
        if let Some(issuer) = &e.issuer {
            a.issuer.clone_from(issuer);
        }
        if let Some(name) = &e.name {
            a.name.clone_from(name);
        }
        if let Some(color) = color {
            a.color = color;
        }
        if let Some(note) = &e.note {
            a.note.clone_from(note);
        }
        a.updated = now;
        Ok::<_, Error>(a.label())
    })?;
    writeln!(io::stderr(), "changed {}", escape(&label))?;
    Ok(ExitCode::Success)
}

fn rm(ctx: &mut Ctx<'_>, query: &str, yes: bool) -> Result<ExitCode> {
    let password = ctx.password()?;
    let mut vault = Vault::open(&ctx.path, &password)?;
    let i = select(vault.accounts(), query)?;
    let a = vault.accounts().get(i).context("no such account")?;
    let id = a.id;
    if !yes {
        let question = format!("Remove {} ({})?", escape(&a.label()), short_id(&a.id));
        if !input::confirm(&question)? {
            writeln!(io::stderr(), "nothing removed")?;
            return Ok(ExitCode::NoMatch);
        }
    }
    // The account confirmed, by id, from the file as it is now (one key derivation per run).
    let label = vault.update(|v| {
        let i = v
            .accounts()
            .iter()
            .position(|a| a.id == id)
            .ok_or(Error::NoMatch)?;
        Ok::<_, Error>(v.accounts_mut().remove(i).label())
    })?;
    writeln!(io::stderr(), "removed {}", escape(&label))?;
    Ok(ExitCode::Success)
}

fn passwd(ctx: &mut Ctx<'_>, new_file: Option<&Path>) -> Result<ExitCode> {
    let old = ctx.password()?;
    let new_source = match (new_file, &ctx.source) {
        (Some(f), _) => Source::File(f),
        (None, Source::Stdin) => Source::Stdin,
        (None, _) => Source::Prompt,
    };
    let new = new_source.read(&mut ctx.stdin, "New vault password: ", true)?;
    Vault::edit(&ctx.path, &old, |v| {
        let params = v.kdf_params().unwrap_or(KdfParams::DEFAULT);
        v.change_password(&new, params)
    })?;
    writeln!(io::stderr(), "password changed")?;
    Ok(ExitCode::Success)
}

fn backup_list(ctx: &mut Ctx<'_>) -> Result<ExitCode> {
    let mut out = io::stdout().lock();
    for b in Vault::backups(&ctx.path)? {
        writeln!(out, "{}  {}", b.generation, b.path.display())?;
    }
    Ok(ExitCode::Success)
}

fn restore(ctx: &mut Ctx<'_>, generation: u64) -> Result<ExitCode> {
    let backups = Vault::backups(&ctx.path)?;
    let backup = backups
        .iter()
        .find(|b| b.generation == generation)
        .with_context(|| {
            format!("no backup of generation {generation} (see `otpkit vault backup list`)")
        })?;
    let password = ctx
        .source
        .read(&mut ctx.stdin, "Password of that version: ", false)?;
    let v = Vault::restore(&ctx.path, &backup.path, &password)?;
    writeln!(
        io::stderr(),
        "restored generation {generation} ({} accounts)",
        v.accounts().len()
    )?;
    Ok(ExitCode::Success)
}

fn check(ctx: &mut Ctx<'_>) -> Result<ExitCode> {
    let password = ctx.password()?;
    let vault = Vault::open(&ctx.path, &password)?;
    let mut bad = 0usize;
    for a in vault.accounts() {
        let ok = match a.credential.kind() {
            Kind::Hotp { counter } => a.credential.to_hotp().map(|h| h.generate(counter)).is_ok(),
            _ => a
                .credential
                .to_totp()
                .and_then(|t| t.generate(a.credential.period().unwrap_or(30).max(1)))
                .is_ok(),
        };
        if !ok {
            bad += 1;
            writeln!(
                io::stderr(),
                "bad account: {} ({})",
                escape(&a.label()),
                short_id(&a.id)
            )?;
        }
    }
    if bad > 0 {
        bail!(
            "{bad} of {} accounts do not make codes",
            vault.accounts().len()
        );
    }
    writeln!(
        io::stdout(),
        "ok: {} accounts, generation {}, {} backups",
        vault.accounts().len(),
        vault.generation(),
        Vault::backups(&ctx.path)?.len()
    )?;
    Ok(ExitCode::Success)
}
