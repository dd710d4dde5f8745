//! The typed model of a state machine: what [`crate::parse`] builds from JSON and what the
//! execution walks. Field names follow the Amazon States Language.

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
}

#[derive(Debug, Clone, PartialEq)]
pub struct State {
    pub comment: Option<String>,
    /// Workflow variables to set when the state ends normally (`Assign`).
    pub assign: Option<Template>,
    pub kind: StateKind,
}

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
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
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
        use crate::dataflow::{Io, JsonPathIo};
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
    pub assign: Option<Template>,
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
    /// ItemSelector, or the older Parameters.
    pub item_selector: Option<Template>,
    pub result_selector: Option<Template>,
    /// ItemProcessor, or the older Iterator.
    pub processor: Arc<StateMachine>,
    /// Written with the older field name `Iterator` (kept for locating diagnostics).
    pub processor_is_iterator: bool,
    pub distributed: bool,
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
    pub assign: Option<Template>,
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
}
