//! The state machines of a CloudFormation or SAM template, and the definition of one.
//!
//! A state machine is a resource of type `AWS::StepFunctions::StateMachine` or
//! `AWS::Serverless::StateMachine`. Its definition is one of:
//! - `Definition`: the definition as an object (intrinsic functions inside are evaluated);
//! - `DefinitionString`: JSON text, often built with `Fn::Sub` or `Fn::Join`;
//! - `DefinitionUri` (SAM) or `DefinitionS3Location`: a file or an S3 object, which cannot be
//!   read offline: the person is told which, and where the template names it.
//!
//! `DefinitionSubstitutions` then replaces each `${Name}` it defines in the definition's text.

use crate::intrinsics::{escape, problem, Context, Problem};
use serde_json::{Map, Value};

pub const STEP_FUNCTIONS: &str = "AWS::StepFunctions::StateMachine";
pub const SERVERLESS: &str = "AWS::Serverless::StateMachine";

/// Whether a JSON value is a template rather than a definition: it has `Resources` or
/// `AWSTemplateFormatVersion`, or it is a bare `Resources` mapping holding a state machine.
pub fn is_template(value: &Value) -> bool {
    let Some(map) = value.as_object() else {
        return false;
    };
    map.contains_key("AWSTemplateFormatVersion")
        || map.get("Resources").is_some_and(Value::is_object)
        || (!map.contains_key("States") && !machines_in(map).is_empty())
}

/// The resources of a template (or the bare mapping of resources given instead).
fn resources(template: &Value) -> Option<(&Map<String, Value>, &'static str)> {
    let map = template.as_object()?;
    match map.get("Resources") {
        Some(Value::Object(resources)) => Some((resources, "/Resources")),
        _ => Some((map, "")),
    }
}

/// The logical IDs of the state machines in a mapping of resources, in the template's order.
fn machines_in(resources: &Map<String, Value>) -> Vec<String> {
    resources
        .iter()
        .filter(|(_, r)| {
            matches!(
                r.get("Type").and_then(Value::as_str),
                Some(STEP_FUNCTIONS | SERVERLESS)
            )
        })
        .map(|(id, _)| id.clone())
        .collect()
}

/// One state machine's definition, read from the template.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Extracted {
    pub definition: String,
    /// The resource's logical ID.
    pub machine: String,
    /// Its type: [`STEP_FUNCTIONS`] or [`SERVERLESS`].
    pub resource_type: String,
    /// How its definition was given: `DefinitionString (Fn::Sub)`, `Definition`, …
    pub property: String,
    /// Every state machine of the template, by logical ID.
    pub machines: Vec<String>,
    /// Where the definition is in the template (a JSON pointer), when it is given as an object
    /// (`Definition`): its problems can then be located in the template.
    pub pointer: Option<String>,
    /// Each value filled in: (`${OpenCaseFunction.Arn}`, its example value).
    pub filled: Vec<(String, String)>,
    /// An Express machine (`StateMachineType` or SAM's `Type`: EXPRESS).
    pub express: bool,
}

