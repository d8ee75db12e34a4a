//! Key input, shared by every command that takes a key: where the text comes from (argument,
//! standard input, file), what it is (otpauth:// URI, base32, hex), and the flags that override
//! what a URI says.
//!
//! Key text lives in `Zeroizing` strings and never reaches an error message.

use std::fs::File;
use std::io::{self, BufRead, BufReader, IsTerminal, Read};

use anyhow::{Context, Result, anyhow, bail};
use otpkit::{Algorithm, Credential, Digits, KeyUri, Secret, UriError, credential::Kind};
use zeroize::Zeroizing;

use crate::cli::KeyArgs;

/// The first line of standard input, of a file, or the argument: the key as the user gave it.
pub(crate) fn read_text(args: &KeyArgs) -> Result<Zeroizing<String>> {
    if let Some(path) = &args.key_file {
        let file = File::open(path)
            .context("cannot read the file given to --key-file (its name is not repeated here: it may be a key)")?;
        let line = first_line(BufReader::new(file))
            .context("cannot read the file given to --key-file (its name is not repeated here: it may be a key)")?;
        return non_empty(line, "the file given to --key-file is empty");
    }
    match args.key.as_deref() {
        Some(key) if key != "-" => non_empty(
            Zeroizing::new(key.trim().to_owned()),
            "KEY is empty: give a base32 secret or an otpauth:// URI",
        ),
        _ => read_stdin_line("key (base32 or otpauth:// URI): ").and_then(|line| {
            non_empty(
                line,
                "no key on standard input: pipe one in, or give KEY or --key-file FILE",
            )
        }),
    }
}

/// One line from standard input, trimmed. At a terminal it asks with `prompt` (written to the
/// terminal itself) and does not echo what is typed.
pub(crate) fn read_stdin_line(prompt: &str) -> Result<Zeroizing<String>> {
    let stdin = io::stdin();
    if stdin.is_terminal() {
        let line = Zeroizing::new(
            rpassword::prompt_password(prompt).context("cannot read from the terminal")?,
        );
        return Ok(Zeroizing::new(line.trim().to_owned()));
    }
    first_line(stdin.lock()).context("cannot read standard input")
}

/// The first line, trimmed (empty when there is none).
fn first_line(mut reader: impl BufRead) -> io::Result<Zeroizing<String>> {
    Ok(read_line_limited(&mut reader)?.unwrap_or_default())
}

/// The next line, trimmed, or `None` at the end. It reads no further than the longest URI the
/// library accepts (and a line end), so that `--key-file /dev/zero` ends with an error instead
/// of filling memory, and a longer line is an error rather than a key cut short.
pub(crate) fn read_line_limited(
    reader: &mut impl BufRead,
) -> io::Result<Option<Zeroizing<String>>> {
    let limit = u64::try_from(KeyUri::MAX_LEN)
        .unwrap_or(u64::MAX)
        .saturating_add(2);
    // Room for any realistic URI up front, so the buffer is not reallocated (and the key copied
    // into memory that is never wiped) while it is read.
    let mut line = Zeroizing::new(String::with_capacity(4096));
    let read = Read::take(&mut *reader, limit).read_line(&mut line)?;
    if read == 0 {
        return Ok(None);
    }
    if u64::try_from(read).unwrap_or(u64::MAX) >= limit && !line.ends_with('\n') {
        return Err(io::Error::new(
            io::ErrorKind::InvalidData,
            "a line is longer than 64 KiB, longer than any key",
        ));
    }
    Ok(Some(Zeroizing::new(line.trim().to_owned())))
}

fn non_empty(text: Zeroizing<String>, message: &str) -> Result<Zeroizing<String>> {
    if text.is_empty() {
        bail!("{message}");
    }
    Ok(text)
}

/// A key as the user gave it: the credential (override flags applied) and, when the key was an
/// `otpauth://` URI, what else the URI said.
pub(crate) struct Key {
    /// The credential to generate and verify with.
    pub(crate) credential: Credential,
    /// The URI the key came from, if it was one.
    pub(crate) uri: Option<KeyUri>,
}

/// The key that `args` describe, with the override flags applied.
pub(crate) fn read(args: &KeyArgs) -> Result<Key> {
    let text = read_text(args)?;
    let (base, uri) = parse(&text, args.hex)?;
    Ok(Key {
        credential: apply_overrides(base, args)?,
        uri,
    })
}

/// The credential that `args` describe, with the override flags applied.
pub(crate) fn credential(args: &KeyArgs) -> Result<Credential> {
    read(args).map(|key| key.credential)
}

