//! Fuzz targets for otpkit, one property each.
//!
//! The checks live here rather than in `fuzz_targets/` so that the same code runs under
//! libFuzzer (`cargo +nightly fuzz run <target>`) and, on stable, from the library's
//! `tests/fuzz_corpus.rs`, which includes `targets.rs` and `reference.rs` by path. Those two
//! files may therefore use only `otpkit` and `std`.

pub mod reference;
pub mod serde_targets;
pub mod targets;
pub mod vault_targets;

pub use serde_targets::stored_forms;
pub use targets::{base32_secret, migration_import, uri_parse, verifier_check, verify};
pub use vault_targets::{
    import_aegis, import_andotp, import_bitwarden, import_freeotp, import_otpauth, import_twofas,
    vault_envelope,
};
