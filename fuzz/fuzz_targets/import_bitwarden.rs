//! `cargo +nightly fuzz run import_bitwarden`: see `otpkit_fuzz::import_bitwarden` for the property checked.
#![no_main]

libfuzzer_sys::fuzz_target!(|data: &[u8]| otpkit_fuzz::import_bitwarden(data));
