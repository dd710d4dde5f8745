//! One thread of states: the execution itself, a Parallel branch or a Map iteration. Each
//! `advance` runs one whole state (a Task with its retries, a Pass …), or one step inside a
//! Parallel or Map state.

use super::composite::Composite;
use super::flow::{self, evaluate_shape, evaluate_template, jsonata_scope};
use super::recovery::{self, Attempts};
use super::{Engine, LimitReached, Stages, MAX_PAYLOAD_BYTES};
use crate::choice::{choose_rule, Scope};
use crate::clock::Millis;
use crate::dataflow::apply_result_path;
use crate::dataflow::Env;
use crate::error::{ErrorName, Failure};
use crate::history::{EventDetails, Payload};
use crate::limits::MAX_NESTING_DEPTH;
use crate::model::{Catcher, Shape, StateKind, StateMachine, StateType, Text, Transition, WaitFor};
use crate::task::{lambda_function_name, TaskHandler, TaskOutcome, TaskRequest};
use serde_json::Value;
use std::sync::Arc;

/// A state being run: what every part of running it needs to know.
#[derive(Debug, Clone)]
pub(crate) struct Active {
    pub name: Arc<str>,
    pub state_type: StateType,
    /// The id of its StateEntered event (AWS quotes it in error causes).
    pub entered_id: u64,
    pub entered_time: Millis,
    /// The raw input the state was entered with.
    pub input: Payload,
    /// Seeds the randomness of this visit's intrinsic functions (States.UUID, MathRandom).
    pub seed: u64,
}

impl Active {
    /// A failure of this state, worded as AWS words runtime failures.
    pub fn failure(&self, error: ErrorName, detail: &str) -> Failure {
        Failure::in_state(error, &self.name, self.entered_id, detail)
    }
}

/// How a state ended when it did not fail.
pub(crate) struct Exit {
    pub output: Payload,
    pub then: Option<Arc<str>>,
    /// A Wait state holds its exit back until then, on the virtual clock.
    pub wait_until: Option<Millis>,
}

enum Position {
    Enter { name: Arc<str>, input: Payload },
    Inside(Box<Composite>),
    Ended(Result<Payload, Failure>),
}

pub(crate) struct Thread {
    machine: Arc<StateMachine>,
    /// The workflow variables this thread sees: its own assignments over a copy of its
    /// parent's (a branch's or iteration's assignments never leave it).
    pub variables: Arc<serde_json::Map<String, Value>>,
    position: Position,
    /// This thread's latest event: the `previousEventId` of its next one.
    pub last: u64,
    /// The state whose failure ended this thread, with the input it was entered with: where
    /// a redrive enters again.
    failed_state: Option<(Arc<str>, Payload)>,
    /// The latest state entered, with its input: where a redrive enters again when the run
    /// ended inside it (stopped, or out of time) rather than by its failure.
    entered: Option<(Arc<str>, Payload)>,
    /// The Parallel or Map state this thread failed or was stopped in, as it was left: a
    /// redrive enters that state again and resumes it, running only the branches or
    /// iterations that did not succeed.
    resume: Option<Box<Composite>>,
}

impl Thread {
    pub fn new(
        machine: Arc<StateMachine>,
        input: Payload,
        last: Option<u64>,
        variables: Arc<serde_json::Map<String, Value>>,
    ) -> Thread {
        let name: Arc<str> = machine.start_at.as_str().into();
        Thread {
            machine,
            variables,
            position: Position::Enter { name, input },
            last: last.unwrap_or(1),
            failed_state: None,
            entered: None,
            resume: None,
        }
    }

    /// Makes a thread that ended unsuccessfully run again from where it failed, as
    /// RedriveExecution does: the failed state (or the one the run was stopped in) is
    /// entered again with the input it had, its retries counted afresh. A Parallel or Map
    /// state is resumed: only its branches or iterations that did not succeed run again,
    /// each redriven in the same way. A thread whose latest event is beyond `kept` (a stop
    /// dropped the events of its latest step) enters the state of that step again. Its next
    /// event follows `last`. `false` when the thread succeeded: it keeps its output.
    pub fn redrive(&mut self, last: u64, kept: u64) -> bool {
        let dropped = self.last > kept;
        let mut resume = None;
        let again = match &self.position {
            Position::Ended(Ok(_)) if !dropped => return false,
            Position::Ended(Err(_)) => {
                resume = self.resume.take();
                self.failed_state.take().or_else(|| self.entered.clone())
            }
            Position::Inside(composite) => {
                let again = Some((composite.name().clone(), composite.input().clone()));
                if let Position::Inside(composite) = std::mem::replace(
                    &mut self.position,
                    Position::Ended(Ok(Arc::new(Value::Null))),
                ) {
                    resume = Some(composite);
                }
                again
            }
            // Between states: the run goes on with the next one.
            Position::Enter { .. } if !dropped => None,
            // The latest step's events were dropped: its state is entered again (a thread
            // that had not entered one yet starts as it would have).
            _ => self.entered.clone(),
        };
        self.resume = resume.filter(|c| again.as_ref().is_some_and(|(name, _)| c.name() == name));
        if let Some(composite) = &mut self.resume {
            composite.redrive(kept);
        }
        match again {
            Some((name, input)) => self.position = Position::Enter { name, input },
            None if matches!(self.position, Position::Ended(_)) => return false,
            None => {}
        }
        self.last = last;
        true
    }

