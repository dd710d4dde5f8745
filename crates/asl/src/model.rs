//! The typed model of a state machine: what [`crate::parse`] builds from JSON and what the
//! execution walks. Field names follow the Amazon States Language.

use crate::jsonata::JsonataTemplate;
use crate::jsonpath::JsonPath;
use crate::path::ReferencePath;
use crate::template::Template;
use indexmap::IndexMap;
use serde_json::Value;
use std::sync::Arc;

#[derive(Debug, Clone, PartialEq)]
pub struct StateMachine {
    pub comment: Option<String>,
    pub start_at: String,
    /// In definition order.
    pub states: IndexMap<String, State>,
    pub timeout_seconds: Option<u64>,
    pub version: Option<String>,
}

impl StateMachine {
    pub fn state(&self, name: &str) -> Option<&State> {
        self.states.get(name)
    }

    /// The Parallel or Map that directly holds the state named `name`, with the index of the
    /// branch it is in (always 0 in a Map's processor); `None` at the top level.
    pub fn enclosing(&self, name: &str) -> Option<(&str, usize)> {
        self.states.iter().find_map(|(container, s)| match &s.kind {
            StateKind::Parallel(p) => p.branches.iter().enumerate().find_map(|(i, b)| {
                if b.states.contains_key(name) {
                    Some((container.as_str(), i))
                } else {
                    b.enclosing(name)
                }
            }),
            StateKind::Map(m) if m.processor.states.contains_key(name) => {
                Some((container.as_str(), 0))
            }
            StateKind::Map(m) => m.processor.enclosing(name),
            _ => None,
        })
    }

    /// The state named `name` at any depth: at the top level or inside a Parallel's branch
    /// or a Map's processor (names are unique across a whole machine).
    pub fn find(&self, name: &str) -> Option<&State> {
        self.states.get(name).or_else(|| {
            self.states.values().find_map(|s| match &s.kind {
                StateKind::Parallel(p) => p.branches.iter().find_map(|b| b.find(name)),
                StateKind::Map(m) => m.processor.find(name),
                _ => None,
            })
        })
    }
}

#[derive(Debug, Clone, PartialEq)]
pub struct State {
    pub comment: Option<String>,
    /// The state's own QueryLanguage, or the machine's.
    pub query_language: QueryLanguage,
    /// Workflow variables to set when the state ends normally (`Assign`).
    pub assign: Option<Assign>,
    /// A JSONata state's Arguments and Output (`None` in a JSONPath state).
    pub jsonata: Option<JsonataFields>,
    pub kind: StateKind,
}

/// The language a state's fields are written in.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum QueryLanguage {
    #[default]
    JsonPath,
    Jsonata,
}

/// The data-flow fields only a JSONata state has.
#[derive(Debug, Clone, PartialEq, Default)]
pub struct JsonataFields {
    /// The effective input of a Task (its parameters) or of a Parallel's branches.
    pub arguments: Option<JsonataTemplate>,
    /// The state's output (by default, its result; a state without one, its input).
    pub output: Option<JsonataTemplate>,
}

/// A payload template in either language: Assign, ItemSelector.
#[derive(Debug, Clone, PartialEq)]
pub enum Shape {
    /// `.$` fields (JSONPath states).
    JsonPath(Template),
    /// `{% … %}` strings (JSONata states).
    Jsonata(JsonataTemplate),
}

impl Shape {
    /// As written.
    pub fn as_value(&self) -> &Value {
        match self {
            Shape::JsonPath(t) => t.as_value(),
            Shape::Jsonata(t) => t.as_value(),
        }
    }
}

/// Workflow variables to set: `Assign`, in the state's language.
pub type Assign = Shape;

/// The kind of a state, with the fields only that kind has.
#[derive(Debug, Clone, PartialEq)]
pub enum StateKind {
    Pass(Pass),
    Task(Task),
    Choice(Choice),
    Wait(Wait),
    Succeed(Succeed),
    Fail(Fail),
    Parallel(Parallel),
    /// Boxed: a Map state carries far more than the others.
    Map(Box<Map>),
}

