//! `otpkit vault …` driven as a user drives it: every command, its exit status, what it
//! prints; then 200 runs killed with SIGKILL at random moments, and 8 processes adding at once.
#![allow(
    clippy::unwrap_used,
    clippy::expect_used,
    clippy::panic,
    clippy::indexing_slicing
)]

use core::time::Duration;
use std::io::Write;
use std::path::PathBuf;
use std::process::{Command, Stdio};
use std::time::Instant;

use otpkit_vault::{Password, Vault};

mod common;

struct Run {
    status: i32,
    stdout: String,
    stderr: String,
}

/// A scratch vault: its folder, path and password file; the KDF is cheap (64 KiB, 1 pass).
struct Scratch {
    _dir: tempfile::TempDir,
    dir: PathBuf,
    vault: PathBuf,
    pw: PathBuf,
}

impl Scratch {
    fn new() -> Self {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().to_owned();
        let pw = path.join("pw");
        std::fs::write(&pw, "hunter2 horse\n").unwrap();
        let s = Self {
            vault: path.join("vault.otpkit"),
            dir: path,
            pw,
            _dir: dir,
        };
        let r = s.run(&["init", "--kdf-memory", "64", "--kdf-passes", "1"], "");
        assert_eq!(r.status, 0, "{}", r.stderr);
        s
    }

    fn command(&self, args: &[&str]) -> Command {
        let mut c = self.bare(args);
        c.arg("--password-file").arg(&self.pw);
        c
    }

    /// The command without `--password-file`.
    fn bare(&self, args: &[&str]) -> Command {
        let mut c = Command::new(env!("CARGO_BIN_EXE_otpkit"));
        c.arg("vault").args(args).arg("--vault").arg(&self.vault);
        c.env_remove("OTPKIT_VAULT");
        c
    }

    fn run(&self, args: &[&str], stdin: &str) -> Run {
        self.spawn(self.command(args), stdin)
    }

    fn spawn(&self, mut command: Command, stdin: &str) -> Run {
        let mut child = command
            .stdin(Stdio::piped())
            .stdout(Stdio::piped())
            .stderr(Stdio::piped())
            .spawn()
            .unwrap();
        child
            .stdin
            .take()
            .unwrap()
            .write_all(stdin.as_bytes())
            .unwrap();
        let out = child.wait_with_output().unwrap();
        Run {
            status: out.status.code().expect("ended by a signal"),
            stdout: String::from_utf8(out.stdout).unwrap(),
            stderr: String::from_utf8(out.stderr).unwrap(),
        }
    }

    fn ok(&self, args: &[&str]) -> String {
        let r = self.run(args, "");
        assert_eq!(r.status, 0, "{args:?}: {}", r.stderr);
        r.stdout
    }

    fn count(&self) -> usize {
        Vault::open(&self.vault, &Password::new("hunter2 horse".into()))
            .unwrap()
            .accounts()
            .len()
    }
}

const GITHUB: &str = "otpauth://totp/GitHub:alice?secret=JBSWY3DPEHPK3PXP&issuer=GitHub";
const GITLAB: &str =
    "otpauth://totp/GitLab:alice?secret=GEZDGNBVGY3TQOJQ&issuer=GitLab&digits=8&algorithm=SHA256";

