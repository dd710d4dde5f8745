//! Intrinsic functions (`States.Format('{}', $.name)` …), the JSONPath query language's small
//! built-in library, parsed once and evaluated against an [`IntrinsicEnv`].
//!
//! ```
//! use asl::intrinsics::{Intrinsic, IntrinsicEnv};
//! use serde_json::{json, Value};
//!
//! struct Input(Value);
//! impl IntrinsicEnv for Input {
//!     fn resolve(&mut self, path: &str) -> Result<Value, String> {
//!         let key = path.strip_prefix("$.").unwrap_or_default();
//!         self.0.get(key).cloned().ok_or_else(|| format!("no {path}"))
//!     }
//!     fn random(&mut self) -> f64 {
//!         0.5
//!     }
//! }
//!
//! let call = Intrinsic::parse("States.Format('Hello, {}!', $.name)").unwrap();
//! let value = call.evaluate(&mut Input(json!({"name": "Ada"}))).unwrap();
//! assert_eq!(value, json!("Hello, Ada!"));
//! ```
//!
//! # Syntax (checked when the definition is validated)
//! A call is `States.<Name>(<arg>, …)` with one of the 18 names. An argument is a string
//! literal in single quotes, a number (`-1`, `2.5`, `1e3`), `true`, `false`, `null`, a path
//! (`$`, `$.a[0]`, `$$.Execution.Id`, `$variable.field`) or another call. Inside a literal a
//! backslash may only escape `'`, `{`, `}` or `\`; anything else (`\"`, `\n`) makes the field
//! invalid, as AWS's validator says. At most [`MAX_CALLS`] calls may appear in one field.
//! Argument counts and types are checked when the call runs, as AWS does.
//!
//! # Failures
//! Every failure is `States.Runtime`. The cause names the call as written, then what went
//! wrong: `There was an error while evaluating the intrinsic function:
//! States.ArrayGetItem($.list, 9). Invalid arguments in States.ArrayGetItem`. The engine adds
//! its usual `An error occurred while executing the state …` prefix.
//!
//! # Java semantics
//! AWS evaluates intrinsics in Java, and the results show it: numbers are rounded or truncated
//! the Java way, `States.Format` prints objects as `{a=1, b=[]}`, `States.ArrayUnique` keeps a
//! `HashSet`'s order, a seeded `States.MathRandom` is `java.util.Random`. See the submodule
//! `java` for the model, and each function below for what is pinned and where from.

use crate::jsonpath::JsonPath;
use serde_json::{Map, Value};
use std::fmt;

pub(crate) mod java;
mod text;

/// The most intrinsic calls one field may hold, nested or side by side. AWS's guide: "You can
/// nest up to 10 intrinsic functions within a field", its example counting every call.
pub const MAX_CALLS: usize = 10;

/// The longest string (in UTF-16 units, like Java's `String.length()`) that Base64Encode,
/// Base64Decode and Hash accept.
const MAX_INPUT_LENGTH: usize = 10_000;

/// The most items ArrayRange may produce.
const MAX_RANGE_ITEMS: i64 = 1000;

/// AWS's validation message for a `.$` field whose value is neither a JSONPath nor a valid
/// intrinsic call; the location AWS gives is the object holding the field
/// (`/States/IntrinsicEscape/Parameters`).
pub fn invalid_field_message(field: &str) -> String {
    format!("The value for the field '{field}' must be a valid JSONPath or a valid intrinsic function call")
}

/// A parsed intrinsic call.
#[derive(Debug, Clone, PartialEq)]
pub struct Intrinsic {
    call: Call,
}

/// What the engine provides while a call runs.
pub trait IntrinsicEnv {
    /// Resolves a path argument (`$.a`, `$`, `$$.Execution.Id`, `$var.x`) to its value. `Err` is
    /// the text to report, AWS's being `The JsonPath argument for the field '$.a' could not be
    /// found in the input '{"b":1}'`; it follows the intrinsic envelope in the cause.
    fn resolve(&mut self, path: &str) -> Result<Value, String>;

