//! The service key and what is derived from it: the key that seals TOTP secrets at rest and
//! the recovery codes' key. Neither is in the database.
//!
//! The service key is 32 random bytes, given as 64 hex digits in `OTPKIT_WEB_KEY` or in the
//! file `--key-file` names. With neither, a SQLite portal keeps one in `otpkit-web.key` beside
//! its database (created 0600 on first start); PostgreSQL instances must be given the same key.

use std::io::Write;
use std::path::Path;

use anyhow::{Context, bail};
use chacha20poly1305::aead::{Aead, KeyInit, Payload};
use chacha20poly1305::{XChaCha20Poly1305, XNonce};
use hkdf::Hkdf;
use otpkit::recovery;
use sha2::Sha256;
use zeroize::Zeroizing;

/// The keys the portal works with, derived once at start.
pub struct Keys {
    seal: XChaCha20Poly1305,
    recovery: recovery::Key,
}

impl core::fmt::Debug for Keys {
    fn fmt(&self, f: &mut core::fmt::Formatter<'_>) -> core::fmt::Result {
        f.write_str("Keys(..)")
    }
}

/// What a sealed value is for: part of the associated data, so a sealed pending secret cannot
/// be moved into the enrolled column, nor one user's secret into another's row.
#[derive(Clone, Copy, Debug)]
pub enum Purpose {
    /// The secret of an enrolment not yet confirmed.
    Pending,
    /// The secret of the confirmed second factor.
    Factor,
}

impl Keys {
    /// Reads the service key from `OTPKIT_WEB_KEY` (`env`), else `file`; with neither and a
    /// `default_file`, reads that file or creates it with a new key.
    pub fn load(
        env: Option<&str>,
        file: Option<&Path>,
        default_file: Option<&Path>,
    ) -> anyhow::Result<Self> {
        if let Some(text) = env {
            return Self::from_hex(text).context("OTPKIT_WEB_KEY");
        }
        if let Some(path) = file {
            return Self::read(path);
        }
        let Some(path) = default_file else {
            bail!(
                "no service key: instances on one PostgreSQL database must share one; give \
                 --key-file PATH or OTPKIT_WEB_KEY (64 hex digits, e.g. from `openssl rand -hex 32`)"
            );
        };
        if path.exists() {
            return Self::read(path);
        }
        let mut master = Zeroizing::new([0u8; 32]);
        getrandom::fill(master.as_mut()).map_err(|e| anyhow::anyhow!("random generator: {e}"))?;
        let hex = Zeroizing::new(data_encoding::HEXLOWER.encode(master.as_ref()));
        write_new(path, hex.as_bytes())?;
        eprintln!(
            "created a new service key in {} (keep it apart from backups of the database)",
            path.display()
        );
        Self::derive(&master)
    }

    fn read(path: &Path) -> anyhow::Result<Self> {
        let text = Zeroizing::new(
            std::fs::read_to_string(path).with_context(|| format!("reading {}", path.display()))?,
        );
        Self::from_hex(&text).with_context(|| path.display().to_string())
    }

    fn from_hex(text: &str) -> anyhow::Result<Self> {
        let bytes = Zeroizing::new(
            data_encoding::HEXLOWER_PERMISSIVE
                .decode(text.trim().as_bytes())
                .map_err(|_| anyhow::anyhow!("the service key must be 64 hex digits"))?,
        );
        let Ok(master) = <[u8; 32]>::try_from(bytes.as_slice()) else {
            bail!("the service key must be 64 hex digits (32 bytes)");
        };
        Self::derive(&Zeroizing::new(master))
    }

    /// HKDF-SHA-256 of the service key, one label per use.
    fn derive(master: &[u8; 32]) -> anyhow::Result<Self> {
        let hkdf = Hkdf::<Sha256>::new(None, master);
        let mut seal = Zeroizing::new([0u8; 32]);
        let mut rec = Zeroizing::new([0u8; 32]);
        // Both lengths are far below HKDF-SHA-256's limit (255 × 32 bytes).
        let _ = hkdf.expand(b"otpkit-web seal v1", seal.as_mut());
        let _ = hkdf.expand(b"otpkit-web recovery v1", rec.as_mut());
        let recovery = recovery::Key::from_bytes(rec.as_ref())?;
        Ok(Self {
            seal: XChaCha20Poly1305::new(&(*seal).into()),
            recovery,
        })
    }

    /// The recovery codes' key.
    pub fn recovery(&self) -> &recovery::Key {
        &self.recovery
    }

    /// Seals a user's secret: a fresh 24-byte nonce followed by the ciphertext.
    pub fn seal(&self, purpose: Purpose, user: i64, secret: &[u8]) -> anyhow::Result<Vec<u8>> {
        let mut nonce = [0u8; 24];
        getrandom::fill(&mut nonce).map_err(|e| anyhow::anyhow!("random generator: {e}"))?;
        let aad = aad(purpose, user);
        let sealed = self
            .seal
            .encrypt(
                &XNonce::from(nonce),
                Payload {
                    msg: secret,
                    aad: aad.as_bytes(),
                },
            )
            .map_err(|_| anyhow::anyhow!("sealing failed"))?;
        let mut out = nonce.to_vec();
        out.extend_from_slice(&sealed);
        Ok(out)
    }

    /// Opens what [`Keys::seal`] sealed for the same purpose and user.
    pub fn open(
        &self,
        purpose: Purpose,
        user: i64,
        sealed: &[u8],
    ) -> anyhow::Result<Zeroizing<Vec<u8>>> {
        let (Some(nonce), Some(body)) = (sealed.get(..24), sealed.get(24..)) else {
            bail!("a sealed secret is too short");
        };
        let nonce = <[u8; 24]>::try_from(nonce)?;
        let aad = aad(purpose, user);
        let plain = self
            .seal
            .decrypt(
                &XNonce::from(nonce),
                Payload {
                    msg: body,
                    aad: aad.as_bytes(),
                },
            )
            .map_err(|_| {
                anyhow::anyhow!(
                    "a sealed secret did not open: wrong service key, or the row was altered"
                )
            })?;
        Ok(Zeroizing::new(plain))
    }
}

fn aad(purpose: Purpose, user: i64) -> String {
    format!("otpkit-web {purpose:?} {user}")
}

/// Writes a new file readable by its owner only, refusing to replace one.
fn write_new(path: &Path, bytes: &[u8]) -> anyhow::Result<()> {
    let mut options = std::fs::OpenOptions::new();
    options.write(true).create_new(true);
    #[cfg(unix)]
    std::os::unix::fs::OpenOptionsExt::mode(&mut options, 0o600);
    let mut file = options
        .open(path)
        .with_context(|| format!("creating {}", path.display()))?;
    file.write_all(bytes)?;
    file.sync_all()?;
    Ok(())
}
