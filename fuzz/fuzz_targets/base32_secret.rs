//! `cargo +nightly fuzz run base32_secret`: see `otpkit_fuzz::base32_secret` for the property checked.
#![no_main]

libfuzzer_sys::fuzz_target!(|data: &[u8]| otpkit_fuzz::base32_secret(data));
