//! Input and output processing of a state, in AWS's order: InputPath → (task) → ResultPath →
//! OutputPath. Each stage is a plain function so the inspector can show every one.

use crate::model::DataPath;
use crate::path::{ReferencePath, Root};
use serde_json::{Map, Value};
use std::sync::Arc;

/// What a path can read besides the state's data (`$`): the context object (`$$`) and the
/// workflow variables (`$name`).
#[derive(Debug, Clone, Default)]
pub struct Env {
    pub context: Value,
    pub variables: Arc<Map<String, Value>>,
}

impl Env {
    /// An environment with this context object and no variables.
    pub fn with_context(context: Value) -> Env {
        Env {
            context,
            variables: Arc::default(),
        }
    }
}

/// The node a reference path names in the data, the context object or a variable.
pub fn select<'v>(path: &ReferencePath, data: &'v Value, env: &'v Env) -> Option<&'v Value> {
    match &path.root {
        Root::Data => path.select(data),
        Root::Context => path.select(&env.context),
        Root::Variable(name) => path.select(env.variables.get(name)?),
    }
}

/// InputPath or OutputPath: the node the path names; `null` gives `{}`.
/// `Err` is the cause detail of the `States.Runtime` failure AWS raises.
pub fn apply_path(path: &DataPath, data: &Value, env: &Env) -> Result<Value, String> {
    let Some(path) = path else {
        return Ok(Value::Object(Map::new()));
    };
    path.evaluate_in(data, &env.context, &env.variables)
        .map_err(|e| e.cause())
}

/// ResultPath: puts the result into the state's input; `null` keeps the input unchanged.
/// `Err` is the cause detail of `States.ResultPathMatchFailure`.
pub fn apply_result_path(
    path: &Option<ReferencePath>,
    input: &Value,
    result: Value,
) -> Result<Value, String> {
    let Some(path) = path else {
        return Ok(input.clone());
    };
    if path.segments.is_empty() {
        return Ok(result);
    }
    let mut merged = input.clone();
    path.insert(&mut merged, result)
        .map(|()| merged)
        .map_err(|_| {
            format!(
                "Unable to apply ReferencePath {path} to input {}",
                serde_json::to_string(input).unwrap_or_default()
            )
        })
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    fn json_path(s: &str) -> Option<crate::jsonpath::JsonPath> {
        Some(crate::jsonpath::JsonPath::parse(s).unwrap())
    }

    fn path(s: &str) -> Option<ReferencePath> {
        Some(ReferencePath::parse(s).unwrap())
    }

    #[test]
    fn input_and_output_paths() {
        let data = json!({"a": {"b": 1}});
        let ctx = Env::with_context(json!({"Execution": {"Name": "x"}}));
        assert_eq!(
            apply_path(&json_path("$.a"), &data, &ctx),
            Ok(json!({"b": 1}))
        );
        assert_eq!(apply_path(&None, &data, &ctx), Ok(json!({})));
        assert_eq!(
            apply_path(&json_path("$$.Execution.Name"), &data, &ctx),
            Ok(json!("x"))
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
    fn result_paths() {
        let input = json!({"x": 1});
        assert_eq!(
            apply_result_path(&path("$"), &input, json!(2)),
            Ok(json!(2))
        );
        assert_eq!(
            apply_result_path(&None, &input, json!(2)),
            Ok(json!({"x": 1}))
        );
        assert_eq!(
            apply_result_path(&path("$.r"), &input, json!(2)),
            Ok(json!({"x": 1, "r": 2}))
        );
        assert_eq!(
            apply_result_path(&path("$.r"), &json!("s"), json!(2)),
            Err("Unable to apply ReferencePath $.r to input \"s\"".into())
        );
    }
}
