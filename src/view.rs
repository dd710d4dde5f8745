//! What the page shows of a run, derived from the history events up to the cursor: each
//! state's status (for the graph's colours) and the details of one state (for Step details).
//! Nothing here is stored; it is recomputed from the events, so stepping back is free.

use crate::by_name::ByName;
use asl::history::{EventDetails, HistoryEvent, Payload};
use std::sync::Arc;

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
pub fn trace(events: &[HistoryEvent]) -> ByName<StepDetails> {
    let mut trace = Trace::default();
    events.iter().for_each(|e| trace.push(e));
    trace.states
}

/// [`trace`], one event at a time.
#[derive(Debug, Clone, Default)]
pub struct Trace {
    pub states: ByName<StepDetails>,
    current: Option<String>,
}

impl Trace {
    pub fn push(&mut self, event: &HistoryEvent) {
        let Trace { states, current } = self;
        match &event.details {
            EventDetails::StateEntered { name, input, .. } => {
                states.insert(
                    name,
                    StepDetails {
                        status: Some(NodeStatus::InProgress),
                        input: Some(input.clone()),
                        entered_event: Some(event.id),
                        ..Default::default()
                    },
                );
                *current = Some(name.to_string());
            }
            EventDetails::StateExited { name, output, .. } => {
                if let Some(s) = states.get_mut(name) {
                    // A state that failed and still exited had its error caught.
                    let caught = s.error.is_some();
                    s.status = Some(if caught {
                        NodeStatus::Caught
                    } else {
                        NodeStatus::Succeeded
                    });
                    s.output = Some(output.clone());
                }
                *current = None;
            }
            EventDetails::LambdaFunctionScheduled { resource, .. }
            | EventDetails::TaskScheduled { resource, .. } => {
                if let Some(s) = current.as_ref().and_then(|c| states.get_mut(c)) {
                    s.resource = Some(resource.clone());
                }
            }
            // A retry that succeeds leaves no error behind (the Retries tab keeps the attempts).
            EventDetails::LambdaFunctionSucceeded { .. } | EventDetails::TaskSucceeded { .. } => {
                if let Some(s) = current.as_ref().and_then(|c| states.get_mut(c)) {
                    s.error = None;
                    s.cause = None;
                }
            }
            EventDetails::LambdaFunctionFailed { error, cause }
            | EventDetails::TaskFailed { error, cause, .. } => {
                if let Some(s) = current.as_ref().and_then(|c| states.get_mut(c)) {
                    s.error = Some(error.clone());
                    s.cause = Some(cause.clone());
                }
            }
            EventDetails::ExecutionFailed { error, cause }
            | EventDetails::ExecutionTimedOut { error, cause } => {
                if let Some(s) = current.as_ref().and_then(|c| states.get_mut(c)) {
                    s.status = Some(NodeStatus::Failed);
                    s.error = s.error.take().or_else(|| error.clone());
                    s.cause = s.cause.take().or_else(|| cause.clone());
                }
            }
            EventDetails::ExecutionAborted { .. } => {
                for s in states
                    .values_mut()
                    .filter(|s| s.status == Some(NodeStatus::InProgress))
                {
                    s.status = Some(NodeStatus::Cancelled);
                }
            }
            _ => {}
        }
    }
}

/// The state an event belongs to: the last state entered at or before it, until it exits.
pub fn state_of_events(events: &[HistoryEvent]) -> Vec<Option<String>> {
    let mut owners = Owners::default();
    events
        .iter()
        .map(|event| owners.push(event).map(|name| name.to_string()))
        .collect()
}

/// [`state_of_events`], one event at a time (names shared, not copied, per event).
#[derive(Debug, Clone, Default)]
pub struct Owners {
    current: Option<Arc<str>>,
}

impl Owners {
    /// The state `event` belongs to.
    pub fn push(&mut self, event: &HistoryEvent) -> Option<Arc<str>> {
        match &event.details {
            EventDetails::StateEntered { name, .. } => {
                self.current = Some(name.clone());
                self.current.clone()
            }
            EventDetails::StateExited { name, .. } => {
                self.current = None;
                Some(name.clone())
            }
            _ => self.current.clone(),
        }
    }
}

