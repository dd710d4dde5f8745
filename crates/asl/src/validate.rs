//! Checks on the shape of the graph, once the definition has parsed: every transition names a
//! state, every state can be reached, and the execution can end.

use crate::diagnostic::{pointer, Diagnostic, DiagnosticCode};
use crate::model::{StateKind, StateMachine, Successor};
use std::collections::HashSet;

/// Every graph problem of a parsed machine, in definition order, with the branches of its
/// Parallel states and the processors of its Map states.
pub fn check(machine: &StateMachine) -> Vec<Diagnostic> {
    check_at(machine, "")
}

/// Checks one machine (or branch) whose JSON pointer is `prefix` ("" for the definition).
fn check_at(machine: &StateMachine, prefix: &str) -> Vec<Diagnostic> {
    let mut out = Vec::new();
    for (name, state) in &machine.states {
        let at = pointer(&format!("{prefix}/States"), name);
        match &state.kind {
            StateKind::Parallel(p) => {
                for (i, branch) in p.branches.iter().enumerate() {
                    out.extend(check_at(branch, &format!("{at}/Branches/{i}")));
                }
            }
            StateKind::Map(m) => {
                let key = if m.processor_is_iterator {
                    "Iterator"
                } else {
                    "ItemProcessor"
                };
                out.extend(check_at(&m.processor, &format!("{at}/{key}")));
            }
            _ => {}
        }
    }
    let missing = |what: &str, target: &str, at: String| {
        Diagnostic::new(
            DiagnosticCode::MissingTransitionTarget,
            format!("Missing '{what}' target: {target}"),
            at,
        )
    };
    if !machine.states.contains_key(&machine.start_at) {
        out.push(missing(
            "StartAt",
            &machine.start_at,
            format!("{prefix}/StartAt"),
        ));
    }
    for (name, state) in &machine.states {
        let at = pointer(&format!("{prefix}/States"), name);
        for (target, via) in state.successors() {
            if machine.states.contains_key(target) {
                continue;
            }
            out.push(match via {
                Successor::Next => missing("Next", target, pointer(&at, "Next")),
                Successor::Default => missing("Default", target, pointer(&at, "Default")),
                Successor::Choice(i) => missing("Next", target, format!("{at}/Choices/{i}/Next")),
                Successor::Catch(i) => missing("Next", target, format!("{at}/Catch/{i}/Next")),
            });
        }
    }
    if !out.is_empty() {
        return out;
    }

    let reachable = reachable_from(machine, &machine.start_at);
    for name in machine.states.keys() {
        if !reachable.contains(name.as_str()) {
            out.push(Diagnostic::new(
                DiagnosticCode::MissingTransitionTarget,
                format!("State '{name}' is not reachable"),
                pointer(&format!("{prefix}/States"), name),
            ));
        }
    }
    let can_end = machine
        .states
        .iter()
        .any(|(name, s)| reachable.contains(name.as_str()) && s.is_terminal());
    if !can_end {
        out.push(Diagnostic::new(
            DiagnosticCode::NoTerminalState,
            "No terminal state: no state has \"End\": true and there is no Succeed or Fail state",
            format!("{prefix}/States"),
        ));
    }
    out
}

fn reachable_from<'m>(machine: &'m StateMachine, start: &'m str) -> HashSet<&'m str> {
    let mut seen = HashSet::new();
    let mut stack = vec![start];
    while let Some(name) = stack.pop() {
        if !seen.insert(name) {
            continue;
        }
        if let Some(state) = machine.states.get(name) {
            stack.extend(state.successors().into_iter().map(|(t, _)| t));
        }
    }
    seen
}

/// Standard or Express: Express workflows cannot wait for activities, `.sync` jobs or task
/// tokens, and AWS rejects those resources when the machine is created.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum MachineType {
    #[default]
    Standard,
    Express,
}

/// The problems of an Express machine's Task resources, worded as AWS words them.
pub fn check_express(machine: &StateMachine) -> Vec<Diagnostic> {
    let mut out = Vec::new();
    express_at(machine, "", &mut out);
    out
}

fn express_at(machine: &StateMachine, prefix: &str, out: &mut Vec<Diagnostic>) {
    for (name, state) in &machine.states {
        let at = pointer(&format!("{prefix}/States"), name);
        match &state.kind {
            StateKind::Task(task) => {
                let resource = task.resource.as_str();
                let is_activity = resource.starts_with("arn:")
                    && resource.split(':').nth(2) == Some("states")
                    && resource.split(':').nth(5) == Some("activity");
                // AWS's own message for task tokens ends in a space.
                let problem = if is_activity {
                    Some("Express state machine does not support Activity ARN")
                } else if resource.ends_with(".sync") || resource.contains(".sync:") {
                    Some("Express state machine does not support '.sync' service integration")
                } else if resource.ends_with(".waitForTaskToken") {
                    Some("Express state machine does not support '.waitForTaskToken' service integration ")
                } else {
                    None
                };
                if let Some(message) = problem {
                    out.push(Diagnostic::new(
                        DiagnosticCode::SchemaValidationFailed,
                        message,
                        pointer(&at, "Resource"),
                    ));
                }
            }
            StateKind::Parallel(p) => {
                for (i, branch) in p.branches.iter().enumerate() {
                    express_at(branch, &format!("{at}/Branches/{i}"), out);
                }
            }
            StateKind::Map(m) => {
                let key = if m.processor_is_iterator {
                    "Iterator"
                } else {
                    "ItemProcessor"
                };
                express_at(&m.processor, &format!("{at}/{key}"), out);
            }
            _ => {}
        }
    }
}

