//! Running definitions end to end: outputs, failures and the history AWS would record.

use asl::{
    load, Execution, ExecutionConfig, NoTasks, Status, TaskHandler, TaskOutcome, TaskRequest,
};
use serde_json::{json, Value};
use std::sync::Arc;

/// Answers Lambda tasks by function name with a closure.
struct Lambdas<F: FnMut(&str, &Value) -> TaskOutcome>(F);

impl<F: FnMut(&str, &Value) -> TaskOutcome> TaskHandler for Lambdas<F> {
    fn invoke(&mut self, request: TaskRequest<'_>) -> TaskOutcome {
        let name = asl::task::lambda_function_name(request.resource)
            .unwrap_or(request.resource)
            .to_string();
        (self.0)(&name, request.input)
    }
}

fn run_with(definition: Value, input: Value, tasks: &mut dyn TaskHandler) -> Execution {
    let machine = load(&definition.to_string()).unwrap_or_else(|d| panic!("invalid: {d:?}"));
    let mut run = Execution::new(Arc::new(machine), input, ExecutionConfig::default());
    run.run_to_end(tasks);
    run
}

fn run(definition: Value, input: Value) -> Execution {
    run_with(definition, input, &mut NoTasks)
}

fn types(run: &Execution) -> Vec<String> {
    run.history().iter().map(|e| e.event_type()).collect()
}

fn lambda(name: &str) -> String {
    format!("arn:aws:lambda:us-east-2:123456789012:function:{name}")
}

fn call_center(status: i64) -> (Value, impl TaskHandler) {
    let definition = json!({
        "StartAt": "Work on Case",
        "States": {
            "Work on Case": {"Type": "Task", "Resource": lambda("WorkOnCase"), "Next": "Is Case Resolved"},
            "Is Case Resolved": {"Type": "Choice", "Choices": [
                {"Variable": "$.Status", "NumericEquals": 1, "Next": "Close Case"},
                {"Variable": "$.Status", "NumericEquals": 0, "Next": "Escalate Case"}]},
            "Close Case": {"Type": "Task", "Resource": lambda("CloseCase"), "End": true},
            "Escalate Case": {"Type": "Task", "Resource": lambda("EscalateCase"), "Next": "Fail"},
            "Fail": {"Type": "Fail", "Cause": "Engage Tier 2 Support."}
        }
    });
    let tasks = Lambdas(move |name: &str, input: &Value| {
        let mut out = input.clone();
        match name {
            "WorkOnCase" => out["Status"] = json!(status),
            "CloseCase" => out["Message"] = json!("closed."),
            _ => out["Message"] = json!("escalating."),
        }
        TaskOutcome::Succeeded(out)
    });
    (definition, tasks)
}

#[test]
fn resolved_case_closes() {
    let (definition, mut tasks) = call_center(1);
    let run = run_with(definition, json!({"Case": "001"}), &mut tasks);
    assert_eq!(run.status(), Status::Succeeded);
    assert_eq!(
        run.output(),
        Some(&json!({"Case": "001", "Status": 1, "Message": "closed."}))
    );
    assert_eq!(
        types(&run),
        [
            "ExecutionStarted",
            "TaskStateEntered",
            "LambdaFunctionScheduled",
            "LambdaFunctionStarted",
            "LambdaFunctionSucceeded",
            "TaskStateExited",
            "ChoiceStateEntered",
            "ChoiceStateExited",
            "TaskStateEntered",
            "LambdaFunctionScheduled",
            "LambdaFunctionStarted",
            "LambdaFunctionSucceeded",
            "TaskStateExited",
            "ExecutionSucceeded"
        ]
    );
}

#[test]
fn unresolved_case_fails_with_tier_2() {
    let (definition, mut tasks) = call_center(0);
    let run = run_with(definition, json!({"Case": "001"}), &mut tasks);
    assert_eq!(run.status(), Status::Failed);
    let failure = run.failure().unwrap();
    assert_eq!(
        failure.error_str(),
        None,
        "the tutorial's Fail state has no Error"
    );
    assert_eq!(failure.cause_str(), Some("Engage Tier 2 Support."));
    let tail: Vec<String> = types(&run).into_iter().rev().take(3).collect();
    assert_eq!(
        tail,
        ["ExecutionFailed", "FailStateEntered", "TaskStateExited"]
    );
    let last = run.history().last().unwrap().to_aws_json();
    assert_eq!(
        last["executionFailedEventDetails"],
        json!({"cause": "Engage Tier 2 Support."})
    );
}

