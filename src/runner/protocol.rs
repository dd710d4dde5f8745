//! What the page and the run worker say to each other, as JSON text in `postMessage`.

use crate::mocks::TestCase;
use asl::mock::MockConfig;
use asl::{ExecutionConfig, HistoryEvent, Payload, Stages, Status, TaskHandler};
use callcenter::{CallCenter, WorkOnCase};
use serde::de::DeserializeOwned;
use serde::{Deserialize, Serialize};
use serde_json::Value;

/// The page's requests. `run` numbers the page's runs: replies about a run the page has left
/// are dropped.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub enum Request {
    /// A new run (it replies only if the run cannot start).
    Start { run: u64, setup: Box<Setup> },
    /// Reveal events until the history holds `events` of them or the run ends; with a
    /// `budget_ms`, reply once that much time has been spent even if not there yet.
    RunUntil {
        run: u64,
        events: usize,
        budget_ms: Option<f64>,
    },
    /// StopExecution.
    Stop { run: u64 },
    /// RedriveExecution.
    Redrive { run: u64 },
}

/// Everything a run depends on, so that a new worker can run it again event for event (the
/// engine is deterministic: a virtual clock and a seeded generator).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Setup {
    /// The definition as JSON (what the page loaded; YAML and templates already read).
    pub definition: String,
    pub input: Value,
    pub name: String,
    pub state_machine_name: String,
    pub start_time: i64,
    pub seed: u64,
    pub tasks: Tasks,
}

impl Setup {
    pub fn config(&self) -> ExecutionConfig {
        ExecutionConfig {
            name: self.name.clone(),
            state_machine_name: self.state_machine_name.clone(),
            start_time: self.start_time,
            seed: self.seed,
            ..Default::default()
        }
    }
}

/// What answers the run's Task states: the tutorial's functions, behind a test case of the
/// person's MockConfigFile.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Tasks {
    /// The MockConfigFile's text ("" for none).
    pub mocks: String,
    /// The test case that answers: (state machine, test case).
    pub case: Option<(String, String)>,
    /// "random", "resolved" or "unresolved".
    pub work_on_case: String,
}

impl Tasks {
    pub fn new(mocks: &str, case: Option<&TestCase>, work_on_case: WorkOnCase) -> Tasks {
        Tasks {
            mocks: mocks.to_string(),
            case: case.map(|c| (c.state_machine.clone(), c.test_case.clone())),
            work_on_case: match work_on_case {
                WorkOnCase::Random => "random",
                WorkOnCase::Resolved => "resolved",
                WorkOnCase::Unresolved => "unresolved",
            }
            .into(),
        }
    }

    /// The handler: the built-in call-center functions, behind the chosen test case of the
    /// mocks. `Err` says why the mocks cannot answer.
    pub fn handler(&self) -> Result<Box<dyn TaskHandler>, String> {
        let builtin = Box::new(CallCenter {
            work_on_case: match self.work_on_case.as_str() {
                "resolved" => WorkOnCase::Resolved,
                "unresolved" => WorkOnCase::Unresolved,
                _ => WorkOnCase::Random,
            },
        });
        if self.mocks.trim().is_empty() {
            return Ok(builtin);
        }
        let config = MockConfig::parse(&self.mocks).map_err(|problems| problems.join("; "))?;
        let Some((state_machine, test_case)) = &self.case else {
            return Ok(builtin);
        };
        let case = config.test_case(state_machine, test_case)?;
        Ok(Box::new(case.with_fallback(builtin)))
    }
}

/// What the worker tells the page after a request.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Reply {
    pub run: u64,
    /// The index in the history of `events[0]` (a run replayed in a new worker sends again
    /// events the page already has).
    pub from: usize,
    pub events: Vec<HistoryEvent>,
    /// The data-flow stages of visits that ended, by the id of the event that entered them.
    pub stages: Vec<(u64, PackedStages)>,
    pub status: Status,
    pub finished: bool,
    /// Whether the request is done; `false` for what a long request has so far (sent before
    /// the engine decides a state, which may take long, so that the page shows what came
    /// before it).
    pub done: bool,
    /// Why the request was refused (a run that cannot start, a redrive AWS would refuse).
    pub refused: Option<String>,
}

/// A visit's stages as sent: most stages pass their input on unchanged (the same allocation),
/// and the first is the input of the event that entered the state, so each value is sent once
/// and the page shares it again, as the engine did. In [`Stages`]' order, then `variables`.
pub type PackedStages = Vec<Slot>;

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub enum Slot {
    /// The visit did not reach this stage.
    Missing,
    /// The same value as the nearest stage before it that the visit reached.
    Same,
    /// The input of the event that entered the state.
    Entered,
    Value(Value),
}

fn fields(stages: &Stages) -> [&Option<Payload>; 9] {
    [
        &stages.input,
        &stages.after_input_path,
        &stages.after_parameters,
        &stages.after_arguments,
        &stages.result,
        &stages.after_result_selector,
        &stages.after_result_path,
        &stages.output,
        &stages.variables,
    ]
}

fn fields_mut(stages: &mut Stages) -> [&mut Option<Payload>; 9] {
    [
        &mut stages.input,
        &mut stages.after_input_path,
        &mut stages.after_parameters,
        &mut stages.after_arguments,
        &mut stages.result,
        &mut stages.after_result_selector,
        &mut stages.after_result_path,
        &mut stages.output,
        &mut stages.variables,
    ]
}

