//! `generate`: one 6-digit TOTP code at a fixed time, per algorithm, every contender on the
//! same key (20, 32 and 64 bytes for SHA-1, SHA-256 and SHA-512).

#![allow(missing_docs, clippy::unwrap_used, clippy::cast_possible_truncation)]

mod common;

use common::{PERIOD, TIME, key, naive_code, name, otpkit_totp, totp_lite, totp_rs};
use core::hint::black_box;
use criterion::{BenchmarkId, Criterion, criterion_group, criterion_main};
use otpkit::{Algorithm, Code};

fn generate(c: &mut Criterion) {
    let mut group = c.benchmark_group("generate");
    for algorithm in Algorithm::ALL {
        let key = key(algorithm);
        let ours = otpkit_totp(algorithm, &key);
        let theirs = totp_rs(algorithm, &key, 1);
        // Every contender computes the same code.
        let expected = ours.generate(TIME).unwrap();
        assert_eq!(theirs.generate(TIME).to_string(), expected.as_str());
        assert_eq!(totp_lite(algorithm, &key, TIME), expected.as_str());
        let naive = naive_code(algorithm, &key, TIME / PERIOD);
        assert_eq!(format!("{naive:06}"), expected.as_str());

        let id = |who| BenchmarkId::new(who, name(algorithm));
        group.bench_function(id("otpkit"), |b| {
            b.iter(|| black_box(&ours).generate(black_box(TIME)).unwrap());
        });
        group.bench_function(id("totp-rs"), |b| {
            b.iter(|| black_box(&theirs).generate(black_box(TIME)));
        });
        group.bench_function(id("totp-lite"), |b| {
            b.iter(|| totp_lite(algorithm, black_box(&key), black_box(TIME)));
        });
        group.bench_function(id("naive"), |b| {
            b.iter(|| naive_code(algorithm, black_box(&key), black_box(TIME) / PERIOD));
        });
    }
    group.finish();

    // Eight consecutive codes (an authenticator's list, `code --window`): staged against one
    // `generate` per code.
    let mut group = c.benchmark_group("generate_batch");
    for algorithm in [Algorithm::Sha1, Algorithm::Sha256] {
        let ours = otpkit_totp(algorithm, &key(algorithm));
        let id = |who| BenchmarkId::new(who, format!("{}-n8", name(algorithm)));
        group.bench_function(id("otpkit"), |b| {
            let mut out = [Code::default(); 8];
            b.iter(|| black_box(&ours).generate_batch(black_box(TIME), &mut out));
        });
        group.bench_function(id("one-by-one"), |b| {
            let step = TIME / PERIOD;
            b.iter(|| {
                let ours = black_box(&ours);
                let out: [Code; 8] =
                    core::array::from_fn(|i| ours.generate_at_step(step + i as u64));
                out
            });
        });
    }
    group.finish();
}

criterion_group!(benches, generate);
criterion_main!(benches);
