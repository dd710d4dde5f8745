//! Evaluation: Jayway JsonPath 2.0.0's token chain (`PathToken.evaluate` and friends) over
//! the values the `JacksonJsonNodeJsonProvider` hands it.
//!
//! The provider matters: property values come back *unwrapped* (a JSON string as a Java
//! `String`, JSON null as Java `null`), array elements read by index come back as Jackson
//! nodes (JSON null as a `NullNode`, an index out of range as Java `null`), and array
//! elements iterated by a filter or a scan come back unwrapped. Messages and a few outcomes
//! depend on which, so [`Node`] keeps the distinction.

use super::compile::{ArrayOp, CompareOp, Compiled, Criteria, Filter, Operand, Token};
use super::java;
use super::regex::Regex;
use serde_json::{Map, Value};
use std::borrow::Cow;
use std::cell::Cell;
use std::cmp::Ordering;

/// Deepest a `..` scan descends into a document (Jayway recurses without limit, and a
/// `Value` can be built deeper than serde_json's parser allows).
const MAX_SCAN_DEPTH: usize = 512;
/// Most steps (tokens applied, nodes visited, indices tried) one evaluation may take:
/// `$[-2147483648:5]` alone would otherwise try two billion indices, as Jayway does.
const MAX_STEPS: usize = 5_000_000;

/// What Jayway holds while it walks.
#[derive(Debug, Clone, Copy)]
pub(super) enum Node<'a> {
    /// Java `null`: an unwrapped JSON null, or an array index out of range.
    Null,
    /// A Jackson `JsonNode` (an object, an array, or a scalar node such as `NullNode`).
    Json(&'a Value),
    /// A scalar Jackson has unwrapped to a Java `String`, `Integer`, `Long`, `Double` or
    /// `Boolean`.
    Plain(&'a Value),
}

/// One result of an evaluation.
#[derive(Debug, Clone)]
pub(super) enum Out<'a> {
    Node(Node<'a>),
    Owned(Value),
}

impl Out<'_> {
    pub fn into_value(self) -> Value {
        match self {
            Out::Node(Node::Null) => Value::Null,
            Out::Node(Node::Json(v) | Node::Plain(v)) => v.clone(),
            Out::Owned(v) => v,
        }
    }
}

/// What Jayway throws.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(super) enum Fail {
    /// `PathNotFoundException`.
    NotFound(String),
    /// `InvalidPathException` thrown while evaluating.
    Invalid(String),
    /// Anything else that escapes (a `NumberFormatException` from a filter comparison, a
    /// `ClassCastException`), and our own limits.
    Other(String),
}

type R<T = ()> = Result<T, Fail>;

/// `JacksonJsonNodeJsonProvider.unwrap`: scalars become Java values, JSON null Java `null`;
/// objects, arrays and integers too large for a `long` (a `BigIntegerNode`) stay nodes.
fn unwrap(v: &Value) -> Node<'_> {
    match v {
        Value::Null => Node::Null,
        Value::Object(_) | Value::Array(_) => Node::Json(v),
        Value::Number(n) if !n.is_i64() && !n.is_f64() => Node::Json(v),
        _ => Node::Plain(v),
    }
}

/// `String.valueOf(model)` in messages.
fn java_string(node: Node<'_>) -> String {
    match node {
        Node::Null => "null".into(),
        Node::Json(v) => java::jackson_json(v),
        Node::Plain(Value::String(s)) => s.clone(),
        Node::Plain(Value::Number(n)) => java::number_to_string(n),
        Node::Plain(v) => java::jackson_json(v),
    }
}

fn as_map<'a>(node: Node<'a>) -> Option<&'a Map<String, Value>> {
    match node {
        Node::Json(Value::Object(map)) => Some(map),
        _ => None,
    }
}

fn as_array<'a>(node: Node<'a>) -> Option<&'a Vec<Value>> {
    match node {
        Node::Json(Value::Array(items)) => Some(items),
        _ => None,
    }
}

/// Evaluates `path` on `document`; `root` is what `$` means inside filters.
pub(super) fn evaluate<'a>(
    path: &'a Compiled,
    document: Node<'a>,
    root: &'a Value,
    steps: &'a Cell<usize>,
) -> R<Vec<Out<'a>>> {
    let mut ctx = Ctx {
        path,
        root,
        steps,
        results: Vec::new(),
    };
    ctx.eval(0, "", document)?;
    Ok(ctx.results)
}

