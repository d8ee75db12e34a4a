//! `cargo +nightly fuzz run import_otpauth`: see `otpkit_fuzz::import_otpauth` for the property checked.
#![no_main]

libfuzzer_sys::fuzz_target!(|data: &[u8]| otpkit_fuzz::import_otpauth(data));
