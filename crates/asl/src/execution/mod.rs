//! Running a state machine, one history event at a time.
//!
//! An [`Execution`] is a cursor over a run. Internally the engine decides one state at a time
//! (a Task with its retries, a Pass, one step of a Parallel branch or Map iteration …) and
//! appends that state's events; [`Execution::step`] reveals them one by one. A run can
//! therefore be paused anywhere, sliced across animation frames, or stopped, and the UI keeps
//! its own cursor into the revealed events, so stepping back costs nothing.
//!
//! The parts: [`thread`] runs the states of one machine (the execution itself, a Parallel
//! branch or a Map iteration); [`composite`] runs Parallel and Map states; [`recovery`] is
//! Retry and Catch.

mod composite;
mod flow;
mod recovery;
pub mod test_state;
mod thread;

use crate::clock::{Millis, Timing, VirtualClock};
use crate::dataflow::Env;
use crate::error::{ErrorName, Failure};
use crate::history::{EventDetails, HistoryEvent, Payload};
use crate::model::StateMachine;
use crate::query::context::{Context, ExecutionContext, StateContext, Variables};
use crate::task::TaskHandler;
use rand_core::{RngCore, SeedableRng};
use rand_pcg::Pcg64Mcg;
use serde_json::Value;
use std::collections::HashMap;
use std::hash::{BuildHasherDefault, Hasher};
use std::sync::Arc;
use thread::Thread;

/// AWS stops an execution whose history reaches this many events.
pub const MAX_HISTORY_EVENTS: usize = 25_000;

/// How many steps that add no event to the history (a Distributed Map's child executions add
/// none) one [`Execution::run_slice`] takes at most, so that a slice always ends soon.
pub const SILENT_STEPS_PER_SLICE: usize = 2_000;

/// AWS's limit on a payload (an input, output or result): 256 KiB of UTF-8.
pub const MAX_PAYLOAD_BYTES: usize = 262_144;

/// Where and how an execution runs. Everything that would make two runs differ is here, so a
/// run is reproducible from its config and input.
#[derive(Debug, Clone)]
pub struct ExecutionConfig {
    /// The execution's name (`$$.Execution.Name`).
    pub name: String,
    pub state_machine_name: String,
    pub region: String,
    pub account: String,
    /// Virtual start time, epoch milliseconds.
    pub start_time: Millis,
    /// Seeds every random draw of the run (tasks' `Math.random()`, jitter, UUIDs).
    pub seed: u64,
    pub timing: Timing,
}

impl Default for ExecutionConfig {
    fn default() -> Self {
        ExecutionConfig {
            name: "playground-execution".into(),
            state_machine_name: "CallCenter".into(),
            region: "us-east-2".into(),
            account: "123456789012".into(),
            // 2026-01-01T00:00:00Z: a fixed default keeps runs reproducible.
            start_time: 1_767_225_600_000,
            seed: 0,
            timing: Timing::default(),
        }
    }
}