/// `EvaluationContext.getValue()` of a definite path: the first result, or
/// `No results for path: …`.
pub(super) fn first<'a>(path: &Compiled, results: Vec<Out<'a>>) -> R<Out<'a>> {
    results
        .into_iter()
        .next()
        .ok_or_else(|| Fail::NotFound(format!("No results for path: {}", path.to_string_from(0))))
}

struct Ctx<'a> {
    path: &'a Compiled,
    root: &'a Value,
    steps: &'a Cell<usize>,
    results: Vec<Out<'a>>,
}

impl<'a> Ctx<'a> {
    fn tick(&self) -> R {
        let n = self.steps.get() + 1;
        self.steps.set(n);
        if n > MAX_STEPS {
            return Err(Fail::Other(format!(
                "the path evaluation took more than {MAX_STEPS} steps"
            )));
        }
        Ok(())
    }

    fn is_leaf(&self, t: usize) -> bool {
        t + 1 == self.path.tokens.len()
    }

    fn add(&mut self, node: Node<'a>) -> R {
        self.tick()?;
        self.results.push(Out::Node(node));
        Ok(())
    }

    fn eval(&mut self, t: usize, current: &str, model: Node<'a>) -> R {
        self.tick()?;
        let path = self.path;
        match &path.tokens[t] {
            Token::Root => {
                if self.is_leaf(t) {
                    self.add(model)
                } else {
                    self.eval(t + 1, "$", model)
                }
            }
            Token::Property(props) => {
                let Some(map) = as_map(model) else {
                    return Err(Fail::NotFound(format!(
                        "Property {} not found in path {current}",
                        path.tokens[t].fragment()
                    )));
                };
                self.handle_object_property(t, current, map, props)
            }
            Token::Array { criteria, op } => self.eval_array(t, current, model, criteria, *op),
            Token::Wildcard => {
                if let Some(map) = as_map(model) {
                    for key in map.keys() {
                        self.handle_object_property(t, current, map, std::slice::from_ref(key))?;
                    }
                } else if let Some(items) = as_array(model) {
                    for index in 0..items.len() {
                        match self.handle_array_index(t, index as i64, current, items) {
                            Err(Fail::NotFound(_)) => {}
                            other => other?,
                        }
                    }
                }
                Ok(())
            }
            Token::Scan => {
                if self.is_leaf(t) {
                    return Ok(());
                }
                self.walk(t + 1, current, model, 0)
            }
            Token::Predicate(filter) => {
                if as_map(model).is_some() {
                    if self.accept(filter, model)? {
                        if self.is_leaf(t) {
                            self.add(model)?;
                        } else {
                            self.eval(t + 1, current, model)?;
                        }
                    }
                    Ok(())
                } else if let Some(items) = as_array(model) {
                    for (index, item) in items.iter().enumerate() {
                        if self.accept(filter, unwrap(item))? {
                            self.handle_array_index(t, index as i64, current, items)?;
                        }
                    }
                    Ok(())
                } else {
                    Err(Fail::Invalid(format!(
                        "Filter: {} can not be applied to primitives. Current context is: {}",
                        path.to_string_from(t),
                        java_string(model)
                    )))
                }
            }
        }
    }

    fn handle_object_property(
        &mut self,
        t: usize,
        current: &str,
        map: &'a Map<String, Value>,
        props: &'a [String],
    ) -> R {
        if let [property] = props {
            let eval_path = format!("{current}['{property}']");
            match map.get(property) {
                None => {
                    if self.is_leaf(t) {
                        Err(Fail::NotFound(format!("No results for path: {eval_path}")))
                    } else if !self.path.upstream_definite[t] {
                        Ok(())
                    } else {
                        Err(Fail::NotFound(format!(
                            "Missing property in path {eval_path}"
                        )))
                    }
                }
                Some(value) => {
                    let node = unwrap(value);
                    if self.is_leaf(t) {
                        self.add(node)
                    } else {
                        self.eval(t + 1, &eval_path, node)
                    }
                }
            }
        } else {
            if !self.is_leaf(t) {
                return Err(Fail::Invalid(format!(
                    "Multi properties can only be used as path leafs: {current}[{}]",
                    super::compile::join_quoted(props)
                )));
            }
            let mut merged = Map::new();
            for property in props {
                if let Some(value) = map.get(property) {
                    merged.insert(property.clone(), value.clone());
                }
            }
            self.tick()?;
            self.results.push(Out::Owned(Value::Object(merged)));
            Ok(())
        }
    }

