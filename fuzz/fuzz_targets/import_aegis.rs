//! `cargo +nightly fuzz run import_aegis`: see `otpkit_fuzz::import_aegis` for the property checked.
#![no_main]

libfuzzer_sys::fuzz_target!(|data: &[u8]| otpkit_fuzz::import_aegis(data));
