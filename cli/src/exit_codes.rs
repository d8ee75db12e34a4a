//! The exit status of every command. Scripts depend on these numbers: keep them.

/// How a command ended.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) enum ExitCode {
    /// 0: the command did what was asked.
    Success,
    /// 1: an error; one line on standard error says what to fix.
    GeneralError,
    /// 2: `verify` found no matching code in the window, or `new --confirm` refused the code.
    NoMatch,
}

impl From<ExitCode> for std::process::ExitCode {
    fn from(code: ExitCode) -> Self {
        match code {
            ExitCode::Success => Self::SUCCESS,
            ExitCode::GeneralError => Self::from(1),
            ExitCode::NoMatch => Self::from(2),
        }
    }
}