#[test]
fn add_list_code_edit_rm() {
    let s = Scratch::new();
    s.ok(&["add", "--uri", GITHUB, "--color", "#1e88e5"]);
    s.ok(&["add", "--uri", GITLAB]);
    let r = s.run(
        &[
            "add",
            "--secret",
            "--issuer",
            "Bank",
            "--name",
            "bob",
            "--hotp",
            "--counter",
            "1",
        ],
        "GEZDGNBVGY3TQOJQGEZDGNBVGY3TQOJQ\n",
    );
    assert_eq!(r.status, 0, "{}", r.stderr);
    assert!(r.stderr.starts_with("added Bank:bob ("));

    let list = s.ok(&["list"]);
    let lines: Vec<&str> = list.lines().collect();
    assert_eq!(lines.len(), 3);
    assert!(
        lines[0].ends_with("  GitHub:alice  (totp SHA1 6 digits, 30s) #1E88E5"),
        "{list}"
    );
    assert!(
        lines[1].ends_with("  GitLab:alice  (totp SHA256 8 digits, 30s)"),
        "{list}"
    );
    assert!(
        lines[2].ends_with("  Bank:bob  (hotp SHA1 6 digits, counter 1)"),
        "{list}"
    );
    assert!(!list.contains("JBSWY3DPEHPK3PXP"));

    let json: serde_json::Value = serde_json::from_str(&s.ok(&["list", "--json"])).unwrap();
    assert_eq!(json[1]["digits"], 8);
    assert_eq!(json[1]["algorithm"], "SHA256");
    assert!(!json.to_string().contains("JBSWY3DPEHPK3PXP"));

    // Codes are the library's.
    let totp = otpkit::KeyUri::parse(GITHUB)
        .unwrap()
        .credential()
        .to_totp()
        .unwrap();
    assert_eq!(
        s.ok(&["code", "github", "--time", "1700000000"]).trim(),
        totp.generate(1_700_000_000).unwrap().as_str()
    );
    let id = &json[1]["id"].as_str().unwrap()[..6];
    let gitlab = otpkit::KeyUri::parse(GITLAB)
        .unwrap()
        .credential()
        .to_totp()
        .unwrap();
    assert_eq!(
        s.ok(&["code", id, "--time", "59"]).trim(),
        gitlab.generate(59).unwrap().as_str()
    );

    // HOTP: each code advances the stored counter.
    let hotp = otpkit::Hotp::new(
        otpkit::Algorithm::Sha1,
        b"12345678901234567890",
        otpkit::Digits::SIX,
    )
    .unwrap();
    assert_eq!(s.ok(&["code", "bob"]).trim(), hotp.generate(1).as_str());
    assert_eq!(s.ok(&["code", "bob"]).trim(), hotp.generate(2).as_str());
    assert!(s.ok(&["list"]).contains("counter 3"));
    let r = s.run(&["code", "bob", "--time", "5"], "");
    assert_eq!(
        (r.status, r.stderr.as_str()),
        (1, "otpkit: HOTP codes do not depend on time: drop --time\n")
    );
    assert!(s.ok(&["list"]).contains("counter 3"));

    // Ambiguous and unmatched queries: status 2, the candidates listed.
    let r = s.run(&["code", "alice"], "");
    assert_eq!(r.status, 2);
    assert!(r.stdout.is_empty());
    assert!(
        r.stderr
            .starts_with("otpkit: 2 accounts match: GitHub:alice ("),
        "{}",
        r.stderr
    );
    assert!(r.stderr.contains(", GitLab:alice ("));
    let r = s.run(&["code", "nothing"], "");
    assert_eq!(
        (r.status, r.stderr.as_str()),
        (2, "otpkit: no account matches\n")
    );

    s.ok(&[
        "edit", "gitlab", "--name", "carol", "--note", "work", "--color", "#00ff00",
    ]);
    assert!(
        s.ok(&["list"])
            .contains("GitLab:carol  (totp SHA256 8 digits, 30s) #00FF00")
    );

    // rm asks; without a terminal it needs --yes.
    let r = s.run(&["rm", "carol"], "");
    assert_eq!(r.status, 1);
    assert_eq!(
        r.stderr,
        "otpkit: no terminal to ask on: give --yes to remove without asking\n"
    );
    s.ok(&["rm", "carol", "--yes"]);
    assert_eq!(s.count(), 2);

    assert_eq!(
        s.ok(&["check"]).trim_end(),
        "ok: 2 accounts, generation 8, 5 backups"
    );
    assert_eq!(s.ok(&["path"]).trim_end(), s.vault.display().to_string());
}

#[test]
fn text_from_files_is_escaped_on_the_terminal() {
    let s = Scratch::new();
    s.ok(&[
        "add",
        "--uri",
        GITHUB,
        "--name",
        "evil\u{1b}]0;pwned\u{7}\u{202e}moc.elpmaxe",
    ]);
    let list = s.ok(&["list"]);
    assert!(
        list.contains("GitHub:evil\\x1B]0;pwned\\x07\\u{202E}moc.elpmaxe"),
        "{list}"
    );
    assert!(!list.contains('\u{1b}') && !list.contains('\u{202e}'));
    let json = s.ok(&["list", "--json"]);
    assert!(
        json.contains("evil\\u001b]0;pwned\\u0007\\u202emoc.elpmaxe"),
        "{json}"
    );
    let parsed: serde_json::Value = serde_json::from_str(&json).unwrap();
    assert_eq!(
        parsed[0]["name"],
        "evil\u{1b}]0;pwned\u{7}\u{202e}moc.elpmaxe"
    );
}

