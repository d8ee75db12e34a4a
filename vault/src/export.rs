//! Exports: `otpauth://` lists, Aegis plain JSON and Google Authenticator migration URIs.
//!
//! Every export here is **plain text holding every secret**; the CLI writes them only with
//! `--plain`, to a 0600 file, with a warning. Buffers are wiped on drop.

use otpkit::KeyUri;
use serde_json::json;
use zeroize::Zeroizing;

use crate::Account;
use crate::account::algorithm_name;
use crate::import::{Wiped, kind_name};

/// An account that an export format cannot carry, and why.
///
/// # Examples
///
/// ```
/// # use otpkit::{Algorithm, Credential, Digits, Secret};
/// let cred = Credential::totp(Secret::from_bytes(b"key")?, Algorithm::Sha1, Digits::SIX, 30)?.with_t0(100);
/// let (_, skipped) = otpkit_vault::export::otpauth_list(&[otpkit_vault::Account::new("E", "a", cred, 0)?]);
/// assert_eq!(skipped[0].label, "E:a");
/// # Ok::<(), Box<dyn core::error::Error>>(())
/// ```
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Skipped {
    /// `issuer:name` of the account.
    pub label: String,
    /// Why.
    pub reason: String,
}

fn key_uri(a: &Account) -> Result<KeyUri, Skipped> {
    let issuer = Some(a.issuer.as_str()).filter(|i| !i.is_empty());
    KeyUri::new(a.credential.clone(), issuer, &a.name).map_err(|e| Skipped {
        label: a.label(),
        reason: e.to_string(),
    })
}

/// One `otpauth://` URI per line.
///
/// # Examples
///
/// ```
/// # use otpkit::{Algorithm, Credential, Digits, Secret};
/// let cred = Credential::totp(Secret::from_base32("JBSWY3DPEHPK3PXP")?, Algorithm::Sha1, Digits::SIX, 30)?;
/// let a = otpkit_vault::Account::new("Example", "alice", cred, 0)?;
/// let (text, skipped) = otpkit_vault::export::otpauth_list(&[a]);
/// assert!(text.starts_with("otpauth://totp/Example:alice?secret=JBSWY3DPEHPK3PXP"));
/// assert!(skipped.is_empty());
/// # Ok::<(), Box<dyn core::error::Error>>(())
/// ```
#[must_use]
pub fn otpauth_list(accounts: &[Account]) -> (Zeroizing<String>, Vec<Skipped>) {
    let mut uris = Vec::with_capacity(accounts.len());
    let mut skipped = Vec::new();
    for a in accounts {
        match key_uri(a) {
            Ok(k) => uris.push(k.to_uri()),
            Err(s) => skipped.push(s),
        }
    }
    (crate::json::wiped_lines(&uris), skipped)
}

/// An Aegis plain (unencrypted) vault that Aegis can import.
///
/// # Examples
///
/// ```
/// # use otpkit::{Credential, Secret};
/// let a = otpkit_vault::Account::new("Steam", "bob", Credential::steam(Secret::from_bytes(b"key")?), 0)?;
/// let json = otpkit_vault::export::aegis_plain_json(&[a]);
/// let back = otpkit_vault::import::read(json.as_bytes(), None, None)?;
/// assert_eq!(back.entries[0].name, "bob");
/// # Ok::<(), Box<dyn core::error::Error>>(())
/// ```
#[must_use]
pub fn aegis_plain_json(accounts: &[Account]) -> Zeroizing<String> {
    let entries: Vec<serde_json::Value> = accounts
        .iter()
        .map(|a| {
            let c = &a.credential;
            let mut info = json!({
                "secret": c.secret().to_base32().as_str(),
                "algo": algorithm_name(c.algorithm()),
                "digits": c.code_len(),
            });
            if let Some(map) = info.as_object_mut() {
                if let Some(p) = c.period() {
                    map.insert("period".into(), p.into());
                }
                if let Some(n) = c.counter() {
                    map.insert("counter".into(), n.into());
                }
            }
            json!({
                "type": kind_name(c),
                "uuid": a.id.to_string(),
                "name": a.name,
                "issuer": a.issuer,
                "note": a.note,
                "icon": null,
                "info": info,
            })
        })
        .collect();
    // The tree's strings (the secrets among them) are wiped when it drops, and the text is
    // written into a buffer that never grows.
    let file = Wiped(json!({
        "version": 1,
        "header": {"slots": null, "params": null},
        "db": {"version": 2, "entries": entries},
    }));
    crate::json::to_wiped_string(&*file, true).unwrap_or_default()
}

/// Google Authenticator migration URIs (at most `otpkit::migration::BATCH_LEN` accounts each).
///
/// # Errors
///
/// The migration export's own error (the accounts it cannot carry are skipped first).
///
/// # Examples
///
/// ```
/// # use otpkit::{Algorithm, Credential, Digits, Secret};
/// let cred = Credential::totp(Secret::from_base32("JBSWY3DPEHPK3PXP")?, Algorithm::Sha1, Digits::SIX, 30)?;
/// let (uris, _) = otpkit_vault::export::google_migration(&[otpkit_vault::Account::new("E", "a", cred, 0)?])?;
/// assert!(uris[0].starts_with("otpauth-migration://offline?data="));
/// # Ok::<(), Box<dyn core::error::Error>>(())
/// ```
pub fn google_migration(
    accounts: &[Account],
) -> Result<(Vec<Zeroizing<String>>, Vec<Skipped>), otpkit::migration::Error> {
    let mut keys = Vec::new();
    let mut skipped = Vec::new();
    for a in accounts {
        match key_uri(a) {
            // Check each alone, so one account the format cannot carry skips only itself.
            Ok(k) => match otpkit::migration::export(core::slice::from_ref(&k)) {
                Ok(_) => keys.push(k),
                Err(e) => skipped.push(Skipped {
                    label: a.label(),
                    reason: e.to_string(),
                }),
            },
            Err(s) => skipped.push(s),
        }
    }
    Ok((otpkit::migration::export(&keys)?, skipped))
}