    pub fn ended(&self) -> Option<Result<Payload, Failure>> {
        match &self.position {
            Position::Ended(outcome) => Some(outcome.clone()),
            _ => None,
        }
    }

    pub fn advance(
        &mut self,
        engine: &mut Engine,
        tasks: &mut dyn TaskHandler,
    ) -> Result<(), LimitReached> {
        match std::mem::replace(
            &mut self.position,
            Position::Ended(Ok(Arc::new(Value::Null))),
        ) {
            Position::Enter { name, input } => self.run_state(engine, tasks, name, input),
            Position::Inside(mut composite) => {
                match composite.advance(engine, tasks, &mut self.last)? {
                    None => self.position = Position::Inside(composite),
                    Some(outcome) => {
                        let (active, stages) =
                            (composite.active().clone(), composite.stages().clone());
                        let machine = self.machine.clone();
                        let state = &machine.states[&*active.name];
                        let transition = state
                            .transition()
                            .expect("Parallel and Map states have a transition");
                        let mut stages = stages;
                        let env = engine.env(&active, &self.variables, None);
                        let result = outcome.and_then(|results| {
                            let results = Arc::new(results);
                            stages.result = Some(results.clone());
                            flow::exit(&state.io(), &active, &env, results, &mut stages)
                        });
                        let result = result.map(|output| Exit {
                            output,
                            then: then(transition),
                            wait_until: None,
                        });
                        self.finish_state(
                            engine,
                            &env,
                            active,
                            result,
                            state.catchers(),
                            state.assign.as_ref(),
                            stages,
                            false,
                        )?;
                        // Kept for a redrive, which runs only its unsuccessful branches or
                        // iterations again (unless AWS reruns the state whole).
                        if let Position::Ended(Err(failure)) = &self.position {
                            if composite.resumable_after(failure) {
                                self.resume = Some(composite);
                            }
                        }
                    }
                }
                Ok(())
            }
            ended @ Position::Ended(_) => {
                self.position = ended;
                Ok(())
            }
        }
    }