impl ExecutionConfig {
    pub fn state_machine_arn(&self) -> String {
        format!(
            "arn:aws:states:{}:{}:stateMachine:{}",
            self.region, self.account, self.state_machine_name
        )
    }
    pub fn execution_arn(&self) -> String {
        format!(
            "arn:aws:states:{}:{}:execution:{}:{}",
            self.region, self.account, self.state_machine_name, self.name
        )
    }
    pub fn role_arn(&self) -> String {
        format!(
            "arn:aws:iam::{}:role/service-role/StepFunctions-{}-role",
            self.account, self.state_machine_name
        )
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
pub enum Status {
    Running,
    Succeeded,
    Failed,
    /// The machine's TimeoutSeconds passed on the virtual clock.
    TimedOut,
    /// Stopped from outside (StopExecution).
    Aborted,
}

impl Status {
    /// As AWS spells it in DescribeExecution.
    pub fn as_str(self) -> &'static str {
        match self {
            Status::Running => "RUNNING",
            Status::Succeeded => "SUCCEEDED",
            Status::Failed => "FAILED",
            Status::TimedOut => "TIMED_OUT",
            Status::Aborted => "ABORTED",
        }
    }
}

/// The data-flow stages of one visit of a state, named as AWS's TestState API names them.
#[derive(Debug, Clone, Default, PartialEq, serde::Serialize, serde::Deserialize)]
pub struct Stages {
    pub input: Option<Payload>,
    pub after_input_path: Option<Payload>,
    pub after_parameters: Option<Payload>,
    /// JSONata: the effective input after Arguments.
    pub after_arguments: Option<Payload>,
    pub result: Option<Payload>,
    pub after_result_selector: Option<Payload>,
    pub after_result_path: Option<Payload>,
    pub output: Option<Payload>,
    /// The variables the state assigned (`Assign`), once set.
    pub variables: Option<Payload>,
}

impl Stages {
    /// The value at one stage, if the visit reached it.
    pub fn get(&self, stage: crate::dataflow::Stage) -> Option<&Payload> {
        use crate::dataflow::Stage;
        match stage {
            Stage::Input => self.input.as_ref(),
            Stage::AfterInputPath => self.after_input_path.as_ref(),
            Stage::AfterParameters => self.after_parameters.as_ref(),
            Stage::AfterArguments => self.after_arguments.as_ref(),
            Stage::Result => self.result.as_ref(),
            Stage::AfterResultSelector => self.after_result_selector.as_ref(),
            Stage::AfterResultPath => self.after_result_path.as_ref(),
            Stage::Output => self.output.as_ref(),
        }
    }
}

/// Stages by the id of the event that entered the state. Event ids are unique small
/// integers: they need no hashing (SipHash cost more than the rest of a Pass state).
pub(crate) type StagesByEvent = HashMap<u64, Stages, BuildHasherDefault<EventIdHasher>>;

#[derive(Default)]
pub(crate) struct EventIdHasher(u64);

impl Hasher for EventIdHasher {
    fn finish(&self) -> u64 {
        // Spread the bits so that consecutive ids fill hashbrown's groups evenly.
        self.0.wrapping_mul(0x9E37_79B9_7F4A_7C15)
    }
    fn write(&mut self, bytes: &[u8]) {
        for &b in bytes {
            self.0 = (self.0 << 8) | u64::from(b);
        }
    }
    fn write_u64(&mut self, n: u64) {
        self.0 = n;
    }
}

/// The history limit was reached: the run stops where it is.
#[derive(Debug)]
pub(crate) struct LimitReached;

/// What every thread of a run shares: the clock, the random generator, the history.
pub(crate) struct Engine {
    pub config: ExecutionConfig,
    pub input: Payload,
    /// `$$.Execution` and `$$.StateMachine`, shared by every state's context object.
    pub execution_context: Arc<ExecutionContext>,
    pub clock: VirtualClock,
    rng: Pcg64Mcg,
    pub history: Vec<HistoryEvent>,
    /// Data-flow stages by the id of the event that entered the state.
    pub stages: StagesByEvent,
    /// When the machine's TimeoutSeconds runs out, on the virtual clock.
    pub deadline: Option<Millis>,
    /// Set when a Wait would have outlasted the deadline: the run stops there.
    pub timed_out: bool,
}

impl Engine {
    /// Appends an event after `last` (the previous event of the same thread).
    pub fn emit(&mut self, last: &mut u64, details: EventDetails) -> Result<u64, LimitReached> {
        // Keep one place for the ExecutionFailed that reports the limit.
        if self.history.len() + 1 >= MAX_HISTORY_EVENTS {
            return Err(LimitReached);
        }
        Ok(self.push(last, details))
    }

    fn push(&mut self, last: &mut u64, details: EventDetails) -> u64 {
        let id = self.history.len() as u64 + 1;
        self.history.push(HistoryEvent {
            id,
            previous_event_id: *last,
            timestamp: self.clock.now(),
            details,
        });
        *last = id;
        id
    }

    /// A uniform draw in [0, 1) from the run's seeded generator.
    pub fn random(&mut self) -> f64 {
        (self.rng.next_u64() >> 11) as f64 / (1u64 << 53) as f64
    }

    pub fn timing(&self) -> Timing {
        self.config.timing
    }