    /// [`resolve`](Self::resolve) given the path compiled when the call was parsed (`None`
    /// when it is not a Jayway path, such as a variable reference `$name`). The engine reads
    /// the compiled path; the default parses the text again.
    fn resolve_compiled(
        &mut self,
        path: &str,
        _compiled: Option<&JsonPath>,
    ) -> Result<Value, String> {
        self.resolve(path)
    }

    /// A uniform random `f64` in `[0, 1)` from the execution's seeded generator; States.UUID
    /// and an unseeded States.MathRandom draw from it.
    fn random(&mut self) -> f64;
}

/// A failed call: an AWS error name and the cause to report after the engine's prefix.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct IntrinsicError {
    /// Always `States.Runtime`.
    pub error: String,
    pub cause: String,
}

impl fmt::Display for IntrinsicError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}: {}", self.error, self.cause)
    }
}

impl std::error::Error for IntrinsicError {}

impl Intrinsic {
    /// Parses the value of a `key.$` field that starts with `States.`. `Err` says what is wrong
    /// and where (a byte offset); the validator reports [`invalid_field_message`] at the
    /// field's pointer.
    pub fn parse(text: &str) -> Result<Intrinsic, String> {
        let mut parser = Parser {
            text,
            pos: 0,
            calls: 0,
        };
        let call = parser.call()?;
        parser.skip_ws();
        if parser.pos < text.len() {
            return Err(parser.error("unexpected text after the call"));
        }
        Ok(Intrinsic { call })
    }

    /// Runs the call.
    pub fn evaluate(&self, env: &mut dyn IntrinsicEnv) -> Result<Value, IntrinsicError> {
        eval(&self.call, env).map(|v| v.value)
    }
}

/// The call in a normalized spelling: arguments separated by `, `, literals as written.
impl fmt::Display for Intrinsic {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        self.call.fmt(f)
    }
}

// ---------------------------------------------------------------------------------------------
// The call tree

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Func {
    Format,
    StringToJson,
    JsonToString,
    Array,
    ArrayPartition,
    ArrayContains,
    ArrayRange,
    ArrayGetItem,
    ArrayLength,
    ArrayUnique,
    Base64Encode,
    Base64Decode,
    Hash,
    JsonMerge,
    MathRandom,
    MathAdd,
    StringSplit,
    Uuid,
}

impl Func {
    const ALL: [Func; 18] = [
        Func::Format,
        Func::StringToJson,
        Func::JsonToString,
        Func::Array,
        Func::ArrayPartition,
        Func::ArrayContains,
        Func::ArrayRange,
        Func::ArrayGetItem,
        Func::ArrayLength,
        Func::ArrayUnique,
        Func::Base64Encode,
        Func::Base64Decode,
        Func::Hash,
        Func::JsonMerge,
        Func::MathRandom,
        Func::MathAdd,
        Func::StringSplit,
        Func::Uuid,
    ];

