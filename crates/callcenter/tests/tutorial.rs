//! The tutorial, run end to end by the engine with the simulated functions.

use asl::{load, Execution, ExecutionConfig, Status};
use callcenter::{CallCenter, WorkOnCase, TUTORIAL_DEFINITION, TUTORIAL_INPUT};
use serde_json::{json, Value};
use std::sync::Arc;

fn run(work_on_case: WorkOnCase, seed: u64) -> Execution {
    let machine = Arc::new(load(TUTORIAL_DEFINITION).unwrap());
    let input: Value = serde_json::from_str(TUTORIAL_INPUT).unwrap();
    let mut run = Execution::new(
        machine,
        input,
        ExecutionConfig {
            seed,
            ..Default::default()
        },
    );
    run.run_to_end(&mut CallCenter { work_on_case });
    run
}

fn entered(run: &Execution) -> Vec<&str> {
    run.history()
        .iter()
        .filter(|e| e.event_type().ends_with("StateEntered"))
        .filter_map(|e| e.state_name())
        .collect()
}

#[test]
fn resolved_case_001_is_closed() {
    let run = run(WorkOnCase::Resolved, 0);
    assert_eq!(run.status(), Status::Succeeded);
    assert_eq!(
        serde_json::to_string(run.output().unwrap()).unwrap(),
        r#"{"Case":"001","Status":1,"Message":"Case 001: opened...assigned...resolved...closed."}"#
    );
    assert_eq!(
        entered(&run),
        [
            "Open Case",
            "Assign Case",
            "Work on Case",
            "Is Case Resolved",
            "Close Case"
        ]
    );
}

#[test]
fn unresolved_case_001_is_escalated_to_tier_2() {
    let run = run(WorkOnCase::Unresolved, 0);
    assert_eq!(run.status(), Status::Failed);
    assert_eq!(
        run.failure().unwrap().cause_str(),
        Some("Engage Tier 2 Support.")
    );
    assert_eq!(
        entered(&run),
        [
            "Open Case",
            "Assign Case",
            "Work on Case",
            "Is Case Resolved",
            "Escalate Case",
            "Fail"
        ]
    );
    let escalated = run
        .history()
        .iter()
        .rev()
        .find(|e| e.event_type() == "TaskStateExited")
        .unwrap()
        .to_aws_json();
    let output: Value = serde_json::from_str(
        escalated["stateExitedEventDetails"]["output"]
            .as_str()
            .unwrap(),
    )
    .unwrap();
    assert_eq!(
        output,
        json!({"Case": "001", "Status": 0, "Message": "Case 001: opened...assigned...unresolved...escalating."})
    );
}

#[test]
fn random_outcomes_follow_the_seed() {
    let outcomes: Vec<Status> = (0..40)
        .map(|seed| run(WorkOnCase::Random, seed).status())
        .collect();
    assert!(
        outcomes.contains(&Status::Succeeded) && outcomes.contains(&Status::Failed),
        "both outcomes occur"
    );
    let again: Vec<Status> = (0..40)
        .map(|seed| run(WorkOnCase::Random, seed).status())
        .collect();
    assert_eq!(outcomes, again, "a seed always gives the same outcome");
}
