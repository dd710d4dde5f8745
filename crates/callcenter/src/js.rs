//! JavaScript values, as the tutorial's Lambda functions see them and give them back.
//!
//! The functions are tiny, but they are JavaScript: the event is what `JSON.parse` made of the
//! input, `event.X` may be `undefined`, `+` converts anything to a string, and the result goes
//! back through `JSON.stringify`. This module reproduces exactly the parts they use, each rule
//! checked against Node.js 20 (the unit tests below quote what Node prints):
//!
//! * [`JsValue::parse`]: `JSON.parse` (numbers become IEEE doubles, object keys take JavaScript's
//!   own-property order: array indices first, ascending, then the others as written);
//! * [`JsValue::get`]: property access `value.key`, throwing on `null` and `undefined`;
//! * [`JsValue::plus`]: the `+` operator, with `ToPrimitive` and `ToString` (arrays join with
//!   `,`, objects become `[object Object]`, numbers print as JavaScript prints them);
//! * [`JsValue::stringify`]: `JSON.stringify` (keys whose value is `undefined` are left out).
//!
//! Numbers are printed with the `ryu-js` crate, which implements JavaScript's
//! `Number::toString` (shortest round-trip digits, `1e+21`, `0.000001`, `1e-7`, `-0` → `0`).

use serde_json::{Map, Number, Value};

/// A JavaScript value that can come out of `JSON.parse`, plus `undefined`. Functions (and so
/// callable `toString`/`valueOf` properties) cannot: that is what makes the conversions below
/// total.
#[derive(Debug, Clone, PartialEq)]
pub enum JsValue {
    Undefined,
    Null,
    Bool(bool),
    /// Every JavaScript number is an IEEE double.
    Number(f64),
    String(String),
    Array(Vec<JsValue>),
    /// Own properties, in JavaScript's order (see [`JsValue::parse`]); keys are unique.
    Object(Vec<(String, JsValue)>),
}

/// A JavaScript exception. Only `TypeError`s can arise in the tutorial's functions.
#[derive(Debug, Clone, PartialEq)]
pub struct JsError {
    /// The error's `name`, e.g. `TypeError`.
    pub name: &'static str,
    /// The error's `message`, worded as Node.js 20 (V8) words it.
    pub message: String,
    /// The stack frames above the place that threw, innermost first, each as V8 prints it
    /// (`    at Array.join (<anonymous>)`). The caller adds its own frames.
    pub frames: Vec<String>,
}

impl JsError {
    fn type_error(message: String) -> Self {
        JsError {
            name: "TypeError",
            message,
            frames: Vec::new(),
        }
    }

    /// The first line of `error.stack`: `TypeError: <message>`.
    pub fn headline(&self) -> String {
        format!("{}: {}", self.name, self.message)
    }
}

/// JavaScript's `Number::toString(x)` (what `String(x)` and `"" + x` give).
pub use jsonata::number_to_string;

/// The JSON number `JSON.stringify` writes for a finite double, as a [`serde_json::Number`]:
/// the digits JavaScript prints, kept as an integer when they are one that fits `i64`/`u64`
/// (so `12345678901234567890` comes back as `12345678901234567000`, `-0` and `1.0` as `0` and
/// `1`). Other doubles stay doubles: the same value, but without serde_json's
/// `arbitrary_precision` nothing can make its serializer spell them as JavaScript does. It
/// does for most; it does not for integers beyond `i64`/`u64` (`1e+20` for
/// `100000000000000000000`, `-9.223372036854776e+18` for `-9223372036854776000`) nor for
/// `0.000001` ≤ |x| < `0.00001` (`1e-6` for `0.000001`).
fn json_number(x: f64) -> Option<Number> {
    if !x.is_finite() {
        return None;
    }
    let text = number_to_string(x);
    if !text.contains(['.', 'e']) {
        if let Ok(i) = text.parse::<i64>() {
            return Some(Number::from(i));
        }
        if let Ok(u) = text.parse::<u64>() {
            return Some(Number::from(u));
        }
    }
    Number::from_f64(x)
}

