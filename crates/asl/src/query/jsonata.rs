//! JSONata in a state machine: the `{% … %}` templates of a JSONata state's fields
//! (Arguments, Output, Assign, Items, ItemSelector, Condition, TimeoutSeconds …), compiled
//! when the definition is parsed, and what an expression reads when it runs: `$states`
//! (`input`, `result`, `errorOutput`, `context`), the workflow variables, and AWS's own
//! functions (`$partition`, `$range`, `$hash`, `$random`, `$uuid`, `$parse`; no `$eval`).
//!
//! A string is an expression only when it starts with `{%` and ends with `%}` exactly
//! (`" {% x %} "` stays a literal string); `{% … %}` strings are found at any depth of
//! objects and arrays. The evaluator is our own JSONata 2.0.6 ([`jsonata`]).
//!
//! An expression binds only what its text names: `$states` with the members it mentions and
//! the variables it mentions, so the execution input is converted for the evaluator only when
//! an expression reads it, and then once per scope ([`ScopeData`]), however many expressions
//! of the state read it.

use crate::clock::Millis;
use crate::diagnostic::{Diagnostic, DiagnosticCode};
use crate::query::context::{Context, Variables};
use jsonata::{Bindings, CompileOptions, Data, Expression};
use serde_json::{Map, Value};
use std::cell::{OnceCell, RefCell};
use std::fmt;
use std::rc::Rc;

/// A JSONata field's value, compiled; it keeps the JSON as written for display.
#[derive(Clone)]
pub struct JsonataTemplate {
    written: Value,
    node: Node,
}

impl PartialEq for JsonataTemplate {
    fn eq(&self, other: &Self) -> bool {
        self.written == other.written
    }
}

impl fmt::Debug for JsonataTemplate {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "JsonataTemplate({})", self.written)
    }
}

#[derive(Clone)]
enum Node {
    /// No `{% %}` string below: copied as it is.
    Literal(Value),
    Object(Vec<(String, Node)>),
    Array(Vec<Node>),
    Expression(Rc<Compiled>),
}

/// One `{% … %}` expression.
struct Compiled {
    /// The text between `{%` and `%}`, trimmed (AWS quotes it in error causes).
    text: String,
    expression: Expression,
}

/// The text of a `{% … %}` string, or `None` for any other string.
pub fn expression_text(s: &str) -> Option<&str> {
    s.strip_prefix("{%")
        .and_then(|s| s.strip_suffix("%}"))
        .filter(|_| s.len() >= 4)
}

/// Whether a value holds a `{% … %}` string anywhere.
pub fn has_expression(value: &Value) -> bool {
    match value {
        Value::String(s) => expression_text(s).is_some(),
        Value::Array(items) => items.iter().any(has_expression),
        Value::Object(map) => map.values().any(has_expression),
        _ => false,
    }
}

/// Compiles one expression as AWS does (JSONata 2.0.6: no `??` or `?:`). `Err` is the
/// problem's message and the character of `text` where it was found, when known.
pub fn compile(text: &str) -> Result<Expression, (String, Option<usize>)> {
    Expression::compile_with(
        text,
        &CompileOptions {
            jsonata_2_0_6: true,
        },
    )
    .map_err(|e| {
        let message = format!("The JSONata expression '{text}' is not valid: {e}");
        (message, error_start(&e))
    })
}

/// Where a compile error's token starts: JSONata's `position` is the character just after
/// the token it complains about.
fn error_start(e: &jsonata::Error) -> Option<usize> {
    let end = e.position?;
    let token = match e.token.as_deref() {
        None | Some("(end)") => 0,
        Some(t) => t.chars().count(),
    };
    Some(end.saturating_sub(token))
}

impl JsonataTemplate {
    /// Compiles a field's value; each problem is located by a JSON pointer below `at` and the
    /// character of its string where the expression went wrong.
    pub fn parse(value: &Value, at: &str) -> Result<JsonataTemplate, Vec<Diagnostic>> {
        let mut problems = Vec::new();
        let node = build(value, at, &mut problems);
        if problems.is_empty() {
            Ok(JsonataTemplate {
                written: value.clone(),
                node,
            })
        } else {
            Err(problems)
        }
    }

