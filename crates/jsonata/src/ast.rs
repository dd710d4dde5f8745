//! The syntax tree, as the parser leaves it after jsonata-js's `processAST` pass.

use std::cell::RefCell;
use std::rc::Rc;

use crate::signature::Signature;
use crate::value::RegexDef;

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Kind {
    Path,
    Binary,
    Unary,
    Name,
    Str,
    Num,
    Value,
    Wildcard,
    Descendant,
    Parent,
    Condition,
    Block,
    Bind,
    Regex,
    Function,
    Partial,
    Variable,
    Lambda,
    Apply,
    Transform,
    Sort,
    Operator,
    Coalesce,
}

#[derive(Debug)]
pub struct SlotData {
    pub label: String,
    pub level: i32,
}
pub type Slot = Rc<RefCell<SlotData>>;

/// A group-by: its key/value pairs and its position.
pub type Group = (Vec<(Node, Node)>, usize);

#[derive(Clone)]
pub enum Stage {
    Filter(Box<Node>),
    Index(Rc<str>),
}

#[derive(Clone)]
pub struct LambdaDef {
    pub params: Rc<Vec<Rc<str>>>,
    pub signature: Option<Rc<Signature>>,
    pub body: Node,
    pub thunk: bool,
}

#[derive(Clone, Default)]
pub enum Literal {
    #[default]
    None,
    Null,
    Bool(bool),
    Num(f64),
    Str(Rc<str>),
}

#[derive(Clone)]
pub struct Node {
    pub kind: Kind,
    /// Operator or name or variable name.
    pub value: Rc<str>,
    pub lit: Literal,
    pub position: usize,
    pub lhs: Option<Box<Node>>,
    pub rhs: Option<Box<Node>>,
    pub expression: Option<Box<Node>>,
    pub expressions: Vec<Node>,
    pub steps: Vec<Node>,
    /// Object constructor pairs (unary `{`), or the raw rhs of a group-by while parsing.
    pub pairs: Vec<(Node, Node)>,
    pub group: Option<Rc<Group>>,
    pub predicate: Vec<Stage>,
    pub stages: Vec<Stage>,
    /// Sort terms: (descending, expression).
    pub terms: Vec<(bool, Node)>,
    pub arguments: Vec<Node>,
    pub procedure: Option<Box<Node>>,
    pub condition: Option<Box<Node>>,
    pub then: Option<Box<Node>>,
    pub els: Option<Box<Node>>,
    pub lambda: Option<Rc<LambdaDef>>,
    /// While parsing a lambda: the body and signature.
    pub body: Option<Box<Node>>,
    pub signature: Option<Rc<Signature>>,
    pub regex: Option<Rc<RegexDef>>,
    pub pattern: Option<Box<Node>>,
    pub update: Option<Box<Node>>,
    pub delete: Option<Box<Node>>,
    pub keep_array: bool,
    pub cons_array: bool,
    pub keep_singleton_array: bool,
    pub tuple: bool,
    pub thunk: bool,
    pub focus: Option<Rc<str>>,
    pub index: Option<Rc<str>>,
    pub ancestor: Option<Slot>,
    pub slot: Option<Slot>,
    pub seeking_parent: Option<Vec<Slot>>,
    pub next_function: Option<Rc<str>>,
    /// A transform's own node, shared with the function it evaluates to.
    pub shared: Option<Rc<Node>>,
}

impl Node {
    #[inline(never)]
    pub fn new(kind: Kind, value: &str, position: usize) -> Node {
        Node {
            kind,
            value: Rc::from(value),
            lit: Literal::None,
            position,
            lhs: None,
            rhs: None,
            expression: None,
            expressions: vec![],
            steps: vec![],
            pairs: vec![],
            group: None,
            predicate: vec![],
            stages: vec![],
            terms: vec![],
            arguments: vec![],
            procedure: None,
            condition: None,
            then: None,
            els: None,
            lambda: None,
            body: None,
            signature: None,
            regex: None,
            pattern: None,
            update: None,
            delete: None,
            keep_array: false,
            cons_array: false,
            keep_singleton_array: false,
            tuple: false,
            thunk: false,
            focus: None,
            index: None,
            ancestor: None,
            slot: None,
            seeking_parent: None,
            next_function: None,
            shared: None,
        }
    }
}
