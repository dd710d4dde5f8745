//! AWS's TestState API: one state, run once on a given input, with its task's result mocked,
//! reporting every data-flow stage. It is what the inspector shows for a single state, and
//! what AWS recorded in the conformance data.

use super::flow;
use super::recovery;
use super::thread::Active;
use super::Stages;
use crate::choice::{choose, Scope};
use crate::dataflow::{apply_path, apply_result_path, Env};
use crate::diagnostic::Diagnostic;
use crate::error::{ErrorName, Failure};
use crate::history::Payload;
use crate::model::{State, StateKind, StateMachine, StateType, Transition};
use crate::task::{TaskHandler, TaskOutcome, TaskRequest};
use serde_json::{json, Value};
use std::sync::Arc;

/// A mocked task result, as TestState's `mock` takes it: the result as JSON text, or the
/// error it failed with (exactly one of the two).
#[derive(Debug, Clone, PartialEq, Default)]
pub struct MockSpec {
    pub result: Option<String>,
    pub error_output: Option<(String, String)>,
}

/// A mock once checked.
#[derive(Debug, Clone, PartialEq)]
pub enum Mock {
    Result(Value),
    Error { error: String, cause: String },
}

impl MockSpec {
    fn check(&self) -> Result<Mock, TestStateError> {
        match (&self.result, &self.error_output) {
            (Some(_), Some(_)) | (None, None) => Err(TestStateError::Validation(
                "A test mock should have only one of the following fields: [result, errorOutput]."
                    .into(),
            )),
            (Some(text), None) => serde_json::from_str(text)
                .map(Mock::Result)
                .map_err(|_| TestStateError::Validation("Mocked result must be valid JSON".into())),
            (None, Some((error, cause))) => Ok(Mock::Error {
                error: error.clone(),
                cause: cause.clone(),
            }),
        }
    }
}

#[derive(Debug, Clone, PartialEq, Default)]
pub struct TestStateRequest {
    /// A single state, or (with `state_name`) a whole definition.
    pub definition: Value,
    pub state_name: Option<String>,
    pub input: Value,
    pub mock: Option<MockSpec>,
    /// The context object (`$$`) the state sees; `{}` when not given.
    pub context: Option<Value>,
    /// Retries already made by the retrier that matches (`stateConfiguration.retrierRetryCount`).
    pub retrier_retry_count: u64,
    /// Whether the request names a role to call real services with (`roleArn`).
    pub role_arn: bool,
    /// `revealSecrets`: show the HTTP request and response of an HTTP task.
    pub reveal_secrets: bool,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum TestStatus {
    Succeeded,
    Failed,
    /// A Catch took the error: `next_state` is its Next.
    CaughtError,
    /// A Retry would take the error.
    Retriable,
}

impl TestStatus {
    pub fn as_str(self) -> &'static str {
        match self {
            TestStatus::Succeeded => "SUCCEEDED",
            TestStatus::Failed => "FAILED",
            TestStatus::CaughtError => "CAUGHT_ERROR",
            TestStatus::Retriable => "RETRIABLE",
        }
    }
}

/// The data-flow stages, plus what AWS adds for Map states.
#[derive(Debug, Clone, PartialEq, Default)]
pub struct Inspection {
    pub stages: Stages,
    pub after_items_path: Option<Value>,
    pub max_concurrency: Option<Value>,
}

impl Inspection {
    /// As TestState's `inspectionData`.
    pub fn to_aws_json(&self) -> Value {
        let mut out = serde_json::Map::new();
        let mut put = |key: &str, value: &Option<Arc<Value>>| {
            if let Some(v) = value {
                out.insert(key.into(), (**v).clone());
            }
        };
        let s = &self.stages;
        put("input", &s.input);
        put("afterInputPath", &s.after_input_path);
        put("afterParameters", &s.after_parameters);
        put("result", &s.result);
        put("afterResultSelector", &s.after_result_selector);
        put("afterResultPath", &s.after_result_path);
        if let Some(v) = &self.after_items_path {
            out.insert("afterItemsPath".into(), v.clone());
        }
        if let Some(v) = &self.max_concurrency {
            out.insert("maxConcurrency".into(), v.clone());
        }
        Value::Object(out)
    }
}