/// The workflow variables a state's latest visit saw and assigned.
#[derive(Debug, Clone, PartialEq, Default)]
pub struct StateScope {
    /// In scope when the state was entered: what its expressions read.
    pub entered: Variables,
    /// What it assigned as it exited (`None` before it exits, or when it assigns nothing).
    pub assigned: Option<Arc<serde_json::Map<String, serde_json::Value>>>,
    /// Inside a Parallel branch or a Map iteration: `entered` is then the top level's
    /// variables as the outermost Parallel or Map began (see [`Scopes`]).
    pub nested: bool,
    pub exited: bool,
    /// When it was entered (the event's timestamp), for `$states.context`.
    pub entered_at: i64,
}

/// The workflow variables in scope, from each StateExited's assigned variables. A Parallel
/// branch's or a Map iteration's assignments stay inside it, as the engine scopes them; only
/// the top-level thread is followed here (branches interleave in the history), so a state
/// inside a Parallel or Map sees the top level's variables as the outermost one began.
#[derive(Debug, Clone, Default)]
pub struct Scopes {
    /// The Parallel and Map states open (their names), outermost first.
    open: Vec<Arc<str>>,
    /// The top level's variables.
    pub top: Variables,
    pub states: ByName<StateScope>,
}

pub type Variables = Arc<serde_json::Map<String, serde_json::Value>>;

impl Scopes {
    pub fn push(&mut self, event: &HistoryEvent) {
        let container =
            |t: &asl::StateType| matches!(t, asl::StateType::Parallel | asl::StateType::Map);
        match &event.details {
            EventDetails::StateEntered {
                name, state_type, ..
            } => {
                self.states.insert(
                    name,
                    StateScope {
                        entered: self.top.clone(),
                        assigned: None,
                        nested: !self.open.is_empty(),
                        exited: false,
                        entered_at: event.timestamp,
                    },
                );
                if container(state_type) {
                    self.open.push(name.clone());
                }
            }
            EventDetails::StateExited {
                name,
                state_type,
                assigned_variables,
                ..
            } => {
                if container(state_type) {
                    // Containers inside a failed branch never exit: close them too.
                    if let Some(i) = self.open.iter().rposition(|n| n == name) {
                        self.open.truncate(i);
                    }
                }
                if let Some(s) = self.states.get_mut(name) {
                    s.exited = true;
                    s.assigned = assigned_variables.clone();
                }
                if let Some(assigned) = assigned_variables.as_ref().filter(|_| self.open.is_empty())
                {
                    let top = Arc::make_mut(&mut self.top);
                    for (k, v) in assigned.iter() {
                        top.insert(k.clone(), v.clone());
                    }
                }
            }
            _ => {}
        }
    }
}

/// Everything the page shows of a run, derived from the events before the cursor. It is
/// brought up to date one event at a time as the cursor moves forward, and recomputed from the
/// first event when the cursor moves back (or the run is another), so a long run costs each
/// render only its new events, and the events stay the one source of truth.
#[derive(Debug, Clone, Default)]
pub struct Derived {
    /// How many events are taken in (the cursor).
    seen: usize,
    /// The state each event belongs to ([`state_of_events`]).
    pub owners: Vec<Option<Arc<str>>>,
    owner: Owners,
    /// Each visited state's status and details ([`trace`]).
    pub trace: Trace,
    /// One row per state entered ([`state_rows`]).
    pub rows: StateRows,
    /// The arrows followed ([`crate::graph::transitions`]).
    pub transitions: crate::graph::Transitions,
    /// Each Map state's iterations ([`crate::graph::map_progress`]).
    pub maps: crate::graph::MapProgresses,
    /// The workflow variables each state saw and assigned ([`Scopes`]).
    pub scopes: Scopes,
}