    fn name(self) -> &'static str {
        match self {
            Func::Format => "States.Format",
            Func::StringToJson => "States.StringToJson",
            Func::JsonToString => "States.JsonToString",
            Func::Array => "States.Array",
            Func::ArrayPartition => "States.ArrayPartition",
            Func::ArrayContains => "States.ArrayContains",
            Func::ArrayRange => "States.ArrayRange",
            Func::ArrayGetItem => "States.ArrayGetItem",
            Func::ArrayLength => "States.ArrayLength",
            Func::ArrayUnique => "States.ArrayUnique",
            Func::Base64Encode => "States.Base64Encode",
            Func::Base64Decode => "States.Base64Decode",
            Func::Hash => "States.Hash",
            Func::JsonMerge => "States.JsonMerge",
            Func::MathRandom => "States.MathRandom",
            Func::MathAdd => "States.MathAdd",
            Func::StringSplit => "States.StringSplit",
            Func::Uuid => "States.UUID",
        }
    }

    /// How many arguments a call takes (`None`: no upper bound). UUID takes none but ignores
    /// any it is given (observed on AWS).
    fn arity(self) -> (usize, Option<usize>) {
        match self {
            Func::Format => (1, None),
            Func::Array => (0, None),
            Func::Uuid => (0, None),
            Func::StringToJson
            | Func::JsonToString
            | Func::ArrayLength
            | Func::ArrayUnique
            | Func::Base64Encode
            | Func::Base64Decode => (1, Some(1)),
            Func::ArrayPartition
            | Func::ArrayContains
            | Func::ArrayGetItem
            | Func::Hash
            | Func::MathAdd
            | Func::StringSplit => (2, Some(2)),
            Func::ArrayRange | Func::JsonMerge => (3, Some(3)),
            Func::MathRandom => (2, Some(3)),
        }
    }
}

#[derive(Debug, Clone, PartialEq)]
struct Call {
    func: Func,
    args: Vec<Arg>,
}

#[derive(Debug, Clone, PartialEq)]
enum Arg {
    Str(StrLit),
    /// A number literal: its value (`None` when it does not fit a double, like `1e999`) and
    /// its text.
    Number(Option<Value>, String),
    Bool(bool),
    Null,
    /// A path as written, and compiled once when it is a Jayway path.
    Path(String, Option<JsonPath>),
    Call(Box<Call>),
}

/// A string literal: its text as written between the quotes, and its characters, each marked
/// if it was escaped (States.Format treats an escaped `{` or `}` as text, not a placeholder).
#[derive(Debug, Clone, PartialEq)]
struct StrLit {
    raw: String,
    chars: Vec<(char, bool)>,
}

impl StrLit {
    fn value(&self) -> String {
        self.chars.iter().map(|&(c, _)| c).collect()
    }
}

impl fmt::Display for Call {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}(", self.func.name())?;
        for (i, arg) in self.args.iter().enumerate() {
            if i > 0 {
                f.write_str(", ")?;
            }
            match arg {
                Arg::Str(lit) => write!(f, "'{}'", lit.raw)?,
                Arg::Number(_, text) | Arg::Path(text, _) => f.write_str(text)?,
                Arg::Bool(b) => write!(f, "{b}")?,
                Arg::Null => f.write_str("null")?,
                Arg::Call(call) => call.fmt(f)?,
            }
        }
        f.write_str(")")
    }
}

// ---------------------------------------------------------------------------------------------
// Parsing

struct Parser<'t> {
    text: &'t str,
    pos: usize,
    calls: usize,
}

