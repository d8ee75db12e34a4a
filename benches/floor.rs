//! The floor: one compression of the hash under each HMAC, through the crates' block-level
//! API (SHA-NI or ARMv8 SHA when the CPU has them, picked at run time). Every other figure
//! reads as a number of these: a code from a keyed state is two, a ±1 window six.
//!
//! `chain` is the two compressions of an HMAC alone, the outer block made from the inner
//! digest and nothing else (no counter, truncation or digits), each pair fed the previous
//! pair's output as the floor is. It is what a code would cost if nothing but the compression
//! calls ran: the gap between it and `generate` is everything a library adds.
//!
//! `k3` and `k8` are the throughput floor: k independent compressions per iteration (k chains
//! side by side, each fed its own previous output), which an out-of-order core overlaps. The
//! figure is per iteration; `scripts/bench-table` divides by k for the cost of one compression
//! when nothing waits on it, the floor of a staged window scan.

#![allow(
    missing_docs,
    clippy::indexing_slicing,
    clippy::cast_possible_truncation
)]

use core::hint::black_box;
use criterion::{BenchmarkId, Criterion, criterion_group, criterion_main};

fn floor(c: &mut Criterion) {
    let mut group = c.benchmark_group("floor");
    let block64 = [[0x5a_u8; 64]];
    let block128 = [[0x5a_u8; 128]];

    let mut state = [
        0x6745_2301_u32,
        0xefcd_ab89,
        0x98ba_dcfe,
        0x1032_5476,
        0xc3d2_e1f0,
    ];
    group.bench_function("SHA1", |b| {
        b.iter(|| sha1::block_api::compress(black_box(&mut state), black_box(&block64)));
    });
    let mut state = [0x6a09_e667_u32; 8];
    group.bench_function("SHA256", |b| {
        b.iter(|| sha2::block_api::compress256(black_box(&mut state), black_box(&block64)));
    });
    let mut state = [0x6a09_e667_f3bc_c908_u64; 8];
    group.bench_function("SHA512", |b| {
        b.iter(|| sha2::block_api::compress512(black_box(&mut state), black_box(&block128)));
    });
    group.bench_function(BenchmarkId::new("chain", "SHA1"), |b| {
        let (inner, outer) = ([1u32; 5], [2u32; 5]);
        b.iter(|| {
            chain64(
                black_box(&inner),
                black_box(&outer),
                sha1::block_api::compress,
            )
        });
    });
    group.bench_function(BenchmarkId::new("chain", "SHA256"), |b| {
        let (inner, outer) = ([1u32; 8], [2u32; 8]);
        b.iter(|| {
            chain64(
                black_box(&inner),
                black_box(&outer),
                sha2::block_api::compress256,
            )
        });
    });
    group.bench_function(BenchmarkId::new("chain", "SHA512"), |b| {
        let (inner, outer) = ([1u64; 8], [2u64; 8]);
        b.iter(|| chain128(black_box(&inner), black_box(&outer)));
    });
    throughput::<3>(&mut group);
    throughput::<8>(&mut group);
    group.finish();
}

/// `K` independent compressions per iteration, per hash: `floor/kK/SHA…`.
fn throughput<const K: usize>(
    group: &mut criterion::BenchmarkGroup<'_, criterion::measurement::WallTime>,
) {
    let id = |hash| BenchmarkId::new(format!("k{K}"), hash);
    let blocks64: [[u8; 64]; K] = core::array::from_fn(|i| [0x5a ^ i as u8; 64]);
    let blocks128: [[u8; 128]; K] = core::array::from_fn(|i| [0x5a ^ i as u8; 128]);
    let mut states: [[u32; 5]; K] = core::array::from_fn(|i| [i as u32; 5]);
    group.bench_function(id("SHA1"), |b| {
        b.iter(|| {
            independent(
                black_box(&mut states),
                black_box(&blocks64),
                sha1::block_api::compress,
            )
        });
    });
    let mut states: [[u32; 8]; K] = core::array::from_fn(|i| [i as u32; 8]);
    group.bench_function(id("SHA256"), |b| {
        b.iter(|| {
            independent(
                black_box(&mut states),
                black_box(&blocks64),
                sha2::block_api::compress256,
            )
        });
    });
    let mut states: [[u64; 8]; K] = core::array::from_fn(|i| [i as u64; 8]);
    group.bench_function(id("SHA512"), |b| {
        b.iter(|| {
            independent(
                black_box(&mut states),
                black_box(&blocks128),
                sha2::block_api::compress512,
            )
        });
    });
}

/// One compression per lane; no lane reads another's output, so they may run side by side.
fn independent<S, const B: usize, const K: usize>(
    states: &mut [S; K],
    blocks: &[[u8; B]; K],
    compress: fn(&mut S, &[[u8; B]]),
) {
    for (state, block) in states.iter_mut().zip(blocks) {
        compress(state, core::slice::from_ref(block));
    }
}

/// Inner compression of a fixed block, outer compression of a block holding its output.
fn chain64<const N: usize>(
    inner: &[u32; N],
    outer: &[u32; N],
    compress: fn(&mut [u32; N], &[[u8; 64]]),
) -> [u32; N] {
    let mut state = *inner;
    compress(&mut state, &[[0x5a; 64]]);
    let mut block = [[0u8; 64]];
    for (out, word) in block[0].chunks_exact_mut(4).zip(state) {
        out.copy_from_slice(&word.to_be_bytes());
    }
    let mut state = *outer;
    compress(&mut state, &block);
    state
}

fn chain128(inner: &[u64; 8], outer: &[u64; 8]) -> [u64; 8] {
    let mut state = *inner;
    sha2::block_api::compress512(&mut state, &[[0x5a; 128]]);
    let mut block = [[0u8; 128]];
    for (out, word) in block[0].chunks_exact_mut(8).zip(state) {
        out.copy_from_slice(&word.to_be_bytes());
    }
    let mut state = *outer;
    sha2::block_api::compress512(&mut state, &block);
    state
}

criterion_group!(benches, floor);
criterion_main!(benches);
