//! `sfn test-state --definition FILE [--state NAME] [--input JSON|FILE|-] [--mock-result JSON |
//! --mock-error ERROR [--mock-cause CAUSE]] …`: AWS's TestState API — one state run once on an
//! input, its task's result mocked — and the response printed as TestState returns it:
//! `output`, `error`, `cause`, `nextState`, `status` and (at `--inspection-level DEBUG` or
//! `TRACE`) `inspectionData`, whose stages are JSON text as in the API.
//!
//! A request AWS refuses prints `InvalidDefinition: …` (exit 1) or `ValidationException: …`
//! (exit 2) in AWS's words, on stderr.

use crate::definition::Definition;
use crate::files::{self, Source};
use crate::Failure;
use asl::test_state::{test_state, MockSpec, TestStateError, TestStateRequest, TestStateResult};
use callcenter::{CallCenter, WorkOnCase};
use serde_json::{Map, Value};
use std::process::ExitCode;

#[derive(Debug, clap::Args)]
pub struct Args {
    /// The state to test (Amazon States Language, JSON or YAML), or with --state a whole
    /// definition (or a CloudFormation or SAM template); - for standard input
    #[arg(long, value_name = "FILE")]
    definition: String,

    /// The state of the whole definition to test (TestState's stateName)
    #[arg(long, value_name = "NAME")]
    state: Option<String>,

    /// The state's input: JSON text, a JSON file, or - for standard input [default: {}]
    #[arg(long, value_name = "JSON|FILE|-")]
    input: Option<String>,

    /// The task's result, mocked: JSON text (TestState's mock.result)
    #[arg(long, value_name = "JSON", conflicts_with = "mock_error")]
    mock_result: Option<String>,

    /// The error the task fails with, mocked (TestState's mock.errorOutput.error)
    #[arg(long, value_name = "ERROR")]
    mock_error: Option<String>,

    /// The cause of the mocked error (mock.errorOutput.cause)
    #[arg(long, value_name = "CAUSE", requires = "mock_error")]
    mock_cause: Option<String>,

    /// Retries already made by the retrier that matches the error
    /// (stateConfiguration.retrierRetryCount)
    #[arg(long, value_name = "N", default_value_t = 0)]
    retrier_retry_count: u64,

    /// The context object ($$) the state sees: JSON text, a JSON file, or -
    #[arg(long, value_name = "JSON|FILE|-")]
    context: Option<String>,

    /// The workflow variables the state sees, as a JSON object: JSON text, a JSON file, or -
    #[arg(long, value_name = "JSON|FILE|-")]
    variables: Option<String>,

    /// What the response shows: INFO the outcome; DEBUG and TRACE also every data-flow stage
    /// (inspectionData; TRACE's HTTP request and response are for HTTP tasks, which the
    /// playground does not call)
    #[arg(long, value_enum, value_name = "LEVEL", default_value_t = Level::Info, ignore_case = true)]
    inspection_level: Level,

    /// The role TestState would call the task's service with: an unmocked Task state needs one,
    /// and is then answered by the playground's built-in call-center functions
    #[arg(long, value_name = "ARN")]
    role_arn: Option<String>,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, clap::ValueEnum)]
enum Level {
    #[value(name = "INFO")]
    Info,
    #[value(name = "DEBUG")]
    Debug,
    #[value(name = "TRACE")]
    Trace,
}

pub fn main(args: &Args) -> Result<ExitCode, Failure> {
    crate::files::one_from_stdin(&[
        ("--definition", Some(&args.definition)),
        ("--input", args.input.as_ref()),
        ("--context", args.context.as_ref()),
        ("--variables", args.variables.as_ref()),
    ])?;
    let request = request(args)?;
    let mut tasks = CallCenter {
        work_on_case: WorkOnCase::Random,
    };
    match test_state(&request, &mut tasks) {
        Ok(result) => {
            let response = response(&result, args.inspection_level != Level::Info);
            files::print(&serde_json::to_string_pretty(&response).unwrap_or_default())?;
            Ok(ExitCode::SUCCESS)
        }
        Err(e) => Err(Failure {
            code: match e {
                TestStateError::InvalidDefinition(_) => 1,
                TestStateError::Validation(_) => 2,
            },
            lines: vec![format!("{}: {}", e.code(), e.message())],
        }),
    }
}