    fn run_state(
        &mut self,
        engine: &mut Engine,
        tasks: &mut dyn TaskHandler,
        name: Arc<str>,
        input: Payload,
    ) -> Result<(), LimitReached> {
        let machine = self.machine.clone();
        let state = &machine.states[&*name];
        self.entered = Some((name.clone(), input.clone()));
        engine.clock.advance(engine.timing().transition);
        let state_type = state.state_type();
        let details = EventDetails::StateEntered {
            state_type,
            name: name.clone(),
            input: input.clone(),
        };
        let entered_id = engine.emit(&mut self.last, details)?;
        let active = Active {
            name,
            state_type,
            entered_id,
            entered_time: engine.clock.now(),
            input,
            seed: engine.random().to_bits(),
        };
        let mut stages = Stages {
            input: Some(active.input.clone()),
            ..Default::default()
        };
        let env = engine.env(&active, &self.variables, None);
        let runtime = |detail: String| active.failure(ErrorName::Runtime, &detail);
        let mut io = state.io();
        let mut assign = state.assign.as_ref();
        let mut then_state = state.transition().and_then(then);
        let mut wait = None;
        let effective = match flow::enter(&io, &active, &env, &mut stages) {
            Ok(effective) => effective,
            Err(failure) => {
                return self.finish_state(
                    engine,
                    &env,
                    active,
                    Err(failure),
                    state.catchers(),
                    assign,
                    stages,
                    false,
                )
            }
        };
        // The state's result (a state without one passes its effective input on).
        let result: Result<Payload, Failure> = match &state.kind {
            StateKind::Pass(pass) => Ok(match &pass.result {
                Some(result) => Arc::new(result.clone()),
                None => effective,
            }),
            StateKind::Task(task) => self.invoke(engine, tasks, &active, task, effective)?,
            StateKind::Choice(choice) => match &io {
                crate::dataflow::Io::Jsonata(_) => flow::choose_jsonata(choice, &active, &env),
                crate::dataflow::Io::JsonPath(_) => {
                    choose_rule(choice, &Scope { input: &effective, env: &env }).map_err(runtime)
                }
            }
                .and_then(|rule| {
                    // A rule taken brings its own Assign (and Output); the state's apply with
                    // the Default.
                    if let Some(rule) = rule {
                        assign = rule.assign.as_ref();
                        if let (crate::dataflow::Io::Jsonata(j), Some(output)) = (&mut io, &rule.output) {
                            j.output = Some(output);
                        }
                    }
                    match rule.map(|r| r.next.as_str()).or(choice.default.as_deref()) {
                        Some(next) => {
                            then_state = Some(next.into());
                            Ok(effective)
                        }
                        None => Err(active.failure(
                            ErrorName::NoChoiceMatched,
                            "Failed to transition out of the state. The state does not point to a next state.",
                        )),
                    }
                }),
            StateKind::Wait(w) => flow::resolve_wait(&w.duration, &active, &env).and_then(|duration| {
                wait_until(&duration, &effective, &env, active.entered_time)
                    .map(|until| {
                        wait = Some(until);
                        effective
                    })
                    .map_err(runtime)
            }),
            StateKind::Succeed(_) => Ok(effective),
            StateKind::Fail(fail) => Err(fail_failure(fail, &active, &env)),
            StateKind::Parallel(_) | StateKind::Map(_) => {
                // Entered again by a redrive: it goes on with what did not succeed.
                if let Some(mut composite) = self.resume.take().filter(|c| *c.name() == active.name) {
                    composite.resume(engine, &mut self.last, active.clone())?;
                    self.position = Position::Inside(composite);
                    return Ok(());
                }
                match Composite::start(engine, &mut self.last, active.clone(), state, &env, stages.clone())? {
                    Ok(composite) => {
                        self.position = Position::Inside(Box::new(composite));
                        return Ok(());
                    }
                    // AWS reports a Map's unusable items before the Map fails.
                    Err(failure)
                        if failure.error == Some(ErrorName::QueryEvaluationError)
                            && state.state_type() == StateType::Map =>
                    {
                        engine.emit(&mut self.last, evaluation_failed(&active, &failure))?;
                        engine.emit(&mut self.last, EventDetails::MapStateFailed { error: None, cause: None })?;
                        return self.finish_state(engine, &env, active, Err(failure), state.catchers(), assign, stages, true);
                    }
                    Err(failure) => Err(failure),
                }
            }
        };
        let result = result.and_then(|result| {
            if io.has_result() {
                stages.result = Some(result.clone());
            }
            let output = flow::exit(&io, &active, &env, result, &mut stages)?;
            Ok(Exit {
                output,
                then: then_state,
                wait_until: wait,
            })
        });
        self.finish_state(
            engine,
            &env,
            active,
            result,
            state.catchers(),
            assign,
            stages,
            false,
        )
    }

