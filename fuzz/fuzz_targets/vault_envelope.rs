//! `cargo +nightly fuzz run vault_envelope`: see `otpkit_fuzz::vault_envelope` for the property checked.
#![no_main]

libfuzzer_sys::fuzz_target!(|data: &[u8]| otpkit_fuzz::vault_envelope(data));
