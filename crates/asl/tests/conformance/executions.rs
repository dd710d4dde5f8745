//! Running one recorded execution and comparing it with what AWS recorded: status, then output
//! or error and cause, then the history's event types. The first difference is the reason.

use crate::cases::ExecutionCase;
use crate::compare::{clip, json_difference, short, Mismatch};
use crate::history;
use asl::{load, Execution, ExecutionConfig, NoTasks, Status};
use std::panic::{catch_unwind, AssertUnwindSafe};
use std::sync::Arc;

/// `Ok` when our run matches AWS's.
pub fn check(case: &ExecutionCase) -> Result<(), Mismatch> {
    let machine = load(&case.definition.to_string()).map_err(|d| Mismatch::rejected(&d))?;
    // The engine is being rewritten: a panic is one failing case, not the end of the suite.
    let run = catch_unwind(AssertUnwindSafe(|| {
        let mut run = Execution::new(
            Arc::new(machine),
            case.input.clone(),
            ExecutionConfig::default(),
        );
        run.run_to_end(&mut NoTasks);
        run
    }))
    .map_err(|panic| {
        let message = panic
            .downcast_ref::<String>()
            .cloned()
            .or_else(|| panic.downcast_ref::<&str>().map(|s| s.to_string()))
            .unwrap_or_default();
        Mismatch::new(
            "engine panicked",
            format!("engine panicked: {}", clip(&message, 120)),
        )
    })?;
    compare_result(case, &run)?;
    compare_history(case, &run)
}

fn compare_result(case: &ExecutionCase, run: &Execution) -> Result<(), Mismatch> {
    let expected = &case.expected;
    let status = run.status().as_str();
    if status != expected.status {
        return Err(status_mismatch(&expected.status, run));
    }
    if run.status() == Status::Succeeded {
        let want = expected.output.as_ref();
        return match (want, run.output()) {
            (Some(want), Some(got)) => match json_difference(want, got) {
                None => Ok(()),
                Some(at) => Err(Mismatch::new(
                    "output differs",
                    format!("output differs at {at}"),
                )),
            },
            (None, _) => Ok(()),
            (Some(_), None) => Err(Mismatch::plain("output missing")),
        };
    }
    let failure = run.failure();
    let error = failure.and_then(|f| f.error_str());
    if error != expected.error.as_deref() {
        return Err(Mismatch::new(
            "error differs",
            format!(
                "error differs: expected {} got {}",
                quoted(expected.error.as_deref()),
                quoted(error)
            ),
        ));
    }
    let cause = failure.and_then(|f| f.cause_str());
    if let Some(want) = &expected.cause_json {
        let parsed = cause.and_then(|c| serde_json::from_str(c).ok());
        return match parsed {
            Some(got) => match json_difference(want, &got) {
                None => Ok(()),
                Some(at) => Err(Mismatch::new(
                    "cause differs",
                    format!("cause (JSON) differs at {at}"),
                )),
            },
            None => Err(Mismatch::new(
                "cause differs",
                format!(
                    "cause differs: expected JSON {} got {}",
                    short(want),
                    quoted(cause)
                ),
            )),
        };
    }
    if cause != expected.cause.as_deref() {
        return Err(Mismatch::new(
            "cause differs",
            format!(
                "cause differs: expected {} got {}",
                quoted(expected.cause.as_deref()),
                quoted(cause)
            ),
        ));
    }
    Ok(())
}

/// "status SUCCEEDED≠FAILED", with our error when we failed (it usually says why).
fn status_mismatch(expected: &str, run: &Execution) -> Mismatch {
    let got = run.status().as_str();
    let kind = format!("status {expected}≠{got}");
    match run.failure() {
        Some(failure) => {
            let error = failure.error_str().unwrap_or("(no error)");
            Mismatch::new(
                format!("{kind} ({error})"),
                format!(
                    "{kind}: {error}: {}",
                    clip(failure.cause_str().unwrap_or(""), 140)
                ),
            )
        }
        None => Mismatch::plain(kind),
    }
}

fn compare_history(case: &ExecutionCase, run: &Execution) -> Result<(), Mismatch> {
    let Some(expected) = &case.history_types else {
        return Ok(());
    };
    let mut actual: Vec<String> = run.history().iter().map(|e| e.event_type()).collect();
    if expected.iter().any(|e| e.starts_with("ParallelState")) {
        actual = history::as_localstack_recorded(&actual);
    }
    match history::first_difference(expected, &actual) {
        None => Ok(()),
        Some(reason) => Err(Mismatch::new("history differs", reason)),
    }
}

