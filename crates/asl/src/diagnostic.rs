//! Problems found in a definition before it runs, each located by a JSON pointer, worded as AWS
//! words them (`SCHEMA_VALIDATION_FAILED: These fields are required: [States] at /`).
//!
//! The engine never formats for display beyond [`Diagnostic::aws_message`]; front-ends choose
//! how to show the code, message and location.

use std::fmt;

/// AWS's diagnostic codes (ValidateStateMachineDefinition / InvalidDefinition).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
#[non_exhaustive]
pub enum DiagnosticCode {
    /// The text is not JSON.
    InvalidJsonDescription,
    /// A field is missing, unknown, of the wrong type or has an invalid value.
    SchemaValidationFailed,
    /// A `Next`, `Default` or `StartAt` names no state, or a state can never be reached.
    MissingTransitionTarget,
    /// No state ends the execution.
    NoTerminalState,
    /// The request itself is refused before the definition is read (it is too large).
    ValidationException,
    /// Valid in AWS, but this engine cannot run it yet. Not an AWS code: it says plainly that
    /// the gap is ours, never the user's.
    Unsupported,
}

impl DiagnosticCode {
    pub fn as_str(self) -> &'static str {
        match self {
            Self::InvalidJsonDescription => "INVALID_JSON_DESCRIPTION",
            Self::SchemaValidationFailed => "SCHEMA_VALIDATION_FAILED",
            Self::MissingTransitionTarget => "MISSING_TRANSITION_TARGET",
            Self::NoTerminalState => "NO_TERMINAL_STATE",
            Self::ValidationException => "ValidationException",
            Self::Unsupported => "UNSUPPORTED_BY_PLAYGROUND",
        }
    }
}

/// One problem in a definition.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Diagnostic {
    pub code: DiagnosticCode,
    /// AWS's wording, without the code or the location.
    pub message: String,
    /// A JSON pointer (RFC 6901) into the definition: `/`, `/States/Open Case/Next`.
    pub location: String,
    /// 1-based line and column in the source text, when the problem is a syntax error or the
    /// pointer could be mapped back to the text.
    pub line_col: Option<(usize, usize)>,
    /// For a problem inside a string value (a `{% … %}` expression that does not compile): the
    /// character of the string, as decoded, where it is, so that an editor can point inside
    /// the string ([`crate::locate::line_col_within`]).
    pub within: Option<usize>,
}

impl Diagnostic {
    pub fn new(
        code: DiagnosticCode,
        message: impl Into<String>,
        location: impl Into<String>,
    ) -> Self {
        Diagnostic {
            code,
            message: message.into(),
            location: location.into(),
            line_col: None,
            within: None,
        }
    }

    /// The same problem, at character `at` of the string value its pointer names.
    pub fn within(mut self, at: Option<usize>) -> Self {
        self.within = at;
        self
    }

    /// The message as AWS prints it in an `InvalidDefinition` error.
    pub fn aws_message(&self) -> String {
        format!(
            "{}: {} at {}",
            self.code.as_str(),
            self.message,
            self.location
        )
    }
}

impl fmt::Display for Diagnostic {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.aws_message())
    }
}

/// Builds JSON pointers while walking a definition.
pub(crate) fn pointer(parent: &str, token: &str) -> String {
    let escaped = token.replace('~', "~0").replace('/', "~1");
    if parent == "/" {
        format!("/{escaped}")
    } else {
        format!("{parent}/{escaped}")
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn aws_wording() {
        let d = Diagnostic::new(
            DiagnosticCode::SchemaValidationFailed,
            "These fields are required: [States]",
            "/",
        );
        assert_eq!(
            d.to_string(),
            "SCHEMA_VALIDATION_FAILED: These fields are required: [States] at /"
        );
    }

    #[test]
    fn pointers_escape_slashes_and_tildes() {
        assert_eq!(pointer("/", "States"), "/States");
        assert_eq!(pointer("/States", "a/b~c"), "/States/a~1b~0c");
    }
}