impl Parser<'_> {
    fn rest(&self) -> &str {
        &self.text[self.pos..]
    }

    fn peek(&self) -> Option<char> {
        self.rest().chars().next()
    }

    fn error(&self, what: &str) -> String {
        format!("{what} at offset {}", self.pos)
    }

    fn skip_ws(&mut self) {
        let rest = self.rest();
        self.pos += rest.len() - rest.trim_start_matches([' ', '\t', '\n', '\r']).len();
    }

    fn call(&mut self) -> Result<Call, String> {
        if !self.rest().starts_with("States.") {
            return Err(self.error("expected 'States.'"));
        }
        self.calls += 1;
        if self.calls > MAX_CALLS {
            return Err(self.error(&format!(
                "more than {MAX_CALLS} intrinsic functions in one field"
            )));
        }
        let name_start = self.pos;
        self.pos += "States.".len();
        let name_len = self
            .rest()
            .find(|c: char| !c.is_ascii_alphanumeric())
            .unwrap_or(self.rest().len());
        let name = &self.text[name_start..self.pos + name_len];
        let Some(func) = Func::ALL.into_iter().find(|f| f.name() == name) else {
            return Err(self.error(&format!("'{name}' is not an intrinsic function")));
        };
        self.pos += name_len;
        self.skip_ws();
        if self.peek() != Some('(') {
            return Err(self.error("expected '('"));
        }
        self.pos += 1;
        self.skip_ws();
        let mut args = Vec::new();
        if self.peek() == Some(')') {
            self.pos += 1;
            return Ok(Call { func, args });
        }
        loop {
            self.skip_ws();
            args.push(self.arg()?);
            self.skip_ws();
            match self.peek() {
                Some(',') => self.pos += 1,
                Some(')') => {
                    self.pos += 1;
                    return Ok(Call { func, args });
                }
                _ => return Err(self.error("expected ',' or ')'")),
            }
        }
    }

    fn arg(&mut self) -> Result<Arg, String> {
        match self.peek() {
            Some('\'') => self.string().map(Arg::Str),
            Some('$') => self.path().map(|text| {
                let compiled = JsonPath::parse(&text).ok();
                Arg::Path(text, compiled)
            }),
            Some('-' | '0'..='9') => self.number(),
            Some('S') => self.call().map(|call| Arg::Call(Box::new(call))),
            Some(c) if c.is_ascii_alphabetic() => {
                let word_len = self
                    .rest()
                    .find(|c: char| !c.is_ascii_alphanumeric() && c != '_')
                    .unwrap_or(self.rest().len());
                let arg = match &self.rest()[..word_len] {
                    "true" => Arg::Bool(true),
                    "false" => Arg::Bool(false),
                    "null" => Arg::Null,
                    _ => return Err(self.error("expected an argument")),
                };
                self.pos += word_len;
                Ok(arg)
            }
            _ => Err(self.error("expected an argument")),
        }
    }

    fn string(&mut self) -> Result<StrLit, String> {
        self.pos += 1; // opening quote
        let start = self.pos;
        let mut chars = Vec::new();
        let mut iter = self.rest().char_indices();
        while let Some((i, c)) = iter.next() {
            match c {
                '\'' => {
                    let raw = self.text[start..start + i].to_string();
                    self.pos = start + i + 1;
                    return Ok(StrLit { raw, chars });
                }
                '\\' => match iter.next() {
                    Some((_, e @ ('\'' | '{' | '}' | '\\'))) => chars.push((e, true)),
                    Some((j, e)) => {
                        self.pos = start + j;
                        return Err(self.error(&format!(
                            "'\\{e}' is not an escape; only \\', \\{{, \\}} and \\\\ are"
                        )));
                    }
                    None => break,
                },
                c => chars.push((c, false)),
            }
        }
        self.pos = start - 1;
        Err(self.error("unterminated string literal"))
    }

    /// A path runs to the next `,` or `)` outside brackets (bracket contents may quote).
    fn path(&mut self) -> Result<String, String> {
        let start = self.pos;
        let mut depth = 0usize;
        let mut quote: Option<char> = None;
        let mut end = self.text.len();
        for (i, c) in self.rest().char_indices() {
            match (quote, c) {
                (Some(q), c) if c == q => quote = None,
                (Some(_), _) => {}
                (None, '\'' | '"') if depth > 0 => quote = Some(c),
                (None, '[') => depth += 1,
                (None, ']') => {
                    if depth == 0 {
                        self.pos = start + i;
                        return Err(self.error("unbalanced ']'"));
                    }
                    depth -= 1;
                }
                (None, ',' | ')' | ' ' | '\t' | '\n' | '\r') if depth == 0 => {
                    end = start + i;
                    break;
                }
                _ => {}
            }
        }
        if depth > 0 || quote.is_some() {
            return Err(self.error("unterminated '[' in a path"));
        }
        let path = &self.text[start..end];
        let body = path.strip_prefix("$$").unwrap_or(&path[1..]);
        let well_formed = match body.chars().next() {
            None => true,
            Some('.' | '[') => !body.ends_with('.'),
            // A variable reference: `$name`, `$name.field` (not after `$$`).
            Some(c) => !path.starts_with("$$") && (c.is_alphabetic() || c == '_'),
        };
        if !well_formed {
            return Err(self.error(&format!("'{path}' is not a valid path")));
        }
        self.pos = end;
        Ok(path.to_string())
    }

    fn number(&mut self) -> Result<Arg, String> {
        let start = self.pos;
        let bytes = self.text.as_bytes();
        let mut i = start;
        let digits = |i: &mut usize| {
            let from = *i;
            while *i < bytes.len() && bytes[*i].is_ascii_digit() {
                *i += 1;
            }
            *i - from
        };
        if bytes[i] == b'-' {
            i += 1;
        }
        let int_start = i;
        let int_digits = digits(&mut i);
        let mut integral = true;
        let mut ok = int_digits > 0 && (int_digits == 1 || bytes[int_start] != b'0');
        if ok && i < bytes.len() && bytes[i] == b'.' {
            i += 1;
            integral = false;
            ok = digits(&mut i) > 0;
        }
        if ok && i < bytes.len() && (bytes[i] == b'e' || bytes[i] == b'E') {
            i += 1;
            integral = false;
            if i < bytes.len() && (bytes[i] == b'+' || bytes[i] == b'-') {
                i += 1;
            }
            ok = digits(&mut i) > 0;
        }
        if !ok || (i < bytes.len() && (bytes[i].is_ascii_alphanumeric() || bytes[i] == b'.')) {
            self.pos = i;
            return Err(self.error("malformed number"));
        }
        let text = &self.text[start..i];
        self.pos = i;
        Ok(Arg::Number(
            text::number_value(text, integral),
            text.to_string(),
        ))
    }
}

