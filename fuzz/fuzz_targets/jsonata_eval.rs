//! `expression\0data` → compiled and evaluated on the data (JSON, or a value generated from
//! the bytes), with AWS's own functions (`$partition`, `$hash`, `$uuid` …, no `$eval`), a
//! fixed clock and seed, and the evaluator's limits (depth, stack, steps: fewer steps than
//! the page allows, so that each input runs in milliseconds).
#![no_main]

use jsonata::{Bindings, Expression, Limits};
use libfuzzer_sys::fuzz_target;
use serde_json::json;
use sfn_playground_fuzz::{json_or_arbitrary, parts};

fuzz_target!(|data: &[u8]| {
    let parts = parts(data, 2);
    let Ok(expression) = Expression::compile(&parts[0]) else {
        return;
    };
    let input = json_or_arbitrary(&parts[1]);
    let bindings = Bindings::new()
        .now_millis(1_767_225_600_000.0)
        .random_seed(7)
        .limits(Limits {
            max_steps: 200_000,
            ..Limits::default()
        })
        .var(
            "states",
            json!({"input": input.clone(), "context": {"Execution": {"Name": "x"}}}),
        )
        .var("x", json!([1, "two", {"three": 3}]));
    let bindings = asl::jsonata::aws_functions(bindings, 7);
    if let Ok(Some(value)) = expression.evaluate(Some(&input), &bindings) {
        let _ = value.to_string();
    }
});