/// The value of a state's `Type` field.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, serde::Serialize, serde::Deserialize)]
pub enum StateType {
    Pass,
    Task,
    Choice,
    Wait,
    Succeed,
    Fail,
    Parallel,
    Map,
}

impl StateType {
    pub const ALL: [StateType; 8] = [
        StateType::Task,
        StateType::Wait,
        StateType::Pass,
        StateType::Succeed,
        StateType::Fail,
        StateType::Choice,
        StateType::Parallel,
        StateType::Map,
    ];

    pub fn as_str(self) -> &'static str {
        match self {
            StateType::Pass => "Pass",
            StateType::Task => "Task",
            StateType::Choice => "Choice",
            StateType::Wait => "Wait",
            StateType::Succeed => "Succeed",
            StateType::Fail => "Fail",
            StateType::Parallel => "Parallel",
            StateType::Map => "Map",
        }
    }

    pub fn parse(s: &str) -> Option<StateType> {
        StateType::ALL.into_iter().find(|t| t.as_str() == s)
    }
}

impl State {
    pub fn state_type(&self) -> StateType {
        match self.kind {
            StateKind::Pass(_) => StateType::Pass,
            StateKind::Task(_) => StateType::Task,
            StateKind::Choice(_) => StateType::Choice,
            StateKind::Wait(_) => StateType::Wait,
            StateKind::Succeed(_) => StateType::Succeed,
            StateKind::Fail(_) => StateType::Fail,
            StateKind::Parallel(_) => StateType::Parallel,
            StateKind::Map(_) => StateType::Map,
        }
    }

    /// Where the state goes when it ends normally (`None` for Choice, Succeed and Fail).
    pub fn transition(&self) -> Option<&Transition> {
        match &self.kind {
            StateKind::Pass(s) => Some(&s.transition),
            StateKind::Task(s) => Some(&s.transition),
            StateKind::Wait(s) => Some(&s.transition),
            StateKind::Parallel(s) => Some(&s.transition),
            StateKind::Map(s) => Some(&s.transition),
            StateKind::Choice(_) | StateKind::Succeed(_) | StateKind::Fail(_) => None,
        }
    }

    /// The Catch clauses of a state that can have them.
    pub fn catchers(&self) -> &[Catcher] {
        match &self.kind {
            StateKind::Task(s) => &s.errors.catch,
            StateKind::Parallel(s) => &s.errors.catch,
            StateKind::Map(s) => &s.errors.catch,
            _ => &[],
        }
    }

    /// Every state this one can go to next, with the field that names it (for validation
    /// and for drawing edges).
    pub fn successors(&self) -> Vec<(&str, Successor)> {
        fn from_transition(t: &Transition) -> Vec<(&str, Successor)> {
            match t {
                Transition::Next(next) => vec![(next.as_str(), Successor::Next)],
                Transition::End => vec![],
            }
        }
        let mut out = match &self.kind {
            StateKind::Choice(c) => {
                let mut out: Vec<_> = c
                    .choices
                    .iter()
                    .enumerate()
                    .map(|(i, r)| (r.next.as_str(), Successor::Choice(i)))
                    .collect();
                if let Some(default) = &c.default {
                    out.push((default.as_str(), Successor::Default));
                }
                out
            }
            _ => self.transition().map(from_transition).unwrap_or_default(),
        };
        out.extend(
            self.catchers()
                .iter()
                .enumerate()
                .map(|(i, c)| (c.next.as_str(), Successor::Catch(i))),
        );
        out
    }

