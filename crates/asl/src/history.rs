//! The execution history, event by event, in the shape of AWS's GetExecutionHistory: each
//! event has an id, the id of the event before it, a timestamp and its `*EventDetails`.

use crate::clock::{format_timestamp, Millis};
use crate::model::StateType;
use serde_json::{json, Map, Value};
use std::sync::Arc;

/// A JSON document carried by an event. Shared, because the same input or output appears in
/// several events (TaskStateEntered, LambdaFunctionScheduled …) and in the UI.
pub type Payload = Arc<Value>;

/// Serde: the page's run worker (src/runner.rs) sends events to the page as JSON.
#[derive(Debug, Clone, PartialEq, serde::Serialize, serde::Deserialize)]
pub struct HistoryEvent {
    pub id: u64,
    pub previous_event_id: u64,
    pub timestamp: Millis,
    pub details: EventDetails,
}

#[derive(Debug, Clone, PartialEq, serde::Serialize, serde::Deserialize)]
pub enum EventDetails {
    ExecutionStarted {
        input: Payload,
        role_arn: String,
    },
    ExecutionSucceeded {
        output: Payload,
    },
    ExecutionFailed {
        error: Option<String>,
        cause: Option<String>,
    },
    ExecutionTimedOut {
        error: Option<String>,
        cause: Option<String>,
    },
    ExecutionAborted {
        error: Option<String>,
        cause: Option<String>,
    },
    /// RedriveExecution continued an unsuccessful run: `redrive_count` counts this redrive.
    ExecutionRedriven {
        redrive_count: u64,
    },
    StateEntered {
        state_type: StateType,
        name: Arc<str>,
        input: Payload,
    },
    StateExited {
        state_type: StateType,
        name: Arc<str>,
        output: Payload,
        /// The variables the state assigned (`Assign`), if any.
        assigned_variables: Option<Arc<Map<String, Value>>>,
    },
    /// A JSONata expression failed (`States.QueryEvaluationError`), before the state fails.
    EvaluationFailed {
        state: Arc<str>,
        error: Option<String>,
        cause: Option<String>,
    },
    LambdaFunctionScheduled {
        resource: String,
        input: Payload,
        timeout_in_seconds: Option<u64>,
    },
    LambdaFunctionStarted,
    LambdaFunctionSucceeded {
        output: Payload,
    },
    LambdaFunctionFailed {
        error: String,
        cause: String,
    },
    /// A task whose resource is not a Lambda function (a service integration).
    TaskScheduled {
        resource: String,
        parameters: Payload,
        region: String,
        timeout_in_seconds: Option<u64>,
    },
    TaskStarted {
        resource: String,
    },
    TaskSucceeded {
        resource: String,
        output: Payload,
    },
    TaskFailed {
        resource: String,
        error: String,
        cause: String,
    },
    ParallelStateStarted,
    ParallelStateFailed {
        error: Option<String>,
        cause: Option<String>,
    },
    MapStateStarted {
        length: usize,
    },
    MapStateSucceeded,
    MapStateFailed {
        error: Option<String>,
        cause: Option<String>,
    },
    MapIterationStarted {
        index: usize,
        name: Arc<str>,
    },
    MapIterationSucceeded {
        index: usize,
        name: Arc<str>,
    },
    MapIterationFailed {
        index: usize,
        name: Arc<str>,
        error: Option<String>,
        cause: Option<String>,
    },
    /// A Distributed Map runs its iterations as child executions, outside this history.
    MapRunStarted {
        map_run_arn: String,
    },
    MapRunSucceeded,
    /// A redrive of the execution goes on with a map run that failed (or was stopped).
    MapRunRedriven {
        map_run_arn: String,
        redrive_count: u64,
    },
    MapRunFailed {
        error: Option<String>,
        cause: Option<String>,
    },
}

impl HistoryEvent {
    /// AWS's event type, e.g. `TaskStateEntered`, `LambdaFunctionSucceeded`.
    pub fn event_type(&self) -> String {
        match &self.details {
            EventDetails::StateEntered { state_type, .. } => {
                format!("{}StateEntered", state_type.as_str())
            }
            EventDetails::StateExited { state_type, .. } => {
                format!("{}StateExited", state_type.as_str())
            }
            other => other.fixed_type().to_string(),
        }
    }

    /// The state an entered/exited event names.
    pub fn state_name(&self) -> Option<&str> {
        match &self.details {
            EventDetails::StateEntered { name, .. } | EventDetails::StateExited { name, .. } => {
                Some(name)
            }
            _ => None,
        }
    }