    /// `handleArrayIndex`: Jackson's `ArrayNode.get(i)` gives Java `null` for any index out
    /// of range, negative ones included (Jayway 2.0.0 does not count from the end).
    fn handle_array_index(&mut self, t: usize, index: i64, current: &str, items: &'a [Value]) -> R {
        let eval_path = format!("{current}[{index}]");
        let hit = usize::try_from(index)
            .ok()
            .and_then(|i| items.get(i))
            .map_or(Node::Null, Node::Json);
        if self.is_leaf(t) {
            self.add(hit)
        } else {
            self.eval(t + 1, &eval_path, hit)
        }
    }

    fn eval_array(
        &mut self,
        t: usize,
        current: &str,
        model: Node<'a>,
        criteria: &[i64],
        op: ArrayOp,
    ) -> R {
        let items = match model {
            Node::Null => {
                return Err(Fail::NotFound(format!("The path {current} is null")));
            }
            _ => match as_array(model) {
                Some(items) => items,
                None => {
                    return Err(Fail::Invalid(format!(
                        "Filter: {} can only be applied to arrays. Current context is: {}",
                        self.path.to_string_from(t),
                        java_string(model)
                    )))
                }
            },
        };
        let length = items.len() as i64;
        let c = |i: usize| criteria.get(i).copied().unwrap_or(0);
        match op {
            ArrayOp::SingleIndex => self.handle_array_index(t, c(0), current, items),
            ArrayOp::IndexSequence => {
                for &i in criteria {
                    self.handle_array_index(t, i, current, items)?;
                }
                Ok(())
            }
            ArrayOp::ContextSize => self.handle_array_index(t, length + c(0), current, items),
            ArrayOp::SliceFrom => {
                let mut from = c(0);
                if from < 0 {
                    from += length;
                }
                from = from.max(0);
                for i in from..length {
                    self.tick()?;
                    self.handle_array_index(t, i, current, items)?;
                }
                Ok(())
            }
            ArrayOp::SliceTo => {
                let mut to = c(0);
                if to < 0 {
                    to += length;
                }
                to = to.min(length);
                for i in 0..to {
                    self.tick()?;
                    self.handle_array_index(t, i, current, items)?;
                }
                Ok(())
            }
            ArrayOp::SliceBetween => {
                // Jayway 2.0.0 does not count a negative start from the end: indices below
                // zero read Java null.
                let from = c(0);
                let to = c(1).min(length);
                if from >= to || length == 0 {
                    return Ok(());
                }
                for i in from..to {
                    self.tick()?;
                    self.handle_array_index(t, i, current, items)?;
                }
                Ok(())
            }
        }
    }

    /// `ScanPathToken.walk`: pre-order, an object's own match before its members'.
    fn walk(&mut self, pt: usize, current: &str, model: Node<'a>, depth: usize) -> R {
        if depth > MAX_SCAN_DEPTH {
            return Err(Fail::Other(format!(
                "the document is nested more than {MAX_SCAN_DEPTH} levels deep for '..'"
            )));
        }
        self.tick()?;
        if let Some(map) = as_map(model) {
            if self.scan_matches(pt, model)? {
                self.eval(pt, current, model)?;
            }
            for (key, value) in map {
                self.walk(pt, &format!("{current}['{key}']"), unwrap(value), depth + 1)?;
            }
        } else if let Some(items) = as_array(model) {
            if self.scan_matches(pt, model)? {
                if self.is_leaf(pt) {
                    self.eval(pt, current, model)?;
                } else {
                    // Jayway 2.0.0 applies the token *after* pt to every element, skipping pt.
                    for (index, item) in items.iter().enumerate() {
                        self.eval(pt + 1, &format!("{current}[{index}]"), unwrap(item))?;
                    }
                }
            }
            for (index, item) in items.iter().enumerate() {
                self.walk(pt, &format!("{current}[{index}]"), unwrap(item), depth + 1)?;
            }
        }
        Ok(())
    }

    fn scan_matches(&mut self, pt: usize, model: Node<'a>) -> R<bool> {
        let path = self.path;
        Ok(match &path.tokens[pt] {
            Token::Property(props) => {
                as_map(model).is_some_and(|map| props.iter().all(|p| map.contains_key(p)))
            }
            Token::Array { .. } => as_array(model).is_some(),
            Token::Wildcard => true,
            Token::Predicate(filter) => self.accept(filter, model)?,
            Token::Root | Token::Scan => false,
        })
    }

    fn accept(&mut self, filter: &'a Filter, item: Node<'a>) -> R<bool> {
        match filter {
            Filter::Single(criteria) => self.criteria(criteria, item),
            Filter::And(items) => {
                for f in items {
                    if !self.accept(f, item)? {
                        return Ok(false);
                    }
                }
                Ok(true)
            }
            Filter::Or(left, right) => Ok(self.accept(left, item)? || self.accept(right, item)?),
        }
    }