    /// The fields that shape this state's data flow (see [`crate::dataflow`]).
    pub fn io(&self) -> crate::dataflow::Io<'_> {
        use crate::dataflow::{Io, JsonPathIo, JsonataIo};
        if let Some(fields) = &self.jsonata {
            return Io::Jsonata(JsonataIo {
                arguments: fields.arguments.as_ref(),
                output: fields.output.as_ref(),
                has_result: matches!(
                    self.kind,
                    StateKind::Pass(_)
                        | StateKind::Task(_)
                        | StateKind::Parallel(_)
                        | StateKind::Map(_)
                ),
            });
        }
        fn with_result(data: &DataFlow) -> JsonPathIo<'_> {
            JsonPathIo {
                input_path: Some(&data.input_path),
                result_path: Some(&data.result_path),
                output_path: Some(&data.output_path),
                has_result: true,
                ..Default::default()
            }
        }
        let paths = |input_path, output_path| JsonPathIo {
            input_path: Some(input_path),
            output_path: Some(output_path),
            ..Default::default()
        };
        Io::JsonPath(match &self.kind {
            StateKind::Pass(s) => JsonPathIo {
                parameters: s.parameters.as_ref(),
                ..with_result(&s.data)
            },
            StateKind::Task(s) => JsonPathIo {
                parameters: s.parameters.as_ref(),
                result_selector: s.result_selector.as_ref(),
                ..with_result(&s.data)
            },
            StateKind::Parallel(s) => JsonPathIo {
                parameters: s.parameters.as_ref(),
                result_selector: s.result_selector.as_ref(),
                ..with_result(&s.data)
            },
            StateKind::Map(s) => JsonPathIo {
                result_selector: s.result_selector.as_ref(),
                ..with_result(&s.data)
            },
            StateKind::Choice(s) => paths(&s.input_path, &s.output_path),
            StateKind::Wait(s) => paths(&s.input_path, &s.output_path),
            StateKind::Succeed(s) => paths(&s.input_path, &s.output_path),
            StateKind::Fail(_) => JsonPathIo::default(),
        })
    }

    /// Whether the execution can end at this state (End: true, Succeed or Fail).
    pub fn is_terminal(&self) -> bool {
        match &self.kind {
            StateKind::Succeed(_) | StateKind::Fail(_) => true,
            _ => self.transition() == Some(&Transition::End),
        }
    }
}

/// Which field of a state names a successor.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Successor {
    Next,
    /// The Choice rule at this index.
    Choice(usize),
    Default,
    /// The Catch clause at this index.
    Catch(usize),
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Transition {
    Next(String),
    End,
}

/// InputPath and OutputPath: a path, or `null` (the state sees / passes on `{}`).
/// Absent means `$`.
pub type DataPath = Option<JsonPath>;

/// InputPath, ResultPath and OutputPath of a state that produces a result.
#[derive(Debug, Clone, PartialEq)]
pub struct DataFlow {
    pub input_path: DataPath,
    /// `None` is `"ResultPath": null`: the result is discarded and the input passes through.
    pub result_path: Option<ReferencePath>,
    pub output_path: DataPath,
}

impl Default for DataFlow {
    fn default() -> Self {
        DataFlow {
            input_path: Some(JsonPath::whole()),
            result_path: Some(ReferencePath::root()),
            output_path: Some(JsonPath::whole()),
        }
    }
}

#[derive(Debug, Clone, PartialEq)]
pub struct Pass {
    pub data: DataFlow,
    pub parameters: Option<Template>,
    pub result: Option<Value>,
    pub transition: Transition,
}

#[derive(Debug, Clone, PartialEq)]
pub struct Task {
    pub resource: String,
    pub data: DataFlow,
    pub parameters: Option<Template>,
    pub result_selector: Option<Template>,
    pub timeout: Option<Seconds>,
    pub heartbeat: Option<Seconds>,
    pub errors: ErrorHandling,
    pub transition: Transition,
}

/// TimeoutSeconds / HeartbeatSeconds, or their `…Path` forms.
#[derive(Debug, Clone, PartialEq)]
pub enum Seconds {
    Fixed(u64),
    Path(ReferencePath),
    /// A JSONata expression.
    Jsonata(JsonataTemplate),
}

/// Retry and Catch of a Task, Parallel or Map state.
#[derive(Debug, Clone, PartialEq, Default)]
pub struct ErrorHandling {
    pub retry: Vec<Retrier>,
    pub catch: Vec<Catcher>,
}