    /// The field as written.
    pub fn as_value(&self) -> &Value {
        &self.written
    }

    /// The expression's text, for a field that is one `{% … %}` string (else as written).
    pub fn text(&self) -> String {
        match &self.node {
            Node::Expression(c) => c.text.clone(),
            _ => self.written.to_string(),
        }
    }

    /// Evaluates the template for the field `field` (`Output`, `Assign` …). An expression
    /// whose result is undefined fails with `States.QueryEvaluationError`, as in AWS.
    pub fn evaluate(&self, field: &str, scope: &JsonataScope) -> Result<Value, QueryError> {
        evaluate(&self.node, field, scope)
    }

    /// Like [`Self::evaluate`], with an undefined top-level result given as `None`.
    pub fn evaluate_optional(
        &self,
        field: &str,
        scope: &JsonataScope,
    ) -> Result<Option<Value>, QueryError> {
        match &self.node {
            Node::Expression(c) => run(c, field, scope),
            node => evaluate(node, field, scope).map(Some),
        }
    }
}

fn build(value: &Value, at: &str, problems: &mut Vec<Diagnostic>) -> Node {
    if !has_expression(value) {
        return Node::Literal(value.clone());
    }
    match value {
        Value::String(s) => {
            let inner = expression_text(s).unwrap_or_default();
            let text = inner.trim().to_string();
            match compile(&text) {
                Ok(expression) => Node::Expression(Rc::new(Compiled { text, expression })),
                Err((message, position)) => {
                    // In the string as written: `{%`, the blanks trimmed, then the expression.
                    let lead = 2 + inner.chars().take_while(|c| c.is_whitespace()).count();
                    let within = position.map(|p| lead + p.min(text.chars().count()));
                    problems.push(
                        Diagnostic::new(DiagnosticCode::SchemaValidationFailed, message, at)
                            .within(within),
                    );
                    Node::Literal(Value::Null)
                }
            }
        }
        Value::Array(items) => Node::Array(
            items
                .iter()
                .enumerate()
                .map(|(i, v)| build(v, &crate::diagnostic::pointer(at, &i.to_string()), problems))
                .collect(),
        ),
        Value::Object(map) => Node::Object(
            map.iter()
                .map(|(k, v)| {
                    (
                        k.clone(),
                        build(v, &crate::diagnostic::pointer(at, k), problems),
                    )
                })
                .collect(),
        ),
        other => Node::Literal(other.clone()),
    }
}

fn evaluate(node: &Node, field: &str, scope: &JsonataScope) -> Result<Value, QueryError> {
    match node {
        Node::Literal(v) => Ok(v.clone()),
        Node::Array(items) => items
            .iter()
            .enumerate()
            .map(|(i, n)| evaluate(n, &format!("{field}[{i}]"), scope))
            .collect::<Result<Vec<_>, _>>()
            .map(Value::Array),
        Node::Object(members) => {
            let mut map = Map::new();
            for (key, node) in members {
                let value = evaluate(node, &format!("{field}/{key}"), scope)?;
                map.insert(key.clone(), value);
            }
            Ok(Value::Object(map))
        }
        Node::Expression(c) => run(c, field, scope)?.ok_or_else(|| QueryError {
            detail: format!(
                "The JSONata expression '{}' specified for the field '{field}' returned nothing (undefined).",
                c.text
            ),
        }),
    }
}

fn run(c: &Compiled, field: &str, scope: &JsonataScope) -> Result<Option<Value>, QueryError> {
    let bindings = scope.bindings(&c.text);
    c.expression
        .evaluate(None, &bindings)
        .map(|v| v.map(normalize))
        .map_err(|e| QueryError {
            detail: format!(
                "The JSONata expression '{}' specified for the field '{field}' threw an error during evaluation. {e}",
                c.text
            ),
        })
}