    /// Invokes a Task's resource, retrying as its Retry says; appends every attempt's events.
    fn invoke(
        &mut self,
        engine: &mut Engine,
        tasks: &mut dyn TaskHandler,
        active: &Active,
        task: &crate::model::Task,
        effective: Payload,
    ) -> Result<Result<Payload, Failure>, LimitReached> {
        let is_lambda = lambda_function_name(&task.resource).is_some();
        let timeout = match &task.timeout {
            Some(crate::model::Seconds::Fixed(s)) => Some(*s),
            _ => None,
        };
        let mut attempts = Attempts::default();
        loop {
            let timing = engine.timing();
            engine.clock.advance(timing.transition);
            let scheduled = if is_lambda {
                EventDetails::LambdaFunctionScheduled {
                    resource: task.resource.clone(),
                    input: effective.clone(),
                    timeout_in_seconds: timeout,
                }
            } else {
                EventDetails::TaskScheduled {
                    resource: task.resource.clone(),
                    parameters: effective.clone(),
                    region: engine.config.region.clone(),
                    timeout_in_seconds: timeout,
                }
            };
            engine.emit(&mut self.last, scheduled)?;
            engine.clock.advance(timing.schedule);
            let started = if is_lambda {
                EventDetails::LambdaFunctionStarted
            } else {
                EventDetails::TaskStarted {
                    resource: task.resource.clone(),
                }
            };
            engine.emit(&mut self.last, started)?;
            engine.clock.advance(timing.task);
            let mut random = || engine.random();
            let outcome = tasks.invoke(TaskRequest {
                resource: &task.resource,
                input: &effective,
                state_name: &active.name,
                random: &mut random,
            });
            let (error, cause) = match outcome {
                TaskOutcome::Succeeded(result) => {
                    let result = Arc::new(result);
                    let details = if is_lambda {
                        EventDetails::LambdaFunctionSucceeded { output: result.clone() }
                    } else {
                        EventDetails::TaskSucceeded { resource: task.resource.clone(), output: result.clone() }
                    };
                    engine.emit(&mut self.last, details)?;
                    if payload_size(&result) > MAX_PAYLOAD_BYTES {
                        return Ok(Err(Failure::new(
                            ErrorName::DataLimitExceeded,
                            format!("The state/task '{}' returned a result with a size exceeding the maximum number of bytes service limit.", active.name),
                        )));
                    }
                    return Ok(Ok(result));
                }
                TaskOutcome::Failed { error, cause } => (error, cause),
                TaskOutcome::NotFound if is_lambda => (
                    "Lambda.ResourceNotFoundException".to_string(),
                    format!(
                        "Function not found: {} (Service: Lambda, Status Code: 404, Request ID: 00000000-0000-0000-0000-000000000000)",
                        task.resource
                    ),
                ),
                TaskOutcome::NotFound => (
                    "States.TaskFailed".to_string(),
                    format!("No handler answers the resource {} in this playground: add a mock for the state '{}' (in the page: Mocks, or select the state and press Mock; on the command line: --mock-config).", task.resource, active.name),
                ),
            };
            let details = if is_lambda {
                EventDetails::LambdaFunctionFailed {
                    error: error.clone(),
                    cause: cause.clone(),
                }
            } else {
                EventDetails::TaskFailed {
                    resource: task.resource.clone(),
                    error: error.clone(),
                    cause: cause.clone(),
                }
            };
            engine.emit(&mut self.last, details)?;
            let failure = Failure::new(ErrorName::parse(&error), cause);
            match recovery::retry_delay(&task.errors.retry, &mut attempts, &failure, engine) {
                Some(delay) => engine.clock.advance(delay),
                None => return Ok(Err(failure)),
            }
        }
    }

