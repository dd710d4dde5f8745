//! JSON text → typed [`StateMachine`], collecting every problem with its JSON pointer.
//!
//! Parsing walks a `serde_json::Value` by hand rather than deriving `Deserialize`: serde stops
//! at the first error and knows nothing of pointers, while AWS reports each problem at its
//! place in the definition.

use crate::diagnostic::{pointer, Diagnostic, DiagnosticCode};
use crate::jsonata::JsonataTemplate;
use crate::jsonpath::JsonPath;
use crate::model::*;
use crate::path::ReferencePath;
use crate::template::Template;
use indexmap::IndexMap;
use serde_json::Value;
use std::sync::Arc;

/// Parses a definition's text. Syntax and schema problems come back together; graph problems
/// (targets, reachability) are [`crate::validate`]'s.
pub fn parse(text: &str) -> Result<StateMachine, Vec<Diagnostic>> {
    // AWS refuses a definition over its size limit before reading it.
    if let Err(message) = crate::limits::check_definition_size(text) {
        return Err(vec![Diagnostic::new(
            DiagnosticCode::ValidationException,
            message,
            "/",
        )]);
    }
    if text.trim().is_empty() {
        return Err(vec![Diagnostic::new(
            DiagnosticCode::SchemaValidationFailed,
            "Definition must be a valid JSON object",
            "/",
        )]);
    }
    let value: Value = match serde_json::from_str(text) {
        Ok(v) => v,
        Err(e) => return Err(vec![syntax_error(text, &e)]),
    };
    parse_value(&value)
}

/// A JSON syntax error, worded as AWS (Jackson) words the commonest one — a word that is not
/// JSON, as when YAML or prose is pasted — and as serde_json words the others.
fn syntax_error(text: &str, e: &serde_json::Error) -> Diagnostic {
    let (line, column) = (e.line(), e.column());
    let line_text = text.lines().nth(line.saturating_sub(1)).unwrap_or("");
    let start = line_text
        .char_indices()
        .nth(column.saturating_sub(1))
        .map_or(line_text.len(), |(i, _)| i);
    // After the last character that ends a word, whatever its width in bytes.
    let word_start = line_text[..start]
        .char_indices()
        .rfind(|&(_, c)| !c.is_alphanumeric() && c != '_')
        .map_or(0, |(i, c)| i + c.len_utf8());
    let word: String = line_text[word_start..]
        .chars()
        .take_while(|c| c.is_alphanumeric() || *c == '_')
        .collect();
    let message = e.to_string();
    let message = message
        .rsplit_once(" at line ")
        .map_or(message.as_str(), |(m, _)| m)
        .to_string();
    let is_json_word = matches!(word.as_str(), "true" | "false" | "null");
    let mut d = if !word.is_empty() && !is_json_word && message.starts_with("expected") {
        let end_column = line_text[..word_start].chars().count() + word.chars().count() + 1;
        let source = format!("[Source: (String)\"{text}\"; line: {line}, column: {end_column}]");
        Diagnostic::new(
            DiagnosticCode::InvalidJsonDescription,
            format!(
                "Unrecognized token '{word}': was expecting (JSON String, Number, Array, Object or token 'null', 'true' or 'false')\n at {source}"
            ),
            source,
        )
    } else {
        Diagnostic::new(
            DiagnosticCode::InvalidJsonDescription,
            message,
            format!("line {line}, column {column}"),
        )
    };
    d.line_col = Some((line, column));
    d
}

/// Parses an already-parsed definition.
pub fn parse_value(value: &Value) -> Result<StateMachine, Vec<Diagnostic>> {
    let jsonata_machine = value.get("QueryLanguage").and_then(Value::as_str) == Some("JSONata");
    let mut p = Parser {
        diagnostics: Vec::new(),
        jsonata_machine,
        jsonata: jsonata_machine,
    };
    let machine = p.machine(value, "/");
    // AWS's own problems first; what only this engine cannot do yet comes last.
    p.diagnostics
        .sort_by_key(|d| d.code == DiagnosticCode::Unsupported);
    match machine {
        Some(m) if p.diagnostics.is_empty() => Ok(m),
        _ => Err(p.diagnostics),
    }
}

