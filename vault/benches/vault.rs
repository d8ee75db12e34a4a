//! Criterion bench of the vault (filled in below).
fn main() {}
