//! The Amazon States Language engine: AWS Step Functions' language, run deterministically.
//!
//! The pipeline, in order:
//!
//! 1. **Parse** ([`parse()`]): JSON text → a typed [`StateMachine`]. Every schema problem is
//!    collected as a [`Diagnostic`] located by a JSON pointer, worded as AWS words it. Each
//!    state is JSONPath or JSONata (`QueryLanguage`, the machine's or its own: a JSONPath
//!    machine may hold JSONata states, not the reverse); a field of the other language is
//!    reported where it is. Every expression (paths, intrinsic calls, templates, Choice
//!    rules, JSONata's `{% … %}`) is compiled here by [`query`], so a run parses nothing.
//! 2. **Validate** ([`validate::check`]): graph problems — transitions to missing states,
//!    unreachable states, no way to end. [`load`] runs 1 and 2 together.
//! 3. **Execute** ([`Execution`]): one history event per [`Execution::step`], on a
//!    [`clock::VirtualClock`], with randomness from a seeded generator and task results from a
//!    [`TaskHandler`] the caller provides. Every state's data flows through one seam,
//!    [`dataflow::Io`] — JSONPath: InputPath → Parameters → result → ResultSelector →
//!    ResultPath → OutputPath; JSONata: Arguments → result → Output, reading `$states`
//!    ([`jsonata`]) — for the execution and for [`test_state`] alike, as shared [`Payload`]s
//!    that are never deep-copied from state to state; expressions read the context object
//!    (`$$`, `$states.context`) and the workflow variables (`Assign`) through
//!    [`query::context`], which builds `$$` only when read. Choice rules go through
//!    [`choice`] (a JSONata `Condition` through the state's own scope); failures are
//!    [`Failure`]s with AWS's error names ([`ErrorName`]), a failed JSONata expression
//!    `States.QueryEvaluationError` after an `EvaluationFailed` event.
//!    A Distributed Map runs its iterations as child executions, one child state per step,
//!    keeping only their results; its `ItemReader` asks the same [`TaskHandler`] for an S3
//!    object's content (mocked with [`mock`]) and [`item_reader`] reads it into items as AWS
//!    does (CSV, JSON, JSON Lines, listObjectsV2).
//! 4. **Observe**: the [`HistoryEvent`]s, in GetExecutionHistory's shape
//!    ([`HistoryEvent::to_aws_json`]).
//!
//! The crate does no I/O and has no web dependency: it runs the same natively, in the CLI and
//! in the browser (wasm32).
//!
//! ```
//! use asl::{load, Execution, ExecutionConfig, NoTasks, Status};
//! use std::sync::Arc;
//!
//! let machine = load(r#"{"StartAt": "Hello", "States": {"Hello": {"Type": "Pass", "Result": "world", "End": true}}}"#).unwrap();
//! let mut run = Execution::new(Arc::new(machine), serde_json::json!({}), ExecutionConfig::default());
//! run.run_to_end(&mut NoTasks);
//! assert_eq!(run.status(), Status::Succeeded);
//! assert_eq!(run.output(), Some(&serde_json::json!("world")));
//! ```

pub mod clock;
pub mod dataflow;
pub mod diagnostic;
pub mod error;
pub mod execution;
pub mod history;
pub mod item_reader;
pub mod limits;
pub mod locate;
pub mod mock;
pub mod model;
pub mod parse;
pub mod query;
pub mod task;
pub mod validate;

// The query language's parts keep their short paths (`asl::jsonpath`, `asl::intrinsics` …).
use query::java;
pub use query::{choice, expression, intrinsics, jsonata, jsonpath, path, template};

pub use diagnostic::{Diagnostic, DiagnosticCode};
pub use error::{ErrorName, Failure};
pub use execution::{test_state, Execution, ExecutionConfig, RedriveError, Stages, Status};
pub use history::{EventDetails, HistoryEvent, Payload};
pub use model::{StateKind, StateMachine, StateType};
pub use parse::parse;
pub use task::{NoTasks, TaskHandler, TaskOutcome, TaskRequest};
pub use validate::MachineType;

/// Parses and validates a definition: the machine, or every problem found.
pub fn load(text: &str) -> Result<StateMachine, Vec<Diagnostic>> {
    load_as(text, MachineType::Standard)
}

/// [`load`] for a Standard or an Express machine (Express accepts fewer Task resources).
pub fn load_as(text: &str, machine_type: MachineType) -> Result<StateMachine, Vec<Diagnostic>> {
    let machine = parse(text)?;
    let mut problems = validate::check(&machine);
    problems.extend(validate::check_resources(&machine));
    if machine_type == MachineType::Express {
        problems.extend(validate::check_express(&machine));
    }
    if problems.is_empty() {
        Ok(machine)
    } else {
        Err(problems)
    }
}
