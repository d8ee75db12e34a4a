//! `cargo +nightly fuzz run migration_import`: see `otpkit_fuzz::migration_import` for the property checked.
#![no_main]

libfuzzer_sys::fuzz_target!(|data: &[u8]| otpkit_fuzz::migration_import(data));
