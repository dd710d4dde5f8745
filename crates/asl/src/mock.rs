//! Mocked task results in the format of AWS Step Functions Local's mock configuration file
//! (`MockConfigFile.json`), so that the same file drives a test here and in Step Functions
//! Local.
//!
//! ```json
//! {
//!   "StateMachines": {
//!     "CallCenter": {
//!       "TestCases": {
//!         "Escalated": { "Work on Case": "Unresolved" }
//!       }
//!     }
//!   },
//!   "MockedResponses": {
//!     "Unresolved": {
//!       "0": { "Return": { "Case": "001", "Status": 0, "Message": "..." } },
//!       "1-2": { "Throw": { "Error": "Lambda.TimeoutException", "Cause": "Lambda timed out." } }
//!     }
//!   }
//! }
//! ```
//!
//! A test case maps Task state names to mocked responses; a mocked response maps invocation
//! numbers (`"0"`, or an inclusive range `"1-2"`) to a `Return` (the task's result) or a
//! `Throw` (its `Error` and `Cause`). [`MockConfig::test_case`] gives a [`MockTasks`], the
//! [`TaskHandler`] that answers a run with them.
//!
//! As in Step Functions Local:
//! - invocations are counted per state for the whole execution (retries and loops included),
//!   from 0;
//! - an invocation that no key covers (past the last range, or in a gap) fails the task with
//!   `States.Runtime`: every invocation of a mocked task must have a response;
//! - a mocked response with no entries is accepted, and fails its first invocation the same way;
//! - a state the test case does not name is not mocked: it goes to the fallback handler
//!   ([`MockTasks::with_fallback`]; by default [`NoTasks`]).
//!
//! Parsing is stricter than Step Functions Local where a file is certainly wrong (an unknown
//! field, a range that is not `N` or `N-M`, overlapping ranges, a test case naming a mocked
//! response that does not exist), and every such problem is reported with its place in the
//! file, e.g. `MockedResponses/Foo/0: Throw: "Cause" is required`.

use crate::task::{NoTasks, TaskHandler, TaskOutcome, TaskRequest};
use indexmap::IndexMap;
use serde_json::{Map, Value};
use std::collections::HashMap;
use std::sync::Arc;

/// A parsed and checked mock configuration file.
#[derive(Debug, Clone, PartialEq)]
pub struct MockConfig {
    /// State machine → test case → Task state → mocked response name.
    state_machines: IndexMap<String, IndexMap<String, IndexMap<String, String>>>,
    responses: IndexMap<String, Arc<MockedResponse>>,
}

/// One mocked response: what each invocation of a state answers.
#[derive(Debug, Clone, PartialEq)]
pub struct MockedResponse {
    /// Sorted by `first`, never overlapping.
    steps: Vec<Step>,
}

#[derive(Debug, Clone, PartialEq)]
struct Step {
    first: u64,
    last: u64,
    answer: MockAnswer,
}

/// What one invocation of a mocked task does.
#[derive(Debug, Clone, PartialEq)]
pub enum MockAnswer {
    /// `{"Return": value}`: the task succeeds with this result.
    Return(Value),
    /// `{"Throw": {"Error": …, "Cause": …}}`: the task fails.
    Throw { error: String, cause: String },
}

impl MockedResponse {
    /// The answer for the `n`-th invocation (0-based), if a key covers it.
    pub fn answer(&self, n: u64) -> Option<&MockAnswer> {
        self.steps
            .iter()
            .find(|s| s.first <= n && n <= s.last)
            .map(|s| &s.answer)
    }
}

impl MockConfig {
    /// Parses and checks a mock configuration file. On failure, every problem found, each
    /// located: `3:5: invalid JSON: …` (line:column) for a syntax error, a path such as
    /// `MockedResponses/Foo/1-2: …` otherwise.
    pub fn parse(text: &str) -> Result<MockConfig, Vec<String>> {
        let value: Value = serde_json::from_str(text).map_err(|e| vec![json_error(&e)])?;
        let mut errors = Vec::new();
        let config = read_config(&value, &mut errors);
        if errors.is_empty() {
            Ok(config)
        } else {
            Err(errors)
        }
    }

