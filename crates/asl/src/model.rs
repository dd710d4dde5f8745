//! The typed model of a state machine: what [`crate::parse`] builds from JSON and what the
//! execution walks. Field names follow the Amazon States Language.

use crate::path::ReferencePath;
use indexmap::IndexMap;
use serde_json::Value;

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
        match &self.kind {
            StateKind::Pass(s) => from_transition(&s.transition),
            StateKind::Task(s) => from_transition(&s.transition),
            StateKind::Wait(s) => from_transition(&s.transition),
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
            StateKind::Succeed(_) | StateKind::Fail(_) => vec![],
        }
    }

    /// Whether the execution can end at this state (End: true, Succeed or Fail).
    pub fn is_terminal(&self) -> bool {
        match &self.kind {
            StateKind::Pass(s) => s.transition == Transition::End,
            StateKind::Task(s) => s.transition == Transition::End,
            StateKind::Wait(s) => s.transition == Transition::End,
            StateKind::Choice(_) => false,
            StateKind::Succeed(_) | StateKind::Fail(_) => true,
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
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Transition {
    Next(String),
    End,
}

/// InputPath and OutputPath: a path, or `null` (the state sees / passes on `{}`).
/// Absent means `$`.
pub type DataPath = Option<ReferencePath>;

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
            input_path: Some(ReferencePath::root()),
            result_path: Some(ReferencePath::root()),
            output_path: Some(ReferencePath::root()),
        }
    }
}

#[derive(Debug, Clone, PartialEq)]
pub struct Pass {
    pub data: DataFlow,
    pub result: Option<Value>,
    pub transition: Transition,
}

#[derive(Debug, Clone, PartialEq)]
pub struct Task {
    pub resource: String,
    pub data: DataFlow,
    pub timeout_seconds: Option<u64>,
    pub transition: Transition,
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
    pub error: Option<String>,
    pub cause: Option<String>,
}