#[test]
fn passwords_never_come_from_argv_and_errors_name_the_backups() {
    let s = Scratch::new();
    s.ok(&["add", "--uri", GITHUB]);
    let mut c = s.command(&["list", "--password", "hunter2"]);
    let r = c.output().unwrap();
    assert_eq!(r.status.code(), Some(1));

    let before = std::fs::read(&s.vault).unwrap();
    let bad = s.dir.join("bad");
    std::fs::write(&bad, "wrong\n").unwrap();
    let out = Command::new(env!("CARGO_BIN_EXE_otpkit"))
        .args(["vault", "list", "--password-file"])
        .arg(&bad)
        .env("OTPKIT_VAULT", &s.vault)
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(1));
    let backups = Vault::backups_dir(&s.vault);
    assert_eq!(
        String::from_utf8(out.stderr).unwrap(),
        format!(
            "otpkit: wrong password; nothing was changed; earlier versions are in {} (`otpkit vault backup list`)\n",
            backups.display()
        )
    );
    // A truncated file: its own message, nothing written.
    std::fs::write(&s.vault, &before[..before.len() / 2]).unwrap();
    let r = s.run(&["add", "--uri", GITLAB], "");
    assert_eq!(r.status, 1);
    assert!(
        r.stderr.starts_with(
            "otpkit: vault file is truncated; nothing was changed; earlier versions are in "
        ),
        "{}",
        r.stderr
    );
    assert_eq!(
        std::fs::read(&s.vault).unwrap(),
        &before[..before.len() / 2]
    );

    // backup restore brings the last good version back over the truncated file, which is
    // kept as the newest backup; no backup is replaced.
    let list = s.ok(&["backup", "list"]);
    let newest: &str = list.split_whitespace().next().unwrap();
    assert_eq!(newest, "1");
    let r = s.run(&["backup", "restore", "1"], "");
    assert_eq!(
        (r.status, r.stderr.as_str()),
        (0, "restored generation 1 (0 accounts)\n")
    );
    assert_eq!(s.count(), 0);
    let list = s.ok(&["backup", "list"]);
    let gens: Vec<&str> = list
        .lines()
        .map(|l| l.split_whitespace().next().unwrap())
        .collect();
    assert_eq!(gens, ["2", "1"]);
    let backups = Vault::backups_dir(&s.vault);
    let kept = std::fs::read(backups.join("g000000000002.otpkit")).unwrap();
    assert_eq!(kept, &before[..before.len() / 2]);
    let first = std::fs::read(backups.join("g000000000001.otpkit")).unwrap();
    assert!(
        Vault::decrypt(&first, &Password::new("hunter2 horse".into()))
            .unwrap()
            .is_empty()
    );
    let r = s.run(&["code", "github", "--time", "5"], "");
    assert_eq!(
        (r.status, r.stderr.as_str()),
        (2, "otpkit: no account matches\n")
    );

    // --password-stdin, and passwd re-wraps the key.
    let r = s.spawn(
        s.bare(&["passwd", "--password-stdin"]),
        "hunter2 horse\nnew one\n",
    );
    assert_eq!((r.status, r.stderr.as_str()), (0, "password changed\n"));
    let r = s.spawn(s.bare(&["list", "--password-stdin"]), "new one\n");
    assert_eq!(r.status, 0, "{}", r.stderr);
    assert!(Vault::open(&s.vault, &Password::new("hunter2 horse".into())).is_err());
}

#[test]
fn import_and_export() {
    let s = Scratch::new();
    s.ok(&["add", "--uri", GITHUB]);
    // An Aegis plain export made by the vault's own exporter, plus a bad and a duplicate line.
    let list = s.dir.join("uris.txt");
    std::fs::write(
        &list,
        format!("{GITHUB}\n{GITLAB}\notpauth://totp/x?secret=***\n"),
    )
    .unwrap();
    let r = s.run(&["import", list.to_str().unwrap(), "--dry-run"], "");
    assert_eq!(r.status, 0, "{}", r.stderr);
    assert_eq!(r.stdout, "would add GitLab:alice (totp)\n");
    assert!(r.stderr.contains("skipped entry 3: "), "{}", r.stderr);
    assert!(
        r.stderr
            .ends_with("otpauth: would add 1, 1 duplicates skipped, 1 bad entries skipped\n"),
        "{}",
        r.stderr
    );
    assert_eq!(s.count(), 1);
    let r = s.run(&["import", list.to_str().unwrap()], "");
    assert!(
        r.stderr
            .ends_with("otpauth: added 1, 1 duplicates skipped, 1 bad entries skipped\n"),
        "{}",
        r.stderr
    );
    assert_eq!(s.count(), 2);

    // Plain exports need --plain and are written 0600.
    let r = s.run(&["export", "--format", "aegis"], "");
    assert_eq!(
        r.stderr,
        "otpkit: a aegis export holds every secret in plain text: add --plain to write it\n"
    );
    let out = s.dir.join("aegis.json");
    let r = s.run(
        &[
            "export",
            "--format",
            "aegis",
            "--plain",
            "-o",
            out.to_str().unwrap(),
        ],
        "",
    );
    assert!(
        r.stderr
            .contains("warning: this export holds every secret in plain text")
    );
    #[cfg(unix)]
    {
        use std::os::unix::fs::PermissionsExt;
        assert_eq!(
            std::fs::metadata(&out).unwrap().permissions().mode() & 0o777,
            0o600
        );
    }
    // ...and read back into a second vault (auto-detected as Aegis).
    let t = Scratch::new();
    let r = t.run(&["import", out.to_str().unwrap()], "");
    assert!(
        r.stderr
            .ends_with("aegis: added 2, 0 duplicates skipped, 0 bad entries skipped\n"),
        "{}",
        r.stderr
    );
    let uris = s.ok(&["export", "--format", "otpauth", "--plain"]);
    assert_eq!(uris.lines().count(), 2);
    let google = s.ok(&["export", "--format", "google", "--plain"]);
    assert!(google.starts_with("otpauth-migration://offline?data="));
    assert!(
        google.contains('\u{2580}') || google.contains('\u{2584}') || google.contains('█'),
        "no QR code drawn"
    );
    let copy = s.dir.join("copy.otpkit");
    s.ok(&["export", "-o", copy.to_str().unwrap()]);
    assert_eq!(
        std::fs::read(&copy).unwrap(),
        std::fs::read(&s.vault).unwrap()
    );
}

