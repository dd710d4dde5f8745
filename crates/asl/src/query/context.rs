//! What an expression reads besides the state's data: the context object (`$$`) and the
//! workflow variables (`$name`).
//!
//! The context object of a running state holds the whole execution input
//! (`$$.Execution.Input`). Built as JSON at every state visit and for every Map item, it made
//! a run cost the input's size times its states (a Map: the square of its items). So it is
//! built only when an expression reads it, once per visit, and the input is never copied
//! into it for the paths that need only part of it: `$$.Execution.Input…` reads the shared
//! input directly, `$$.State…` or `$$.Map…` read an object without the input, and only a path
//! that can return the input inside a larger object (`$$`, `$$.Execution`, `$$..x`) builds
//! the whole object.

use crate::clock::{format_timestamp, Millis};
use crate::history::Payload;
use crate::jsonpath::{JsonPath, PathError};
use crate::path::{ReferencePath, Root, Segment};
use serde_json::{json, Map, Value};
use std::borrow::Cow;
use std::cell::OnceCell;
use std::sync::Arc;

/// The variables in scope: shared, copied only when a state assigns one (copy on write).
pub type Variables = Arc<Map<String, Value>>;

/// What a path can read besides the state's data: the context object (`$$`) and the workflow
/// variables (`$name`).
#[derive(Debug, Clone, Default)]
pub struct Env {
    pub context: Context,
    pub variables: Variables,
}

impl Env {
    /// An environment with this context object and no variables.
    pub fn with_context(context: Value) -> Env {
        Env {
            context: Context::Given(Arc::new(context)),
            variables: Arc::default(),
        }
    }

    /// Evaluates a JSONPath: on the data, on the context object (`$$…`) or on a variable
    /// (`$name…`).
    pub fn evaluate(&self, path: &JsonPath, data: &Value) -> Result<Value, PathError> {
        match path.variable() {
            Some(name) => match self.variables.get(name) {
                Some(value) => path.evaluate(value),
                None => Err(PathError::NotFound {
                    path: path.as_str().to_string(),
                    message: format!("The variable '{name}' is not defined"),
                }),
            },
            None if path.is_context() => self.context.evaluate(path),
            None => path.evaluate(data),
        }
    }

    /// The node a reference path names in the data, the context object or a variable
    /// (borrowed, except a part of a context object built to be read).
    pub fn select<'v>(&'v self, path: &ReferencePath, data: &'v Value) -> Option<Cow<'v, Value>> {
        match &path.root {
            Root::Data => path.select(data).map(Cow::Borrowed),
            Root::Context => self.context.select(path),
            Root::Variable(name) => path.select(self.variables.get(name)?).map(Cow::Borrowed),
        }
    }

    /// The document a path starts from, whole (AWS quotes it when a path finds nothing).
    pub fn document(&self, path: &JsonPath, data: &Value) -> Value {
        match path.variable() {
            Some(name) => self.variables.get(name).cloned().unwrap_or(Value::Null),
            None if path.is_context() => self.context.whole().clone(),
            None => data.clone(),
        }
    }
}

/// The context object (`$$`).
#[derive(Debug, Clone)]
pub enum Context {
    /// Given whole: TestState's `context`, tests.
    Given(Arc<Value>),
    /// A running state's, built when read.
    State(Arc<StateContext>),
}

impl Default for Context {
    fn default() -> Self {
        Context::Given(Arc::new(Value::Object(Map::new())))
    }
}

/// The execution's part of the context object: the same for every state of a run.
#[derive(Debug, Clone)]
pub struct ExecutionContext {
    pub id: String,
    pub name: String,
    pub role_arn: String,
    pub start_time: Millis,
    pub state_machine_id: String,
    pub state_machine_name: String,
    /// `$$.Execution.Input`: the execution's input, shared.
    pub input: Payload,
    /// `$$.Execution.RedriveCount` and `RedriveTime`: how often RedriveExecution continued
    /// this run, and when it last did. Left out of the object until a first redrive, as the
    /// recorded contexts of runs never redriven have neither.
    pub redrive: Option<(u64, Millis)>,
}