/// Whether `key` is an array index (`ToString(ToUint32(key)) === key` and not 2³² − 1): such
/// keys come first in an object's own-property order, in ascending numeric order.
fn array_index(key: &str) -> Option<u32> {
    let canonical =
        key == "0" || (!key.starts_with('0') && key.bytes().all(|b| b.is_ascii_digit()));
    if !canonical {
        return None;
    }
    key.parse::<u32>().ok().filter(|&i| i != u32::MAX)
}

impl JsValue {
    /// A JavaScript string.
    pub fn string(s: impl Into<String>) -> Self {
        JsValue::String(s.into())
    }

    /// `JSON.parse(text)` for the JSON `json` (already parsed by serde_json): every number
    /// becomes a double, and an object's keys are reordered as JavaScript keeps them, array
    /// indices (`"0"`, `"1"`, … up to 2³² − 2) first in ascending order, then the other keys in
    /// the order written.
    pub fn parse(json: &Value) -> Self {
        match json {
            Value::Null => JsValue::Null,
            Value::Bool(b) => JsValue::Bool(*b),
            // serde_json keeps integers exactly; JavaScript rounds them to the nearest double.
            Value::Number(n) => JsValue::Number(n.as_f64().unwrap_or(f64::NAN)),
            Value::String(s) => JsValue::String(s.clone()),
            Value::Array(items) => JsValue::Array(items.iter().map(JsValue::parse).collect()),
            Value::Object(map) => {
                let mut indices: Vec<(u32, String, JsValue)> = Vec::new();
                let mut others: Vec<(String, JsValue)> = Vec::new();
                for (key, value) in map {
                    match array_index(key) {
                        Some(i) => indices.push((i, key.clone(), JsValue::parse(value))),
                        None => others.push((key.clone(), JsValue::parse(value))),
                    }
                }
                indices.sort_by_key(|(i, _, _)| *i);
                let mut props: Vec<(String, JsValue)> =
                    indices.into_iter().map(|(_, k, v)| (k, v)).collect();
                props.extend(others);
                JsValue::Object(props)
            }
        }
    }

    /// A JavaScript object literal `{k1: v1, k2: v2}`: keys in the order written.
    pub fn object<const N: usize>(props: [(&str, JsValue); N]) -> Self {
        JsValue::Object(props.into_iter().map(|(k, v)| (k.to_owned(), v)).collect())
    }

    /// The property access `value.key`.
    ///
    /// On an object, its own property or `undefined`; on a string, number, boolean or array,
    /// `undefined`; on `null` or `undefined`, a `TypeError` worded as Node.js 20 words it:
    /// `Cannot read properties of null (reading 'key')`.
    ///
    /// Only for keys that no built-in prototype has (`inputCaseID`, `Case`, `Message`,
    /// `Status`): `"abc".length` or `{}.toString` would find the built-ins, which this model
    /// leaves out.
    pub fn get(&self, key: &str) -> Result<JsValue, JsError> {
        match self {
            JsValue::Null | JsValue::Undefined => {
                let what = if *self == JsValue::Null {
                    "null"
                } else {
                    "undefined"
                };
                Err(JsError::type_error(format!(
                    "Cannot read properties of {what} (reading '{key}')"
                )))
            }
            JsValue::Object(props) => Ok(props
                .iter()
                .find(|(k, _)| k == key)
                .map_or(JsValue::Undefined, |(_, v)| v.clone())),
            JsValue::Bool(_) | JsValue::Number(_) | JsValue::String(_) | JsValue::Array(_) => {
                Ok(JsValue::Undefined)
            }
        }
    }

    /// `ToPrimitive(value)`, either hint: primitives as they are; an array through
    /// `Array.prototype.toString` (its elements joined with `,`); a plain object through
    /// `Object.prototype.toString`, `[object Object]`. An object with its own `toString`
    /// property (never callable in JSON) shadows the built-in, and `valueOf` gives back the
    /// object itself, so nothing converts it: `TypeError: Cannot convert object to primitive
    /// value`.
    fn to_primitive(&self) -> Result<JsValue, JsError> {
        match self {
            JsValue::Array(items) => {
                let joined = Self::join(items).map_err(|mut e| {
                    e.frames.push("    at Array.join (<anonymous>)".to_owned());
                    e.frames
                        .push("    at Array.toString (<anonymous>)".to_owned());
                    e
                })?;
                Ok(JsValue::String(joined))
            }
            JsValue::Object(props) => {
                if props.iter().any(|(k, _)| k == "toString") {
                    Err(JsError::type_error(
                        "Cannot convert object to primitive value".to_owned(),
                    ))
                } else {
                    Ok(JsValue::string("[object Object]"))
                }
            }
            primitive => Ok(primitive.clone()),
        }
    }

