//! Retry and Catch: which retrier or catcher an error matches, and how long to wait.

use super::Engine;
use crate::clock::Millis;
use crate::error::Failure;
use crate::model::{Catcher, Jitter, Retrier};
use serde_json::{Map, Value};

/// Errors that no wildcard matches: only an ErrorEquals naming them does.
const TERMINAL: [&str; 2] = ["States.Runtime", "States.DataLimitExceeded"];

/// Whether `error_equals` matches an error name, with AWS's wildcards: `States.ALL` matches
/// every error but the terminal ones; `States.TaskFailed` also leaves out `States.Timeout`.
pub fn matches(error_equals: &[String], error: Option<&str>) -> bool {
    let Some(error) = error else {
        // A failure without a name (a Fail state with no Error) matches nothing by name.
        return false;
    };
    error_equals.iter().any(|name| {
        name == error
            || (name == "States.ALL" && !TERMINAL.contains(&error))
            || (name == "States.TaskFailed"
                && !TERMINAL.contains(&error)
                && error != "States.Timeout")
    })
}

/// Retry attempts so far, per retrier, for one visit of a state.
#[derive(Debug, Clone, Default)]
pub struct Attempts {
    counts: Vec<u64>,
    /// `$$.State.RetryCount`.
    pub total: u64,
}

/// The delay before the next attempt, when a retrier takes the failure; `None` when the
/// failure is not retried (no retrier matches, or the first that matches is used up).
pub fn retry_delay(
    retriers: &[Retrier],
    attempts: &mut Attempts,
    failure: &Failure,
    engine: &mut Engine,
) -> Option<Millis> {
    let (index, retrier) = retriers
        .iter()
        .enumerate()
        .find(|(_, r)| matches(&r.error_equals, failure.error_str()))?;
    if attempts.counts.len() < retriers.len() {
        attempts.counts.resize(retriers.len(), 0);
    }
    let done = attempts.counts[index];
    if done >= retrier.max_attempts {
        return None;
    }
    attempts.counts[index] += 1;
    attempts.total += 1;
    let mut seconds =
        retrier.interval_seconds as f64 * retrier.backoff_rate.powi(done.min(1_000) as i32);
    if let Some(max) = retrier.max_delay_seconds {
        seconds = seconds.min(max as f64);
    }
    if retrier.jitter == Jitter::Full {
        seconds *= engine.random();
    }
    // Bounded: a huge backoff must not overflow the clock.
    Some((seconds.min(1e12) * 1000.0) as Millis)
}

/// The first catcher that matches the failure.
pub fn catcher<'c>(catchers: &'c [Catcher], failure: &Failure) -> Option<&'c Catcher> {
    catchers
        .iter()
        .find(|c| matches(&c.error_equals, failure.error_str()))
}

/// The error output a Catch puts at its ResultPath: `{"Error": …, "Cause": …}`.
pub fn error_output(failure: &Failure) -> Value {
    let mut out = Map::new();
    if let Some(error) = failure.error_str() {
        out.insert("Error".into(), Value::String(error.to_string()));
    }
    if let Some(cause) = failure.cause_str() {
        out.insert("Cause".into(), Value::String(cause.to_string()));
    }
    Value::Object(out)
}

#[cfg(test)]
mod tests {
    use super::matches;

    fn m(names: &[&str], error: &str) -> bool {
        matches(
            &names.iter().map(|s| s.to_string()).collect::<Vec<_>>(),
            Some(error),
        )
    }

    #[test]
    fn wildcards() {
        assert!(m(&["States.ALL"], "MyError"));
        assert!(!m(&["States.ALL"], "States.Runtime"));
        assert!(!m(&["States.ALL"], "States.DataLimitExceeded"));
        assert!(m(&["States.Runtime"], "States.Runtime"));
        assert!(m(&["States.TaskFailed"], "Lambda.ServiceException"));
        assert!(!m(&["States.TaskFailed"], "States.Timeout"));
        assert!(
            !m(&["State.ALL"], "MyError"),
            "a misspelt wildcard is just a name"
        );
        assert!(!matches(&["States.ALL".to_string()], None));
    }
}
