//! `cargo +nightly fuzz run import_freeotp`: see `otpkit_fuzz::import_freeotp` for the property checked.
#![no_main]

libfuzzer_sys::fuzz_target!(|data: &[u8]| otpkit_fuzz::import_freeotp(data));