/// Whole floats as integers (`1.0` → `1`), as AWS's JSON writer prints JSONata's numbers.
pub fn normalize(value: Value) -> Value {
    match value {
        Value::Number(n) if n.is_f64() => {
            let f = n.as_f64().unwrap_or_default();
            if f.fract() == 0.0 && f.abs() < 9.007_199_254_740_992e15 {
                Value::from(f as i64)
            } else {
                Value::Number(n)
            }
        }
        Value::Array(items) => Value::Array(items.into_iter().map(normalize).collect()),
        Value::Object(map) => {
            Value::Object(map.into_iter().map(|(k, v)| (k, normalize(v))).collect())
        }
        other => other,
    }
}

/// A JSONata expression that failed: the cause's detail, after AWS's "An error occurred
/// while executing the state …" (the error is `States.QueryEvaluationError`).
#[derive(Debug, Clone, PartialEq)]
pub struct QueryError {
    pub detail: String,
}

/// What a JSONata expression of a state reads.
pub struct JsonataScope<'a> {
    /// `$states.input`: the state's raw input.
    pub input: &'a Value,
    /// `$states.result` (Output and Assign of a state with a result).
    pub result: Option<&'a Value>,
    /// `$states.errorOutput` (a Catch's Output and Assign).
    pub error_output: Option<&'a Value>,
    /// `$states.context`: the context object, built only when an expression reads it.
    pub context: &'a Context,
    pub variables: &'a Variables,
    /// `$now()` and `$millis()`: the state's entered time on the virtual clock.
    pub now: Millis,
    /// Seeds `$random()`, `$uuid()` and `$shuffle()` for this visit.
    pub seed: u64,
    /// The values above as the evaluator reads them, converted at their first use (start
    /// with `Default::default()`).
    pub converted: ScopeData,
}

/// A scope's `$states` and variables converted for the evaluator once, at the first
/// expression that reads them, and shared by the scope's other expressions.
#[derive(Default)]
pub struct ScopeData {
    /// `$states` without and with `context`.
    states: [OnceCell<Data>; 2],
    variables: RefCell<Vec<(String, Data)>>,
}

impl JsonataScope<'_> {
    /// The bindings of one expression: `$states` with the members its text names, the
    /// variables it names, and AWS's functions.
    fn bindings(&self, text: &str) -> Bindings {
        let mut bindings = aws_functions(Bindings::new(), self.seed)
            .now_millis(self.now as f64)
            .random_seed(self.seed);
        if text.contains("$states") {
            let with_context = text.contains("context") || names_whole_states(text);
            let states = self.converted.states[usize::from(with_context)]
                .get_or_init(|| Data::from_json(&self.states_json(with_context)));
            bindings = bindings.var_data("states", states);
        }
        for (name, value) in self.variables.iter() {
            if mentions_variable(text, name) {
                let mut converted = self.converted.variables.borrow_mut();
                let data = match converted.iter().find(|(n, _)| n == name) {
                    Some((_, data)) => data,
                    None => {
                        converted.push((name.to_string(), Data::from_json(value)));
                        &converted[converted.len() - 1].1
                    }
                };
                bindings = bindings.var_data(name, data);
            }
        }
        bindings
    }

    /// `$states` as JSON: `input`, `context` (when asked for), `result`, `errorOutput`.
    fn states_json(&self, with_context: bool) -> Value {
        let mut states = Map::new();
        states.insert("input".into(), self.input.clone());
        if with_context {
            states.insert("context".into(), self.context.whole().clone());
        }
        if let Some(result) = self.result {
            states.insert("result".into(), result.clone());
        }
        if let Some(error) = self.error_output {
            states.insert("errorOutput".into(), error.clone());
        }
        Value::Object(states)
    }
}

/// Why one expression typed on its own (the playground's expression box) failed: JSONata's
/// code (`T2001`, `S0201` …), its message, and the character where it went wrong, if known.
#[derive(Debug, Clone, PartialEq)]
pub struct ExpressionError {
    pub code: String,
    pub message: String,
    pub position: Option<usize>,
}

/// Evaluates one JSONata expression (without `{% %}`) as a state's field would, against
/// `scope`: `Ok(None)` when it is undefined. Compiled as AWS does (JSONata 2.0.6).
/// How much work an evaluation may do (for [`evaluate_expression_within`]).
pub use ::jsonata::Limits;

