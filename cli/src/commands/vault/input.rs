//! Where `otpkit vault` reads passwords and secrets from: a no-echo prompt on the terminal,
//! `--password-file FILE`, or `--password-stdin` (never the command line).

use std::fs::File;
use std::io::{self, BufRead, BufReader, IsTerminal, Read};
use std::path::Path;

use anyhow::{Context, Result, bail};
use otpkit_vault::Password;
use zeroize::Zeroizing;

/// The longest line read as a password or secret (a line end must come before it).
const MAX_LINE: u64 = 64 * 1024;

/// One line of `reader` without its line end; `None` at the end of input.
fn line(reader: &mut impl BufRead) -> Result<Option<Zeroizing<String>>> {
    let mut buf = Zeroizing::new(Vec::new());
    let n = reader.take(MAX_LINE).read_until(b'\n', &mut buf)?;
    if n == 0 {
        return Ok(None);
    }
    if buf.last() != Some(&b'\n') && n as u64 >= MAX_LINE {
        bail!("line longer than 64 KiB");
    }
    while matches!(buf.last(), Some(b'\n' | b'\r')) {
        buf.pop();
    }
    let text = String::from_utf8(buf.to_vec()).context("not UTF-8")?;
    Ok(Some(Zeroizing::new(text)))
}

/// Standard input read line by line: `--password-stdin` takes the first line(s), a secret the
/// next one.
pub(crate) struct Stdin {
    reader: Option<io::StdinLock<'static>>,
}

impl Stdin {
    pub(crate) fn new() -> Self {
        Self { reader: None }
    }

    fn next(&mut self, what: &str) -> Result<Zeroizing<String>> {
        let reader = self.reader.get_or_insert_with(|| io::stdin().lock());
        line(reader)
            .with_context(|| format!("cannot read {what} from standard input"))?
            .with_context(|| format!("standard input ended before {what}"))
    }
}

/// How the vault password is given.
pub(crate) enum Source<'a> {
    Prompt,
    File(&'a Path),
    Stdin,
}

impl Source<'_> {
    /// The password: the first line of the file, the next line of standard input, or typed
    /// at a no-echo prompt (twice when `confirm`).
    pub(crate) fn read(&self, stdin: &mut Stdin, prompt: &str, confirm: bool) -> Result<Password> {
        let text = match self {
            Source::File(path) => {
                let file = File::open(path)
                    .with_context(|| format!("cannot read --password-file {}", path.display()))?;
                line(&mut BufReader::new(file))
                    .with_context(|| format!("cannot read --password-file {}", path.display()))?
                    .unwrap_or_default()
            }
            Source::Stdin => stdin.next("the password")?,
            Source::Prompt => {
                let first = ask(prompt)?;
                if confirm && *ask("Again: ")? != *first {
                    bail!("the two passwords differ");
                }
                first
            }
        };
        if text.is_empty() {
            bail!("the password is empty");
        }
        Ok(Password::new(text.to_string()))
    }
}

/// A no-echo prompt on the terminal.
fn ask(prompt: &str) -> Result<Zeroizing<String>> {
    if !io::stdin().is_terminal() {
        bail!(
            "no terminal to ask for the password on: give --password-file FILE or --password-stdin"
        );
    }
    Ok(Zeroizing::new(
        rpassword::prompt_password(prompt).context("cannot read from the terminal")?,
    ))
}

/// A secret: the next line of standard input, or typed at a no-echo prompt.
pub(crate) fn secret(stdin: &mut Stdin) -> Result<Zeroizing<String>> {
    if io::stdin().is_terminal() {
        return Ok(Zeroizing::new(
            rpassword::prompt_password("Secret (base32): ")
                .context("cannot read from the terminal")?
                .trim()
                .to_owned(),
        ));
    }
    Ok(Zeroizing::new(stdin.next("the secret")?.trim().to_owned()))
}

/// Asks a yes/no question on the terminal; `false` without one.
pub(crate) fn confirm(question: &str) -> Result<bool> {
    if !io::stdin().is_terminal() {
        bail!("no terminal to ask on: give --yes to remove without asking");
    }
    eprint!("{question} [y/N] ");
    let mut answer = String::new();
    io::stdin().read_line(&mut answer)?;
    Ok(matches!(answer.trim(), "y" | "Y" | "yes" | "Yes"))
}
