//! Running a state machine, one history event at a time.
//!
//! An [`Execution`] is a cursor over a run: each [`Execution::step`] appends exactly one event
//! to the history and decides what the next step will do. A run can therefore be paused
//! anywhere, sliced across animation frames, or stopped; the UI keeps its own cursor into the
//! recorded events, so stepping back costs nothing.

use crate::choice::{choose, Scope};
use crate::clock::{format_timestamp, Millis, Timing, VirtualClock};
use crate::dataflow::{apply_path, apply_result_path};
use crate::error::{ErrorName, Failure};
use crate::history::{EventDetails, HistoryEvent, Payload};
use crate::model::{DataFlow, StateKind, StateMachine, StateType, Transition, WaitFor};
use crate::task::{lambda_function_name, TaskHandler, TaskOutcome, TaskRequest};
use rand_core::{RngCore, SeedableRng};
use rand_pcg::Pcg64Mcg;
use serde_json::{json, Value};
use std::sync::Arc;

/// AWS stops an execution whose history reaches this many events.
pub const MAX_HISTORY_EVENTS: usize = 25_000;

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
    /// Seeds every random draw of the run (tasks' `Math.random()`, later jitter and UUIDs).
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

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Status {
    Running,
    Succeeded,
    Failed,
}

impl Status {
    /// As AWS spells it in DescribeExecution.
    pub fn as_str(self) -> &'static str {
        match self {
            Status::Running => "RUNNING",
            Status::Succeeded => "SUCCEEDED",
            Status::Failed => "FAILED",
        }
    }
}

/// A state being run: what every step inside it needs to know.
#[derive(Debug, Clone)]
struct Active {
    name: Arc<str>,
    state_type: StateType,
    /// The id of its StateEntered event (AWS quotes it in error causes).
    entered_id: u64,
    entered_time: Millis,
    /// The raw input the state was entered with.
    input: Payload,
}

/// What the next step does.
#[derive(Debug, Clone)]
enum Next {
    Start,
    Enter {
        name: Arc<str>,
        input: Payload,
    },
    ScheduleTask {
        active: Active,
        effective: Payload,
    },
    StartTask {
        active: Active,
        effective: Payload,
    },
    FinishTask {
        active: Active,
        effective: Payload,
    },
    /// `then` is the state to enter after this one (`None` ends the execution); `wait_until`
    /// holds the exit back on the virtual clock (a Wait state).
    Exit {
        active: Active,
        output: Payload,
        then: Option<Arc<str>>,
        wait_until: Option<Millis>,
    },
    Succeed {
        output: Payload,
    },
    Fail(Failure),
    Done,
}

/// One run of a state machine.
pub struct Execution {
    machine: Arc<StateMachine>,
    config: ExecutionConfig,
    input: Payload,
    clock: VirtualClock,
    rng: Pcg64Mcg,
    history: Vec<HistoryEvent>,
    next: Next,
    status: Status,
    output: Option<Payload>,
    failure: Option<Failure>,
}

impl Execution {
    /// Prepares a run; nothing happens until the first [`step`](Self::step).
    pub fn new(machine: Arc<StateMachine>, input: Value, config: ExecutionConfig) -> Self {
        Execution {
            clock: VirtualClock::starting_at(config.start_time),
            rng: Pcg64Mcg::seed_from_u64(config.seed),
            machine,
            config,
            input: Arc::new(input),
            history: Vec::new(),
            next: Next::Start,
            status: Status::Running,
            output: None,
            failure: None,
        }
    }

    pub fn machine(&self) -> &StateMachine {
        &self.machine
    }
    pub fn config(&self) -> &ExecutionConfig {
        &self.config
    }
    pub fn input(&self) -> &Value {
        &self.input
    }
    pub fn history(&self) -> &[HistoryEvent] {
        &self.history
    }
    pub fn status(&self) -> Status {
        self.status
    }
    pub fn is_finished(&self) -> bool {
        matches!(self.next, Next::Done)
    }
    /// The execution's output, once it has succeeded.
    pub fn output(&self) -> Option<&Value> {
        self.output.as_deref()
    }
    /// The error and cause, once it has failed.
    pub fn failure(&self) -> Option<&Failure> {
        self.failure.as_ref()
    }

    /// Runs until the execution ends. Bounded: the history limit ends any loop.
    pub fn run_to_end(&mut self, tasks: &mut dyn TaskHandler) {
        while self.step(tasks).is_some() {}
    }

    /// Runs at most `max_events` steps (a slice of a long run); returns how many ran.
    pub fn run_slice(&mut self, tasks: &mut dyn TaskHandler, max_events: usize) -> usize {
        (0..max_events)
            .take_while(|_| self.step(tasks).is_some())
            .count()
    }

