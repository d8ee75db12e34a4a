//! One module per command. Each takes its parsed arguments and returns the exit status; what
//! several commands share lives beside them (`key`, `input`, `output`, `time`), not in one of
//! them.

pub(crate) mod code;
pub(crate) mod demo;
pub(crate) mod export;
pub(crate) mod import;
pub(crate) mod inspect;
pub(crate) mod new;
pub(crate) mod vault;
pub(crate) mod verify;