#[test]
fn no_rule_matching_fails_with_no_choice_matched() {
    let (definition, mut tasks) = call_center(2);
    let run = run_with(definition, json!({}), &mut tasks);
    let failure = run.failure().unwrap();
    assert_eq!(failure.error_str(), Some("States.NoChoiceMatched"));
    assert!(
        failure.cause_str().unwrap().starts_with("An error occurred while executing the state 'Is Case Resolved' (entered at the event id #7)."),
        "{failure:?}"
    );
    assert_eq!(types(&run).last().unwrap(), "ExecutionFailed");
}

#[test]
fn a_step_appends_exactly_one_event() {
    let (definition, mut tasks) = call_center(1);
    let machine = Arc::new(load(&definition.to_string()).unwrap());
    let mut run = Execution::new(machine, json!({}), ExecutionConfig::default());
    let mut ids = Vec::new();
    while let Some(event) = run.step(&mut tasks) {
        ids.push(event.id);
        assert_eq!(run.history().len(), ids.len());
    }
    assert_eq!(ids, (1..=14).collect::<Vec<u64>>());
    assert!(run
        .history()
        .windows(2)
        .all(|w| w[1].previous_event_id == w[0].id && w[1].timestamp >= w[0].timestamp));
    assert!(
        run.step(&mut tasks).is_none(),
        "a finished execution stays finished"
    );
}

#[test]
fn pass_data_flow() {
    let definition = json!({"StartAt": "P", "States": {"P": {
        "Type": "Pass", "InputPath": "$.in", "Result": {"r": 1}, "ResultPath": "$.out.res", "OutputPath": "$.out", "End": true}}});
    let run = run(definition, json!({"in": {"keep": true}}));
    assert_eq!(run.output(), Some(&json!({"res": {"r": 1}})));
}

#[test]
fn task_result_path_keeps_the_input() {
    let definition = json!({"StartAt": "T", "States": {"T": {
        "Type": "Task", "Resource": lambda("Echo"), "ResultPath": "$.taskresult", "End": true}}});
    let mut tasks = Lambdas(|_: &str, _: &Value| TaskOutcome::Succeeded(json!("done")));
    let run = run_with(definition, json!({"a": 1}), &mut tasks);
    assert_eq!(run.output(), Some(&json!({"a": 1, "taskresult": "done"})));
}

#[test]
fn result_path_null_discards_and_output_path_null_empties() {
    let definition = json!({"StartAt": "A", "States": {
        "A": {"Type": "Pass", "Result": 5, "ResultPath": null, "Next": "B"},
        "B": {"Type": "Pass", "OutputPath": null, "End": true}}});
    let run = run(definition, json!({"x": 1}));
    assert_eq!(run.output(), Some(&json!({})));
    assert_eq!(
        run.history()[2].to_aws_json()["stateExitedEventDetails"]["output"],
        json!("{\"x\":1}")
    );
}

#[test]
fn a_path_that_names_nothing_fails_as_aws_does() {
    let definition = json!({"StartAt": "pass", "States": {"pass": {"Type": "Pass", "OutputPath": "$.NoSuchOutputPath", "End": true}}});
    let run = run(definition, json!({}));
    let failure = run.failure().unwrap();
    assert_eq!(failure.error_str(), Some("States.Runtime"));
    assert_eq!(
        failure.cause_str(),
        Some("An error occurred while executing the state 'pass' (entered at the event id #2). Invalid path '$.NoSuchOutputPath' : No results for path: $['NoSuchOutputPath']")
    );
    assert_eq!(
        types(&run),
        ["ExecutionStarted", "PassStateEntered", "ExecutionFailed"]
    );
}

#[test]
fn result_path_into_a_string_is_a_match_failure() {
    let definition = json!({"StartAt": "P", "States": {"P": {"Type": "Pass", "Result": 1, "ResultPath": "$.a.b", "End": true}}});
    let run = run(definition, json!({"a": "text"}));
    assert_eq!(
        run.failure().unwrap().error_str(),
        Some("States.ResultPathMatchFailure")
    );
}

#[test]
fn fail_state_error_and_cause() {
    let definition = json!({"StartAt": "F", "States": {"F": {"Type": "Fail", "Error": "SomeFailure", "Cause": "Because."}}});
    let run = run(definition, json!({}));
    assert_eq!(run.failure().unwrap().error_str(), Some("SomeFailure"));
    assert_eq!(
        types(&run),
        ["ExecutionStarted", "FailStateEntered", "ExecutionFailed"]
    );
}

