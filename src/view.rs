//! What the page shows of a run, derived from the history events up to the cursor: each
//! state's status (for the graph's colours) and the details of one state (for Step details).
//! Nothing here is stored; it is recomputed from the events, so stepping back is free.

use asl::history::{EventDetails, HistoryEvent, Payload};
use std::collections::HashMap;

/// A state's status, coloured as the AWS console colours it.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum NodeStatus {
    NotRun,
    InProgress,
    Succeeded,
    Failed,
    Caught,
    Cancelled,
}

impl NodeStatus {
    pub const LEGEND: [NodeStatus; 6] = [
        NodeStatus::Succeeded,
        NodeStatus::Failed,
        NodeStatus::Caught,
        NodeStatus::InProgress,
        NodeStatus::Cancelled,
        NodeStatus::NotRun,
    ];

    /// The `data-status` attribute and CSS class suffix.
    pub fn key(self) -> &'static str {
        match self {
            NodeStatus::NotRun => "not-run",
            NodeStatus::InProgress => "in-progress",
            NodeStatus::Succeeded => "succeeded",
            NodeStatus::Failed => "failed",
            NodeStatus::Caught => "caught",
            NodeStatus::Cancelled => "cancelled",
        }
    }

    pub fn label(self) -> &'static str {
        match self {
            NodeStatus::NotRun => "Not run",
            NodeStatus::InProgress => "In progress",
            NodeStatus::Succeeded => "Succeeded",
            NodeStatus::Failed => "Failed",
            NodeStatus::Caught => "Caught error",
            NodeStatus::Cancelled => "Cancelled",
        }
    }
}

/// What Step details shows for one state (its latest visit).
#[derive(Debug, Clone, PartialEq, Default)]
pub struct StepDetails {
    pub status: Option<NodeStatus>,
    pub resource: Option<String>,
    pub input: Option<Payload>,
    pub output: Option<Payload>,
    pub error: Option<String>,
    pub cause: Option<String>,
    /// The id of the event that entered the state.
    pub entered_event: Option<u64>,
}

/// Every visited state's status and details after `events`.
pub fn trace(events: &[HistoryEvent]) -> HashMap<String, StepDetails> {
    let mut states: HashMap<String, StepDetails> = HashMap::new();
    let mut current: Option<String> = None;
    for event in events {
        match &event.details {
            EventDetails::StateEntered { name, input, .. } => {
                states.insert(
                    name.clone(),
                    StepDetails {
                        status: Some(NodeStatus::InProgress),
                        input: Some(input.clone()),
                        entered_event: Some(event.id),
                        ..Default::default()
                    },
                );
                current = Some(name.clone());
            }
            EventDetails::StateExited { name, output, .. } => {
                if let Some(s) = states.get_mut(name) {
                    s.status = Some(NodeStatus::Succeeded);
                    s.output = Some(output.clone());
                }
                current = None;
            }
            EventDetails::LambdaFunctionScheduled { resource, .. }
            | EventDetails::TaskScheduled { resource, .. } => {
                if let Some(s) = current.as_ref().and_then(|c| states.get_mut(c)) {
                    s.resource = Some(resource.clone());
                }
            }
            EventDetails::LambdaFunctionFailed { error, cause }
            | EventDetails::TaskFailed { error, cause, .. } => {
                if let Some(s) = current.as_ref().and_then(|c| states.get_mut(c)) {
                    s.error = Some(error.clone());
                    s.cause = Some(cause.clone());
                }
            }
            EventDetails::ExecutionFailed { error, cause } => {
                if let Some(s) = current.as_ref().and_then(|c| states.get_mut(c)) {
                    s.status = Some(NodeStatus::Failed);
                    s.error = s.error.take().or_else(|| error.clone());
                    s.cause = s.cause.take().or_else(|| cause.clone());
                }
            }
            _ => {}
        }
    }
    states
}

/// The state an event belongs to: the last state entered at or before it, until it exits.
pub fn state_of_events(events: &[HistoryEvent]) -> Vec<Option<String>> {
    let mut current: Option<String> = None;
    events
        .iter()
        .map(|event| match &event.details {
            EventDetails::StateEntered { name, .. } => {
                current = Some(name.clone());
                current.clone()
            }
            EventDetails::StateExited { name, .. } => {
                current = None;
                Some(name.clone())
            }
            _ => current.clone(),
        })
        .collect()
}

/// A JSON document as the console shows it: pretty, two-space indented.
pub fn pretty(value: &serde_json::Value) -> String {
    serde_json::to_string_pretty(value).unwrap_or_default()
}

#[cfg(test)]
mod tests {
    use super::*;
    use asl::{load, Execution, ExecutionConfig};
    use callcenter::{CallCenter, WorkOnCase, TUTORIAL_DEFINITION};
    use std::sync::Arc;

    fn tutorial(work_on_case: WorkOnCase) -> Execution {
        let machine = Arc::new(load(TUTORIAL_DEFINITION).unwrap());
        let mut run = Execution::new(
            machine,
            serde_json::json!({"inputCaseID": "001"}),
            ExecutionConfig::default(),
        );
        run.run_to_end(&mut CallCenter { work_on_case });
        run
    }

    #[test]
    fn statuses_after_an_unresolved_run() {
        let run = tutorial(WorkOnCase::Unresolved);
        let states = trace(run.history());
        assert_eq!(states["Escalate Case"].status, Some(NodeStatus::Succeeded));
        assert_eq!(states["Fail"].status, Some(NodeStatus::Failed));
        assert_eq!(
            states["Fail"].cause.as_deref(),
            Some("Engage Tier 2 Support.")
        );
        assert!(!states.contains_key("Close Case"));
    }

    #[test]
    fn statuses_part_way_through() {
        let run = tutorial(WorkOnCase::Resolved);
        // ExecutionStarted, Open Case entered, scheduled: Open Case is in progress.
        let states = trace(&run.history()[..3]);
        assert_eq!(states["Open Case"].status, Some(NodeStatus::InProgress));
        assert_eq!(
            states["Open Case"].resource.as_deref(),
            Some("arn:aws:lambda:us-east-2:123456789012:function:OpenCase")
        );
        assert_eq!(states.len(), 1);
    }

    #[test]
    fn details_of_work_on_case() {
        let run = tutorial(WorkOnCase::Resolved);
        let work = &trace(run.history())["Work on Case"];
        assert_eq!(
            pretty(work.input.as_ref().unwrap()),
            "{\n  \"Case\": \"001\",\n  \"Message\": \"Case 001: opened...assigned...\"\n}"
        );
        assert_eq!(work.output.as_ref().unwrap()["Status"], 1);
    }

    #[test]
    fn events_belong_to_states() {
        let run = tutorial(WorkOnCase::Resolved);
        let owners = state_of_events(run.history());
        assert_eq!(owners[0], None);
        assert_eq!(owners[2].as_deref(), Some("Open Case"));
        assert_eq!(owners.last().unwrap(), &None);
    }
}