// ---------------------------------------------------------------------------------------------
// Evaluation

/// A value, and whether it came out of States.StringToJson: AWS keeps that result as a Jackson
/// tree, whose `toString` is JSON, so States.Format and States.Hash print it as JSON (`"x"`,
/// `{"a":1}`) where they print a plain value the Java way (`x`, `{a=1}`).
struct Val {
    value: Value,
    json_tree: bool,
}

impl Val {
    fn plain(value: Value) -> Val {
        Val {
            value,
            json_tree: false,
        }
    }

    /// `String.valueOf` of the Java object AWS holds.
    fn to_java_string(&self) -> String {
        if self.json_tree {
            java::to_jackson_json(&self.value)
        } else {
            java::to_java_string(&self.value)
        }
    }
}

fn runtime_error(call: &Call, detail: &str) -> IntrinsicError {
    IntrinsicError {
        error: "States.Runtime".into(),
        cause: format!(
            "There was an error while evaluating the intrinsic function: {call}. {detail}"
        ),
    }
}

fn invalid(call: &Call) -> IntrinsicError {
    runtime_error(call, &format!("Invalid arguments in {}", call.func.name()))
}

fn eval(call: &Call, env: &mut dyn IntrinsicEnv) -> Result<Val, IntrinsicError> {
    let (min, max) = call.func.arity();
    if call.func == Func::Uuid {
        return Ok(Val::plain(Value::String(uuid(env))));
    }
    if call.args.len() < min || max.is_some_and(|max| call.args.len() > max) {
        return Err(invalid(call));
    }
    let mut args = Vec::with_capacity(call.args.len());
    for arg in &call.args {
        args.push(match arg {
            Arg::Str(lit) => Val::plain(Value::String(lit.value())),
            Arg::Number(Some(n), _) => Val::plain(n.clone()),
            Arg::Number(None, _) => return Err(invalid(call)),
            Arg::Bool(b) => Val::plain(Value::Bool(*b)),
            Arg::Null => Val::plain(Value::Null),
            Arg::Path(path, compiled) => Val::plain(
                env.resolve_compiled(path, compiled.as_ref())
                    .map_err(|e| runtime_error(call, &e))?,
            ),
            Arg::Call(inner) => eval(inner, env)?,
        });
    }
    let bad = || invalid(call);
    let value = match call.func {
        Func::Format => return format(call, &args).map(Val::plain),
        Func::StringToJson => {
            let Value::String(s) = &args[0].value else {
                return Err(bad());
            };
            let value = text::parse_json_like_jackson(s).map_err(|_| bad())?;
            return Ok(Val {
                value,
                json_tree: true,
            });
        }
        Func::JsonToString => Value::String(java::to_jackson_json(&args[0].value)),
        Func::Array => Value::Array(args.into_iter().map(|a| a.value).collect()),
        Func::ArrayPartition => {
            let items = array(&args[0]).ok_or_else(bad)?;
            let size = integer(&args[1], java::truncate).ok_or_else(bad)?;
            if size < 1 {
                return Err(bad());
            }
            let size = usize::try_from(size).unwrap_or(usize::MAX);
            Value::Array(
                items
                    .chunks(size)
                    .map(|chunk| Value::Array(chunk.to_vec()))
                    .collect(),
            )
        }
        Func::ArrayContains => {
            let items = array(&args[0]).ok_or_else(bad)?;
            Value::Bool(
                items
                    .iter()
                    .any(|item| java::java_equals(item, &args[1].value)),
            )
        }
        Func::ArrayRange => Value::Array(array_range(&args).ok_or_else(bad)?),
        Func::ArrayGetItem => {
            let items = array(&args[0]).ok_or_else(bad)?;
            let index = integer(&args[1], java::truncate).ok_or_else(bad)?;
            // Observed on AWS: an empty array gives null for any index.
            if items.is_empty() {
                return Ok(Val::plain(Value::Null));
            }
            let item = usize::try_from(index)
                .ok()
                .and_then(|i| items.get(i))
                .ok_or_else(bad)?;
            return Ok(Val {
                value: item.clone(),
                json_tree: args[0].json_tree,
            });
        }
        Func::ArrayLength => Value::from(array(&args[0]).ok_or_else(bad)?.len()),
        Func::ArrayUnique => {
            let items = array(&args[0]).ok_or_else(bad)?;
            Value::Array(
                java::hash_set_order(items)
                    .into_iter()
                    .map(|i| items[i].clone())
                    .collect(),
            )
        }
        Func::Base64Encode => {
            let s = limited_string(&args[0]).ok_or_else(bad)?;
            Value::String(text::base64_encode(s.as_bytes()))
        }
        Func::Base64Decode => {
            let s = limited_string(&args[0]).ok_or_else(bad)?;
            let bytes = text::base64_decode_lenient(s);
            Value::String(String::from_utf8_lossy(&bytes).into_owned())
        }
        Func::Hash => Value::String(hash(&args).ok_or_else(bad)?),
        Func::JsonMerge => {
            let (Value::Object(first), Value::Object(second)) = (&args[0].value, &args[1].value)
            else {
                return Err(bad());
            };
            // Only `true` asks for the deep merge AWS does not support; AWS merges shallowly
            // whatever else the flag is (a string "false" included).
            if args[2].value == Value::Bool(true) {
                return Err(bad());
            }
            let mut merged: Map<String, Value> = first.clone();
            for (k, v) in second {
                merged.insert(k.clone(), v.clone());
            }
            Value::Object(merged)
        }
        Func::MathRandom => Value::from(math_random(&args, env).ok_or_else(bad)?),
        Func::MathAdd => {
            // Pinned by AWS's recorded runs: each operand goes through Math.round first
            // (1.5 + 1.51 = 4, -0.5 + 0.5 = 1, -2.5 + 0 = -2), and the sum is an int.
            let a = integer(&args[0], java::round).ok_or_else(bad)?;
            let b = integer(&args[1], java::round).ok_or_else(bad)?;
            let sum = i32::try_from(a)
                .ok()
                .zip(i32::try_from(b).ok())
                .and_then(|(a, b)| a.checked_add(b))
                .ok_or_else(bad)?;
            Value::from(sum)
        }
        Func::StringSplit => {
            let (Value::String(s), Value::String(delimiters)) = (&args[0].value, &args[1].value)
            else {
                return Err(bad());
            };
            Value::Array(
                text::tokenize(s, delimiters)
                    .into_iter()
                    .map(|token| Value::String(token.to_string()))
                    .collect(),
            )
        }
        Func::Uuid => unreachable!("handled before the arguments are evaluated"),
    };
    Ok(Val::plain(value))
}

