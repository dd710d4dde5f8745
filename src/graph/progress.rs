//! What a run did to the drawing, read from its history: how far each Map state has got (the
//! iterations done out of the items it was given), and which arrows were followed.

use crate::by_name::ByName;
use crate::view::{NodeStatus, Visit, Visits};
use asl::history::{EventDetails, HistoryEvent};
use asl::StateType;

/// Where an arrow of the drawing starts or ends.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub enum Place {
    Start,
    State(String),
    End,
}

/// An arrow the run followed: from a state (or Start) to the next (or End), and whether it
/// left by a Catch.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub struct Transition {
    pub from: Place,
    pub to: Place,
    pub caught: bool,
}

/// Every transition in `events`. Each event names the one before it in its own thread
/// (`previous_event_id`), so a state entered right after another one exited follows it even
/// when Parallel branches interleave; the exit was caught when that visit left by a Catch
/// (see [`crate::view::Visits`]). The run ends at End after the top-level state that exited
/// last (it succeeded) or after a top-level Fail state (it failed): never after a state
/// whose error ended the run, or that a Catch left.
pub fn transitions(events: &[HistoryEvent]) -> Vec<Transition> {
    let mut visits = Visits::default();
    let mut transitions = Transitions::default();
    for (i, event) in events.iter().enumerate() {
        visits.push(event);
        transitions.push(events, i, &visits);
    }
    transitions.taken
}

/// [`transitions`], one event at a time.
#[derive(Debug, Clone, Default)]
pub struct Transitions {
    /// Each transition once, in the order first followed.
    pub taken: Vec<Transition>,
    /// The same, to look one up: a 2,000-state chain follows 2,001 arrows, and the graph asks
    /// about each of its arrows on every render.
    index: std::collections::HashSet<Transition>,
}

impl Transitions {
    /// Takes in `events[i]`; `visits` has taken in the events up to it, this one included.
    pub fn push(&mut self, events: &[HistoryEvent], i: usize, visits: &Visits) {
        let event = &events[i];
        // Ids grow along the history: the event before, in this one's thread, is found by
        // binary search.
        let Ok(p) = events[..i].binary_search_by_key(&event.previous_event_id, |e| e.id) else {
            return;
        };
        let state = |name: &str| Place::State(name.to_string());
        let top_level = |j: usize| visits.of_event(j).is_some_and(|v| v.parent.is_none());
        let transition = match (&events[p].details, &event.details) {
            (EventDetails::ExecutionStarted { .. }, EventDetails::StateEntered { name, .. }) => {
                Transition {
                    from: Place::Start,
                    to: state(name),
                    caught: false,
                }
            }
            (
                EventDetails::StateExited { name: from, .. },
                EventDetails::StateEntered { name, .. },
            ) => Transition {
                from: state(from),
                to: state(name),
                caught: visits
                    .of_event(p)
                    .is_some_and(|v| v.status() == NodeStatus::Caught),
            },
            (EventDetails::StateExited { name, .. }, EventDetails::ExecutionSucceeded { .. })
                if top_level(p) =>
            {
                Transition {
                    from: state(name),
                    to: Place::End,
                    caught: false,
                }
            }
            (
                EventDetails::StateEntered {
                    name,
                    state_type: StateType::Fail,
                    ..
                },
                EventDetails::ExecutionFailed { .. },
            ) if top_level(p) => Transition {
                from: state(name),
                to: Place::End,
                caught: false,
            },
            _ => return,
        };
        if self.index.insert(transition.clone()) {
            self.taken.push(transition);
        }
    }

    /// Whether the run followed this arrow.
    pub fn contains(&self, transition: &Transition) -> bool {
        self.index.contains(transition)
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
/// it belongs to the Map state whose thread it is in; the iteration events name their Map.
pub fn map_progress(events: &[HistoryEvent]) -> ByName<MapProgress> {
    let mut visits = Visits::default();
    let mut progress = MapProgresses::default();
    for event in events {
        let owner = visits.push(event);
        progress.push(event, owner.map(|v| &visits.all[v]));
    }
    progress.maps
}

/// [`map_progress`], one event at a time.
#[derive(Debug, Clone, Default)]
pub struct MapProgresses {
    pub maps: ByName<MapProgress>,
    /// Each Map state's latest visit, as far as a redrive is concerned.
    visits: ByName<MapVisit>,
}

/// A Map state's latest visit: a redrive resumes it when it had not exited, and its
/// iterations that had succeeded are not run again but still count.
#[derive(Debug, Clone, Default)]
struct MapVisit {
    /// Entered and not exited.
    open: bool,
    /// Set by a redrive while it is open: the iterations that had succeeded, counted once
    /// the Map is entered (and started) again.
    redriven: Option<usize>,
    /// Entered again after a redrive and not started yet: those iterations.
    resumed: Option<usize>,
}

impl MapProgresses {
    /// Takes in `event`, which belongs to `visit`.
    pub fn push(&mut self, event: &HistoryEvent, visit: Option<&Visit>) {
        let maps = &mut self.maps;
        match &event.details {
            EventDetails::StateEntered {
                state_type: StateType::Map,
                name,
                ..
            } => {
                maps.insert(name, MapProgress::default());
                let map = self.visits.or_default(name);
                map.open = true;
                map.resumed = map.redriven.take();
            }
            EventDetails::StateExited {
                state_type: StateType::Map,
                name,
                ..
            } => self.visits.or_default(name).open = false,
            EventDetails::ExecutionRedriven { .. } => {
                for (name, map) in self.visits.iter_mut().filter(|(_, m)| m.open) {
                    map.redriven = maps.get(name).map(|p| p.succeeded);
                }
            }
            // Its first run, a retry that starts over, or a redrive that goes on with the
            // iterations that had not succeeded.
            EventDetails::MapStateStarted { length } => {
                if let Some(visit) = visit {
                    let kept = self
                        .visits
                        .get_mut(&visit.name)
                        .and_then(|m| m.resumed.take());
                    maps.insert(
                        &visit.name,
                        MapProgress {
                            total: *length,
                            succeeded: kept.unwrap_or(0),
                            ..MapProgress::default()
                        },
                    );
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
            from: Place::State(from.into()),
            to: Place::State(to.into()),
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
                Transition {
                    from: Place::Start,
                    to: Place::State("Open Case".into()),
                    caught: false
                },
                step("Open Case", "Notify Customer", false),
                step("Notify Customer", "Assign Case", false),
                Transition {
                    from: Place::State("Assign Case".into()),
                    to: Place::End,
                    caught: false
                },
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
                .all(|t| t.from != Place::State("Assign Case".into())
                    && t.from != Place::State("Acknowledge".into())),
            "a branch's last state leads nowhere: {taken:?}"
        );
    }
}
