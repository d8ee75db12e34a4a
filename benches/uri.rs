//! `uri_parse`: reading a typical `otpauth://` URI (issuer prefix and parameter, a
//! percent-encoded label, a 160-bit secret, every optional parameter) into a usable key.
//! totp-lite has no URI parser, and a naive one would prove nothing, so otpkit meets totp-rs.

#![allow(missing_docs, clippy::unwrap_used)]

use core::hint::black_box;
use criterion::{BenchmarkId, Criterion, criterion_group, criterion_main};
use otpkit::KeyUri;

const URI: &str = "otpauth://totp/ACME%20Co:john.doe@example.com?\
    secret=HXDMVJECJJWSRB3HWIZR4IFUGFTMXBOZ&issuer=ACME%20Co&algorithm=SHA1&digits=6&period=30";

fn uri_parse(c: &mut Criterion) {
    let mut group = c.benchmark_group("uri_parse");
    // Both read the same key.
    let ours = KeyUri::parse(URI).unwrap();
    let theirs = totp_rs::Totp::from_url(URI).unwrap();
    assert_eq!(
        ours.credential().secret().as_bytes(),
        theirs.secret().as_ref()
    );

    group.bench_function(BenchmarkId::new("otpkit", "typical"), |b| {
        b.iter(|| KeyUri::parse(black_box(URI)));
    });
    group.bench_function(BenchmarkId::new("totp-rs", "typical"), |b| {
        b.iter(|| totp_rs::Totp::from_url(black_box(URI)));
    });
    group.finish();
}

criterion_group!(benches, uri_parse);
criterion_main!(benches);