#[derive(Debug, Clone, PartialEq)]
pub struct TestStateResult {
    pub status: TestStatus,
    pub output: Option<Value>,
    pub error: Option<String>,
    pub cause: Option<String>,
    pub next_state: Option<String>,
    pub inspection: Inspection,
}

/// A request AWS refuses, with its error code and message.
#[derive(Debug, Clone, PartialEq)]
pub enum TestStateError {
    InvalidDefinition(String),
    Validation(String),
}

impl TestStateError {
    pub fn code(&self) -> &'static str {
        match self {
            TestStateError::InvalidDefinition(_) => "InvalidDefinition",
            TestStateError::Validation(_) => "ValidationException",
        }
    }
    pub fn message(&self) -> &str {
        match self {
            TestStateError::InvalidDefinition(m) | TestStateError::Validation(m) => m,
        }
    }
}

/// Runs one state once. Tasks without a mock are answered by `tasks`.
pub fn test_state(
    request: &TestStateRequest,
    tasks: &mut dyn TaskHandler,
) -> Result<TestStateResult, TestStateError> {
    let mock = request.mock.as_ref().map(MockSpec::check).transpose()?;
    if mock.is_some() && request.reveal_secrets {
        return Err(TestStateError::Validation(
            "TestState does not support RevealSecrets when a mock is specified.".into(),
        ));
    }
    let (name, state) = find_state(request, mock.is_some())?;
    check_mock(&state, mock.as_ref())?;
    if state.state_type() == StateType::Task && mock.is_none() && !request.role_arn {
        return Err(TestStateError::Validation(
            "RoleArn must be specified when testing a Task state".into(),
        ));
    }
    if let Some(context) = &request.context {
        check_context(&state, context)?;
    }
    let context = Env::with_context(request.context.clone().unwrap_or_else(|| json!({})));
    let input = Arc::new(request.input.clone());
    let active = Active {
        name: name.as_str().into(),
        state_type: state.state_type(),
        entered_id: 1,
        entered_time: 0,
        input,
        seed: 0,
    };
    let mut stages = Stages {
        input: Some(active.input.clone()),
        ..Default::default()
    };
    let mut inspection = Inspection::default();
    let outcome = run(
        &state,
        &active,
        &context,
        mock.as_ref(),
        tasks,
        &mut stages,
        &mut inspection,
    );
    inspection.stages = stages;
    Ok(match outcome {
        Ok((output, next_state)) => TestStateResult {
            status: TestStatus::Succeeded,
            output: Some((*output).clone()),
            error: None,
            cause: None,
            next_state,
            inspection,
        },
        Err(failure) => settle(
            &state,
            &active,
            failure,
            request.retrier_retry_count,
            inspection,
        ),
    })
}

/// What a failure becomes: retriable, caught, or the state's failure.
fn settle(
    state: &State,
    active: &Active,
    failure: Failure,
    retried: u64,
    inspection: Inspection,
) -> TestStateResult {
    let (error, cause) = (
        failure.error_str().map(str::to_string),
        failure.cause.clone(),
    );
    let retriers = match &state.kind {
        StateKind::Task(t) => &t.errors.retry[..],
        StateKind::Parallel(p) => &p.errors.retry[..],
        StateKind::Map(m) => &m.errors.retry[..],
        _ => &[],
    };
    let retriable = retriers
        .iter()
        .find(|r| recovery::matches(&r.error_equals, failure.error_str()))
        .is_some_and(|r| retried < r.max_attempts);
    if retriable {
        return TestStateResult {
            status: TestStatus::Retriable,
            output: None,
            error,
            cause,
            next_state: None,
            inspection,
        };
    }
    if let Some(catcher) = recovery::catcher(state.catchers(), &failure) {
        if let Ok(output) = apply_result_path(
            &catcher.result_path,
            &active.input,
            Arc::new(recovery::error_output(&failure)),
        ) {
            return TestStateResult {
                status: TestStatus::CaughtError,
                output: Some((*output).clone()),
                error,
                cause,
                next_state: Some(catcher.next.clone()),
                inspection,
            };
        }
    }
    TestStateResult {
        status: TestStatus::Failed,
        output: None,
        error,
        cause,
        next_state: None,
        inspection,
    }
}

fn next_of(transition: &Transition) -> Option<String> {
    match transition {
        Transition::Next(n) => Some(n.clone()),
        Transition::End => None,
    }
}