    /// The event as GetExecutionHistory returns it.
    pub fn to_aws_json(&self) -> Value {
        let mut event = Map::new();
        event.insert("timestamp".into(), json!(format_timestamp(self.timestamp)));
        event.insert("type".into(), json!(self.event_type()));
        event.insert("id".into(), json!(self.id));
        event.insert("previousEventId".into(), json!(self.previous_event_id));
        let text = |v: &Payload| serde_json::to_string(&**v).unwrap_or_default();
        let not_truncated = || json!({"truncated": false});
        let (key, details) = match &self.details {
            EventDetails::ExecutionStarted { input, role_arn } => (
                "executionStartedEventDetails",
                json!({"input": text(input), "inputDetails": not_truncated(), "roleArn": role_arn}),
            ),
            EventDetails::ExecutionSucceeded { output } => (
                "executionSucceededEventDetails",
                json!({"output": text(output), "outputDetails": not_truncated()}),
            ),
            EventDetails::ExecutionTimedOut { error, cause } => (
                "executionTimedOutEventDetails",
                error_and_cause(error, cause),
            ),
            EventDetails::ExecutionAborted { error, cause } => (
                "executionAbortedEventDetails",
                error_and_cause(error, cause),
            ),
            EventDetails::ExecutionFailed { error, cause } => {
                ("executionFailedEventDetails", error_and_cause(error, cause))
            }
            EventDetails::ExecutionRedriven { redrive_count } => (
                "executionRedrivenEventDetails",
                json!({ "redriveCount": redrive_count }),
            ),
            EventDetails::ParallelStateStarted | EventDetails::MapStateSucceeded => {
                return Value::Object(event);
            }
            EventDetails::ParallelStateFailed { error, cause }
            | EventDetails::MapStateFailed { error, cause } => {
                // AWS records these without details; the execution's failure carries them.
                let _ = (error, cause);
                return Value::Object(event);
            }
            EventDetails::MapStateStarted { length } => {
                ("mapStateStartedEventDetails", json!({ "length": length }))
            }
            EventDetails::MapIterationStarted { index, name } => (
                "mapIterationStartedEventDetails",
                json!({ "name": &**name, "index": index }),
            ),
            EventDetails::MapIterationSucceeded { index, name } => (
                "mapIterationSucceededEventDetails",
                json!({ "name": &**name, "index": index }),
            ),
            EventDetails::MapRunStarted { map_run_arn } => (
                "mapRunStartedEventDetails",
                json!({ "mapRunArn": map_run_arn }),
            ),
            EventDetails::MapRunSucceeded => return Value::Object(event),
            EventDetails::MapRunRedriven {
                map_run_arn,
                redrive_count,
            } => (
                "mapRunRedrivenEventDetails",
                json!({ "mapRunArn": map_run_arn, "redriveCount": redrive_count }),
            ),
            EventDetails::MapRunFailed { error, cause } => {
                ("mapRunFailedEventDetails", error_and_cause(error, cause))
            }
            EventDetails::MapIterationFailed { index, name, .. } => (
                "mapIterationFailedEventDetails",
                json!({ "name": &**name, "index": index }),
            ),
            EventDetails::StateEntered { name, input, .. } => (
                "stateEnteredEventDetails",
                json!({"name": &**name, "input": text(input), "inputDetails": not_truncated()}),
            ),
            EventDetails::StateExited {
                name,
                output,
                assigned_variables,
                ..
            } => {
                let mut d = json!({"name": &**name, "output": text(output), "outputDetails": not_truncated()});
                // AWS writes each assigned variable's value as JSON text.
                if let Some(assigned) = assigned_variables {
                    let texts: Map<String, Value> = assigned
                        .iter()
                        .map(|(k, v)| {
                            (
                                k.clone(),
                                json!(serde_json::to_string(v).unwrap_or_default()),
                            )
                        })
                        .collect();
                    d["assignedVariables"] = Value::Object(texts);
                    d["assignedVariablesDetails"] = not_truncated();
                }
                ("stateExitedEventDetails", d)
            }
            EventDetails::EvaluationFailed {
                state,
                error,
                cause,
            } => {
                let mut d = error_and_cause(error, cause);
                d["state"] = json!(&**state);
                ("evaluationFailedEventDetails", d)
            }
            EventDetails::LambdaFunctionScheduled {
                resource,
                input,
                timeout_in_seconds,
            } => {
                let mut d = json!({"resource": resource, "input": text(input), "inputDetails": not_truncated()});
                if let Some(t) = timeout_in_seconds {
                    d["timeoutInSeconds"] = json!(t);
                }
                ("lambdaFunctionScheduledEventDetails", d)
            }
            EventDetails::LambdaFunctionStarted => return Value::Object(event),
            EventDetails::LambdaFunctionSucceeded { output } => (
                "lambdaFunctionSucceededEventDetails",
                json!({"output": text(output), "outputDetails": not_truncated()}),
            ),
            EventDetails::LambdaFunctionFailed { error, cause } => (
                "lambdaFunctionFailedEventDetails",
                json!({"error": error, "cause": cause}),
            ),
            EventDetails::TaskScheduled {
                resource,
                parameters,
                region,
                timeout_in_seconds,
            } => {
                let (resource_type, resource) = split_service_resource(resource);
                let mut d = json!({"resourceType": resource_type, "resource": resource, "region": region, "parameters": text(parameters)});
                if let Some(t) = timeout_in_seconds {
                    d["timeoutInSeconds"] = json!(t);
                }
                ("taskScheduledEventDetails", d)
            }
            EventDetails::TaskStarted { resource } => {
                let (resource_type, resource) = split_service_resource(resource);
                (
                    "taskStartedEventDetails",
                    json!({"resourceType": resource_type, "resource": resource}),
                )
            }
            EventDetails::TaskSucceeded { resource, output } => {
                let (resource_type, resource) = split_service_resource(resource);
                (
                    "taskSucceededEventDetails",
                    json!({"resourceType": resource_type, "resource": resource, "output": text(output), "outputDetails": not_truncated()}),
                )
            }
            EventDetails::TaskFailed {
                resource,
                error,
                cause,
            } => {
                let (resource_type, resource) = split_service_resource(resource);
                (
                    "taskFailedEventDetails",
                    json!({"resourceType": resource_type, "resource": resource, "error": error, "cause": cause}),
                )
            }
        };
        event.insert(key.into(), details);
        Value::Object(event)
    }
}

