//! RedriveExecution: a run that ended unsuccessfully goes on from the state that failed, in
//! the same history, after an ExecutionRedriven event.

use asl::mock::MockConfig;
use asl::{load, EventDetails, Execution, ExecutionConfig, RedriveError, Status, TaskHandler};
use serde_json::json;
use std::sync::Arc;

/// Prepare (a Pass) → Work (a Task that fails on its first invocation and succeeds on its
/// second) → Report (reads the context object).
const MACHINE: &str = r#"{
  "StartAt": "Prepare",
  "States": {
    "Prepare": { "Type": "Pass", "Result": {"n": 1}, "ResultPath": "$.prepared", "Next": "Work" },
    "Work": {
      "Type": "Task",
      "Resource": "arn:aws:lambda:us-east-2:123456789012:function:Work",
      "Retry": [{ "ErrorEquals": ["Flaky"], "MaxAttempts": 1, "IntervalSeconds": 1 }],
      "ResultPath": "$.work",
      "Next": "Report"
    },
    "Report": {
      "Type": "Pass",
      "Parameters": { "redrives.$": "$$.Execution.RedriveCount", "at.$": "$$.Execution.RedriveTime", "work.$": "$.work" },
      "End": true
    }
  }
}"#;

/// Invocation 0 is retried (Flaky) and invocation 1 fails for good; after the redrive the
/// retry count starts afresh: 2 fails again … so the third answer decides.
fn mocks(answers: &str) -> Box<dyn TaskHandler> {
    let text = format!(
        r#"{{"StateMachines": {{"M": {{"TestCases": {{"T": {{"Work": "WorkMock"}}}}}}}},
            "MockedResponses": {{"WorkMock": {answers}}}}}"#
    );
    Box::new(
        MockConfig::parse(&text)
            .unwrap()
            .test_case("M", "T")
            .unwrap(),
    )
}

fn run(tasks: &mut dyn TaskHandler) -> Execution {
    let machine = Arc::new(load(MACHINE).unwrap());
    let mut execution = Execution::new(machine, json!({"case": 7}), ExecutionConfig::default());
    execution.run_to_end(tasks);
    execution
}

fn types(execution: &Execution) -> Vec<String> {
    execution.history().iter().map(|e| e.event_type()).collect()
}

const FAIL_THEN_SUCCEED: &str = r#"{
  "0": { "Throw": { "Error": "Boom", "Cause": "first try" } },
  "1": { "Return": { "ok": true } }
}"#;

#[test]
fn a_redriven_run_enters_the_failed_state_again_and_succeeds() {
    let mut tasks = mocks(FAIL_THEN_SUCCEED);
    let mut execution = run(&mut *tasks);
    assert_eq!(execution.status(), Status::Failed);
    let failed_len = execution.history().len();
    assert_eq!(types(&execution).last().unwrap(), "ExecutionFailed");

    execution.redrive().expect("a failed run can be redriven");
    // ExecutionRedriven follows the last event at once; the run is running again.
    let redriven = execution.history().last().unwrap().clone();
    assert_eq!(redriven.id, failed_len as u64 + 1);
    assert_eq!(redriven.previous_event_id, failed_len as u64);
    assert_eq!(
        redriven.details,
        EventDetails::ExecutionRedriven { redrive_count: 1 }
    );
    assert_eq!(
        redriven.to_aws_json()["executionRedrivenEventDetails"],
        json!({"redriveCount": 1})
    );
    assert_eq!(execution.status(), Status::Running);
    assert_eq!(execution.redrive_count(), 1);

    execution.run_to_end(&mut *tasks);
    assert_eq!(execution.status(), Status::Succeeded);
    let all = types(&execution);
    // The history before the redrive is kept as it was: Prepare is not run again.
    assert_eq!(
        all[failed_len..],
        [
            "ExecutionRedriven",
            "TaskStateEntered",
            "LambdaFunctionScheduled",
            "LambdaFunctionStarted",
            "LambdaFunctionSucceeded",
            "TaskStateExited",
            "PassStateEntered",
            "PassStateExited",
            "ExecutionSucceeded"
        ]
    );
    assert_eq!(all.iter().filter(|t| *t == "PassStateEntered").count(), 2);
    // Ids run on, each event after the one before it.
    for (i, event) in execution.history().iter().enumerate() {
        assert_eq!(event.id, i as u64 + 1);
    }
    let history = execution.history();
    let entered = &history[failed_len + 1];
    assert_eq!(entered.previous_event_id, redriven.id);
    // The failed state is entered again with the input it had the first time.
    let first_entry = history
        .iter()
        .find(|e| e.event_type() == "TaskStateEntered")
        .unwrap();
    let input_of = |e: &asl::HistoryEvent| match &e.details {
        EventDetails::StateEntered { input, .. } => input.clone(),
        _ => panic!("not an entered event"),
    };
    assert_eq!(input_of(entered), input_of(first_entry));
    // The context object says it was redriven, and when.
    let output = execution.output().unwrap();
    assert_eq!(output["redrives"], json!(1));
    assert_eq!(output["work"], json!({"ok": true}));
    let at = redriven.to_aws_json()["timestamp"].clone();
    assert_eq!(output["at"], at);
}