#[test]
fn succeed_state_and_end() {
    let definition =
        json!({"StartAt": "S", "States": {"S": {"Type": "Succeed", "InputPath": "$.a"}}});
    let run = run(definition, json!({"a": [1, 2]}));
    assert_eq!(run.output(), Some(&json!([1, 2])));
    assert_eq!(
        types(&run),
        [
            "ExecutionStarted",
            "SucceedStateEntered",
            "SucceedStateExited",
            "ExecutionSucceeded"
        ]
    );
}

#[test]
fn a_one_year_wait_finishes_at_once_on_the_virtual_clock() {
    let year = 365 * 24 * 3600;
    let definition =
        json!({"StartAt": "W", "States": {"W": {"Type": "Wait", "Seconds": year, "End": true}}});
    let run = run(definition, json!({}));
    assert_eq!(run.status(), Status::Succeeded);
    let h = run.history();
    assert_eq!(h[2].timestamp - h[1].timestamp, year * 1000);
}

#[test]
fn wait_seconds_path_rejects_negative_values() {
    let definition = json!({"StartAt": "WaitState", "States": {"WaitState": {"Type": "Wait", "SecondsPath": "$.input.waitSeconds", "End": true}}});
    let run = run(definition, json!({"input": {"waitSeconds": -1}}));
    assert_eq!(
        run.failure().unwrap().cause_str(),
        Some("An error occurred while executing the state 'WaitState' (entered at the event id #2). The SecondsPath parameter references a negative value: $.input.waitSeconds == -1")
    );
}

#[test]
fn an_endless_loop_stops_at_the_history_limit() {
    let definition = json!({"StartAt": "A", "States": {
        "A": {"Type": "Pass", "Next": "B"},
        "B": {"Type": "Choice", "Choices": [{"Variable": "$.stop", "IsPresent": true, "Next": "C"}], "Default": "A"},
        "C": {"Type": "Succeed"}}});
    let run = run(definition, json!({}));
    assert_eq!(run.status(), Status::Failed);
    assert_eq!(run.history().len(), asl::execution::MAX_HISTORY_EVENTS);
}

#[test]
fn a_missing_function_fails_the_task() {
    let definition = json!({"StartAt": "T", "States": {"T": {"Type": "Task", "Resource": lambda("Nope"), "End": true}}});
    let run = run(definition, json!({}));
    assert_eq!(
        run.failure().unwrap().error_str(),
        Some("Lambda.ResourceNotFoundException")
    );
    assert_eq!(types(&run)[4], "LambdaFunctionFailed");
}

#[test]
fn choice_can_read_the_context_object() {
    let definition = json!({"StartAt": "C", "States": {
        "C": {"Type": "Choice", "Choices": [{"Variable": "$$.State.Name", "StringEquals": "C", "Next": "Yes"}], "Default": "No"},
        "Yes": {"Type": "Succeed"}, "No": {"Type": "Fail"}}});
    assert_eq!(run(definition, json!({})).status(), Status::Succeeded);
}

#[test]
fn the_same_seed_replays_the_same_run() {
    let definition = json!({"StartAt": "T", "States": {"T": {"Type": "Task", "Resource": lambda("Coin"), "End": true}}});
    struct Coin;
    impl TaskHandler for Coin {
        fn invoke(&mut self, request: TaskRequest<'_>) -> TaskOutcome {
            TaskOutcome::Succeeded(json!((request.random)()))
        }
    }
    let machine = Arc::new(load(&definition.to_string()).unwrap());
    let outcome = |seed: u64| {
        let mut run = Execution::new(
            machine.clone(),
            json!({}),
            ExecutionConfig {
                seed,
                ..Default::default()
            },
        );
        run.run_to_end(&mut Coin);
        run.output().unwrap().clone()
    };
    assert_eq!(outcome(7), outcome(7));
    assert_ne!(outcome(7), outcome(8));
}