/// A 2FAS backup encrypted with `password` as 2FAS does it (PBKDF2-HMAC-SHA256, 10,000
/// iterations; AES-256-GCM; `servicesEncrypted` = data:salt:iv in base64), holding two accounts.
fn twofas_encrypted(password: &str) -> Vec<u8> {
    use aes_gcm::aead::{Aead, KeyInit};
    use base64::Engine;
    let b64 = base64::engine::general_purpose::STANDARD;
    let services = serde_json::json!([
        {"name": "Bank", "secret": "GEZDGNBVGY3TQOJQGEZDGNBVGY3TQOJQ", "order": {"position": 0},
         "otp": {"account": "alice", "issuer": "Bank", "digits": 8, "period": 30, "algorithm": "SHA256", "tokenType": "TOTP"}},
        {"name": "Steam", "secret": "OBQXG43XN5ZGIMJS", "order": {"position": 1},
         "otp": {"account": "frank", "tokenType": "STEAM"}}
    ]);
    let (salt, iv) = ([1u8; 32], [2u8; 12]);
    let mut key = [0u8; 32];
    pbkdf2::pbkdf2_hmac::<sha2::Sha256>(password.as_bytes(), &salt, 10_000, &mut key);
    let sealed = aes_gcm::Aes256Gcm::new_from_slice(&key)
        .unwrap()
        .encrypt(
            &iv.into(),
            serde_json::to_vec(&services).unwrap().as_slice(),
        )
        .unwrap();
    serde_json::to_vec(&serde_json::json!({
        "services": [], "groups": [], "schemaVersion": 4, "appVersionCode": 5_000_000,
        "servicesEncrypted": format!("{}:{}:{}", b64.encode(&sealed), b64.encode(salt), b64.encode(iv)),
    }))
    .unwrap()
}

#[test]
fn encrypted_2fas_import_with_its_own_password() {
    let s = Scratch::new();
    let backup = s.dir.join("2fas-backup.2fas");
    std::fs::write(&backup, twofas_encrypted("export secret")).unwrap();
    let wrong = s.dir.join("wrong");
    std::fs::write(&wrong, "nope\n").unwrap();
    let r = s.run(
        &[
            "import",
            backup.to_str().unwrap(),
            "--source-password-file",
            wrong.to_str().unwrap(),
        ],
        "",
    );
    assert_eq!(
        (r.status, r.stderr.as_str()),
        (1, "otpkit: wrong password for the import file\n")
    );
    let r = s.run(&["import", backup.to_str().unwrap()], "");
    assert_eq!(
        (r.status, r.stderr.as_str()),
        (
            1,
            "otpkit: no terminal to ask for the password on: give --password-file FILE or --password-stdin\n"
        )
    );
    let right = s.dir.join("right");
    std::fs::write(&right, "export secret\n").unwrap();
    let r = s.run(
        &[
            "import",
            backup.to_str().unwrap(),
            "--source-password-file",
            right.to_str().unwrap(),
        ],
        "",
    );
    assert_eq!(
        (r.status, r.stderr.as_str()),
        (
            0,
            "2fas: added 2, 0 duplicates skipped, 0 bad entries skipped\n"
        )
    );
    let list = s.ok(&["list"]);
    assert!(
        list.contains("  Bank:alice  (totp SHA256 8 digits, 30s)"),
        "{list}"
    );
    assert!(list.contains("  Steam:frank  (steam)"), "{list}");
    assert_eq!(s.ok(&["code", "frank", "--time", "0"]).trim().len(), 5);

    // --format overrides detection: read as Aegis, the 2FAS file has no `db`.
    let r = s.run(
        &["import", backup.to_str().unwrap(), "--format", "aegis"],
        "",
    );
    assert_eq!(
        (r.status, r.stderr.as_str()),
        (1, "otpkit: malformed import file: no db\n")
    );
    let r = s.run(
        &["import", backup.to_str().unwrap(), "--format", "keepass"],
        "",
    );
    assert_eq!(
        (r.status, r.stderr.as_str()),
        (1, "otpkit: unknown import format\n")
    );
}

