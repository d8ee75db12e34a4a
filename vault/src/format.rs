//! The file format (FORMAT.md): the header, the password slots and the sealed account list.
//!
//! ```text
//! "otpkit-vault\n" | u32 BE header length | header (JSON) | ciphertext | SHA-256 of all before
//! ```
//! The AEAD's associated data is everything before the ciphertext, so every header field is
//! authenticated; the trailing SHA-256 only tells damage (a flipped bit, a short file) apart
//! from a wrong password, before any key is derived.

use chacha20poly1305::aead::{Aead, KeyInit, Payload};
use chacha20poly1305::{XChaCha20Poly1305, XNonce};
use serde::{Deserialize, Serialize};
use sha2::{Digest, Sha256};
use zeroize::Zeroizing;

use crate::{Error, KdfParams, Password};

/// The format name every vault file starts with.
pub(crate) const MAGIC: &[u8; 13] = b"otpkit-vault\n";
/// The format version this build writes and reads.
pub(crate) const VERSION: u32 = 1;
const PREFIX_LEN: usize = MAGIC.len() + 4;
const MAX_HEADER_LEN: usize = 64 * 1024;
const CHECKSUM_LEN: usize = 32;
const TAG_LEN: u64 = 16;
/// The associated data of a slot's wrapped master key.
const SLOT_AAD: &[u8] = b"otpkit-vault slot v1";
const CIPHER: &str = "xchacha20poly1305";
/// The most key slots a file may have.
const MAX_SLOTS: usize = 8;

/// The random 256-bit key that encrypts the account list; wiped on drop.
pub(crate) type MasterKey = Zeroizing<[u8; 32]>;

/// The header, as stored (FORMAT.md, "Header").
#[derive(Clone, Debug, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub(crate) struct Header {
    pub(crate) format: String,
    pub(crate) version: u32,
    pub(crate) generation: u64,
    pub(crate) cipher: String,
    pub(crate) nonce: String,
    pub(crate) body_len: u64,
    pub(crate) slots: Vec<Slot>,
}

/// One way to unwrap the master key: a password through Argon2id.
#[derive(Clone, Debug, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub(crate) struct Slot {
    pub(crate) kind: String,
    pub(crate) kdf: String,
    pub(crate) argon2_version: u32,
    pub(crate) memory_kib: u32,
    pub(crate) passes: u32,
    pub(crate) lanes: u32,
    pub(crate) salt: String,
    pub(crate) nonce: String,
    pub(crate) wrapped_key: String,
}

impl Slot {
    /// A password slot for `master` with a fresh salt and nonce.
    pub(crate) fn new(
        password: &Password,
        params: KdfParams,
        master: &MasterKey,
    ) -> Result<Self, Error> {
        let salt: [u8; 16] = crate::rand::bytes()?;
        let nonce: [u8; 24] = crate::rand::bytes()?;
        let kek = params.derive(password, &salt)?;
        let wrapped = XChaCha20Poly1305::new(&(*kek).into())
            .encrypt(
                &XNonce::from(nonce),
                Payload {
                    msg: master.as_ref(),
                    aad: SLOT_AAD,
                },
            )
            .map_err(|_| Error::BadHeader("cannot wrap the master key"))?;
        Ok(Self {
            kind: "password".into(),
            kdf: "argon2id".into(),
            argon2_version: 0x13,
            memory_kib: params.memory_kib,
            passes: params.passes,
            lanes: params.lanes,
            salt: hex(&salt),
            nonce: hex(&nonce),
            wrapped_key: hex(&wrapped),
        })
    }

    /// The slot's parameters, checked against the bounds.
    pub(crate) fn params(&self) -> Result<KdfParams, Error> {
        if self.kind != "password" || self.kdf != "argon2id" || self.argon2_version != 0x13 {
            return Err(Error::BadHeader("unknown slot kind or kdf"));
        }
        KdfParams::new(self.memory_kib, self.passes, self.lanes)
    }

