//! The vault's costs a user feels: unlocking (Argon2id at the defaults, and at the cheap test
//! parameters), saving 1,000 accounts (encrypt, write, fsync, rename, backup), and making the
//! codes of 1,000 accounts. Figures in `vault/README.md`.

#![allow(missing_docs, clippy::unwrap_used, clippy::expect_used)]

use core::hint::black_box;
use core::time::Duration;

use criterion::{BenchmarkId, Criterion, criterion_group, criterion_main};
use otpkit::{Algorithm, Credential, Digits, Secret};
use otpkit_vault::{Account, KdfParams, Password, Vault};

fn accounts(n: usize) -> Vec<Account> {
    (0..n)
        .map(|i| {
            let secret =
                Secret::from_bytes(format!("secret-key-number-{i:08}").as_bytes()).unwrap();
            let cred = Credential::totp(secret, Algorithm::Sha1, Digits::SIX, 30).unwrap();
            Account::new(
                "Example",
                &format!("user{i}@example.com"),
                cred,
                1_700_000_000,
            )
            .unwrap()
        })
        .collect()
}

fn vault_with(dir: &std::path::Path, params: KdfParams, n: usize) -> (std::path::PathBuf, Vault) {
    let path = dir.join("vault.otpkit");
    let mut vault = Vault::create(&path, &Password::new("bench password".into()), params).unwrap();
    for a in accounts(n) {
        vault.add(a);
    }
    vault.save().unwrap();
    (path, vault)
}

fn unlock(c: &mut Criterion) {
    let mut group = c.benchmark_group("unlock");
    let pw = Password::new("bench password".into());
    for (name, params) in [
        ("cheap (64 KiB, 1 pass)", KdfParams::CHEAP),
        ("default (64 MiB, 3 passes)", KdfParams::DEFAULT),
    ] {
        let dir = tempfile::tempdir().unwrap();
        let (path, _) = vault_with(dir.path(), params, 20);
        let bytes = std::fs::read(&path).unwrap();
        if params == KdfParams::DEFAULT {
            group
                .sample_size(10)
                .measurement_time(Duration::from_secs(8));
        }
        group.bench_function(BenchmarkId::new("decrypt 20 accounts", name), |b| {
            b.iter(|| Vault::decrypt(black_box(&bytes), &pw).unwrap());
        });
    }
    group.finish();
}

fn save(c: &mut Criterion) {
    let mut group = c.benchmark_group("save");
    group.sample_size(20);
    let dir = tempfile::tempdir().unwrap();
    let (_, mut vault) = vault_with(dir.path(), KdfParams::CHEAP, 1000);
    group.bench_function("1000 accounts (seal, write, fsync, rename, backup)", |b| {
        b.iter(|| vault.save().unwrap());
    });
    group.finish();
}

fn codes(c: &mut Criterion) {
    let mut group = c.benchmark_group("codes");
    let list = accounts(1000);
    group.bench_function("1000 accounts (build the generator, one code each)", |b| {
        b.iter(|| {
            for a in &list {
                black_box(
                    a.credential
                        .to_totp()
                        .unwrap()
                        .generate(black_box(1_700_000_000))
                        .unwrap(),
                );
            }
        });
    });
    group.finish();
}

criterion_group!(benches, unlock, save, codes);
criterion_main!(benches);
