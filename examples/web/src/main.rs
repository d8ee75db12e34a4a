//! otpkit-web: a portal that makes two-step verification mandatory, the service side of
//! otpkit for real. Sign up or in with a password; an account without a second factor must set
//! one up (password again, QR code and key, the first code, recovery codes shown once); from
//! then on every sign-in asks for a code from the app, or a recovery code.
//!
//! `cargo run -p otpkit-web` serves it on <http://localhost:8080> with a SQLite database in
//! the current directory; `--database postgres://…` puts it on PostgreSQL, where several
//! instances can serve one user base. README.md says the rest.

mod app;
mod clock;
mod csrf;
mod db;
mod factor;
mod keys;
mod page;
mod pages;
mod password;
mod session;
mod views;

use core::net::SocketAddr;
use std::path::PathBuf;
use std::sync::Arc;

use anyhow::{Context, bail};
use clap::Parser;
use otpkit::verifier::{Policy, Throttle};

use crate::app::{App, Inner};
use crate::clock::Clock;

/// A web portal that requires two-step verification (TOTP), built on otpkit.
#[derive(Parser, Debug)]
#[command(version)]
struct Args {
    /// The loopback address and port to serve on (port 0: any free port, printed at start).
    #[arg(long, default_value = "127.0.0.1:8080")]
    listen: SocketAddr,
    /// A SQLite file, or a PostgreSQL URL (postgres://user:password@host/database).
    #[arg(long, default_value = "otpkit-web.db")]
    database: String,
    /// The file holding the service key (64 hex digits). Default: OTPKIT_WEB_KEY, or for
    /// SQLite `otpkit-web.key` beside the database, made on first start.
    #[arg(long)]
    key_file: Option<PathBuf>,
    /// The name authenticator apps show for the account.
    #[arg(long, default_value = "Example Portal")]
    issuer: String,
    /// Wrong codes allowed before sign-in waits (30 s, doubling to an hour).
    #[arg(long, default_value_t = Throttle::default().free_failures())]
    free_failures: u32,
    /// Tests only: read the time (unix seconds) from this file instead of the system clock.
    #[arg(long, hide = true)]
    clock_file: Option<PathBuf>,
}

#[tokio::main]
async fn main() -> std::process::ExitCode {
    match run(Args::parse()).await {
        Ok(()) => std::process::ExitCode::SUCCESS,
        Err(e) => {
            eprintln!("otpkit-web: {e:#}");
            std::process::ExitCode::FAILURE
        }
    }
}

async fn run(args: Args) -> anyhow::Result<()> {
    if !args.listen.ip().is_loopback() {
        bail!(
            "{} is not a loopback address: this portal speaks plain HTTP, so it listens on \
             127.0.0.1 or ::1 only; put a TLS proxy in front of it to serve others",
            args.listen
        );
    }
    let is_sqlite = !db::is_postgres(&args.database);
    let env_key = std::env::var("OTPKIT_WEB_KEY").ok();
    let default_key = is_sqlite.then(|| {
        let db = PathBuf::from(&args.database);
        db.with_file_name("otpkit-web.key")
    });
    let keys = keys::Keys::load(
        env_key.as_deref(),
        args.key_file.as_deref(),
        default_key.as_deref(),
    )?;
    let db = db::Db::open(&args.database)
        .await
        .with_context(|| format!("opening the database {}", redact(&args.database)))?;
    let base = Throttle::default();
    let policy = Policy::default().with_throttle(Throttle::new(
        args.free_failures,
        base.delay(),
        base.max_delay(),
    ));
    let clock = match args.clock_file {
        Some(path) => Clock::File(Arc::new(path)),
        None => Clock::System,
    };
    clock.now().context("reading the clock")?;
    let dummy_hash = password::hash(zeroize::Zeroizing::new("not a password".to_owned())).await?;
    let app = App::new(Inner {
        db,
        keys,
        clock,
        policy,
        issuer: args.issuer,
        dummy_hash,
        secure_cookie: true,
    });
    // Expired sessions and pending enrolments are deleted at start and every ten minutes.
    sweep(&app).await.context("deleting expired sessions")?;
    let sweeper = app.clone();
    tokio::spawn(async move {
        let period = core::time::Duration::from_secs(600);
        let mut every = tokio::time::interval_at(tokio::time::Instant::now() + period, period);
        loop {
            every.tick().await;
            if let Err(e) = sweep(&sweeper).await {
                eprintln!("otpkit-web: deleting expired sessions: {e:#}");
            }
        }
    });
    let listener = tokio::net::TcpListener::bind(args.listen)
        .await
        .with_context(|| format!("listening on {}", args.listen))?;
    let local = listener.local_addr()?;
    println!(
        "otpkit-web listening on http://{local} ({})",
        redact(&args.database)
    );
    axum::serve(listener, app.router())
        .with_graceful_shutdown(async {
            let _ = tokio::signal::ctrl_c().await;
        })
        .await?;
    Ok(())
}

/// One pass of deleting expired rows.
async fn sweep(app: &App) -> anyhow::Result<u64> {
    let sessions_now = time::OffsetDateTime::now_utc().unix_timestamp();
    let now = i64::try_from(app.now()?)?;
    app.db.sweep(sessions_now, now).await
}

/// A database URL without its password, for messages.
fn redact(url: &str) -> String {
    let Some((scheme, rest)) = url.split_once("://") else {
        return url.to_owned();
    };
    match rest.rsplit_once('@') {
        Some((userinfo, host)) => {
            let user = userinfo.split(':').next().unwrap_or("");
            format!("{scheme}://{user}:…@{host}")
        }
        None => url.to_owned(),
    }
}