/// A state visit's context object.
#[derive(Debug)]
pub struct StateContext {
    pub execution: Arc<ExecutionContext>,
    pub state: Arc<str>,
    pub entered_time: Millis,
    pub retry_count: u64,
    /// `$$.Map.Item`: the index and value of the item an ItemSelector is evaluated for.
    pub map_item: Option<(usize, Value)>,
    /// The whole object, input included.
    whole: OnceCell<Value>,
}

impl StateContext {
    pub fn new(
        execution: Arc<ExecutionContext>,
        state: Arc<str>,
        entered_time: Millis,
        retry_count: u64,
        map_item: Option<(usize, Value)>,
    ) -> StateContext {
        StateContext {
            execution,
            state,
            entered_time,
            retry_count,
            map_item,
            whole: OnceCell::new(),
        }
    }

    /// The context object with only the members in `only` (all when `None`), and `input` as
    /// the execution input.
    fn build(&self, input: Value, only: Option<&str>) -> Value {
        let e = &self.execution;
        let wanted = |member: &str| only.is_none_or(|o| o == member);
        let mut context = Map::new();
        if wanted("Execution") {
            let mut execution = json!({
                "Id": e.id,
                "Input": input,
                "Name": e.name,
                "RoleArn": e.role_arn,
                "StartTime": format_timestamp(e.start_time),
            });
            if let (Some((count, time)), Value::Object(fields)) = (e.redrive, &mut execution) {
                fields.insert("RedriveCount".into(), json!(count));
                fields.insert("RedriveTime".into(), json!(format_timestamp(time)));
            }
            context.insert("Execution".into(), execution);
        }
        if wanted("State") {
            context.insert(
                "State".into(),
                json!({
                    "EnteredTime": format_timestamp(self.entered_time),
                    "Name": &*self.state,
                    "RetryCount": self.retry_count,
                }),
            );
        }
        if wanted("StateMachine") {
            context.insert(
                "StateMachine".into(),
                json!({ "Id": e.state_machine_id, "Name": e.state_machine_name }),
            );
        }
        if let Some((index, value)) = self.map_item.as_ref().filter(|_| wanted("Map")) {
            context.insert(
                "Map".into(),
                json!({ "Item": { "Index": index, "Value": value } }),
            );
        }
        Value::Object(context)
    }

    /// The one member a path reads (`$$.Map…` needs only `Map`), the execution input left
    /// out; built again at each read, as it is small.
    fn member(&self, name: &str) -> Value {
        self.build(Value::Null, Some(name))
    }

    /// The whole object, as a value of its own.
    pub fn to_value(&self) -> Value {
        self.whole().clone()
    }

    fn whole(&self) -> &Value {
        self.whole
            .get_or_init(|| self.build((*self.execution.input).clone(), None))
    }
}

/// How much of the context object a path needs.
enum Need<'p> {
    /// `$$.Execution.Input…`: the rest of the path, on the execution input.
    Input,
    /// One member that does not hold the input (`$$.State.Name`, `$$.Map.Item.Value`,
    /// `$$.Execution.Id` …).
    Member(&'p str),
    /// `$$`, `$$.Execution`, `$$..x`, bracket forms: the whole object.
    Whole,
}

/// What a `$$…` path needs, from its text: a dot-name ends at `.`, `[` or a space.
fn need(text: &str) -> Need<'_> {
    let Some(rest) = text.strip_prefix("$$.") else {
        return Need::Whole;
    };
    let name_end = |s: &str| s.find(['.', '[', ' ']).unwrap_or(s.len());
    let first = &rest[..name_end(rest)];
    if first.is_empty() || first == "*" {
        return Need::Whole;
    }
    if first != "Execution" {
        return Need::Member(first);
    }
    let Some(rest) = rest[first.len()..].strip_prefix('.') else {
        return Need::Whole;
    };
    match &rest[..name_end(rest)] {
        "Input" => Need::Input,
        "" | "*" => Need::Whole,
        _ => Need::Member("Execution"),
    }
}

impl Context {
    /// The whole object (AWS quotes it when a path finds nothing in it).
    pub fn whole(&self) -> &Value {
        match self {
            Context::Given(value) => value,
            Context::State(state) => state.whole(),
        }
    }