    /// Exits the state (to its Next, or ending the thread), or handles its failure: a
    /// matching Catch exits to the catcher's Next; otherwise the thread ends failed.
    /// Exits the state (to its Next, or ending the thread) after setting its variables, or
    /// handles its failure: a matching Catch exits to the catcher's Next; otherwise the
    /// thread ends failed. `assign` is the Assign that applies (a Choice rule's, or the
    /// state's).
    /// `reported`: the failure's EvaluationFailed event is already in the history.
    #[allow(clippy::too_many_arguments)]
    pub(crate) fn finish_state(
        &mut self,
        engine: &mut Engine,
        env: &Env,
        active: Active,
        result: Result<Exit, Failure>,
        catchers: &[Catcher],
        assign: Option<&Shape>,
        mut stages: Stages,
        reported: bool,
    ) -> Result<(), LimitReached> {
        let result = result.and_then(|exit| {
            if payload_size(&exit.output) > MAX_PAYLOAD_BYTES {
                return Err(active.failure(
                    ErrorName::DataLimitExceeded,
                    &format!("The state/task '{}' returned a result with a size exceeding the maximum number of bytes service limit.", active.name),
                ));
            }
            let depth = crate::limits::nesting_depth(&exit.output);
            if depth > MAX_NESTING_DEPTH {
                return Err(active.failure(
                    ErrorName::DataLimitExceeded,
                    &format!("The state/task '{}' returned a result nested {depth} levels deep, deeper than the maximum nesting depth of {MAX_NESTING_DEPTH} levels.", active.name),
                ));
            }
            // In JSONPath states, Assign's `$` is the state's result (its input for a Choice);
            // in JSONata states, `$states.input` and `$states.result`.
            let result = stages.after_result_selector.as_ref().or(stages.after_input_path.as_ref()).unwrap_or(&active.input);
            let scope = jsonata_scope(&active, env, stages.result.as_deref(), None);
            let assigned = assign.map(|t| evaluate_shape(t, "Assign", result, env, &scope, &active)).transpose()?;
            if let Some(assigned) = &assigned {
                check_variable_sizes(assigned, &self.variables, &active)?;
            }
            Ok((exit, assigned))
        });
        let result = match result {
            Err(failure) if failure.error == Some(ErrorName::QueryEvaluationError) && !reported => {
                engine.emit(&mut self.last, evaluation_failed(&active, &failure))?;
                Err(failure)
            }
            result => result,
        };
        let (exit, assigned) = match result {
            Ok(done) => done,
            Err(failure) => match recovery::catcher(catchers, &failure) {
                Some(catcher) => {
                    let error = recovery::error_output(&failure);
                    let scope = jsonata_scope(&active, env, None, Some(&error));
                    let output = match &catcher.output {
                        // A JSONata catcher's Output reads `$states.errorOutput`.
                        Some(output) => {
                            flow::evaluate_jsonata(output, "Output", &scope, &active).map(Arc::new)
                        }
                        None => apply_result_path(
                            &catcher.result_path,
                            &active.input,
                            Arc::new(error.clone()),
                        )
                        .map_err(|d| active.failure(ErrorName::ResultPathMatchFailure, &d)),
                    };
                    let caught = output.and_then(|output| {
                        let assigned = catcher
                            .assign
                            .as_ref()
                            .map(|t| evaluate_shape(t, "Assign", &error, env, &scope, &active))
                            .transpose()?;
                        Ok((output, assigned))
                    });
                    match caught {
                        Ok((output, assigned)) => (
                            Exit {
                                output,
                                then: Some(catcher.next.as_str().into()),
                                wait_until: None,
                            },
                            assigned,
                        ),
                        Err(failure) => {
                            self.failed_state = Some((active.name.clone(), active.input.clone()));
                            self.position = Position::Ended(Err(failure));
                            return Ok(());
                        }
                    }
                }
                None => {
                    engine.stages.insert(active.entered_id, stages);
                    self.failed_state = Some((active.name.clone(), active.input.clone()));
                    self.position = Position::Ended(Err(failure));
                    return Ok(());
                }
            },
        };
        // Every assignment of one Assign reads the variables as they were before it.
        let assigned = match assigned {
            Some(Value::Object(values)) => {
                let values = Arc::new(values);
                stages.variables = Some(Arc::new(Value::Object((*values).clone())));
                let variables = Arc::make_mut(&mut self.variables);
                variables.extend(values.iter().map(|(k, v)| (k.clone(), v.clone())));
                Some(values)
            }
            _ => None,
        };
        // A Wait that outlasts the machine's TimeoutSeconds never exits: the run times out.
        if let (Some(until), Some(deadline)) = (exit.wait_until, engine.deadline) {
            if until > deadline {
                engine.clock.advance(deadline - engine.clock.now());
                engine.timed_out = true;
                self.failed_state = Some((active.name.clone(), active.input.clone()));
                self.position = Position::Ended(Err(Failure {
                    error: Some(ErrorName::Timeout),
                    cause: None,
                }));
                return Ok(());
            }
        }
        match exit.wait_until {
            Some(until) if until > engine.clock.now() => {
                engine.clock.advance(until - engine.clock.now())
            }
            _ => engine.clock.advance(engine.timing().transition),
        }
        let output = exit.output;
        stages.output = Some(output.clone());
        engine.stages.insert(active.entered_id, stages);
        let details = EventDetails::StateExited {
            state_type: active.state_type,
            name: active.name.clone(),
            output: output.clone(),
            assigned_variables: assigned,
        };
        engine.emit(&mut self.last, details)?;
        self.position = match exit.then {
            Some(name) => Position::Enter {
                name,
                input: output,
            },
            None => Position::Ended(Ok(output)),
        };
        Ok(())
    }
}

/// What a Fail state raises: its Error and Cause, literal or computed from its input.
pub(crate) fn fail_failure(fail: &crate::model::Fail, active: &Active, context: &Env) -> Failure {
    let texts = text(&fail.error, "Error", active, context)
        .and_then(|error| Ok((error, text(&fail.cause, "Cause", active, context)?)));
    match texts {
        Ok((error, cause)) => Failure {
            error: error.map(|e| ErrorName::parse(&e)),
            cause,
        },
        // A JSONata Error or Cause that fails is the state's failure.
        Err(failure) => failure,
    }
}

