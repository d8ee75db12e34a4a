#![doc = include_str!("../README.md")]

mod account;
mod error;
pub mod export;
mod format;
pub mod import;
mod json;
mod kdf;
mod password;
mod rand;
mod store;
pub mod text;

pub use crate::account::{Account, Color, select, short_id};
pub use crate::error::Error;
pub use crate::kdf::KdfParams;
pub use crate::password::Password;
#[cfg(feature = "failpoints")]
pub use crate::store::set_failpoint;
pub use crate::store::{BACKUPS_KEPT, Backup, FileInfo, Step, Vault};
