//! A state's data flow, in AWS's order. JSONPath: input → InputPath → Parameters → (result)
//! → ResultSelector → ResultPath → OutputPath. JSONata: input → Arguments → (result) →
//! Output, every expression reading `$states` (see [`crate::jsonata`]).
//!
//! [`Io`] is the seam between a state and the query language that shapes its data: which
//! fields a state has and what they say. [`crate::model::State::io`] gives it for any state;
//! the execution, TestState and the page's data-flow view all read it, so the order and the
//! fields are written once, one variant per query language.
//!
//! Values are [`Payload`]s (shared JSON): a stage that changes nothing (`$`, an absent
//! field) passes the same value on without copying it.

use crate::history::Payload;
use crate::jsonata::JsonataTemplate;
use crate::jsonpath::JsonPath;
use crate::model::DataPath;
use crate::path::ReferencePath;
use crate::template::Template;
use serde_json::{Map, Value};
use std::sync::Arc;

pub use crate::query::context::Env;

/// The fields that shape one state's data, by query language.
#[derive(Debug, Clone, Copy)]
pub enum Io<'s> {
    JsonPath(JsonPathIo<'s>),
    Jsonata(JsonataIo<'s>),
}

impl Io<'_> {
    /// Whether the state produces a result (Pass, Task, Parallel, Map); the others pass their
    /// input on.
    pub fn has_result(&self) -> bool {
        match self {
            Io::JsonPath(io) => io.has_result,
            Io::Jsonata(io) => io.has_result,
        }
    }
}

/// A JSONata state's data-flow fields: Arguments (the effective input of a Task or of a
/// Parallel's branches) and Output (by default the result; without one, the input).
#[derive(Debug, Clone, Copy, Default)]
pub struct JsonataIo<'s> {
    pub arguments: Option<&'s JsonataTemplate>,
    pub output: Option<&'s JsonataTemplate>,
    pub has_result: bool,
}

/// A JSONPath state's data-flow fields. `None` is a field the state cannot have (a Choice
/// has no ResultPath); `Some(&None)` is one written as `null`.
#[derive(Debug, Clone, Copy, Default)]
pub struct JsonPathIo<'s> {
    pub input_path: Option<&'s DataPath>,
    /// Parameters (a Map's ItemSelector applies per item, not here).
    pub parameters: Option<&'s Template>,
    pub result_selector: Option<&'s Template>,
    pub result_path: Option<&'s Option<ReferencePath>>,
    pub output_path: Option<&'s DataPath>,
    /// Whether the state produces a result (Pass, Task, Parallel, Map); the others pass their
    /// effective input on.
    pub has_result: bool,
}

/// One stage of the data flow, named as AWS's TestState API names it.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Stage {
    Input,
    AfterInputPath,
    AfterParameters,
    /// JSONata: after Arguments.
    AfterArguments,
    Result,
    AfterResultSelector,
    AfterResultPath,
    Output,
}

impl Stage {
    pub const ALL: [Stage; 8] = [
        Stage::Input,
        Stage::AfterInputPath,
        Stage::AfterParameters,
        Stage::AfterArguments,
        Stage::Result,
        Stage::AfterResultSelector,
        Stage::AfterResultPath,
        Stage::Output,
    ];

    /// TestState's name for it (`afterInputPath` …).
    pub fn as_str(self) -> &'static str {
        match self {
            Stage::Input => "input",
            Stage::AfterInputPath => "afterInputPath",
            Stage::AfterParameters => "afterParameters",
            Stage::AfterArguments => "afterArguments",
            Stage::Result => "result",
            Stage::AfterResultSelector => "afterResultSelector",
            Stage::AfterResultPath => "afterResultPath",
            Stage::Output => "output",
        }
    }
}