    /// The state machines the file configures, in file order.
    pub fn state_machines(&self) -> impl Iterator<Item = &str> {
        self.state_machines.keys().map(String::as_str)
    }

    /// The test cases of a state machine, in file order (none if it is not in the file).
    pub fn test_cases<'a>(&'a self, state_machine: &str) -> impl Iterator<Item = &'a str> {
        self.state_machines
            .get(state_machine)
            .into_iter()
            .flat_map(|cases| cases.keys().map(String::as_str))
    }

    /// A mocked response by name.
    pub fn response(&self, name: &str) -> Option<&MockedResponse> {
        self.responses.get(name).map(|r| &**r)
    }

    /// The task handler for one execution of a test case. Each execution needs its own: the
    /// handler counts the invocations of each state.
    pub fn test_case(&self, state_machine: &str, test_case: &str) -> Result<MockTasks, String> {
        let Some(cases) = self.state_machines.get(state_machine) else {
            return Err(format!(
                "no state machine named '{state_machine}' in the mock config ({})",
                listing("state machines", self.state_machines.keys())
            ));
        };
        let Some(states) = cases.get(test_case) else {
            return Err(format!(
                "state machine '{state_machine}' has no test case '{test_case}' ({})",
                listing("test cases", cases.keys())
            ));
        };
        let mocks = states
            .iter()
            .map(|(state, name)| {
                // `parse` checked that every name exists.
                let response = self.responses[name.as_str()].clone();
                (state.clone(), (name.clone(), response))
            })
            .collect();
        Ok(MockTasks {
            mocks,
            invocations: HashMap::new(),
            fallback: Box::new(NoTasks),
        })
    }
}

/// Answers the Task states a test case mocks, by state name; any other state goes to the
/// fallback handler.
pub struct MockTasks {
    /// Task state → (mocked response name, mocked response).
    mocks: HashMap<String, (String, Arc<MockedResponse>)>,
    /// How many times each mocked state has been invoked so far.
    invocations: HashMap<String, u64>,
    fallback: Box<dyn TaskHandler>,
}

impl MockTasks {
    /// Sends the states the test case does not mock to `fallback` (instead of [`NoTasks`]).
    pub fn with_fallback(mut self, fallback: Box<dyn TaskHandler>) -> Self {
        self.fallback = fallback;
        self
    }

    /// Whether the test case mocks this state.
    pub fn mocks(&self, state_name: &str) -> bool {
        self.mocks.contains_key(state_name)
    }

    /// How many times a mocked state has been invoked so far.
    pub fn invocations(&self, state_name: &str) -> u64 {
        self.invocations.get(state_name).copied().unwrap_or(0)
    }
}

impl TaskHandler for MockTasks {
    fn invoke(&mut self, request: TaskRequest<'_>) -> TaskOutcome {
        let Some((name, response)) = self.mocks.get(request.state_name) else {
            return self.fallback.invoke(request);
        };
        let count = self
            .invocations
            .entry(request.state_name.to_string())
            .or_insert(0);
        let n = *count;
        *count += 1;
        match response.answer(n) {
            Some(MockAnswer::Return(value)) => TaskOutcome::Succeeded(value.clone()),
            Some(MockAnswer::Throw { error, cause }) => TaskOutcome::Failed {
                error: error.clone(),
                cause: cause.clone(),
            },
            None => TaskOutcome::Failed {
                error: "States.Runtime".to_string(),
                cause: format!(
                    "The mocked response '{name}' for the state '{}' has no response for invocation {n}: a mocked task needs a response for every invocation.",
                    request.state_name
                ),
            },
        }
    }
}

/// `3:5: invalid JSON: expected value` from serde_json's `expected value at line 3 column 5`.
fn json_error(e: &serde_json::Error) -> String {
    let text = e.to_string();
    let suffix = format!(" at line {} column {}", e.line(), e.column());
    let message = text.strip_suffix(&suffix).unwrap_or(&text);
    format!("{}:{}: invalid JSON: {message}", e.line(), e.column())
}

