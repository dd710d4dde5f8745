//! A state's data flow around its result, in AWS's order: InputPath → Parameters → (result) →
//! ResultSelector → ResultPath → OutputPath. Each stage is recorded for the inspector; the
//! execution and the TestState API share these functions.

use super::thread::Active;
use super::Stages;
use crate::dataflow::Env;
use crate::dataflow::{apply_path, apply_result_path};
use crate::error::{ErrorName, Failure};
use crate::model::DataFlow;
use crate::template::{self, Template};
use rand_core::{RngCore, SeedableRng};
use rand_pcg::Pcg64Mcg;
use serde_json::Value;
use std::sync::Arc;

/// InputPath → Parameters: the effective input of a Pass, Task or Parallel.
pub(crate) fn effective_input(
    active: &Active,
    data: &DataFlow,
    parameters: &Option<Template>,
    context: &Env,
    stages: &mut Stages,
) -> Result<Value, Failure> {
    let effective = apply_path(&data.input_path, &active.input, context)
        .map_err(|d| active.failure(ErrorName::Runtime, &d))?;
    stages.after_input_path = Some(Arc::new(effective.clone()));
    let effective = match parameters {
        Some(template) => evaluate_template(template, &effective, context, active)?,
        None => effective,
    };
    stages.after_parameters = Some(Arc::new(effective.clone()));
    Ok(effective)
}

/// ResultSelector → ResultPath → OutputPath, once a state has its result.
pub(crate) fn state_output(
    context: &Env,
    active: &Active,
    data: &DataFlow,
    result_selector: &Option<Template>,
    result: Value,
    stages: &mut Stages,
) -> Result<Value, Failure> {
    let result = match result_selector {
        Some(template) => evaluate_template(template, &result, context, active)?,
        None => result,
    };
    stages.after_result_selector = Some(Arc::new(result.clone()));
    let merged = apply_result_path(&data.result_path, &active.input, result)
        .map_err(|d| active.failure(ErrorName::ResultPathMatchFailure, &d))?;
    stages.after_result_path = Some(Arc::new(merged.clone()));
    apply_path(&data.output_path, &merged, context)
        .map_err(|d| active.failure(ErrorName::Runtime, &d))
}

/// A template's value, or the failure AWS reports for it. Intrinsic functions draw their
/// randomness from the state visit's own seed, so a run stays reproducible.
pub(crate) fn evaluate_template(
    template: &Template,
    data: &Value,
    context: &Env,
    active: &Active,
) -> Result<Value, Failure> {
    struct Data<'a> {
        data: &'a Value,
        context: &'a Env,
        rng: Pcg64Mcg,
    }
    impl template::Scope for Data<'_> {
        fn expression(&mut self, field: &str, expression: &str) -> Result<Value, (String, String)> {
            let rng = &mut self.rng;
            let mut random = || (rng.next_u64() >> 11) as f64 / (1u64 << 53) as f64;
            let mut scope = crate::expression::Scope {
                data: self.data,
                env: self.context,
                random: &mut random,
            };
            crate::expression::evaluate(field, expression, &mut scope)
        }
    }
    let rng = Pcg64Mcg::seed_from_u64(active.seed);
    template
        .evaluate(&mut Data { data, context, rng })
        .map_err(|(error, detail)| active.failure(ErrorName::parse(&error), &detail))
}