impl EventDetails {
    fn fixed_type(&self) -> &'static str {
        match self {
            EventDetails::ExecutionStarted { .. } => "ExecutionStarted",
            EventDetails::ExecutionSucceeded { .. } => "ExecutionSucceeded",
            EventDetails::ExecutionFailed { .. } => "ExecutionFailed",
            EventDetails::ExecutionTimedOut { .. } => "ExecutionTimedOut",
            EventDetails::ExecutionAborted { .. } => "ExecutionAborted",
            EventDetails::ExecutionRedriven { .. } => "ExecutionRedriven",
            EventDetails::StateEntered { .. } => "StateEntered",
            EventDetails::StateExited { .. } => "StateExited",
            EventDetails::EvaluationFailed { .. } => "EvaluationFailed",
            EventDetails::LambdaFunctionScheduled { .. } => "LambdaFunctionScheduled",
            EventDetails::LambdaFunctionStarted => "LambdaFunctionStarted",
            EventDetails::LambdaFunctionSucceeded { .. } => "LambdaFunctionSucceeded",
            EventDetails::LambdaFunctionFailed { .. } => "LambdaFunctionFailed",
            EventDetails::TaskScheduled { .. } => "TaskScheduled",
            EventDetails::TaskStarted { .. } => "TaskStarted",
            EventDetails::TaskSucceeded { .. } => "TaskSucceeded",
            EventDetails::TaskFailed { .. } => "TaskFailed",
            EventDetails::ParallelStateStarted => "ParallelStateStarted",
            EventDetails::ParallelStateFailed { .. } => "ParallelStateFailed",
            EventDetails::MapStateStarted { .. } => "MapStateStarted",
            EventDetails::MapStateSucceeded => "MapStateSucceeded",
            EventDetails::MapStateFailed { .. } => "MapStateFailed",
            EventDetails::MapIterationStarted { .. } => "MapIterationStarted",
            EventDetails::MapIterationSucceeded { .. } => "MapIterationSucceeded",
            EventDetails::MapIterationFailed { .. } => "MapIterationFailed",
            EventDetails::MapRunStarted { .. } => "MapRunStarted",
            EventDetails::MapRunSucceeded => "MapRunSucceeded",
            EventDetails::MapRunRedriven { .. } => "MapRunRedriven",
            EventDetails::MapRunFailed { .. } => "MapRunFailed",
        }
    }
}

fn error_and_cause(error: &Option<String>, cause: &Option<String>) -> Value {
    let mut d = Map::new();
    if let Some(error) = error {
        d.insert("error".into(), json!(error));
    }
    if let Some(cause) = cause {
        d.insert("cause".into(), json!(cause));
    }
    Value::Object(d)
}

/// `arn:aws:states:::sqs:sendMessage` → (`sqs`, `sendMessage`), as AWS splits a service
/// integration's resource in Task* events.
fn split_service_resource(resource: &str) -> (String, String) {
    let tail = resource
        .strip_prefix("arn:aws:states:::")
        .unwrap_or(resource);
    match tail.split_once(':') {
        Some((service, action)) => (service.to_string(), action.to_string()),
        None => (tail.to_string(), String::new()),
    }
}