struct Parser {
    diagnostics: Vec<Diagnostic>,
    /// The definition's own QueryLanguage, which its states may not downgrade (and which
    /// every state without its own has).
    jsonata_machine: bool,
    /// Whether the state being read is a JSONata state. A field of the other language is
    /// left unread, so [`Parser::finish`] reports it where it is.
    jsonata: bool,
}

/// One JSON object being read: remembers which keys were used so the rest can be reported.
struct Fields<'a> {
    map: &'a serde_json::Map<String, Value>,
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
            self.error(format!("Field '{key}' is not supported"), fields.at(key));
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
        let at = fields.at(key);
        match fields.get(key) {
            None => Some(JsonPath::whole()),
            Some(Value::Null) => None,
            Some(Value::String(s)) if JsonPath::parse(s).is_ok() => JsonPath::parse(s).ok(),
            Some(_) => {
                self.error(
                    format!("The value for the field '{key}' must be a valid JSONPath"),
                    at,
                );
                Some(JsonPath::whole())
            }
        }
    }

    /// ResultPath: a reference path (it names where to write), or null.
    fn result_path(&mut self, fields: &mut Fields<'_>) -> Option<ReferencePath> {
        let at = fields.at("ResultPath");
        match fields.get("ResultPath") {
            None => Some(ReferencePath::root()),
            Some(Value::Null) => None,
            Some(Value::String(s)) => match ReferencePath::parse(s) {
                Ok(p) if p.root == crate::path::Root::Data => Some(p),
                _ => {
                    self.error(
                        "The value for the field 'ResultPath' must be a valid ReferencePath",
                        at,
                    );
                    Some(ReferencePath::root())
                }
            },
            Some(_) => {
                self.error(
                    "The value for the field 'ResultPath' must be a valid ReferencePath",
                    at,
                );
                Some(ReferencePath::root())
            }
        }
    }

    fn data_flow(&mut self, fields: &mut Fields<'_>) -> DataFlow {
        DataFlow {
            input_path: self.data_path(fields, "InputPath"),
            result_path: self.result_path(fields),
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
        self.machine_or_branch(value, at, true)
    }

    /// A whole definition, or a Parallel branch / Map processor (which have no Version or
    /// TimeoutSeconds of their own, but may carry a ProcessorConfig).
    fn machine_or_branch(
        &mut self,
        value: &Value,
        at: &str,
        top_level: bool,
    ) -> Option<StateMachine> {
        let Value::Object(_) = value else {
            self.error(
                if top_level {
                    "Definition must be a valid JSON object"
                } else {
                    "A branch must be a JSON object"
                },
                at,
            );
            return None;
        };
        let mut fields = self.object(value, at, "Definition")?;
        self.required(&fields, &["States", "StartAt"]);
        let comment = self.string(&mut fields, "Comment");
        let start_at = self.string(&mut fields, "StartAt");
        let (version, timeout_seconds) = if top_level {
            (
                self.string(&mut fields, "Version"),
                self.positive_integer(&mut fields, "TimeoutSeconds", 1),
            )
        } else {
            fields.mark("ProcessorConfig");
            (None, None)
        };
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
            Some(Value::String(s))
                if s == "JSONPath" && self.jsonata_machine && fields.at != "/" =>
            {
                self.error(
                    "'QueryLanguage' can not be 'JSONPath' if set to 'JSONata' for whole state machine",
                    fields.at.clone(),
                );
            }
            Some(Value::String(s)) if s == "JSONPath" || s == "JSONata" => {}
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
        let query_language = match fields.map.get("QueryLanguage").and_then(Value::as_str) {
            Some("JSONata") => QueryLanguage::Jsonata,
            Some("JSONPath") => QueryLanguage::JsonPath,
            _ if self.jsonata_machine => QueryLanguage::Jsonata,
            _ => QueryLanguage::JsonPath,
        };
        let outer = self.jsonata;
        self.jsonata = query_language == QueryLanguage::Jsonata;
        let state = self.state_fields(fields, comment, query_language);
        self.jsonata = outer;
        state
    }

    fn state_fields(
        &mut self,
        mut fields: Fields<'_>,
        comment: Option<String>,
        query_language: QueryLanguage,
    ) -> Option<State> {
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
        if self.jsonata {
            return self.jsonata_state(fields, comment, state_type);
        }
        let kind = match state_type {
            StateType::Pass => {
                let data = self.data_flow(&mut fields);
                let parameters = self.template(&mut fields, "Parameters");
                let result = fields.get("Result").cloned();
                let transition = self.transition(&mut fields);
                StateKind::Pass(Pass {
                    data,
                    parameters,
                    result,
                    transition,
                })
            }
            StateType::Task => {
                self.required(&fields, &["Resource"]);
                let resource = self.string(&mut fields, "Resource").unwrap_or_default();
                let data = self.data_flow(&mut fields);
                let parameters = self.template(&mut fields, "Parameters");
                let result_selector = self.template(&mut fields, "ResultSelector");
                let timeout = self.seconds(&mut fields, "TimeoutSeconds");
                let heartbeat = self.seconds(&mut fields, "HeartbeatSeconds");
                self.credentials(&mut fields);
                let errors = self.error_handling(&mut fields);
                let transition = self.transition(&mut fields);
                StateKind::Task(Task {
                    resource,
                    data,
                    parameters,
                    result_selector,
                    timeout,
                    heartbeat,
                    errors,
                    transition,
                })
            }
            StateType::Parallel => {
                self.required(&fields, &["Branches"]);
                let data = self.data_flow(&mut fields);
                let parameters = self.template(&mut fields, "Parameters");
                let result_selector = self.template(&mut fields, "ResultSelector");
                let branches = self.branches(&mut fields);
                let errors = self.error_handling(&mut fields);
                let transition = self.transition(&mut fields);
                StateKind::Parallel(Parallel {
                    data,
                    parameters,
                    result_selector,
                    branches,
                    errors,
                    transition,
                })
            }
            StateType::Map => StateKind::Map(Box::new(self.map(&mut fields)?)),
            StateType::Choice => StateKind::Choice(self.choice(&mut fields)),
            StateType::Wait => StateKind::Wait(self.wait(&mut fields)),
            StateType::Succeed => StateKind::Succeed(Succeed {
                input_path: self.data_path(&mut fields, "InputPath"),
                output_path: self.data_path(&mut fields, "OutputPath"),
            }),
            StateType::Fail => StateKind::Fail(Fail {
                error: self.text(&mut fields, "Error", "ErrorPath"),
                cause: self.text(&mut fields, "Cause", "CausePath"),
            }),
        };
        let assign = match state_type {
            StateType::Fail | StateType::Succeed => None,
            _ => self.template(&mut fields, "Assign").map(Shape::JsonPath),
        };
        self.finish(fields);
        Some(State {
            comment,
            query_language,
            assign,
            jsonata: None,
            kind,
        })
    }

    /// A JSONata state: Arguments, Output, Assign and `{% … %}` forms instead of paths and
    /// `.$` templates (which are left unread, so they are reported as not supported).
    fn jsonata_state(
        &mut self,
        mut fields: Fields<'_>,
        comment: Option<String>,
        state_type: StateType,
    ) -> Option<State> {
        let mut io = JsonataFields::default();
        let none = || DataFlow {
            input_path: Some(JsonPath::whole()),
            result_path: Some(ReferencePath::root()),
            output_path: Some(JsonPath::whole()),
        };
        let kind = match state_type {
            StateType::Pass => {
                let result = fields.get("Result").cloned();
                let transition = self.transition(&mut fields);
                StateKind::Pass(Pass {
                    data: none(),
                    parameters: None,
                    result,
                    transition,
                })
            }
            StateType::Task => {
                self.required(&fields, &["Resource"]);
                let resource = self.string(&mut fields, "Resource").unwrap_or_default();
                io.arguments = self.jsonata_template(&mut fields, "Arguments");
                let timeout = self.jsonata_seconds(&mut fields, "TimeoutSeconds");
                let heartbeat = self.jsonata_seconds(&mut fields, "HeartbeatSeconds");
                self.credentials(&mut fields);
                let errors = self.error_handling(&mut fields);
                let transition = self.transition(&mut fields);
                StateKind::Task(Task {
                    resource,
                    data: none(),
                    parameters: None,
                    result_selector: None,
                    timeout,
                    heartbeat,
                    errors,
                    transition,
                })
            }
            StateType::Parallel => {
                self.required(&fields, &["Branches"]);
                io.arguments = self.jsonata_template(&mut fields, "Arguments");
                let branches = self.branches(&mut fields);
                let errors = self.error_handling(&mut fields);
                let transition = self.transition(&mut fields);
                StateKind::Parallel(Parallel {
                    data: none(),
                    parameters: None,
                    result_selector: None,
                    branches,
                    errors,
                    transition,
                })
            }
            StateType::Map => StateKind::Map(Box::new(self.map(&mut fields)?)),
            StateType::Choice => StateKind::Choice(self.choice(&mut fields)),
            StateType::Wait => StateKind::Wait(self.wait(&mut fields)),
            StateType::Succeed => StateKind::Succeed(Succeed {
                input_path: Some(JsonPath::whole()),
                output_path: Some(JsonPath::whole()),
            }),
            StateType::Fail => StateKind::Fail(Fail {
                error: self.jsonata_text(&mut fields, "Error"),
                cause: self.jsonata_text(&mut fields, "Cause"),
            }),
        };
        if state_type != StateType::Fail {
            io.output = self.jsonata_template(&mut fields, "Output");
        }
        let assign = match state_type {
            StateType::Fail | StateType::Succeed => None,
            _ => self
                .jsonata_template(&mut fields, "Assign")
                .map(Shape::Jsonata),
        };
        self.finish(fields);
        Some(State {
            comment,
            query_language: QueryLanguage::Jsonata,
            assign,
            jsonata: Some(io),
            kind,
        })
    }

    /// A JSONata state's field: any JSON, its `{% … %}` strings compiled.
    fn jsonata_template(&mut self, fields: &mut Fields<'_>, key: &str) -> Option<JsonataTemplate> {
        let at = fields.at(key);
        let value = fields.get(key)?;
        match JsonataTemplate::parse(value, &at) {
            Ok(t) => Some(t),
            Err(problems) => {
                self.diagnostics.extend(problems);
                None
            }
        }
    }

    /// A `{% … %}` string in a field that otherwise holds a number or a timestamp.
    fn jsonata_expression(
        &mut self,
        fields: &mut Fields<'_>,
        key: &str,
    ) -> Option<JsonataTemplate> {
        match fields.map.get(key) {
            Some(Value::String(s)) if crate::jsonata::expression_text(s).is_some() => {
                self.jsonata_template(fields, key)
            }
            _ => None,
        }
    }

    /// TimeoutSeconds / HeartbeatSeconds of a JSONata Task: a number or an expression.
    fn jsonata_seconds(&mut self, fields: &mut Fields<'_>, key: &str) -> Option<Seconds> {
        if let Some(t) = self.jsonata_expression(fields, key) {
            return Some(Seconds::Jsonata(t));
        }
        let value = fields.get(key)?;
        match value.as_u64() {
            Some(n) if (1..=99_999_999).contains(&n) => Some(Seconds::Fixed(n)),
            _ => {
                self.error(
                    format!("The field '{key}' must be an integer between 1 and 99999999"),
                    fields.at(key),
                );
                None
            }
        }
    }

    /// A JSONata Fail's Error or Cause: a string, or an expression.
    fn jsonata_text(&mut self, fields: &mut Fields<'_>, key: &str) -> Option<Text> {
        if let Some(t) = self.jsonata_expression(fields, key) {
            return Some(Text::Jsonata(t));
        }
        self.string(fields, key).map(Text::Literal)
    }

    /// A Parallel state's Branches.
    fn branches(&mut self, fields: &mut Fields<'_>) -> Vec<Arc<StateMachine>> {
        let at = fields.at("Branches");
        let mut branches = Vec::new();
        match fields.get("Branches") {
            Some(Value::Array(items)) if !items.is_empty() => {
                for (i, branch) in items.iter().enumerate() {
                    let at = pointer(&at, &i.to_string());
                    if let Some(b) = self.machine_or_branch(branch, &at, false) {
                        branches.push(Arc::new(b));
                    }
                }
            }
            Some(Value::Array(_)) => self.error("Value cannot be empty", at),
            Some(_) => self.error("The field 'Branches' must be an array", at),
            None => {}
        }
        branches
    }

    /// A payload template field (Parameters, ResultSelector, ItemSelector …).
    fn template(&mut self, fields: &mut Fields<'_>, key: &str) -> Option<Template> {
        let at = fields.at(key);
        let value = fields.get(key)?;
        match Template::parse(value, &at) {
            Ok(t) => Some(t),
            Err(problems) => {
                for (message, at) in problems {
                    self.error(message, at);
                }
                None
            }
        }
    }

    /// `TimeoutSeconds` or `TimeoutSecondsPath` (likewise Heartbeat).
    fn seconds(&mut self, fields: &mut Fields<'_>, key: &str) -> Option<Seconds> {
        let path_key = format!("{key}Path");
        if fields.map.contains_key(key) && fields.map.contains_key(&path_key) {
            self.error(
                format!("The fields '{key}' and '{path_key}' are mutually exclusive"),
                fields.at.clone(),
            );
        }
        if let Some(path) = self.reference_path(fields, &path_key) {
            return Some(Seconds::Path(path));
        }
        let value = fields.get(key)?;
        match value.as_u64() {
            Some(n) if (1..=99_999_999).contains(&n) => Some(Seconds::Fixed(n)),
            _ => {
                self.error(
                    format!("The field '{key}' must be an integer between 1 and 99999999"),
                    fields.at(key),
                );
                None
            }
        }
    }

    fn reference_path(&mut self, fields: &mut Fields<'_>, key: &str) -> Option<ReferencePath> {
        let at = fields.at(key);
        match fields.get(key)? {
            Value::String(s) => match ReferencePath::parse(s) {
                Ok(p) => Some(p),
                Err(_) => {
                    self.error(
                        format!("The value for the field '{key}' must be a valid JSONPath"),
                        at,
                    );
                    None
                }
            },
            _ => {
                self.error(
                    format!("The value for the field '{key}' must be a valid JSONPath"),
                    at,
                );
                None
            }
        }
    }

    /// A number or its `…Path` form (MaxConcurrency, ToleratedFailureCount …).
    fn count(&mut self, fields: &mut Fields<'_>, key: &str) -> Option<Count> {
        if self.jsonata {
            if let Some(t) = self.jsonata_expression(fields, key) {
                return Some(Count::Jsonata(t));
            }
        }
        let path_key = format!("{key}Path");
        if self.jsonata {
            // A JSONata state has no `…Path` fields: left unread, reported by `finish`.
        } else if let Some(path) = self.reference_path(fields, &path_key) {
            return Some(Count::Path(path));
        }
        let at = fields.at(key);
        let value = fields.get(key)?;
        match value.as_f64() {
            Some(n) if n >= 0.0 => Some(Count::Fixed(n)),
            _ => {
                self.error(
                    format!("The field '{key}' must be a non-negative number"),
                    at,
                );
                None
            }
        }
    }

    fn credentials(&mut self, fields: &mut Fields<'_>) {
        let at = fields.at("Credentials");
        let Some(value) = fields.get("Credentials") else {
            return;
        };
        match value {
            Value::Object(map) if map.contains_key("RoleArn") || map.contains_key("RoleArn.$") => {}
            Value::Object(_) => self.error("The field 'RoleArn' is required but was missing", at),
            _ => self.error("The field 'Credentials' must be a JSON object", at),
        }
    }

    /// Fail's Error/Cause, or their Path forms.
    fn text(&mut self, fields: &mut Fields<'_>, key: &str, path_key: &str) -> Option<Text> {
        if fields.map.contains_key(key) && fields.map.contains_key(path_key) {
            self.error(
                format!("The fields '{key}' and '{path_key}' are mutually exclusive"),
                fields.at.clone(),
            );
        }
        if let Some(Value::String(expression)) = fields.map.get(path_key) {
            let at = fields.at(path_key);
            fields.mark(path_key);
            if !crate::expression::is_valid(expression) {
                self.error(format!("The value for the field '{path_key}' must be a valid JSONPath or a valid intrinsic function call"), at);
                return None;
            }
            let template =
                Template::parse(&serde_json::json!({ "value.$": expression }), &at).ok()?;
            return Some(Text::Dynamic(template));
        }
        if fields.map.contains_key(path_key) {
            self.error(
                format!("The field '{path_key}' must be a string"),
                fields.at(path_key),
            );
            fields.mark(path_key);
        }
        self.string(fields, key).map(Text::Literal)
    }

    fn error_handling(&mut self, fields: &mut Fields<'_>) -> ErrorHandling {
        let mut handling = ErrorHandling::default();
        let retry_at = fields.at("Retry");
        match fields.get("Retry") {
            Some(Value::Array(items)) => {
                for (i, item) in items.iter().enumerate() {
                    if let Some(r) = self.retrier(item, &pointer(&retry_at, &i.to_string())) {
                        handling.retry.push(r);
                    }
                }
            }
            Some(_) => self.error("The field 'Retry' must be an array", retry_at.clone()),
            None => {}
        }
        let all_not_last = |errors: Vec<&Vec<String>>| {
            let n = errors.len();
            errors
                .iter()
                .take(n.saturating_sub(1))
                .position(|e| e.iter().any(|x| x == "States.ALL"))
        };
        if let Some(i) = all_not_last(handling.retry.iter().map(|r| &r.error_equals).collect()) {
            self.error(
                "States.ALL must appear in the last Retrier only",
                pointer(&retry_at, &i.to_string()),
            );
        }
        let catch_at = fields.at("Catch");
        match fields.get("Catch") {
            Some(Value::Array(items)) => {
                for (i, item) in items.iter().enumerate() {
                    if let Some(c) = self.catcher(item, &pointer(&catch_at, &i.to_string())) {
                        handling.catch.push(c);
                    }
                }
            }
            Some(_) => self.error("The field 'Catch' must be an array", catch_at.clone()),
            None => {}
        }
        if let Some(i) = all_not_last(handling.catch.iter().map(|c| &c.error_equals).collect()) {
            self.error(
                "States.ALL must appear in the last Catcher only",
                pointer(&catch_at, &i.to_string()),
            );
        }
        handling
    }

    fn error_equals(&mut self, fields: &mut Fields<'_>) -> Vec<String> {
        let at = fields.at("ErrorEquals");
        let names: Vec<String> = match fields.get("ErrorEquals") {
            Some(Value::Array(items))
                if !items.is_empty() && items.iter().all(Value::is_string) =>
            {
                items
                    .iter()
                    .filter_map(|v| v.as_str().map(str::to_string))
                    .collect()
            }
            Some(Value::Array(items)) if items.is_empty() => {
                self.error("Value cannot be empty", at);
                return vec![];
            }
            Some(_) => {
                self.error("The field 'ErrorEquals' must be an array of strings", at);
                return vec![];
            }
            None => return vec![],
        };
        if names.iter().any(|n| n == "States.ALL") && names.len() > 1 {
            self.error("States.ALL must appear alone in ErrorEquals", at);
        }
        names
    }

    fn retrier(&mut self, value: &Value, at: &str) -> Option<Retrier> {
        let mut fields = self.object(value, at, "A Retrier")?;
        self.required(&fields, &["ErrorEquals"]);
        let error_equals = self.error_equals(&mut fields);
        let number = |p: &mut Self, fields: &mut Fields<'_>, key: &str, min: f64| -> Option<f64> {
            let at = fields.at(key);
            let v = fields.get(key)?;
            match v.as_f64() {
                Some(n) if n >= min => Some(n),
                _ => {
                    p.error(
                        format!("The field '{key}' must be a number not less than {min}"),
                        at,
                    );
                    None
                }
            }
        };
        let interval_seconds = number(self, &mut fields, "IntervalSeconds", 1.0)
            .map(|n| n as u64)
            .unwrap_or(1);
        let max_attempts = number(self, &mut fields, "MaxAttempts", 0.0)
            .map(|n| n as u64)
            .unwrap_or(3);
        let backoff_rate = number(self, &mut fields, "BackoffRate", 1.0).unwrap_or(2.0);
        let max_delay_seconds = number(self, &mut fields, "MaxDelaySeconds", 1.0).map(|n| n as u64);
        let jitter = match fields.get("JitterStrategy") {
            None => Jitter::None,
            Some(Value::String(s)) if s == "FULL" => Jitter::Full,
            Some(Value::String(s)) if s == "NONE" => Jitter::None,
            Some(_) => {
                self.error(
                    "The field 'JitterStrategy' should have one of these values: [FULL, NONE]",
                    fields.at("JitterStrategy"),
                );
                Jitter::None
            }
        };
        fields.get("Comment");
        self.finish(fields);
        Some(Retrier {
            error_equals,
            interval_seconds,
            max_attempts,
            backoff_rate,
            max_delay_seconds,
            jitter,
        })
    }

    fn catcher(&mut self, value: &Value, at: &str) -> Option<Catcher> {
        let mut fields = self.object(value, at, "A Catcher")?;
        self.required(&fields, &["ErrorEquals", "Next"]);
        let error_equals = self.error_equals(&mut fields);
        let next = self.string(&mut fields, "Next");
        fields.get("Comment");
        let (result_path, assign, output) = if self.jsonata {
            let output = self.jsonata_template(&mut fields, "Output");
            let assign = self
                .jsonata_template(&mut fields, "Assign")
                .map(Shape::Jsonata);
            (Some(ReferencePath::root()), assign, output)
        } else {
            let result_path = match fields.get("ResultPath") {
                None => Some(ReferencePath::root()),
                Some(Value::Null) => None,
                Some(_) => self.reference_path(&mut fields, "ResultPath"),
            };
            let assign = self.template(&mut fields, "Assign").map(Shape::JsonPath);
            (result_path, assign, None)
        };
        self.finish(fields);
        Some(Catcher {
            error_equals,
            result_path,
            next: next?,
            assign,
            output,
        })
    }

    fn map(&mut self, fields: &mut Fields<'_>) -> Option<Map> {
        let jsonata = self.jsonata;
        let (data, items_path, items, selector, parameters) = if jsonata {
            let items = self.jsonata_template(fields, "Items");
            let selector = self
                .jsonata_template(fields, "ItemSelector")
                .map(Shape::Jsonata);
            (
                DataFlow::default(),
                ReferencePath::root(),
                items,
                selector,
                None,
            )
        } else {
            let data = self.data_flow(fields);
            let items_path = self
                .reference_path(fields, "ItemsPath")
                .unwrap_or_else(ReferencePath::root);
            let selector = self.template(fields, "ItemSelector").map(Shape::JsonPath);
            let parameters = self.template(fields, "Parameters").map(Shape::JsonPath);
            (data, items_path, None, selector, parameters)
        };
        if selector.is_some() && parameters.is_some() {
            self.error(
                "The fields 'ItemSelector' and 'Parameters' are mutually exclusive",
                fields.at.clone(),
            );
        }
        let result_selector = if jsonata {
            None
        } else {
            self.template(fields, "ResultSelector")
        };
        let (processor_key, processor_value) =
            match (fields.map.get("ItemProcessor"), fields.map.get("Iterator")) {
                (Some(v), None) => ("ItemProcessor", v),
                (None, Some(v)) => ("Iterator", v),
                (Some(_), Some(_)) => {
                    self.error(
                        "The fields 'ItemProcessor' and 'Iterator' are mutually exclusive",
                        fields.at.clone(),
                    );
                    return None;
                }
                (None, None) => {
                    self.error(
                        "These fields are required: [ItemProcessor]",
                        fields.at.clone(),
                    );
                    return None;
                }
            };
        fields.mark(processor_key);
        let processor_at = fields.at(processor_key);
        let distributed = processor_value
            .pointer("/ProcessorConfig/Mode")
            .and_then(Value::as_str)
            .is_some_and(|m| m == "DISTRIBUTED");
        let express_children = processor_value
            .pointer("/ProcessorConfig/ExecutionType")
            .and_then(Value::as_str)
            .is_some_and(|t| t == "EXPRESS");
        let processor = self.machine_or_branch(processor_value, &processor_at, false);
        let max_concurrency = self.count(fields, "MaxConcurrency");
        let tolerated_failure_count = self.count(fields, "ToleratedFailureCount");
        let tolerated_failure_percentage = self.count(fields, "ToleratedFailurePercentage");
        let batcher = match fields.get("ItemBatcher") {
            None => None,
            Some(value) => {
                let at = fields.at("ItemBatcher");
                let mut b = self.object(value, &at, "ItemBatcher")?;
                let max_items_per_batch = self.count(&mut b, "MaxItemsPerBatch");
                let max_input_bytes_per_batch = self.count(&mut b, "MaxInputBytesPerBatch");
                let batch_input = self.template(&mut b, "BatchInput");
                self.finish(b);
                Some(ItemBatcher {
                    max_items_per_batch,
                    max_input_bytes_per_batch,
                    batch_input,
                })
            }
        };
        let item_reader = match fields.get("ItemReader") {
            None => None,
            Some(value) => {
                let at = fields.at("ItemReader");
                if !distributed {
                    self.error(
                        "The field 'ItemReader' is only supported when the ProcessorConfig's Mode is DISTRIBUTED",
                        at.clone(),
                    );
                }
                crate::item_reader::parse(value, &at, &mut self.diagnostics)
            }
        };
        let result_writer = fields.get("ResultWriter").cloned();
        let label = self.string(fields, "Label");
        let errors = self.error_handling(fields);
        let transition = self.transition(fields);
        Some(Map {
            data,
            items_path,
            jsonata,
            items,
            item_selector: selector.or(parameters),
            result_selector,
            processor: Arc::new(processor?),
            processor_is_iterator: processor_key == "Iterator",
            distributed,
            express_children,
            max_concurrency,
            tolerated_failure_count,
            tolerated_failure_percentage,
            batcher,
            item_reader,
            result_writer,
            label,
            errors,
            transition,
        })
    }

    fn choice(&mut self, fields: &mut Fields<'_>) -> Choice {
        self.required(fields, &["Choices"]);
        let (input_path, output_path) = self.paths(fields);
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
        fields.get("Comment");
        if self.jsonata {
            self.required(&fields, &["Condition"]);
            let condition = self.jsonata_template(&mut fields, "Condition");
            let assign = self
                .jsonata_template(&mut fields, "Assign")
                .map(Shape::Jsonata);
            let output = self.jsonata_template(&mut fields, "Output");
            self.finish(fields);
            return Some(ChoiceRule {
                condition: Condition::Jsonata(condition?),
                next: next?,
                assign,
                output,
            });
        }
        let condition = self.condition_fields(&mut fields);
        let assign = self.template(&mut fields, "Assign").map(Shape::JsonPath);
        self.finish(fields);
        Some(ChoiceRule {
            condition: condition?,
            next: next?,
            assign,
            output: None,
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
        for (name, path_name, comparison) in Comparison::ALL {
            if let Some(v) = fields.map.get(name) {
                if let Some(operand) = self.literal_operand(v, comparison, &fields.at(name), name) {
                    found.push((
                        name.to_string(),
                        Condition::Compare {
                            variable: variable_or_root.clone(),
                            operator: comparison,
                            operand,
                        },
                    ));
                }
            }
            if let Some(v) = fields.map.get(path_name) {
                match v.as_str().map(ReferencePath::parse) {
                    Some(Ok(p)) => found.push((
                        path_name.to_string(),
                        Condition::Compare {
                            variable: variable_or_root.clone(),
                            operator: comparison,
                            operand: Operand::Path(p),
                        },
                    )),
                    _ => self.error(
                        format!("The value for the field '{path_name}' must be a valid JSONPath"),
                        fields.at(path_name),
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
        for (name, path_name, _) in Comparison::ALL {
            fields.mark(name);
            fields.mark(path_name);
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

    /// InputPath and OutputPath (a JSONata state has neither).
    fn paths(&mut self, fields: &mut Fields<'_>) -> (DataPath, DataPath) {
        if self.jsonata {
            return (Some(JsonPath::whole()), Some(JsonPath::whole()));
        }
        (
            self.data_path(fields, "InputPath"),
            self.data_path(fields, "OutputPath"),
        )
    }

    fn wait(&mut self, fields: &mut Fields<'_>) -> Wait {
        let (input_path, output_path) = self.paths(fields);
        let mut options = Vec::new();
        if self.jsonata {
            if let Some(t) = self.jsonata_expression(fields, "Seconds") {
                options.push(WaitFor::SecondsJsonata(t));
            }
            if let Some(t) = self.jsonata_expression(fields, "Timestamp") {
                options.push(WaitFor::TimestampJsonata(t));
            }
        }
        if fields.map.contains_key("Seconds") && !fields.used.contains(&"Seconds") {
            match fields.get("Seconds").and_then(Value::as_u64) {
                Some(s) if s <= 99_999_999 => options.push(WaitFor::Seconds(s)),
                _ => self.error(
                    "The field 'Seconds' must be an integer between 0 and 99999999",
                    fields.at("Seconds"),
                ),
            }
        }
        if fields.map.contains_key("Timestamp") && !fields.used.contains(&"Timestamp") {
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
            if fields.map.contains_key(key) && !self.jsonata {
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