/// The service integrations AWS knows, as `service:action` after `arn:aws:states:::` (the
/// `.sync` / `.waitForTaskToken` suffixes aside). `aws-sdk:*` integrations are checked by
/// AWS against the SDK; any action is accepted here.
const INTEGRATIONS: &[&str] = &[
    "lambda:invoke",
    "sns:publish",
    "sqs:sendMessage",
    "events:putEvents",
    "http:invoke",
    "dynamodb:getItem",
    "dynamodb:putItem",
    "dynamodb:updateItem",
    "dynamodb:deleteItem",
    "states:startExecution",
    "batch:submitJob",
    "glue:startJobRun",
    "databrew:startJobRun",
    "ecs:runTask",
    "apigateway:invoke",
    "mediaconvert:createJob",
    "athena:startQueryExecution",
    "athena:stopQueryExecution",
    "athena:getQueryExecution",
    "athena:getQueryResults",
    "codebuild:startBuild",
    "codebuild:stopBuild",
    "codebuild:batchDeleteBuilds",
    "codebuild:batchGetReports",
    "codebuild:startBuildBatch",
    "codebuild:stopBuildBatch",
    "codebuild:retryBuildBatch",
    "codebuild:retryBuild",
    "eks:createCluster",
    "eks:deleteCluster",
    "eks:createFargateProfile",
    "eks:deleteFargateProfile",
    "eks:createNodegroup",
    "eks:deleteNodegroup",
    "eks:runJob",
    "eks:call",
    "elasticmapreduce:createCluster",
    "elasticmapreduce:terminateCluster",
    "elasticmapreduce:addStep",
    "elasticmapreduce:cancelStep",
    "elasticmapreduce:setClusterTerminationProtection",
    "elasticmapreduce:modifyInstanceFleetByName",
    "elasticmapreduce:modifyInstanceGroupByName",
    "emr-containers:startJobRun",
    "emr-containers:createVirtualCluster",
    "emr-containers:deleteVirtualCluster",
    "emr-serverless:createApplication",
    "emr-serverless:startApplication",
    "emr-serverless:stopApplication",
    "emr-serverless:deleteApplication",
    "emr-serverless:startJobRun",
    "emr-serverless:cancelJobRun",
    "sagemaker:createTrainingJob",
    "sagemaker:createTransformJob",
    "sagemaker:createModel",
    "sagemaker:createEndpointConfig",
    "sagemaker:createEndpoint",
    "sagemaker:updateEndpoint",
    "sagemaker:createHyperParameterTuningJob",
    "sagemaker:createLabelingJob",
    "sagemaker:createProcessingJob",
    "bedrock:invokeModel",
    "bedrock:createModelCustomizationJob",
];

/// Task resources naming a service integration AWS does not have, worded as AWS words it.
pub fn check_resources(machine: &StateMachine) -> Vec<Diagnostic> {
    let mut out = Vec::new();
    resources_at(machine, "", &mut out);
    out
}

fn resources_at(machine: &StateMachine, prefix: &str, out: &mut Vec<Diagnostic>) {
    for (name, state) in &machine.states {
        let at = pointer(&format!("{prefix}/States"), name);
        match &state.kind {
            StateKind::Task(task) if !is_known_resource(&task.resource) => out.push(Diagnostic::new(
                DiagnosticCode::SchemaValidationFailed,
                format!(
                    "The resource provided {} is not recognized. The value is not a valid resource ARN, or the resource is not available in this region.",
                    task.resource
                ),
                pointer(&at, "Resource"),
            )),
            StateKind::Parallel(p) => {
                for (i, branch) in p.branches.iter().enumerate() {
                    resources_at(branch, &format!("{at}/Branches/{i}"), out);
                }
            }
            StateKind::Map(m) => {
                let key = if m.processor_is_iterator { "Iterator" } else { "ItemProcessor" };
                resources_at(&m.processor, &format!("{at}/{key}"), out);
            }
            _ => {}
        }
    }
}

/// Only `arn:<partition>:states:::service:action` resources are checked; Lambda and activity
/// ARNs, and anything a mock may answer, are left alone.
fn is_known_resource(resource: &str) -> bool {
    let mut parts = resource.splitn(6, ':');
    let (Some("arn"), Some(_partition), Some("states"), Some(""), Some(""), Some(rest)) = (
        parts.next(),
        parts.next(),
        parts.next(),
        parts.next(),
        parts.next(),
        parts.next(),
    ) else {
        return true;
    };
    let integration = rest
        .split(".sync")
        .next()
        .unwrap_or(rest)
        .trim_end_matches(".waitForTaskToken");
    integration.starts_with("aws-sdk:") || INTEGRATIONS.contains(&integration)
}