/// A small xorshift generator: the kill moments need spread, not cryptographic quality.
fn xorshift(state: &mut u64) -> u64 {
    *state ^= *state << 13;
    *state ^= *state >> 7;
    *state ^= *state << 17;
    *state
}

#[test]
fn two_hundred_adds_killed_at_random_moments_never_lose_the_vault() {
    let s = Scratch::new();
    // How long one add takes here, to spread the kills over it.
    let start = Instant::now();
    s.ok(&["add", "--uri", GITHUB, "--name", "first"]);
    let typical = u64::try_from(start.elapsed().as_micros().max(1000)).unwrap();
    let mut seed = 0x9E37_79B9_7F4A_7C15 ^ u64::from(std::process::id());
    let mut n = 1;
    let began = Instant::now();
    let (mut killed, mut finished, mut landed_then_killed, mut mid_save) = (0, 0, 0, 0);
    for i in 0..200 {
        let name = format!("n{i}");
        let mut child = s
            .command(&["add", "--uri", GITHUB, "--name", &name])
            .stdin(Stdio::null())
            .stdout(Stdio::null())
            .stderr(Stdio::null())
            .spawn()
            .unwrap();
        // Half the kills anywhere in a run, half in its last 40 % (where the save is).
        let r = xorshift(&mut seed);
        let at = if i % 2 == 0 {
            r % (typical * 5 / 4)
        } else {
            typical * 7 / 10 + r % (typical * 4 / 10)
        };
        std::thread::sleep(Duration::from_micros(at));
        let _ = child.kill(); // SIGKILL
        let status = child.wait().unwrap();
        // A temporary file left behind: this kill landed inside a save, before its rename.
        mid_save += std::fs::read_dir(&s.dir)
            .unwrap()
            .flatten()
            .filter(|e| {
                e.file_name()
                    .to_string_lossy()
                    .starts_with(".vault.otpkit.tmp-")
            })
            .count();
        if status.success() {
            finished += 1
        } else {
            killed += 1
        }
        let now = s.count();
        assert!(
            now == n || now == n + 1,
            "run {i}: {now} accounts after {n}"
        );
        if now == n + 1 && !status.success() {
            landed_then_killed += 1;
        }
        n = now;
    }
    eprintln!(
        "200 adds killed at random: {killed} killed ({mid_save} inside a save, before the rename; \
         {landed_then_killed} after it), {finished} finished, {n} accounts, {:.1} s (one add: {} ms)",
        began.elapsed().as_secs_f64(),
        typical / 1000
    );
    assert!(
        killed > 20,
        "too few runs were killed to test anything: {killed}"
    );
}

#[test]
fn eight_processes_times_twenty_adds_give_exactly_160() {
    let s = Scratch::new();
    let began = Instant::now();
    std::thread::scope(|scope| {
        for p in 0..8 {
            let s = &s;
            scope.spawn(move || {
                for i in 0..20 {
                    let name = format!("p{p}-{i}");
                    let r = s.run(&["add", "--uri", GITHUB, "--name", &name], "");
                    assert_eq!(r.status, 0, "{}", r.stderr);
                }
            });
        }
    });
    assert_eq!(s.count(), 160);
    eprintln!(
        "8 processes x 20 adds: 160 accounts in {:.1} s",
        began.elapsed().as_secs_f64()
    );
}

