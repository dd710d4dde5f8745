//! AWS's limits on what an execution carries: how large and how deeply nested a payload may
//! be, and how large a definition. Each test says which behaviour AWS documents and which is
//! the playground's choice where AWS documents none.

use asl::limits::{self, MAX_DEFINITION_BYTES, MAX_NESTING_DEPTH};
use asl::{load, DiagnosticCode, Execution, ExecutionConfig, NoTasks, Status};
use serde_json::{json, Value};
use std::sync::Arc;

/// The issue's reproduction: a Pass state in a loop wraps its input 100 objects deeper each
/// turn (100 turns would nest it 10,000 levels deep).
const DEEP_LOOP: &str = include_str!("data/deep-loop.asl.json");

/// Runs a test on a thread with a main thread's stack (8 MiB, as `sfn run` has): an
/// unoptimized build spends some 2 KiB of stack per level when it clones or serializes a
/// value (an optimized one a tenth of that), more than a test thread's 2 MiB hold for values
/// nested 1,000 levels deep.
fn with_main_stack(test: impl FnOnce() + Send + 'static) {
    std::thread::Builder::new()
        .stack_size(8 << 20)
        .spawn(test)
        .unwrap()
        .join()
        .unwrap()
}

fn run(definition: &str, input: Value) -> Execution {
    let machine = load(definition).unwrap_or_else(|d| panic!("invalid: {d:?}"));
    let mut run = Execution::new(Arc::new(machine), input, ExecutionConfig::default());
    run.run_to_end(&mut NoTasks);
    run
}

/// `depth` objects, each the only field `a` of the one around it, around `inner`.
fn nested(depth: usize, inner: Value) -> Value {
    (0..depth).fold(inner, |v, _| json!({ "a": v }))
}

fn error_and_cause(run: &Execution) -> (String, String) {
    let failure = run.failure().expect("the execution failed");
    (
        failure.error_str().unwrap_or_default().to_string(),
        failure.cause_str().unwrap_or_default().to_string(),
    )
}

#[test]
fn the_deep_loop_is_a_one_kilobyte_definition() {
    assert!(DEEP_LOOP.len() < 1024, "{} bytes", DEEP_LOOP.len());
    assert!(load(DEEP_LOOP).is_ok());
}

/// Our choice (AWS documents no nesting limit; its JSON library refuses more than 1,000
/// levels): the turn whose output would nest 1,001 levels deep fails the execution with
/// States.DataLimitExceeded, and the run ends there instead of growing without bound.
#[test]
fn the_deep_loop_fails_when_its_output_nests_deeper_than_the_limit() {
    with_main_stack(|| {
        let run = run(DEEP_LOOP, json!({}));
        assert_eq!(run.status(), Status::Failed);
        let (error, cause) = error_and_cause(&run);
        assert_eq!(error, "States.DataLimitExceeded");
        assert_eq!(
            cause,
            "An error occurred while executing the state 'Wrap' (entered at the event id #38). The state/task 'Wrap' returned a result nested 1001 levels deep, deeper than the maximum nesting depth of 1000 levels."
        );
        // `{}` is one level; each turn adds 100: the tenth turn's output is 1,001 levels deep
        // (each turn is 4 events: Pass and Choice entered and exited).
        let entered = run
            .history()
            .iter()
            .filter(|e| e.event_type() == "PassStateEntered")
            .count();
        assert_eq!(entered, 10);
        let types: Vec<String> = run.history().iter().map(|e| e.event_type()).collect();
        assert_eq!(types.last().unwrap(), "ExecutionFailed");
    });
}

/// Our choice, as above: exactly 1,000 levels pass, 1,001 fail.
#[test]
fn an_output_may_nest_exactly_as_deep_as_the_limit() {
    with_main_stack(|| {
        let wrap =
            r#"{"StartAt":"W","States":{"W":{"Type":"Pass","Parameters":{"a.$":"$"},"End":true}}}"#;
        let ok = run(wrap, nested(MAX_NESTING_DEPTH - 2, json!({})));
        assert_eq!(ok.status(), Status::Succeeded);
        assert_eq!(
            limits::nesting_depth(ok.output().unwrap()),
            MAX_NESTING_DEPTH
        );

        let too_deep = run(wrap, nested(MAX_NESTING_DEPTH - 1, json!({})));
        assert_eq!(too_deep.status(), Status::Failed);
        assert_eq!(error_and_cause(&too_deep).0, "States.DataLimitExceeded");
    });
}

/// AWS documents that States.ALL does not catch States.DataLimitExceeded: the depth limit's
/// failure, being that error, ends the execution even with a catch-all.
#[test]
fn states_all_does_not_catch_a_result_nested_too_deeply() {
    with_main_stack(|| {
        let definition = json!({
            "StartAt": "Wrap",
            "States": {
                "Wrap": {
                    "Type": "Parallel",
                    "Branches": [{"StartAt": "Keep", "States": {"Keep": {"Type": "Pass", "End": true}}}],
                    "Catch": [{"ErrorEquals": ["States.ALL"], "Next": "Caught"}],
                    "End": true
                },
                "Caught": {"Type": "Succeed"}
            }
        });
        // The branch passes the 1,000 levels on; the Parallel's array of outputs is the 1,001st.
        let run = run(
            &definition.to_string(),
            nested(MAX_NESTING_DEPTH - 1, json!({})),
        );
        assert_eq!(run.status(), Status::Failed);
        assert_eq!(error_and_cause(&run).0, "States.DataLimitExceeded");
    });
}