fn listing<'a>(what: &str, names: impl Iterator<Item = &'a String>) -> String {
    let names: Vec<&str> = names.map(String::as_str).collect();
    if names.is_empty() {
        format!("it has no {what}")
    } else {
        format!("its {what}: {}", names.join(", "))
    }
}

fn at(parent: &str, key: &str) -> String {
    if parent.is_empty() {
        key.to_string()
    } else {
        format!("{parent}/{key}")
    }
}

fn kind(value: &Value) -> &'static str {
    match value {
        Value::Null => "null",
        Value::Bool(_) => "a boolean",
        Value::Number(_) => "a number",
        Value::String(_) => "a string",
        Value::Array(_) => "an array",
        Value::Object(_) => "an object",
    }
}

/// `value` as an object, or a problem at `place` (`""` is the top level).
fn object<'a>(
    value: &'a Value,
    place: &str,
    errors: &mut Vec<String>,
) -> Option<&'a Map<String, Value>> {
    match value {
        Value::Object(map) => Some(map),
        other => {
            let place = if place.is_empty() { "/" } else { place };
            errors.push(format!(
                "{place}: expected an object, found {}",
                kind(other)
            ));
            None
        }
    }
}

/// Reports the keys of `map` that are not in `known`.
fn unknown_fields(map: &Map<String, Value>, known: &[&str], place: &str, errors: &mut Vec<String>) {
    for key in map.keys().filter(|k| !known.contains(&k.as_str())) {
        let expected: Vec<String> = known.iter().map(|k| format!("\"{k}\"")).collect();
        let place = if place.is_empty() { "/" } else { place };
        errors.push(format!(
            "{place}: unknown field \"{key}\" (expected {})",
            expected.join(" or ")
        ));
    }
}

fn read_config(value: &Value, errors: &mut Vec<String>) -> MockConfig {
    let mut config = MockConfig {
        state_machines: IndexMap::new(),
        responses: IndexMap::new(),
    };
    let Some(top) = object(value, "", errors) else {
        return config;
    };
    unknown_fields(top, &["StateMachines", "MockedResponses"], "", errors);
    for field in ["StateMachines", "MockedResponses"] {
        if !top.contains_key(field) {
            errors.push(format!("/: \"{field}\" is required"));
        }
    }

    if let Some(responses) = top
        .get("MockedResponses")
        .and_then(|v| object(v, "MockedResponses", errors))
    {
        for (name, response) in responses {
            let place = at("MockedResponses", name);
            if let Some(response) = read_response(response, &place, errors) {
                config.responses.insert(name.clone(), Arc::new(response));
            }
        }
    }

    let Some(machines) = top
        .get("StateMachines")
        .and_then(|v| object(v, "StateMachines", errors))
    else {
        return config;
    };
    for (machine, body) in machines {
        let place = at("StateMachines", machine);
        let Some(body) = object(body, &place, errors) else {
            continue;
        };
        unknown_fields(body, &["TestCases"], &place, errors);
        let Some(cases) = body.get("TestCases") else {
            errors.push(format!("{place}: \"TestCases\" is required"));
            continue;
        };
        let place = at(&place, "TestCases");
        let Some(cases) = object(cases, &place, errors) else {
            continue;
        };
        let mut read_cases = IndexMap::new();
        for (case, states) in cases {
            let place = at(&place, case);
            let Some(states) = object(states, &place, errors) else {
                continue;
            };
            let mut read_states = IndexMap::new();
            for (state, name) in states {
                let place = at(&place, state);
                match name {
                    Value::String(name) => {
                        let known = responses_named(top, name);
                        if !known {
                            errors.push(format!(
                                "{place}: no mocked response named \"{name}\" in MockedResponses"
                            ));
                        }
                        read_states.insert(state.clone(), name.clone());
                    }
                    other => errors.push(format!(
                        "{place}: expected the name of a mocked response (a string), found {}",
                        kind(other)
                    )),
                }
            }
            read_cases.insert(case.clone(), read_states);
        }
        config.state_machines.insert(machine.clone(), read_cases);
    }
    config
}

