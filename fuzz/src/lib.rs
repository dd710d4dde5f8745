//! What the fuzz targets share: splitting an input into its parts, a JSON value generator, and
//! a task handler for runs.
//!
//! Every target takes plain bytes, read as UTF-8 text (lossily, so that no input is wasted),
//! with NUL bytes separating its parts (`definition\0input`): seeds stay readable and are
//! written from ../shared/conformance by `fuzz/seed`. Where a part is JSON data and does not
//! parse, the bytes are not thrown away: [`json_or_arbitrary`] builds a value from them with
//! `arbitrary`, so the evaluators still see deep, odd data.

use arbitrary::{Arbitrary, Unstructured};
use asl::{TaskHandler, TaskOutcome, TaskRequest};
use serde_json::{Map, Number, Value};

/// The input as text, split at NUL bytes into at most `n` parts (missing parts are empty).
pub fn parts(data: &[u8], n: usize) -> Vec<String> {
    let text = String::from_utf8_lossy(data);
    let mut parts: Vec<String> = text.splitn(n, '\0').map(str::to_string).collect();
    parts.resize(n, String::new());
    parts
}

/// `text` as JSON, or, when it is not JSON, a value generated from its bytes.
pub fn json_or_arbitrary(text: &str) -> Value {
    match serde_json::from_str(text) {
        Ok(value) => value,
        Err(_) => {
            let mut u = Unstructured::new(text.as_bytes());
            ArbitraryJson::arbitrary(&mut u)
                .map(|j| j.0)
                .unwrap_or(Value::Null)
        }
    }
}

/// A JSON value for `arbitrary`: every kind, nested up to [`MAX_JSON_DEPTH`] (JSON from the
/// page is parsed by serde_json, which stops at 128 levels; deeper values never reach the
/// engine that way).
#[derive(Debug, Clone)]
pub struct ArbitraryJson(pub Value);

const MAX_JSON_DEPTH: usize = 24;

impl<'a> Arbitrary<'a> for ArbitraryJson {
    fn arbitrary(u: &mut Unstructured<'a>) -> arbitrary::Result<Self> {
        Ok(ArbitraryJson(value(u, 0)?))
    }
}

fn value(u: &mut Unstructured<'_>, depth: usize) -> arbitrary::Result<Value> {
    let kinds = if depth >= MAX_JSON_DEPTH { 6 } else { 8 };
    Ok(match u.choose_index(kinds)? {
        0 => Value::Null,
        1 => Value::Bool(u.arbitrary()?),
        2 => Value::Number(Number::from(u.arbitrary::<i64>()?)),
        3 => Value::Number(Number::from(u.arbitrary::<u8>()?)),
        4 => Number::from_f64(u.arbitrary::<f64>()?).map_or(Value::Null, Value::Number),
        5 => Value::String(key(u)?),
        6 => {
            let n = u.int_in_range(0..=6)?;
            Value::Array(
                (0..n)
                    .map(|_| value(u, depth + 1))
                    .collect::<arbitrary::Result<_>>()?,
            )
        }
        _ => {
            let n = u.int_in_range(0..=6)?;
            let mut map = Map::new();
            for _ in 0..n {
                map.insert(key(u)?, value(u, depth + 1)?);
            }
            Value::Object(map)
        }
    })
}

/// Short keys, often the same ones, so that paths written by the fuzzer find something.
fn key(u: &mut Unstructured<'_>) -> arbitrary::Result<String> {
    const COMMON: [&str; 8] = ["a", "b", "items", "x", "Status", "0", "", "$"];
    if u.ratio(3, 4)? {
        Ok(COMMON[u.choose_index(COMMON.len())?].to_string())
    } else {
        u.arbitrary()
    }
}

/// The tutorial's five functions, and for any other resource an answer that depends only on
/// the resource's text: it succeeds with its input, fails (so Retry and Catch run), or is not
/// found. Deterministic, as a [`TaskHandler`] must be.
pub struct FuzzTasks(pub callcenter::CallCenter);

impl TaskHandler for FuzzTasks {
    fn invoke(&mut self, request: TaskRequest<'_>) -> TaskOutcome {
        match self.0.invoke(TaskRequest {
            resource: request.resource,
            input: request.input,
            state_name: request.state_name,
            random: request.random,
        }) {
            TaskOutcome::NotFound => {}
            outcome => return outcome,
        }
        let hash = request
            .resource
            .bytes()
            .fold(0u32, |h, b| h.wrapping_mul(31).wrapping_add(u32::from(b)));
        match hash % 4 {
            0 | 1 => TaskOutcome::Succeeded(request.input.clone()),
            2 => TaskOutcome::Failed {
                error: if request.resource.contains("Timeout") {
                    "States.Timeout".into()
                } else {
                    "Fuzz.Failed".into()
                },
                cause: "the fuzz handler fails this resource".into(),
            },
            _ => TaskOutcome::NotFound,
        }
    }
}