fn array(arg: &Val) -> Option<&Vec<Value>> {
    arg.value.as_array()
}

/// A number argument made an integer: `to_integer` (Math.round or a (long) cast) for a double,
/// as is for an integer. Not a number: `None`.
fn integer(arg: &Val, to_integer: fn(f64) -> i64) -> Option<i64> {
    let n = arg.value.as_number()?;
    if let Some(i) = n.as_i64() {
        Some(i)
    } else if n.is_u64() {
        Some(i64::MAX)
    } else {
        n.as_f64().map(to_integer)
    }
}

/// An `int` argument: a number truncated toward zero (observed on AWS for ArrayRange,
/// ArrayPartition, ArrayGetItem and MathRandom: 2.6 acts as 2, -0.6 as 0), within Java's `int`.
fn int_arg(arg: &Val) -> Option<i64> {
    integer(arg, java::truncate).filter(|i| i32::try_from(*i).is_ok())
}

/// A string argument no longer than [`MAX_INPUT_LENGTH`].
fn limited_string(arg: &Val) -> Option<&str> {
    let s = arg.value.as_str()?;
    (s.len() <= MAX_INPUT_LENGTH || s.encode_utf16().count() <= MAX_INPUT_LENGTH).then_some(s)
}

/// States.Format: `{}` placeholders, filled in order with each argument as Java prints it
/// (pinned by AWS's runs: `null`, `1`, `1.1`, `{Arg1=1, Arg2=[]}`, strings without quotes).
/// Placeholders and arguments must be as many. In a literal template an escaped brace (`\{`)
/// is text; an unescaped `{` not followed by `}`, or a lone `}`, fails.
fn format(call: &Call, args: &[Val]) -> Result<Value, IntrinsicError> {
    let template: Vec<(char, bool)> = match (&call.args[0], &args[0].value) {
        (Arg::Str(lit), _) => lit.chars.clone(),
        (_, Value::String(s)) => s.chars().map(|c| (c, false)).collect(),
        _ => return Err(invalid(call)),
    };
    let values = &args[1..];
    let mut out = String::new();
    let mut next = 0;
    let mut i = 0;
    while i < template.len() {
        match template[i] {
            ('{', false) => {
                if template.get(i + 1) != Some(&('}', false)) {
                    return Err(runtime_error(
                        call,
                        "Invalid template in States.Format: matching '}' not found for '{'.",
                    ));
                }
                if let Some(value) = values.get(next) {
                    out.push_str(&value.to_java_string());
                }
                next += 1;
                i += 2;
            }
            ('}', false) => {
                return Err(runtime_error(
                    call,
                    "Invalid template in States.Format: matching '{' not found for '}'.",
                ));
            }
            (c, _) => {
                out.push(c);
                i += 1;
            }
        }
    }
    if next != values.len() {
        return Err(runtime_error(
            call,
            "Invalid arguments in States.Format: number of arguments do not match the occurrences of {}.",
        ));
    }
    Ok(Value::String(out))
}