pub fn evaluate_expression(
    text: &str,
    scope: &JsonataScope,
) -> Result<Option<Value>, ExpressionError> {
    evaluate_expression_within(text, scope, jsonata::Limits::default())
}

/// [`evaluate_expression`] within other limits (the page's expression box, which evaluates as
/// the person types, allows less work than a run).
pub fn evaluate_expression_within(
    text: &str,
    scope: &JsonataScope,
    limits: jsonata::Limits,
) -> Result<Option<Value>, ExpressionError> {
    let error = |e: jsonata::Error| ExpressionError {
        code: e.code.clone(),
        message: e.to_string(),
        position: e.position,
    };
    let expression = Expression::compile_with(
        text,
        &CompileOptions {
            jsonata_2_0_6: true,
        },
    )
    .map_err(error)?;
    expression
        .evaluate(None, &scope.bindings(text).limits(limits))
        .map(|v| v.map(normalize))
        .map_err(error)
}

/// `$states` read whole (not only `$states.input` …).
fn names_whole_states(text: &str) -> bool {
    text.match_indices("$states")
        .any(|(i, m)| !text[i + m.len()..].starts_with('.'))
}

fn mentions_variable(text: &str, name: &str) -> bool {
    let needle = format!("${name}");
    text.match_indices(&needle).any(|(i, m)| {
        !text[i + m.len()..]
            .chars()
            .next()
            .is_some_and(|c| c.is_alphanumeric() || c == '_')
    })
}

/// Registers AWS Step Functions' JSONata functions, and removes `$eval` as AWS does.
pub fn aws_functions(bindings: Bindings, seed: u64) -> Bindings {
    use std::cell::RefCell;
    let rng = Rc::new(RefCell::new(rand_pcg::Pcg64Mcg::new(u128::from(seed) | 1)));
    let rng_uuid = rng.clone();
    bindings
        .without_eval()
        .function("partition", Some("<an:a>"), |args| {
            let items = array_arg(args.first());
            let size = number(args.get(1)).unwrap_or(0.0);
            if size < 1.0 || size.fract() != 0.0 {
                return Err(error("D3141", "The chunk size must be a positive integer"));
            }
            let chunks: Vec<Value> = items
                .chunks(size as usize)
                .map(|c| Value::Array(c.to_vec()))
                .collect();
            Ok(Some(Value::Array(chunks)))
        })
        .function("range", Some("<nnn:a>"), |args| {
            let (start, end, step) = (number(args.first()), number(args.get(1)), number(args.get(2)));
            let (Some(start), Some(end), Some(step)) = (start, end, step) else {
                return Ok(None);
            };
            if step == 0.0 {
                return Err(error("D3141", "The step must not be zero"));
            }
            let mut out = Vec::new();
            let mut x = start;
            while (step > 0.0 && x <= end) || (step < 0.0 && x >= end) {
                out.push(number_value(x));
                if out.len() > 1_000 {
                    return Err(error("D3141", "The range holds more than 1000 items"));
                }
                x += step;
            }
            Ok(Some(Value::Array(out)))
        })
        .function("hash", Some("<ss:s>"), |args| {
            let (Some(Some(Value::String(data))), Some(Some(Value::String(algorithm)))) =
                (args.first(), args.get(1))
            else {
                return Ok(None);
            };
            match crate::intrinsics::digest(data.as_bytes(), algorithm) {
                Some(bytes) => Ok(Some(Value::String(
                    bytes.iter().map(|b| format!("{b:02x}")).collect(),
                ))),
                None => Err(error(
                    "D3141",
                    &format!("The hashing algorithm {algorithm} is not supported: use MD5, SHA-1, SHA-256, SHA-384 or SHA-512"),
                )),
            }
        })
        .function("random", Some("<n?:n>"), move |args| {
            use rand_core::RngCore;
            let value = match number(args.first()) {
                Some(seed) => crate::query::intrinsics::java::JavaRandom::new(seed as i64).next_double(),
                None => (rng.borrow_mut().next_u64() >> 11) as f64 / (1u64 << 53) as f64,
            };
            Ok(Some(number_value(value)))
        })
        .function("uuid", Some("<:s>"), move |_| {
            use rand_core::RngCore;
            let mut bytes = [0u8; 16];
            let mut rng = rng_uuid.borrow_mut();
            rng.fill_bytes(&mut bytes);
            Ok(Some(Value::String(crate::query::intrinsics::uuid_v4(bytes))))
        })
        .function("parse", Some("<s:j>"), |args| {
            let Some(Some(Value::String(text))) = args.first() else {
                return Ok(None);
            };
            serde_json::from_str::<Value>(text)
                .map(|v| Some(normalize(v)))
                .map_err(|e| error("D3141", &format!("The string is not valid JSON: {e}")))
        })
}