    /// Appends the next history event and returns it; `None` once the execution has ended.
    pub fn step(&mut self, tasks: &mut dyn TaskHandler) -> Option<&HistoryEvent> {
        if self.is_finished() {
            return None;
        }
        if self.history.len() + 1 >= MAX_HISTORY_EVENTS
            && !matches!(self.next, Next::Fail(_) | Next::Succeed { .. })
        {
            self.next = Next::Fail(Failure::new(
                ErrorName::Runtime,
                format!("The execution reached the maximum number of history events ({MAX_HISTORY_EVENTS})."),
            ));
        }
        let timing = self.config.timing;
        match std::mem::replace(&mut self.next, Next::Done) {
            Next::Start => {
                let details = EventDetails::ExecutionStarted {
                    input: self.input.clone(),
                    role_arn: self.config.role_arn(),
                };
                self.push(details);
                self.next = Next::Enter {
                    name: self.machine.start_at.as_str().into(),
                    input: self.input.clone(),
                };
            }
            Next::Enter { name, input } => {
                self.clock.advance(timing.transition);
                self.enter(name, input);
            }
            Next::ScheduleTask { active, effective } => {
                self.clock.advance(timing.transition);
                let details = self.task_scheduled(&active, &effective);
                self.push(details);
                self.next = Next::StartTask { active, effective };
            }
            Next::StartTask { active, effective } => {
                self.clock.advance(timing.schedule);
                let resource = self.task(&active).resource.clone();
                let details = if lambda_function_name(&resource).is_some() {
                    EventDetails::LambdaFunctionStarted
                } else {
                    EventDetails::TaskStarted { resource }
                };
                self.push(details);
                self.next = Next::FinishTask { active, effective };
            }
            Next::FinishTask { active, effective } => {
                self.clock.advance(timing.task);
                self.finish_task(active, effective, tasks);
            }
            Next::Exit {
                active,
                output,
                then,
                wait_until,
            } => {
                match wait_until {
                    Some(until) if until > self.clock.now() => {
                        self.clock.advance(until - self.clock.now())
                    }
                    _ => self.clock.advance(timing.transition),
                }
                let details = EventDetails::StateExited {
                    state_type: active.state_type,
                    name: active.name.to_string(),
                    output: output.clone(),
                };
                self.push(details);
                self.next = match then {
                    Some(name) => Next::Enter {
                        name,
                        input: output,
                    },
                    None => Next::Succeed { output },
                };
            }
            Next::Succeed { output } => {
                self.clock.advance(timing.transition);
                self.push(EventDetails::ExecutionSucceeded {
                    output: output.clone(),
                });
                self.status = Status::Succeeded;
                self.output = Some(output);
            }
            Next::Fail(failure) => {
                self.clock.advance(timing.transition);
                let details = EventDetails::ExecutionFailed {
                    error: failure.error_str().map(str::to_string),
                    cause: failure.cause.clone(),
                };
                self.push(details);
                self.status = Status::Failed;
                self.failure = Some(failure);
            }
            Next::Done => return None,
        }
        self.history.last()
    }

    fn push(&mut self, details: EventDetails) {
        let id = self.history.len() as u64 + 1;
        self.history.push(HistoryEvent {
            id,
            previous_event_id: id - 1,
            timestamp: self.clock.now(),
            details,
        });
    }

    fn task(&self, active: &Active) -> &crate::model::Task {
        match &self.machine.states[&*active.name].kind {
            StateKind::Task(t) => t,
            _ => unreachable!("task steps only run for Task states"),
        }
    }

    /// The context object (`$$`) as a state sees it.
    fn context(&self, active: &Active) -> Value {
        json!({
            "Execution": {
                "Id": self.config.execution_arn(),
                "Input": &*self.input,
                "Name": self.config.name,
                "RoleArn": self.config.role_arn(),
                "StartTime": format_timestamp(self.config.start_time),
            },
            "State": {
                "EnteredTime": format_timestamp(active.entered_time),
                "Name": &*active.name,
                "RetryCount": 0,
            },
            "StateMachine": {
                "Id": self.config.state_machine_arn(),
                "Name": self.config.state_machine_name,
            },
        })
    }