#[derive(Debug, Clone, PartialEq)]
pub struct Retrier {
    pub error_equals: Vec<String>,
    pub interval_seconds: u64,
    pub max_attempts: u64,
    pub backoff_rate: f64,
    pub max_delay_seconds: Option<u64>,
    pub jitter: Jitter,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Jitter {
    None,
    Full,
}

#[derive(Debug, Clone, PartialEq)]
pub struct Catcher {
    pub error_equals: Vec<String>,
    /// Where the error output (`{"Error", "Cause"}`) goes in the state's input; `None` is null.
    pub result_path: Option<ReferencePath>,
    pub next: String,
    /// Variables to set from the error output when this catcher takes the error.
    pub assign: Option<Assign>,
    /// A JSONata state's catcher: its output, from `$states.errorOutput` (ResultPath's part).
    pub output: Option<JsonataTemplate>,
}

/// Runs every branch on the same input; the output is the array of the branches' outputs.
#[derive(Debug, Clone, PartialEq)]
pub struct Parallel {
    pub data: DataFlow,
    pub parameters: Option<Template>,
    pub result_selector: Option<Template>,
    pub branches: Vec<Arc<StateMachine>>,
    pub errors: ErrorHandling,
    pub transition: Transition,
}

/// Runs the item processor once per item of an array.
#[derive(Debug, Clone, PartialEq)]
pub struct Map {
    pub data: DataFlow,
    pub items_path: ReferencePath,
    /// A JSONata Map: its items are `Items` (by default its input), not ItemsPath's.
    pub jsonata: bool,
    /// A JSONata Map's `Items`: the array to iterate (in JSONPath, ItemsPath).
    pub items: Option<JsonataTemplate>,
    /// ItemSelector, or the older Parameters.
    pub item_selector: Option<Shape>,
    pub result_selector: Option<Template>,
    /// ItemProcessor, or the older Iterator.
    pub processor: Arc<StateMachine>,
    /// Written with the older field name `Iterator` (kept for locating diagnostics).
    pub processor_is_iterator: bool,
    pub distributed: bool,
    /// A Distributed Map's child workflows are Express (`ProcessorConfig.ExecutionType`):
    /// a redrive starts its unsuccessful ones afresh rather than redriving them.
    pub express_children: bool,
    pub max_concurrency: Option<Count>,
    pub tolerated_failure_count: Option<Count>,
    pub tolerated_failure_percentage: Option<Count>,
    pub batcher: Option<ItemBatcher>,
    /// A Distributed Map's ItemReader: its items come from an S3 object, not its input.
    pub item_reader: Option<crate::item_reader::ItemReader>,
    /// A Distributed Map's ResultWriter (where AWS writes the results in S3), as written.
    pub result_writer: Option<Value>,
    pub label: Option<String>,
    pub errors: ErrorHandling,
    pub transition: Transition,
}

/// A number given directly or read from the input by a path (`MaxConcurrencyPath` …).
#[derive(Debug, Clone, PartialEq)]
pub enum Count {
    Fixed(f64),
    Path(ReferencePath),
    /// A JSONata expression.
    Jsonata(JsonataTemplate),
}

#[derive(Debug, Clone, PartialEq)]
pub struct ItemBatcher {
    pub max_items_per_batch: Option<Count>,
    pub max_input_bytes_per_batch: Option<Count>,
    pub batch_input: Option<Template>,
}

#[derive(Debug, Clone, PartialEq)]
pub struct Choice {
    pub input_path: DataPath,
    pub output_path: DataPath,
    pub choices: Vec<ChoiceRule>,
    pub default: Option<String>,
}

#[derive(Debug, Clone, PartialEq)]
pub struct ChoiceRule {
    pub condition: Condition,
    pub next: String,
    /// Replaces the state's `Assign` when this rule is the one taken.
    pub assign: Option<Assign>,
    /// A JSONata rule's Output: replaces the state's when this rule is taken.
    pub output: Option<JsonataTemplate>,
}

/// A Boolean expression of a Choice rule.
#[derive(Debug, Clone, PartialEq)]
pub enum Condition {
    And(Vec<Condition>),
    Or(Vec<Condition>),
    Not(Box<Condition>),
    /// `Variable` compared by `operator` to a literal or to another path (`…Path` operators).
    Compare {
        variable: ReferencePath,
        operator: Comparison,
        operand: Operand,
    },
    /// A JSONata rule's `Condition`: true when the expression gives `true`.
    Jsonata(JsonataTemplate),
    /// `IsNull`, `IsPresent`, … with the expected Boolean.
    Test {
        variable: ReferencePath,
        test: TypeTest,
        expected: bool,
    },
}

#[derive(Debug, Clone, PartialEq)]
pub enum Operand {
    Literal(Value),
    Path(ReferencePath),
}

/// The data type a comparison works on.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Kind {
    String,
    Numeric,
    Boolean,
    Timestamp,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Relation {
    Equals,
    LessThan,
    GreaterThan,
    LessThanEquals,
    GreaterThanEquals,
    /// `StringMatches`, with `*` wildcards.
    Matches,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Comparison {
    pub kind: Kind,
    pub relation: Relation,
}

impl Comparison {
    /// Every comparison operator: its name, its `Path` form's, and what it compares, in the
    /// order of [`Comparison::all`]. A table, not built per use: a Choice rule is checked
    /// against every one, and a 2,000-rule Choice formatted these names 100,000 times.
    pub const ALL: [(&'static str, &'static str, Comparison); 17] = [
        (
            "StringEquals",
            "StringEqualsPath",
            Comparison {
                kind: Kind::String,
                relation: Relation::Equals,
            },
        ),
        (
            "StringLessThan",
            "StringLessThanPath",
            Comparison {
                kind: Kind::String,
                relation: Relation::LessThan,
            },
        ),
        (
            "StringGreaterThan",
            "StringGreaterThanPath",
            Comparison {
                kind: Kind::String,
                relation: Relation::GreaterThan,
            },
        ),
        (
            "StringLessThanEquals",
            "StringLessThanEqualsPath",
            Comparison {
                kind: Kind::String,
                relation: Relation::LessThanEquals,
            },
        ),
        (
            "StringGreaterThanEquals",
            "StringGreaterThanEqualsPath",
            Comparison {
                kind: Kind::String,
                relation: Relation::GreaterThanEquals,
            },
        ),
        (
            "NumericEquals",
            "NumericEqualsPath",
            Comparison {
                kind: Kind::Numeric,
                relation: Relation::Equals,
            },
        ),
        (
            "NumericLessThan",
            "NumericLessThanPath",
            Comparison {
                kind: Kind::Numeric,
                relation: Relation::LessThan,
            },
        ),
        (
            "NumericGreaterThan",
            "NumericGreaterThanPath",
            Comparison {
                kind: Kind::Numeric,
                relation: Relation::GreaterThan,
            },
        ),
        (
            "NumericLessThanEquals",
            "NumericLessThanEqualsPath",
            Comparison {
                kind: Kind::Numeric,
                relation: Relation::LessThanEquals,
            },
        ),
        (
            "NumericGreaterThanEquals",
            "NumericGreaterThanEqualsPath",
            Comparison {
                kind: Kind::Numeric,
                relation: Relation::GreaterThanEquals,
            },
        ),
        (
            "BooleanEquals",
            "BooleanEqualsPath",
            Comparison {
                kind: Kind::Boolean,
                relation: Relation::Equals,
            },
        ),
        (
            "TimestampEquals",
            "TimestampEqualsPath",
            Comparison {
                kind: Kind::Timestamp,
                relation: Relation::Equals,
            },
        ),
        (
            "TimestampLessThan",
            "TimestampLessThanPath",
            Comparison {
                kind: Kind::Timestamp,
                relation: Relation::LessThan,
            },
        ),
        (
            "TimestampGreaterThan",
            "TimestampGreaterThanPath",
            Comparison {
                kind: Kind::Timestamp,
                relation: Relation::GreaterThan,
            },
        ),
        (
            "TimestampLessThanEquals",
            "TimestampLessThanEqualsPath",
            Comparison {
                kind: Kind::Timestamp,
                relation: Relation::LessThanEquals,
            },
        ),
        (
            "TimestampGreaterThanEquals",
            "TimestampGreaterThanEqualsPath",
            Comparison {
                kind: Kind::Timestamp,
                relation: Relation::GreaterThanEquals,
            },
        ),
        (
            "StringMatches",
            "StringMatchesPath",
            Comparison {
                kind: Kind::String,
                relation: Relation::Matches,
            },
        ),
    ];

    /// Every comparison operator's name, without the `Path` suffix.
    pub fn all() -> Vec<(String, Comparison)> {
        let kinds = [
            (Kind::String, "String"),
            (Kind::Numeric, "Numeric"),
            (Kind::Boolean, "Boolean"),
            (Kind::Timestamp, "Timestamp"),
        ];
        let relations = [
            (Relation::Equals, "Equals"),
            (Relation::LessThan, "LessThan"),
            (Relation::GreaterThan, "GreaterThan"),
            (Relation::LessThanEquals, "LessThanEquals"),
            (Relation::GreaterThanEquals, "GreaterThanEquals"),
        ];
        let mut out = Vec::new();
        for (kind, kname) in kinds {
            for (relation, rname) in relations {
                if kind == Kind::Boolean && relation != Relation::Equals {
                    continue;
                }
                out.push((format!("{kname}{rname}"), Comparison { kind, relation }));
            }
        }
        out.push((
            "StringMatches".into(),
            Comparison {
                kind: Kind::String,
                relation: Relation::Matches,
            },
        ));
        out
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum TypeTest {
    IsNull,
    IsPresent,
    IsNumeric,
    IsString,
    IsBoolean,
    IsTimestamp,
}

impl TypeTest {
    pub const ALL: [(TypeTest, &'static str); 6] = [
        (TypeTest::IsNull, "IsNull"),
        (TypeTest::IsPresent, "IsPresent"),
        (TypeTest::IsNumeric, "IsNumeric"),
        (TypeTest::IsString, "IsString"),
        (TypeTest::IsBoolean, "IsBoolean"),
        (TypeTest::IsTimestamp, "IsTimestamp"),
    ];
}

#[derive(Debug, Clone, PartialEq)]
pub struct Wait {
    pub input_path: DataPath,
    pub output_path: DataPath,
    pub duration: WaitFor,
    pub transition: Transition,
}

#[derive(Debug, Clone, PartialEq)]
pub enum WaitFor {
    Seconds(u64),
    SecondsPath(ReferencePath),
    /// Milliseconds since the Unix epoch, and the text as written.
    Timestamp(i64, String),
    TimestampPath(ReferencePath),
    /// A JSONata state's `Seconds` expression.
    SecondsJsonata(JsonataTemplate),
    /// A JSONata state's `Timestamp` expression.
    TimestampJsonata(JsonataTemplate),
}

#[derive(Debug, Clone, PartialEq)]
pub struct Succeed {
    pub input_path: DataPath,
    pub output_path: DataPath,
}

#[derive(Debug, Clone, PartialEq)]
pub struct Fail {
    pub error: Option<Text>,
    pub cause: Option<Text>,
}

/// Fail's Error and Cause: literal text, or read from the input (`ErrorPath`, `CausePath`:
/// a path or an intrinsic call, evaluated like a template value).
#[derive(Debug, Clone, PartialEq)]
pub enum Text {
    Literal(String),
    Dynamic(Template),
    /// A JSONata state's `{% … %}` Error or Cause.
    Jsonata(JsonataTemplate),
}

#[cfg(test)]
mod tests {
    use super::Comparison;

    #[test]
    fn the_operator_table_is_every_operator_in_order() {
        let table: Vec<(String, String, Comparison)> = Comparison::ALL
            .iter()
            .map(|(name, path, c)| (name.to_string(), path.to_string(), *c))
            .collect();
        let built: Vec<(String, String, Comparison)> = Comparison::all()
            .into_iter()
            .map(|(name, c)| (name.clone(), format!("{name}Path"), c))
            .collect();
        assert_eq!(table, built);
    }
}