fn quoted(text: Option<&str>) -> String {
    match text {
        Some(text) => format!("'{}'", clip(text, 100)),
        None => "(none)".into(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::{json, Value};

    /// A one-state machine whose state is `state`, expected to end as `expected`.
    fn case(state: Value, expected: Value, history: Value) -> ExecutionCase {
        serde_json::from_value(json!({
            "id": "test/1",
            "definition": {"StartAt": "S", "States": {"S": state}},
            "input": {"in": 1},
            "expected": expected,
            "history_types": history,
            "uses_jsonata": false
        }))
        .unwrap()
    }

    fn reason(case: &ExecutionCase) -> String {
        check(case).unwrap_err().reason
    }

    const PASSED: [&str; 4] = [
        "ExecutionStarted",
        "PassStateEntered",
        "PassStateExited",
        "ExecutionSucceeded",
    ];

    fn pass(result: Value) -> Value {
        json!({"Type": "Pass", "Result": result, "End": true})
    }

    fn fail(error: &str, cause: &str) -> Value {
        json!({"Type": "Fail", "Error": error, "Cause": cause})
    }

    #[test]
    fn a_matching_run_passes() {
        let c = case(
            pass(json!({"a": [1, 2]})),
            json!({"status": "SUCCEEDED", "output": {"a": [1, 2.0]}}),
            json!(PASSED),
        );
        assert_eq!(check(&c), Ok(()));
    }

    #[test]
    fn the_first_difference_is_the_reason() {
        let c = case(
            pass(json!({"a": 1})),
            json!({"status": "SUCCEEDED", "output": {"a": 2}}),
            json!(PASSED),
        );
        assert_eq!(reason(&c), "output differs at /a: expected 2 got 1");

        let c = case(
            pass(json!(1)),
            json!({"status": "FAILED", "error": "E", "cause": "C"}),
            Value::Null,
        );
        assert_eq!(reason(&c), "status FAILED≠SUCCEEDED");

        let c = case(
            fail("E", "C"),
            json!({"status": "SUCCEEDED", "output": 1}),
            Value::Null,
        );
        assert_eq!(reason(&c), "status SUCCEEDED≠FAILED: E: C");

        let c = case(
            fail("E", "C"),
            json!({"status": "FAILED", "error": "E", "cause": "D"}),
            Value::Null,
        );
        assert_eq!(reason(&c), "cause differs: expected 'D' got 'C'");

        let c = case(
            fail("E", "C"),
            json!({"status": "FAILED", "error": "States.Runtime", "cause": "C"}),
            Value::Null,
        );
        assert_eq!(
            reason(&c),
            "error differs: expected 'States.Runtime' got 'E'"
        );
    }

    #[test]
    fn a_json_cause_is_compared_parsed() {
        let state = fail("E", r#"{"b": [true], "a": 1}"#);
        let same = json!({"status": "FAILED", "error": "E", "cause_json": {"a": 1, "b": [true]}});
        assert_eq!(check(&case(state.clone(), same, Value::Null)), Ok(()));
        let other = json!({"status": "FAILED", "error": "E", "cause_json": {"a": 2, "b": [true]}});
        assert_eq!(
            reason(&case(state, other, Value::Null)),
            "cause (JSON) differs at /a: expected 2 got 1"
        );
    }

    #[test]
    fn histories_are_compared_when_recorded() {
        let expected = json!({"status": "SUCCEEDED", "output": 1});
        let wrong = json!([
            "ExecutionStarted",
            "PassStateEntered",
            "PassStateEntered",
            "ExecutionSucceeded"
        ]);
        assert_eq!(
            reason(&case(pass(json!(1)), expected.clone(), wrong)),
            "history differs at #3: expected PassStateEntered got PassStateExited"
        );
        assert_eq!(check(&case(pass(json!(1)), expected, Value::Null)), Ok(()));
    }

    #[test]
    fn a_rejected_definition_names_its_first_diagnostic() {
        let c = case(
            json!({"Type": "Pass", "End": true, "Bogus": 1, "Other": 2}),
            json!({"status": "SUCCEEDED", "output": {}}),
            Value::Null,
        );
        let m = check(&c).unwrap_err();
        assert_eq!(
            m.reason,
            "definition rejected: SCHEMA_VALIDATION_FAILED: Field 'Bogus' is not supported at /States/S/Bogus (+1 more)"
        );
        assert_eq!(
            m.kind,
            "definition rejected: SCHEMA_VALIDATION_FAILED: Field 'Bogus' is not supported"
        );
        assert_eq!(m.needs.len(), 2);
    }
}
