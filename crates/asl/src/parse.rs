//! JSON text → typed [`StateMachine`], collecting every problem with its JSON pointer.
//!
//! Parsing walks a `serde_json::Value` by hand rather than deriving `Deserialize`: serde stops
//! at the first error and knows nothing of pointers, while AWS reports each problem at its
//! place in the definition.

use crate::diagnostic::{pointer, Diagnostic, DiagnosticCode};
use crate::model::*;
use crate::path::ReferencePath;
use indexmap::IndexMap;
use serde_json::{Map, Value};

/// Parses a definition's text. Syntax and schema problems come back together; graph problems
/// (targets, reachability) are [`crate::validate`]'s.
pub fn parse(text: &str) -> Result<StateMachine, Vec<Diagnostic>> {
    let value: Value = match serde_json::from_str(text) {
        Ok(v) => v,
        Err(e) => {
            let mut d = Diagnostic::new(
                DiagnosticCode::InvalidJsonDescription,
                format!("{e}"),
                format!("line {}, column {}", e.line(), e.column()),
            );
            d.line_col = Some((e.line(), e.column()));
            return Err(vec![d]);
        }
    };
    parse_value(&value)
}

/// Parses an already-parsed definition.
pub fn parse_value(value: &Value) -> Result<StateMachine, Vec<Diagnostic>> {
    let mut p = Parser {
        diagnostics: Vec::new(),
    };
    let machine = p.machine(value, "/");
    match machine {
        Some(m) if p.diagnostics.is_empty() => Ok(m),
        _ => Err(p.diagnostics),
    }
}

/// Fields of the language this engine does not run yet: reported plainly instead of being
/// silently ignored, so nobody mistakes a run for what AWS would do.
const NOT_YET_SUPPORTED: &[&str] = &[
    "Parameters",
    "ResultSelector",
    "Retry",
    "Catch",
    "HeartbeatSeconds",
    "HeartbeatSecondsPath",
    "TimeoutSecondsPath",
    "Credentials",
    "Arguments",
    "Output",
    "Assign",
    "ErrorPath",
    "CausePath",
];

struct Parser {
    diagnostics: Vec<Diagnostic>,
}

/// One JSON object being read: remembers which keys were used so the rest can be reported.
struct Fields<'a> {
    map: &'a Map<String, Value>,
    at: String,
    used: Vec<&'a str>,
}

impl<'a> Fields<'a> {
    fn get(&mut self, key: &str) -> Option<&'a Value> {
        let (key, value) = self.map.get_key_value(key)?;
        self.used.push(key);
        Some(value)
    }
    /// Marks a field as read without taking its value.
    fn mark(&mut self, key: &str) {
        self.get(key);
    }
    fn at(&self, key: &str) -> String {
        pointer(&self.at, key)
    }
}

impl Parser {
    fn error(&mut self, message: impl Into<String>, at: impl Into<String>) {
        self.diagnostics.push(Diagnostic::new(
            DiagnosticCode::SchemaValidationFailed,
            message,
            at,
        ));
    }

