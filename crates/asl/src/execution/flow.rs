//! A state visit's data flow around its result, in AWS's order: InputPath → Parameters →
//! (result) → ResultSelector → ResultPath → OutputPath, every stage recorded for the
//! inspector. The execution and the TestState API both run every state through [`enter`] and
//! [`exit`], reading the state's fields through [`Io`], the query-language seam.

use super::thread::Active;
use super::Stages;
use crate::dataflow::{apply_path, apply_result_path, Env, Io};
use crate::error::{ErrorName, Failure};
use crate::expression::Expression;
use crate::history::Payload;
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
    let Io::JsonPath(io) = io;
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
    let Io::JsonPath(io) = io;
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