#[test]
fn retries_count_afresh_after_a_redrive() {
    // 0: Flaky (retried), 1: Flaky (MaxAttempts 1 spent: fails), 2: Flaky (retried again
    // after the redrive, as its attempts start over), 3: succeeds.
    let mut tasks = mocks(
        r#"{
          "0-2": { "Throw": { "Error": "Flaky", "Cause": "not yet" } },
          "3": { "Return": { "ok": 3 } }
        }"#,
    );
    let mut execution = run(&mut *tasks);
    assert_eq!(execution.status(), Status::Failed);
    execution.redrive().unwrap();
    execution.run_to_end(&mut *tasks);
    assert_eq!(execution.status(), Status::Succeeded);
    let after: Vec<String> = types(&execution)
        .into_iter()
        .skip_while(|t| t != "ExecutionRedriven")
        .collect();
    let failures = after
        .iter()
        .filter(|t| *t == "LambdaFunctionFailed")
        .count();
    assert_eq!(failures, 1, "one retry again after the redrive: {after:?}");
    assert_eq!(execution.output().unwrap()["work"], json!({"ok": 3}));
}

#[test]
fn a_run_redriven_twice_counts_both() {
    let mut tasks = mocks(
        r#"{
          "0-3": { "Throw": { "Error": "Boom", "Cause": "again" } },
          "4": { "Return": { "ok": 4 } }
        }"#,
    );
    let mut execution = run(&mut *tasks);
    // Boom is not retried: the first run and each redrive invoke once; the fifth answers.
    let mut redrives = 0;
    while execution.status() == Status::Failed {
        execution.redrive().unwrap();
        redrives += 1;
        execution.run_to_end(&mut *tasks);
    }
    assert_eq!(redrives, 4);
    assert_eq!(execution.redrive_count(), 4);
    let counts: Vec<u64> = execution
        .history()
        .iter()
        .filter_map(|e| match e.details {
            EventDetails::ExecutionRedriven { redrive_count } => Some(redrive_count),
            _ => None,
        })
        .collect();
    assert_eq!(counts, [1, 2, 3, 4]);
    assert_eq!(execution.output().unwrap()["redrives"], json!(4));
}

/// Reads the whole `$$.Execution` after one Task.
const CONTEXT: &str = r#"{
  "StartAt": "Work",
  "States": {
    "Work": { "Type": "Task", "Resource": "arn:aws:lambda:us-east-2:123456789012:function:Work", "ResultPath": null, "Next": "Report" },
    "Report": { "Type": "Pass", "Parameters": { "execution.$": "$$.Execution" }, "End": true }
  }
}"#;