    /// What a state's expressions read besides its data: its context object (built only when
    /// read) and the variables in scope.
    pub fn env(
        &self,
        active: &thread::Active,
        variables: &Variables,
        map_item: Option<(usize, Value)>,
    ) -> Env {
        Env {
            context: Context::State(Arc::new(StateContext::new(
                self.execution_context.clone(),
                active.name.clone(),
                active.entered_time,
                0,
                map_item,
            ))),
            variables: variables.clone(),
        }
    }
}

/// The execution's part of the context object, for a run of `config` with this input.
fn execution_context(config: &ExecutionConfig, input: Payload) -> Arc<ExecutionContext> {
    Arc::new(ExecutionContext {
        id: config.execution_arn(),
        name: config.name.clone(),
        role_arn: config.role_arn(),
        start_time: config.start_time,
        state_machine_id: config.state_machine_arn(),
        state_machine_name: config.state_machine_name.clone(),
        input,
        redrive: None,
    })
}

/// Why RedriveExecution refuses a run (`ExecutionNotRedrivable`), in AWS's words (its
/// `redriveStatusReason`).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum RedriveError {
    Running,
    Succeeded,
    /// The run ended because its history reached [`MAX_HISTORY_EVENTS`].
    HistoryLimit,
}

impl std::fmt::Display for RedriveError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(match self {
            RedriveError::Running => "Execution is RUNNING and cannot be redriven.",
            RedriveError::Succeeded => "Execution is SUCCEEDED and cannot be redriven.",
            RedriveError::HistoryLimit => "Execution history event limit exceeded.",
        })
    }
}

impl std::error::Error for RedriveError {}

/// The context object of [`Execution::context_object`], built from what a run's events tell:
/// its config, its input (ExecutionStarted) and its latest redrive (the ExecutionRedriven
/// event's count and time). For a page whose run is in another thread and reaches it only as
/// events.
pub fn context_object(
    config: &ExecutionConfig,
    input: Payload,
    redrive: Option<(u64, Millis)>,
    state: &str,
    entered_time: Millis,
    retry_count: u64,
) -> Value {
    let execution = ExecutionContext {
        redrive,
        ..(*execution_context(config, input)).clone()
    };
    StateContext::new(
        Arc::new(execution),
        state.into(),
        entered_time,
        retry_count,
        None,
    )
    .to_value()
}

/// One run of a state machine.
pub struct Execution {
    machine: Arc<StateMachine>,
    engine: Engine,
    root: Thread,
    /// How many events of `engine.history` have been revealed by `step`.
    revealed: usize,
    /// How the run ended, once its last event has been appended.
    end: Option<Result<Payload, Failure>>,
    aborted: bool,
    /// How many events a `stop` kept when it dropped events already decided (`u64::MAX`
    /// when it dropped none): a thread whose latest event is beyond it enters that state
    /// again on a redrive rather than going on after it.
    kept: u64,
}

impl Execution {
    /// Prepares a run; nothing happens until the first [`step`](Self::step).
    pub fn new(machine: Arc<StateMachine>, input: Value, config: ExecutionConfig) -> Self {
        let input = Arc::new(input);
        let config_start = config.start_time;
        Execution {
            root: Thread::new(machine.clone(), input.clone(), None, Default::default()),
            engine: Engine {
                execution_context: execution_context(&config, input.clone()),
                clock: VirtualClock::starting_at(config.start_time),
                rng: Pcg64Mcg::seed_from_u64(config.seed),
                config,
                input,
                history: Vec::new(),
                stages: StagesByEvent::default(),
                deadline: machine
                    .timeout_seconds
                    .map(|s| config_start.saturating_add(s as i64 * 1000)),
                timed_out: false,
            },
            machine,
            revealed: 0,
            end: None,
            aborted: false,
            kept: u64::MAX,
        }
    }