#[test]
fn history_serialises_as_get_execution_history() {
    let (definition, mut tasks) = call_center(1);
    let run = run_with(definition, json!({"Case": "001"}), &mut tasks);
    let h: Vec<Value> = run.history().iter().map(|e| e.to_aws_json()).collect();
    assert_eq!(h[0]["type"], "ExecutionStarted");
    assert_eq!(h[0]["previousEventId"], 0);
    assert_eq!(
        h[0]["executionStartedEventDetails"]["input"],
        "{\"Case\":\"001\"}"
    );
    assert_eq!(h[0]["timestamp"], "2026-01-01T00:00:00.000Z");
    assert_eq!(h[1]["stateEnteredEventDetails"]["name"], "Work on Case");
    assert_eq!(
        h[2]["lambdaFunctionScheduledEventDetails"]["resource"],
        lambda("WorkOnCase")
    );
    assert_eq!(
        h[4]["lambdaFunctionSucceededEventDetails"]["output"],
        "{\"Case\":\"001\",\"Status\":1}"
    );
    assert!(h[3].get("lambdaFunctionStartedEventDetails").is_none());
}

#[test]
fn parallel_branches_run_on_the_same_input_and_collect_outputs_in_order() {
    let definition = json!({"StartAt": "P", "States": {"P": {"Type": "Parallel", "End": true, "Branches": [
        {"StartAt": "A", "States": {"A": {"Type": "Pass", "Result": "a", "End": true}}},
        {"StartAt": "B1", "States": {"B1": {"Type": "Pass", "Next": "B2"}, "B2": {"Type": "Pass", "InputPath": "$.x", "End": true}}}
    ]}}});
    let run = run(definition, json!({"x": 1}));
    assert_eq!(run.output(), Some(&json!(["a", 1])));
    let t = types(&run);
    assert_eq!(
        &t[..3],
        [
            "ExecutionStarted",
            "ParallelStateEntered",
            "ParallelStateStarted"
        ]
    );
    assert_eq!(
        &t[t.len() - 2..],
        ["ParallelStateExited", "ExecutionSucceeded"]
    );
    assert_eq!(t.len(), 3 + 6 + 2);
}

#[test]
fn map_runs_each_item_through_the_processor() {
    let definition = json!({"StartAt": "M", "States": {"M": {"Type": "Map", "ItemsPath": "$.items", "End": true,
        "ItemSelector": {"value.$": "$$.Map.Item.Value", "index.$": "$$.Map.Item.Index"},
        "ItemProcessor": {"StartAt": "Double", "States": {"Double": {"Type": "Pass", "End": true}}}}}});
    let run = run(definition, json!({"items": ["a", "b"]}));
    assert_eq!(
        run.output(),
        Some(&json!([{"value": "a", "index": 0}, {"value": "b", "index": 1}]))
    );
    assert_eq!(
        types(&run),
        [
            "ExecutionStarted",
            "MapStateEntered",
            "MapStateStarted",
            "MapIterationStarted",
            "PassStateEntered",
            "PassStateExited",
            "MapIterationSucceeded",
            "MapIterationStarted",
            "PassStateEntered",
            "PassStateExited",
            "MapIterationSucceeded",
            "MapStateSucceeded",
            "MapStateExited",
            "ExecutionSucceeded"
        ]
    );
}

#[test]
fn a_task_is_retried_with_backoff_on_the_virtual_clock_then_caught() {
    let definition = json!({"StartAt": "T", "States": {
        "T": {"Type": "Task", "Resource": lambda("Flaky"), "Next": "Done",
              "Retry": [{"ErrorEquals": ["Boom"], "IntervalSeconds": 2, "MaxAttempts": 2, "BackoffRate": 3}],
              "Catch": [{"ErrorEquals": ["States.ALL"], "ResultPath": "$.error", "Next": "Recovered"}]},
        "Done": {"Type": "Succeed"},
        "Recovered": {"Type": "Pass", "End": true}}});
    let mut tasks = Lambdas(|_: &str, _: &Value| TaskOutcome::Failed {
        error: "Boom".into(),
        cause: "it broke".into(),
    });
    let run = run_with(definition, json!({"keep": 1}), &mut tasks);
    assert_eq!(
        run.output(),
        Some(&json!({"keep": 1, "error": {"Error": "Boom", "Cause": "it broke"}}))
    );
    let failed: Vec<_> = run
        .history()
        .iter()
        .filter(|e| e.event_type() == "LambdaFunctionFailed")
        .collect();
    assert_eq!(failed.len(), 3, "one try and two retries");
    let scheduled: Vec<i64> = run
        .history()
        .iter()
        .filter(|e| e.event_type() == "LambdaFunctionScheduled")
        .map(|e| e.timestamp)
        .collect();
    let gaps: Vec<i64> = scheduled.windows(2).map(|w| w[1] - w[0]).collect();
    let timing = asl::clock::Timing::default();
    let attempt = timing.transition + timing.schedule + timing.task + timing.transition;
    assert_eq!(
        gaps,
        [
            attempt - timing.transition + 2_000,
            attempt - timing.transition + 6_000
        ]
    );
    assert!(
        types(&run).contains(&"TaskStateExited".to_string()),
        "a caught task exits"
    );
}

