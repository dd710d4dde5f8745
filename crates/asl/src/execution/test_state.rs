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
    /// The workflow variables the state sees (`variables`, a JSON object).
    pub variables: Option<Value>,
    /// How many of a Map's iterations fail (`stateConfiguration.mapIterationFailureCount`).
    pub map_iteration_failure_count: Option<u64>,
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
    /// A Map's ToleratedFailureCount and ToleratedFailurePercentage, when set.
    pub tolerated_failure_count: Option<Value>,
    pub tolerated_failure_percentage: Option<Value>,
    /// The variables the state saw (the request's).
    pub variables: Option<Value>,
    /// Which retrier or catcher took the error (`errorDetails`): `retryIndex` with the
    /// `retryBackoffIntervalSeconds` before the next attempt, `catchIndex`.
    pub error_details: Option<Value>,
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
        put("afterArguments", &s.after_arguments);
        put("result", &s.result);
        put("afterResultSelector", &s.after_result_selector);
        put("afterResultPath", &s.after_result_path);
        if let Some(v) = &self.after_items_path {
            out.insert("afterItemsPath".into(), v.clone());
        }
        for (key, value) in [
            ("maxConcurrency", &self.max_concurrency),
            ("toleratedFailureCount", &self.tolerated_failure_count),
            (
                "toleratedFailurePercentage",
                &self.tolerated_failure_percentage,
            ),
            ("variables", &self.variables),
            ("errorDetails", &self.error_details),
        ] {
            if let Some(v) = value {
                out.insert(key.into(), v.clone());
            }
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
    if request.map_iteration_failure_count.is_some() && mock.is_none() {
        return Err(TestStateError::Validation(
            "TestState does not support MapIterationFailureCount when a mock is not specified."
                .into(),
        ));
    }
    if let (Some(failing), Some(Mock::Result(Value::Array(items)))) =
        (request.map_iteration_failure_count, &mock)
    {
        if failing > items.len() as u64 {
            return Err(TestStateError::Validation(
                "Map iteration failure count must be less than or equal to the number of Map iterations".into(),
            ));
        }
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
    let given = request.context.clone();
    let mut context = Env::with_context(given.unwrap_or_else(|| default_context(request, &state)));
    if let Some(Value::Object(variables)) = &request.variables {
        context.variables = Arc::new(variables.clone());
    }
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
    let mut inspection = Inspection {
        variables: request.variables.clone(),
        ..Default::default()
    };
    let outcome = run(
        &state,
        &active,
        &context,
        mock.as_ref(),
        tasks,
        &mut stages,
        &mut inspection,
        request.map_iteration_failure_count,
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
            &context,
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
    env: &Env,
    failure: Failure,
    retried: u64,
    mut inspection: Inspection,
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
    let retrier = retriers
        .iter()
        .enumerate()
        .find(|(_, r)| recovery::matches(&r.error_equals, failure.error_str()));
    let mut details = serde_json::Map::new();
    if let Some((index, _)) = retrier {
        // AWS names the retrier that matched even when it is used up (recorded).
        details.insert("retryIndex".into(), json!(index));
    }
    let retriable = retrier.is_some_and(|(_, r)| retried < r.max_attempts);
    if let Some((_, r)) = retrier.filter(|_| retriable) {
        // The delay before the next attempt, without jitter (TestState draws none to report).
        let mut seconds =
            r.interval_seconds as f64 * r.backoff_rate.powi(retried.min(1_000) as i32);
        if let Some(max) = r.max_delay_seconds {
            seconds = seconds.min(max as f64);
        }
        details.insert(
            "retryBackoffIntervalSeconds".into(),
            number(seconds.min(1e12).floor()),
        );
    }
    let with_details = |mut inspection: Inspection, details: serde_json::Map<String, Value>| {
        if !details.is_empty() {
            inspection.error_details = Some(Value::Object(details));
        }
        inspection
    };
    if retriable {
        inspection = with_details(inspection, details);
        return TestStateResult {
            status: TestStatus::Retriable,
            output: None,
            error,
            cause,
            next_state: None,
            inspection,
        };
    }
    let catchers = state.catchers();
    if let Some((index, catcher)) = catchers
        .iter()
        .enumerate()
        .find(|(_, c)| recovery::matches(&c.error_equals, failure.error_str()))
    {
        let error_output = recovery::error_output(&failure);
        let output = match &catcher.output {
            Some(template) => {
                let scope = flow::jsonata_scope(active, env, None, Some(&error_output));
                flow::evaluate_jsonata(template, "Output", &scope, active)
                    .map(Arc::new)
                    .ok()
            }
            None => {
                apply_result_path(&catcher.result_path, &active.input, Arc::new(error_output)).ok()
            }
        };
        if let Some(output) = output {
            let mut details = details;
            details.insert("catchIndex".into(), json!(index));
            return TestStateResult {
                status: TestStatus::CaughtError,
                output: Some((*output).clone()),
                error,
                cause,
                next_state: Some(catcher.next.clone()),
                inspection: with_details(inspection, details),
            };
        }
    }
    TestStateResult {
        status: TestStatus::Failed,
        output: None,
        error,
        cause,
        next_state: None,
        inspection: with_details(inspection, details),
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
    failing: Option<u64>,
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
        if map.jsonata {
            return run_jsonata_map(
                state, map, active, context, mocked, stages, inspection, failing,
            );
        }
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
        StateKind::Choice(choice) if map_io_is_jsonata(&io) => {
            let rule = flow::choose_jsonata(choice, active, context)?;
            let picked = rule.map(|r| r.next.as_str()).or(choice.default.as_deref());
            match picked {
                Some(picked) => next = Some(picked.to_string()),
                None => {
                    return Err(active.failure(
                        ErrorName::NoChoiceMatched,
                        "Failed to transition out of the state. The state does not point to a next state.",
                    ))
                }
            }
            let mut io = io;
            if let (crate::dataflow::Io::Jsonata(j), Some(output)) =
                (&mut io, rule.and_then(|r| r.output.as_ref()))
            {
                j.output = Some(output);
            }
            let output = flow::exit(&io, active, context, effective, stages)?;
            return Ok((output, next));
        }
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

/// The context object TestState gives a state when the request has none: an Express
/// execution of its own, started now (on the virtual clock, 0).
/// AWS names the state `StateName` there even when the request names it (recorded).
fn default_context(request: &TestStateRequest, state: &State) -> Value {
    let name = "StateName";
    let machine = "TestStateMachine";
    let execution = "TestStateExecution";
    let arn = "arn:aws:states:us-east-1:123456789012";
    let time = crate::clock::format_timestamp(0);
    let mut state_context = json!({ "EnteredTime": time, "Name": name });
    if matches!(
        state.state_type(),
        StateType::Task | StateType::Parallel | StateType::Map
    ) {
        state_context["RetryCount"] = json!(request.retrier_retry_count);
    }
    json!({
        "Execution": {
            "Id": format!("{arn}:express:{machine}:{execution}"),
            "Input": request.input,
            "Name": execution,
            "RoleArn": if request.role_arn { json!(format!("arn:aws:iam::123456789012:role/TestStateRole")) } else { Value::Null },
            "StartTime": time,
        },
        "State": state_context,
        "StateMachine": { "Id": format!("{arn}:stateMachine:{machine}"), "Name": machine },
    })
}

fn map_io_is_jsonata(io: &crate::dataflow::Io) -> bool {
    matches!(io, crate::dataflow::Io::Jsonata(_))
}

/// A JSONata Map under TestState: its Items, MaxConcurrency and tolerated failures are
/// inspected; its iterations are the mock.
fn run_jsonata_map(
    state: &State,
    map: &crate::model::Map,
    active: &Active,
    context: &Env,
    mocked: impl Fn() -> Result<Payload, Failure>,
    stages: &mut Stages,
    inspection: &mut Inspection,
    failing: Option<u64>,
) -> Outcome {
    use crate::model::Count;
    let scope = flow::jsonata_scope(active, context, None, None);
    let items = match &map.items {
        Some(items) => flow::evaluate_jsonata(items, "Items", &scope, active)?,
        None => (*active.input).clone(),
    };
    if !items.is_array() && map.item_reader.is_none() {
        return Err(active.failure(
            ErrorName::QueryEvaluationError,
            &format!("Map state input must be an array but was: {items}"),
        ));
    }
    let count = |count: &Option<Count>, field: &str| -> Result<Option<Value>, Failure> {
        Ok(match count {
            None => None,
            Some(Count::Fixed(n)) => Some(number(*n)),
            Some(Count::Jsonata(t)) => Some(flow::evaluate_jsonata(t, field, &scope, active)?),
            Some(Count::Path(_)) => None,
        })
    };
    inspection.max_concurrency =
        Some(count(&map.max_concurrency, "MaxConcurrency")?.unwrap_or(json!(0)));
    inspection.tolerated_failure_count =
        count(&map.tolerated_failure_count, "ToleratedFailureCount")?;
    inspection.tolerated_failure_percentage = count(
        &map.tolerated_failure_percentage,
        "ToleratedFailurePercentage",
    )?;
    let next = state.transition().and_then(next_of);
    let result = mocked()?;
    // The iterations that fail (the request's count) against the tolerated failures.
    if let Some(failing) = failing.filter(|n| *n > 0) {
        let total = result.as_array().map_or(0, Vec::len) as f64;
        let tolerated_count = inspection
            .tolerated_failure_count
            .as_ref()
            .and_then(Value::as_f64);
        let tolerated_percentage = inspection
            .tolerated_failure_percentage
            .as_ref()
            .and_then(Value::as_f64);
        // Without a tolerance, TestState does not judge the failed iterations (recorded).
        let within = (tolerated_count.is_none() && tolerated_percentage.is_none())
            || tolerated_count.is_some_and(|c| failing as f64 <= c)
            || tolerated_percentage
                .is_some_and(|p| total > 0.0 && failing as f64 * 100.0 / total <= p);
        if !within {
            return Err(Failure::new(
                ErrorName::ExceedToleratedFailureThreshold,
                "The specified tolerated failure threshold was exceeded",
            ));
        }
    }
    stages.result = Some(result.clone());
    let output = flow::exit(&state.io(), active, context, result, stages)?;
    Ok((output, next))
}

fn number(n: f64) -> Value {
    if n.fract() == 0.0 {
        json!(n as i64)
    } else {
        json!(n)
    }
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
    let allowed: [(&str, &[&str]); 3] = [
        (
            "Execution",
            &[
                "Id",
                "Input",
                "Name",
                "RoleArn",
                "StartTime",
                "RedriveCount",
                "RedriveTime",
            ],
        ),
        ("State", &["EnteredTime", "Name", "RetryCount"]),
        ("StateMachine", &["Id", "Name"]),
    ];
    for (member, names) in allowed {
        if let Some(Value::Object(inner)) = fields.get(member) {
            if let Some(other) = inner.keys().find(|k| !names.contains(&k.as_str())) {
                return Err(invalid(format!("Field '{other}' is not allowed")));
            }
        }
    }
    if let Some(id) = context.pointer("/Execution/Id") {
        if !id.is_string() {
            return Err(invalid("Execution.Id must be a string".into()));
        }
    }
    Ok(())
}