/// Packs `stages`; `entered` is the input of the event that entered the state.
pub fn pack(stages: &Stages, entered: Option<&Payload>) -> PackedStages {
    let mut previous: Option<&Payload> = None;
    fields(stages)
        .into_iter()
        .map(|field| match field {
            None => Slot::Missing,
            Some(value) => {
                let slot = if previous.is_some_and(|p| std::sync::Arc::ptr_eq(p, value)) {
                    Slot::Same
                } else if entered.is_some_and(|e| std::sync::Arc::ptr_eq(e, value)) {
                    Slot::Entered
                } else {
                    Slot::Value((**value).clone())
                };
                previous = Some(value);
                slot
            }
        })
        .collect()
}

/// The stages [`pack`] packed, sharing values as they were shared.
pub fn unpack(packed: PackedStages, entered: Option<&Payload>) -> Stages {
    let mut stages = Stages::default();
    let mut previous: Option<Payload> = None;
    for (field, slot) in fields_mut(&mut stages).into_iter().zip(packed) {
        let value = match slot {
            Slot::Missing => None,
            Slot::Same => previous.clone(),
            Slot::Entered => entered.cloned(),
            Slot::Value(value) => Some(std::sync::Arc::new(value)),
        };
        if value.is_some() {
            previous.clone_from(&value);
        }
        *field = value;
    }
    stages
}

/// How deep a message may nest: a value as deep as the engine allows
/// ([`asl::limits::MAX_NESTING_DEPTH`]) inside the message's own few levels.
pub const MAX_MESSAGE_DEPTH: usize = asl::limits::MAX_NESTING_DEPTH + 16;

/// Reads a message. serde_json stops at 128 levels by default, but a state's output may nest
/// up to 1,000 (AWS's limit): the depth is counted first, without recursion, so the
/// recursive parse never goes deeper than [`MAX_MESSAGE_DEPTH`] (the deep-loop e2e test
/// parses one that deep in the page).
pub fn read<T: DeserializeOwned>(text: &str) -> Result<T, String> {
    let depth = nesting(text);
    if depth > MAX_MESSAGE_DEPTH {
        return Err(format!("a message nested {depth} levels deep"));
    }
    let mut reader = serde_json::Deserializer::from_str(text);
    reader.disable_recursion_limit();
    let message = T::deserialize(&mut reader).map_err(|e| e.to_string())?;
    reader.end().map_err(|e| e.to_string())?;
    Ok(message)
}

/// The deepest nesting of `[` and `{` in JSON text, outside strings.
fn nesting(text: &str) -> usize {
    let (mut depth, mut deepest) = (0usize, 0usize);
    let (mut in_string, mut escaped) = (false, false);
    for byte in text.bytes() {
        if in_string {
            match byte {
                _ if escaped => escaped = false,
                b'\\' => escaped = true,
                b'"' => in_string = false,
                _ => {}
            }
            continue;
        }
        match byte {
            b'"' => in_string = true,
            b'[' | b'{' => {
                depth += 1;
                deepest = deepest.max(depth);
            }
            b']' | b'}' => depth = depth.saturating_sub(1),
            _ => {}
        }
    }
    deepest
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    fn nested(levels: usize) -> String {
        "[".repeat(levels) + &"]".repeat(levels)
    }

    #[test]
    fn messages_as_deep_as_a_state_output_may_be_are_read() {
        // serde_json alone refuses 129 levels.
        assert!(serde_json::from_str::<Value>(&nested(129)).is_err());
        // A debug build's frames are far bigger than the page's (the deep-loop e2e test reads
        // such a message in the browser): give this thread room.
        std::thread::Builder::new()
            .stack_size(64 << 20)
            .spawn(|| {
                let deepest = read::<Value>(&nested(MAX_MESSAGE_DEPTH)).unwrap();
                assert_eq!(asl::limits::nesting_depth(&deepest), MAX_MESSAGE_DEPTH);
            })
            .unwrap()
            .join()
            .unwrap();
        let refused = read::<Value>(&nested(MAX_MESSAGE_DEPTH + 1)).unwrap_err();
        assert_eq!(
            refused,
            format!("a message nested {} levels deep", MAX_MESSAGE_DEPTH + 1)
        );
    }

    #[test]
    fn stages_are_sent_once_each_and_shared_again() {
        let entered = std::sync::Arc::new(json!({"in": 1}));
        let result = std::sync::Arc::new(json!({"result": 2}));
        let stages = Stages {
            input: Some(entered.clone()),
            after_input_path: Some(entered.clone()),
            after_parameters: Some(entered.clone()),
            result: Some(result.clone()),
            after_result_selector: Some(result.clone()),
            after_result_path: Some(std::sync::Arc::new(json!({"in": 1, "r": 2}))),
            output: None,
            ..Default::default()
        };
        let packed = pack(&stages, Some(&entered));
        assert_eq!(
            packed,
            [
                Slot::Entered,
                Slot::Same,
                Slot::Same,
                Slot::Missing,
                Slot::Value(json!({"result": 2})),
                Slot::Same,
                Slot::Value(json!({"in": 1, "r": 2})),
                Slot::Missing,
                Slot::Missing,
            ]
        );
        let sent: PackedStages = read(&serde_json::to_string(&packed).unwrap()).unwrap();
        let page_entered = std::sync::Arc::new(json!({"in": 1}));
        let unpacked = unpack(sent, Some(&page_entered));
        assert_eq!(unpacked, stages);
        let (a, b) = (unpacked.input.unwrap(), unpacked.after_parameters.unwrap());
        assert!(std::sync::Arc::ptr_eq(&a, &page_entered) && std::sync::Arc::ptr_eq(&a, &b));
    }

    #[test]
    fn brackets_in_strings_do_not_count() {
        assert_eq!(nesting(r#"{"a": "[[[{\"[", "b": [1, {"c": "]]]"}]}"#), 3);
        assert_eq!(
            read::<Value>(r#"{"a": "[[[\\"}"#).unwrap(),
            json!({"a": "[[[\\"})
        );
    }
}
