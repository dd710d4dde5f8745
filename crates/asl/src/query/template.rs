//! Payload templates: Parameters, ResultSelector, ItemSelector, ItemBatcher's BatchInput,
//! Assign and Fail's ErrorPath/CausePath.
//!
//! A template is JSON whose fields ending in `.$` are computed: their value is a path into the
//! state's data (`$.…`), into the context object (`$$.…`), a variable (`$name`), or an
//! intrinsic function call (`States.Format(…)`). The computed field loses its `.$` suffix;
//! everything else is copied.
//!
//! The template is compiled when the definition is parsed: every `.$` value becomes an
//! [`Expression`], and every part with no `.$` field below it a literal, so evaluating one
//! parses nothing.

use crate::query::expression::Expression;
use serde_json::{Map, Value};

/// A template, compiled; it keeps the JSON as written for display.
#[derive(Debug, Clone)]
pub struct Template {
    written: Value,
    node: Node,
}

/// Two templates are the same when they are written the same.
impl PartialEq for Template {
    fn eq(&self, other: &Self) -> bool {
        self.written == other.written
    }
}

#[derive(Debug, Clone)]
enum Node {
    /// No `.$` field below: copied as it is.
    Literal(Value),
    Object(Vec<(String, Node)>),
    Array(Vec<Node>),
    /// A `.$` field's expression, with the field's name as written (for error causes).
    Computed(String, Expression),
}

/// What evaluating a template can read: the data, the context object, and randomness for
/// intrinsic functions.
pub trait Scope {
    /// Evaluates one `.$` expression of the field `field`.
    /// `Err((error name, detail))` when it fails.
    fn expression(
        &mut self,
        field: &str,
        expression: &Expression,
    ) -> Result<Value, (String, String)>;
}

impl Template {
    /// Compiles a template; the problems are (message, JSON pointer below `at`).
    pub fn parse(value: &Value, at: &str) -> Result<Template, Vec<(String, String)>> {
        let mut problems = Vec::new();
        let node = compile(value, at, &mut problems);
        if problems.is_empty() {
            Ok(Template {
                written: value.clone(),
                node,
            })
        } else {
            Err(problems)
        }
    }

    /// The template as written.
    pub fn as_value(&self) -> &Value {
        &self.written
    }

    pub fn evaluate(&self, scope: &mut dyn Scope) -> Result<Value, (String, String)> {
        evaluate(&self.node, scope)
    }
}

fn compile(value: &Value, at: &str, problems: &mut Vec<(String, String)>) -> Node {
    let node = match value {
        Value::Object(map) => Node::Object(
            map.iter()
                .map(|(key, v)| match key.strip_suffix(".$") {
                    Some(field) => {
                        let expression = v.as_str().map(Expression::parse);
                        match expression {
                            Some(Ok(expression)) => {
                                (field.to_string(), Node::Computed(key.clone(), expression))
                            }
                            _ => {
                                problems.push((
                                    crate::intrinsics::invalid_field_message(key),
                                    at.to_string(),
                                ));
                                (field.to_string(), Node::Literal(Value::Null))
                            }
                        }
                    }
                    None => (
                        key.clone(),
                        compile(v, &crate::diagnostic::pointer(at, key), problems),
                    ),
                })
                .collect(),
        ),
        Value::Array(items) => Node::Array(
            items
                .iter()
                .enumerate()
                .map(|(i, v)| compile(v, &crate::diagnostic::pointer(at, &i.to_string()), problems))
                .collect(),
        ),
        other => return Node::Literal(other.clone()),
    };
    if is_literal(&node) {
        Node::Literal(value.clone())
    } else {
        node
    }
}

/// Whether nothing below is computed (its children are already folded into literals).
fn is_literal(node: &Node) -> bool {
    match node {
        Node::Literal(_) => true,
        Node::Computed(..) => false,
        Node::Object(fields) => fields.iter().all(|(_, n)| matches!(n, Node::Literal(_))),
        Node::Array(items) => items.iter().all(|n| matches!(n, Node::Literal(_))),
    }
}

fn evaluate(node: &Node, scope: &mut dyn Scope) -> Result<Value, (String, String)> {
    Ok(match node {
        Node::Literal(value) => value.clone(),
        Node::Computed(field, expression) => scope.expression(field, expression)?,
        Node::Object(fields) => {
            let mut out = Map::with_capacity(fields.len());
            for (name, node) in fields {
                out.insert(name.clone(), evaluate(node, scope)?);
            }
            Value::Object(out)
        }
        Node::Array(items) => Value::Array(
            items
                .iter()
                .map(|node| evaluate(node, scope))
                .collect::<Result<_, _>>()?,
        ),
    })
}
