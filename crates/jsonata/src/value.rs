//! The evaluator's own value type: cheap to clone (arrays, objects and functions are shared),
//! with `undefined`, sequences and the array flags jsonata-js keeps on its arrays.

use std::rc::Rc;

use indexmap::IndexMap;

use crate::ast::{LambdaDef, Node};
use crate::env::Env;
use crate::signature::Signature;

/// An object's entries, in insertion order. Hashed with foldhash rather than SipHash: keys are
/// short and lookups are most of a path's work (no hash flooding to defend against here).
pub type Map = IndexMap<Rc<str>, Value, foldhash::fast::FixedState>;

#[derive(Clone, Default)]
pub enum Value {
    #[default]
    Undefined,
    Null,
    Bool(bool),
    Num(f64),
    Str(Rc<str>),
    Array(Rc<Array>),
    Object(Rc<Obj>),
    Func(Rc<Func>),
}

/// An object's entries (a wrapper so that dropping deeply nested values needs no deep recursion).
#[derive(Clone, Default)]
pub struct Obj(pub Map);

impl std::ops::Deref for Obj {
    type Target = Map;
    fn deref(&self) -> &Map {
        &self.0
    }
}

impl std::ops::DerefMut for Obj {
    fn deref_mut(&mut self) -> &mut Map {
        &mut self.0
    }
}

/// Moves the children of values about to be freed onto a work list, so that freeing a value
/// nested a million levels deep does not recurse a million times.
fn drop_iteratively(mut work: Vec<Value>) {
    while let Some(v) = work.pop() {
        match v {
            Value::Array(a) => {
                if let Ok(mut a) = Rc::try_unwrap(a) {
                    work.append(&mut a.items);
                }
            }
            Value::Object(o) => {
                if let Ok(mut o) = Rc::try_unwrap(o) {
                    work.extend(std::mem::take(&mut o.0).into_values());
                }
            }
            _ => {}
        }
    }
}

/// Whether dropping this value frees an array or object (whose own children are then freed).
fn frees_a_container(v: &Value) -> bool {
    match v {
        Value::Array(a) => Rc::strong_count(a) == 1,
        Value::Object(o) => Rc::strong_count(o) == 1,
        _ => false,
    }
}

impl Drop for Obj {
    fn drop(&mut self) {
        if self.0.values().any(frees_a_container) {
            drop_iteratively(std::mem::take(&mut self.0).into_values().collect());
        }
    }
}

impl Drop for Array {
    fn drop(&mut self) {
        if self.items.iter().any(frees_a_container) {
            drop_iteratively(std::mem::take(&mut self.items));
        }
    }
}

#[derive(Clone, Default)]
pub struct Array {
    pub items: Vec<Value>,
    /// A sequence (a result of path evaluation) rather than a JSON array.
    pub seq: bool,
    pub keep_singleton: bool,
    pub outer_wrapper: bool,
    pub tuple_stream: bool,
    /// Built by an array constructor `[...]`.
    pub cons: bool,
}

pub type NativeFn = fn(&mut crate::eval::Evaluator, &[Value], &Value, &Env) -> crate::Result<Value>;

pub type HostFn =
    Rc<dyn Fn(&[Option<serde_json::Value>]) -> crate::Result<Option<serde_json::Value>>>;

pub enum Func {
    Lambda {
        def: Rc<LambdaDef>,
        params: Rc<Vec<Rc<str>>>,
        env: Env,
        input: Value,
        /// False for a partial application (jsonata-js drops the signature).
        with_signature: bool,
    },
    Native {
        name: Rc<str>,
        sig: Option<Rc<Signature>>,
        imp: NativeFn,
    },
    Host {
        #[allow(dead_code)]
        name: Rc<str>,
        sig: Option<Rc<Signature>>,
        imp: HostFn,
    },
    /// A native function partially applied: `None` marks a `?` placeholder.
    Partial {
        func: Value,
        args: Vec<Option<Value>>,
    },
    Regex(Rc<RegexDef>),
    /// `f ~> g`: a function that applies f, then g.
    Chain(Value, Value),
    Transform {
        node: Rc<Node>,
        env: Env,
    },
}