    /// Pushes the StateEntered event and works out what the state does next.
    fn enter(&mut self, name: Arc<str>, input: Payload) {
        let state = &self.machine.states[&*name];
        let state_type = state.state_type();
        let details = EventDetails::StateEntered {
            state_type,
            name: name.to_string(),
            input: input.clone(),
        };
        self.push(details);
        let active = Active {
            name,
            state_type,
            entered_id: self.history.len() as u64,
            entered_time: self.clock.now(),
            input,
        };
        let machine = self.machine.clone();
        let context = self.context(&active);
        let runtime = |detail: String| {
            Failure::in_state(ErrorName::Runtime, &active.name, active.entered_id, &detail)
        };
        self.next = match &machine.states[&*active.name].kind {
            StateKind::Pass(pass) => {
                let result = |effective: Value| Ok(pass.result.clone().unwrap_or(effective));
                let then = then(&pass.transition);
                match self.result_flow(&pass.data, &active, &context, result) {
                    Ok(output) => Next::Exit {
                        active,
                        output: Arc::new(output),
                        then,
                        wait_until: None,
                    },
                    Err(failure) => Next::Fail(failure),
                }
            }
            StateKind::Task(task) => {
                match apply_path(&task.data.input_path, &active.input, &context) {
                    Ok(effective) => Next::ScheduleTask {
                        active,
                        effective: Arc::new(effective),
                    },
                    Err(detail) => Next::Fail(runtime(detail)),
                }
            }
            StateKind::Choice(choice) => {
                let decided =
                    apply_path(&choice.input_path, &active.input, &context).and_then(|effective| {
                        let picked = choose(
                            choice,
                            &Scope {
                                input: &effective,
                                context: &context,
                            },
                        )?;
                        let output = apply_path(&choice.output_path, &effective, &context)?;
                        Ok((picked.map(str::to_string), output))
                    });
                match decided {
                    Ok((Some(next), output)) => {
                        Next::Exit { active, output: Arc::new(output), then: Some(next.into()), wait_until: None }
                    }
                    Ok((None, _)) => Next::Fail(Failure::in_state(
                        ErrorName::NoChoiceMatched,
                        &active.name,
                        active.entered_id,
                        "Failed to transition out of the state. The state does not point to a next state.",
                    )),
                    Err(detail) => Next::Fail(runtime(detail)),
                }
            }
            StateKind::Wait(wait) => {
                let waited =
                    apply_path(&wait.input_path, &active.input, &context).and_then(|effective| {
                        let until =
                            wait_until(&wait.duration, &effective, &context, active.entered_time)?;
                        Ok((until, apply_path(&wait.output_path, &effective, &context)?))
                    });
                match waited {
                    Ok((until, output)) => Next::Exit {
                        active,
                        output: Arc::new(output),
                        then: then(&wait.transition),
                        wait_until: Some(until),
                    },
                    Err(detail) => Next::Fail(runtime(detail)),
                }
            }
            StateKind::Succeed(s) => {
                let output = apply_path(&s.input_path, &active.input, &context)
                    .and_then(|effective| apply_path(&s.output_path, &effective, &context));
                match output {
                    Ok(output) => Next::Exit {
                        active,
                        output: Arc::new(output),
                        then: None,
                        wait_until: None,
                    },
                    Err(detail) => Next::Fail(runtime(detail)),
                }
            }
            StateKind::Fail(fail) => Next::Fail(Failure {
                error: fail.error.as_deref().map(ErrorName::parse),
                cause: fail.cause.clone(),
            }),
        };
    }

    /// Pass and Task: InputPath → `produce` the result → ResultPath → OutputPath.
    fn result_flow(
        &self,
        data: &DataFlow,
        active: &Active,
        context: &Value,
        produce: impl FnOnce(Value) -> Result<Value, Failure>,
    ) -> Result<Value, Failure> {
        let runtime = |detail: String| {
            Failure::in_state(ErrorName::Runtime, &active.name, active.entered_id, &detail)
        };
        let effective = apply_path(&data.input_path, &active.input, context).map_err(runtime)?;
        let result = produce(effective)?;
        self.after_result(data, active, context, result)
    }

    /// ResultPath → OutputPath, once a state has its result.
    fn after_result(
        &self,
        data: &DataFlow,
        active: &Active,
        context: &Value,
        result: Value,
    ) -> Result<Value, Failure> {
        let merged =
            apply_result_path(&data.result_path, &active.input, result).map_err(|detail| {
                Failure::in_state(
                    ErrorName::ResultPathMatchFailure,
                    &active.name,
                    active.entered_id,
                    &detail,
                )
            })?;
        apply_path(&data.output_path, &merged, context).map_err(|detail| {
            Failure::in_state(ErrorName::Runtime, &active.name, active.entered_id, &detail)
        })
    }

    fn task_scheduled(&self, active: &Active, effective: &Payload) -> EventDetails {
        let task = self.task(active);
        if lambda_function_name(&task.resource).is_some() {
            EventDetails::LambdaFunctionScheduled {
                resource: task.resource.clone(),
                input: effective.clone(),
                timeout_in_seconds: task.timeout_seconds,
            }
        } else {
            EventDetails::TaskScheduled {
                resource: task.resource.clone(),
                parameters: effective.clone(),
                region: self.config.region.clone(),
                timeout_in_seconds: task.timeout_seconds,
            }
        }
    }