type Outcome = Result<(Payload, Option<String>), Failure>;

/// Runs the state's data flow as the execution does ([`flow::enter`] and [`flow::exit`]),
/// with the result taken from the mock (or the task handler) instead of a real invocation.
fn run(
    state: &State,
    active: &Active,
    context: &Env,
    mock: Option<&Mock>,
    tasks: &mut dyn TaskHandler,
    stages: &mut Stages,
    inspection: &mut Inspection,
) -> Outcome {
    let runtime = |detail: String| active.failure(ErrorName::Runtime, &detail);
    let io = state.io();
    let mut next = state.transition().and_then(next_of);
    let mocked = || match mock {
        Some(Mock::Result(v)) => Ok(Arc::new(v.clone())),
        Some(Mock::Error { error, cause }) => {
            Err(Failure::new(ErrorName::parse(error), cause.clone()))
        }
        None => Err(Failure::new(
            ErrorName::Runtime,
            format!(
                "A {} state needs a mocked result",
                state.state_type().as_str()
            ),
        )),
    };
    if let StateKind::Map(map) = &state.kind {
        // The Map's InputPath and ItemsPath are inspected; its iterations are the mock.
        let effective =
            apply_path(&map.data.input_path, &active.input, context).map_err(runtime)?;
        stages.after_input_path = Some(effective.clone());
        match context.select(&map.items_path, &effective).as_deref() {
            Some(items @ Value::Array(_)) => inspection.after_items_path = Some(items.clone()),
            _ => {
                // AWS names a context path without its first '$'.
                let path = map.items_path.as_str();
                let shown = path
                    .strip_prefix('$')
                    .filter(|p| p.starts_with('$'))
                    .unwrap_or(path);
                return Err(Failure::new(
                    ErrorName::Runtime,
                    format!("Reference path \"{shown}\" must point to array."),
                ));
            }
        }
        if let Some(crate::model::Count::Fixed(n)) = &map.max_concurrency {
            inspection.max_concurrency = Some(json!(*n as u64));
        }
        let output = flow::exit(&io, active, context, mocked()?, stages)?;
        return Ok((output, next));
    }
    let effective = flow::enter(&io, active, context, stages)?;
    let result = match &state.kind {
        StateKind::Pass(pass) => match &pass.result {
            Some(result) => {
                let result = Arc::new(result.clone());
                stages.result = Some(result.clone());
                result
            }
            None => effective,
        },
        StateKind::Task(task) => {
            let result = match mock {
                Some(_) => mocked()?,
                None => {
                    let mut random = || 0.5;
                    let outcome = tasks.invoke(TaskRequest {
                        resource: &task.resource,
                        input: &effective,
                        state_name: &active.name,
                        random: &mut random,
                    });
                    match outcome {
                        TaskOutcome::Succeeded(v) => Arc::new(v),
                        TaskOutcome::Failed { error, cause } => {
                            return Err(Failure::new(ErrorName::parse(&error), cause))
                        }
                        TaskOutcome::NotFound => {
                            return Err(Failure::new(
                                ErrorName::TaskFailed,
                                format!("No handler answers {}", task.resource),
                            ))
                        }
                    }
                }
            };
            stages.result = Some(result.clone());
            result
        }
        StateKind::Parallel(_) => mocked()?,
        StateKind::Choice(choice) => {
            let picked = choose(
                choice,
                &Scope {
                    input: &effective,
                    env: context,
                },
            )
            .map_err(runtime)?;
            match picked {
                Some(picked) => next = Some(picked.to_string()),
                None => {
                    return Err(active.failure(
                        ErrorName::NoChoiceMatched,
                        "Failed to transition out of the state. The state does not point to a next state.",
                    ))
                }
            }
            effective
        }
        StateKind::Wait(_) | StateKind::Succeed(_) | StateKind::Map(_) => effective,
        StateKind::Fail(fail) => return Err(super::thread::fail_failure(fail, active, context)),
    };
    let output = flow::exit(&io, active, context, result, stages)?;
    Ok((output, next))
}