/// States.ArrayRange(first, last, step): from `first` towards `last` inclusive, `step` apart
/// (negative steps count down; the wrong direction gives `[]`), at most 1000 items.
fn array_range(args: &[Val]) -> Option<Vec<Value>> {
    let start = int_arg(&args[0])?;
    let end = int_arg(&args[1])?;
    let step = int_arg(&args[2])?;
    if step == 0 {
        return None;
    }
    let count = if step > 0 && start <= end {
        (end - start) / step + 1
    } else if step < 0 && start >= end {
        (start - end) / -step + 1
    } else {
        0
    };
    if count > MAX_RANGE_ITEMS {
        return None;
    }
    Some((0..count).map(|k| Value::from(start + k * step)).collect())
}

/// States.Hash(data, algorithm): the lower-case hex digest of the data's UTF-8 bytes. Data that
/// is not a string is hashed as Java prints it (observed on AWS: numbers and objects are
/// accepted); it may be at most 10,000 characters. The algorithm is spelled exactly.
fn hash(args: &[Val]) -> Option<String> {
    let data = match &args[0].value {
        Value::String(s) if !args[0].json_tree => s.clone(),
        _ => args[0].to_java_string(),
    };
    if data.encode_utf16().count() > MAX_INPUT_LENGTH {
        return None;
    }
    let digest = digest(data.as_bytes(), args[1].value.as_str()?)?;
    Some(digest.iter().map(|b| format!("{b:02x}")).collect())
}

