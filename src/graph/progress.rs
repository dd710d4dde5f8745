//! How far each Map state has got: the iterations done out of the items it was given, from
//! the history's MapStateStarted and MapIteration… events.

use asl::history::{EventDetails, HistoryEvent};
use asl::StateType;
use std::collections::HashMap;

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
pub fn map_progress(events: &[HistoryEvent]) -> HashMap<String, MapProgress> {
    let mut out: HashMap<String, MapProgress> = HashMap::new();
    let mut entered: Option<&str> = None;
    for event in events {
        match &event.details {
            EventDetails::StateEntered {
                state_type: StateType::Map,
                name,
                ..
            } => {
                entered = Some(name);
                out.insert(name.clone(), MapProgress::default());
            }
            EventDetails::MapStateStarted { length } => {
                if let Some(p) = entered.and_then(|name| out.get_mut(name)) {
                    p.total = *length;
                }
            }
            EventDetails::MapIterationSucceeded { name, .. } => {
                out.entry(name.clone()).or_default().succeeded += 1;
            }
            EventDetails::MapIterationFailed { name, .. } => {
                out.entry(name.clone()).or_default().failed += 1;
            }
            _ => {}
        }
    }
    out
}