#[test]
fn a_failing_branch_fails_the_parallel_state() {
    let definition = json!({"StartAt": "P", "States": {"P": {"Type": "Parallel", "End": true, "Branches": [
        {"StartAt": "F", "States": {"F": {"Type": "Fail", "Error": "E", "Cause": "C"}}}]}}});
    let run = run(definition, json!({}));
    assert_eq!(run.failure().unwrap().error_str(), Some("E"));
    assert_eq!(types(&run).last().unwrap(), "ExecutionFailed");
}

#[test]
fn variables_are_assigned_from_results_and_read_by_paths() {
    let definition = json!({"StartAt": "Set", "States": {
        "Set": {"Type": "Pass", "Result": {"answer": 42}, "Assign": {"theAnswer.$": "$.answer", "greeting": "hi"}, "Next": "Use"},
        "Use": {"Type": "Pass", "Parameters": {"a.$": "$theAnswer", "g.$": "States.Format('{} {}', $greeting, $theAnswer)"}, "End": true}}});
    assert_eq!(
        run(definition, json!({})).output(),
        Some(&json!({"a": 42, "g": "hi 42"}))
    );
}

#[test]
fn a_branch_sees_outer_variables_but_its_assignments_stay_inside() {
    let definition = json!({"StartAt": "Set", "States": {
        "Set": {"Type": "Pass", "Assign": {"x": 1}, "Next": "P"},
        "P": {"Type": "Parallel", "Next": "After", "Branches": [
            {"StartAt": "B", "States": {"B": {"Type": "Pass", "Assign": {"x": 2}, "Parameters": {"seen.$": "$x"}, "End": true}}}]},
        "After": {"Type": "Pass", "Parameters": {"x.$": "$x", "branch.$": "$[0].seen"}, "End": true}}});
    assert_eq!(
        run(definition, json!({})).output(),
        Some(&json!({"x": 1, "branch": 1}))
    );
}

#[test]
fn a_result_over_256_kib_fails_with_data_limit_exceeded() {
    let big = "x".repeat(262_145);
    let definition =
        json!({"StartAt": "Big", "States": {"Big": {"Type": "Pass", "Result": big, "End": true}}});
    let run = run(definition, json!({}));
    assert_eq!(
        run.failure().unwrap().error_str(),
        Some("States.DataLimitExceeded")
    );
}

#[test]
fn a_wait_past_the_machines_timeout_times_the_execution_out() {
    let definition = json!({"StartAt": "W", "TimeoutSeconds": 60, "States": {"W": {"Type": "Wait", "Seconds": 3600, "End": true}}});
    let run = run(definition, json!({}));
    assert_eq!(run.status(), Status::TimedOut);
    assert_eq!(run.failure().unwrap().error_str(), Some("States.Timeout"));
    let h = run.history();
    assert_eq!(
        types(&run),
        ["ExecutionStarted", "WaitStateEntered", "ExecutionTimedOut"]
    );
    assert_eq!(h[2].timestamp - h[0].timestamp, 60_000);
}

#[test]
fn stopping_a_run_aborts_it_where_it_stands() {
    let definition = json!({"StartAt": "A", "States": {
        "A": {"Type": "Pass", "Next": "B"},
        "B": {"Type": "Choice", "Choices": [{"Variable": "$.stop", "IsPresent": true, "Next": "C"}], "Default": "A"},
        "C": {"Type": "Succeed"}}});
    let machine = Arc::new(load(&definition.to_string()).unwrap());
    let mut run = Execution::new(machine, json!({}), ExecutionConfig::default());
    run.run_slice(&mut NoTasks, 10);
    assert!(run.stop(None, Some("Stopped in the playground".into())));
    assert_eq!(run.status(), Status::Aborted);
    assert_eq!(run.history().len(), 11);
    assert_eq!(
        run.history().last().unwrap().event_type(),
        "ExecutionAborted"
    );
    assert!(run.step(&mut NoTasks).is_none());
    assert!(!run.stop(None, None), "an ended run stays ended");
}