impl Io<'_> {
    /// What produced each stage, for a person reading the data flow: `InputPath $.a`,
    /// `Parameters (none)` …; `result` is how the state gets its result.
    pub fn explain(&self, stage: Stage, result: &str) -> String {
        let io = match self {
            Io::JsonPath(io) => io,
            Io::Jsonata(io) => {
                let template = |t: Option<&JsonataTemplate>, default: &str| {
                    t.map_or(default.to_string(), |t| t.as_value().to_string())
                };
                return match stage {
                    Stage::Input => "the state's input".into(),
                    Stage::AfterArguments => {
                        format!("Arguments {}", template(io.arguments, "(none)"))
                    }
                    Stage::Result => result.to_string(),
                    Stage::Output => format!(
                        "Output {}",
                        template(
                            io.output,
                            if io.has_result {
                                "(none: the result)"
                            } else {
                                "(none: the input)"
                            }
                        )
                    ),
                    other => format!("{} (not in a JSONata state)", other.as_str()),
                };
            }
        };
        let path = |p: Option<&DataPath>| match p {
            None => "$".to_string(),
            Some(None) => "null".to_string(),
            Some(Some(p)) => p.as_str().to_string(),
        };
        let template =
            |t: Option<&Template>| t.map_or("(none)".into(), |t| t.as_value().to_string());
        match stage {
            Stage::Input => "the state's input".into(),
            Stage::AfterInputPath => format!("InputPath {}", path(io.input_path)),
            Stage::AfterParameters => format!("Parameters {}", template(io.parameters)),
            Stage::AfterArguments => "Arguments (not in a JSONPath state)".into(),
            Stage::Result => result.to_string(),
            Stage::AfterResultSelector => {
                format!("ResultSelector {}", template(io.result_selector))
            }
            Stage::AfterResultPath => format!(
                "ResultPath {}",
                match io.result_path {
                    None => "$".to_string(),
                    Some(None) => "null".to_string(),
                    Some(Some(p)) => p.to_string(),
                }
            ),
            Stage::Output => format!("OutputPath {}", path(io.output_path)),
        }
    }
}

/// InputPath or OutputPath: the node the path names (`$`, or absent, passes the value on as
/// it is); `null` gives `{}`. `Err` is the cause detail of the `States.Runtime` failure AWS
/// raises.
pub fn apply_path(path: &DataPath, data: &Payload, env: &Env) -> Result<Payload, String> {
    match path {
        None => Ok(Arc::new(Value::Object(Map::new()))),
        Some(path) if is_whole(path) => Ok(data.clone()),
        Some(path) => env
            .evaluate(path, data)
            .map(Arc::new)
            .map_err(|e| e.cause()),
    }
}

fn is_whole(path: &JsonPath) -> bool {
    path.as_str() == "$"
}

/// The node a reference path names in the data, the context object or a variable.
pub fn select<'v>(
    path: &ReferencePath,
    data: &'v Value,
    env: &'v Env,
) -> Option<std::borrow::Cow<'v, Value>> {
    env.select(path, data)
}

/// ResultPath: puts the result into the state's input; `null` keeps the input unchanged, `$`
/// replaces it. `Err` is the cause detail of `States.ResultPathMatchFailure`.
pub fn apply_result_path(
    path: &Option<ReferencePath>,
    input: &Payload,
    result: Payload,
) -> Result<Payload, String> {
    let Some(path) = path else {
        return Ok(input.clone());
    };
    if path.segments.is_empty() {
        return Ok(result);
    }
    // Each missing field on the way becomes an object: a path this long would nest the output
    // deeper than any payload may (and building it would only make a value too deep to walk).
    if path.segments.len() > crate::limits::MAX_NESTING_DEPTH {
        return Err(format!(
            "Unable to apply a ReferencePath of {} fields to input: more than the maximum nesting depth of {} levels",
            path.segments.len(),
            crate::limits::MAX_NESTING_DEPTH
        ));
    }
    // The input is shared with the history: the merge writes into a copy of it.
    let mut merged = (**input).clone();
    let result = Arc::try_unwrap(result).unwrap_or_else(|shared| (*shared).clone());
    path.insert(&mut merged, result)
        .map(|()| Arc::new(merged))
        .map_err(|_| {
            format!(
                "Unable to apply ReferencePath {path} to input {}",
                serde_json::to_string(&**input).unwrap_or_default()
            )
        })
}

/// The size in bytes of a value's compact JSON text (serde_json's, as the history shows it),
/// as AWS counts a payload against its limit: computed by walking the value, never building
/// the text, and without recursion (a value may be nested deeper than the stack allows).
pub fn payload_size(value: &Value) -> usize {
    let mut size = 0;
    let mut stack = vec![value];
    while let Some(value) = stack.pop() {
        size += match value {
            Value::Null => 4,
            Value::Bool(true) => 4,
            Value::Bool(false) => 5,
            Value::Number(n) => number_size(n),
            Value::String(s) => string_size(s),
            Value::Array(items) => {
                stack.extend(items.iter());
                2 + items.len().saturating_sub(1)
            }
            Value::Object(map) => {
                stack.extend(map.values());
                // `{}`, a `"key":` per member, and the commas between them.
                2 + map.len().saturating_sub(1)
                    + map.keys().map(|k| string_size(k) + 1).sum::<usize>()
            }
        };
    }
    size
}