#[test]
fn a_vault_password_typed_at_a_terminal_is_asked_twice_and_not_echoed() {
    if !common::have("script", "the terminal prompt test") {
        return;
    }
    let dir = tempfile::tempdir().unwrap();
    let vault = dir.path().join("typed.otpkit");
    let command = format!(
        "{} vault --vault {} init --kdf-memory 64 --kdf-passes 1",
        env!("CARGO_BIN_EXE_otpkit"),
        vault.display()
    );
    let asked = core::cell::RefCell::new(Vec::new());
    let (ok, screen) = at_terminal(&command, dir.path(), &[], &|prompt| {
        asked.borrow_mut().push(prompt.to_owned());
        Some("typed secret".to_owned())
    });
    assert!(ok, "{screen:?}");
    assert_eq!(*asked.borrow(), ["New vault password: ", "Again: "]);
    assert!(
        !screen.contains("typed secret"),
        "the password was echoed: {screen:?}"
    );
    assert!(screen.contains("created "), "{screen:?}");
    assert!(Vault::open(&vault, &Password::new("typed secret".into())).is_ok());
}

#[test]
fn the_vault_path_follows_flag_env_and_xdg() {
    let path = |args: &[&str], env: &[(&str, &str)]| {
        let mut c = Command::new(env!("CARGO_BIN_EXE_otpkit"));
        c.arg("vault").arg("path").args(args);
        c.env_remove("OTPKIT_VAULT")
            .env_remove("XDG_DATA_HOME")
            .env_remove("HOME");
        for (k, v) in env {
            c.env(k, v);
        }
        let out = c.output().unwrap();
        assert_eq!(out.status.code(), Some(0), "{out:?}");
        String::from_utf8(out.stdout).unwrap().trim_end().to_owned()
    };
    assert_eq!(
        path(&[], &[("HOME", "/home/a")]),
        "/home/a/.local/share/otpkit/vault.otpkit"
    );
    assert_eq!(
        path(&[], &[("HOME", "/home/a"), ("XDG_DATA_HOME", "/data")]),
        "/data/otpkit/vault.otpkit"
    );
    // A relative XDG_DATA_HOME is ignored, as the XDG spec says.
    assert_eq!(
        path(&[], &[("HOME", "/home/a"), ("XDG_DATA_HOME", "rel")]),
        "/home/a/.local/share/otpkit/vault.otpkit"
    );
    assert_eq!(
        path(&[], &[("HOME", "/home/a"), ("OTPKIT_VAULT", "/v/x.otpkit")]),
        "/v/x.otpkit"
    );
    assert_eq!(
        path(&["--vault", "/w/y"], &[("OTPKIT_VAULT", "/v/x.otpkit")]),
        "/w/y"
    );
}

/// Sets `path` and everything below it to `mode` (directories get the search bit with read).
#[cfg(unix)]
fn chmod_tree(path: &std::path::Path, dir_mode: u32, file_mode: u32) {
    use std::os::unix::fs::PermissionsExt;
    let meta = std::fs::symlink_metadata(path).unwrap();
    if meta.is_dir() {
        // Children first while the folder is still searchable.
        std::fs::set_permissions(path, std::fs::Permissions::from_mode(0o700)).unwrap();
        for entry in std::fs::read_dir(path).unwrap() {
            chmod_tree(&entry.unwrap().path(), dir_mode, file_mode);
        }
        std::fs::set_permissions(path, std::fs::Permissions::from_mode(dir_mode)).unwrap();
    } else {
        std::fs::set_permissions(path, std::fs::Permissions::from_mode(file_mode)).unwrap();
    }
}

