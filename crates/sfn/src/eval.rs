//! `sfn eval EXPR [--input FILE | --input-json JSON] [--bindings JSON] [--jsonpath]`: evaluates
//! one expression as a state's field would, and prints its value as JSON.
//!
//! JSONata by default: the whole language (JSONata 2.x, `??` and `?:` included, which a state
//! machine refuses as AWS's 2.0.6 does), with AWS's functions (`$partition`, `$range`,
//! `$hash`, `$random`, `$uuid`, `$parse`) and without `$eval`; `$` is the input (undefined
//! without one). `--jsonpath` evaluates AWS's JSONPath instead: a path (`$.a`, `$$.x`,
//! `$var`) or an intrinsic call (`States.Format(…)`), as a `.$` field does.
//!
//! The value goes to stdout as compact JSON, or nothing when it is undefined (exit 0). An
//! error exits 1 with one line on stderr that starts with its code: `T2001: …`,
//! `States.Runtime: …`.

use crate::files::{self, Source};
use crate::Failure;
use asl::query::context::Env;
use serde_json::{Map, Value};
use std::process::ExitCode;
use std::sync::Arc;

#[derive(Debug, clap::Args)]
pub struct Args {
    /// The expression: JSONata (without `{% %}`), or with --jsonpath a path or intrinsic call
    #[arg(value_name = "EXPR")]
    expression: String,

    /// The input as a JSON file, or - for standard input
    #[arg(long, value_name = "FILE", conflicts_with = "input_json")]
    input: Option<String>,

    /// The input as JSON text
    #[arg(long, value_name = "JSON")]
    input_json: Option<String>,

    /// Variables as a JSON object: {"name": value, …} ($name in the expression)
    #[arg(long, value_name = "JSON")]
    bindings: Option<String>,

    /// Evaluate AWS's JSONPath (a path or an intrinsic function call) instead of JSONata
    #[arg(long)]
    jsonpath: bool,

    /// Seeds $random(), $uuid() and States.UUID / States.MathRandom
    #[arg(long, default_value_t = 0)]
    seed: u64,
}

pub fn main(args: &Args) -> Result<ExitCode, Failure> {
    let input = match (&args.input, &args.input_json) {
        (Some(path), _) => {
            let source = Source::new(path);
            Some(files::parse_json(&source.read()?, &source.name(), 1).map_err(Failure::usage)?)
        }
        (None, Some(text)) => {
            Some(files::parse_json(text, "--input-json", 1).map_err(Failure::usage)?)
        }
        (None, None) => None,
    };
    let bindings = match &args.bindings {
        None => Map::new(),
        Some(text) => match files::parse_json(text, "--bindings", 1).map_err(Failure::usage)? {
            Value::Object(map) => map,
            _ => return Err(Failure::usage("--bindings: expected a JSON object")),
        },
    };
    let value = if args.jsonpath {
        jsonpath(&args.expression, input, bindings, args.seed)
    } else {
        jsonata(&args.expression, input.as_ref(), bindings, args.seed)
    };
    match value {
        Ok(Some(value)) => {
            files::print(&serde_json::to_string(&value).unwrap_or_default())?;
            Ok(ExitCode::SUCCESS)
        }
        Ok(None) => Ok(ExitCode::SUCCESS),
        Err(line) => Err(Failure {
            code: 1,
            lines: vec![line],
        }),
    }
}

/// JSONata, the whole language, with AWS's functions. `Err` is `CODE: message`.
fn jsonata(
    text: &str,
    input: Option<&Value>,
    variables: Map<String, Value>,
    seed: u64,
) -> Result<Option<Value>, String> {
    let expression = jsonata::Expression::compile(text).map_err(|e| e.to_string())?;
    let mut bindings = asl::jsonata::aws_functions(jsonata::Bindings::new(), seed)
        .random_seed(seed)
        .now_millis(0.0);
    for (name, value) in variables {
        bindings = bindings.var(&name, value);
    }
    expression
        .evaluate(input, &bindings)
        .map(|v| v.map(asl::jsonata::normalize))
        .map_err(|e| e.to_string())
}

/// AWS's JSONPath: a path or an intrinsic call, as a `.$` field. `Err` is `ERROR: cause`.
fn jsonpath(
    text: &str,
    input: Option<Value>,
    variables: Map<String, Value>,
    seed: u64,
) -> Result<Option<Value>, String> {
    let expression = asl::expression::Expression::parse(text).map_err(|why| {
        format!(
            "States.Runtime: '{text}' is not a valid JSONPath or intrinsic function call: {why}"
        )
    })?;
    let env = Env {
        variables: Arc::new(variables),
        ..Env::default()
    };
    let data = input.unwrap_or(Value::Null);
    let mut state = seed;
    let mut random = move || {
        // SplitMix64: a small seeded generator for States.UUID and States.MathRandom.
        state = state.wrapping_add(0x9E37_79B9_7F4A_7C15);
        let mut z = state;
        z = (z ^ (z >> 30)).wrapping_mul(0xBF58_476D_1CE4_E5B9);
        z = (z ^ (z >> 27)).wrapping_mul(0x94D0_49BB_1331_11EB);
        ((z ^ (z >> 31)) >> 11) as f64 / (1u64 << 53) as f64
    };
    let mut scope = asl::expression::Scope {
        data: &data,
        env: &env,
        random: &mut random,
    };
    expression
        .evaluate("value", &mut scope)
        .map(Some)
        .map_err(|(error, cause)| format!("{error}: {cause}"))
}