/// The TestState request the options make.
fn request(args: &Args) -> Result<TestStateRequest, Failure> {
    let source = Source::new(&args.definition);
    let read = Definition::read(&source.name(), source.read()?, None)?;
    for note in read.notes() {
        eprintln!("{note}");
    }
    let definition = files::parse_json(read.json(), &source.name(), 1).map_err(|line| Failure {
        code: 1,
        lines: vec![line],
    })?;
    if args.state.is_none() {
        if let Some(Value::Object(states)) = definition.get("States") {
            let names: Vec<&str> = states.keys().map(String::as_str).collect();
            return Err(Failure::usage(format!(
                "{}: a whole definition: choose the state to test with --state ({})",
                source.name(),
                names.join(", ")
            )));
        }
    }
    let input = match &args.input {
        Some(value) => json_argument("--input", value)?,
        None => Value::Object(Map::new()),
    };
    let mock = match (&args.mock_result, &args.mock_error) {
        (Some(result), _) => Some(MockSpec {
            result: Some(result.clone()),
            error_output: None,
        }),
        (None, Some(error)) => Some(MockSpec {
            result: None,
            error_output: Some((error.clone(), args.mock_cause.clone().unwrap_or_default())),
        }),
        (None, None) => None,
    };
    let context = args
        .context
        .as_deref()
        .map(|v| json_argument("--context", v))
        .transpose()?;
    let variables = match args.variables.as_deref() {
        None => None,
        Some(v) => match json_argument("--variables", v)? {
            object @ Value::Object(_) => Some(object),
            _ => return Err(Failure::usage("--variables: expected a JSON object")),
        },
    };
    Ok(TestStateRequest {
        definition,
        state_name: args.state.clone(),
        input,
        mock,
        context,
        retrier_retry_count: args.retrier_retry_count,
        role_arn: args.role_arn.is_some(),
        reveal_secrets: false,
        variables,
        map_iteration_failure_count: None,
    })
}

/// A JSON option's value: `-` is standard input; JSON text is taken as it is; anything else
/// names a file. Errors are located: `--input:1:9: invalid JSON: …`, `in.json:2:3: …`.
fn json_argument(option: &str, value: &str) -> Result<Value, Failure> {
    let source = Source::new(value);
    if source.is_stdin() {
        return files::parse_json(&source.read()?, &source.name(), 1).map_err(Failure::usage);
    }
    if let Ok(parsed) = serde_json::from_str(value) {
        return Ok(parsed);
    }
    // Text that starts as JSON does is JSON with a mistake, not a file name.
    if !std::path::Path::new(value).is_file() && value.trim_start().starts_with(['{', '[', '"']) {
        return files::parse_json(value, option, 1).map_err(Failure::usage);
    }
    files::parse_json(&source.read()?, &source.name(), 1).map_err(Failure::usage)
}

/// The response as TestState returns it: the output and the data-flow stages are JSON text.
fn response(result: &TestStateResult, inspect: bool) -> Value {
    let mut out = Map::new();
    if let Some(output) = &result.output {
        out.insert("output".into(), Value::String(output.to_string()));
    }
    if let Some(error) = &result.error {
        out.insert("error".into(), error.clone().into());
    }
    if let Some(cause) = &result.cause {
        out.insert("cause".into(), cause.clone().into());
    }
    if inspect {
        let data = match result.inspection.to_aws_json() {
            Value::Object(stages) => stages
                .into_iter()
                .map(|(key, value)| match key.as_str() {
                    // Numbers and objects in the API; every other member is JSON text.
                    "maxConcurrency"
                    | "toleratedFailureCount"
                    | "toleratedFailurePercentage"
                    | "errorDetails" => (key, value),
                    _ => (key, Value::String(value.to_string())),
                })
                .collect(),
            _ => Map::new(),
        };
        out.insert("inspectionData".into(), Value::Object(data));
    }
    if let Some(next) = &result.next_state {
        out.insert("nextState".into(), next.clone().into());
    }
    out.insert("status".into(), result.status.as_str().into());
    Value::Object(out)
}
