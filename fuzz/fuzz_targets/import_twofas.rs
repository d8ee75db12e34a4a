//! `cargo +nightly fuzz run import_twofas`: see `otpkit_fuzz::import_twofas` for the property checked.
#![no_main]

libfuzzer_sys::fuzz_target!(|data: &[u8]| otpkit_fuzz::import_twofas(data));