    /// `Array.prototype.join` with the default separator: `null` and `undefined` elements
    /// give the empty string, the others `ToString(element)`.
    fn join(items: &[JsValue]) -> Result<String, JsError> {
        let mut parts = Vec::with_capacity(items.len());
        for item in items {
            parts.push(match item {
                JsValue::Null | JsValue::Undefined => String::new(),
                other => other.to_js_string()?,
            });
        }
        Ok(parts.join(","))
    }

    /// JavaScript's `ToString(value)`: `undefined`, `null`, `true`, `false`, numbers as
    /// JavaScript prints them, strings as they are, arrays and objects through
    /// [`ToPrimitive`](Self::to_primitive).
    pub fn to_js_string(&self) -> Result<String, JsError> {
        Ok(match self.to_primitive()? {
            JsValue::Undefined => "undefined".to_owned(),
            JsValue::Null => "null".to_owned(),
            JsValue::Bool(b) => b.to_string(),
            JsValue::Number(x) => number_to_string(x),
            JsValue::String(s) => s,
            JsValue::Array(_) | JsValue::Object(_) => unreachable!("ToPrimitive gives a primitive"),
        })
    }

    /// JavaScript's `ToNumber` for a primitive that is not a string.
    fn to_number(&self) -> f64 {
        match self {
            JsValue::Undefined => f64::NAN,
            JsValue::Null => 0.0,
            JsValue::Bool(b) => f64::from(u8::from(*b)),
            JsValue::Number(x) => *x,
            _ => unreachable!("only called on non-string primitives"),
        }
    }

    /// The `+` operator, `self + rhs`: both sides go through `ToPrimitive`; if either is then
    /// a string the result is the concatenation of both `ToString`s, otherwise the sum of both
    /// `ToNumber`s. (Arrays and objects always give strings, so the numeric case only meets
    /// `undefined`, `null`, booleans and numbers.)
    pub fn plus(&self, rhs: &JsValue) -> Result<JsValue, JsError> {
        let left = self.to_primitive()?;
        let right = rhs.to_primitive()?;
        if matches!(left, JsValue::String(_)) || matches!(right, JsValue::String(_)) {
            Ok(JsValue::String(
                left.to_js_string()? + &right.to_js_string()?,
            ))
        } else {
            Ok(JsValue::Number(left.to_number() + right.to_number()))
        }
    }