/// Our choice: a ResultPath of more fields than the nesting limit cannot be applied (each
/// missing field would become one more level); the value is never built.
#[test]
fn a_result_path_longer_than_the_nesting_limit_cannot_be_applied() {
    let path = format!("${}", ".a".repeat(MAX_NESTING_DEPTH + 1));
    let definition = json!({
        "StartAt": "P",
        "States": {"P": {"Type": "Pass", "Result": 1, "ResultPath": path, "End": true}}
    });
    let run = run(&definition.to_string(), json!({}));
    assert_eq!(run.status(), Status::Failed);
    let (error, cause) = error_and_cause(&run);
    assert_eq!(error, "States.ResultPathMatchFailure");
    assert!(
        cause.contains("more than the maximum nesting depth of 1000 levels"),
        "{cause}"
    );
}

/// A value nested as deep as the limit goes through the intrinsics that serialize and parse
/// JSON (States.JsonToString, States.StringToJson) and back, without exhausting the stack.
#[test]
fn intrinsics_round_trip_a_value_as_deep_as_the_limit() {
    with_main_stack(|| {
        let definition = json!({
            "StartAt": "Text",
            "States": {
                "Text": {"Type": "Pass", "Parameters": {"t.$": "States.JsonToString($)"}, "Next": "Back"},
                "Back": {"Type": "Pass", "Parameters": {"v.$": "States.StringToJson($.t)"}, "OutputPath": "$.v", "End": true}
            }
        });
        let input = nested(MAX_NESTING_DEPTH - 2, json!(1));
        let run = run(&definition.to_string(), input.clone());
        assert_eq!(run.status(), Status::Succeeded, "{:?}", run.failure());
        assert!(run.output() == Some(&input));
    });
}

/// AWS documents the definition's size limit (1 MB, a hard quota; the API's `Definition` is at
/// most 1,048,576 characters); the message is Coral's ValidationException for that member.
#[test]
fn a_definition_over_one_megabyte_is_refused_before_it_is_read() {
    let padding = " ".repeat(MAX_DEFINITION_BYTES);
    let text =
        format!(r#"{{"StartAt":"P","States":{{"P":{{"Type":"Pass","End":true}}}}}}{padding}"#);
    let problems = load(&text).unwrap_err();
    assert_eq!(problems.len(), 1);
    assert_eq!(problems[0].code, DiagnosticCode::ValidationException);
    assert_eq!(
        problems[0].message,
        "1 validation error detected: Value at 'definition' failed to satisfy constraint: Member must have size less than or equal to 1048576 bytes in UTF-8 encoding"
    );
    // Exactly at the limit it is read.
    let at_limit = &text[..MAX_DEFINITION_BYTES];
    assert!(load(at_limit).is_ok());
}

/// AWS's StartExecution refuses an input over 262,144 bytes of UTF-8 with this message
/// (recorded from AWS).
#[test]
fn an_input_over_256_kib_is_refused_with_aws_s_message() {
    let text = format!("\"{}\"", "a".repeat(262_144));
    assert_eq!(
        limits::check_execution_input(&text).unwrap_err(),
        "1 validation error detected: Value at 'input' failed to satisfy constraint: Member must have size less than or equal to 262144 bytes in UTF-8 encoding"
    );
    assert!(limits::check_execution_input(&"a".repeat(262_144)).is_ok());
}

/// Our choice, as for outputs: a variable is held to the same nesting limit, so a loop that
/// nests a variable deeper each turn (its output staying small) ends too.
#[test]
fn a_variable_nested_deeper_than_the_limit_fails_the_state() {
    with_main_stack(|| {
        let inner = (0..99).fold(json!({"a.$": "$v"}), |v, _| json!({ "a": v }));
        let definition = json!({
            "StartAt": "Init",
            "States": {
                "Init": {"Type": "Pass", "Assign": {"v": {}}, "Next": "Wrap"},
                "Wrap": {"Type": "Pass", "Assign": {"v": inner}, "Next": "Again"},
                "Again": {
                    "Type": "Choice",
                    "Choices": [{"Variable": "$.stop", "IsPresent": true, "Next": "Done"}],
                    "Default": "Wrap"
                },
                "Done": {"Type": "Succeed"}
            }
        });
        let run = run(&definition.to_string(), json!({}));
        assert_eq!(run.status(), Status::Failed);
        let (error, cause) = error_and_cause(&run);
        assert_eq!(error, "States.DataLimitExceeded");
        assert!(
            cause.ends_with("The variable 'v' is nested 1001 levels deep, deeper than the maximum nesting depth of 1000 levels."),
            "{cause}"
        );
    });
}

/// JSONata builds values of its own (a fold can nest one as deep as it likes without
/// recursing); the jsonata crate refuses a result nested deeper than 1,000 levels, so the
/// state fails with the expression's error instead of handing the engine a value too deep to
/// walk. The playground's choice of error (States.QueryEvaluationError, as for any expression
/// that throws); AWS documents none.
#[test]
fn a_jsonata_result_nested_deeper_than_the_limit_fails_the_state() {
    with_main_stack(|| {
        let definition = json!({
            "QueryLanguage": "JSONata",
            "StartAt": "Fold",
            "States": {
                "Fold": {
                    "Type": "Pass",
                    "Output": "{% $reduce([1..5000], function($acc, $v) { {'a': $acc} }, {}) %}",
                    "End": true
                }
            }
        });
        let run = run(&definition.to_string(), json!({}));
        assert_eq!(run.status(), Status::Failed);
        let (error, cause) = error_and_cause(&run);
        assert_eq!(error, "States.QueryEvaluationError");
        assert!(cause.contains("nested too deeply"), "{cause}");
    });
}
