//! `sfn run`: runs a definition to its end and prints the result as one JSON object:
//! `{"status":"SUCCEEDED","output":…}` or `{"status":"FAILED","error":…,"cause":…}`, with
//! `"history":[…]` (GetExecutionHistory's events) on request. `--redrive N` redrives an
//! unsuccessful run up to N times.
//!
//! Tasks are answered by the mocks of a test case, when given, and otherwise by the
//! call-center tutorial's functions built into the playground.

use crate::definition::Definition;
use crate::files::{self, Out, Source};
use crate::Failure;
use asl::mock::MockConfig;
use asl::{Execution, ExecutionConfig, StateMachine, Status, TaskHandler};
use callcenter::{CallCenter, WorkOnCase};
use serde_json::{Map, Value};
use std::process::ExitCode;
use std::sync::Arc;

#[derive(Debug, clap::Args)]
pub struct Args {
    /// The definition (Amazon States Language, JSON or YAML), or a CloudFormation or SAM
    /// template; - for standard input
    #[arg(
        long,
        value_name = "FILE",
        required_unless_present = "example",
        conflicts_with = "example"
    )]
    definition: Option<String>,

    /// Run one of the playground's examples (`sfn example --list`): its definition, its input
    /// unless one is given, and its mocks unless --mock-config is given
    #[arg(long, value_name = "NAME")]
    example: Option<String>,

    /// The execution's input: a JSON file, or - for standard input [default: {}]
    #[arg(long, value_name = "FILE", conflicts_with_all = ["input_json", "inputs"])]
    input: Option<String>,

    /// The execution's input as JSON text, e.g. '{"inputCaseID":"001"}'
    #[arg(long, value_name = "JSON", conflicts_with = "inputs")]
    input_json: Option<String>,

    /// A batch: one execution per non-empty line of this NDJSON file (or -), one compact
    /// result line each; the i-th execution (from 0) runs with seed SEED + i
    #[arg(long, value_name = "FILE")]
    inputs: Option<String>,

    /// Mocked task results, in Step Functions Local's MockConfigFile.json format
    #[arg(long, value_name = "FILE", requires = "test_case")]
    mock_config: Option<String>,

    /// The mock config's test case to run
    #[arg(long, value_name = "NAME", requires = "mock_config")]
    test_case: Option<String>,

    /// The template's state machine to run (logical ID or name), when --definition is a
    /// CloudFormation or SAM template with several; the mock config's state machine [default:
    /// the only one in the file], also the execution's state machine name
    #[arg(long, value_name = "NAME")]
    state_machine: Option<String>,

    /// Seeds every random draw of the execution (the same seed gives the same run)
    #[arg(long, value_name = "N", default_value_t = 0)]
    seed: u64,

    /// What the tutorial's WorkOnCase function decides
    #[arg(long, value_enum, value_name = "MODE", default_value_t = WorkOnCaseArg::Random)]
    work_on_case: WorkOnCaseArg,

    /// Add the execution's events, as GetExecutionHistory returns them
    #[arg(long)]
    history: bool,

    /// After an unsuccessful run, redrive it (as RedriveExecution: from the state that
    /// failed, in the same history) up to N times, until it succeeds; the result then says
    /// how often (`redriveCount`)
    #[arg(long, value_name = "N", default_value_t = 0)]
    redrive: u32,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, clap::ValueEnum)]
enum WorkOnCaseArg {
    /// As the tutorial: Math.random() (seeded) decides
    Random,
    /// The case is always resolved
    Resolved,
    /// The case is never resolved (escalated to tier 2)
    Unresolved,
}

impl From<WorkOnCaseArg> for WorkOnCase {
    fn from(arg: WorkOnCaseArg) -> Self {
        match arg {
            WorkOnCaseArg::Random => WorkOnCase::Random,
            WorkOnCaseArg::Resolved => WorkOnCase::Resolved,
            WorkOnCaseArg::Unresolved => WorkOnCase::Unresolved,
        }
    }
}