/// Reading needs only read access: in a folder this user cannot write, `list`, `code --time`
/// on a TOTP account, `check` and `export` work and create no lock file; HOTP `code` (which
/// must save) fails with a clear error and changes nothing. Run as root, the commands run as
/// `nobody` (root writes anywhere), on a folder `nobody` owns but may not write.
#[cfg(unix)]
#[test]
fn a_read_only_vault_folder_can_be_read() {
    use std::os::unix::fs::{MetadataExt, PermissionsExt, chown};
    use std::os::unix::process::CommandExt;
    let s = Scratch::new();
    s.ok(&["add", "--uri", GITHUB]);
    s.ok(&[
        "add",
        "--uri",
        "otpauth://hotp/Bank:bob?secret=GEZDGNBVGY3TQOJQ&counter=3",
    ]);
    let code = s.ok(&["code", "github", "--time", "59"]);
    let uris = s.ok(&["export", "--format", "otpauth", "--plain"]);
    let before = std::fs::read(&s.vault).unwrap();
    let lock = s.dir.join("vault.otpkit.lock");
    let as_root = std::fs::metadata(&s.pw).unwrap().uid() == 0;
    const NOBODY: u32 = 65534;
    let read_only = |with_lock: bool| {
        chmod_tree(&s.dir, 0o700, 0o600);
        if with_lock {
            std::fs::write(&lock, "").unwrap();
        } else if lock.exists() {
            std::fs::remove_file(&lock).unwrap();
        }
        if as_root {
            for e in walk(&s.dir) {
                chown(&e, Some(NOBODY), Some(NOBODY)).unwrap();
            }
        }
        chmod_tree(&s.dir, 0o500, 0o400);
    };
    // As root, the binary is run from a copy `nobody` can reach (the build folder may be
    // under a home only root can enter).
    let bin = tempfile::tempdir().unwrap();
    let exe = if as_root {
        let exe = bin.path().join("otpkit");
        std::fs::copy(env!("CARGO_BIN_EXE_otpkit"), &exe).unwrap();
        std::fs::set_permissions(bin.path(), std::fs::Permissions::from_mode(0o755)).unwrap();
        exe
    } else {
        PathBuf::from(env!("CARGO_BIN_EXE_otpkit"))
    };
    let run = |args: &[&str]| {
        let mut c = Command::new(&exe);
        c.arg("vault").args(args).arg("--vault").arg(&s.vault);
        c.arg("--password-file")
            .arg(&s.pw)
            .env_remove("OTPKIT_VAULT");
        if as_root {
            c.uid(NOBODY).gid(NOBODY);
        }
        s.spawn(c, "")
    };
    for with_lock in [false, true] {
        read_only(with_lock);
        // The folder really is closed to writes for the user the commands run as.
        let probe = run(&["add", "--uri", GITLAB]);
        assert_eq!(probe.status, 1, "{}", probe.stderr);
        // The reason once, not repeated by its source.
        assert_eq!(probe.stderr.matches("Permission denied").count(), 1);
        assert!(
            probe.stderr.contains("Permission denied"),
            "{}",
            probe.stderr
        );

        let r = run(&["list"]);
        assert_eq!(r.status, 0, "{}", r.stderr);
        assert!(r.stdout.contains("GitHub:alice") && r.stdout.contains("Bank:bob"));
        let r = run(&["code", "github", "--time", "59"]);
        assert_eq!(
            (r.status, r.stdout.as_str()),
            (0, code.as_str()),
            "{}",
            r.stderr
        );
        let r = run(&["check"]);
        assert_eq!(r.status, 0, "{}", r.stderr);
        assert!(r.stdout.starts_with("ok: 2 accounts"), "{}", r.stdout);
        let r = run(&["export", "--format", "otpauth", "--plain"]);
        assert_eq!(
            (r.status, r.stdout.as_str()),
            (0, uris.as_str()),
            "{}",
            r.stderr
        );
        // HOTP must save the next counter: refused, with the reason, and nothing changed.
        let r = run(&["code", "bank"]);
        assert_eq!(r.status, 1, "{}", r.stderr);
        assert!(
            r.stderr.contains("lock file") && r.stderr.contains("Permission denied"),
            "{}",
            r.stderr
        );
        assert_eq!(lock.exists(), with_lock);
        assert_eq!(std::fs::read(&s.vault).unwrap(), before);
    }
    chmod_tree(&s.dir, 0o700, 0o600);
    assert_eq!(
        std::fs::metadata(&s.dir).unwrap().permissions().mode() & 0o777,
        0o700
    );
}

/// `dir` and every path below it.
#[cfg(unix)]
fn walk(dir: &std::path::Path) -> Vec<PathBuf> {
    let mut out = vec![dir.to_owned()];
    if dir.is_dir() {
        for e in std::fs::read_dir(dir).unwrap() {
            out.extend(walk(&e.unwrap().path()));
        }
    }
    out
}

/// Runs `command` by `sh` at a terminal (script(1)) in `dir`, typing `answer(prompt)` at each
/// password prompt it shows; returns the exit status and the screen.
fn at_terminal(
    command: &str,
    dir: &std::path::Path,
    env: &[(&str, &std::ffi::OsStr)],
    answer: &dyn Fn(&str) -> Option<String>,
) -> (bool, String) {
    const PROMPTS: [&str; 4] = [
        "New vault password: ",
        "Again: ",
        "Vault password: ",
        "Password of the import file: ",
    ];
    let mut child = Command::new("script")
        .args(["-qfec", command, "/dev/null"])
        .current_dir(dir)
        .envs(env.iter().copied())
        .env_remove("OTPKIT_VAULT")
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .unwrap();
    let mut stdout = child.stdout.take().unwrap();
    let mut stdin = child.stdin.take().unwrap();
    let mut screen = Vec::new();
    let mut since = 0;
    let mut byte = [0u8; 1];
    while std::io::Read::read(&mut stdout, &mut byte).unwrap() == 1 {
        screen.push(byte[0]);
        let tail = String::from_utf8_lossy(&screen[since..]).into_owned();
        if let Some(prompt) = PROMPTS.iter().find(|p| tail.ends_with(*p)) {
            let line = answer(prompt).unwrap_or_else(|| panic!("unexpected prompt {prompt:?}"));
            // The prompt is written just before echo is turned off: give that a moment.
            std::thread::sleep(Duration::from_millis(300));
            stdin.write_all(format!("{line}\r").as_bytes()).unwrap();
            since = screen.len();
        }
    }
    drop(stdin);
    let ok = child.wait().unwrap().success();
    (ok, String::from_utf8(screen).unwrap())
}

