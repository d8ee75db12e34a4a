//! `cargo +nightly fuzz run import_andotp`: see `otpkit_fuzz::import_andotp` for the property checked.
#![no_main]

libfuzzer_sys::fuzz_target!(|data: &[u8]| otpkit_fuzz::import_andotp(data));