pub struct RegexDef {
    pub re: crate::regex::Regex,
    pub source: String,
}

impl Value {
    pub fn str(s: &str) -> Value {
        Value::Str(Rc::from(s))
    }
    pub fn string(s: String) -> Value {
        Value::Str(Rc::from(s))
    }
    pub fn is_undefined(&self) -> bool {
        matches!(self, Value::Undefined)
    }
    pub fn is_array(&self) -> bool {
        matches!(self, Value::Array(_))
    }
    pub fn is_function(&self) -> bool {
        matches!(self, Value::Func(_))
    }
    pub fn as_array(&self) -> Option<&Rc<Array>> {
        match self {
            Value::Array(a) => Some(a),
            _ => None,
        }
    }
    pub fn as_num(&self) -> Option<f64> {
        match self {
            Value::Num(n) => Some(*n),
            _ => None,
        }
    }
    pub fn array(items: Vec<Value>) -> Value {
        Value::Array(Rc::new(Array {
            items,
            ..Default::default()
        }))
    }
    pub fn seq(items: Vec<Value>) -> Value {
        Value::Array(Rc::new(Array {
            items,
            seq: true,
            ..Default::default()
        }))
    }
    pub fn object(m: Map) -> Value {
        Value::Object(Rc::new(Obj(m)))
    }
    /// Items of an array, or the value itself as a one-item list (nothing for undefined).
    pub fn to_items(&self) -> Vec<Value> {
        match self {
            Value::Array(a) => a.items.clone(),
            Value::Undefined => vec![],
            v => vec![v.clone()],
        }
    }
    pub fn type_name(&self) -> &'static str {
        match self {
            Value::Undefined => "undefined",
            Value::Null => "null",
            Value::Bool(_) => "boolean",
            Value::Num(_) => "number",
            Value::Str(_) => "string",
            Value::Array(_) => "array",
            Value::Object(_) => "object",
            Value::Func(_) => "function",
        }
    }
    pub fn get(&self, key: &str) -> Value {
        match self {
            Value::Object(m) => m.get(key).cloned().unwrap_or(Value::Undefined),
            _ => Value::Undefined,
        }
    }
    pub fn len(&self) -> usize {
        match self {
            Value::Array(a) => a.items.len(),
            _ => 0,
        }
    }
}

/// Inserts as a JavaScript object does: integer-like keys ("0", "17") come first, ascending.
pub fn obj_insert(m: &mut Map, key: Rc<str>, v: Value) {
    if array_index(&key).is_none() {
        // a new key goes last, a known one keeps its place
        m.insert(key, v);
        return;
    }
    if let Some(slot) = m.get_mut(&key) {
        *slot = v;
        return;
    }
    if let Some(k) = array_index(&key) {
        // find the position: after all index keys smaller than k
        let mut pos = 0;
        for (existing, _) in m.iter() {
            match array_index(existing) {
                Some(e) if e < k => pos += 1,
                _ => break,
            }
        }
        m.shift_insert(pos, key, v);
    } else {
        m.insert(key, v);
    }
}

fn array_index(k: &str) -> Option<u64> {
    if k.is_empty() || k.len() > 10 || (k.len() > 1 && k.starts_with('0')) {
        return None;
    }
    if !k.bytes().all(|b| b.is_ascii_digit()) {
        return None;
    }
    let n: u64 = k.parse().ok()?;
    if n < 4294967295 {
        Some(n)
    } else {
        None
    }
}

// ---- conversions ----

pub fn from_json(v: &serde_json::Value) -> Value {
    match v {
        serde_json::Value::Null => Value::Null,
        serde_json::Value::Bool(b) => Value::Bool(*b),
        serde_json::Value::Number(n) => Value::Num(n.as_f64().unwrap_or(f64::NAN)),
        serde_json::Value::String(s) => Value::str(s),
        serde_json::Value::Array(a) => Value::array(a.iter().map(from_json).collect()),
        serde_json::Value::Object(o) => {
            let mut m = Map::with_capacity_and_hasher(o.len(), Default::default());
            for (k, v) in o {
                let (k, v) = (Rc::from(k.as_str()), from_json(v));
                obj_insert(&mut m, k, v);
            }
            Value::object(m)
        }
    }
}

