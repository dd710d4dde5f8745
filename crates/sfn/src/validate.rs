//! `sfn validate DEFINITION.json`: parses and checks a definition, and prints every problem,
//! one per line, or `<file>: valid`. The file may also be a YAML definition, or a
//! CloudFormation or SAM template (`--state-machine` picks one of its state machines).

use crate::definition::Definition;
use crate::files::{self, Source};
use crate::Failure;
use asl::Diagnostic;
use std::process::ExitCode;

#[derive(Debug, clap::Args)]
pub struct Args {
    /// The definition (Amazon States Language, JSON or YAML), or a CloudFormation or SAM
    /// template; - for standard input
    #[arg(value_name = "DEFINITION.json")]
    definition: String,

    /// The template's state machine to check (logical ID or name), when it has several
    #[arg(long, value_name = "NAME")]
    state_machine: Option<String>,
}

pub fn main(args: &Args) -> Result<ExitCode, Failure> {
    let source = Source::new(&args.definition);
    let definition = Definition::read(
        &source.name(),
        source.read()?,
        args.state_machine.as_deref(),
    )?;
    if args.state_machine.is_some() && !definition.is_template() {
        return Err(Failure::usage(format!(
            "{}: --state-machine picks a state machine of a template, but this is a definition",
            source.name()
        )));
    }
    for note in definition.notes() {
        eprintln!("{note}");
    }
    match definition.load() {
        Ok(_) => {
            let what = match definition.imported.extracted() {
                Some(e) => format!("{}: {}", &source.name(), e.machine),
                None => source.name().to_string(),
            };
            files::print(&format!("{what}: valid"))?;
            Ok(ExitCode::SUCCESS)
        }
        Err(lines) => {
            for line in &lines {
                files::print(line)?;
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