impl Derived {
    /// Takes in `events` (the events before the cursor): only the new ones when they follow
    /// those already in.
    pub fn update(&mut self, events: &[HistoryEvent]) {
        if events.len() < self.seen {
            *self = Derived::default();
        }
        for i in self.seen..events.len() {
            let event = &events[i];
            let owner = self.owner.push(event);
            self.owners.push(owner);
            self.trace.push(event);
            self.rows.push(event);
            self.transitions.push(events, i);
            self.maps.push(event);
            self.scopes.push(event);
        }
        self.seen = events.len();
    }

    /// How many events are taken in.
    pub fn seen(&self) -> usize {
        self.seen
    }

    /// The state the last event belongs to, or else the last state an event belonged to.
    pub fn last_state(&self) -> Option<&str> {
        self.owners.iter().rev().flatten().next().map(|s| &**s)
    }
}

/// A JSON document as the console shows it: pretty, two-space indented.
pub fn pretty(value: &serde_json::Value) -> String {
    serde_json::to_string_pretty(value).unwrap_or_default()
}

/// Where the run stands after the visible events.
#[derive(Debug, Clone, PartialEq)]
pub enum Outcome {
    NotStarted,
    Running,
    Succeeded {
        output: Payload,
    },
    Failed {
        error: Option<String>,
        cause: Option<String>,
    },
    TimedOut {
        error: Option<String>,
        cause: Option<String>,
    },
    Aborted {
        error: Option<String>,
        cause: Option<String>,
    },
}

impl Outcome {
    pub fn of(events: &[HistoryEvent]) -> Outcome {
        let Some(last) = events.last() else {
            return Outcome::NotStarted;
        };
        match &last.details {
            EventDetails::ExecutionSucceeded { output } => Outcome::Succeeded {
                output: output.clone(),
            },
            EventDetails::ExecutionFailed { error, cause } => Outcome::Failed {
                error: error.clone(),
                cause: cause.clone(),
            },
            EventDetails::ExecutionTimedOut { error, cause } => Outcome::TimedOut {
                error: error.clone(),
                cause: cause.clone(),
            },
            EventDetails::ExecutionAborted { error, cause } => Outcome::Aborted {
                error: error.clone(),
                cause: cause.clone(),
            },
            _ => Outcome::Running,
        }
    }

    /// As the page words it (and the e2e tests read it).
    pub fn label(&self) -> &'static str {
        match self {
            Outcome::NotStarted => "Not started",
            Outcome::Running => "Running",
            Outcome::Succeeded { .. } => "Succeeded",
            Outcome::Failed { .. } => "Failed",
            Outcome::TimedOut { .. } => "Timed out",
            Outcome::Aborted { .. } => "Aborted",
        }
    }
}

/// One task attempt of a state visit, for the Retries tab.
#[derive(Debug, Clone, PartialEq)]
pub struct Attempt {
    pub scheduled_at: i64,
    pub error: Option<String>,
    pub cause: Option<String>,
}

/// Every attempt of the latest visit of `state`.
pub fn attempts(events: &[HistoryEvent], state: &str) -> Vec<Attempt> {
    let owners = state_of_events(events);
    attempts_by(events, owners.iter().map(Option::as_deref), state)
}

/// [`attempts`], given the state each event belongs to (as [`state_of_events`] says).
pub fn attempts_by<'a>(
    events: &[HistoryEvent],
    owners: impl Iterator<Item = Option<&'a str>>,
    state: &str,
) -> Vec<Attempt> {
    let entered = events.iter().rposition(
        |e| matches!(&e.details, EventDetails::StateEntered { name, .. } if **name == *state),
    );
    let Some(entered) = entered else {
        return Vec::new();
    };
    let mut out: Vec<Attempt> = Vec::new();
    for (event, owner) in events.iter().zip(owners).skip(entered) {
        if owner != Some(state) {
            continue;
        }
        match &event.details {
            EventDetails::LambdaFunctionScheduled { .. } | EventDetails::TaskScheduled { .. } => {
                out.push(Attempt {
                    scheduled_at: event.timestamp,
                    error: None,
                    cause: None,
                })
            }
            EventDetails::LambdaFunctionFailed { error, cause }
            | EventDetails::TaskFailed { error, cause, .. } => {
                if let Some(last) = out.last_mut() {
                    last.error = Some(error.clone());
                    last.cause = Some(cause.clone());
                }
            }
            _ => {}
        }
    }
    out
}