pub fn num_to_json(n: f64) -> serde_json::Value {
    if !n.is_finite() {
        return serde_json::Value::Null;
    }
    if n.fract() == 0.0 && n.abs() < 9.007_199_254_740_992e15 {
        if n == 0.0 {
            return serde_json::Value::from(0);
        }
        return serde_json::Value::from(n as i64);
    }
    serde_json::Number::from_f64(n)
        .map(serde_json::Value::Number)
        .unwrap_or(serde_json::Value::Null)
}

/// As JSON.stringify would see it: None for undefined and functions at the top.
pub fn to_json(v: &Value) -> Option<serde_json::Value> {
    Some(match v {
        Value::Undefined => return None,
        Value::Null => serde_json::Value::Null,
        Value::Bool(b) => serde_json::Value::Bool(*b),
        Value::Num(n) => num_to_json(*n),
        Value::Str(s) => serde_json::Value::String(String::from(&**s)),
        Value::Array(a) => serde_json::Value::Array(
            a.items
                .iter()
                .map(|i| to_json(i).unwrap_or(serde_json::Value::Null))
                .collect(),
        ),
        Value::Object(m) => {
            let mut o = serde_json::Map::new();
            for (k, v) in m.iter() {
                if let Some(j) = to_json(v) {
                    o.insert(String::from(&**k), j);
                }
            }
            serde_json::Value::Object(o)
        }
        Value::Func(_) => serde_json::Value::String(String::new()),
    })
}

// ---- numbers and strings as JavaScript writes them ----

/// `Number.prototype.toString()`.
pub fn js_number(n: f64) -> String {
    crate::js::number_to_string(n)
}

/// `Number(n.toPrecision(15))`.
pub fn to_precision_15(n: f64) -> f64 {
    if !n.is_finite() || n == 0.0 {
        return n;
    }
    let s = format!("{:.14e}", n);
    s.parse().unwrap_or(n)
}

pub fn json_quote(s: &str, out: &mut String) {
    out.push('"');
    for c in s.chars() {
        match c {
            '"' => out.push_str("\\\""),
            '\\' => out.push_str("\\\\"),
            '\n' => out.push_str("\\n"),
            '\r' => out.push_str("\\r"),
            '\t' => out.push_str("\\t"),
            '\u{8}' => out.push_str("\\b"),
            '\u{c}' => out.push_str("\\f"),
            c if (c as u32) < 0x20 => out.push_str(&format!("\\u{:04x}", c as u32)),
            c => out.push(c),
        }
    }
    out.push('"');
}

/// JSON.stringify with jsonata's replacer (numbers to 15 significant digits, functions as "").
pub fn stringify(v: &Value, pretty: bool, indent: usize, out: &mut String) {
    match v {
        Value::Undefined | Value::Null => out.push_str("null"),
        Value::Bool(b) => out.push_str(if *b { "true" } else { "false" }),
        Value::Num(n) => {
            if n.is_finite() {
                out.push_str(&js_number(to_precision_15(*n)))
            } else {
                out.push_str("null")
            }
        }
        Value::Str(s) => json_quote(s, out),
        Value::Func(_) => out.push_str("\"\""),
        Value::Array(a) => {
            if a.items.is_empty() {
                out.push_str("[]");
                return;
            }
            out.push('[');
            for (i, item) in a.items.iter().enumerate() {
                if i > 0 {
                    out.push(',');
                }
                if pretty {
                    out.push('\n');
                    push_indent(out, indent + 1);
                }
                stringify(item, pretty, indent + 1, out);
            }
            if pretty {
                out.push('\n');
                push_indent(out, indent);
            }
            out.push(']');
        }
        Value::Object(m) => {
            let entries: Vec<_> = m.iter().filter(|(_, v)| !v.is_undefined()).collect();
            if entries.is_empty() {
                out.push_str("{}");
                return;
            }
            out.push('{');
            for (i, (k, v)) in entries.iter().enumerate() {
                if i > 0 {
                    out.push(',');
                }
                if pretty {
                    out.push('\n');
                    push_indent(out, indent + 1);
                }
                json_quote(k, out);
                out.push(':');
                if pretty {
                    out.push(' ');
                }
                stringify(v, pretty, indent + 1, out);
            }
            if pretty {
                out.push('\n');
                push_indent(out, indent);
            }
            out.push('}');
        }
    }
}