/// The mocks chosen on the command line: a checked config, and which test case to run.
struct Mocks {
    config: MockConfig,
    state_machine: String,
    test_case: String,
}

pub fn main(args: &Args) -> Result<ExitCode, Failure> {
    crate::files::one_from_stdin(&[
        ("--definition", args.definition.as_ref()),
        ("--input", args.input.as_ref()),
        ("--inputs", args.inputs.as_ref()),
        ("--mock-config", args.mock_config.as_ref()),
    ])?;

    let example = args
        .example
        .as_deref()
        .map(crate::example::find)
        .transpose()?;
    let (name, text) = crate::example::definition_text(args.definition.as_ref(), example)?;
    let definition = Definition::read(&name, text, args.state_machine.as_deref())?;
    if args.state_machine.is_some() && !definition.is_template() && args.mock_config.is_none() {
        return Err(Failure::usage(format!(
            "sfn: --state-machine picks a template's state machine or a mock config's, but {name} is a definition and no --mock-config is given"
        )));
    }
    for note in definition.notes() {
        eprintln!("{note}");
    }
    let machine = Arc::new(
        definition
            .load()
            .map_err(|lines| Failure { code: 1, lines })?,
    );
    let mocks = match (
        &args.mock_config,
        &args.test_case,
        example.and_then(|e| e.mocks.as_ref()),
    ) {
        (Some(path), Some(test_case), _) => {
            let source = Source::new(path);
            Some(mocks(
                &source.name(),
                &source.read()?,
                args.state_machine.as_deref(),
                test_case,
            )?)
        }
        (None, _, Some(m)) => Some(mocks(
            "the example's mocks",
            m.config,
            Some(m.state_machine),
            m.test_case,
        )?),
        _ => None,
    };
    let given_input = args.input.is_some() || args.input_json.is_some() || args.inputs.is_some();
    let inputs = match example {
        Some(example) if !given_input => {
            vec![files::parse_json(example.input, "the example's input", 1)
                .map_err(Failure::usage)?]
        }
        _ => inputs(args)?,
    };

    let mut config = ExecutionConfig::default();
    if let Some(mocks) = &mocks {
        config.state_machine_name = mocks.state_machine.clone();
    }
    let batch = args.inputs.is_some();
    let mut out = Out::new();
    for (i, input) in inputs.into_iter().enumerate() {
        let config = ExecutionConfig {
            seed: args.seed.wrapping_add(i as u64),
            ..config.clone()
        };
        let run = execute(
            &machine,
            input,
            config,
            mocks.as_ref(),
            args.work_on_case,
            args.redrive,
        );
        let result = result(&run, args.history);
        let text = if batch {
            serde_json::to_string(&result)
        } else {
            serde_json::to_string_pretty(&result)
        };
        // Serializing a Value cannot fail.
        out.line(&text.unwrap_or_default())?;
    }
    out.finish()?;
    Ok(ExitCode::SUCCESS)
}

fn mocks(
    name: &str,
    text: &str,
    state_machine: Option<&str>,
    test_case: &str,
) -> Result<Mocks, Failure> {
    let config = MockConfig::parse(text).map_err(|errors| Failure {
        code: 2,
        lines: errors
            .iter()
            .map(|e| {
                // `4:1: invalid JSON: …` joins the name as `file:4:1`; a path as `file: path`.
                if e.starts_with(|c: char| c.is_ascii_digit()) {
                    format!("{name}:{e}")
                } else {
                    format!("{name}: {e}")
                }
            })
            .collect(),
    })?;
    let state_machine = match state_machine {
        Some(chosen) => chosen.to_string(),
        None => {
            let all: Vec<&str> = config.state_machines().collect();
            match all.as_slice() {
                [only] => only.to_string(),
                [] => return Err(Failure::usage(format!("{name}: no state machine in the mock config"))),
                several => {
                    return Err(Failure::usage(format!(
                        "{name}: the mock config has several state machines ({}): choose one with --state-machine",
                        several.join(", ")
                    )))
                }
            }
        }
    };
    // Checks the names now, before anything runs.
    config
        .test_case(&state_machine, test_case)
        .map_err(|e| Failure::usage(format!("{name}: {e}")))?;
    Ok(Mocks {
        config,
        state_machine,
        test_case: test_case.to_string(),
    })
}