/// Fail's Error or Cause: literal, or computed from the input.
fn text(
    text: &Option<Text>,
    field: &str,
    active: &Active,
    context: &Env,
) -> Result<Option<String>, Failure> {
    let Some(text) = text.as_ref() else {
        return Ok(None);
    };
    Ok(match text {
        Text::Literal(s) => Some(s.clone()),
        Text::Jsonata(template) => {
            let scope = jsonata_scope(active, context, None, None);
            match flow::evaluate_jsonata(template, field, &scope, active)? {
                Value::String(s) => Some(s),
                other => Some(other.to_string()),
            }
        }
        Text::Dynamic(template) => {
            match evaluate_template(template, &active.input, context, active) {
                Ok(Value::Object(map)) => map.get("value").map(|v| match v {
                    Value::String(s) => s.clone(),
                    other => other.to_string(),
                }),
                _ => None,
            }
        }
    })
}

/// Where a state goes after it exits: its `Next`, or nowhere (`End`).
pub(crate) fn then(transition: &Transition) -> Option<Arc<str>> {
    match transition {
        Transition::Next(next) => Some(next.as_str().into()),
        Transition::End => None,
    }
}

pub(crate) use crate::dataflow::payload_size;

/// AWS's limits on variables: 256 KiB for one variable and for one Assign's values together,
/// 10 MiB for all the variables an execution holds.
const MAX_VARIABLE_BYTES: usize = 256 * 1024;
const MAX_ASSIGN_BYTES: usize = 256 * 1024;
const MAX_ALL_VARIABLES_BYTES: usize = 10 * 1024 * 1024;

fn check_variable_sizes(
    assigned: &Value,
    variables: &serde_json::Map<String, Value>,
    active: &Active,
) -> Result<(), Failure> {
    let Value::Object(assigned) = assigned else {
        return Ok(());
    };
    let too_large = |what: String| {
        active.failure(
            ErrorName::DataLimitExceeded,
            &format!("{what} exceeds the maximum number of bytes service limit."),
        )
    };
    let mut total = 0;
    for (name, value) in assigned {
        let size = payload_size(value);
        if size > MAX_VARIABLE_BYTES {
            return Err(too_large(format!("The variable '{name}'")));
        }
        // A variable is a payload too: a loop must not nest one deeper turn after turn.
        let depth = crate::limits::nesting_depth(value);
        if depth > MAX_NESTING_DEPTH {
            return Err(active.failure(
                ErrorName::DataLimitExceeded,
                &format!("The variable '{name}' is nested {depth} levels deep, deeper than the maximum nesting depth of {MAX_NESTING_DEPTH} levels."),
            ));
        }
        total += size;
    }
    if total > MAX_ASSIGN_BYTES {
        return Err(too_large("The Assign of this state".into()));
    }
    let kept: usize = variables
        .iter()
        .filter(|(name, _)| !assigned.contains_key(*name))
        .map(|(_, value)| payload_size(value))
        .sum();
    if kept + total > MAX_ALL_VARIABLES_BYTES {
        return Err(too_large("The execution's variables".into()));
    }
    Ok(())
}

/// The EvaluationFailed event AWS records when a JSONata expression fails.
fn evaluation_failed(active: &Active, failure: &Failure) -> EventDetails {
    EventDetails::EvaluationFailed {
        state: active.name.clone(),
        error: failure.error_str().map(str::to_string),
        cause: failure.cause.clone(),
    }
}

/// When a Wait state may exit, on the virtual clock.
fn wait_until(
    duration: &WaitFor,
    input: &Value,
    context: &Env,
    entered: Millis,
) -> Result<Millis, String> {
    let seconds_from = |s: u64| {
        entered.saturating_add((s.min(i64::MAX as u64 / 1000) as i64).saturating_mul(1000))
    };
    match duration {
        WaitFor::Seconds(s) => Ok(seconds_from(*s)),
        WaitFor::Timestamp(ms, _) => Ok(*ms),
        WaitFor::SecondsPath(path) => {
            let value = context.select(path, input).ok_or_else(|| {
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
        WaitFor::SecondsJsonata(_) | WaitFor::TimestampJsonata(_) => {
            Err("a JSONata Wait is resolved before it waits".into())
        }
        WaitFor::TimestampPath(path) => {
            let value = context.select(path, input).ok_or_else(|| {
                format!(
                    "Invalid path '{path}' : No results for path: {}",
                    path.normalized()
                )
            })?;
            value.as_str().and_then(crate::clock::parse_timestamp).ok_or_else(|| {
                format!("The TimestampPath parameter does not reference a valid ISO-8601 extended offset date-time format string: {path} == {value}")
            })
        }
    }
}
