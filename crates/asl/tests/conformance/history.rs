//! Comparing histories by event type, order-free only where AWS runs things concurrently.
//!
//! The branches of a Parallel state and the iterations of a Map state run at the same time, so
//! their events interleave differently from run to run. A history is therefore compared in a
//! canonical form: outside concurrent regions, event by event; each concurrent region (from a
//! `ParallelStateStarted`/`MapStateStarted` to the event that ends it) as one multiset of event
//! types. A region nested in another is folded into the outer multiset: without branch ids the
//! events of two nested regions cannot be told apart, and folding keeps the comparison sound
//! (two interleavings of the same run always compare equal). With no Parallel or Map state,
//! the comparison is exact.
//!
//! What ends a region: `*StateSucceeded`, `*StateFailed`, `*StateAborted`, or a `*StateExited`
//! that no such event announced (AWS's recorded Parallel histories here go straight from the
//! branches to `ParallelStateExited`). A `*StateExited` that follows one of those ends nothing.

use std::collections::BTreeMap;
use std::fmt;

/// One step of a canonical history.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Item {
    Event(String),
    /// The event types of a concurrent region, with how often each occurs.
    Concurrent(BTreeMap<String, usize>),
}

/// An item and the index, in the original history, of its first event.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Placed {
    pub at: usize,
    pub item: Item,
}

const FAMILIES: [&str; 2] = ["Parallel", "Map"];

fn family(event: &str) -> Option<usize> {
    FAMILIES.iter().position(|f| {
        event
            .strip_prefix(f)
            .is_some_and(|rest| rest.starts_with("State"))
    })
}

fn opens(event: &str) -> bool {
    matches!(event, "ParallelStateStarted" | "MapStateStarted")
}

fn ends(event: &str) -> bool {
    family(event).is_some()
        && ["StateSucceeded", "StateFailed", "StateAborted"]
            .iter()
            .any(|suffix| event.ends_with(suffix))
}

fn exits(event: &str) -> bool {
    matches!(event, "ParallelStateExited" | "MapStateExited")
}

pub fn canonicalise<S: AsRef<str>>(history: &[S]) -> Vec<Placed> {
    let mut items = Vec::new();
    // Inside a region: where it began, its events, how many regions are open.
    let mut region: Option<(usize, BTreeMap<String, usize>)> = None;
    let mut depth = 0usize;
    // Per family: end events whose `*StateExited` has not come yet.
    let mut announced = [0usize; FAMILIES.len()];
    for (at, event) in history.iter().map(AsRef::as_ref).enumerate() {
        let mut closes = false;
        if opens(event) {
            depth += 1;
        } else if ends(event) {
            announced[family(event).unwrap()] += 1;
            closes = depth > 0;
        } else if exits(event) {
            let pending = &mut announced[family(event).unwrap()];
            if *pending > 0 {
                *pending -= 1;
            } else {
                closes = depth > 0;
            }
        }
        if depth == 0 {
            items.push(Placed {
                at,
                item: Item::Event(event.to_string()),
            });
            continue;
        }
        let (_, events) = region.get_or_insert_with(|| (at, BTreeMap::new()));
        *events.entry(event.to_string()).or_default() += 1;
        if closes {
            depth -= 1;
            if depth == 0 {
                let (start, events) = region.take().unwrap();
                items.push(Placed {
                    at: start,
                    item: Item::Concurrent(events),
                });
            }
        }
    }
    // A region that never ended (an execution that failed inside it) runs to the end.
    if let Some((start, events)) = region {
        items.push(Placed {
            at: start,
            item: Item::Concurrent(events),
        });
    }
    items
}

/// The first difference between AWS's history and ours, worded for the report; `None` when
/// they match.
pub fn first_difference<S: AsRef<str>, T: AsRef<str>>(
    expected: &[S],
    actual: &[T],
) -> Option<String> {
    let events = expected.len();
    let expected = canonicalise(expected);
    let actual = canonicalise(actual);
    for i in 0..expected.len().max(actual.len()) {
        let (want, got) = (expected.get(i), actual.get(i));
        if want.map(|p| &p.item) == got.map(|p| &p.item) {
            continue;
        }
        // 1-based, like AWS's event ids; one past AWS's last event when AWS's history ended.
        let at = want.map_or(events, |p| p.at) + 1;
        return Some(match (want.map(|p| &p.item), got.map(|p| &p.item)) {
            (Some(Item::Concurrent(w)), Some(Item::Concurrent(g))) => format!(
                "history differs in the concurrent region at #{at}: {}",
                multiset_difference(w, g)
            ),
            (want, got) => format!(
                "history differs at #{at}: expected {} got {}",
                Shown(want),
                Shown(got)
            ),
        });
    }
    None
}