/// One row of the table view: a state entered, and how long it took in virtual time.
#[derive(Debug, Clone, PartialEq)]
pub struct StateRow {
    pub name: String,
    pub state_type: String,
    pub status: NodeStatus,
    pub entered_at: i64,
    pub duration: Option<i64>,
}

/// One row per state entered, in order.
pub fn state_rows(events: &[HistoryEvent]) -> Vec<StateRow> {
    let mut rows = StateRows::default();
    events.iter().for_each(|e| rows.push(e));
    rows.rows(events)
}

/// [`state_rows`], one event at a time.
#[derive(Debug, Clone, Default)]
pub struct StateRows {
    /// The first event's time: rows count from it.
    start: Option<i64>,
    rows: Vec<StateRow>,
    open: Vec<usize>,
}

impl StateRows {
    pub fn push(&mut self, event: &HistoryEvent) {
        let StateRows { start, rows, open } = self;
        let start = *start.get_or_insert(event.timestamp);
        match &event.details {
            EventDetails::StateEntered {
                state_type, name, ..
            } => {
                open.push(rows.len());
                rows.push(StateRow {
                    name: name.to_string(),
                    state_type: state_type.as_str().to_string(),
                    status: NodeStatus::InProgress,
                    entered_at: event.timestamp - start,
                    duration: None,
                });
            }
            EventDetails::StateExited { name, .. } => {
                if let Some(k) = open.iter().rposition(|&i| *rows[i].name == **name) {
                    let i = open.remove(k);
                    rows[i].status = NodeStatus::Succeeded;
                    rows[i].duration = Some(event.timestamp - start - rows[i].entered_at);
                }
            }
            _ => {}
        }
    }

    /// The rows after `events` (the events pushed so far).
    pub fn rows(&self, events: &[HistoryEvent]) -> Vec<StateRow> {
        let mut rows = self.rows.clone();
        // States still open when the run ended failed (or were cancelled by a stop).
        let outcome = Outcome::of(events);
        if !matches!(outcome, Outcome::Running | Outcome::NotStarted) {
            let cancelled = matches!(outcome, Outcome::Aborted { .. });
            let end = events
                .last()
                .map_or(0, |e| e.timestamp - self.start.unwrap_or(e.timestamp));
            for &i in &self.open {
                rows[i].status = if cancelled {
                    NodeStatus::Cancelled
                } else {
                    NodeStatus::Failed
                };
                rows[i].duration = Some(end - rows[i].entered_at);
            }
        }
        rows
    }
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

    #[test]
    fn variables_in_scope_as_the_run_goes() {
        let example = examples::find("callcenter-jsonata").unwrap();
        let machine = Arc::new(load(example.definition).unwrap());
        let mut run = Execution::new(
            machine,
            serde_json::json!({"inputCaseID": "001"}),
            ExecutionConfig::default(),
        );
        run.run_to_end(&mut CallCenter {
            work_on_case: WorkOnCase::Resolved,
        });
        let mut derived = Derived::default();
        derived.update(run.history());
        let scopes = &derived.scopes;
        let open = &scopes.states["Open Case"];
        assert!(open.entered.is_empty());
        assert_eq!(open.assigned.as_ref().unwrap()["caseId"], "001");
        let choice = &scopes.states["Is Case Resolved"];
        assert_eq!(choice.entered["caseId"], "001");
        assert_eq!(choice.entered["resolved"], true);
        assert!(choice.assigned.is_none());
        // Back to before Work on Case exits: `resolved` is not yet assigned.
        let exited = run
            .history()
            .iter()
            .position(|e| matches!(&e.details, EventDetails::StateExited { name, .. } if &**name == "Work on Case"))
            .unwrap();
        derived.update(&run.history()[..exited]);
        assert!(!derived.scopes.top.contains_key("resolved"));
        let work = &derived.scopes.states["Work on Case"];
        assert!(!work.exited);
        assert!(!work.entered.contains_key("resolved"), "{work:?}");
        assert_eq!(derived.scopes.top["caseId"], "001");
    }
}
