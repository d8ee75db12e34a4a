//! `cargo +nightly fuzz run stored_forms`: see `otpkit_fuzz::stored_forms` for the property
//! checked.
#![no_main]

libfuzzer_sys::fuzz_target!(|data: &[u8]| otpkit_fuzz::stored_forms(data));