/// The digest of `bytes` by one of AWS's algorithm names (`MD5`, `SHA-1`, `SHA-256`,
/// `SHA-384`, `SHA-512`): shared by States.Hash and JSONata's `$hash`.
pub fn digest(bytes: &[u8], algorithm: &str) -> Option<Vec<u8>> {
    use sha2::Digest;
    Some(match algorithm {
        "MD5" => md5::Md5::digest(bytes).to_vec(),
        "SHA-1" => sha1::Sha1::digest(bytes).to_vec(),
        "SHA-256" => sha2::Sha256::digest(bytes).to_vec(),
        "SHA-384" => sha2::Sha384::digest(bytes).to_vec(),
        "SHA-512" => sha2::Sha512::digest(bytes).to_vec(),
        _ => return None,
    })
}

/// States.MathRandom(start, end[, seed]): an integer in `[start, end)`, as
/// `random.nextInt(end - start) + start` (so `end` must exceed `start`, by at most
/// `Integer.MAX_VALUE`). With a seed the generator is `new java.util.Random(seed)`, so the same
/// seed always gives the same number; without one it is the execution's generator. Bounds are
/// truncated toward zero (observed on AWS: `(1.4, 1.6)` fails, `(1.6, 5.4)` can give 1).
fn math_random(args: &[Val], env: &mut dyn IntrinsicEnv) -> Option<i64> {
    let start = int_arg(&args[0])?;
    let end = int_arg(&args[1])?;
    let bound = i32::try_from(end - start).ok().filter(|b| *b > 0)?;
    let offset = match args.get(2) {
        Some(seed) => {
            let seed = integer(seed, java::truncate)?;
            i64::from(java::JavaRandom::new(seed).next_int_bounded(bound))
        }
        None => ((env.random() * f64::from(bound)) as i64).min(i64::from(bound) - 1),
    };
    Some(start + offset)
}

/// States.UUID(): a version 4 UUID from 128 bits of the execution's generator.
fn uuid(env: &mut dyn IntrinsicEnv) -> String {
    let mut bytes = [0u8; 16];
    for chunk in bytes.chunks_mut(4) {
        let word = (env.random() * 4_294_967_296.0) as u32;
        chunk.copy_from_slice(&word.to_be_bytes());
    }
    uuid_v4(bytes)
}

/// 16 random bytes as a version 4 UUID's text (States.UUID and JSONata's `$uuid`).
pub(crate) fn uuid_v4(mut bytes: [u8; 16]) -> String {
    bytes[6] = (bytes[6] & 0x0f) | 0x40;
    bytes[8] = (bytes[8] & 0x3f) | 0x80;
    let hex: String = bytes.iter().map(|b| format!("{b:02x}")).collect();
    format!(
        "{}-{}-{}-{}-{}",
        &hex[0..8],
        &hex[8..12],
        &hex[12..16],
        &hex[16..20],
        &hex[20..32]
    )
}