fn error(code: &str, message: &str) -> jsonata::Error {
    let mut e = jsonata::Error::new(code);
    e.message = message.to_string();
    e
}

fn number(arg: Option<&Option<Value>>) -> Option<f64> {
    arg?.as_ref()?.as_f64()
}

fn number_value(x: f64) -> Value {
    if x.fract() == 0.0 && x.abs() < 9.007_199_254_740_992e15 {
        Value::from(x as i64)
    } else {
        serde_json::Number::from_f64(x).map_or(Value::Null, Value::Number)
    }
}

fn array_arg(arg: Option<&Option<Value>>) -> Vec<Value> {
    match arg {
        Some(Some(Value::Array(items))) => items.clone(),
        Some(Some(other)) => vec![other.clone()],
        _ => vec![],
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    fn eval(text: &str, input: Value) -> Result<Value, QueryError> {
        let template = JsonataTemplate::parse(&json!(text), "/Output").unwrap();
        let scope = JsonataScope {
            input: &input,
            result: None,
            error_output: None,
            context: &Context::default(),
            variables: &Variables::default(),
            now: 0,
            seed: 7,
            converted: Default::default(),
        };
        template.evaluate("Output", &scope)
    }

    #[test]
    fn expressions_of_one_scope_share_its_converted_values() {
        let input = json!({"x": 1});
        let variables: Variables =
            std::sync::Arc::new([("v".to_string(), json!([1, 2]))].into_iter().collect());
        let scope = JsonataScope {
            input: &input,
            result: None,
            error_output: None,
            context: &Context::default(),
            variables: &variables,
            now: 0,
            seed: 7,
            converted: Default::default(),
        };
        let template = JsonataTemplate::parse(
            &json!({"a": "{% $states.input.x %}", "b": "{% $count($keys($states)) %}",
                    "c": "{% $sum($v) %}", "d": "{% $count($v) + $states.input.x %}"}),
            "/Output",
        )
        .unwrap();
        // `b` reads $states whole: with its context, beside `a`'s $states without it
        assert_eq!(
            template.evaluate("Output", &scope),
            Ok(json!({"a": 1, "b": 2, "c": 3, "d": 3}))
        );
        assert_eq!(scope.converted.variables.borrow().len(), 1);
    }

    #[test]
    fn only_exact_delimiters_make_an_expression() {
        assert_eq!(eval(" {% 1 %} ", json!({})), Ok(json!(" {% 1 %} ")));
        assert_eq!(eval("{% 1 + 1 %}", json!({})), Ok(json!(2)));
    }

    #[test]
    fn aws_functions_answer_as_recorded() {
        assert_eq!(
            eval("{% $range(0, 9, 3) %}", json!({})),
            Ok(json!([0, 3, 6, 9]))
        );
        assert_eq!(
            eval("{% $partition([0,1,2], 2) %}", json!({})),
            Ok(json!([[0, 1], [2]]))
        );
        assert_eq!(eval("{% $parse('-0') %}", json!({})), Ok(json!(0)));
        assert_eq!(
            eval("{% $hash('input data', 'SHA-1') %}", json!({})),
            Ok(json!("aaff4a450a104cd177d28d18d74485e8cae074b7"))
        );
        assert!(eval("{% $eval('1') %}", json!({})).is_err());
    }

    #[test]
    fn undefined_is_an_error_with_aws_words() {
        assert_eq!(
            eval("{% $states.input.nope %}", json!({})).unwrap_err().detail,
            "The JSONata expression '$states.input.nope' specified for the field 'Output' returned nothing (undefined)."
        );
    }
}