/// "missing 2×PassStateExited; unexpected 1×ParallelStateSucceeded".
fn multiset_difference(want: &BTreeMap<String, usize>, got: &BTreeMap<String, usize>) -> String {
    let surplus = |a: &BTreeMap<String, usize>, b: &BTreeMap<String, usize>| -> Vec<String> {
        a.iter()
            .filter_map(|(event, &n)| {
                let m = b.get(event).copied().unwrap_or(0);
                (n > m).then(|| format!("{}×{event}", n - m))
            })
            .collect()
    };
    let mut parts = Vec::new();
    let missing = surplus(want, got);
    if !missing.is_empty() {
        parts.push(format!("missing {}", missing.join(", ")));
    }
    let extra = surplus(got, want);
    if !extra.is_empty() {
        parts.push(format!("unexpected {}", extra.join(", ")));
    }
    parts.join("; ")
}

struct Shown<'a>(Option<&'a Item>);

impl fmt::Display for Shown<'_> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self.0 {
            None => f.write_str("(end)"),
            Some(Item::Event(event)) => f.write_str(event),
            Some(Item::Concurrent(events)) => {
                let first = events.keys().next().map_or("", String::as_str);
                let total: usize = events.values().sum();
                write!(f, "a concurrent region of {total} events ({first}, …)")
            }
        }
    }
}

/// The history as LocalStack's snapshot recorded it, for cases with a Parallel state.
///
/// Every LocalStack test that records a Parallel state's history normalises it with
/// `SfnNoneRecursiveParallelTransformer` (localstack-core, `testing/pytest/stepfunctions/
/// utils.py`), which sorts each branch region and — because it splices the list it is
/// iterating over, at both the region's end event and the `ParallelStateExited` after it —
/// also deletes events: every `ParallelStateSucceeded`, and more in nested Parallels. AWS's
/// recorded histories of Parallel states here are therefore that transformer's output, not
/// AWS's events; to compare like with like, ours goes through the same transformation (its
/// splicing replayed here; its sorting is irrelevant, regions are compared as multisets).
/// For one level of Parallel, or nested Parallels with one branch each (all the cases here),
/// the events it deletes do not depend on how the branches interleaved.
pub fn as_localstack_recorded<S: AsRef<str>>(history: &[S]) -> Vec<String> {
    let mut events: Vec<String> = history.iter().map(|e| e.as_ref().to_string()).collect();
    let mut start = 0; // Python: None, which slices like 0
    let mut region: Vec<String> = Vec::new();
    let mut inside = false;
    let mut i = 0; // Python's `enumerate` over the list being spliced
    while i < events.len() {
        match events[i].as_str() {
            "ParallelStateSucceeded"
            | "ParallelStateAborted"
            | "ParallelStateExited"
            | "ParallelStateFailed" => {
                let end = i.max(start);
                events.splice(start..end, region.iter().cloned());
                inside = false;
            }
            "ParallelStateStarted" => {
                inside = true;
                region.clear();
                start = i + 1;
            }
            event if inside => region.push(event.to_string()),
            _ => {}
        }
        i += 1;
    }
    events
}

#[cfg(test)]
mod tests {
    use super::*;

    fn split(history: &str) -> Vec<&str> {
        history.split_whitespace().collect()
    }

    fn same(a: &str, b: &str) -> bool {
        first_difference(&split(a), &split(b)).is_none()
    }

    #[test]
    fn without_concurrency_the_order_matters() {
        assert!(same(
            "ExecutionStarted PassStateEntered PassStateExited ExecutionSucceeded",
            "ExecutionStarted PassStateEntered PassStateExited ExecutionSucceeded"
        ));
        assert_eq!(
            first_difference(
                &split("ExecutionStarted PassStateEntered PassStateExited ExecutionSucceeded"),
                &split("ExecutionStarted PassStateExited PassStateEntered ExecutionSucceeded")
            )
            .unwrap(),
            "history differs at #2: expected PassStateEntered got PassStateExited"
        );
        assert_eq!(
            first_difference(
                &split("ExecutionStarted ExecutionFailed"),
                &split("ExecutionStarted")
            )
            .unwrap(),
            "history differs at #2: expected ExecutionFailed got (end)"
        );
        assert_eq!(
            first_difference(
                &split("ExecutionStarted"),
                &split("ExecutionStarted ExecutionFailed")
            )
            .unwrap(),
            "history differs at #2: expected (end) got ExecutionFailed"
        );
    }

