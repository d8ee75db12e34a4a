//! The corpus walker of the stable-Rust corpus tests (`tests/fuzz_corpus.rs` and
//! `vault/tests/fuzz_corpus.rs` include this file by path): every committed input of one
//! target through the target's own checks.

use std::fs;
use std::panic;
use std::path::{Path, PathBuf};

/// Runs `target` on every file of `<corpus>/<name>/` and fails naming each input that
/// panicked, with its bytes in hex (the corpus files are what the fuzzer reads).
pub fn run(corpus: &Path, name: &str, target: fn(&[u8])) {
    let dir = corpus.join(name);
    let mut files: Vec<PathBuf> = fs::read_dir(&dir)
        .unwrap_or_else(|e| panic!("{}: {e}", dir.display()))
        .map(|entry| entry.unwrap().path())
        .filter(|path| path.is_file())
        .collect();
    files.sort();
    assert!(!files.is_empty(), "no corpus files in {}", dir.display());
    let mut failures = Vec::new();
    for path in &files {
        let data = fs::read(path).unwrap();
        if panic::catch_unwind(|| target(&data)).is_err() {
            let hex: String = data.iter().map(|b| format!("{b:02x}")).collect();
            failures.push(format!("{}: {hex}", path.display()));
        }
    }
    assert!(
        failures.is_empty(),
        "failing inputs:\n{}",
        failures.join("\n")
    );
}