/// A JSON string's length with its quotes and escapes, as serde_json writes it.
fn string_size(s: &str) -> usize {
    2 + s.len()
        + s.bytes()
            .map(|b| match b {
                b'"' | b'\\' | b'\n' | b'\r' | b'\t' | 0x08 | 0x0c => 1,
                0..=0x1f => 5,
                _ => 0,
            })
            .sum::<usize>()
}

fn number_size(n: &serde_json::Number) -> usize {
    fn digits(mut n: u64) -> usize {
        let mut d = 1;
        while n >= 10 {
            n /= 10;
            d += 1;
        }
        d
    }
    if let Some(u) = n.as_u64() {
        digits(u)
    } else if let Some(i) = n.as_i64() {
        1 + digits(i.unsigned_abs())
    } else {
        n.to_string().len()
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    fn json_path(s: &str) -> Option<JsonPath> {
        Some(JsonPath::parse(s).unwrap())
    }

    fn path(s: &str) -> Option<ReferencePath> {
        Some(ReferencePath::parse(s).unwrap())
    }

    fn p(v: Value) -> Payload {
        Arc::new(v)
    }

    #[test]
    fn input_and_output_paths() {
        let data = p(json!({"a": {"b": 1}}));
        let ctx = Env::with_context(json!({"Execution": {"Name": "x"}}));
        assert_eq!(
            apply_path(&json_path("$.a"), &data, &ctx),
            Ok(p(json!({"b": 1})))
        );
        assert_eq!(apply_path(&None, &data, &ctx), Ok(p(json!({}))));
        assert_eq!(
            apply_path(&json_path("$$.Execution.Name"), &data, &ctx),
            Ok(p(json!("x")))
        );
        assert_eq!(
            apply_path(&json_path("$.NoSuchOutputPath"), &data, &ctx),
            Err(
                "Invalid path '$.NoSuchOutputPath' : No results for path: $['NoSuchOutputPath']"
                    .into()
            )
        );
    }

    #[test]
    fn a_stage_that_changes_nothing_shares_the_value() {
        let data = p(json!({"a": [1, 2, 3]}));
        let ctx = Env::default();
        let same = apply_path(&json_path("$"), &data, &ctx).unwrap();
        assert!(Arc::ptr_eq(&same, &data));
        let kept = apply_result_path(&None, &data, p(json!(1))).unwrap();
        assert!(Arc::ptr_eq(&kept, &data));
        let result = p(json!(2));
        let replaced = apply_result_path(&path("$"), &data, result.clone()).unwrap();
        assert!(Arc::ptr_eq(&replaced, &result));
    }

    #[test]
    fn result_paths() {
        let input = p(json!({"x": 1}));
        assert_eq!(
            apply_result_path(&path("$"), &input, p(json!(2))),
            Ok(p(json!(2)))
        );
        assert_eq!(
            apply_result_path(&None, &input, p(json!(2))),
            Ok(p(json!({"x": 1})))
        );
        assert_eq!(
            apply_result_path(&path("$.r"), &input, p(json!(2))),
            Ok(p(json!({"x": 1, "r": 2})))
        );
        assert_eq!(
            apply_result_path(&path("$.r"), &p(json!("s")), p(json!(2))),
            Err("Unable to apply ReferencePath $.r to input \"s\"".into())
        );
    }

    #[test]
    fn payload_size_is_the_compact_text_length() {
        for v in [
            json!(null),
            json!({"a": [1, 2.5, "é\"\n", {"b": true}], "c": -0.0}),
            json!("x".repeat(1000)),
            json!([]),
            json!({}),
            json!([[], {}, [null, false, true]]),
            json!({"k\u{1}\t\\": "\u{8}\u{c}\u{1f}\u{7f}/<>\u{2028}😀", "": ""}),
            json!([
                0,
                -1,
                9,
                10,
                99,
                100,
                u64::MAX,
                i64::MIN,
                1e300,
                -2.5e-7,
                0.1,
                123456789.0
            ]),
        ] {
            assert_eq!(payload_size(&v), serde_json::to_string(&v).unwrap().len());
        }
    }
}