    /// `Criteria.eval`.
    fn criteria(&mut self, criteria: &'a Criteria, item: Node<'a>) -> R<bool> {
        match criteria {
            Criteria::Exists { path, exists } => {
                // Evaluated on the item even for a `$` path, as Jayway 2.0.0 does.
                match self.sub_value(path, item) {
                    Ok(value) => Ok(if *exists {
                        !value.is_null()
                    } else {
                        value.is_null()
                    }),
                    Err(Fail::NotFound(_)) => Ok(!*exists),
                    Err(e) => Err(e),
                }
            }
            Criteria::Compare { left, op, right } => {
                let model = match self.operand(left, item) {
                    Err(Fail::NotFound(_)) => return Ok(false),
                    other => other?,
                };
                let expected = match self.operand(right, item) {
                    Err(Fail::NotFound(_)) => return Ok(false),
                    other => other?,
                };
                match compare(*op, &expected, &model) {
                    Ok(b) => Ok(b),
                    Err(Cmp::Incomparable) => Ok(false),
                    Err(Cmp::Fatal(message)) => Err(Fail::Other(message)),
                }
            }
        }
    }

    fn operand(&mut self, operand: &'a Operand, item: Node<'a>) -> R<JVal<'a>> {
        match operand {
            Operand::Text(text) => Ok(JVal::Str(Cow::Borrowed(text))),
            Operand::Pattern(re) => Ok(JVal::Pattern(re)),
            Operand::Path(path) => {
                let document = if path.root_path {
                    Node::Json(self.root)
                } else {
                    item
                };
                let value = self.sub_value(path, document)?;
                Ok(match value {
                    // The same `$` path gives the same cached Java object, so `==` holds.
                    JVal::Container(v, _) if path.root_path => JVal::Container(v, Some(&path.text)),
                    other => other,
                })
            }
        }
    }

    /// Evaluates a (definite) filter path and unwraps its value.
    fn sub_value(&mut self, path: &'a Compiled, document: Node<'a>) -> R<JVal<'a>> {
        let results = evaluate(path, document, self.root, self.steps)?;
        Ok(JVal::from_out(first(path, results)?))
    }
}

