//! The expressions a `.$` field, ErrorPath or CausePath may hold: a path into the data (`$…`),
//! into the context object (`$$…`), a variable (`$name…`), or an intrinsic function call
//! (`States.…(…)`). Compiled once, when the definition is parsed.

use crate::intrinsics::{Intrinsic, IntrinsicEnv};
use crate::jsonpath::JsonPath;
use crate::query::context::Env;
use serde_json::Value;
use std::fmt;

/// A compiled expression.
#[derive(Debug, Clone, PartialEq)]
pub enum Expression {
    Path(JsonPath),
    Intrinsic(Intrinsic),
}

impl Expression {
    /// Compiles an expression; `Err` says why AWS would not accept it.
    pub fn parse(text: &str) -> Result<Expression, String> {
        if text.starts_with("States.") {
            return Intrinsic::parse(text).map(Expression::Intrinsic);
        }
        JsonPath::parse(text)
            .map(Expression::Path)
            .map_err(|e| e.to_string())
    }

    /// Evaluates it for the `.$` field `field`. `Err((error name, detail))` when it fails.
    pub fn evaluate(&self, field: &str, scope: &mut Scope<'_>) -> Result<Value, (String, String)> {
        match self {
            Expression::Intrinsic(call) => call.evaluate(scope).map_err(|e| (e.error, e.cause)),
            Expression::Path(path) => scope.select(path).map_err(|input| {
                (
                    "States.Runtime".to_string(),
                    format!("The JSONPath '{path}' specified for the field '{field}' could not be found in the input '{input}'"),
                )
            }),
        }
    }
}

impl fmt::Display for Expression {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Expression::Path(path) => path.fmt(f),
            Expression::Intrinsic(call) => call.fmt(f),
        }
    }
}

/// Whether `text` is an expression AWS accepts (checked when the definition is parsed).
pub fn is_valid(text: &str) -> bool {
    Expression::parse(text).is_ok()
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
    fn select(&self, path: &JsonPath) -> Result<Value, String> {
        self.env.evaluate(path, self.data).map_err(|_| {
            serde_json::to_string(&self.env.document(path, self.data)).unwrap_or_default()
        })
    }
}

impl IntrinsicEnv for Scope<'_> {
    fn resolve(&mut self, path: &str) -> Result<Value, String> {
        let compiled = JsonPath::parse(path).ok();
        self.resolve_compiled(path, compiled.as_ref())
    }

    fn resolve_compiled(&mut self, text: &str, path: Option<&JsonPath>) -> Result<Value, String> {
        let not_found = |input: String| {
            format!("The JsonPath argument for the field '{text}' could not be found in the input '{input}'")
        };
        match path {
            Some(path) => self.select(path).map_err(not_found),
            None => Err(not_found(
                serde_json::to_string(self.data).unwrap_or_default(),
            )),
        }
    }

    fn random(&mut self) -> f64 {
        (self.random)()
    }
}