    fn object<'a>(&mut self, value: &'a Value, at: &str, what: &str) -> Option<Fields<'a>> {
        match value {
            Value::Object(map) => Some(Fields {
                map,
                at: at.to_string(),
                used: vec![],
            }),
            _ => {
                self.error(format!("{what} must be a JSON object"), at);
                None
            }
        }
    }

    /// Reports keys nobody asked for.
    fn finish(&mut self, fields: Fields<'_>) {
        for key in fields.map.keys() {
            if fields.used.contains(&key.as_str()) {
                continue;
            }
            if NOT_YET_SUPPORTED.contains(&key.as_str()) {
                self.diagnostics.push(Diagnostic::new(
                    DiagnosticCode::Unsupported,
                    format!(
                        "The field '{key}' is valid in AWS but not supported by this engine yet"
                    ),
                    fields.at(key),
                ));
            } else {
                self.error(format!("Field '{key}' is not supported"), fields.at(key));
            }
        }
    }

    fn required(&mut self, fields: &Fields<'_>, names: &[&str]) {
        let missing: Vec<&str> = names
            .iter()
            .copied()
            .filter(|n| !fields.map.contains_key(*n))
            .collect();
        if !missing.is_empty() {
            self.error(
                format!("These fields are required: [{}]", missing.join(", ")),
                fields.at.clone(),
            );
        }
    }

    fn string(&mut self, fields: &mut Fields<'_>, key: &str) -> Option<String> {
        match fields.get(key)? {
            Value::String(s) => Some(s.clone()),
            _ => {
                self.error(
                    format!("The field '{key}' must be a string"),
                    fields.at(key),
                );
                None
            }
        }
    }

    fn positive_integer(&mut self, fields: &mut Fields<'_>, key: &str, min: u64) -> Option<u64> {
        let value = fields.get(key)?;
        match value.as_u64() {
            Some(n) if n >= min && n <= 99_999_999 => Some(n),
            _ => {
                self.error(
                    format!("The field '{key}' must be an integer between {min} and 99999999"),
                    fields.at(key),
                );
                None
            }
        }
    }

    /// InputPath / OutputPath: a reference path, or null. Absent is `$`.
    fn data_path(&mut self, fields: &mut Fields<'_>, key: &str) -> DataPath {
        match fields.get(key) {
            None => Some(ReferencePath::root()),
            Some(Value::Null) => None,
            Some(Value::String(s)) => match ReferencePath::parse(s) {
                Ok(p) => Some(p),
                Err(_) => {
                    self.error(
                        format!("The value for the field '{key}' must be a valid JSONPath"),
                        fields.at(key),
                    );
                    Some(ReferencePath::root())
                }
            },
            Some(_) => {
                self.error(
                    format!("The value for the field '{key}' must be a valid JSONPath"),
                    fields.at(key),
                );
                Some(ReferencePath::root())
            }
        }
    }

    fn data_flow(&mut self, fields: &mut Fields<'_>) -> DataFlow {
        DataFlow {
            input_path: self.data_path(fields, "InputPath"),
            result_path: self.data_path(fields, "ResultPath"),
            output_path: self.data_path(fields, "OutputPath"),
        }
    }

    fn transition(&mut self, fields: &mut Fields<'_>) -> Transition {
        let next = self.string(fields, "Next");
        let end = fields.get("End");
        match (next, end) {
            (Some(_), Some(Value::Bool(true))) => {
                self.error(
                    "The fields 'Next' and 'End' are mutually exclusive",
                    fields.at.clone(),
                );
                Transition::End
            }
            (Some(next), _) => Transition::Next(next),
            (None, Some(Value::Bool(true))) => Transition::End,
            (None, Some(Value::Bool(false))) | (None, None) => {
                if !fields.map.contains_key("Next") {
                    self.error(
                        "The field 'Next' is required but was missing",
                        fields.at.clone(),
                    );
                }
                Transition::End
            }
            (_, Some(_)) => {
                self.error("The field 'End' must be a boolean", fields.at("End"));
                Transition::End
            }
        }
    }

    fn machine(&mut self, value: &Value, at: &str) -> Option<StateMachine> {
        let Value::Object(_) = value else {
            self.error("Definition must be a valid JSON object", at);
            return None;
        };
        let mut fields = self.object(value, at, "Definition")?;
        self.required(&fields, &["States", "StartAt"]);
        let comment = self.string(&mut fields, "Comment");
        let start_at = self.string(&mut fields, "StartAt");
        let version = self.string(&mut fields, "Version");
        let timeout_seconds = self.positive_integer(&mut fields, "TimeoutSeconds", 1);
        self.query_language(&mut fields);
        let states = fields
            .get("States")
            .and_then(|v| self.states(v, &pointer(at, "States")));
        self.finish(fields);
        Some(StateMachine {
            comment,
            start_at: start_at?,
            states: states?,
            timeout_seconds,
            version,
        })
    }

    fn query_language(&mut self, fields: &mut Fields<'_>) {
        match fields.get("QueryLanguage") {
            None => {}
            Some(Value::String(s)) if s == "JSONPath" => {}
            Some(Value::String(s)) if s == "JSONata" => self.diagnostics.push(Diagnostic::new(
                DiagnosticCode::Unsupported,
                "QueryLanguage JSONata is valid in AWS but not supported by this engine yet",
                fields.at("QueryLanguage"),
            )),
            Some(_) => self.error(
                "The field 'QueryLanguage' should have one of these values: [JSONPath, JSONata]",
                fields.at("QueryLanguage"),
            ),
        }
    }

    fn states(&mut self, value: &Value, at: &str) -> Option<IndexMap<String, State>> {
        let Value::Object(map) = value else {
            self.error("The field 'States' must be a JSON object", at);
            return None;
        };
        if map.is_empty() {
            self.error("Value cannot be empty", at);
        }
        let mut states = IndexMap::new();
        for (name, state) in map {
            let state_at = pointer(at, name);
            if name.is_empty() || name.chars().count() > 80 {
                self.error(
                    "State names must be between 1 and 80 characters long",
                    state_at.clone(),
                );
            }
            if let Some(state) = self.state(state, &state_at) {
                states.insert(name.clone(), state);
            }
        }
        Some(states)
    }

    fn state(&mut self, value: &Value, at: &str) -> Option<State> {
        let mut fields = self.object(value, at, "A state")?;
        let comment = self.string(&mut fields, "Comment");
        self.query_language(&mut fields);
        let type_name = match fields.get("Type") {
            None => {
                self.required(&fields, &["Type"]);
                None
            }
            Some(Value::String(s)) => StateType::parse(s),
            Some(_) => None,
        };
        let Some(state_type) = type_name else {
            if fields.map.contains_key("Type") {
                let names: Vec<&str> = StateType::ALL.iter().map(|t| t.as_str()).collect();
                self.error(
                    format!(
                        "The field 'Type' should have one of these values: [{}]",
                        names.join(", ")
                    ),
                    fields.at("Type"),
                );
            }
            return None;
        };
        let kind = match state_type {
            StateType::Pass => {
                let data = self.data_flow(&mut fields);
                let result = fields.get("Result").cloned();
                StateKind::Pass(Pass {
                    data,
                    result,
                    transition: self.transition(&mut fields),
                })
            }
            StateType::Task => {
                self.required(&fields, &["Resource"]);
                let resource = self.string(&mut fields, "Resource").unwrap_or_default();
                let data = self.data_flow(&mut fields);
                let timeout_seconds = self.positive_integer(&mut fields, "TimeoutSeconds", 1);
                StateKind::Task(Task {
                    resource,
                    data,
                    timeout_seconds,
                    transition: self.transition(&mut fields),
                })
            }
            StateType::Choice => StateKind::Choice(self.choice(&mut fields)),
            StateType::Wait => StateKind::Wait(self.wait(&mut fields)),
            StateType::Succeed => StateKind::Succeed(Succeed {
                input_path: self.data_path(&mut fields, "InputPath"),
                output_path: self.data_path(&mut fields, "OutputPath"),
            }),
            StateType::Fail => StateKind::Fail(Fail {
                error: self.string(&mut fields, "Error"),
                cause: self.string(&mut fields, "Cause"),
            }),
            StateType::Parallel | StateType::Map => {
                self.diagnostics.push(Diagnostic::new(
                    DiagnosticCode::Unsupported,
                    format!(
                        "{} states are valid in AWS but not supported by this engine yet",
                        state_type.as_str()
                    ),
                    fields.at("Type"),
                ));
                return None;
            }
        };
        self.finish(fields);
        Some(State { comment, kind })
    }

    fn choice(&mut self, fields: &mut Fields<'_>) -> Choice {
        self.required(fields, &["Choices"]);
        let input_path = self.data_path(fields, "InputPath");
        let output_path = self.data_path(fields, "OutputPath");
        let default = self.string(fields, "Default");
        for forbidden in ["Next", "End"] {
            if fields.map.contains_key(forbidden) {
                self.error(
                    format!("Choice states don't support the field '{forbidden}'"),
                    fields.at(forbidden),
                );
                fields.mark(forbidden);
            }
        }
        let mut choices = Vec::new();
        let at = fields.at("Choices");
        match fields.get("Choices") {
            Some(Value::Array(rules)) if !rules.is_empty() => {
                for (i, rule) in rules.iter().enumerate() {
                    if let Some(rule) = self.choice_rule(rule, &pointer(&at, &i.to_string())) {
                        choices.push(rule);
                    }
                }
            }
            Some(Value::Array(_)) => self.error("Value cannot be empty", at),
            Some(_) => self.error("The field 'Choices' must be an array", at),
            None => {}
        }
        Choice {
            input_path,
            output_path,
            choices,
            default,
        }
    }

    fn choice_rule(&mut self, value: &Value, at: &str) -> Option<ChoiceRule> {
        let mut fields = self.object(value, at, "A Choice rule")?;
        self.required(&fields, &["Next"]);
        let next = self.string(&mut fields, "Next");
        let condition = self.condition_fields(&mut fields);
        fields.get("Comment");
        self.finish(fields);
        Some(ChoiceRule {
            condition: condition?,
            next: next?,
        })
    }

    fn condition(&mut self, value: &Value, at: &str) -> Option<Condition> {
        let mut fields = self.object(value, at, "A condition")?;
        if fields.map.contains_key("Next") {
            self.error(
                "Nested conditions don't support the field 'Next'",
                fields.at("Next"),
            );
            fields.mark("Next");
        }
        fields.get("Comment");
        let condition = self.condition_fields(&mut fields);
        self.finish(fields);
        condition
    }

    /// The Boolean expression of a rule or nested condition: exactly one of And, Or, Not, or
    /// Variable with one comparison or test.
    fn condition_fields(&mut self, fields: &mut Fields<'_>) -> Option<Condition> {
        for (key, is_and) in [("And", true), ("Or", false)] {
            if fields.map.contains_key(key) {
                let at = fields.at(key);
                let Some(Value::Array(items)) = fields.get(key) else {
                    self.error(format!("The field '{key}' must be an array"), at);
                    return None;
                };
                if items.is_empty() {
                    self.error("Value cannot be empty", at.clone());
                }
                let inner: Vec<_> = items
                    .iter()
                    .enumerate()
                    .filter_map(|(i, c)| self.condition(c, &pointer(&at, &i.to_string())))
                    .collect();
                return Some(if is_and {
                    Condition::And(inner)
                } else {
                    Condition::Or(inner)
                });
            }
        }
        if let Some(inner) = fields.get("Not") {
            let at = fields.at("Not");
            return self
                .condition(inner, &at)
                .map(|c| Condition::Not(Box::new(c)));
        }
        let variable = match fields.get("Variable") {
            Some(Value::String(s)) => match ReferencePath::parse(s) {
                Ok(p) => Some(p),
                Err(_) => {
                    self.error(
                        "The value for the field 'Variable' must be a valid JSONPath",
                        fields.at("Variable"),
                    );
                    None
                }
            },
            Some(_) => {
                self.error(
                    "The value for the field 'Variable' must be a valid JSONPath",
                    fields.at("Variable"),
                );
                None
            }
            None => None,
        };
        let mut found: Vec<(String, Condition)> = Vec::new();
        let variable_or_root = variable.clone().unwrap_or_else(ReferencePath::root);
        for (name, comparison) in Comparison::all() {
            let path_name = format!("{name}Path");
            if let Some(v) = fields.map.get(&name) {
                if let Some(operand) = self.literal_operand(v, comparison, &fields.at(&name), &name)
                {
                    found.push((
                        name.clone(),
                        Condition::Compare {
                            variable: variable_or_root.clone(),
                            operator: comparison,
                            operand,
                        },
                    ));
                }
            }
            if let Some(v) = fields.map.get(&path_name) {
                match v.as_str().map(ReferencePath::parse) {
                    Some(Ok(p)) => found.push((
                        path_name.clone(),
                        Condition::Compare {
                            variable: variable_or_root.clone(),
                            operator: comparison,
                            operand: Operand::Path(p),
                        },
                    )),
                    _ => self.error(
                        format!("The value for the field '{path_name}' must be a valid JSONPath"),
                        fields.at(&path_name),
                    ),
                }
            }
        }
        for (test, name) in TypeTest::ALL {
            if let Some(v) = fields.map.get(name) {
                match v {
                    Value::Bool(expected) => found.push((
                        name.to_string(),
                        Condition::Test {
                            variable: variable_or_root.clone(),
                            test,
                            expected: *expected,
                        },
                    )),
                    _ => self.error(
                        format!("The field '{name}' must be a boolean"),
                        fields.at(name),
                    ),
                }
            }
        }
        // Every operator key was read above, so `finish` only reports truly unknown fields.
        for (name, _) in Comparison::all() {
            fields.mark(&name);
            fields.mark(&format!("{name}Path"));
        }
        for (_, name) in TypeTest::ALL {
            fields.mark(name);
        }
        match (found.len(), fields.map.contains_key("Variable")) {
            (0, _) => {
                self.error("A Choice rule must have exactly one of And, Or, Not, or a Variable with a comparison operator", fields.at.clone());
                None
            }
            (1, true) => variable.map(|_| found.pop().unwrap().1),
            (1, false) => {
                self.required(fields, &["Variable"]);
                None
            }
            _ => {
                let names: Vec<&str> = found.iter().map(|(n, _)| n.as_str()).collect();
                self.error(
                    format!(
                        "Only one comparison operator is allowed, found: [{}]",
                        names.join(", ")
                    ),
                    fields.at.clone(),
                );
                None
            }
        }
    }

    fn literal_operand(
        &mut self,
        value: &Value,
        comparison: Comparison,
        at: &str,
        name: &str,
    ) -> Option<Operand> {
        let ok = match comparison.kind {
            Kind::String => value.is_string(),
            Kind::Numeric => value.is_number(),
            Kind::Boolean => value.is_boolean(),
            Kind::Timestamp => value
                .as_str()
                .is_some_and(|s| crate::clock::parse_timestamp(s).is_some()),
        };
        if ok {
            Some(Operand::Literal(value.clone()))
        } else {
            let expected = match comparison.kind {
                Kind::String => "a string",
                Kind::Numeric => "a number",
                Kind::Boolean => "a boolean",
                Kind::Timestamp => "an RFC3339 timestamp",
            };
            self.error(format!("The field '{name}' must be {expected}"), at);
            None
        }
    }

    fn wait(&mut self, fields: &mut Fields<'_>) -> Wait {
        let input_path = self.data_path(fields, "InputPath");
        let output_path = self.data_path(fields, "OutputPath");
        let mut options = Vec::new();
        if fields.map.contains_key("Seconds") {
            match fields.get("Seconds").and_then(Value::as_u64) {
                Some(s) if s <= 99_999_999 => options.push(WaitFor::Seconds(s)),
                _ => self.error(
                    "The field 'Seconds' must be an integer between 0 and 99999999",
                    fields.at("Seconds"),
                ),
            }
        }
        if fields.map.contains_key("Timestamp") {
            let at = fields.at("Timestamp");
            match fields.get("Timestamp").and_then(Value::as_str) {
                Some(s) => match crate::clock::parse_timestamp(s) {
                    Some(ms) => options.push(WaitFor::Timestamp(ms, s.to_string())),
                    None => self.error("String does not match RFC3339 timestamp", at),
                },
                None => self.error("String does not match RFC3339 timestamp", at),
            }
        }
        for key in ["SecondsPath", "TimestampPath"] {
            if fields.map.contains_key(key) {
                let at = fields.at(key);
                match fields
                    .get(key)
                    .and_then(Value::as_str)
                    .map(ReferencePath::parse)
                {
                    Some(Ok(p)) => options.push(if key == "SecondsPath" {
                        WaitFor::SecondsPath(p)
                    } else {
                        WaitFor::TimestampPath(p)
                    }),
                    _ => self.error(
                        format!("The value for the field '{key}' must be a valid JSONPath"),
                        at,
                    ),
                }
            }
        }
        let transition = self.transition(fields);
        let given = ["Seconds", "Timestamp", "SecondsPath", "TimestampPath"]
            .iter()
            .filter(|k| fields.map.contains_key(**k))
            .count();
        if given != 1 {
            self.error(
                "A Wait state must have exactly one of the fields 'Seconds', 'Timestamp', 'SecondsPath', 'TimestampPath'",
                fields.at.clone(),
            );
        }
        let duration = options.into_iter().next().unwrap_or(WaitFor::Seconds(0));
        Wait {
            input_path,
            output_path,
            duration,
            transition,
        }
    }
}