/// A filter operand as the Java object Jayway compares.
#[derive(Debug)]
enum JVal<'a> {
    Null,
    Str(Cow<'a, str>),
    Int(i64),
    Double(f64),
    Bool(bool),
    /// An object or array node; the text of the `$` path it came from, if any.
    Container(Cow<'a, Value>, Option<&'a str>),
    /// A `BigIntegerNode`: not a `Number`, so it compares with nothing.
    Big(String),
    Pattern(&'a Regex),
}

impl<'a> JVal<'a> {
    fn from_out(out: Out<'a>) -> JVal<'a> {
        match out {
            Out::Node(Node::Null) => JVal::Null,
            Out::Node(Node::Json(v) | Node::Plain(v)) => JVal::from_value(v),
            Out::Owned(v) => JVal::Container(Cow::Owned(v), None),
        }
    }

    fn from_value(v: &'a Value) -> JVal<'a> {
        match v {
            Value::Null => JVal::Null,
            Value::Bool(b) => JVal::Bool(*b),
            Value::String(s) => JVal::Str(Cow::Borrowed(s)),
            Value::Number(n) => {
                if let Some(i) = n.as_i64() {
                    JVal::Int(i)
                } else if n.is_f64() {
                    JVal::Double(n.as_f64().unwrap_or(f64::NAN))
                } else {
                    JVal::Big(n.to_string())
                }
            }
            Value::Object(_) | Value::Array(_) => JVal::Container(Cow::Borrowed(v), None),
        }
    }

    fn is_null(&self) -> bool {
        matches!(self, JVal::Null)
    }

    /// `isNullish`: Java null, or the string "null".
    fn is_nullish(&self) -> bool {
        match self {
            JVal::Null => true,
            JVal::Str(s) => s == "null",
            _ => false,
        }
    }

    fn number_text(&self) -> Option<String> {
        match self {
            JVal::Int(i) => Some(i.to_string()),
            JVal::Double(d) => Some(java::double_to_string(*d)),
            _ => None,
        }
    }

    /// `toString()`, for regular-expression targets.
    fn java_string(&self) -> String {
        match self {
            JVal::Null => "null".into(),
            JVal::Str(s) => s.to_string(),
            JVal::Int(i) => i.to_string(),
            JVal::Double(d) => java::double_to_string(*d),
            JVal::Bool(b) => b.to_string(),
            JVal::Container(v, _) => java::jackson_json(v),
            JVal::Big(s) => s.clone(),
            JVal::Pattern(re) => re.source().to_string(),
        }
    }
}

enum Cmp {
    /// `ValueCompareException`: the criterion is false.
    Incomparable,
    /// An exception Jayway lets escape.
    Fatal(String),
}

/// `CriteriaType.eval(expected, model)`.
fn compare(op: CompareOp, expected: &JVal<'_>, model: &JVal<'_>) -> Result<bool, Cmp> {
    let ordered = |test: fn(Ordering) -> bool| -> Result<bool, Cmp> {
        if expected.is_null() != model.is_null() {
            return Ok(false);
        }
        safe_compare(expected, model).map(test)
    };
    match op {
        CompareOp::Eq => safe_compare(expected, model).map(|o| o == Ordering::Equal),
        CompareOp::Ne => safe_compare(expected, model).map(|o| o != Ordering::Equal),
        // `0 > safeCompare(expected, model)`: the model is greater.
        CompareOp::Gt => ordered(|o| o == Ordering::Less),
        CompareOp::Gte => ordered(|o| o != Ordering::Greater),
        CompareOp::Lt => ordered(|o| o == Ordering::Greater),
        CompareOp::Lte => ordered(|o| o != Ordering::Less),
        CompareOp::Regex => {
            let (pattern, target) = match (model, expected) {
                (JVal::Pattern(p), target) => (*p, target),
                (target, JVal::Pattern(p)) => (*p, target),
                (_, other) => {
                    return Err(Cmp::Fatal(format!(
                    "java.lang.ClassCastException: {} cannot be cast to java.util.regex.Pattern",
                    java_class(other)
                )))
                }
            };
            if target.is_null() {
                return Ok(false);
            }
            pattern.matches(&target.java_string()).map_err(Cmp::Fatal)
        }
    }
}

fn java_class(v: &JVal<'_>) -> &'static str {
    match v {
        JVal::Null => "null",
        JVal::Str(_) => "java.lang.String",
        JVal::Int(_) => "java.lang.Integer",
        JVal::Double(_) => "java.lang.Double",
        JVal::Bool(_) => "java.lang.Boolean",
        JVal::Container(Cow::Borrowed(Value::Array(_)) | Cow::Owned(Value::Array(_)), _) => {
            "com.fasterxml.jackson.databind.node.ArrayNode"
        }
        JVal::Container(..) => "com.fasterxml.jackson.databind.node.ObjectNode",
        JVal::Big(_) => "com.fasterxml.jackson.databind.node.BigIntegerNode",
        JVal::Pattern(_) => "java.util.regex.Pattern",
    }
}

/// `Criteria.safeCompare(left, right)`.
fn safe_compare(left: &JVal<'_>, right: &JVal<'_>) -> Result<Ordering, Cmp> {
    if let (JVal::Container(_, Some(a)), JVal::Container(_, Some(b))) = (left, right) {
        if a == b {
            return Ok(Ordering::Equal);
        }
    }
    match (left.is_nullish(), right.is_nullish()) {
        (true, false) => return Ok(Ordering::Less),
        (false, true) => return Ok(Ordering::Greater),
        (true, true) => return Ok(Ordering::Equal),
        (false, false) => {}
    }
    match (left, right) {
        (JVal::Str(a), JVal::Str(b)) => {
            let a = if a.contains('\'') {
                Cow::Owned(a.replace("\\'", "'"))
            } else {
                Cow::Borrowed(a.as_ref())
            };
            Ok(java::compare_strings(&a, b))
        }
        (JVal::Str(a), b) if b.number_text().is_some() => {
            let b = b.number_text().unwrap_or_default();
            java::compare_decimals(a, &b).map_err(|bad| {
                Cmp::Fatal(format!(
                    "java.lang.NumberFormatException: not a number: {bad}"
                ))
            })
        }
        (a, b) if a.number_text().is_some() && b.number_text().is_some() => {
            let (a, b) = (
                a.number_text().unwrap_or_default(),
                b.number_text().unwrap_or_default(),
            );
            java::compare_decimals(&a, &b).map_err(|bad| {
                Cmp::Fatal(format!(
                    "java.lang.NumberFormatException: not a number: {bad}"
                ))
            })
        }
        (JVal::Str(a), JVal::Bool(b)) => Ok(a.eq_ignore_ascii_case("true").cmp(b)),
        (JVal::Bool(a), JVal::Bool(b)) => Ok(a.cmp(b)),
        _ => Err(Cmp::Incomparable),
    }
}
