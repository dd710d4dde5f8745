//! Each state's visits, read from the events before the cursor: which visit every event
//! belongs to, and how each visit stands (in progress, succeeded, failed, caught, cancelled).
//!
//! Parallel branches and Map iterations interleave in the history, so "the last state
//! entered" says nothing about whose event comes next. Each event names the one before it in
//! its own thread (`previous_event_id`): an event belongs to the visit its thread is in, a
//! branch's first state was entered from its Parallel's `ParallelStateStarted`, and an exit
//! returns its thread to the visit that holds it. The graph's colours, its arrows, Step
//! details, the event history's Step column and the table view all read these visits, so
//! none of them can disagree with another.

use super::{NodeStatus, StepDetails};
use crate::by_name::ByName;
use asl::history::{EventDetails, HistoryEvent};
use asl::StateType;
use std::sync::Arc;

/// One visit of a state: from its StateEntered event to its exit, its failure, or the end of
/// whatever held it.
#[derive(Debug, Clone, PartialEq)]
pub struct Visit {
    pub name: Arc<str>,
    pub state_type: StateType,
    /// The Parallel or Map visit this one ran inside (`None` at the top level).
    pub parent: Option<usize>,
    /// Directly inside a Map: the index of the iteration it ran in.
    pub iteration: Option<usize>,
    /// What Step details shows of it.
    pub details: StepDetails,
    /// When it was entered and when it ended (timestamps), for the table view.
    pub entered_at: i64,
    pub ended_at: Option<i64>,
    /// Its last attempt, expression or branch failed: were it to end now, it failed (or,
    /// leaving by a Catch, was caught).
    failed: bool,
}

impl Visit {
    pub fn status(&self) -> NodeStatus {
        self.details.status.unwrap_or(NodeStatus::InProgress)
    }

    fn in_progress(&self) -> bool {
        self.status() == NodeStatus::InProgress
    }

    /// Whether this visit failed, were it to end now: a Fail state, or a state whose last
    /// attempt, expression or branch failed.
    fn has_failed(&self) -> bool {
        self.state_type == StateType::Fail || self.failed
    }

    fn fail(&mut self, error: Option<String>, cause: Option<String>) {
        self.failed = true;
        self.details.error = error;
        self.details.cause = cause;
    }
}

/// Every visit after the events taken in so far, one event at a time (see [`Visits::push`]).
#[derive(Debug, Clone, Default)]
pub struct Visits {
    /// In the order entered.
    pub all: Vec<Visit>,
    /// Each state's latest visit (an index into `all`).
    latest: ByName<usize>,
    /// The visits in progress: a handful, even in a long run (visits end as they go).
    open: Vec<usize>,
    /// For each event taken in, the visit it belongs to, and the visit its thread is in after
    /// it (`None`: the top level, outside any state).
    owner: Vec<Option<usize>>,
    after: Vec<Option<usize>>,
    /// The id of each event taken in (ids grow along the history: found by binary search).
    ids: Vec<u64>,
    /// For each event taken in, the Map iteration it tells of or belongs to: a
    /// `MapIteration…` event's index, else its visit's iteration.
    iterations: Vec<Option<usize>>,
}

/// The Map iterations the person picked, by Map state name: the states inside a picked Map
/// show that iteration's visit instead of the latest.
pub type Picks = crate::by_name::ByName<usize>;

impl Visits {
    /// The latest visit of `name`.
    pub fn latest(&self, name: &str) -> Option<&Visit> {
        self.latest.get(name).map(|&v| &self.all[v])
    }

    /// The index in [`Self::all`] of `name`'s latest visit.
    pub fn latest_index(&self, name: &str) -> Option<usize> {
        self.latest.get(name).copied()
    }

    /// The index of `name`'s latest visit within the picked iterations: a state inside a Map
    /// whose iteration is picked shows its visit in that iteration (none: it has not run
    /// there yet); any other, its latest visit.
    pub fn picked_index(&self, name: &str, picks: &Picks) -> Option<usize> {
        let latest = self.latest_index(name)?;
        if picks.is_empty() || self.within(latest, picks) {
            return Some(latest);
        }
        (0..latest)
            .rev()
            .find(|&v| *self.all[v].name == *name && self.within(v, picks))
    }

