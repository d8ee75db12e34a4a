//! `cargo +nightly fuzz run verifier_check`: see `otpkit_fuzz::verifier_check` for the property
//! checked.
#![no_main]

libfuzzer_sys::fuzz_target!(|data: &[u8]| otpkit_fuzz::verifier_check(data));