    /// `JSON.stringify(value)`, as the JSON it writes; `None` where it writes nothing (for
    /// `undefined`). Object keys keep their order and those whose value is `undefined` are left
    /// out; `undefined` in an array becomes `null`, as do `NaN` and the infinities; numbers
    /// follow [`json_number`].
    pub fn stringify(&self) -> Option<Value> {
        Some(match self {
            JsValue::Undefined => return None,
            JsValue::Null => Value::Null,
            JsValue::Bool(b) => Value::Bool(*b),
            JsValue::Number(x) => json_number(*x).map_or(Value::Null, Value::Number),
            JsValue::String(s) => Value::String(s.clone()),
            JsValue::Array(items) => Value::Array(
                items
                    .iter()
                    .map(|item| item.stringify().unwrap_or(Value::Null))
                    .collect(),
            ),
            JsValue::Object(props) => {
                let mut map = Map::new();
                for (key, value) in props {
                    if let Some(json) = value.stringify() {
                        map.insert(key.clone(), json);
                    }
                }
                Value::Object(map)
            }
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    fn parse(text: &str) -> JsValue {
        JsValue::parse(&serde_json::from_str(text).unwrap())
    }

    /// `JSON.stringify(JSON.parse(text))`, compared as text.
    fn round_trip(text: &str) -> String {
        serde_json::to_string(&parse(text).stringify().unwrap()).unwrap()
    }

    /// `value + ""`.
    fn to_string(value: &JsValue) -> String {
        match value.plus(&JsValue::string("")).unwrap() {
            JsValue::String(s) => s,
            other => panic!("not a string: {other:?}"),
        }
    }

    #[test]
    fn numbers_print_as_javascript_prints_them() {
        // node -p '[1, 1.0, -0, 0.1, 1.5, 1e21, 1e20, 1e-7, 0.000001, 2.5e-5, 1.5e300, 123e-20, 5e-324]'
        let cases = [
            (1.0, "1"),
            (-0.0, "0"),
            (0.1, "0.1"),
            (1.5, "1.5"),
            (-42.0, "-42"),
            (1e21, "1e+21"),
            (1e20, "100000000000000000000"),
            (1e-7, "1e-7"),
            (0.000001, "0.000001"),
            (2.5e-5, "0.000025"),
            (1.5e300, "1.5e+300"),
            (123e-20, "1.23e-18"),
            (5e-324, "5e-324"),
            (f64::MAX, "1.7976931348623157e+308"),
            (f64::NAN, "NaN"),
            (f64::INFINITY, "Infinity"),
            (f64::NEG_INFINITY, "-Infinity"),
        ];
        for (x, js) in cases {
            assert_eq!(number_to_string(x), js, "{x:e}");
        }
    }

    #[test]
    fn json_parse_makes_every_number_a_double() {
        // A big integer rounds to the nearest double, and prints as JavaScript prints that.
        assert_eq!(
            parse("12345678901234567890"),
            JsValue::Number(12345678901234567890.0)
        );
        assert_eq!(
            to_string(&parse("12345678901234567890")),
            "12345678901234567000"
        );
        assert_eq!(to_string(&parse("9007199254740993")), "9007199254740992");
        assert_eq!(to_string(&parse("-0")), "0");
        assert_eq!(to_string(&parse("-0.0")), "0");
        assert_eq!(to_string(&parse("1.0")), "1");
        assert_eq!(to_string(&parse("1e21")), "1e+21");
        assert_eq!(to_string(&parse("1E2")), "100");
        assert_eq!(
            to_string(&parse("-9223372036854775808")),
            "-9223372036854776000"
        );
        assert_eq!(
            to_string(&parse("18446744073709551615")),
            "18446744073709552000"
        );
    }

    #[test]
    fn json_parse_orders_keys_as_javascript_does() {
        // node -p 'JSON.stringify(JSON.parse(`{"b":1,"2":2,"a":3,"1":4,"01":5,"4294967295":6,"4294967294":7}`))'
        assert_eq!(
            round_trip(r#"{"b":1,"2":2,"a":3,"1":4,"01":5,"4294967295":6,"4294967294":7}"#),
            r#"{"1":4,"2":2,"4294967294":7,"b":1,"a":3,"01":5,"4294967295":6}"#
        );
        assert_eq!(
            round_trip(r#"{"Message":"m","Case":"c","0":0}"#),
            r#"{"0":0,"Message":"m","Case":"c"}"#
        );
        assert_eq!(array_index("0"), Some(0));
        assert_eq!(array_index("00"), None);
        assert_eq!(array_index("-1"), None);
        assert_eq!(array_index("1.5"), None);
        assert_eq!(array_index(""), None);
        assert_eq!(array_index("+1"), None);
        assert_eq!(array_index("4294967296"), None);
    }

    #[test]
    fn json_stringify_writes_numbers_as_javascript_does() {
        // node -p 'JSON.stringify(JSON.parse("[12345678901234567890,-0,1.0,1e2,0.5,9007199254740993]"))'
        assert_eq!(
            round_trip("[12345678901234567890,-0,1.0,1e2,0.5,9007199254740993]"),
            "[12345678901234567000,0,1,100,0.5,9007199254740992]"
        );
        // Recursively, keeping key order.
        assert_eq!(
            round_trip(r#"{"z":{"y":[1.0,{"x":-0.0}]},"a":12345678901234567890}"#),
            r#"{"z":{"y":[1,{"x":0}]},"a":12345678901234567000}"#
        );
        // Beyond the integers serde_json holds, the double itself is kept.
        let big = parse("1e21").stringify().unwrap();
        assert_eq!(big.as_f64(), Some(1e21));
        // NaN and the infinities become null (not reachable from JSON input, but from `+`).
        assert_eq!(JsValue::Number(f64::NAN).stringify(), Some(Value::Null));
        assert_eq!(
            JsValue::Number(f64::INFINITY).stringify(),
            Some(Value::Null)
        );
    }

    #[test]
    fn json_stringify_omits_undefined_properties() {
        // node -p 'JSON.stringify({Case: undefined, Status: 0, Message: "m"})'
        let result = JsValue::object([
            ("Case", JsValue::Undefined),
            ("Status", JsValue::Number(0.0)),
            ("Message", JsValue::string("m")),
        ]);
        assert_eq!(
            serde_json::to_string(&result.stringify().unwrap()).unwrap(),
            r#"{"Status":0,"Message":"m"}"#
        );
        assert_eq!(
            JsValue::object([("Case", JsValue::Undefined)]).stringify(),
            Some(json!({}))
        );
        assert_eq!(JsValue::Undefined.stringify(), None);
        // node -p 'JSON.stringify([undefined])'
        assert_eq!(
            JsValue::Array(vec![JsValue::Undefined]).stringify(),
            Some(json!([null]))
        );
    }

    #[test]
    fn property_access_on_objects() {
        let event = parse(r#"{"Case":"001","Message":null}"#);
        assert_eq!(event.get("Case"), Ok(JsValue::string("001")));
        assert_eq!(event.get("Message"), Ok(JsValue::Null));
        assert_eq!(event.get("Status"), Ok(JsValue::Undefined));
        assert_eq!(
            event.get("case"),
            Ok(JsValue::Undefined),
            "keys are case-sensitive"
        );
    }

    #[test]
    fn property_access_on_other_values_is_undefined() {
        for text in [
            r#""Case""#,
            "0",
            "1.5",
            "true",
            "false",
            "[]",
            r#"["Case"]"#,
            r#"[{"Case":1}]"#,
        ] {
            assert_eq!(parse(text).get("Case"), Ok(JsValue::Undefined), "{text}");
        }
    }

    #[test]
    fn property_access_on_null_or_undefined_throws() {
        // node -e 'null.inputCaseID' → TypeError: Cannot read properties of null (reading 'inputCaseID')
        let err = JsValue::Null.get("inputCaseID").unwrap_err();
        assert_eq!(
            err.headline(),
            "TypeError: Cannot read properties of null (reading 'inputCaseID')"
        );
        assert!(err.frames.is_empty());
        let err = JsValue::Undefined.get("Case").unwrap_err();
        assert_eq!(
            err.headline(),
            "TypeError: Cannot read properties of undefined (reading 'Case')"
        );
    }

    #[test]
    fn to_string_of_primitives() {
        assert_eq!(to_string(&JsValue::Undefined), "undefined");
        assert_eq!(to_string(&JsValue::Null), "null");
        assert_eq!(to_string(&JsValue::Bool(true)), "true");
        assert_eq!(to_string(&JsValue::Bool(false)), "false");
        assert_eq!(to_string(&JsValue::Number(1e21)), "1e+21");
        assert_eq!(to_string(&JsValue::string("a\"b")), "a\"b");
        assert_eq!(to_string(&JsValue::string("")), "");
    }

    #[test]
    fn to_string_of_arrays_joins_their_elements() {
        // node -p '"" + [1,[2,null,[3,undefined]],{a:1},"x",true,1e21,-0]'
        let array = JsValue::Array(vec![
            JsValue::Number(1.0),
            JsValue::Array(vec![
                JsValue::Number(2.0),
                JsValue::Null,
                JsValue::Array(vec![JsValue::Number(3.0), JsValue::Undefined]),
            ]),
            JsValue::object([("a", JsValue::Number(1.0))]),
            JsValue::string("x"),
            JsValue::Bool(true),
            JsValue::Number(1e21),
            JsValue::Number(-0.0),
        ]);
        assert_eq!(to_string(&array), "1,2,,3,,[object Object],x,true,1e+21,0");
        // node -p '[[] + "", [null] + "", [null, null] + "", [[]] + "", [[], []] + ""]'
        assert_eq!(to_string(&parse("[]")), "");
        assert_eq!(to_string(&parse("[null]")), "");
        assert_eq!(to_string(&parse("[null,null]")), ",");
        assert_eq!(to_string(&parse("[[]]")), "");
        assert_eq!(to_string(&parse("[[],[]]")), ",");
        assert_eq!(to_string(&parse(r#"["a","b"]"#)), "a,b");
    }

    #[test]
    fn to_string_of_objects() {
        assert_eq!(to_string(&parse("{}")), "[object Object]");
        assert_eq!(to_string(&parse(r#"{"Case":"001"}"#)), "[object Object]");
        // An own valueOf is not callable, so it is skipped: node -p '({valueOf: 1}) + "x"'
        assert_eq!(to_string(&parse(r#"{"valueOf":1}"#)), "[object Object]");
        // __proto__ from JSON.parse is an ordinary own property.
        assert_eq!(
            to_string(&parse(r#"{"__proto__":{"toString":1}}"#)),
            "[object Object]"
        );
    }

    #[test]
    fn an_own_to_string_property_makes_an_object_unconvertible() {
        // node -e '({toString: 1}) + "x"' → TypeError: Cannot convert object to primitive value
        let err = parse(r#"{"toString":1}"#)
            .plus(&JsValue::string("x"))
            .unwrap_err();
        assert_eq!(
            err.headline(),
            "TypeError: Cannot convert object to primitive value"
        );
        assert!(err.frames.is_empty());
        let err = JsValue::string("x")
            .plus(&parse(r#"{"toString":"x"}"#))
            .unwrap_err();
        assert_eq!(err.message, "Cannot convert object to primitive value");
        // Inside arrays, V8 shows the native frames of each level:
        // node -e '[[1,[{toString:1}]]] + "x"'
        let err = parse(r#"[[1,[{"toString":1}]]]"#)
            .plus(&JsValue::string("x"))
            .unwrap_err();
        assert_eq!(err.message, "Cannot convert object to primitive value");
        assert_eq!(
            err.frames,
            [
                "    at Array.join (<anonymous>)",
                "    at Array.toString (<anonymous>)",
                "    at Array.join (<anonymous>)",
                "    at Array.toString (<anonymous>)",
                "    at Array.join (<anonymous>)",
                "    at Array.toString (<anonymous>)",
            ]
        );
    }

    #[test]
    fn plus_concatenates_when_either_side_is_a_string() {
        let s = |v: JsValue| v;
        assert_eq!(
            JsValue::string("Case ").plus(&JsValue::Undefined),
            Ok(s(JsValue::string("Case undefined")))
        );
        assert_eq!(
            JsValue::Null.plus(&JsValue::string("x")),
            Ok(JsValue::string("nullx"))
        );
        assert_eq!(
            JsValue::Number(1.0).plus(&JsValue::string("2")),
            Ok(JsValue::string("12"))
        );
        // Arrays and objects become strings, so they concatenate too: node -p '[1] + 1', '({}) + 1'
        assert_eq!(
            parse("[1]").plus(&JsValue::Number(1.0)),
            Ok(JsValue::string("11"))
        );
        assert_eq!(
            parse("{}").plus(&JsValue::Number(1.0)),
            Ok(JsValue::string("[object Object]1"))
        );
    }

    #[test]
    fn plus_adds_other_primitives_as_numbers() {
        // node -p '[undefined + null, null + 1, true + true, 0.1 + 0.2]'
        let sum = |a: JsValue, b: JsValue| match a.plus(&b).unwrap() {
            JsValue::Number(x) => x,
            other => panic!("not a number: {other:?}"),
        };
        assert!(sum(JsValue::Undefined, JsValue::Null).is_nan());
        assert_eq!(sum(JsValue::Null, JsValue::Number(1.0)), 1.0);
        assert_eq!(sum(JsValue::Bool(true), JsValue::Bool(true)), 2.0);
        assert_eq!(
            sum(JsValue::Number(0.1), JsValue::Number(0.2)),
            0.30000000000000004
        );
    }
}