fn push_indent(out: &mut String, n: usize) {
    for _ in 0..n {
        out.push_str("  ");
    }
}

pub fn deep_equal(a: &Value, b: &Value) -> bool {
    match (a, b) {
        (Value::Undefined, Value::Undefined) => true,
        (Value::Null, Value::Null) => true,
        (Value::Bool(x), Value::Bool(y)) => x == y,
        (Value::Num(x), Value::Num(y)) => x == y,
        (Value::Str(x), Value::Str(y)) => x == y,
        (Value::Array(x), Value::Array(y)) => {
            x.items.len() == y.items.len()
                && x.items
                    .iter()
                    .zip(y.items.iter())
                    .all(|(p, q)| deep_equal(p, q))
        }
        (Value::Object(x), Value::Object(y)) => {
            x.len() == y.len()
                && x.iter()
                    .all(|(k, v)| y.get(k).map(|w| deep_equal(v, w)).unwrap_or(false))
        }
        (Value::Func(x), Value::Func(y)) => Rc::ptr_eq(x, y),
        _ => false,
    }
}

/// `===` in JavaScript (objects by identity).
pub fn strict_equal(a: &Value, b: &Value) -> bool {
    match (a, b) {
        (Value::Array(x), Value::Array(y)) => Rc::ptr_eq(x, y),
        (Value::Object(x), Value::Object(y)) => Rc::ptr_eq(x, y),
        _ => deep_equal(a, b),
    }
}

/// A deep copy with fresh allocations (JSON.parse(JSON.stringify(v))).
pub fn deep_clone(v: &Value) -> Value {
    match v {
        Value::Array(a) => Value::array(
            a.items
                .iter()
                .map(|i| match i {
                    Value::Undefined | Value::Func(_) => Value::Null,
                    i => deep_clone(i),
                })
                .collect(),
        ),
        Value::Object(m) => {
            let mut n = Map::with_capacity_and_hasher(m.len(), Default::default());
            for (k, v) in m.iter() {
                match v {
                    Value::Undefined => {}
                    Value::Func(_) => {
                        n.insert(k.clone(), Value::str(""));
                    }
                    v => {
                        n.insert(k.clone(), deep_clone(v));
                    }
                }
            }
            Value::object(n)
        }
        Value::Num(n) if !n.is_finite() => Value::Null,
        v => v.clone(),
    }
}

/// The deepest nesting the recursive helpers (JSON output, equality, stringify, clone) accept.
pub const MAX_VALUE_NESTING: usize = 1000;

/// Whether a value nests no deeper than `max` (checked without deep recursion).
pub fn nesting_within(v: &Value, max: usize) -> bool {
    /// How deep the quick check recurses before it hands over to the work list.
    const SHALLOW: usize = 32;
    // `None`: deeper than SHALLOW (the depth `max` allows is at least that)
    fn shallow(v: &Value, d: usize) -> Option<()> {
        match v {
            Value::Array(_) | Value::Object(_) if d >= SHALLOW => None,
            Value::Array(a) => a.items.iter().try_for_each(|c| shallow(c, d + 1)),
            Value::Object(m) => m.values().try_for_each(|c| shallow(c, d + 1)),
            _ => Some(()),
        }
    }
    // most values are shallow: no work list for them
    if max >= SHALLOW && shallow(v, 0).is_some() {
        return true;
    }
    let mut stack: Vec<(&Value, usize)> = vec![(v, 0)];
    while let Some((v, d)) = stack.pop() {
        if d > max {
            return false;
        }
        match v {
            Value::Array(a) => stack.extend(a.items.iter().map(|i| (i, d + 1))),
            Value::Object(m) => stack.extend(m.values().map(|i| (i, d + 1))),
            _ => {}
        }
    }
    true
}

pub fn check_nesting(v: &Value) -> crate::Result<()> {
    if nesting_within(v, MAX_VALUE_NESTING) {
        Ok(())
    } else {
        Err(crate::Error::new("U1001").with_message("The value is nested too deeply"))
    }
}
