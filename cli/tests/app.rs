//! `otpkit app` end to end under tmux: start it on a test vault in an 80×24 window, unlock,
//! add an account through the form, and read its code off the screen (`capture-pane`); it must
//! be the library's code for the fixed time the app is given (`OTPKIT_APP_TEST_TIME`, meant
//! for tests). Skipped with a message when tmux is missing, unless `OTPKIT_REQUIRE_PEERS=1`.
#![allow(
    clippy::unwrap_used,
    clippy::expect_used,
    clippy::panic,
    clippy::indexing_slicing
)]

mod common;

use core::time::Duration;
use std::path::Path;
use std::process::{Command, Stdio};
use std::time::Instant;

use otpkit::{Algorithm, Digits, Secret, Totp};

/// RFC 6238's test time.
const T: u64 = 1_111_111_109;
const KEY: &str = "GEZDGNBVGY3TQOJQGEZDGNBVGY3TQOJQ";

/// One tmux server of our own (`-L`), so the user's sessions are never touched.
struct Tmux {
    socket: String,
}

impl Tmux {
    fn cmd(&self, args: &[&str]) -> std::process::Output {
        Command::new("tmux")
            .args(["-L", &self.socket, "-f", "/dev/null"])
            // CI may run with no TERM; the server needs one to start.
            .env("TERM", "xterm-256color")
            .args(args)
            .stdin(Stdio::null())
            .output()
            .expect("run tmux")
    }

    fn keys(&self, keys: &[&str]) {
        let mut args = vec!["send-keys", "-t", "app"];
        args.extend(keys);
        assert!(self.cmd(&args).status.success());
    }

    fn text(&self, text: &str) {
        assert!(
            self.cmd(&["send-keys", "-t", "app", "-l", text])
                .status
                .success()
        );
    }

    fn screen(&self) -> String {
        String::from_utf8_lossy(&self.cmd(&["capture-pane", "-p", "-t", "app"]).stdout).into_owned()
    }

    /// The screen once it contains `what` (10 s at most).
    fn wait_for(&self, what: &str) -> String {
        let start = Instant::now();
        loop {
            let screen = self.screen();
            if screen.contains(what) {
                return screen;
            }
            assert!(
                start.elapsed() < Duration::from_secs(10),
                "waited 10 s for {what:?}; the screen:\n{screen}"
            );
            std::thread::sleep(Duration::from_millis(100));
        }
    }
}

impl Drop for Tmux {
    fn drop(&mut self) {
        let _ = self.cmd(&["kill-server"]);
    }
}

fn init_vault(dir: &Path) -> (String, String) {
    let vault = dir.join("vault.otpkit").display().to_string();
    let pw = dir.join("pw");
    std::fs::write(&pw, "tmux test password\n").unwrap();
    let pw = pw.display().to_string();
    let run = common::otpkit(&[
        "vault",
        "init",
        "--vault",
        &vault,
        "--password-file",
        &pw,
        "--kdf-memory",
        "64",
        "--kdf-passes",
        "1",
    ]);
    run.ok();
    (vault, pw)
}

#[test]
fn unlock_add_through_the_form_and_read_the_librarys_code() {
    let present = common::runs("tmux", &["-V"]);
    if !common::peer("app e2e", "tmux", "apt-get install tmux", present) {
        return;
    }
    let dir = tempfile::tempdir().unwrap();
    let (vault, pw) = init_vault(dir.path());
    let tmux = Tmux {
        socket: format!("otpkit-app-test-{}", std::process::id()),
    };
    let command = format!(
        "env {}={T} NO_COLOR=1 TERM=xterm-256color '{}' app --vault '{vault}'",
        "OTPKIT_APP_TEST_TIME",
        env!("CARGO_BIN_EXE_otpkit"),
    );
    let started = tmux.cmd(&[
        "new-session",
        "-d",
        "-s",
        "app",
        "-x",
        "80",
        "-y",
        "24",
        &command,
    ]);
    assert!(started.status.success(), "{started:?}");

    tmux.wait_for("Password");
    tmux.text("tmux test password");
    tmux.keys(&["Enter"]);
    tmux.wait_for("No accounts yet");

    tmux.text("a");
    tmux.wait_for("Add account");
    // Typed as a login page shows it, in groups.
    tmux.text("gezd gnbv gy3t qojq gezd gnbv gy3t qojq");
    tmux.keys(&["Tab", "Tab"]);
    tmux.text("Forge");
    tmux.keys(&["Tab"]);
    tmux.text("erin");

    let secret = Secret::from_base32(KEY).unwrap();
    let totp = Totp::new(Algorithm::Sha1, secret.as_bytes(), Digits::SIX, 30).unwrap();
    let code = totp.generate(T).unwrap();
    let grouped = format!("{} {}", &code.as_str()[..3], &code.as_str()[3..]);
    // The form shows the first code before saving.
    tmux.wait_for(&format!("First code {grouped}"));

    tmux.keys(&["Enter"]);
    let screen = tmux.wait_for("added Forge:erin");
    let row = screen
        .lines()
        .find(|l| l.contains("Forge erin"))
        .unwrap_or_else(|| panic!("a row for the account:\n{screen}"));
    assert!(
        row.contains(&grouped),
        "the library's code {grouped} in {row:?}"
    );
    assert!(row.trim_end().ends_with("1s"), "1 s left at {T}: {row:?}");

    // Saved: the CLI reads the same account and the same code.
    let listed = common::otpkit(&[
        "vault",
        "code",
        "forge",
        "--vault",
        &vault,
        "--password-file",
        &pw,
        "--time",
        &T.to_string(),
    ]);
    assert_eq!(listed.ok().trim(), code.as_str());

    tmux.text("q");
    let start = Instant::now();
    while tmux.cmd(&["has-session", "-t", "app"]).status.success() {
        assert!(start.elapsed() < Duration::from_secs(10), "q quits the app");
        std::thread::sleep(Duration::from_millis(100));
    }
}

#[test]
fn without_a_vault_it_says_how_to_make_one_before_taking_the_terminal() {
    let dir = tempfile::tempdir().unwrap();
    let missing = dir.path().join("none.otpkit").display().to_string();
    let run = common::otpkit(&["app", "--vault", &missing]);
    assert_eq!(
        run.error(),
        format!("otpkit: no vault at {missing}: create one with `otpkit vault init`")
    );
}

#[test]
fn lock_after_is_at_least_5_seconds() {
    let run = common::otpkit(&["app", "--lock-after", "1"]);
    assert!(
        run.error()
            .starts_with("otpkit: invalid value for --lock-after"),
        "{run:?}"
    );
}
