//! A state visit's data flow around its result, in AWS's order — JSONPath: InputPath →
//! Parameters → (result) → ResultSelector → ResultPath → OutputPath; JSONata: Arguments →
//! (result) → Output — every stage recorded for the inspector. The execution and the
//! TestState API both run every state through [`enter`] and [`exit`], reading the state's
//! fields through [`Io`], the query-language seam.

use super::thread::Active;
use super::Stages;
use crate::dataflow::{apply_path, apply_result_path, Env, Io};
use crate::error::{ErrorName, Failure};
use crate::expression::Expression;
use crate::history::Payload;
use crate::jsonata::{JsonataScope, JsonataTemplate};
use crate::model::{Choice, ChoiceRule, Condition, Shape, WaitFor};
use crate::template::{self, Template};
use rand_core::{RngCore, SeedableRng};
use rand_pcg::Pcg64Mcg;
use serde_json::Value;
use std::sync::Arc;

/// InputPath → Parameters: the state's effective input (for a Choice, Wait or Succeed, the
/// input its rules or OutputPath read).
pub(crate) fn enter(
    io: &Io,
    active: &Active,
    env: &Env,
    stages: &mut Stages,
) -> Result<Payload, Failure> {
    let io = match io {
        Io::JsonPath(io) => io,
        Io::Jsonata(io) => {
            let Some(arguments) = io.arguments else {
                return Ok(active.input.clone());
            };
            let scope = jsonata_scope(active, env, None, None);
            let effective = Arc::new(evaluate_jsonata(arguments, "Arguments", &scope, active)?);
            stages.after_arguments = Some(effective.clone());
            return Ok(effective);
        }
    };
    let effective = match io.input_path {
        Some(path) => apply_path(path, &active.input, env)
            .map_err(|d| active.failure(ErrorName::Runtime, &d))?,
        None => active.input.clone(),
    };
    stages.after_input_path = Some(effective.clone());
    if !io.has_result {
        return Ok(effective);
    }
    let effective = match io.parameters {
        Some(template) => Arc::new(evaluate_template(template, &effective, env, active)?),
        None => effective,
    };
    stages.after_parameters = Some(effective.clone());
    Ok(effective)
}

/// ResultSelector → ResultPath → OutputPath, once the state has its result (a state with no
/// result passes its effective input).
pub(crate) fn exit(
    io: &Io,
    active: &Active,
    env: &Env,
    result: Payload,
    stages: &mut Stages,
) -> Result<Payload, Failure> {
    let io = match io {
        Io::JsonPath(io) => io,
        Io::Jsonata(io) => {
            return match io.output {
                Some(output) => {
                    let result = io.has_result.then_some(&*result);
                    let scope = jsonata_scope(active, env, result, None);
                    evaluate_jsonata(output, "Output", &scope, active).map(Arc::new)
                }
                None => Ok(result),
            }
        }
    };
    let result = match io.result_selector {
        Some(template) => Arc::new(evaluate_template(template, &result, env, active)?),
        None => result,
    };
    let merged = match io.result_path {
        Some(path) => apply_result_path(path, &active.input, result.clone())
            .map_err(|d| active.failure(ErrorName::ResultPathMatchFailure, &d))?,
        None => result.clone(),
    };
    if io.has_result {
        stages.after_result_selector = Some(result);
        stages.after_result_path = Some(merged.clone());
    }
    match io.output_path {
        Some(path) => {
            apply_path(path, &merged, env).map_err(|d| active.failure(ErrorName::Runtime, &d))
        }
        None => Ok(merged),
    }
}

/// What a JSONata expression of this state visit reads: `$states.input` is the state's raw
/// input; `$now()` is the time it was entered.
pub(crate) fn jsonata_scope<'a>(
    active: &'a Active,
    env: &'a Env,
    result: Option<&'a Value>,
    error_output: Option<&'a Value>,
) -> JsonataScope<'a> {
    JsonataScope {
        input: &active.input,
        result,
        error_output,
        context: &env.context,
        variables: &env.variables,
        now: active.entered_time,
        seed: active.seed,
        converted: Default::default(),
    }
}

/// A JSONata template's value for the field `field`, or AWS's `States.QueryEvaluationError`.
pub(crate) fn evaluate_jsonata(
    template: &JsonataTemplate,
    field: &str,
    scope: &JsonataScope,
    active: &Active,
) -> Result<Value, Failure> {
    template
        .evaluate(field, scope)
        .map_err(|e| active.failure(ErrorName::QueryEvaluationError, &e.detail))
}

