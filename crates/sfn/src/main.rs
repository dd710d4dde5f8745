//! `sfn`: a thin command line over the `asl` engine.
//!
//! - `sfn validate DEFINITION.json`: every diagnostic, one per line, located.
//!
//! A definition file may be JSON or YAML, or a CloudFormation or SAM template whose state
//! machine is read from it (`definition.rs`, over the `import` crate).
//! - `sfn run --definition D.json [--input I.json | --input-json TEXT | --inputs I.ndjson] …`:
//!   one execution (or one per input line), its result as JSON on stdout.
//! - `sfn example tutorial`: the call-center tutorial's definition.
//! - `sfn export --definition D.json --out DIR [--single-stack]`: CloudFormation templates and
//!   the AWS CLI commands to deploy the definition.
//! - `sfn eval EXPR [--input F | --input-json J] [--bindings J] [--jsonpath]`: one JSONata
//!   expression (or AWS JSONPath) evaluated, its value as JSON (exit 1 on an error, whose
//!   stderr line starts with its code).
//! - `sfn test-state --definition STATE.json [--state NAME] [--input JSON] [--mock-result JSON |
//!   --mock-error E --mock-cause C] [--inspection-level DEBUG]`: one state run once, as AWS's
//!   TestState API (exit 1 for InvalidDefinition, 2 for a ValidationException).
//!
//! Each subcommand is a variant of [`Command`] with its own module, so another (`sfn export`)
//! is one variant and one module more.
//!
//! Exit codes: 0 when the command did its job (a run whose execution FAILED included), 1 when
//! the definition is invalid, 2 for usage, I/O and JSON errors. Errors go to stderr, one line
//! each, located by file (and line:column when known).
//!
//! Arguments are parsed by clap (derive): the subcommands, the option conflicts
//! (`--input`/`--input-json`/`--inputs`), the requirements (`--test-case` with
//! `--mock-config`), the enum values of `--work-on-case`, `--help` and the usage errors with
//! exit code 2 all come from the declarations below instead of hand-written parsing.

mod definition;
mod eval;
mod example;
mod export;
mod files;
mod run;
mod test_state;
mod validate;

use clap::{Parser, Subcommand};
use std::process::ExitCode;

#[derive(Debug, Parser)]
#[command(
    name = "sfn",
    version,
    about = "Validate and run AWS Step Functions state machines locally, deterministically",
    after_help = "Exit codes: 0 success (whatever the execution's status), 1 invalid definition, \
                  2 usage, I/O or JSON error.\nA file argument of '-' reads standard input."
)]
struct Cli {
    #[command(subcommand)]
    command: Command,
}

#[derive(Debug, Subcommand)]
enum Command {
    /// Check a definition: print every problem, one per line (exit 1), or "<file>: valid"
    Validate(validate::Args),
    /// Run a definition to its end and print the result as JSON
    Run(run::Args),
    /// Print an example definition: sfn example tutorial > tutorial.json
    Example(example::Args),
    /// Write CloudFormation templates and AWS CLI commands that deploy a definition
    Export(export::Args),
    /// Evaluate one JSONata expression (or, with --jsonpath, a path or intrinsic call)
    Eval(eval::Args),
    /// Test one state as AWS's TestState API does: its outcome, next state and data-flow stages
    TestState(test_state::Args),
}

/// Why a command stopped: the exit code and the lines for stderr.
#[derive(Debug)]
pub struct Failure {
    pub code: u8,
    pub lines: Vec<String>,
}

impl Failure {
    /// A usage, I/O or JSON error (exit 2).
    pub fn usage(line: impl Into<String>) -> Self {
        Failure {
            code: 2,
            lines: vec![line.into()],
        }
    }
}

fn main() -> ExitCode {
    let cli = Cli::parse();
    let result = match cli.command {
        Command::Validate(args) => validate::main(&args),
        Command::Run(args) => run::main(&args),
        Command::Example(args) => example::main(&args),
        Command::Export(args) => export::main(&args),
        Command::Eval(args) => eval::main(&args),
        Command::TestState(args) => test_state::main(&args),
    };
    match result {
        Ok(code) => code,
        Err(failure) => {
            for line in &failure.lines {
                eprintln!("{line}");
            }
            ExitCode::from(failure.code)
        }
    }
}