/// The executions' inputs: one, or one per non-empty line of `--inputs`.
fn inputs(args: &Args) -> Result<Vec<Value>, Failure> {
    if let Some(path) = &args.inputs {
        let source = Source::new(path);
        let text = source.read()?;
        let mut inputs = Vec::new();
        let mut errors = Vec::new();
        for (i, line) in text.lines().enumerate() {
            if line.trim().is_empty() {
                continue;
            }
            let parsed = asl::limits::check_execution_input(line)
                .map_err(|why| format!("{}:{}: {why}", &source.name(), i + 1))
                .and_then(|()| files::parse_json(line, &source.name(), i + 1));
            match parsed {
                Ok(value) => inputs.push(value),
                Err(e) => errors.push(e),
            }
        }
        return if errors.is_empty() {
            Ok(inputs)
        } else {
            Err(Failure {
                code: 2,
                lines: errors,
            })
        };
    }
    // StartExecution refuses an input over AWS's size limit before anything runs.
    let checked = |text: &str, name: &str| {
        asl::limits::check_execution_input(text)
            .map_err(|why| format!("{name}: {why}"))
            .and_then(|()| files::parse_json(text, name, 1))
    };
    let input = match (&args.input, &args.input_json) {
        (Some(path), _) => {
            let source = Source::new(path);
            checked(&source.read()?, &source.name())
        }
        (None, Some(text)) => checked(text, "--input-json"),
        (None, None) => Ok(Value::Object(Map::new())),
    };
    input.map(|v| vec![v]).map_err(Failure::usage)
}

fn execute(
    machine: &Arc<StateMachine>,
    input: Value,
    config: ExecutionConfig,
    mocks: Option<&Mocks>,
    work_on_case: WorkOnCaseArg,
    redrives: u32,
) -> Execution {
    let builtin = CallCenter {
        work_on_case: work_on_case.into(),
    };
    // Each execution gets its own mock handler: it counts invocations per state.
    let mut tasks: Box<dyn TaskHandler> = match mocks {
        Some(m) => match m.config.test_case(&m.state_machine, &m.test_case) {
            Ok(tasks) => Box::new(tasks.with_fallback(Box::new(builtin))),
            // Checked when the mocks were read.
            Err(_) => Box::new(builtin),
        },
        None => Box::new(builtin),
    };
    let mut run = Execution::new(machine.clone(), input, config);
    run.run_to_end(&mut *tasks);
    // The same task handler goes on answering: a mock's invocations keep counting.
    for _ in 0..redrives {
        if run.redrive().is_err() {
            break;
        }
        run.run_to_end(&mut *tasks);
    }
    run
}

/// `{"status", "output"}` or `{"status", "error", "cause"}`, and `"history"` when asked for.
fn result(run: &Execution, history: bool) -> Value {
    let mut result = Map::new();
    result.insert("status".into(), run.status().as_str().into());
    if run.redrive_count() > 0 {
        result.insert("redriveCount".into(), run.redrive_count().into());
    }
    match run.status() {
        Status::Succeeded => {
            let output = run.output().cloned().unwrap_or(Value::Null);
            result.insert("output".into(), output);
        }
        Status::Failed | Status::TimedOut => {
            if let Some(failure) = run.failure() {
                if let Some(error) = failure.error_str() {
                    result.insert("error".into(), error.into());
                }
                if let Some(cause) = failure.cause_str() {
                    result.insert("cause".into(), cause.into());
                }
            }
        }
        // Still running (never, after run_to_end): the status alone.
        _ => {}
    }
    if history {
        let events = run.history().iter().map(|e| e.to_aws_json()).collect();
        result.insert("history".into(), Value::Array(events));
    }
    Value::Object(result)
}
