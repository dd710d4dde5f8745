//! The expressions a `.$` field, ErrorPath or CausePath may hold: a path into the data (`$…`),
//! into the context object (`$$…`), or an intrinsic function call (`States.…(…)`).

use crate::dataflow::Env;
use crate::intrinsics::{Intrinsic, IntrinsicEnv};
use crate::jsonpath::JsonPath;
use serde_json::Value;

/// Whether `text` is an expression AWS accepts (checked when the definition is parsed).
pub fn is_valid(text: &str) -> bool {
    if text.starts_with("States.") {
        return Intrinsic::parse(text).is_ok();
    }
    JsonPath::parse(text).is_ok()
}

/// What an expression can read and draw on.
pub struct Scope<'a> {
    pub data: &'a Value,
    pub env: &'a Env,
    /// Uniform draws in [0, 1) for States.UUID and States.MathRandom, from the run's seed.
    pub random: &'a mut dyn FnMut() -> f64,
}

impl Scope<'_> {
    /// The value a path names; `Err` carries the searched document, as AWS quotes it.
    fn select(&self, text: &str) -> Result<Value, String> {
        let path = JsonPath::parse(text).map_err(|e| e.message)?;
        let env = self.env;
        path.evaluate_in(self.data, &env.context, &env.variables)
            .map_err(|_| {
                let searched = match path.variable() {
                    Some(name) => env.variables.get(name).cloned().unwrap_or(Value::Null),
                    None if path.is_context() => env.context.clone(),
                    None => self.data.clone(),
                };
                serde_json::to_string(&searched).unwrap_or_default()
            })
    }
}

impl IntrinsicEnv for Scope<'_> {
    fn resolve(&mut self, path: &str) -> Result<Value, String> {
        self.select(path).map_err(|input| {
            format!("The JsonPath argument for the field '{path}' could not be found in the input '{input}'")
        })
    }

    fn random(&mut self) -> f64 {
        (self.random)()
    }
}

/// Evaluates an expression. `Err((error name, detail))` when it fails.
pub fn evaluate(field: &str, text: &str, scope: &mut Scope<'_>) -> Result<Value, (String, String)> {
    if text.starts_with("States.") {
        let call = Intrinsic::parse(text).map_err(|e| ("States.Runtime".to_string(), e))?;
        return call.evaluate(scope).map_err(|e| (e.error, e.cause));
    }
    scope.select(text).map_err(|input| {
        (
            "States.Runtime".to_string(),
            format!("The JSONPath '{text}' specified for the field '{field}' could not be found in the input '{input}'"),
        )
    })
}
