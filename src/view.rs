//! What the page shows of a run, derived from the history events up to the cursor: each
//! state's status (for the graph's colours) and the details of one state (for Step details).
//! Nothing here is stored; it is recomputed from the events, so stepping back is free.

mod visits;

pub use visits::{Picks, Visit, Visits};

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

/// Every visit after `events` (each state's status and details are its latest visit's).
pub fn visits(events: &[HistoryEvent]) -> Visits {
    let mut visits = Visits::default();
    events.iter().for_each(|e| {
        visits.push(e);
    });
    visits
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
    /// Each state's visits, and the visit each event belongs to ([`Visits`]): the graph's
    /// colours, Step details, the history's Step column and the table view.
    pub visits: Visits,
    /// The first event's time: the table's times count from it.
    start: Option<i64>,
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
        if events.len() < self.seen() {
            *self = Derived::default();
        }
        for i in self.seen()..events.len() {
            let event = &events[i];
            self.start.get_or_insert(event.timestamp);
            let owner = self.visits.push(event);
            self.transitions.push(events, i, &self.visits);
            self.maps.push(event, owner.map(|v| &self.visits.all[v]));
            self.scopes.push(event);
        }
    }

    /// How many events are taken in.
    pub fn seen(&self) -> usize {
        self.visits.events()
    }

    /// The state the `i`-th event belongs to.
    pub fn owner(&self, i: usize) -> Option<&Arc<str>> {
        self.visits.of_event(i).map(|v| &v.name)
    }

    /// What Step details shows of `state`: its latest visit (in the picked Map iterations).
    pub fn details(&self, state: &str, picks: &Picks) -> Option<&StepDetails> {
        self.visits.picked(state, picks).map(|v| &v.details)
    }

    /// `state`'s status (its latest visit's, in the picked Map iterations), as the graph
    /// colours it.
    pub fn status(&self, state: &str, picks: &Picks) -> NodeStatus {
        self.visits
            .picked(state, picks)
            .map_or(NodeStatus::NotRun, Visit::status)
    }

    /// The state the last event belongs to, or else the last state an event belonged to.
    pub fn last_state(&self) -> Option<&str> {
        (0..self.seen())
            .rev()
            .find_map(|i| self.owner(i))
            .map(|s| &**s)
    }

    /// Every attempt of the latest visit of `state` in the picked Map iterations (`events`:
    /// those taken in).
    pub fn attempts(&self, events: &[HistoryEvent], state: &str, picks: &Picks) -> Vec<Attempt> {
        let Some(latest) = self.visits.picked_index(state, picks) else {
            return Vec::new();
        };
        let mut out: Vec<Attempt> = Vec::new();
        let owned = (0..events.len().min(self.seen()))
            .filter(|&i| self.visits.owner(i) == Some(latest))
            .map(|i| &events[i]);
        for event in owned {
            match &event.details {
                EventDetails::LambdaFunctionScheduled { .. }
                | EventDetails::TaskScheduled { .. } => out.push(Attempt {
                    scheduled_at: event.timestamp,
                    error: None,
                    cause: None,
                }),
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

    /// One row per state entered, in order ([`StateRow`]).
    pub fn rows(&self) -> Vec<StateRow> {
        let start = self.start.unwrap_or_default();
        self.visits
            .all
            .iter()
            .map(|v| StateRow {
                name: v.name.to_string(),
                state_type: v.state_type.as_str().to_string(),
                status: v.status(),
                entered_at: v.entered_at - start,
                duration: v.ended_at.map(|end| end - v.entered_at),
                iteration: v.iteration,
            })
            .collect()
    }
}

/// A JSON document as the console shows it: pretty, two-space indented; but a value nested
/// deeper than [`PRETTY_DEPTH`] levels on one line, as compact JSON. Indented, its text would
/// grow with the square of its depth: a value nested 1,000 levels deep (as deep as a payload
/// may be) would be a megabyte of spaces, a staircase nobody can read.
pub fn pretty(value: &serde_json::Value) -> String {
    if asl::limits::nesting_depth(value) > PRETTY_DEPTH {
        serde_json::to_string(value).unwrap_or_default()
    } else {
        serde_json::to_string_pretty(value).unwrap_or_default()
    }
}

/// How deep a value [`pretty`] still indents.
pub const PRETTY_DEPTH: usize = 64;

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
    let mut derived = Derived::default();
    derived.update(events);
    derived.attempts(events, state, &Picks::default())
}

/// One row of the table view: a state entered, and how long it took in virtual time.
#[derive(Debug, Clone, PartialEq)]
pub struct StateRow {
    pub name: String,
    pub state_type: String,
    pub status: NodeStatus,
    pub entered_at: i64,
    pub duration: Option<i64>,
    /// Directly inside a Map: the iteration it ran in.
    pub iteration: Option<usize>,
}

/// One row per state entered, in order.
pub fn state_rows(events: &[HistoryEvent]) -> Vec<StateRow> {
    let mut derived = Derived::default();
    derived.update(events);
    derived.rows()
}

#[cfg(test)]
mod tests {
    use super::*;
    use asl::{load, Execution, ExecutionConfig};
    use callcenter::{CallCenter, WorkOnCase, TUTORIAL_DEFINITION};
    use std::sync::Arc;

    #[test]
    fn pretty_indents_up_to_its_depth_and_then_writes_one_line() {
        let nest = |depth: usize| {
            (1..depth).fold(serde_json::json!({}), |v, _| serde_json::json!({ "a": v }))
        };
        let indented = pretty(&nest(PRETTY_DEPTH));
        assert_eq!(
            indented,
            serde_json::to_string_pretty(&nest(PRETTY_DEPTH)).unwrap()
        );
        assert_eq!(indented.lines().count(), 2 * PRETTY_DEPTH - 1);
        let deep = nest(PRETTY_DEPTH + 1);
        assert_eq!(pretty(&deep), serde_json::to_string(&deep).unwrap());
    }

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

    /// The details of `state`'s latest visit after `events`.
    fn details(events: &[HistoryEvent], state: &str) -> StepDetails {
        let mut derived = Derived::default();
        derived.update(events);
        derived
            .details(state, &Picks::default())
            .cloned()
            .unwrap_or_else(|| panic!("{state} was visited"))
    }

    #[test]
    fn a_picked_map_iteration_shows_its_own_visits() {
        let example = examples::find("map").unwrap();
        let mocks = example.mocks.as_ref();
        assert!(
            mocks.is_none(),
            "the map example runs on the tutorial's functions"
        );
        let machine = Arc::new(load(example.definition).unwrap());
        let input: serde_json::Value = serde_json::from_str(example.input).unwrap();
        let config = ExecutionConfig {
            seed: 3,
            ..Default::default()
        };
        let mut run = Execution::new(machine, input, config);
        run.run_to_end(&mut CallCenter {
            work_on_case: WorkOnCase::Random,
        });
        let mut derived = Derived::default();
        derived.update(run.history());
        // Each visit inside the Map knows its iteration, as its events tell it.
        let iterations: Vec<_> = derived
            .visits
            .all
            .iter()
            .filter(|v| &*v.name == "Open Case")
            .map(|v| v.iteration)
            .collect();
        assert_eq!(iterations, [Some(0), Some(1), Some(2)]);
        let queue = "Work the Queue";
        let case = |picks: &Picks| derived.details("Open Case", picks).unwrap().output.clone();
        let mut picks = Picks::default();
        picks.insert(queue, 1);
        assert!(
            case(&picks).unwrap().to_string().contains("Case 102"),
            "iteration 1 is case 102"
        );
        // Latest: the last iteration (case 103).
        assert!(case(&Picks::default())
            .unwrap()
            .to_string()
            .contains("Case 103"));
        // Seed 3: case 101 is unresolved and escalated, 102 resolved and closed.
        picks.insert(queue, 0);
        assert_eq!(derived.status("Close Case", &picks), NodeStatus::NotRun);
        assert_eq!(
            derived.status("Escalate Case", &picks),
            NodeStatus::Succeeded
        );
        picks.insert(queue, 1);
        assert_eq!(derived.status("Close Case", &picks), NodeStatus::Succeeded);
        // The table's rows say the iteration.
        let rows = derived.rows();
        assert_eq!(rows.iter().filter(|r| r.iteration == Some(2)).count(), 4);
        assert_eq!(
            rows[0].iteration, None,
            "the Map itself is at the top level"
        );
    }

    #[test]
    fn statuses_after_an_unresolved_run() {
        let run = tutorial(WorkOnCase::Unresolved);
        let mut derived = Derived::default();
        derived.update(run.history());
        assert_eq!(
            derived.status("Escalate Case", &Picks::default()),
            NodeStatus::Succeeded
        );
        assert_eq!(
            derived.status("Fail", &Picks::default()),
            NodeStatus::Failed
        );
        assert_eq!(
            derived
                .details("Fail", &Picks::default())
                .unwrap()
                .cause
                .as_deref(),
            Some("Engage Tier 2 Support.")
        );
        assert_eq!(
            derived.status("Close Case", &Picks::default()),
            NodeStatus::NotRun
        );
    }

    #[test]
    fn statuses_part_way_through() {
        let run = tutorial(WorkOnCase::Resolved);
        // ExecutionStarted, Open Case entered, scheduled: Open Case is in progress.
        let open = details(&run.history()[..3], "Open Case");
        assert_eq!(open.status, Some(NodeStatus::InProgress));
        assert_eq!(
            open.resource.as_deref(),
            Some("arn:aws:lambda:us-east-2:123456789012:function:OpenCase")
        );
        assert_eq!(visits(&run.history()[..3]).all.len(), 1);
    }

    #[test]
    fn details_of_work_on_case() {
        let run = tutorial(WorkOnCase::Resolved);
        let work = details(run.history(), "Work on Case");
        assert_eq!(
            pretty(work.input.as_ref().unwrap()),
            "{\n  \"Case\": \"001\",\n  \"Message\": \"Case 001: opened...assigned...\"\n}"
        );
        assert_eq!(work.output.as_ref().unwrap()["Status"], 1);
    }

    #[test]
    fn events_belong_to_states() {
        let run = tutorial(WorkOnCase::Resolved);
        let mut derived = Derived::default();
        derived.update(run.history());
        assert_eq!(derived.owner(0), None);
        assert_eq!(derived.owner(2).map(|s| &**s), Some("Open Case"));
        assert_eq!(derived.owner(run.history().len() - 1), None);
    }

    /// A Parallel whose second branch fails in a Fail state, retried once, then caught.
    const FAILING_BRANCH: &str = r#"{
        "StartAt": "Fan Out",
        "States": {
            "Fan Out": {
                "Type": "Parallel",
                "Branches": [
                    {"StartAt": "Work", "States": {
                        "Work": {"Type": "Pass", "Next": "More Work"},
                        "More Work": {"Type": "Pass", "End": true}}},
                    {"StartAt": "Boom", "States": {
                        "Boom": {"Type": "Fail", "Error": "Kaboom", "Cause": "It broke."}}}
                ],
                "Retry": [{"ErrorEquals": ["Kaboom"], "MaxAttempts": 1, "IntervalSeconds": 1}],
                "Catch": [{"ErrorEquals": ["States.ALL"], "Next": "Recover"}],
                "End": true
            },
            "Recover": {"Type": "Pass", "End": true}
        }
    }"#;

    fn run(definition: &str) -> Execution {
        let machine = load(definition).map(Arc::new).unwrap();
        let mut run = Execution::new(machine, serde_json::json!({}), ExecutionConfig::default());
        run.run_to_end(&mut CallCenter {
            work_on_case: WorkOnCase::Resolved,
        });
        run
    }

    #[test]
    fn a_fail_state_in_a_branch_fails_and_its_parallel_is_caught() {
        let run = run(FAILING_BRANCH);
        let mut derived = Derived::default();
        derived.update(run.history());
        let boom = derived.details("Boom", &Picks::default()).unwrap();
        assert_eq!(boom.status, Some(NodeStatus::Failed));
        assert_eq!(boom.error.as_deref(), Some("Kaboom"));
        assert_eq!(boom.cause.as_deref(), Some("It broke."));
        assert_eq!(
            derived.status("Work", &Picks::default()),
            NodeStatus::Succeeded
        );
        assert_eq!(
            derived.status("Fan Out", &Picks::default()),
            NodeStatus::Caught
        );
        assert_eq!(
            derived.status("Recover", &Picks::default()),
            NodeStatus::Succeeded
        );
        // Both attempts' visits ended: none is left in progress.
        assert!(
            derived
                .visits
                .all
                .iter()
                .all(|v| v.status() != NodeStatus::InProgress),
            "{:?}",
            derived.visits.all
        );
        use crate::graph::{Place, Transition};
        let state = |s: &str| Place::State(s.into());
        let taken = &derived.transitions.taken;
        assert!(taken.contains(&Transition {
            from: state("Fan Out"),
            to: state("Recover"),
            caught: true
        }));
        assert!(
            !taken
                .iter()
                .any(|t| t.from == state("Fan Out") && !t.caught),
            "the Parallel left by its Catch only: {taken:?}"
        );
        assert!(taken.contains(&Transition {
            from: state("Recover"),
            to: Place::End,
            caught: false
        }));
    }

    #[test]
    fn a_parallels_own_events_belong_to_it() {
        let run = run(FAILING_BRANCH);
        let mut derived = Derived::default();
        derived.update(run.history());
        for (i, event) in run.history().iter().enumerate() {
            let owner = derived.owner(i).map(|s| &**s);
            match &event.details {
                EventDetails::ParallelStateStarted | EventDetails::ParallelStateFailed { .. } => {
                    assert_eq!(owner, Some("Fan Out"), "event {}", event.id)
                }
                EventDetails::StateEntered { name, .. }
                | EventDetails::StateExited { name, .. } => {
                    assert_eq!(owner, Some(&**name), "event {}", event.id)
                }
                _ => {}
            }
        }
        let started = run
            .history()
            .iter()
            .filter(|e| matches!(e.details, EventDetails::ParallelStateStarted))
            .count();
        assert_eq!(started, 2, "the Parallel was retried");
    }

    #[test]
    fn an_uncaught_failure_at_the_end_does_not_reach_end() {
        let run = run(r#"{"StartAt": "Only", "States": {
            "Only": {"Type": "Pass", "InputPath": "$.missing", "End": true}}}"#);
        let taken = crate::graph::transitions(run.history());
        assert_eq!(
            taken,
            [crate::graph::Transition {
                from: crate::graph::Place::Start,
                to: crate::graph::Place::State("Only".into()),
                caught: false
            }]
        );
        assert_eq!(
            details(run.history(), "Only").status,
            Some(NodeStatus::Failed)
        );
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