    /// Evaluates a `$$…` path.
    pub fn evaluate(&self, path: &JsonPath) -> Result<Value, PathError> {
        let Context::State(state) = self else {
            return path.evaluate(self.whole());
        };
        match need(path.as_str()) {
            Need::Input => match path.on_execution_input() {
                Some(on_input) => on_input
                    .evaluate(&state.execution.input)
                    // The error, worded for the path as written.
                    .or_else(|_| path.evaluate(state.whole())),
                None => path.evaluate(state.whole()),
            },
            Need::Member(name) => path.evaluate(&state.member(name)),
            Need::Whole => path.evaluate(state.whole()),
        }
    }

    /// The node a `$$…` reference path names (a copy: a context object is built to be read).
    pub fn select(&self, path: &ReferencePath) -> Option<Cow<'_, Value>> {
        let Context::State(state) = self else {
            return path.select(self.whole()).map(Cow::Borrowed);
        };
        let field = |i: usize| match path.segments.get(i) {
            Some(Segment::Field(name)) => Some(name.as_str()),
            _ => None,
        };
        match (field(0), field(1)) {
            (Some("Execution"), Some("Input")) => {
                select_segments(&path.segments[2..], &state.execution.input).map(Cow::Borrowed)
            }
            (Some("Execution"), None) | (None, _) => path.select(state.whole()).map(Cow::Borrowed),
            (Some(member), _) => path.select(&state.member(member)).cloned().map(Cow::Owned),
        }
    }
}

fn select_segments<'v>(segments: &[Segment], value: &'v Value) -> Option<&'v Value> {
    segments
        .iter()
        .try_fold(value, |node, segment| match (segment, node) {
            (Segment::Field(name), Value::Object(map)) => map.get(name),
            (Segment::Index(i), Value::Array(items)) => items.get(*i),
            _ => None,
        })
}

#[cfg(test)]
mod tests {
    use super::*;

    fn context() -> Context {
        let execution = ExecutionContext {
            id: "arn:x".into(),
            name: "run".into(),
            role_arn: "arn:role".into(),
            start_time: 0,
            state_machine_id: "arn:sm".into(),
            state_machine_name: "SM".into(),
            input: Arc::new(json!({"a": [1, 2, {"b": 3}]})),
            redrive: None,
        };
        Context::State(Arc::new(StateContext::new(
            Arc::new(execution),
            "S".into(),
            1000,
            2,
            Some((4, json!("item"))),
        )))
    }

    fn eval(text: &str) -> Result<Value, PathError> {
        context().evaluate(&JsonPath::parse(text).unwrap())
    }

    #[test]
    fn every_kind_of_path_reads_what_the_whole_object_holds() {
        let c = context();
        for text in [
            "$$",
            "$$.Execution",
            "$$.Execution.Input",
            "$$.Execution.Input.a[2].b",
            "$$.Execution.Input.a[*]",
            "$$.Execution.Input..b",
            "$$.Execution.Name",
            "$$.State.RetryCount",
            "$$.Map.Item",
            "$$.Map.Item.Value",
            "$$..Name",
            "$$['Execution']['Input']['a'][0]",
            "$$.Execution.*",
            "$$.*",
        ] {
            let path = JsonPath::parse(text).unwrap();
            assert_eq!(eval(text), path.evaluate(c.whole()), "{text}");
        }
    }

    #[test]
    fn a_missing_input_field_is_reported_for_the_path_as_written() {
        let err = eval("$$.Execution.Input.nope").unwrap_err();
        assert_eq!(
            err.cause(),
            "Invalid path '$$.Execution.Input.nope' : No results for path: $['Execution']['Input']['nope']"
        );
    }

    #[test]
    fn reference_paths_read_the_same_nodes() {
        let c = context();
        for text in [
            "$$.Execution.Input",
            "$$.Execution.Input.a[1]",
            "$$.Execution",
            "$$.State.Name",
            "$$.Map.Item.Index",
            "$$",
            "$$.Execution.Input.nope",
        ] {
            let path = ReferencePath::parse(text).unwrap();
            assert_eq!(c.select(&path).as_deref(), path.select(c.whole()), "{text}");
        }
    }

    #[test]
    fn the_input_is_not_copied_for_paths_that_do_not_need_it() {
        let c = context();
        c.evaluate(&JsonPath::parse("$$.State.Name").unwrap())
            .unwrap();
        c.evaluate(&JsonPath::parse("$$.Execution.Input.a").unwrap())
            .unwrap();
        let Context::State(state) = &c else {
            unreachable!()
        };
        assert!(state.whole.get().is_none());
    }
}