    pub fn machine(&self) -> &StateMachine {
        &self.machine
    }
    pub fn config(&self) -> &ExecutionConfig {
        &self.engine.config
    }
    pub fn input(&self) -> &Value {
        &self.engine.input
    }
    /// The context object (`$$`, `$states.context`) a visit of `state` entered at
    /// `entered_time` after `retry_count` retries reads, as the engine builds it for that
    /// visit's expressions (outside any Map item).
    pub fn context_object(&self, state: &str, entered_time: Millis, retry_count: u64) -> Value {
        let context = StateContext::new(
            self.engine.execution_context.clone(),
            state.into(),
            entered_time,
            retry_count,
            None,
        );
        context.to_value()
    }
    /// The events revealed so far.
    pub fn history(&self) -> &[HistoryEvent] {
        &self.engine.history[..self.revealed]
    }
    /// Whether the next event is already decided (revealing it runs nothing): when not, the
    /// next [`step`](Self::step) decides a state, which may take long (a JSONata expression).
    pub fn next_is_decided(&self) -> bool {
        self.revealed < self.engine.history.len()
    }
    /// Whether every event has been revealed and the run has ended.
    pub fn is_finished(&self) -> bool {
        self.end.is_some() && self.revealed == self.engine.history.len()
    }
    pub fn status(&self) -> Status {
        match &self.end {
            Some(Err(_)) if self.is_finished() && self.aborted => Status::Aborted,
            Some(Err(_)) if self.is_finished() && self.engine.timed_out => Status::TimedOut,
            Some(Ok(_)) if self.is_finished() => Status::Succeeded,
            Some(Err(_)) if self.is_finished() => Status::Failed,
            _ => Status::Running,
        }
    }
    /// The execution's output, once it has succeeded.
    pub fn output(&self) -> Option<&Value> {
        match &self.end {
            Some(Ok(output)) if self.is_finished() => Some(output),
            _ => None,
        }
    }
    /// The error and cause, once it has failed.
    pub fn failure(&self) -> Option<&Failure> {
        match &self.end {
            Some(Err(failure)) if self.is_finished() => Some(failure),
            _ => None,
        }
    }
    /// The data-flow stages of the state entered by event `entered_event_id`.
    pub fn stages(&self, entered_event_id: u64) -> Option<&Stages> {
        self.engine.stages.get(&entered_event_id)
    }

    /// Stops the run where it is, as StopExecution does: events decided but not yet revealed
    /// are dropped, and ExecutionAborted ends the history. `false` when it had already ended.
    pub fn stop(&mut self, error: Option<String>, cause: Option<String>) -> bool {
        if self.end.is_some() && self.is_finished() {
            return false;
        }
        self.kept = if self.revealed < self.engine.history.len() {
            self.revealed as u64
        } else {
            u64::MAX
        };
        self.engine.history.truncate(self.revealed);
        let mut last = self.engine.history.last().map_or(0, |e| e.id);
        let failure = Failure {
            error: error.as_deref().map(ErrorName::parse),
            cause: cause.clone(),
        };
        self.engine
            .push(&mut last, EventDetails::ExecutionAborted { error, cause });
        self.revealed = self.engine.history.len();
        self.end = Some(Err(failure));
        self.aborted = true;
        true
    }

    /// How many times the run has been redriven (`redriveCount`).
    pub fn redrive_count(&self) -> u64 {
        self.engine
            .execution_context
            .redrive
            .map_or(0, |(count, _)| count)
    }

    /// Continues a run that ended unsuccessfully (failed, timed out or stopped), as
    /// RedriveExecution does: ExecutionRedriven (with the new `redriveCount`) follows the
    /// last event, then the state that failed is entered again with the input it had and
    /// its retries counted afresh; the states that succeeded are not run again, and
    /// `$$.Execution.RedriveCount` and `RedriveTime` say so from then on. A Parallel or
    /// Map state left unsuccessful is entered again, and only its branches or iterations
    /// that failed, were stopped, or never started run again (each redriven the same way,
    /// from its own unsuccessful state); the others keep their outputs. It runs again as a
    /// whole when it failed with States.DataLimitExceeded, as AWS documents. The machine's
    /// TimeoutSeconds counts again from the redrive. Nothing is appended when AWS would
    /// refuse.
    pub fn redrive(&mut self) -> Result<(), RedriveError> {
        if !self.is_finished() {
            return Err(RedriveError::Running);
        }
        match &self.end {
            Some(Ok(_)) => return Err(RedriveError::Succeeded),
            Some(Err(_)) if self.engine.history.len() + 1 >= MAX_HISTORY_EVENTS => {
                return Err(RedriveError::HistoryLimit)
            }
            _ => {}
        }
        let engine = &mut self.engine;
        // Stages recorded for events a stop dropped would be read as the new events' stages.
        let kept = engine.history.len() as u64;
        engine.stages.retain(|id, _| *id <= kept);
        let count = self.redrive_count() + 1;
        let engine = &mut self.engine;
        engine.clock.advance(engine.config.timing.transition);
        let now = engine.clock.now();
        engine.execution_context = Arc::new(ExecutionContext {
            redrive: Some((count, now)),
            ..(*engine.execution_context).clone()
        });
        let mut last = engine.history.last().map_or(0, |e| e.id);
        engine.push(
            &mut last,
            EventDetails::ExecutionRedriven {
                redrive_count: count,
            },
        );
        self.root.redrive(last, self.kept);
        engine.deadline = self
            .machine
            .timeout_seconds
            .map(|s| now.saturating_add(s as i64 * 1000));
        engine.timed_out = false;
        self.revealed = engine.history.len();
        self.end = None;
        self.aborted = false;
        self.kept = u64::MAX;
        Ok(())
    }

