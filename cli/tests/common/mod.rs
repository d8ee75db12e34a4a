//! Helpers shared by the integration tests: run the `otpkit` binary, `oathtool` and the peers
//! of `peers.rs`, and skip (or, when required, fail) a test whose peer is missing.
#![allow(dead_code, clippy::unwrap_used, clippy::expect_used, clippy::panic)]

use std::io::Write;
use std::path::PathBuf;
use std::process::{Command, Output, Stdio};

/// What one run of a program printed and how it ended.
#[derive(Debug)]
pub struct Run {
    pub status: i32,
    pub stdout: String,
    pub stderr: String,
}

impl From<Output> for Run {
    fn from(out: Output) -> Self {
        Self {
            status: out.status.code().expect("ended by a signal"),
            stdout: String::from_utf8(out.stdout).expect("stdout is UTF-8"),
            stderr: String::from_utf8(out.stderr).expect("stderr is UTF-8"),
        }
    }
}

impl Run {
    /// Asserts status 0 and returns stdout.
    pub fn ok(&self) -> &str {
        assert_eq!(self.status, 0, "failed: {self:?}");
        &self.stdout
    }

    /// Asserts status 1 with nothing on stdout and exactly one line on stderr, and returns it.
    pub fn error(&self) -> &str {
        assert_eq!(self.status, 1, "expected an error: {self:?}");
        assert_eq!(self.stdout, "", "an error prints nothing on stdout");
        assert_eq!(
            self.stderr.lines().count(),
            1,
            "one line: {:?}",
            self.stderr
        );
        self.stderr.trim_end()
    }
}

/// Runs `otpkit ARGS` with `stdin` as standard input.
pub fn otpkit_stdin(args: &[&str], stdin: &str) -> Run {
    run_stdin(env!("CARGO_BIN_EXE_otpkit"), args, stdin)
}

/// Runs `program ARGS` with `stdin` as standard input.
pub fn run_stdin(program: &str, args: &[&str], stdin: &str) -> Run {
    let mut child = Command::new(program)
        .args(args)
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .unwrap_or_else(|e| panic!("run {program}: {e}"));
    child
        .stdin
        .take()
        .unwrap()
        .write_all(stdin.as_bytes())
        .unwrap();
    child.wait_with_output().unwrap().into()
}

/// Runs `otpkit ARGS` with empty standard input.
pub fn otpkit(args: &[&str]) -> Run {
    otpkit_stdin(args, "")
}

/// A file under the test's scratch directory holding `contents`.
pub fn scratch_file(name: &str, contents: &str) -> PathBuf {
    let path = PathBuf::from(env!("CARGO_TARGET_TMPDIR")).join(name);
    std::fs::write(&path, contents).unwrap();
    path
}

/// Whether `program` can be run. When it cannot: in CI (`CI` set) that is a failure, since CI
/// installs it; elsewhere the caller skips its test and says so on stderr.
pub fn have(program: &str, test: &str) -> bool {
    let found = Command::new(program)
        .arg("--version")
        .stdout(Stdio::null())
        .stderr(Stdio::null())
        .status()
        .is_ok_and(|s| s.success());
    if !found {
        assert!(
            std::env::var_os("CI").is_none(),
            "{program} is not installed, and CI must run {test}"
        );
        eprintln!("skipped {test}: {program} is not installed");
    }
    found
}

/// Runs `oathtool ARGS`.
pub fn oathtool(args: &[&str]) -> Run {
    Command::new("oathtool")
        .args(args)
        .stdin(Stdio::null())
        .output()
        .expect("run oathtool")
        .into()
}

/// Whether `program ARGS` runs and succeeds (output discarded): how a peer's presence is told.
pub fn runs(program: &str, args: &[&str]) -> bool {
    Command::new(program)
        .args(args)
        .stdin(Stdio::null())
        .stdout(Stdio::null())
        .stderr(Stdio::null())
        .status()
        .is_ok_and(|s| s.success())
}

/// Whether the peer a test needs is here (`present`). When it is not, the test is skipped with
/// a message naming `peer` and how to install it, unless `OTPKIT_REQUIRE_PEERS=1` (CI sets it,
/// after installing every peer), where a missing peer fails the test.
pub fn peer(test: &str, peer: &str, install: &str, present: bool) -> bool {
    if !present {
        assert!(
            std::env::var("OTPKIT_REQUIRE_PEERS").as_deref() != Ok("1"),
            "{test}: {peer} is not installed, and OTPKIT_REQUIRE_PEERS=1 requires it: {install}"
        );
        // Straight to the process's stderr: the test harness would hide `eprintln!` of a test
        // that passes, and a skip should be seen.
        let _ = writeln!(
            std::io::stderr(),
            "skipped {test}: {peer} is not installed ({install})"
        );
    }
    present
}

/// Runs `program ARGS` with no standard input.
pub fn run(program: &str, args: &[&str]) -> Run {
    Command::new(program)
        .args(args)
        .stdin(Stdio::null())
        .output()
        .unwrap_or_else(|e| panic!("run {program}: {e}"))
        .into()
}