    #[test]
    fn branches_may_interleave() {
        let aws = "ExecutionStarted ParallelStateEntered ParallelStateStarted \
            PassStateEntered PassStateEntered PassStateExited PassStateExited \
            ParallelStateExited ExecutionSucceeded";
        let ours = "ExecutionStarted ParallelStateEntered ParallelStateStarted \
            PassStateEntered PassStateExited PassStateEntered PassStateExited \
            ParallelStateExited ExecutionSucceeded";
        assert!(same(aws, ours));
        // …but not leave the region.
        let outside = "ExecutionStarted ParallelStateEntered ParallelStateStarted \
            PassStateEntered PassStateExited PassStateEntered ParallelStateExited \
            PassStateExited ExecutionSucceeded";
        assert!(!same(aws, outside));
    }

    #[test]
    fn a_succeeded_event_ends_the_region_and_its_exit_follows() {
        let history = split(
            "MapStateEntered MapStateStarted MapIterationStarted PassStateEntered \
             PassStateExited MapIterationSucceeded MapStateSucceeded MapStateExited \
             PassStateEntered",
        );
        let items: Vec<Item> = canonicalise(&history).into_iter().map(|p| p.item).collect();
        assert_eq!(items.len(), 4);
        assert_eq!(items[0], Item::Event("MapStateEntered".into()));
        assert!(matches!(&items[1], Item::Concurrent(e) if e.values().sum::<usize>() == 6));
        assert_eq!(items[2], Item::Event("MapStateExited".into()));
        assert_eq!(items[3], Item::Event("PassStateEntered".into()));
    }

    #[test]
    fn nested_regions_fold_into_the_outer_one() {
        let a = "ParallelStateStarted ParallelStateEntered ParallelStateEntered \
            ParallelStateStarted ParallelStateStarted PassStateEntered PassStateEntered \
            ParallelStateSucceeded ParallelStateExited ParallelStateSucceeded ParallelStateExited \
            ParallelStateSucceeded ParallelStateExited ExecutionSucceeded";
        let b = "ParallelStateStarted ParallelStateEntered ParallelStateStarted \
            PassStateEntered ParallelStateSucceeded ParallelStateEntered ParallelStateStarted \
            ParallelStateExited PassStateEntered ParallelStateSucceeded ParallelStateExited \
            ParallelStateSucceeded ParallelStateExited ExecutionSucceeded";
        assert!(same(a, b));
        let items = canonicalise(&split(a));
        assert_eq!(items.len(), 3, "{items:?}");
    }

    #[test]
    fn regions_are_compared_as_multisets() {
        let aws = "MapStateStarted PassStateEntered PassStateEntered MapStateSucceeded";
        let ours = "MapStateStarted PassStateEntered PassStateExited MapStateSucceeded";
        assert_eq!(
            first_difference(&split(aws), &split(ours)).unwrap(),
            "history differs in the concurrent region at #1: missing 1×PassStateEntered; \
             unexpected 1×PassStateExited"
        );
    }

    #[test]
    fn localstack_recordings_of_parallel_states_lose_events() {
        // AWS's history of scenarios/33bc609a23 (four one-state branches), and as recorded.
        let aws = "ExecutionStarted ParallelStateEntered ParallelStateStarted \
            PassStateEntered PassStateExited PassStateEntered PassStateExited \
            PassStateEntered PassStateExited PassStateEntered PassStateExited \
            ParallelStateSucceeded ParallelStateExited ExecutionSucceeded";
        let recorded = "ExecutionStarted ParallelStateEntered ParallelStateStarted \
            PassStateEntered PassStateEntered PassStateEntered PassStateEntered \
            PassStateExited PassStateExited PassStateExited PassStateExited \
            ParallelStateExited ExecutionSucceeded";
        let replayed = as_localstack_recorded(&split(aws));
        assert_eq!(replayed.len(), split(recorded).len());
        assert!(first_difference(&split(recorded), &replayed).is_none());
        // scenarios/0a47583a77: a Parallel in a Parallel, one branch each.
        let aws = "ExecutionStarted ParallelStateEntered ParallelStateStarted \
            ParallelStateEntered ParallelStateStarted PassStateEntered PassStateExited \
            ParallelStateSucceeded ParallelStateExited ParallelStateSucceeded \
            ParallelStateExited ExecutionSucceeded";
        let recorded = "ExecutionStarted ParallelStateEntered ParallelStateStarted \
            ParallelStateEntered ParallelStateStarted PassStateEntered PassStateExited \
            ParallelStateExited ExecutionSucceeded";
        assert_eq!(as_localstack_recorded(&split(aws)), split(recorded));
        // Without a Parallel state nothing changes.
        let plain = split("ExecutionStarted MapStateStarted MapStateSucceeded MapStateExited");
        assert_eq!(as_localstack_recorded(&plain), plain);
    }

    #[test]
    fn an_unfinished_region_runs_to_the_end() {
        let history = split("MapStateStarted FailStateEntered MapIterationFailed ExecutionFailed");
        assert_eq!(canonicalise(&history).len(), 1);
    }
}