fn run_context(tasks: &mut dyn TaskHandler) -> Execution {
    let machine = Arc::new(load(CONTEXT).unwrap());
    let mut execution = Execution::new(machine, json!({}), ExecutionConfig::default());
    execution.run_to_end(tasks);
    execution
}

#[test]
fn a_succeeded_or_running_run_cannot_be_redriven() {
    let mut tasks = mocks(r#"{ "0": { "Return": { "ok": 0 } } }"#);
    let mut execution = run_context(&mut *tasks);
    assert_eq!(execution.status(), Status::Succeeded);
    let before = execution.history().len();
    let refused = execution.redrive().unwrap_err();
    assert_eq!(refused, RedriveError::Succeeded);
    assert_eq!(
        refused.to_string(),
        "Execution is SUCCEEDED and cannot be redriven."
    );
    assert_eq!(execution.history().len(), before, "nothing appended");

    let machine = Arc::new(load(MACHINE).unwrap());
    let mut running = Execution::new(machine, json!({}), ExecutionConfig::default());
    running.step(&mut *tasks);
    assert_eq!(
        running.redrive().unwrap_err().to_string(),
        "Execution is RUNNING and cannot be redriven."
    );
}

#[test]
fn the_context_has_redrive_fields_only_once_redriven() {
    // AWS's recorded context objects of runs never redriven have neither field.
    let mut tasks = mocks(r#"{ "0": { "Return": { "ok": 0 } } }"#);
    let execution = run_context(&mut *tasks);
    let context = &execution.output().unwrap()["execution"];
    assert!(context.get("StartTime").is_some());
    assert_eq!(context.get("RedriveCount"), None);
    assert_eq!(context.get("RedriveTime"), None);

    let mut tasks = mocks(FAIL_THEN_SUCCEED);
    let mut execution = run_context(&mut *tasks);
    execution.redrive().unwrap();
    execution.run_to_end(&mut *tasks);
    let context = &execution.output().unwrap()["execution"];
    assert_eq!(context["RedriveCount"], json!(1));
    assert!(context["RedriveTime"].is_string());
    assert_eq!(context["Input"], json!({}));
}

#[test]
fn a_stopped_run_redriven_enters_the_state_it_was_stopped_in() {
    let mut tasks = mocks(FAIL_THEN_SUCCEED);
    let machine = Arc::new(load(MACHINE).unwrap());
    let mut execution = Execution::new(machine, json!({}), ExecutionConfig::default());
    // ExecutionStarted, PassStateEntered, PassStateExited, TaskStateEntered, Scheduled.
    for _ in 0..5 {
        execution.step(&mut *tasks);
    }
    assert!(execution.stop(None, Some("by hand".into())));
    assert_eq!(execution.status(), Status::Aborted);
    execution.redrive().unwrap();
    execution.run_to_end(&mut *tasks);
    let all = types(&execution);
    let after: Vec<&str> = all
        .iter()
        .skip_while(|t| *t != "ExecutionRedriven")
        .map(String::as_str)
        .collect();
    // The Task's decided events were dropped by the stop: it is entered again. Its first
    // invocation had already been made (and failed), so the second one answers.
    assert_eq!(after[1], "TaskStateEntered");
    assert_eq!(execution.status(), Status::Succeeded, "{all:?}");
}

#[test]
fn a_redriven_fail_state_fails_again() {
    let machine = Arc::new(
        load(r#"{"StartAt":"Go","States":{"Go":{"Type":"Pass","Next":"No"},"No":{"Type":"Fail","Error":"E","Cause":"C"}}}"#)
            .unwrap(),
    );
    let mut execution = Execution::new(machine, json!({}), ExecutionConfig::default());
    execution.run_to_end(&mut asl::NoTasks);
    let first = types(&execution).len();
    execution.redrive().unwrap();
    execution.run_to_end(&mut asl::NoTasks);
    assert_eq!(execution.status(), Status::Failed);
    assert_eq!(
        types(&execution)[first..],
        ["ExecutionRedriven", "FailStateEntered", "ExecutionFailed"]
    );
}
