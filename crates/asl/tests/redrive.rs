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
fn the_context_object_is_rebuilt_from_the_events_alone() {
    // The page's run is in a worker: it has the events, not the Execution, and builds the
    // context object from the config, ExecutionStarted's input and the last ExecutionRedriven.
    let mut tasks = mocks(FAIL_THEN_SUCCEED);
    let mut execution = run_context(&mut *tasks);
    for redriven in [false, true] {
        if redriven {
            execution.redrive().unwrap();
            execution.run_to_end(&mut *tasks);
        }
        let history = execution.history();
        let input = history.iter().find_map(|e| match &e.details {
            EventDetails::ExecutionStarted { input, .. } => Some(input.clone()),
            _ => None,
        });
        let redrive = history.iter().rev().find_map(|e| match e.details {
            EventDetails::ExecutionRedriven { redrive_count } => Some((redrive_count, e.timestamp)),
            _ => None,
        });
        assert_eq!(redrive.is_some(), redriven);
        let at = history.last().unwrap().timestamp;
        let rebuilt = asl::execution::context_object(
            execution.config(),
            input.unwrap(),
            redrive,
            "Work",
            at,
            2,
        );
        assert_eq!(rebuilt, execution.context_object("Work", at, 2));
    }
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

// ---- Parallel and Map: AWS "reschedules and redrives only those branches [iterations] that
// failed or aborted"; the others keep their outputs.

/// A machine and its mocks (`{"State": {answers}}`), run until it ends.
fn run_with(definition: &str, mocked: serde_json::Value) -> (Execution, Box<dyn TaskHandler>) {
    let cases: serde_json::Map<String, serde_json::Value> = mocked
        .as_object()
        .unwrap()
        .keys()
        .map(|state| (state.clone(), json!(format!("{state}Mock"))))
        .collect();
    let responses: serde_json::Map<String, serde_json::Value> = mocked
        .as_object()
        .unwrap()
        .iter()
        .map(|(state, answers)| (format!("{state}Mock"), answers.clone()))
        .collect();
    let config = json!({
        "StateMachines": {"M": {"TestCases": {"T": cases}}},
        "MockedResponses": responses
    });
    let mut tasks: Box<dyn TaskHandler> = Box::new(
        MockConfig::parse(&config.to_string())
            .unwrap()
            .test_case("M", "T")
            .unwrap(),
    );
    let machine = Arc::new(load(definition).unwrap());
    let mut execution = Execution::new(machine, json!({"go": true}), ExecutionConfig::default());
    execution.run_to_end(&mut *tasks);
    (execution, tasks)
}

/// The events after the latest ExecutionRedriven: type, and the state name where it has one.
fn after_redrive(execution: &Execution) -> Vec<(String, String)> {
    let history = execution.history();
    let from = history
        .iter()
        .rposition(|e| e.event_type() == "ExecutionRedriven")
        .expect("redriven");
    history[from..]
        .iter()
        .map(|e| {
            let name = match &e.details {
                EventDetails::StateEntered { name, .. }
                | EventDetails::StateExited { name, .. } => name.to_string(),
                EventDetails::MapIterationStarted { index, .. }
                | EventDetails::MapIterationSucceeded { index, .. }
                | EventDetails::MapIterationFailed { index, .. } => index.to_string(),
                _ => String::new(),
            };
            (e.event_type(), name)
        })
        .collect()
}

fn entered(events: &[(String, String)]) -> Vec<&str> {
    events
        .iter()
        .filter(|(t, _)| t.ends_with("StateEntered"))
        .map(|(_, n)| n.as_str())
        .collect()
}

fn iterations_started(events: &[(String, String)]) -> Vec<&str> {
    events
        .iter()
        .filter(|(t, _)| t == "MapIterationStarted")
        .map(|(_, n)| n.as_str())
        .collect()
}

const LAMBDA: &str = "arn:aws:lambda:us-east-2:123456789012:function:Work";

/// Left: one Task. Right: a Pass, then a Task the mocks fail once.
fn parallel() -> String {
    json!({
        "StartAt": "Both",
        "States": {
            "Both": {
                "Type": "Parallel",
                "Branches": [
                    {"StartAt": "Left", "States": {"Left": {"Type": "Task", "Resource": LAMBDA, "End": true}}},
                    {"StartAt": "RightPrep", "States": {
                        "RightPrep": {"Type": "Pass", "Result": "prepared", "ResultPath": "$.prep", "Next": "Right"},
                        "Right": {"Type": "Task", "Resource": LAMBDA, "ResultPath": "$.right", "End": true}
                    }}
                ],
                "Next": "After"
            },
            "After": {"Type": "Pass", "End": true}
        }
    })
    .to_string()
}

#[test]
fn a_redriven_parallel_runs_only_its_failed_branch_again() {
    let (mut execution, mut tasks) = run_with(
        &parallel(),
        json!({
            "Left": {"0": {"Return": {"left": 0}}},
            "Right": {"0": {"Throw": {"Error": "Boom", "Cause": "first"}}, "1": {"Return": {"right": 1}}}
        }),
    );
    assert_eq!(execution.status(), Status::Failed);
    let before: Vec<String> = types(&execution);
    assert!(
        before.contains(&"ParallelStateFailed".to_string()),
        "{before:?}"
    );

    execution.redrive().unwrap();
    execution.run_to_end(&mut *tasks);
    assert_eq!(execution.status(), Status::Succeeded);
    let events = after_redrive(&execution);
    // The Parallel is entered again and only the failed state of the failed branch runs:
    // not Left (it succeeded), not RightPrep (it succeeded before Right failed).
    assert_eq!(entered(&events), ["Both", "Right", "After"], "{events:?}");
    let kinds: Vec<&str> = events.iter().map(|(t, _)| t.as_str()).collect();
    assert_eq!(
        kinds,
        [
            "ExecutionRedriven",
            "ParallelStateEntered",
            "ParallelStateStarted",
            "TaskStateEntered",
            "LambdaFunctionScheduled",
            "LambdaFunctionStarted",
            "LambdaFunctionSucceeded",
            "TaskStateExited",
            "ParallelStateExited",
            "PassStateEntered",
            "PassStateExited",
            "ExecutionSucceeded"
        ]
    );
    // Both branches' outputs, in branch order: the kept one and the rerun one.
    assert_eq!(
        execution.output().unwrap(),
        &json!([{"left": 0}, {"go": true, "prep": "prepared", "right": {"right": 1}}])
    );
    // The rerun branch's state follows the new ParallelStateStarted.
    let history = execution.history();
    let started = history
        .iter()
        .rposition(|e| e.event_type() == "ParallelStateStarted")
        .unwrap();
    let right = history
        .iter()
        .rposition(|e| e.event_type() == "TaskStateEntered")
        .unwrap();
    assert_eq!(history[right].previous_event_id, history[started].id);
    for (i, event) in history.iter().enumerate() {
        assert_eq!(event.id, i as u64 + 1);
    }
}

#[test]
fn a_parallel_failed_by_a_data_limit_runs_whole_again() {
    // AWS: "If the state failed because of a States.DataLimitExceeded error, the Parallel
    // state is rerun, including the branches that were successful".
    let (mut execution, mut tasks) = run_with(
        &parallel(),
        json!({
            "Left": {"0-1": {"Return": {"left": 0}}},
            "Right": {"0": {"Throw": {"Error": "States.DataLimitExceeded", "Cause": "too big"}}, "1": {"Return": {"right": 1}}}
        }),
    );
    assert_eq!(execution.status(), Status::Failed);
    execution.redrive().unwrap();
    execution.run_to_end(&mut *tasks);
    assert_eq!(execution.status(), Status::Succeeded);
    let events = after_redrive(&execution);
    assert_eq!(
        entered(&events),
        ["Both", "Left", "RightPrep", "Right", "After"],
        "{events:?}"
    );
}

/// Four items; each iteration calls Work with its item.
fn map(extra: serde_json::Value) -> String {
    let mut map = json!({
        "Type": "Map",
        "ItemProcessor": {"StartAt": "Work", "States": {
            "Work": {"Type": "Task", "Resource": LAMBDA, "End": true}
        }},
        "ItemsPath": "$.items",
        "End": true
    });
    for (k, v) in extra.as_object().unwrap() {
        map[k] = v.clone();
    }
    json!({
        "StartAt": "Prepare",
        "States": {
            "Prepare": {"Type": "Pass", "Result": [0, 1, 2, 3], "ResultPath": "$.items", "Next": "Each"},
            "Each": map
        }
    })
    .to_string()
}

#[test]
fn a_redriven_map_runs_only_its_unsuccessful_iterations_again() {
    // Iterations run in turn: item 1 fails and the Map with it (items 2 and 3 never start).
    // Redriven, item 1 runs again, then 2 and 3 for the first time: 3 fails. Redriven again,
    // only item 3 runs.
    let (mut execution, mut tasks) = run_with(
        &map(json!({})),
        json!({"Work": {
            "0": {"Return": "r0"},
            "1": {"Throw": {"Error": "Boom", "Cause": "item 1"}},
            "2": {"Return": "r1"},
            "3": {"Return": "r2"},
            "4": {"Throw": {"Error": "Boom", "Cause": "item 3"}},
            "5": {"Return": "r3"}
        }}),
    );
    assert_eq!(execution.status(), Status::Failed);
    execution.redrive().unwrap();
    execution.run_to_end(&mut *tasks);
    assert_eq!(execution.status(), Status::Failed);
    let events = after_redrive(&execution);
    assert_eq!(iterations_started(&events), ["1", "2", "3"], "{events:?}");
    assert_eq!(entered(&events), ["Each", "Work", "Work", "Work"]);

    execution.redrive().unwrap();
    execution.run_to_end(&mut *tasks);
    assert_eq!(execution.status(), Status::Succeeded);
    let events = after_redrive(&execution);
    assert_eq!(iterations_started(&events), ["3"], "{events:?}");
    let kinds: Vec<&str> = events.iter().map(|(t, _)| t.as_str()).collect();
    assert_eq!(
        kinds,
        [
            "ExecutionRedriven",
            "MapStateEntered",
            "MapStateStarted",
            "MapIterationStarted",
            "TaskStateEntered",
            "LambdaFunctionScheduled",
            "LambdaFunctionStarted",
            "LambdaFunctionSucceeded",
            "TaskStateExited",
            "MapIterationSucceeded",
            "MapStateSucceeded",
            "MapStateExited",
            "ExecutionSucceeded"
        ]
    );
    // In item order, whichever attempt produced them.
    assert_eq!(
        execution.output().unwrap(),
        &json!(["r0", "r1", "r2", "r3"])
    );
    // MapStateStarted still says how many items the Map has.
    let lengths: Vec<usize> = execution
        .history()
        .iter()
        .filter_map(|e| match e.details {
            EventDetails::MapStateStarted { length } => Some(length),
            _ => None,
        })
        .collect();
    assert_eq!(lengths, [4, 4, 4]);
}

#[test]
fn a_redriven_map_with_two_failed_items_runs_those_two_again() {
    // Tolerating one failure, the Map fails only at the second: items 1 and 3 failed, 0 and
    // 2 succeeded.
    let (mut execution, mut tasks) = run_with(
        &map(json!({"ToleratedFailureCount": 1})),
        json!({"Work": {
            "0": {"Return": "r0"},
            "1": {"Throw": {"Error": "Boom", "Cause": "item 1"}},
            "2": {"Return": "r2"},
            "3": {"Throw": {"Error": "Boom", "Cause": "item 3"}},
            "4": {"Return": "r1 again"},
            "5": {"Return": "r3 again"}
        }}),
    );
    assert_eq!(execution.status(), Status::Failed);
    assert_eq!(
        execution.failure().unwrap().error_str(),
        Some("States.ExceedToleratedFailureThreshold")
    );
    execution.redrive().unwrap();
    execution.run_to_end(&mut *tasks);
    assert_eq!(execution.status(), Status::Succeeded);
    let events = after_redrive(&execution);
    assert_eq!(iterations_started(&events), ["1", "3"], "{events:?}");
    assert_eq!(
        execution.output().unwrap(),
        &json!(["r0", "r1 again", "r2", "r3 again"])
    );
}

#[test]
fn a_redrive_recurses_into_a_parallel_inside_a_map_iteration() {
    // Each iteration runs a Parallel: A (a Task) and B (a Pass, then a Task). Item 1's B
    // fails; redriven, only B's failed Task runs again, inside iteration 1 only.
    let definition = json!({
        "StartAt": "Each",
        "States": {
            "Each": {
                "Type": "Map",
                "ItemsPath": "$.items",
                "ItemProcessor": {"StartAt": "Both", "States": {
                    "Both": {
                        "Type": "Parallel",
                        "Branches": [
                            {"StartAt": "A", "States": {"A": {"Type": "Task", "Resource": LAMBDA, "End": true}}},
                            {"StartAt": "BPrep", "States": {
                                "BPrep": {"Type": "Pass", "Next": "B"},
                                "B": {"Type": "Task", "Resource": LAMBDA, "End": true}
                            }}
                        ],
                        "End": true
                    }
                }},
                "End": true
            }
        }
    })
    .to_string();
    let machine = Arc::new(load(&definition).unwrap());
    let mocks = json!({
        "A": {"0": {"Return": "a0"}, "1": {"Return": "a1"}},
        "B": {"0": {"Return": "b0"}, "1": {"Throw": {"Error": "Boom", "Cause": "b1"}}, "2": {"Return": "b1 again"}}
    });
    let (_, mut tasks) = run_with(
        r#"{"StartAt":"P","States":{"P":{"Type":"Pass","End":true}}}"#,
        mocks,
    );
    let mut execution = Execution::new(
        machine,
        json!({"items": [0, 1]}),
        ExecutionConfig::default(),
    );
    execution.run_to_end(&mut *tasks);
    assert_eq!(execution.status(), Status::Failed);
    execution.redrive().unwrap();
    execution.run_to_end(&mut *tasks);
    assert_eq!(
        execution.status(),
        Status::Succeeded,
        "{:?}",
        types(&execution)
    );
    let events = after_redrive(&execution);
    assert_eq!(iterations_started(&events), ["1"], "{events:?}");
    assert_eq!(entered(&events), ["Each", "Both", "B"], "{events:?}");
    assert_eq!(
        execution.output().unwrap(),
        &json!([["a0", "b0"], ["a1", "b1 again"]])
    );
}

#[test]
fn a_run_stopped_inside_a_map_redriven_runs_the_iterations_not_done() {
    let (_, mut tasks) = run_with(
        r#"{"StartAt":"P","States":{"P":{"Type":"Pass","End":true}}}"#,
        json!({"Work": {"0-9": {"Return": "done"}}}),
    );
    let machine = Arc::new(load(&map(json!({}))).unwrap());
    let mut execution = Execution::new(machine, json!({}), ExecutionConfig::default());
    // Step into iteration 1 until its Task has been scheduled, then stop: the rest of the
    // Task's events, decided already, are dropped.
    let mut iteration_1 = false;
    loop {
        let event = execution.step(&mut *tasks).unwrap().clone();
        iteration_1 |= matches!(
            event.details,
            EventDetails::MapIterationStarted { index: 1, .. }
        );
        if iteration_1 && event.event_type() == "LambdaFunctionScheduled" {
            break;
        }
    }
    assert!(execution.stop(None, Some("by hand".into())));
    assert_eq!(execution.status(), Status::Aborted);
    execution.redrive().unwrap();
    execution.run_to_end(&mut *tasks);
    assert_eq!(
        execution.status(),
        Status::Succeeded,
        "{:?}",
        types(&execution)
    );
    let events = after_redrive(&execution);
    // Item 0 had succeeded: it is not run again. Item 1 was stopped: it runs again; 2 and 3
    // had not started.
    assert_eq!(iterations_started(&events), ["1", "2", "3"], "{events:?}");
    assert_eq!(entered(&events), ["Each", "Work", "Work", "Work"]);
    assert_eq!(
        execution.output().unwrap(),
        &json!(["done", "done", "done", "done"])
    );
    for (i, event) in execution.history().iter().enumerate() {
        assert_eq!(event.id, i as u64 + 1);
    }
}

/// A Distributed Map over four items whose child workflows (of `execution_type`) run Prep
/// then Work, tolerating one failed child.
fn distributed(execution_type: &str) -> String {
    json!({
        "StartAt": "Each",
        "States": {
            "Each": {
                "Type": "Map",
                "ItemsPath": "$.items",
                "ToleratedFailureCount": 1,
                "ItemProcessor": {
                    "ProcessorConfig": {"Mode": "DISTRIBUTED", "ExecutionType": execution_type},
                    "StartAt": "Prep",
                    "States": {
                        "Prep": {"Type": "Task", "Resource": LAMBDA, "ResultPath": null, "Next": "Work"},
                        "Work": {"Type": "Task", "Resource": LAMBDA, "End": true}
                    }
                },
                "End": true
            }
        }
    })
    .to_string()
}

/// Runs `distributed(execution_type)`: children 1 and 3 fail in Work, then the map run is
/// redriven. Returns the run and how many times Prep was invoked in all.
fn redrive_distributed(execution_type: &str) -> (Execution, u64) {
    let config = json!({
        "StateMachines": {"M": {"TestCases": {"T": {"Prep": "PrepMock", "Work": "WorkMock"}}}},
        "MockedResponses": {
            "PrepMock": {"0-9": {"Return": "prepared"}},
            "WorkMock": {
                "0": {"Return": "r0"},
                "1": {"Throw": {"Error": "Boom", "Cause": "item 1"}},
                "2": {"Return": "r2"},
                "3": {"Throw": {"Error": "Boom", "Cause": "item 3"}},
                "4": {"Return": "r1 again"},
                "5": {"Return": "r3 again"}
            }
        }
    });
    let mut tasks = MockConfig::parse(&config.to_string())
        .unwrap()
        .test_case("M", "T")
        .unwrap();
    let machine = Arc::new(load(&distributed(execution_type)).unwrap());
    let mut execution = Execution::new(
        machine,
        json!({"items": [0, 1, 2, 3]}),
        ExecutionConfig::default(),
    );
    execution.run_to_end(&mut tasks);
    assert_eq!(execution.status(), Status::Failed);
    assert_eq!(tasks.invocations("Prep"), 4);
    execution.redrive().unwrap();
    execution.run_to_end(&mut tasks);
    assert_eq!(
        execution.status(),
        Status::Succeeded,
        "{:?}",
        types(&execution)
    );
    assert_eq!(
        tasks.invocations("Work"),
        6,
        "only the failed children ran again"
    );
    (execution, tasks.invocations("Prep"))
}

#[test]
fn a_redriven_distributed_map_redrives_its_failed_standard_children() {
    let (execution, prep) = redrive_distributed("STANDARD");
    // Standard children are redriven from their failed state: Prep is not run again.
    assert_eq!(prep, 4);
    assert_eq!(
        execution.output().unwrap(),
        &json!(["r0", "r1 again", "r2", "r3 again"])
    );
    let events = after_redrive(&execution);
    let kinds: Vec<&str> = events.iter().map(|(t, _)| t.as_str()).collect();
    // The same map run goes on: MapRunRedriven, not a new MapRunStarted.
    assert_eq!(
        kinds,
        [
            "ExecutionRedriven",
            "MapStateEntered",
            "MapStateStarted",
            "MapRunRedriven",
            "MapRunSucceeded",
            "MapStateSucceeded",
            "MapStateExited",
            "ExecutionSucceeded"
        ]
    );
    let history = execution.history();
    let arn_started = history
        .iter()
        .find_map(|e| match &e.details {
            EventDetails::MapRunStarted { map_run_arn } => Some(map_run_arn.clone()),
            _ => None,
        })
        .unwrap();
    let redriven = history
        .iter()
        .find(|e| e.event_type() == "MapRunRedriven")
        .unwrap()
        .to_aws_json();
    assert_eq!(
        redriven["mapRunRedrivenEventDetails"],
        json!({"mapRunArn": arn_started, "redriveCount": 1})
    );
}

#[test]
fn a_redriven_distributed_map_starts_its_failed_express_children_again() {
    let (execution, prep) = redrive_distributed("EXPRESS");
    // Express children start again from their first state (AWS runs them with
    // StartExecution): Prep runs again for children 1 and 3.
    assert_eq!(prep, 6);
    assert_eq!(
        execution.output().unwrap(),
        &json!(["r0", "r1 again", "r2", "r3 again"])
    );
}
