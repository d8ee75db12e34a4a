//! `cargo +nightly fuzz run verify`: see `otpkit_fuzz::verify` for the property checked.
#![no_main]

libfuzzer_sys::fuzz_target!(|data: &[u8]| otpkit_fuzz::verify(data));
