//! Every example is valid and runs to the end it is meant to show.

use asl::mock::MockConfig;
use asl::{load, Execution, ExecutionConfig, Status, TaskHandler};
use callcenter::{CallCenter, WorkOnCase};
use serde_json::{json, Value};
use std::sync::Arc;

fn run(name: &str, work_on_case: WorkOnCase) -> Execution {
    let example = examples::find(name).unwrap();
    let machine = Arc::new(load(example.definition).unwrap_or_else(|d| panic!("{name}: {d:?}")));
    let input: Value = serde_json::from_str(example.input).unwrap();
    let mut tasks: Box<dyn TaskHandler> = Box::new(CallCenter { work_on_case });
    if let Some(mocks) = &example.mocks {
        let config = MockConfig::parse(mocks.config).unwrap();
        let case = config
            .test_case(mocks.state_machine, mocks.test_case)
            .unwrap();
        tasks = Box::new(case.with_fallback(tasks));
    }
    let mut run = Execution::new(
        machine,
        input,
        ExecutionConfig {
            seed: 7,
            ..Default::default()
        },
    );
    run.run_to_end(tasks.as_mut());
    run
}

fn count(run: &Execution, event_type: &str) -> usize {
    run.history()
        .iter()
        .filter(|e| e.event_type() == event_type)
        .count()
}

#[test]
fn every_example_is_valid_and_ends() {
    for example in examples::ALL {
        let run = run(example.name, WorkOnCase::Resolved);
        assert_ne!(run.status(), Status::Running, "{}", example.name);
    }
    assert_eq!(
        examples::ALL[0].name,
        "tutorial",
        "the tutorial comes first"
    );
}

#[test]
fn retry_catch_retries_twice_then_succeeds() {
    let run = run("retry-catch", WorkOnCase::Resolved);
    assert_eq!(run.status(), Status::Succeeded);
    assert_eq!(count(&run, "LambdaFunctionFailed"), 2);
    let notified = run
        .history()
        .iter()
        .find(|e| e.state_name() == Some("Notify Customer") && e.event_type() == "TaskStateExited");
    let output = &notified.unwrap().to_aws_json()["stateExitedEventDetails"]["output"];
    let output: Value = serde_json::from_str(output.as_str().unwrap()).unwrap();
    assert_eq!(
        output["notification"],
        json!({"sent": true, "channel": "email"})
    );
    assert_eq!(
        run.output().unwrap()["Message"],
        "Case 002: opened...assigned..."
    );
}

#[test]
fn parallel_joins_both_branches() {
    let run = run("parallel", WorkOnCase::Resolved);
    assert_eq!(
        run.output(),
        Some(
            &json!({"Message": "Case 003: opened...assigned...", "Acknowledgement": "We received case 003."})
        )
    );
}

#[test]
fn map_works_every_case() {
    let run = run("map", WorkOnCase::Resolved);
    assert_eq!(count(&run, "MapIterationSucceeded"), 3);
    assert_eq!(
        run.output().unwrap()["messages"][2],
        "Case 103: opened...resolved...closed."
    );
}

#[test]
fn wait_lets_a_day_pass_on_the_virtual_clock() {
    let run = run("wait", WorkOnCase::Resolved);
    let h = run.history();
    let entered = h
        .iter()
        .find(|e| e.event_type() == "WaitStateEntered")
        .unwrap()
        .timestamp;
    let exited = h
        .iter()
        .find(|e| e.event_type() == "WaitStateExited")
        .unwrap()
        .timestamp;
    assert_eq!(exited - entered, 86_400_000);
}

#[test]
fn intrinsics_build_the_summary() {
    let run = run("intrinsics", WorkOnCase::Resolved);
    let out = run.output().unwrap();
    assert_eq!(out["title"], "Case 005 for Ana");
    assert_eq!(out["tagCount"], 3);
    assert_eq!(
        out["customer"],
        json!({"name": "Ana", "since": 2019, "tier": "gold"})
    );
    assert_eq!(out["pages"], json!([[1, 2, 3], [4, 5, 6], [7]]));
}

#[test]
fn choice_logic_pages_a_gold_priority_one() {
    let run = run("choice-logic", WorkOnCase::Resolved);
    assert_eq!(run.output().unwrap()["route"], "paged");
}

/// The JSONata call center behaves exactly as the tutorial: the same outputs, the same Fail,
/// the same kinds of events.
#[test]
fn the_jsonata_call_center_runs_as_the_tutorial() {
    for work_on_case in [WorkOnCase::Resolved, WorkOnCase::Unresolved] {
        let original = run("tutorial", work_on_case);
        let jsonata = run("callcenter-jsonata", work_on_case);
        assert_eq!(jsonata.status(), original.status());
        assert_eq!(jsonata.output(), original.output());
        assert_eq!(jsonata.failure(), original.failure());
        let types = |run: &Execution| -> Vec<String> {
            run.history().iter().map(|e| e.event_type()).collect()
        };
        assert_eq!(types(&jsonata), types(&original));
    }
    let resolved = run("callcenter-jsonata", WorkOnCase::Resolved);
    assert_eq!(
        resolved.output(),
        Some(
            &json!({"Case": "001", "Status": 1, "Message": "Case 001: opened...assigned...resolved...closed."})
        )
    );
    // The variables it assigned are in the history, as AWS writes them.
    let assigned: Vec<Value> = resolved
        .history()
        .iter()
        .filter_map(|e| {
            e.to_aws_json()["stateExitedEventDetails"]
                .get("assignedVariables")
                .cloned()
        })
        .collect();
    assert_eq!(
        assigned,
        [json!({"caseId": "\"001\""}), json!({"resolved": "true"})]
    );
}

#[test]
fn context_map_labels_each_case_from_the_context_object() {
    let run = run("context-map", WorkOnCase::Resolved);
    assert_eq!(run.status(), Status::Succeeded);
    let output = run.output().unwrap();
    assert_eq!(
        output["labels"],
        json!([
            "Case 101 (1 of 3)",
            "Case 102 (2 of 3)",
            "Case 103 (3 of 3)"
        ])
    );
    assert!(output["run"].is_string());
}
