//! Error names as AWS spells them (`States.Runtime`, `States.NoChoiceMatched`, …) and the
//! failure a state raises: an error name with a cause.
//!
//! Control flow (where the execution goes next) is kept apart from errors: a [`Failure`] is
//! data that the execution records and, later, that Retry and Catch match.

/// The predefined `States.*` error names, plus any name a task or a Fail state raises.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
#[non_exhaustive]
pub enum ErrorName {
    All,
    HeartbeatTimeout,
    Timeout,
    TaskFailed,
    Permissions,
    ResultPathMatchFailure,
    ParameterPathFailure,
    BranchFailed,
    NoChoiceMatched,
    IntrinsicFailure,
    ExceedToleratedFailureThreshold,
    ItemReaderFailed,
    ResultWriterFailed,
    QueryEvaluationError,
    DataLimitExceeded,
    Runtime,
    /// A name raised by user code (a Lambda's errorType, a Fail state's Error).
    Custom(String),
}

impl ErrorName {
    pub fn as_str(&self) -> &str {
        match self {
            Self::All => "States.ALL",
            Self::HeartbeatTimeout => "States.HeartbeatTimeout",
            Self::Timeout => "States.Timeout",
            Self::TaskFailed => "States.TaskFailed",
            Self::Permissions => "States.Permissions",
            Self::ResultPathMatchFailure => "States.ResultPathMatchFailure",
            Self::ParameterPathFailure => "States.ParameterPathFailure",
            Self::BranchFailed => "States.BranchFailed",
            Self::NoChoiceMatched => "States.NoChoiceMatched",
            Self::IntrinsicFailure => "States.IntrinsicFailure",
            Self::ExceedToleratedFailureThreshold => "States.ExceedToleratedFailureThreshold",
            Self::ItemReaderFailed => "States.ItemReaderFailed",
            Self::ResultWriterFailed => "States.ResultWriterFailed",
            Self::QueryEvaluationError => "States.QueryEvaluationError",
            Self::DataLimitExceeded => "States.DataLimitExceeded",
            Self::Runtime => "States.Runtime",
            Self::Custom(name) => name,
        }
    }

    /// Parses an AWS spelling; anything that is not a predefined name is `Custom`.
    pub fn parse(name: &str) -> Self {
        const PREDEFINED: [ErrorName; 16] = [
            ErrorName::All,
            ErrorName::HeartbeatTimeout,
            ErrorName::Timeout,
            ErrorName::TaskFailed,
            ErrorName::Permissions,
            ErrorName::ResultPathMatchFailure,
            ErrorName::ParameterPathFailure,
            ErrorName::BranchFailed,
            ErrorName::NoChoiceMatched,
            ErrorName::IntrinsicFailure,
            ErrorName::ExceedToleratedFailureThreshold,
            ErrorName::ItemReaderFailed,
            ErrorName::ResultWriterFailed,
            ErrorName::QueryEvaluationError,
            ErrorName::DataLimitExceeded,
            ErrorName::Runtime,
        ];
        PREDEFINED
            .into_iter()
            .find(|e| e.as_str() == name)
            .unwrap_or_else(|| ErrorName::Custom(name.to_string()))
    }
}

/// An error raised while running a state: what a Fail state, a failed task or a runtime
/// problem (a path that matches nothing, no Choice rule matching) produces.
///
/// Both parts are optional because a Fail state may leave out `Error` or `Cause`, and AWS then
/// leaves them out of the ExecutionFailed event too.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Failure {
    pub error: Option<ErrorName>,
    pub cause: Option<String>,
}

impl Failure {
    pub fn new(error: ErrorName, cause: impl Into<String>) -> Self {
        Failure {
            error: Some(error),
            cause: Some(cause.into()),
        }
    }

    pub fn error_str(&self) -> Option<&str> {
        self.error.as_ref().map(ErrorName::as_str)
    }

    pub fn cause_str(&self) -> Option<&str> {
        self.cause.as_deref()
    }

    /// A runtime failure in a state, worded as AWS words it:
    /// "An error occurred while executing the state 'X' (entered at the event id #2). <detail>".
    pub fn in_state(error: ErrorName, state: &str, entered_event_id: u64, detail: &str) -> Self {
        Failure::new(
            error,
            format!("An error occurred while executing the state '{state}' (entered at the event id #{entered_event_id}). {detail}"),
        )
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn names_round_trip() {
        for name in [
            "States.ALL",
            "States.Runtime",
            "States.NoChoiceMatched",
            "States.DataLimitExceeded",
        ] {
            assert_eq!(ErrorName::parse(name).as_str(), name);
        }
        assert_eq!(
            ErrorName::parse("TypeError"),
            ErrorName::Custom("TypeError".into())
        );
    }
}