#[test]
fn a_variable_over_256_kib_fails_the_state() {
    let definition = serde_json::json!({
        "QueryLanguage": "JSONata",
        "StartAt": "Big",
        "States": {"Big": {"Type": "Pass", "Assign": {"big": "{% $pad('', 262145, 'x') %}"}, "End": true}}
    });
    let machine = asl::load(&definition.to_string()).unwrap();
    let mut run = asl::Execution::new(
        std::sync::Arc::new(machine),
        serde_json::json!({}),
        asl::ExecutionConfig::default(),
    );
    run.run_to_end(&mut asl::NoTasks);
    assert_eq!(run.status(), asl::Status::Failed);
    assert_eq!(
        run.failure().unwrap().error_str(),
        Some("States.DataLimitExceeded")
    );
}

#[test]
fn jsonata_states_read_states_and_assign_after_their_output() {
    let definition = serde_json::json!({
        "QueryLanguage": "JSONata",
        "StartAt": "First",
        "States": {
            "First": {"Type": "Pass", "Assign": {"x": 1}, "Next": "Second"},
            "Second": {
                "Type": "Pass",
                "Output": {"seen": "{% $x %}", "input": "{% $states.input %}", "when": "{% $now() %}"},
                "Assign": {"x": "{% $x + 1 %}", "before": "{% $x %}"},
                "Next": "Third"
            },
            "Third": {"Type": "Pass", "Output": "{% [$x, $before] %}", "End": true}
        }
    });
    let machine = asl::load(&definition.to_string()).unwrap();
    let mut run = asl::Execution::new(
        std::sync::Arc::new(machine),
        serde_json::json!({"a": 1}),
        asl::ExecutionConfig::default(),
    );
    run.run_to_end(&mut asl::NoTasks);
    assert_eq!(run.status(), asl::Status::Succeeded, "{:?}", run.failure());
    assert_eq!(run.output(), Some(&serde_json::json!([2, 1])));
    let second = run
        .history()
        .iter()
        .find(|e| e.event_type() == "PassStateExited" && e.state_name() == Some("Second"))
        .unwrap()
        .to_aws_json();
    let output: serde_json::Value = serde_json::from_str(
        second["stateExitedEventDetails"]["output"]
            .as_str()
            .unwrap(),
    )
    .unwrap();
    assert_eq!(output["seen"], 1);
    assert_eq!(output["input"], serde_json::json!({"a": 1}));
    // $now() is the state's entered time on the virtual clock.
    assert!(output["when"].as_str().unwrap().starts_with("20"));
}

#[test]
fn a_jsonata_fail_computes_its_error_and_cause() {
    let definition = serde_json::json!({
        "QueryLanguage": "JSONata",
        "StartAt": "Stop",
        "States": {"Stop": {"Type": "Fail", "Error": "{% 'Case.' & $states.input.case %}", "Cause": "{% $states.input.why %}"}}
    });
    let machine = asl::load(&definition.to_string()).unwrap();
    let input = serde_json::json!({"case": "Unresolved", "why": "Engage Tier 2 Support."});
    let mut run = asl::Execution::new(
        std::sync::Arc::new(machine.clone()),
        input,
        asl::ExecutionConfig::default(),
    );
    run.run_to_end(&mut asl::NoTasks);
    let failure = run.failure().unwrap();
    assert_eq!(failure.error_str(), Some("Case.Unresolved"));
    assert_eq!(failure.cause.as_deref(), Some("Engage Tier 2 Support."));
    // An expression that gives nothing fails the state with AWS's words.
    let mut run = asl::Execution::new(
        std::sync::Arc::new(machine),
        serde_json::json!({"case": "x"}),
        asl::ExecutionConfig::default(),
    );
    run.run_to_end(&mut asl::NoTasks);
    let failure = run.failure().unwrap();
    assert_eq!(failure.error_str(), Some("States.QueryEvaluationError"));
    assert!(failure.cause.as_deref().unwrap().ends_with(
        "The JSONata expression '$states.input.why' specified for the field 'Cause' returned nothing (undefined)."
    ));
    let types: Vec<String> = run.history().iter().map(|e| e.event_type()).collect();
    assert_eq!(
        types,
        [
            "ExecutionStarted",
            "FailStateEntered",
            "EvaluationFailed",
            "ExecutionFailed"
        ]
    );
}