    fn unwrap_key(&self, password: &Password) -> Result<Option<MasterKey>, Error> {
        let params = self.params()?;
        let salt = unhex(&self.salt).filter(|s| (16..=64).contains(&s.len()));
        let nonce = unhex(&self.nonce).and_then(|n| <[u8; 24]>::try_from(n).ok());
        let wrapped = unhex(&self.wrapped_key).filter(|w| w.len() == 48);
        let (Some(salt), Some(nonce), Some(wrapped)) = (salt, nonce, wrapped) else {
            return Err(Error::BadHeader("slot field of the wrong length"));
        };
        let kek = params.derive(password, &salt)?;
        let Ok(key) = XChaCha20Poly1305::new(&(*kek).into()).decrypt(
            &XNonce::from(nonce),
            Payload {
                msg: &wrapped,
                aad: SLOT_AAD,
            },
        ) else {
            return Ok(None);
        };
        let key = Zeroizing::new(key);
        Ok(<[u8; 32]>::try_from(key.as_slice())
            .ok()
            .map(Zeroizing::new))
    }
}

/// A file whose framing and checksum are intact and whose header reads.
#[derive(Debug)]
pub(crate) struct Parsed<'a> {
    pub(crate) header: Header,
    aad: &'a [u8],
    body: &'a [u8],
}

/// Reads the framing, the checksum and the header; derives no key.
pub(crate) fn parse(bytes: &[u8]) -> Result<Parsed<'_>, Error> {
    if bytes.len() < MAGIC.len() {
        return Err(if MAGIC.starts_with(bytes) {
            Error::Truncated
        } else {
            Error::NotAVault
        });
    }
    if !bytes.starts_with(MAGIC) {
        return Err(Error::NotAVault);
    }
    let header_len = bytes
        .get(MAGIC.len()..PREFIX_LEN)
        .and_then(|b| <[u8; 4]>::try_from(b).ok())
        .map(u32::from_be_bytes)
        .ok_or(Error::Truncated)?;
    let header_len = usize::try_from(header_len).map_err(|_| Error::Damaged)?;
    let header_end = PREFIX_LEN.checked_add(header_len).ok_or(Error::Damaged)?;
    let header: Option<Header> = bytes
        .get(PREFIX_LEN..header_end)
        .and_then(|h| serde_json::from_slice(h).ok());
    let intact = bytes.len() >= header_end.saturating_add(CHECKSUM_LEN)
        && bytes
            .split_at_checked(bytes.len() - CHECKSUM_LEN)
            .is_some_and(|(data, sum)| Sha256::digest(data).as_slice() == sum);
    let declared_total = header.as_ref().map(|h| {
        u64::try_from(header_end.saturating_add(CHECKSUM_LEN))
            .unwrap_or(u64::MAX)
            .saturating_add(h.body_len)
    });
    let actual = u64::try_from(bytes.len()).unwrap_or(u64::MAX);
    if !intact {
        // Short against what the header declares (or too short to hold it): truncated;
        // anything else: damaged.
        let short = match declared_total {
            Some(total) => total > actual,
            None => header_end > bytes.len(),
        };
        return Err(if short {
            Error::Truncated
        } else {
            Error::Damaged
        });
    }
    if header_len > MAX_HEADER_LEN {
        return Err(Error::BadHeader("longer than 64 KiB"));
    }
    let header = header.ok_or(Error::BadHeader("not the header's JSON"))?;
    if header.format != "otpkit-vault" {
        return Err(Error::BadHeader("wrong format name"));
    }
    if header.version != VERSION {
        return Err(Error::UnsupportedVersion(header.version));
    }
    if header.cipher != CIPHER {
        return Err(Error::BadHeader("unknown cipher"));
    }
    if declared_total != Some(actual) || header.body_len < TAG_LEN {
        return Err(Error::BadHeader("lengths do not add up"));
    }
    if header.slots.is_empty() {
        return Err(Error::BadHeader("no key slot"));
    }
    // Each slot may cost a full key derivation when the password is wrong.
    if header.slots.len() > MAX_SLOTS {
        return Err(Error::BadHeader("more than 8 key slots"));
    }
    for slot in &header.slots {
        slot.params()?;
    }
    let (aad, rest) = bytes.split_at_checked(header_end).ok_or(Error::Truncated)?;
    let body = rest
        .get(..rest.len().saturating_sub(CHECKSUM_LEN))
        .ok_or(Error::Truncated)?;
    Ok(Parsed { header, aad, body })
}