/// A key's text, read as a URI, hex or base32 into a credential with the defaults
/// (TOTP, SHA-1, 6 digits, 30 seconds) for whatever the text does not say. URIs and base32 are
/// the library's `KeyUri::from_pasted`; hex is the CLI's own.
fn parse(text: &str, hex: bool) -> Result<(Credential, Option<KeyUri>)> {
    if hex {
        let lower = text.get(..24).unwrap_or(text).to_ascii_lowercase();
        if lower.starts_with("otpauth") {
            bail!("--hex is for bare secrets, and KEY is an otpauth:// URI: drop --hex");
        }
        let credential = Credential::totp(
            secret_from_hex(text)?,
            Algorithm::Sha1,
            Digits::SIX,
            otpkit::Totp::DEFAULT_PERIOD,
        )?;
        return Ok((credential, None));
    }
    match KeyUri::from_pasted(text) {
        Ok(key) => {
            let credential = key.credential().clone();
            // A bare secret's key has no names; only a URI's is worth showing.
            Ok((credential, text.contains(':').then_some(key)))
        }
        Err(UriError::MigrationExport) => bail!(
            "KEY is a Google Authenticator export: turn it into otpauth:// URIs with `otpkit import`"
        ),
        Err(UriError::NotAKey(e)) => bail!(
            "KEY is not base32 ({e}): give a base32 secret, an otpauth:// URI, or hex with --hex"
        ),
        Err(e) => bail!("KEY is not a usable otpauth:// URI: {e}"),
    }
}

fn secret_from_hex(text: &str) -> Result<Secret> {
    let digits: Zeroizing<Vec<u8>> =
        Zeroizing::new(text.bytes().filter(|b| !b.is_ascii_whitespace()).collect());
    let bytes = Zeroizing::new(data_encoding::HEXLOWER_PERMISSIVE.decode(&digits).map_err(
        |e| {
            anyhow!(
                "KEY is not hex ({}): give pairs of 0-9 and a-f, or drop --hex for base32",
                hex_problem(e)
            )
        },
    )?);
    Secret::from_bytes(&bytes).map_err(|_| anyhow!("KEY is empty"))
}

/// data-encoding's error, in words that never quote the input.
fn hex_problem(e: data_encoding::DecodeError) -> String {
    match e.kind {
        data_encoding::DecodeKind::Length => String::from("an odd number of hex digits"),
        _ => format!("invalid hex character at position {}", e.position),
    }
}

/// Applies `--hotp`, `--steam`, `--algorithm`, `--digits`, `--period`, `--t0` and `--counter`
/// over what the key said, refusing combinations that mean nothing. The code parameters come
/// already checked by the command line (`cli::ParamArgs`).
pub(crate) fn apply_overrides(base: Credential, args: &KeyArgs) -> Result<Credential> {
    let kind = if args.steam {
        Kind::Steam
    } else if args.hotp {
        Kind::Hotp {
            counter: args.counter.or(base.counter()).unwrap_or(0),
        }
    } else {
        match base.kind() {
            Kind::Totp { period, t0 } => Kind::Totp {
                period: args.params.period.unwrap_or(period),
                t0: args.t0.unwrap_or(t0),
            },
            Kind::Hotp { counter } => Kind::Hotp {
                counter: args.counter.unwrap_or(counter),
            },
            // A kind added to the library later is kept as the key says.
            other => other,
        }
    };
    match kind {
        Kind::Hotp { .. } if args.params.period.is_some() || args.t0.is_some() => {
            bail!("--period and --t0 are for time-based keys: drop them, or drop --hotp")
        }
        Kind::Totp { .. } | Kind::Steam if args.counter.is_some() => {
            bail!("--counter is for HOTP keys: add --hotp, or drop --counter")
        }
        Kind::Steam if args.params.digits.is_some() => {
            bail!("Steam Guard codes always have 5 characters: drop --digits")
        }
        Kind::Steam if args.params.period.is_some() || args.t0.is_some() => {
            bail!("Steam Guard codes always use 30-second steps from 0: drop --period and --t0")
        }
        Kind::Steam if args.params.algorithm.is_some_and(|a| a != Algorithm::Sha1) => {
            bail!("Steam Guard codes always use SHA1: drop --algorithm")
        }
        _ => {}
    }
    let algorithm = args.params.algorithm.unwrap_or(base.algorithm());
    let digits = args.params.digits.unwrap_or(base.digits());
    let secret = base.secret().clone();
    Ok(match kind {
        Kind::Hotp { counter } => Credential::hotp(secret, algorithm, digits, counter),
        Kind::Steam => Credential::steam(secret),
        Kind::Totp { period, t0 } => Credential::totp(secret, algorithm, digits, period)
            .context("--period")?
            .with_t0(t0),
        _ => base,
    })
}
