//! The playground's state and every action a person can take on it.
//!
//! One `Reducible` value holds what the person typed (definition, input, seed, outcome) and the
//! run in progress; everything shown is derived from these.

use asl::{load, Diagnostic, Execution, ExecutionConfig, StateMachine};
use callcenter::{CallCenter, WorkOnCase, TUTORIAL_DEFINITION, TUTORIAL_INPUT};
use serde_json::Value;
use std::cell::RefCell;
use std::rc::Rc;
use std::sync::Arc;
use yew::Reducible;

/// A run in progress or finished: the engine's execution and the handler answering its tasks.
pub struct Run {
    pub execution: Execution,
    pub tasks: CallCenter,
}

#[derive(Clone)]
pub struct Playground {
    pub definition: String,
    /// The last definition that loaded; the graph keeps showing it while the text is invalid.
    pub machine: Arc<StateMachine>,
    pub diagnostics: Rc<Vec<Diagnostic>>,
    pub input: String,
    pub seed: u64,
    pub work_on_case: WorkOnCase,
    /// Shared, not cloned: a run can hold thousands of events. `revision` changes whenever the
    /// run does, so the page re-renders.
    pub run: Option<Rc<RefCell<Run>>>,
    pub revision: u64,
    pub selected: Option<String>,
    /// Why the last Start could not start (an invalid input or definition).
    pub problem: Option<String>,
}

impl PartialEq for Playground {
    fn eq(&self, other: &Self) -> bool {
        self.revision == other.revision
    }
}

pub enum Action {
    EditDefinition(String),
    EditInput(String),
    SetCaseId(String),
    SetSeed(u64),
    SetWorkOnCase(WorkOnCase),
    Start,
    Step,
    RunToEnd,
    Reset,
    Select(String),
}

impl Default for Playground {
    fn default() -> Self {
        let machine = load(TUTORIAL_DEFINITION).expect("the tutorial's definition is valid");
        Playground {
            definition: TUTORIAL_DEFINITION.to_string(),
            machine: Arc::new(machine),
            diagnostics: Rc::new(Vec::new()),
            input: TUTORIAL_INPUT.to_string(),
            seed: 1,
            work_on_case: WorkOnCase::Random,
            run: None,
            revision: 0,
            selected: None,
            problem: None,
        }
    }
}

impl Playground {
    /// The `inputCaseID` the input holds, if it is a JSON object with a string there.
    pub fn case_id(&self) -> Option<String> {
        let input: Value = serde_json::from_str(&self.input).ok()?;
        match input.get("inputCaseID")? {
            Value::String(s) => Some(s.clone()),
            other => Some(other.to_string()),
        }
    }

    /// Whether the run exists and can take another step.
    pub fn can_step(&self) -> bool {
        self.run
            .as_ref()
            .is_none_or(|r| !r.borrow().execution.is_finished())
    }

    fn start(&mut self) -> bool {
        if !self.diagnostics.is_empty() {
            self.problem = Some(format!(
                "The definition has {} problem(s): fix them to start an execution.",
                self.diagnostics.len()
            ));
            return false;
        }
        let input: Value = match serde_json::from_str(&self.input) {
            Ok(v) => v,
            Err(e) => {
                self.problem = Some(format!("The input is not valid JSON: {e}"));
                return false;
            }
        };
        let config = ExecutionConfig {
            name: format!("playground-{}", self.seed),
            start_time: now_millis(),
            seed: self.seed,
            ..Default::default()
        };
        let execution = Execution::new(self.machine.clone(), input, config);
        self.run = Some(Rc::new(RefCell::new(Run {
            execution,
            tasks: CallCenter {
                work_on_case: self.work_on_case,
            },
        })));
        self.problem = None;
        true
    }

    /// Runs `f` on the run, starting one first when there is none.
    fn with_run(&mut self, f: impl FnOnce(&mut Run)) {
        if self.run.is_none() && !self.start() {
            return;
        }
        if let Some(run) = &self.run {
            let mut run = run.borrow_mut();
            f(&mut run);
            // Follow the run: the state it is in (or ended in) is the one shown.
            if let Some(name) = crate::view::state_of_events(run.execution.history())
                .into_iter()
                .rev()
                .flatten()
                .next()
            {
                self.selected = Some(name);
            }
        }
    }
}

impl Reducible for Playground {
    type Action = Action;

    fn reduce(self: Rc<Self>, action: Action) -> Rc<Self> {
        let mut next = (*self).clone();
        next.revision += 1;
        match action {
            Action::EditDefinition(text) => {
                match load(&text) {
                    Ok(machine) => {
                        next.machine = Arc::new(machine);
                        next.diagnostics = Rc::new(Vec::new());
                    }
                    Err(problems) => next.diagnostics = Rc::new(problems),
                }
                next.definition = text;
                next.run = None;
            }
            Action::EditInput(text) => next.input = text,
            Action::SetCaseId(id) => {
                match serde_json::from_str::<Value>(&next.input) {
                    Ok(Value::Object(mut map)) => {
                        map.insert("inputCaseID".into(), Value::String(id));
                        next.input =
                            serde_json::to_string_pretty(&Value::Object(map)).unwrap_or_default();
                        next.problem = None;
                    }
                    // Never overwrite what the person typed: say what to fix instead.
                    _ => next.problem = Some(
                        "The input below must be a JSON object to set inputCaseID: fix it first."
                            .into(),
                    ),
                }
            }
            Action::SetSeed(seed) => next.seed = seed,
            Action::SetWorkOnCase(mode) => next.work_on_case = mode,
            Action::Start => {
                next.selected = None;
                if next.start() {
                    next.with_run(|run| {
                        run.execution.step(&mut run.tasks);
                    });
                }
            }
            Action::Step => next.with_run(|run| {
                run.execution.step(&mut run.tasks);
            }),
            Action::RunToEnd => next.with_run(|run| run.execution.run_to_end(&mut run.tasks)),
            Action::Reset => {
                next.run = None;
                next.selected = None;
                next.problem = None;
            }
            Action::Select(name) => next.selected = Some(name),
        }
        Rc::new(next)
    }
}

/// The wall clock, read once when an execution starts: its virtual clock begins there.
fn now_millis() -> i64 {
    #[cfg(target_arch = "wasm32")]
    {
        js_sys::Date::now() as i64
    }
    #[cfg(not(target_arch = "wasm32"))]
    {
        ExecutionConfig::default().start_time
    }
}