/// vault/README.md's "Moving your accounts in" commands, run as written at a terminal (the
/// vault in the XDG default place, passwords typed at the prompts), on an Aegis export and an
/// encrypted 2FAS backup this test writes; `init` alone gets cheap test KDF parameters.
#[test]
fn the_readme_moving_in_commands_work_as_written() {
    if !common::have("script", "the README commands test") {
        return;
    }
    let readme = include_str!("../../vault/README.md");
    let start = readme.find("## Moving your accounts in").unwrap();
    let section = &readme[start..];
    let section = &section[..section[3..].find("\n## ").unwrap()];
    let commands: Vec<&str> = section
        .split("```sh\n")
        .skip(1)
        .flat_map(|block| block[..block.find("```").unwrap()].lines())
        .map(|l| l.split("  #").next().unwrap().trim())
        .filter(|l| !l.is_empty())
        .collect();
    assert_eq!(commands.len(), 7, "{commands:?}");

    // The user's files: an Aegis export (the vault's own Aegis writer, from another vault)
    // and a 2FAS backup encrypted with its own password.
    let home = tempfile::tempdir().unwrap();
    let source = Scratch::new();
    source.ok(&["add", "--uri", GITHUB]);
    source.ok(&["add", "--uri", GITLAB]);
    let aegis = home.path().join("aegis-export.json");
    source.ok(&[
        "export",
        "--format",
        "aegis",
        "--plain",
        "-o",
        aegis.to_str().unwrap(),
    ]);
    std::fs::write(
        home.path().join("2fas-backup-20240101.2fas"),
        twofas_encrypted("backup password"),
    )
    .unwrap();

    let bin_dir = std::path::Path::new(env!("CARGO_BIN_EXE_otpkit"))
        .parent()
        .unwrap();
    let path = format!(
        "{}:{}",
        bin_dir.display(),
        std::env::var("PATH").unwrap_or_default()
    );
    let data = home.path().join("data");
    let env = [
        ("PATH", std::ffi::OsStr::new(&path)),
        ("HOME", home.path().as_os_str()),
        ("XDG_DATA_HOME", data.as_os_str()),
    ];
    let answer = |prompt: &str| {
        Some(match prompt {
            "Password of the import file: " => "backup password".to_owned(),
            _ => "my vault password".to_owned(),
        })
    };
    let mut screens = Vec::new();
    for command in &commands {
        let run = if *command == "otpkit vault init" {
            "otpkit vault init --kdf-memory 64 --kdf-passes 1".to_owned()
        } else {
            (*command).to_owned()
        };
        let (ok, screen) = at_terminal(&run, home.path(), &env, &answer);
        assert!(ok, "$ {command}\n{screen}");
        assert!(!screen.contains("my vault password") && !screen.contains("backup password"));
        screens.push(screen);
    }
    let vault = data.join("otpkit/vault.otpkit");
    let accounts = Vault::open(&vault, &Password::new("my vault password".into())).unwrap();
    let labels: Vec<String> = accounts
        .accounts()
        .iter()
        .map(otpkit_vault::Account::label)
        .collect();
    assert_eq!(
        labels,
        ["GitHub:alice", "GitLab:alice", "Bank:alice", "Steam:frank"]
    );
    assert!(
        screens[1].contains("would add GitHub:alice (totp)"),
        "{}",
        screens[1]
    );
    assert!(screens[3].contains("GitHub:alice") && screens[3].contains("GitLab:alice"));
    // The codes printed are the accounts' codes now (or a step later, at a boundary).
    let now = || {
        std::time::SystemTime::now()
            .duration_since(std::time::UNIX_EPOCH)
            .unwrap()
            .as_secs()
    };
    for (screen, index) in [(&screens[4], 0), (&screens[6], 2)] {
        let totp = accounts.accounts()[index].credential.to_totp().unwrap();
        let t = now();
        let codes = [totp.generate(t - 30).unwrap(), totp.generate(t).unwrap()];
        let printed = screen.trim_end().lines().last().unwrap().trim().to_owned();
        assert!(
            codes.iter().any(|c| c.as_str() == printed),
            "{printed:?} in {screen:?}"
        );
    }
}
