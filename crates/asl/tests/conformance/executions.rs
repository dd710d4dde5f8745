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
    let actual: Vec<String> = run.history().iter().map(|e| e.event_type()).collect();
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
