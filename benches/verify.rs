//! Verification of a code that matches nothing in the window (the worst case, which a
//! constant-time verifier pays on every call):
//!
//! - `verify_miss`: ±1 step, keyed state built once (otpkit; the others have none to keep).
//! - `verify_from_secret`: ±1 step, from the stored secret bytes, as a service does on each
//!   login: keying is part of the cost.
//! - `verify_window`: SHA-1 with ±1, ±5 and ±20 steps, to show the cost is linear; SHA-256
//!   at ±20.

#![allow(missing_docs, clippy::unwrap_used)]

mod common;

use common::{TIME, key, miss_code, naive_verify, name, otpkit_totp, totp_lite_verify, totp_rs};
use core::hint::black_box;
use criterion::{BenchmarkId, Criterion, criterion_group, criterion_main};
use otpkit::{Algorithm, Window};

fn verify_miss(c: &mut Criterion) {
    let mut group = c.benchmark_group("verify_miss");
    for algorithm in Algorithm::ALL {
        let key = key(algorithm);
        let code = miss_code(algorithm, &key, 1);
        let ours = otpkit_totp(algorithm, &key);
        let theirs = totp_rs(algorithm, &key, 1);
        let id = |who| BenchmarkId::new(who, name(algorithm));
        group.bench_function(id("otpkit"), |b| {
            b.iter(|| {
                black_box(&ours).verify(black_box(&code), black_box(TIME), Window::default())
            });
        });
        group.bench_function(id("totp-rs"), |b| {
            b.iter(|| black_box(&theirs).check(black_box(&code), black_box(TIME)));
        });
        group.bench_function(id("totp-lite"), |b| {
            b.iter(|| totp_lite_verify(algorithm, black_box(&key), black_box(&code), TIME, 1));
        });
        group.bench_function(id("naive"), |b| {
            b.iter(|| naive_verify(algorithm, black_box(&key), black_box(&code), TIME, 1));
        });
    }
    group.finish();
}

fn verify_from_secret(c: &mut Criterion) {
    let mut group = c.benchmark_group("verify_from_secret");
    for algorithm in Algorithm::ALL {
        let key = key(algorithm);
        let code = miss_code(algorithm, &key, 1);
        let id = |who| BenchmarkId::new(who, name(algorithm));
        group.bench_function(id("otpkit"), |b| {
            b.iter(|| {
                let totp = otpkit_totp(algorithm, black_box(&key));
                totp.verify(black_box(&code), black_box(TIME), Window::default())
            });
        });
        group.bench_function(id("totp-rs"), |b| {
            b.iter(|| totp_rs(algorithm, black_box(&key), 1).check(black_box(&code), TIME));
        });
        group.bench_function(id("totp-lite"), |b| {
            b.iter(|| totp_lite_verify(algorithm, black_box(&key), black_box(&code), TIME, 1));
        });
        group.bench_function(id("naive"), |b| {
            b.iter(|| naive_verify(algorithm, black_box(&key), black_box(&code), TIME, 1));
        });
    }
    group.finish();
}

fn verify_window(c: &mut Criterion) {
    let mut group = c.benchmark_group("verify_window");
    for (algorithm, w) in [
        (Algorithm::Sha1, 1u32),
        (Algorithm::Sha1, 5),
        (Algorithm::Sha1, 20),
        (Algorithm::Sha256, 20),
    ] {
        let key = key(algorithm);
        let ours = otpkit_totp(algorithm, &key);
        let code = miss_code(algorithm, &key, w);
        let window = Window::symmetric(w).unwrap();
        let theirs = totp_rs(algorithm, &key, u16::try_from(w).unwrap());
        let id = |who| BenchmarkId::new(who, format!("{}-w{w}", name(algorithm)));
        group.bench_function(id("otpkit"), |b| {
            b.iter(|| black_box(&ours).verify(black_box(&code), black_box(TIME), window));
        });
        group.bench_function(id("totp-rs"), |b| {
            b.iter(|| black_box(&theirs).check(black_box(&code), black_box(TIME)));
        });
    }
    group.finish();
}

criterion_group!(benches, verify_miss, verify_from_secret, verify_window);
criterion_main!(benches);