/// Assign or ItemSelector in the state's language: a JSONPath template reads `data` as `$`,
/// a JSONata one reads `scope`.
pub(crate) fn evaluate_shape(
    shape: &Shape,
    field: &str,
    data: &Value,
    env: &Env,
    scope: &JsonataScope,
    active: &Active,
) -> Result<Value, Failure> {
    match shape {
        Shape::JsonPath(template) => evaluate_template(template, data, env, active),
        Shape::Jsonata(template) => evaluate_jsonata(template, field, scope, active),
    }
}

/// A template's value, or the failure AWS reports for it. Intrinsic functions draw their
/// randomness from the state visit's own seed, so a run stays reproducible.
pub(crate) fn evaluate_template(
    template: &Template,
    data: &Value,
    env: &Env,
    active: &Active,
) -> Result<Value, Failure> {
    struct Data<'a> {
        data: &'a Value,
        env: &'a Env,
        rng: Pcg64Mcg,
    }
    impl template::Scope for Data<'_> {
        fn expression(
            &mut self,
            field: &str,
            expression: &Expression,
        ) -> Result<Value, (String, String)> {
            let rng = &mut self.rng;
            let mut random = || (rng.next_u64() >> 11) as f64 / (1u64 << 53) as f64;
            let mut scope = crate::expression::Scope {
                data: self.data,
                env: self.env,
                random: &mut random,
            };
            expression.evaluate(field, &mut scope)
        }
    }
    let rng = Pcg64Mcg::seed_from_u64(active.seed);
    template
        .evaluate(&mut Data { data, env, rng })
        .map_err(|(error, detail)| active.failure(ErrorName::parse(&error), &detail))
}

/// The first JSONata Choice rule whose Condition is `true` (the Default is the caller's).
pub(crate) fn choose_jsonata<'c>(
    choice: &'c Choice,
    active: &Active,
    env: &Env,
) -> Result<Option<&'c ChoiceRule>, Failure> {
    let scope = jsonata_scope(active, env, None, None);
    for rule in &choice.choices {
        let Condition::Jsonata(condition) = &rule.condition else {
            continue;
        };
        match evaluate_jsonata(condition, "Condition", &scope, active)? {
            Value::Bool(true) => return Ok(Some(rule)),
            Value::Bool(false) => {}
            other => {
                return Err(active.failure(
                    ErrorName::QueryEvaluationError,
                    &format!(
                        "The JSONata expression '{}' specified for the field 'Condition' returned an unexpected result type. Expected 'boolean', but was '{}' for value: {}",
                        condition.text(),
                        json_type(&other),
                        other
                    ),
                ))
            }
        }
    }
    Ok(None)
}

/// A JSONata Wait's Seconds or Timestamp, evaluated into its literal form.
pub(crate) fn resolve_wait<'w>(
    duration: &'w WaitFor,
    active: &Active,
    env: &Env,
) -> Result<std::borrow::Cow<'w, WaitFor>, Failure> {
    use std::borrow::Cow;
    let scope = jsonata_scope(active, env, None, None);
    match duration {
        WaitFor::SecondsJsonata(t) => {
            let value = evaluate_jsonata(t, "Seconds", &scope, active)?;
            match value.as_u64().filter(|s| *s <= 99_999_999) {
                Some(s) => Ok(Cow::Owned(WaitFor::Seconds(s))),
                None => Err(active.failure(
                    ErrorName::QueryEvaluationError,
                    &format!(
                        "The JSONata expression '{}' specified for the field 'Seconds' returned an unexpected result type. Expected 'integer', but was '{}' for value: {value}",
                        t.text(),
                        json_type(&value)
                    ),
                )),
            }
        }
        WaitFor::TimestampJsonata(t) => {
            let value = evaluate_jsonata(t, "Timestamp", &scope, active)?;
            match value.as_str().and_then(crate::clock::parse_timestamp) {
                Some(ms) => Ok(Cow::Owned(WaitFor::Timestamp(ms, value.as_str().unwrap_or_default().to_string()))),
                None => Err(active.failure(
                    ErrorName::QueryEvaluationError,
                    &format!(
                        "The JSONata expression '{}' specified for the field 'Timestamp' returned an unexpected result: {value} is not a valid ISO-8601 extended offset date-time format string",
                        t.text()
                    ),
                )),
            }
        }
        other => Ok(Cow::Borrowed(other)),
    }
}

/// A JSON value's type, as AWS names it in JSONata errors.
pub(crate) fn json_type(value: &Value) -> &'static str {
    match value {
        Value::Null => "null",
        Value::Bool(_) => "boolean",
        Value::Number(_) => "number",
        Value::String(_) => "string",
        Value::Array(_) => "array",
        Value::Object(_) => "object",
    }
}
