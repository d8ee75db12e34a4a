//! The account list as it is sealed in the file (FORMAT.md, "The account list").

use std::io::{self, Write};

use zeroize::Zeroizing;

use crate::account::StoredAccount;
use crate::{Account, Error};

#[derive(serde::Serialize, serde::Deserialize)]
struct StoredList {
    accounts: Vec<StoredAccount>,
}

pub(super) fn encode_accounts(accounts: &[Account]) -> Result<Zeroizing<Vec<u8>>, Error> {
    let list = StoredList {
        accounts: accounts.iter().map(StoredAccount::from).collect(),
    };
    // Measured first, then written into a buffer of exactly that size, so that growing never
    // leaves a copy of the plaintext behind in freed memory.
    let mut counter = Counter(0);
    serde_json::to_writer(&mut counter, &list).map_err(|_| Error::BadPayload)?;
    let mut out = Zeroizing::new(Vec::with_capacity(counter.0));
    serde_json::to_writer(&mut *out, &list).map_err(|_| Error::BadPayload)?;
    Ok(out)
}

/// A writer that only counts the bytes.
struct Counter(usize);

impl Write for Counter {
    fn write(&mut self, buf: &[u8]) -> io::Result<usize> {
        self.0 = self.0.saturating_add(buf.len());
        Ok(buf.len())
    }

    fn flush(&mut self) -> io::Result<()> {
        Ok(())
    }
}

pub(super) fn decode_accounts(plain: &[u8]) -> Result<Vec<Account>, Error> {
    let list: StoredList = serde_json::from_slice(plain).map_err(|_| Error::BadPayload)?;
    list.accounts.into_iter().map(Account::try_from).collect()
}
