//! `sfn validate DEFINITION.json`: parses and checks a definition, and prints every problem,
//! one per line, or `<file>: valid`.

use crate::files::{self, Source};
use crate::Failure;
use asl::Diagnostic;
use std::process::ExitCode;

#[derive(Debug, clap::Args)]
pub struct Args {
    /// The definition (Amazon States Language JSON), or - for standard input
    #[arg(value_name = "DEFINITION.json")]
    definition: String,
}

pub fn main(args: &Args) -> Result<ExitCode, Failure> {
    let source = Source::new(&args.definition);
    let text = source.read()?;
    match asl::load(&text) {
        Ok(_) => {
            files::print(&format!("{}: valid", source.name()))?;
            Ok(ExitCode::SUCCESS)
        }
        Err(diagnostics) => {
            for d in &diagnostics {
                files::print(&located(source.name(), d))?;
            }
            Ok(ExitCode::from(1))
        }
    }
}

/// One diagnostic on one line: `<file>:<line>:<col>: <CODE>: <message>` when it has a place in
/// the text (a syntax error), `<file>: <CODE>: <message> at <pointer>` otherwise.
pub fn located(file: &str, d: &Diagnostic) -> String {
    let code = d.code.as_str();
    match d.line_col {
        Some((line, col)) => {
            // A syntax error's message and location both repeat the line and column
            // (`expected value at line 3 column 5` at `line 3, column 5`): say them once.
            let repeated = format!(" at line {line} column {col}");
            let message = d.message.strip_suffix(&repeated).unwrap_or(&d.message);
            if d.location.starts_with('/') {
                format!("{file}:{line}:{col}: {code}: {message} at {}", d.location)
            } else {
                format!("{file}:{line}:{col}: {code}: {message}")
            }
        }
        None => format!("{file}: {code}: {} at {}", d.message, d.location),
    }
}
