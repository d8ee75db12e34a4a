//! A crash after any step of a save leaves the old vault or the new one, never an error.
#![allow(
    clippy::unwrap_used,
    clippy::expect_used,
    clippy::panic,
    clippy::indexing_slicing
)]

mod common;

use otpkit_vault::{KdfParams, Step, Vault, set_failpoint};

#[test]
fn a_crash_after_each_save_step_leaves_old_or_new() {
    for step in Step::ALL {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("vault.otpkit");
        let mut vault = Vault::create(&path, &common::password(), KdfParams::CHEAP).unwrap();
        for a in common::seven().into_iter().take(3) {
            vault.add(a);
        }
        vault.save().unwrap();
        // Two saves so that a backup exists and the prune step has something to look at.
        vault.add(common::seven().remove(3));
        vault.save().unwrap();

        vault.add(common::seven().remove(4));
        set_failpoint(Some(step));
        let err = vault.save().unwrap_err();
        set_failpoint(None);
        assert_eq!(err.to_string(), format!("failpoint after {step:?}"));

        let reopened = Vault::open(&path, &common::password())
            .unwrap_or_else(|e| panic!("after {step:?}: {e}"));
        let n = reopened.accounts().len();
        let expected_new = matches!(step, Step::Rename | Step::SyncDir | Step::Prune);
        assert_eq!(n, if expected_new { 5 } else { 4 }, "after {step:?}");
        // No temporary file survives the reopen, and the next save works.
        let temps = std::fs::read_dir(dir.path())
            .unwrap()
            .flatten()
            .filter(|e| e.file_name().to_string_lossy().contains(".tmp-"))
            .count();
        assert_eq!(temps, 0, "after {step:?}");
        let mut again = reopened;
        again.add(common::seven().remove(5));
        again.save().unwrap();
        assert_eq!(
            Vault::open(&path, &common::password())
                .unwrap()
                .accounts()
                .len(),
            n + 1
        );
    }
}
