//! What a run did to the drawing, read from its history: how far each Map state has got (the
//! iterations done out of the items it was given), and which arrows were followed.

use crate::by_name::ByName;
use asl::history::{EventDetails, HistoryEvent};
use asl::StateType;

/// An arrow the run followed: from a state to the next, and whether it left by a Catch.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub struct Transition {
    pub from: String,
    pub to: String,
    pub caught: bool,
}

/// Every transition in `events`. Each event names the one before it in its own thread
/// (`previous_event_id`), so a state entered right after another one exited follows it even
/// when Parallel branches interleave. The exit was caught when the event before it is a
/// failure: the last attempt failed and a Catch took the error.
pub fn transitions(events: &[HistoryEvent]) -> Vec<Transition> {
    let mut transitions = Transitions::default();
    for i in 0..events.len() {
        transitions.push(events, i);
    }
    transitions.taken
}

/// [`transitions`], one event at a time.
#[derive(Debug, Clone, Default)]
pub struct Transitions {
    /// Each transition once, in the order first followed (a run follows a few dozen arrows
    /// at most: a Vec, not one more hash-table type in the .wasm).
    pub taken: Vec<Transition>,
}

impl Transitions {
    /// Takes in `events[i]` (the events before it are already in).
    pub fn push(&mut self, events: &[HistoryEvent], i: usize) {
        let event = &events[i];
        // Ids grow along the history: an earlier event is found by binary search.
        let before = &events[..i];
        let by_id = |id: u64| {
            before
                .binary_search_by_key(&id, |e| e.id)
                .ok()
                .map(|j| &before[j])
        };
        let EventDetails::StateEntered { name: to, .. } = &event.details else {
            return;
        };
        let Some(exit) = by_id(event.previous_event_id) else {
            return;
        };
        if let EventDetails::StateExited { name: from, .. } = &exit.details {
            let caught = by_id(exit.previous_event_id).is_some_and(|e| {
                matches!(
                    e.details,
                    EventDetails::LambdaFunctionFailed { .. }
                        | EventDetails::TaskFailed { .. }
                        | EventDetails::ParallelStateFailed { .. }
                        | EventDetails::MapStateFailed { .. }
                )
            });
            let transition = Transition {
                from: from.to_string(),
                to: to.to_string(),
                caught,
            };
            if !self.taken.contains(&transition) {
                self.taken.push(transition);
            }
        }
    }
}

/// One Map state's iterations (its latest run, when it ran more than once).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub struct MapProgress {
    /// Items to process (MapStateStarted's length).
    pub total: usize,
    pub succeeded: usize,
    pub failed: usize,
}

impl MapProgress {
    /// Iterations that ended, either way.
    pub fn done(&self) -> usize {
        self.succeeded + self.failed
    }

    /// The badge on the container: "2/3".
    pub fn badge(&self) -> String {
        format!("{}/{}", self.done(), self.total)
    }
}

/// Every Map state's progress after `events`, by state name. MapStateStarted carries no name:
/// it belongs to the Map state entered last; the iteration events name their Map state.
pub fn map_progress(events: &[HistoryEvent]) -> ByName<MapProgress> {
    let mut progress = MapProgresses::default();
    events.iter().for_each(|e| progress.push(e));
    progress.maps
}

/// [`map_progress`], one event at a time.
#[derive(Debug, Clone, Default)]
pub struct MapProgresses {
    pub maps: ByName<MapProgress>,
    /// The Map state entered last.
    entered: Option<String>,
}

impl MapProgresses {
    pub fn push(&mut self, event: &HistoryEvent) {
        let MapProgresses { maps, entered } = self;
        match &event.details {
            EventDetails::StateEntered {
                state_type: StateType::Map,
                name,
                ..
            } => {
                *entered = Some(name.to_string());
                maps.insert(name, MapProgress::default());
            }
            EventDetails::MapStateStarted { length } => {
                if let Some(p) = entered.as_ref().and_then(|name| maps.get_mut(name)) {
                    p.total = *length;
                }
            }
            EventDetails::MapIterationSucceeded { name, .. } => {
                maps.or_default(name).succeeded += 1;
            }
            EventDetails::MapIterationFailed { name, .. } => {
                maps.or_default(name).failed += 1;
            }
            _ => {}
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use asl::mock::MockConfig;
    use asl::{load, Execution, ExecutionConfig};
    use std::collections::HashSet;
    use std::sync::Arc;

    /// The retry-catch example with Notify Customer answered by `mocks` (MockConfigFile).
    fn retry_catch(mocks: &str) -> Execution {
        let example = examples::find("retry-catch").unwrap();
        let machine = Arc::new(load(example.definition).unwrap());
        let input = serde_json::from_str(example.input).unwrap();
        let case = MockConfig::parse(mocks)
            .unwrap()
            .test_case("RetryCatch", "Throttled")
            .unwrap();
        let mut tasks = case.with_fallback(Box::new(callcenter::CallCenter {
            work_on_case: callcenter::WorkOnCase::Resolved,
        }));
        let mut run = Execution::new(machine, input, ExecutionConfig::default());
        run.run_to_end(&mut tasks);
        run
    }

    fn step(from: &str, to: &str, caught: bool) -> Transition {
        Transition {
            from: from.into(),
            to: to.into(),
            caught,
        }
    }

    #[test]
    fn a_retried_task_that_succeeds_goes_on_by_next() {
        let run = retry_catch(
            examples::find("retry-catch")
                .unwrap()
                .mocks
                .as_ref()
                .unwrap()
                .config,
        );
        let taken: HashSet<Transition> = transitions(run.history()).into_iter().collect();
        assert_eq!(
            taken,
            HashSet::from([
                step("Open Case", "Notify Customer", false),
                step("Notify Customer", "Assign Case", false),
            ])
        );
    }

    #[test]
    fn a_caught_error_goes_on_by_the_catch() {
        let always_throttled = r#"{
            "StateMachines": {"RetryCatch": {"TestCases": {"Throttled": {"Notify Customer": "Down"}}}},
            "MockedResponses": {"Down": {"0-9": {"Throw": {"Error": "Lambda.TooManyRequestsException", "Cause": "Rate exceeded."}}}}
        }"#;
        let run = retry_catch(always_throttled);
        assert!(transitions(run.history()).contains(&step("Notify Customer", "Assign Case", true)));
        assert!(!transitions(run.history()).contains(&step(
            "Notify Customer",
            "Assign Case",
            false
        )));
    }

    #[test]
    fn branches_of_a_parallel_do_not_mix() {
        let example = examples::find("parallel").unwrap();
        let machine = Arc::new(load(example.definition).unwrap());
        let input = serde_json::from_str(example.input).unwrap();
        let mut run = Execution::new(machine, input, ExecutionConfig::default());
        run.run_to_end(&mut callcenter::CallCenter {
            work_on_case: callcenter::WorkOnCase::Resolved,
        });
        let taken = transitions(run.history());
        assert!(taken.contains(&step("Open Case", "Assign and Acknowledge", false)));
        assert!(
            taken
                .iter()
                .all(|t| t.from != "Assign Case" && t.from != "Acknowledge"),
            "a branch's last state leads nowhere: {taken:?}"
        );
    }
}