impl Parsed<'_> {
    /// Tries the password on every slot.
    pub(crate) fn unlock(&self, password: &Password) -> Result<MasterKey, Error> {
        for slot in &self.header.slots {
            if let Some(key) = slot.unwrap_key(password)? {
                return Ok(key);
            }
        }
        Err(Error::WrongPassword)
    }

    /// Decrypts the account list with the master key.
    pub(crate) fn open(&self, master: &MasterKey) -> Result<Zeroizing<Vec<u8>>, Error> {
        let nonce = unhex(&self.header.nonce)
            .and_then(|n| <[u8; 24]>::try_from(n).ok())
            .ok_or(Error::BadHeader("nonce of the wrong length"))?;
        XChaCha20Poly1305::new(&(**master).into())
            .decrypt(
                &XNonce::from(nonce),
                Payload {
                    msg: self.body,
                    aad: self.aad,
                },
            )
            .map(Zeroizing::new)
            .map_err(|_| Error::Damaged)
    }
}

/// Writes a whole file: fresh nonce, the header as associated data, the checksum.
pub(crate) fn seal(
    header: &mut Header,
    master: &MasterKey,
    plaintext: &[u8],
) -> Result<Vec<u8>, Error> {
    let nonce: [u8; 24] = crate::rand::bytes()?;
    header.nonce = hex(&nonce);
    header.body_len = u64::try_from(plaintext.len())
        .unwrap_or(u64::MAX)
        .saturating_add(TAG_LEN);
    let json =
        serde_json::to_vec(header).map_err(|_| Error::BadHeader("cannot write the header"))?;
    let len = u32::try_from(json.len()).map_err(|_| Error::BadHeader("longer than 64 KiB"))?;
    let mut out = Vec::with_capacity(PREFIX_LEN + json.len() + plaintext.len() + 16 + CHECKSUM_LEN);
    out.extend_from_slice(MAGIC);
    out.extend_from_slice(&len.to_be_bytes());
    out.extend_from_slice(&json);
    let body = XChaCha20Poly1305::new(&(**master).into())
        .encrypt(
            &XNonce::from(nonce),
            Payload {
                msg: plaintext,
                aad: &out,
            },
        )
        .map_err(|_| Error::BadPayload)?;
    out.extend_from_slice(&body);
    let sum = Sha256::digest(&out);
    out.extend_from_slice(&sum);
    Ok(out)
}

/// A new header with one password slot around `master`.
pub(crate) fn new_header(
    password: &Password,
    params: KdfParams,
    master: &MasterKey,
) -> Result<Header, Error> {
    Ok(Header {
        format: "otpkit-vault".into(),
        version: VERSION,
        generation: 0,
        cipher: CIPHER.into(),
        nonce: String::new(),
        body_len: 0,
        slots: vec![Slot::new(password, params, master)?],
    })
}

/// Lower-case hex.
pub(crate) fn hex(bytes: &[u8]) -> String {
    use core::fmt::Write;
    let mut s = String::with_capacity(bytes.len() * 2);
    for b in bytes {
        let _ = write!(s, "{b:02x}");
    }
    s
}

/// Hex of either case; `None` for anything else.
pub(crate) fn unhex(s: &str) -> Option<Vec<u8>> {
    if !s.len().is_multiple_of(2) || !s.bytes().all(|b| b.is_ascii_hexdigit()) {
        return None;
    }
    s.as_bytes()
        .chunks(2)
        .map(|pair| {
            core::str::from_utf8(pair)
                .ok()
                .and_then(|p| u8::from_str_radix(p, 16).ok())
        })
        .collect()
}