    /// Invokes the task's handler and records how it ended.
    fn finish_task(&mut self, active: Active, effective: Payload, tasks: &mut dyn TaskHandler) {
        let machine = self.machine.clone();
        let task = match &machine.states[&*active.name].kind {
            StateKind::Task(t) => t,
            _ => unreachable!("task steps only run for Task states"),
        };
        let rng = &mut self.rng;
        let mut random = || (rng.next_u64() >> 11) as f64 / (1u64 << 53) as f64;
        let outcome = tasks.invoke(TaskRequest {
            resource: &task.resource,
            input: &effective,
            state_name: &active.name,
            random: &mut random,
        });
        let is_lambda = lambda_function_name(&task.resource).is_some();
        match outcome {
            TaskOutcome::Succeeded(result) => {
                let result = Arc::new(result);
                let details = if is_lambda {
                    EventDetails::LambdaFunctionSucceeded {
                        output: result.clone(),
                    }
                } else {
                    EventDetails::TaskSucceeded {
                        resource: task.resource.clone(),
                        output: result.clone(),
                    }
                };
                self.push(details);
                let context = self.context(&active);
                self.next =
                    match self.after_result(&task.data, &active, &context, (*result).clone()) {
                        Ok(output) => Next::Exit {
                            active,
                            output: Arc::new(output),
                            then: then(&task.transition),
                            wait_until: None,
                        },
                        Err(failure) => Next::Fail(failure),
                    };
            }
            TaskOutcome::Failed { error, cause } => {
                self.task_failed(&task.resource, is_lambda, error, cause)
            }
            TaskOutcome::NotFound => {
                let function = lambda_function_name(&task.resource).unwrap_or(&task.resource);
                let cause = format!(
                    "Function not found: {} (Service: Lambda, Status Code: 404, Request ID: 00000000-0000-0000-0000-000000000000)",
                    if is_lambda { task.resource.as_str() } else { function }
                );
                let error = if is_lambda {
                    "Lambda.ResourceNotFoundException"
                } else {
                    "States.TaskFailed"
                };
                self.task_failed(&task.resource, is_lambda, error.to_string(), cause);
            }
        }
    }

    fn task_failed(&mut self, resource: &str, is_lambda: bool, error: String, cause: String) {
        let details = if is_lambda {
            EventDetails::LambdaFunctionFailed {
                error: error.clone(),
                cause: cause.clone(),
            }
        } else {
            EventDetails::TaskFailed {
                resource: resource.to_string(),
                error: error.clone(),
                cause: cause.clone(),
            }
        };
        self.push(details);
        self.next = Next::Fail(Failure::new(ErrorName::parse(&error), cause));
    }
}

/// Where a state goes after it exits: its `Next`, or nowhere (`End`).
fn then(transition: &Transition) -> Option<Arc<str>> {
    match transition {
        Transition::Next(next) => Some(next.as_str().into()),
        Transition::End => None,
    }
}

/// When a Wait state may exit, on the virtual clock.
fn wait_until(
    duration: &WaitFor,
    input: &Value,
    context: &Value,
    entered: Millis,
) -> Result<Millis, String> {
    let seconds_from = |s: u64| entered.saturating_add((s as i64).saturating_mul(1000));
    match duration {
        WaitFor::Seconds(s) => Ok(seconds_from(*s)),
        WaitFor::Timestamp(ms, _) => Ok(*ms),
        WaitFor::SecondsPath(path) => {
            let value = crate::dataflow::select(path, input, context).ok_or_else(|| {
                format!(
                    "Invalid path '{path}' : No results for path: {}",
                    path.normalized()
                )
            })?;
            match value.as_i64() {
                Some(s) if s >= 0 => Ok(seconds_from(s as u64)),
                Some(_) => Err(format!(
                    "The SecondsPath parameter references a negative value: {path} == {value}"
                )),
                None => Err(format!(
                    "The SecondsPath parameter cannot be parsed as a long value: {path} == {value}"
                )),
            }
        }
        WaitFor::TimestampPath(path) => {
            let value = crate::dataflow::select(path, input, context).ok_or_else(|| {
                format!(
                    "Invalid path '{path}' : No results for path: {}",
                    path.normalized()
                )
            })?;
            value
                .as_str()
                .and_then(crate::clock::parse_timestamp)
                .ok_or_else(|| format!("The TimestampPath parameter does not reference a valid ISO-8601 extended offset date-time format string: {path} == {value}"))
        }
    }
}
