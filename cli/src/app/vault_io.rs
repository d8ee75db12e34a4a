//! The app's only contact with `otpkit-vault`: unlock, and every change run under the vault's
//! lock with the key the unlock derived (`Vault::update`: the file is re-read, changed and
//! saved), so a CLI run at the same time is never overwritten and a change costs no Argon2id.
//! The app reads the accounts from the open vault itself (sorted into display order after each
//! open and change), so each secret is held once.

use std::path::{Path, PathBuf};

use anyhow::{Result, anyhow};
use otpkit::Credential;
pub(crate) use otpkit_vault::Account;
pub(crate) use otpkit_vault::text::escape;
use otpkit_vault::{Color, Error, Password, Vault};

/// An unlocked vault: its path and the open vault (its master key and the accounts as last
/// read or saved). Dropping it drops the key and every secret (both wipe themselves).
pub(crate) struct Session {
    path: PathBuf,
    vault: Vault,
}

/// What the add and edit forms change about an account.
pub(crate) struct Details {
    pub(crate) issuer: String,
    pub(crate) name: String,
    pub(crate) color: Option<[u8; 3]>,
}

impl Session {
    /// Opens the vault with `password`.
    pub(crate) fn unlock(path: &Path, password: &str) -> Result<Self> {
        let password = Password::new(password.to_owned());
        let mut vault = Vault::open(path, &password).map_err(|e| explain(&e, path))?;
        // Display order in memory only; a save writes the same accounts in this order.
        vault.accounts_mut().sort_by_key(|a| a.order);
        Ok(Self {
            path: path.to_owned(),
            vault,
        })
    }

    /// The accounts in display order.
    pub(crate) fn accounts(&self) -> &[Account] {
        self.vault.accounts()
    }

    fn change<T>(&mut self, f: impl FnOnce(&mut Vault) -> Result<T, Error>) -> Result<T> {
        let out = self.vault.update(f).map_err(|e| explain(&e, &self.path))?;
        self.vault.accounts_mut().sort_by_key(|a| a.order);
        Ok(out)
    }

    /// Adds a new account; returns its id.
    pub(crate) fn add(
        &mut self,
        credential: Credential,
        details: Details,
        now: u64,
    ) -> Result<String> {
        let mut account = Account::new(&details.issuer, &details.name, credential, now)?;
        account.color = details.color.map(Color);
        let id = id_of(&account);
        self.change(|v| {
            v.add(account);
            Ok(())
        })?;
        Ok(id)
    }

    /// Changes an account's issuer, name and colour.
    pub(crate) fn edit(&mut self, id: &str, details: Details, now: u64) -> Result<()> {
        self.change(|v| {
            let a = find(v, id)?;
            a.issuer = details.issuer;
            a.name = details.name;
            a.color = details.color.map(Color);
            a.updated = now;
            Ok(())
        })
    }

    /// Removes an account.
    pub(crate) fn remove(&mut self, id: &str) -> Result<()> {
        self.change(|v| {
            let i = v
                .accounts()
                .iter()
                .position(|a| id_of(a) == id)
                .ok_or(Error::NoMatch)?;
            v.accounts_mut().remove(i);
            Ok(())
        })
    }

    /// An HOTP account's next code, from the counter on disk; the counter advanced and saved.
    pub(crate) fn advance_hotp(&mut self, id: &str) -> Result<String> {
        self.change(|v| {
            let a = find(v, id)?;
            let counter = a
                .credential
                .counter()
                .ok_or(Error::InvalidAccount("not HOTP"))?;
            let code = a
                .credential
                .to_hotp()
                .map_err(|_| Error::InvalidAccount("not HOTP"))?
                .generate(counter);
            a.credential = a.credential.clone().with_counter(counter.saturating_add(1));
            Ok(code.as_str().to_owned())
        })
    }
}

/// An account's id as text (the app's handle on it).
pub(crate) fn id_of(account: &Account) -> String {
    account.id.to_string()
}

/// An account's colour, if it has one.
pub(crate) fn color_of(account: &Account) -> Option<[u8; 3]> {
    account.color.map(|c| c.0)
}

fn find<'v>(v: &'v mut Vault, id: &str) -> Result<&'v mut Account, Error> {
    v.accounts_mut()
        .iter_mut()
        .find(|a| id_of(a) == id)
        .ok_or(Error::NoMatch)
}

/// One line saying what went wrong, as `otpkit vault` says it.
fn explain(e: &Error, path: &Path) -> anyhow::Error {
    match e {
        Error::WrongPassword => anyhow!("wrong password"),
        Error::NotFound => anyhow!(
            "no vault at {}: create one with `otpkit vault init`",
            path.display()
        ),
        e => anyhow!("{}", escape(&e.to_string())),
    }
}

/// Whether a vault file exists at `path` (checked before the terminal is taken over).
pub(crate) fn exists(path: &Path) -> bool {
    path.is_file()
}

#[cfg(test)]
/// A new vault for tests at the cheap key-derivation parameters, holding `accounts`.
pub(crate) fn test_vault(path: &Path, password: &str, accounts: Vec<(Credential, Details)>) {
    let password = Password::new(password.to_owned());
    let Ok(mut v) = Vault::create(path, &password, otpkit_vault::KdfParams::CHEAP) else {
        unreachable!("a test vault in a fresh folder")
    };
    for (c, d) in accounts {
        let Ok(mut a) = Account::new(&d.issuer, &d.name, c, 0) else {
            unreachable!("the OS generator works in tests")
        };
        a.color = d.color.map(Color);
        v.add(a);
    }
    assert!(v.save().is_ok());
}
