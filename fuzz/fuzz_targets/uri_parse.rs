//! `cargo +nightly fuzz run uri_parse`: see `otpkit_fuzz::uri_parse` for the property checked.
#![no_main]

libfuzzer_sys::fuzz_target!(|data: &[u8]| otpkit_fuzz::uri_parse(data));