    /// [`Self::picked_index`]'s visit.
    pub fn picked(&self, name: &str, picks: &Picks) -> Option<&Visit> {
        self.picked_index(name, picks).map(|v| &self.all[v])
    }

    /// Whether visit `v` ran in the picked iteration of every picked Map holding it.
    fn within(&self, mut v: usize, picks: &Picks) -> bool {
        while let Some(parent) = self.all[v].parent {
            if let Some(&pick) = picks.get(&self.all[parent].name) {
                if self.all[v].iteration != Some(pick) {
                    return false;
                }
            }
            v = parent;
        }
        true
    }

    /// The visit (an index into [`Self::all`]) the `i`-th event belongs to.
    pub fn owner(&self, i: usize) -> Option<usize> {
        self.owner.get(i).copied().flatten()
    }

    /// The visit the `i`-th event belongs to.
    pub fn of_event(&self, i: usize) -> Option<&Visit> {
        self.owner(i).map(|v| &self.all[v])
    }

    /// How many events are taken in.
    pub fn events(&self) -> usize {
        self.owner.len()
    }

    /// Where the thread of an event was after the event with id `id` (`None` when it is not
    /// among those taken in: the execution's first event names event 0).
    fn thread_after(&self, id: u64) -> Option<Option<usize>> {
        self.ids.binary_search(&id).ok().map(|i| self.after[i])
    }

    /// Whether `visit` ran inside `container` (at any depth).
    fn is_inside(&self, mut visit: usize, container: usize) -> bool {
        while let Some(parent) = self.all[visit].parent {
            if parent == container {
                return true;
            }
            visit = parent;
        }
        false
    }

    /// Takes in the next event; returns the visit it belongs to.
    pub fn push(&mut self, event: &HistoryEvent) -> Option<usize> {
        let thread = self.thread_after(event.previous_event_id).flatten();
        let (owner, after) = match &event.details {
            EventDetails::StateEntered {
                state_type,
                name,
                input,
            } => {
                let v = self.all.len();
                // The first state of an iteration follows its MapIterationStarted; the next
                // ones follow their sibling's exit: both tell the iteration.
                let in_map = thread.is_some_and(|p| self.all[p].state_type == StateType::Map);
                let iteration = in_map
                    .then(|| self.ids.binary_search(&event.previous_event_id).ok())
                    .flatten()
                    .and_then(|i| self.iterations[i]);
                self.all.push(Visit {
                    name: name.clone(),
                    state_type: *state_type,
                    parent: thread,
                    iteration,
                    details: StepDetails {
                        status: Some(NodeStatus::InProgress),
                        input: Some(input.clone()),
                        entered_event: Some(event.id),
                        ..Default::default()
                    },
                    entered_at: event.timestamp,
                    ended_at: None,
                    failed: false,
                });
                self.latest.insert(name, v);
                self.open.push(v);
                (Some(v), Some(v))
            }
            EventDetails::StateExited { name, output, .. } => {
                // The thread is in the visit that exits (or inside it, if something went
                // wrong): the exit returns it to what holds that visit.
                let mut at = thread;
                while let Some(v) = at.filter(|&v| *self.all[v].name != **name) {
                    at = self.all[v].parent;
                }
                match at {
                    Some(v) => {
                        self.end_inside(v, None, event.timestamp);
                        let visit = &mut self.all[v];
                        // A state that failed and still exited had its error caught.
                        let status = if visit.failed {
                            NodeStatus::Caught
                        } else {
                            NodeStatus::Succeeded
                        };
                        visit.details.output = Some(output.clone());
                        self.end(v, status, event.timestamp);
                        (Some(v), self.all[v].parent)
                    }
                    None => (None, None),
                }
            }
            // A redrive is the execution's, not the failed state's: what follows it starts
            // at the top level again.
            EventDetails::ExecutionRedriven { .. } => (None, None),
            details => {
                if let Some(v) = thread {
                    self.take_in(v, details, event.timestamp);
                }
                match details {
                    EventDetails::ExecutionFailed { error, cause }
                    | EventDetails::ExecutionTimedOut { error, cause } => {
                        self.fail_execution(thread, error, cause, event.timestamp);
                    }
                    EventDetails::ExecutionAborted { .. } => {
                        for v in std::mem::take(&mut self.open) {
                            self.end(v, NodeStatus::Cancelled, event.timestamp);
                        }
                    }
                    _ => {}
                }
                (thread, thread)
            }
        };
        let iteration = match &event.details {
            EventDetails::MapIterationStarted { index, .. }
            | EventDetails::MapIterationSucceeded { index, .. }
            | EventDetails::MapIterationFailed { index, .. } => Some(*index),
            _ => owner.and_then(|v| self.all[v].iteration),
        };
        self.ids.push(event.id);
        self.owner.push(owner);
        self.after.push(after);
        self.iterations.push(iteration);
        owner
    }

