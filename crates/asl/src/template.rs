//! Payload templates: Parameters, ResultSelector, ItemSelector and ItemBatcher's BatchInput.
//!
//! A template is JSON whose fields ending in `.$` are computed: their value is a path into the
//! state's data (`$.…`), into the context object (`$$.…`), or an intrinsic function call
//! (`States.Format(…)`). The computed field loses its `.$` suffix; everything else is copied.

use serde_json::{Map, Value};

/// A template as written, checked when the definition is parsed.
#[derive(Debug, Clone, PartialEq)]
pub struct Template(Value);

/// What evaluating a template can read: the data, the context object, and randomness for
/// intrinsic functions.
pub trait Scope {
    /// Evaluates one `.$` expression (a path, a context path or an intrinsic call).
    /// `Err((error name, detail))` when it fails.
    fn expression(&mut self, field: &str, expression: &str) -> Result<Value, (String, String)>;
}

impl Template {
    /// Checks every `.$` field; returns the problems as (message, JSON pointer below `at`).
    pub fn parse(value: &Value, at: &str) -> Result<Template, Vec<(String, String)>> {
        let mut problems = Vec::new();
        check(value, at, &mut problems);
        if problems.is_empty() {
            Ok(Template(value.clone()))
        } else {
            Err(problems)
        }
    }

    pub fn as_value(&self) -> &Value {
        &self.0
    }

    pub fn evaluate(&self, scope: &mut dyn Scope) -> Result<Value, (String, String)> {
        evaluate(&self.0, scope)
    }
}

fn check(value: &Value, at: &str, problems: &mut Vec<(String, String)>) {
    match value {
        Value::Object(map) => {
            for (key, v) in map {
                if let Some(field) = key.strip_suffix(".$") {
                    let _ = field;
                    let valid = v.as_str().is_some_and(crate::expression::is_valid);
                    if !valid {
                        problems.push((
                            format!("The value for the field '{key}' must be a valid JSONPath or a valid intrinsic function call"),
                            at.to_string(),
                        ));
                    }
                } else {
                    check(v, &crate::diagnostic::pointer(at, key), problems);
                }
            }
        }
        Value::Array(items) => {
            for (i, v) in items.iter().enumerate() {
                check(v, &crate::diagnostic::pointer(at, &i.to_string()), problems);
            }
        }
        _ => {}
    }
}

fn evaluate(value: &Value, scope: &mut dyn Scope) -> Result<Value, (String, String)> {
    Ok(match value {
        Value::Object(map) => {
            let mut out = Map::new();
            for (key, v) in map {
                match key.strip_suffix(".$") {
                    Some(field) => {
                        let expression = v.as_str().unwrap_or_default();
                        out.insert(field.to_string(), scope.expression(key, expression)?);
                    }
                    None => {
                        out.insert(key.clone(), evaluate(v, scope)?);
                    }
                }
            }
            Value::Object(out)
        }
        Value::Array(items) => Value::Array(
            items
                .iter()
                .map(|v| evaluate(v, scope))
                .collect::<Result<_, _>>()?,
        ),
        other => other.clone(),
    })
}