    /// Runs until the execution ends. Bounded: the history limit ends any loop.
    pub fn run_to_end(&mut self, tasks: &mut dyn TaskHandler) {
        while self.step(tasks).is_some() {}
    }

    /// Runs at most `max_events` steps (a slice of a long run); returns how many ran. A slice
    /// also ends after [`SILENT_STEPS_PER_SLICE`] steps that added no event (a Distributed
    /// Map's child executions), possibly with none revealed: the run goes on at the next slice.
    pub fn run_slice(&mut self, tasks: &mut dyn TaskHandler, max_events: usize) -> usize {
        let mut silent = SILENT_STEPS_PER_SLICE;
        let mut ran = 0;
        while ran < max_events {
            if self.revealed == self.engine.history.len() {
                if self.end.is_some() || !self.advance(tasks, &mut silent) {
                    break;
                }
            }
            self.revealed += 1;
            ran += 1;
        }
        ran
    }

    /// Reveals the next history event and returns it; `None` once the execution has ended.
    pub fn step(&mut self, tasks: &mut dyn TaskHandler) -> Option<&HistoryEvent> {
        if self.revealed == self.engine.history.len() {
            if self.end.is_some() {
                return None;
            }
            let mut unbounded = usize::MAX;
            self.advance(tasks, &mut unbounded);
        }
        self.revealed += 1;
        self.engine.history.get(self.revealed - 1)
    }

    /// Decides at least one more event; `false` (and none) when `silent` steps that added no
    /// event ran out first.
    fn advance(&mut self, tasks: &mut dyn TaskHandler, silent: &mut usize) -> bool {
        let engine = &mut self.engine;
        let mut last = engine.history.last().map_or(0, |e| e.id);
        if engine.history.is_empty() {
            let details = EventDetails::ExecutionStarted {
                input: engine.input.clone(),
                role_arn: engine.config.role_arn(),
            };
            engine.push(&mut last, details);
            return true;
        }
        let before = engine.history.len();
        let outcome = loop {
            if engine.timed_out || engine.deadline.is_some_and(|d| engine.clock.now() >= d) {
                engine.timed_out = true;
                break Some(Err(Failure {
                    error: Some(ErrorName::Timeout),
                    cause: None,
                }));
            }
            if let Err(LimitReached) = self.root.advance(engine, tasks) {
                break Some(Err(Failure::new(
                    ErrorName::Runtime,
                    format!("The execution reached the maximum number of history events ({MAX_HISTORY_EVENTS})."),
                )));
            }
            if let Some(ended) = self.root.ended() {
                break Some(ended);
            }
            if engine.history.len() > before {
                break None;
            }
            if *silent == 0 {
                return false;
            }
            *silent -= 1;
        };
        if let Some(outcome) = outcome {
            let mut last = engine.history.last().map_or(0, |e| e.id);
            match engine.deadline.filter(|_| engine.timed_out) {
                // A timed-out execution ends at its deadline, not a step later.
                Some(deadline) => engine.clock.advance(deadline - engine.clock.now()),
                None => engine.clock.advance(engine.config.timing.transition),
            }
            let details = match &outcome {
                Err(failure) if engine.timed_out => EventDetails::ExecutionTimedOut {
                    error: failure.error_str().map(str::to_string),
                    cause: failure.cause.clone(),
                },
                Ok(output) => EventDetails::ExecutionSucceeded {
                    output: output.clone(),
                },
                Err(failure) => EventDetails::ExecutionFailed {
                    error: failure.error_str().map(str::to_string),
                    cause: failure.cause.clone(),
                },
            };
            engine.push(&mut last, details);
            self.end = Some(outcome);
        }
        true
    }
}