    /// What an event of visit `v` (other than its entry and exit) says about it.
    fn take_in(&mut self, v: usize, details: &EventDetails, at: i64) {
        match details {
            EventDetails::LambdaFunctionScheduled { resource, .. }
            | EventDetails::TaskScheduled { resource, .. } => {
                self.all[v].details.resource = Some(resource.clone());
            }
            // A retry that succeeds leaves no error behind (the Retries tab keeps the attempts).
            EventDetails::LambdaFunctionSucceeded { .. } | EventDetails::TaskSucceeded { .. } => {
                let visit = &mut self.all[v];
                visit.failed = false;
                visit.details.error = None;
                visit.details.cause = None;
            }
            EventDetails::LambdaFunctionFailed { error, cause }
            | EventDetails::TaskFailed { error, cause, .. } => {
                self.all[v].fail(Some(error.clone()), Some(cause.clone()));
            }
            EventDetails::EvaluationFailed { error, cause, .. } => {
                self.all[v].fail(error.clone(), cause.clone());
            }
            // A (re)started Parallel or Map: what its previous attempt left running is over.
            EventDetails::ParallelStateStarted | EventDetails::MapStateStarted { .. } => {
                self.end_inside(v, None, at);
            }
            // A failed iteration: the Map goes on (or fails) without what it left running.
            EventDetails::MapIterationFailed { error, cause, .. } => {
                self.end_inside(v, Some((error, cause)), at);
            }
            EventDetails::ParallelStateFailed { error, cause }
            | EventDetails::MapStateFailed { error, cause }
            | EventDetails::MapRunFailed { error, cause } => {
                self.end_inside(v, Some((error, cause)), at);
                self.all[v].fail(error.clone(), cause.clone());
            }
            _ => {}
        }
    }

    /// The execution failed (or timed out) in the thread that is in `thread`: that visit and
    /// those holding it failed, and so did any other visit still running that had failed;
    /// the rest were cancelled.
    fn fail_execution(
        &mut self,
        thread: Option<usize>,
        error: &Option<String>,
        cause: &Option<String>,
        at: i64,
    ) {
        if let Some(v) = thread {
            let visit = &mut self.all[v];
            if visit.details.error.is_none() {
                visit.fail(error.clone(), cause.clone());
            }
        }
        for v in std::mem::take(&mut self.open) {
            let failed =
                thread.is_some_and(|t| t == v || self.is_inside(t, v)) || self.all[v].has_failed();
            let status = if failed {
                NodeStatus::Failed
            } else {
                NodeStatus::Cancelled
            };
            self.end(v, status, at);
        }
    }

    /// Ends every visit still running inside `container`: failed if it had failed (the
    /// branch's Fail state, a task whose last attempt failed), cancelled otherwise (the
    /// branches stopped because another one failed). A Fail state's error is the `failure`
    /// it passed on to the container, when that is known.
    fn end_inside(
        &mut self,
        container: usize,
        failure: Option<(&Option<String>, &Option<String>)>,
        at: i64,
    ) {
        let inside: Vec<usize> = self
            .open
            .iter()
            .copied()
            .filter(|&v| self.is_inside(v, container))
            .collect();
        for v in inside {
            let visit = &mut self.all[v];
            if let Some((error, cause)) = failure.filter(|_| visit.state_type == StateType::Fail) {
                visit.fail(error.clone(), cause.clone());
            }
            let status = if self.all[v].has_failed() {
                NodeStatus::Failed
            } else {
                NodeStatus::Cancelled
            };
            self.end(v, status, at);
        }
    }

    fn end(&mut self, v: usize, status: NodeStatus, at: i64) {
        self.open.retain(|&o| o != v);
        let visit = &mut self.all[v];
        if visit.in_progress() {
            visit.details.status = Some(status);
            visit.ended_at = Some(at);
        }
    }
}