/// The definition of the state machine `pick` (a logical ID or the machine's name), or of the
/// first one. Problems carry a JSON pointer into the template.
pub fn extract(template: &Value, pick: Option<&str>) -> Result<Extracted, Problem> {
    let Some((resources, base)) = resources(template) else {
        return Err(problem("", "a template is a mapping"));
    };
    let machines = machines_in(resources);
    let Some(first) = machines.first() else {
        return Err(problem(
            base,
            format!("this template has no state machine: no resource of type {STEP_FUNCTIONS} or {SERVERLESS}"),
        ));
    };
    let machine = match pick {
        None => first.clone(),
        Some(pick) => machines
            .iter()
            .find(|id| *id == pick || name_of(&resources[id.as_str()]) == Some(pick))
            .cloned()
            .ok_or_else(|| {
                problem(
                    base,
                    format!(
                        "no state machine {pick} in this template; it has {}",
                        machines.join(", ")
                    ),
                )
            })?,
    };
    let resource = &resources[machine.as_str()];
    let resource_type = resource["Type"].as_str().unwrap_or_default().to_string();
    let at = format!("{base}/{}", escape(&machine));
    let empty = Map::new();
    let properties = resource
        .get("Properties")
        .and_then(Value::as_object)
        .unwrap_or(&empty);
    let props_at = format!("{at}/Properties");
    let express = [properties.get("StateMachineType"), properties.get("Type")]
        .into_iter()
        .flatten()
        .any(|t| t.as_str() == Some("EXPRESS"));

    let template_map = template.as_object();
    let substitutions = properties.get("DefinitionSubstitutions");
    let mut context = Context {
        resources,
        parameters: template_map
            .and_then(|t| t.get("Parameters"))
            .and_then(Value::as_object),
        mappings: template_map
            .and_then(|t| t.get("Mappings"))
            .and_then(Value::as_object),
        later: substitutions
            .and_then(Value::as_object)
            .map(|s| s.keys().cloned().collect())
            .unwrap_or_default(),
        filled: Vec::new(),
    };
    // DefinitionSubstitutions' values are evaluated first: they may use intrinsics too.
    let subs_at = format!("{props_at}/DefinitionSubstitutions");
    let mut substituted = Vec::new();
    match substitutions {
        None => {}
        Some(Value::Object(subs)) => {
            for (name, value) in subs {
                let text = context.text(value, &format!("{subs_at}/{}", escape(name)))?;
                substituted.push((name.clone(), text));
            }
        }
        Some(_) => return Err(problem(&subs_at, "DefinitionSubstitutions is a mapping")),
    }

    let mut pointer = None;
    let (mut definition, mut property) = if let Some(value) = properties.get("Definition") {
        pointer = Some(format!("{props_at}/Definition"));
        let value = context.eval(value, &format!("{props_at}/Definition"))?;
        let value = substitute_value(value, &substituted);
        let text = serde_json::to_string_pretty(&value).unwrap_or_default();
        (text, "Definition".to_string())
    } else if let Some(value) = properties.get("DefinitionString") {
        let at = format!("{props_at}/DefinitionString");
        let how = value
            .as_object()
            .and_then(|m| m.keys().next())
            .map(|f| format!("DefinitionString ({f})"))
            .unwrap_or_else(|| "DefinitionString".into());
        let text = context.text(value, &at)?;
        (substitute_text(&text, &substituted), how)
    } else {
        let (key, what) = match (
            properties.get("DefinitionUri"),
            properties.get("DefinitionS3Location"),
        ) {
            (Some(uri), _) => ("DefinitionUri", uri),
            (None, Some(s3)) => ("DefinitionS3Location", s3),
            (None, None) => {
                return Err(problem(
                    &at,
                    format!("{machine} has no Definition, DefinitionString or DefinitionUri"),
                ))
            }
        };
        let place = match what {
            Value::String(s) => s.clone(),
            other => {
                let part = |k: &str| other.get(k).and_then(Value::as_str).unwrap_or("?");
                format!("s3://{}/{}", part("Bucket"), part("Key"))
            }
        };
        return Err(problem(
            &format!("{props_at}/{key}"),
            format!(
                "{machine}'s definition is in {place} ({key}), which the playground cannot read: \
                 it works offline. Open or paste that file's definition instead."
            ),
        ));
    };
    for (name, value) in &substituted {
        context.filled.push((
            format!("${{{name}}}"),
            format!("{value} (DefinitionSubstitutions)"),
        ));
    }
    if !substituted.is_empty() {
        property.push_str(" with DefinitionSubstitutions");
    }
    // A definition given as text keeps its own formatting; only its end is tidied.
    if definition.ends_with(char::is_whitespace) {
        definition.truncate(definition.trim_end().len());
    }
    Ok(Extracted {
        definition,
        machine,
        resource_type,
        property,
        machines,
        pointer,
        filled: context.filled,
        express,
    })
}

/// The name a state machine resource gives itself (`StateMachineName`, SAM's `Name`).
fn name_of(resource: &Value) -> Option<&str> {
    let properties = resource.get("Properties")?;
    properties
        .get("StateMachineName")
        .or_else(|| properties.get("Name"))?
        .as_str()
}

/// `${Name}` replaced, for each substitution, in text.
fn substitute_text(text: &str, substitutions: &[(String, String)]) -> String {
    let mut text = text.to_string();
    for (name, value) in substitutions {
        text = text.replace(&format!("${{{name}}}"), value);
    }
    text
}

/// [`substitute_text`] in every string (keys too) of a definition given as an object.
fn substitute_value(value: Value, substitutions: &[(String, String)]) -> Value {
    if substitutions.is_empty() {
        return value;
    }
    match value {
        Value::String(s) => Value::String(substitute_text(&s, substitutions)),
        Value::Array(items) => Value::Array(
            items
                .into_iter()
                .map(|v| substitute_value(v, substitutions))
                .collect(),
        ),
        Value::Object(map) => Value::Object(
            map.into_iter()
                .map(|(k, v)| {
                    (
                        substitute_text(&k, substitutions),
                        substitute_value(v, substitutions),
                    )
                })
                .collect(),
        ),
        other => other,
    }
}