/// Whether `MockedResponses` has an entry of that name (well-formed or not: a malformed one is
/// reported where it is, not again at every reference).
fn responses_named(top: &Map<String, Value>, name: &str) -> bool {
    top.get("MockedResponses")
        .and_then(Value::as_object)
        .is_some_and(|r| r.contains_key(name))
}

fn read_response(value: &Value, place: &str, errors: &mut Vec<String>) -> Option<MockedResponse> {
    let map = object(value, place, errors)?;
    let before = errors.len();
    let mut steps = Vec::new();
    for (key, step) in map {
        let place = at(place, key);
        let range = parse_range(key);
        if let Err(problem) = &range {
            errors.push(format!("{place}: {problem}"));
        }
        let answer = read_answer(step, &place, errors);
        if let (Ok((first, last)), Some(answer)) = (range, answer) {
            steps.push(Step {
                first,
                last,
                answer,
            });
        }
    }
    steps.sort_by_key(|s| s.first);
    for pair in steps.windows(2) {
        if pair[1].first <= pair[0].last {
            errors.push(format!(
                "{place}: invocation {} is covered twice (by \"{}\" and \"{}\")",
                pair[1].first,
                range_key(&pair[0]),
                range_key(&pair[1])
            ));
        }
    }
    (errors.len() == before).then_some(MockedResponse { steps })
}

fn range_key(step: &Step) -> String {
    if step.first == step.last {
        step.first.to_string()
    } else {
        format!("{}-{}", step.first, step.last)
    }
}

/// `"3"` → (3, 3); `"1-2"` → (1, 2).
fn parse_range(key: &str) -> Result<(u64, u64), String> {
    let number = |s: &str| -> Option<u64> {
        let s = s.trim();
        if s.is_empty() || !s.bytes().all(|b| b.is_ascii_digit()) {
            return None;
        }
        s.parse().ok()
    };
    let expected =
        "an invocation number (\"0\") or an inclusive range of invocation numbers (\"1-2\")";
    match key.split_once('-') {
        None => number(key)
            .map(|n| (n, n))
            .ok_or_else(|| format!("the key must be {expected}")),
        Some((first, last)) => match (number(first), number(last)) {
            (Some(first), Some(last)) if first <= last => Ok((first, last)),
            (Some(first), Some(last)) => Err(format!(
                "the range \"{key}\" is empty: {first} is greater than {last}"
            )),
            _ => Err(format!("the key must be {expected}")),
        },
    }
}

fn read_answer(value: &Value, place: &str, errors: &mut Vec<String>) -> Option<MockAnswer> {
    let map = object(value, place, errors)?;
    unknown_fields(map, &["Return", "Throw"], place, errors);
    match (map.get("Return"), map.get("Throw")) {
        (Some(_), Some(_)) => {
            errors.push(format!(
                "{place}: a response has either \"Return\" or \"Throw\", not both"
            ));
            None
        }
        (None, None) => {
            errors.push(format!("{place}: \"Return\" or \"Throw\" is required"));
            None
        }
        (Some(result), None) => Some(MockAnswer::Return(result.clone())),
        (None, Some(throw)) => {
            let place = at(place, "Throw");
            let throw = object(throw, &place, errors)?;
            unknown_fields(throw, &["Error", "Cause"], &place, errors);
            let mut field = |name: &str| match throw.get(name) {
                Some(Value::String(s)) => Some(s.clone()),
                Some(other) => {
                    errors.push(format!(
                        "{place}: \"{name}\" must be a string, found {}",
                        kind(other)
                    ));
                    None
                }
                None => {
                    errors.push(format!("{place}: \"{name}\" is required"));
                    None
                }
            };
            let error = field("Error");
            let cause = field("Cause");
            Some(MockAnswer::Throw {
                error: error?,
                cause: cause?,
            })
        }
    }
}
