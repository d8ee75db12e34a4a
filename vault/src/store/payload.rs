//! The account list as it is sealed in the file (FORMAT.md, "The account list").

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
    // A buffer that never grows, so no copy of the plaintext is left in freed memory.
    crate::json::to_wiped_vec(&list, false).map_err(|_| Error::BadPayload)
}

/// The account list from the decrypted plaintext. The secrets are base32, which JSON never
/// escapes, so serde_json reads them straight from `plain` (no scratch copy) into wiped strings.
pub(super) fn decode_accounts(plain: &[u8]) -> Result<Vec<Account>, Error> {
    let list: StoredList = serde_json::from_slice(plain).map_err(|_| Error::BadPayload)?;
    list.accounts.into_iter().map(Account::try_from).collect()
}