/// The state to test: the request's single state, or the named one in its definition.
fn find_state(request: &TestStateRequest, mocked: bool) -> Result<(String, State), TestStateError> {
    let invalid = |d: Vec<Diagnostic>| {
        TestStateError::InvalidDefinition(format!(
            "Invalid State Machine Definition: '{}'",
            d[0].aws_message()
        ))
    };
    match &request.state_name {
        None => {
            // AWS refuses these before looking any closer at the state.
            let kind = request.definition.get("Type").and_then(Value::as_str);
            if matches!(kind, Some("Map" | "Parallel")) && !mocked {
                return Err(TestStateError::InvalidDefinition(
                    "TestState API does not support Map or Parallel states. Supported state types include: [Task, Wait, Pass, Succeed, Fail, Choice]".into(),
                ));
            }
            let name = "StateName".to_string();
            let wrapped = json!({ "StartAt": name, "States": { &name: request.definition } });
            let machine = crate::parse::parse_value(&wrapped).map_err(invalid)?;
            let state = machine.states[&name].clone();
            Ok((name, state))
        }
        Some(name) => {
            let machine = crate::parse::parse_value(&request.definition).map_err(invalid)?;
            find_nested(&machine, name)
                .map(|s| (name.clone(), s.clone()))
                .ok_or_else(|| TestStateError::Validation("State not found in definition".into()))
        }
    }
}

fn find_nested<'m>(machine: &'m StateMachine, name: &str) -> Option<&'m State> {
    machine.states.get(name).or_else(|| {
        machine.states.values().find_map(|s| match &s.kind {
            StateKind::Parallel(p) => p.branches.iter().find_map(|b| find_nested(b, name)),
            StateKind::Map(m) => find_nested(&m.processor, name),
            _ => None,
        })
    })
}

fn check_mock(state: &State, mock: Option<&Mock>) -> Result<(), TestStateError> {
    let Some(mock) = mock else { return Ok(()) };
    let t = state.state_type();
    if matches!(
        t,
        StateType::Pass
            | StateType::Fail
            | StateType::Succeed
            | StateType::Choice
            | StateType::Wait
    ) {
        return Err(TestStateError::Validation(format!(
            "State type '{}' is not supported when a mock is specified",
            t.as_str()
        )));
    }
    if let (StateKind::Parallel(p), Mock::Result(result)) = (&state.kind, mock) {
        let Value::Array(items) = result else {
            return Err(TestStateError::Validation(
                "Mocked result must be an array.".into(),
            ));
        };
        if items.len() != p.branches.len() {
            return Err(TestStateError::Validation(
                "Mocked result must contain the same number of items as number of Parallel branches.".into(),
            ));
        }
    }
    if let (StateKind::Map(map), Mock::Result(result)) = (&state.kind, mock) {
        // With a ResultWriter, a Map's result is the description of what it wrote.
        if map.result_writer.is_some() && !result.is_object() {
            return Err(TestStateError::Validation(
                "Mocked result must be a JSON object.".into(),
            ));
        }
        if map.result_writer.is_none() && !result.is_array() {
            return Err(TestStateError::Validation(
                "Mocked result must be an array.".into(),
            ));
        }
    }
    Ok(())
}

/// A context object given with the request may only hold what AWS would put there.
fn check_context(state: &State, context: &Value) -> Result<(), TestStateError> {
    let invalid =
        |why: String| TestStateError::Validation(format!("Invalid Context object provided: {why}"));
    let Value::Object(fields) = context else {
        return Err(invalid("it must be a JSON object".into()));
    };
    for key in fields.keys() {
        match key.as_str() {
            "Execution" | "State" | "StateMachine" => {}
            "Task" => {
                let waits = matches!(&state.kind, StateKind::Task(t)
                    if t.resource.ends_with(".sync") || t.resource.contains(".sync:") || t.resource.ends_with(".waitForTaskToken"));
                if !waits {
                    return Err(invalid("Context object contains 'Task' when state is not a Task state with a '.sync' or '.waitForTaskToken' service integration pattern".into()));
                }
            }
            "Map" => {
                return Err(invalid(
                    "'Map' field is not supported when mocking a Context object".into(),
                ))
            }
            other => return Err(invalid(format!("Field '{other}' is not allowed"))),
        }
    }
    if let Some(id) = context.pointer("/Execution/Id") {
        if !id.is_string() {
            return Err(invalid("Execution.Id must be a string".into()));
        }
    }
    Ok(())
}
