//! YAML text as a tree of located nodes, then as JSON.
//!
//! The events of `saphyr-parser` are folded into [`Node`]s with an explicit stack (no recursion
//! while reading), each with its line and column and its tag (`!Sub`), so that a template's or a
//! definition's problem can be shown where it is. Two bounds keep hostile text harmless: nesting
//! deeper than [`MAX_DEPTH`] is refused (the tree is later walked recursively), and so is a
//! document whose aliases would expand past [`MAX_NODES`] nodes (a "billion laughs").
//!
//! [`to_json`] reads plain scalars with YAML 1.2's core schema (`true`, `12`, `1.5`, `null`,
//! `~`), and writes CloudFormation's short tags as their long form: `!Ref X` is
//! `{"Ref": "X"}`, `!GetAtt A.Arn` is `{"Fn::GetAtt": ["A", "Arn"]}` and any other `!Name v`
//! is `{"Fn::Name": v}`.

use saphyr_parser::{Event, Parser, ScalarStyle, Span, Tag};
use serde_json::{Map, Number, Value};

/// How deeply collections may nest.
pub const MAX_DEPTH: usize = 100;
/// How many nodes a document may hold once its aliases are expanded.
pub const MAX_NODES: usize = 100_000;

/// A YAML problem, located (1-based line and column).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Error {
    pub message: String,
    pub line_col: (usize, usize),
}

/// One node of a YAML document.
#[derive(Debug, Clone)]
pub struct Node {
    pub kind: Kind,
    /// `!Sub`, `!!str`, or a full tag as written.
    pub tag: Option<String>,
    /// Where the node starts: 1-based line and column.
    pub line_col: (usize, usize),
    /// How many nodes this one holds, itself included.
    size: usize,
}

#[derive(Debug, Clone)]
pub enum Kind {
    /// Its text, and whether it was plain (unquoted, not a block): only plain scalars can be
    /// numbers, booleans or null.
    Scalar(String, bool),
    Seq(Vec<Node>),
    Map(Vec<(Node, Node)>),
}

/// A collection being read.
struct Open {
    node: Node,
    anchor: usize,
    /// A mapping's key, waiting for its value.
    key: Option<Node>,
}

/// The first document of `text`; `None` when it has none (empty text, only comments).
pub fn parse(text: &str) -> Result<Option<Node>, Error> {
    let mut stack: Vec<Open> = Vec::new();
    let mut anchors: Vec<(usize, Node)> = Vec::new();
    let mut nodes = 0usize;
    let mut root = None;
    for event in Parser::new_from_str(text) {
        let (event, span) = event.map_err(|e| Error {
            message: e.info().to_string(),
            line_col: (e.marker().line(), e.marker().col() + 1),
        })?;
        let at = position(&span);
        let too_big = |what: &str| Error {
            message: format!("{what}: the playground reads at most {MAX_NODES} nodes"),
            line_col: at,
        };
        let mut added = 1;
        let (node, anchor) = match event {
            Event::DocumentStart(_) if root.is_some() => {
                return Err(Error {
                    message: "a second YAML document: give one definition or one template".into(),
                    line_col: at,
                })
            }
            Event::Scalar(text, style, anchor, tag) => {
                let plain = style == ScalarStyle::Plain;
                (
                    leaf(Kind::Scalar(text.into_owned(), plain), tag, at),
                    anchor,
                )
            }
            event @ (Event::SequenceStart(..) | Event::MappingStart(..)) => {
                if stack.len() >= MAX_DEPTH {
                    return Err(Error {
                        message: format!(
                            "nested too deeply: the playground reads at most {MAX_DEPTH} levels"
                        ),
                        line_col: at,
                    });
                }
                let (kind, anchor, tag) = match event {
                    Event::SequenceStart(anchor, tag) => (Kind::Seq(Vec::new()), anchor, tag),
                    Event::MappingStart(anchor, tag) => (Kind::Map(Vec::new()), anchor, tag),
                    _ => unreachable!("matched above"),
                };
                stack.push(Open {
                    node: leaf(kind, tag, at),
                    anchor,
                    key: None,
                });
                continue;
            }
            Event::SequenceEnd | Event::MappingEnd => match stack.pop() {
                Some(open) => (open.node, open.anchor),
                None => continue,
            },
            Event::Alias(id) => {
                let Some((_, target)) = anchors.iter().rev().find(|(a, _)| *a == id) else {
                    return Err(Error {
                        message: "an alias to an unknown anchor".into(),
                        line_col: at,
                    });
                };
                if nodes + target.size > MAX_NODES {
                    return Err(too_big("too many nodes once the aliases are expanded"));
                }
                added = target.size;
                (target.clone(), 0)
            }
            _ => continue,
        };
        nodes += added;
        if nodes > MAX_NODES {
            return Err(too_big("too many nodes"));
        }
        if anchor != 0 {
            // Kept for the aliases that follow: the copy counts as much as an expansion.
            nodes += node.size;
            if nodes > MAX_NODES {
                return Err(too_big("too many nodes once the anchors are kept"));
            }
            anchors.push((anchor, node.clone()));
        }
        match stack.last_mut() {
            None => root = Some(node),
            Some(open) => {
                open.node.size += node.size;
                match (&mut open.node.kind, open.key.take()) {
                    (Kind::Seq(items), _) => items.push(node),
                    (Kind::Map(pairs), Some(key)) => pairs.push((key, node)),
                    (Kind::Map(_), None) => open.key = Some(node),
                    (Kind::Scalar(..), _) => {}
                }
            }
        }
    }
    Ok(root)
}

fn leaf(kind: Kind, tag: Option<std::borrow::Cow<'_, Tag>>, at: (usize, usize)) -> Node {
    Node {
        kind,
        tag: tag.map(|t| tag_name(&t)),
        line_col: at,
        size: 1,
    }
}

fn position(span: &Span) -> (usize, usize) {
    (span.start.line(), span.start.col() + 1)
}

/// `!Sub` for a local tag, `!!str` for the core schema's, the full tag otherwise.
fn tag_name(tag: &Tag) -> String {
    if tag.handle == "!" {
        format!("!{}", tag.suffix)
    } else if tag.is_yaml_core_schema() {
        format!("!!{}", tag.suffix)
    } else {
        format!("{}{}", tag.handle, tag.suffix)
    }
}

/// The long form of a CloudFormation short tag: `!Ref` is `Ref`, `!Sub` is `Fn::Sub`.
pub fn intrinsic_name(tag: &str) -> Option<String> {
    let name = tag.strip_prefix('!')?;
    if name.is_empty()
        || name.starts_with('!')
        || !name.starts_with(|c: char| c.is_ascii_uppercase())
    {
        return None;
    }
    Some(match name {
        "Ref" | "Condition" => name.to_string(),
        _ => format!("Fn::{name}"),
    })
}

/// The node as JSON (see the module's documentation).
pub fn to_json(node: &Node) -> Result<Value, Error> {
    let error = |message: String| Error {
        message,
        line_col: node.line_col,
    };
    let value = match &node.kind {
        Kind::Scalar(text, plain) => match node.tag.as_deref() {
            None if *plain => core_schema(text),
            None | Some("!!str") => Value::String(text.clone()),
            Some(tag @ ("!!int" | "!!float" | "!!bool" | "!!null")) => {
                let value = core_schema(text);
                let fits = match tag {
                    "!!int" => value.as_i64().is_some() || value.as_u64().is_some(),
                    "!!float" => value.is_number(),
                    "!!bool" => value.is_boolean(),
                    _ => value.is_null(),
                };
                if !fits {
                    return Err(error(format!("{text:?} is not a valid {tag}")));
                }
                value
            }
            Some(_) => Value::String(text.clone()),
        },
        Kind::Seq(items) => Value::Array(items.iter().map(to_json).collect::<Result<_, _>>()?),
        Kind::Map(pairs) => {
            let mut map = Map::new();
            for (key, value) in pairs {
                let Kind::Scalar(name, _) = &key.kind else {
                    return Err(Error {
                        message: "a key must be text, not a list or a mapping".into(),
                        line_col: key.line_col,
                    });
                };
                map.insert(name.clone(), to_json(value)?);
            }
            Value::Object(map)
        }
    };
    match node.tag.as_deref().and_then(intrinsic_name) {
        None => Ok(value),
        Some(name) => Ok(Value::Object(Map::from_iter([(
            name.clone(),
            match (name.as_str(), value) {
                // `!GetAtt Resource.Attribute`: the attribute may itself hold dots.
                ("Fn::GetAtt", Value::String(s)) => match s.split_once('.') {
                    Some((resource, attribute)) => {
                        Value::Array(vec![resource.into(), attribute.into()])
                    }
                    None => Value::String(s),
                },
                (_, value) => value,
            },
        )]))),
    }
}

/// A plain scalar under YAML 1.2's core schema: null, a boolean, an integer, a float, or text.
/// `.inf` and `.nan` stay text: JSON has no such numbers.
fn core_schema(text: &str) -> Value {
    match text {
        "" | "~" | "null" | "Null" | "NULL" => return Value::Null,
        "true" | "True" | "TRUE" => return Value::Bool(true),
        "false" | "False" | "FALSE" => return Value::Bool(false),
        _ => {}
    }
    let radix = |prefix: &str, radix: u32| {
        let digits = text.strip_prefix(prefix)?;
        let valid = !digits.is_empty() && digits.chars().all(|c| c.is_digit(radix));
        u64::from_str_radix(digits, radix)
            .ok()
            .filter(|_| valid)
            .map(Value::from)
    };
    if let Some(n) = radix("0x", 16).or_else(|| radix("0o", 8)) {
        return n;
    }
    let unsigned = text.strip_prefix(['-', '+']).unwrap_or(text);
    let (mantissa, exponent) = match unsigned.find(['e', 'E']) {
        Some(at) => (&unsigned[..at], Some(&unsigned[at + 1..])),
        None => (unsigned, None),
    };
    let (whole, fraction) = match mantissa.split_once('.') {
        Some((w, f)) => (w, Some(f)),
        None => (mantissa, None),
    };
    let digits = |s: &str| s.chars().all(|c| c.is_ascii_digit());
    let number = digits(whole)
        && fraction.is_none_or(digits)
        && !(whole.is_empty() && fraction.is_none_or(str::is_empty))
        && exponent.is_none_or(|e| {
            let e = e.strip_prefix(['-', '+']).unwrap_or(e);
            !e.is_empty() && digits(e)
        });
    if !number {
        return Value::String(text.to_string());
    }
    let integer = fraction.is_none() && exponent.is_none();
    let json = text.strip_prefix('+').unwrap_or(text);
    if integer {
        if let Ok(n) = json.parse::<i64>() {
            return n.into();
        }
        if let Ok(n) = json.parse::<u64>() {
            return n.into();
        }
    }
    // JSON writes neither `1.` nor `.5`: the value is the same as f64's.
    match json.parse::<f64>().ok().and_then(Number::from_f64) {
        Some(n) => Value::Number(n),
        None => Value::String(text.to_string()),
    }
}

/// The node a JSON pointer (into [`to_json`]'s value) points to, or its nearest ancestor that
/// exists. A short tag stands for its long form: `/Fn::Sub/0` is inside `!Sub [ … ]`.
pub fn find<'a>(root: &'a Node, pointer: &str) -> &'a Node {
    let rest = match pointer.strip_prefix('/') {
        Some(rest) if !rest.is_empty() => rest,
        _ => return root,
    };
    let mut node = root;
    for token in rest.split('/') {
        let token = token.replace("~1", "/").replace("~0", "~");
        if node.tag.as_deref().and_then(intrinsic_name).as_deref() == Some(token.as_str()) {
            continue;
        }
        let next = match &node.kind {
            Kind::Map(pairs) => pairs
                .iter()
                .rev()
                .find(|(k, _)| matches!(&k.kind, Kind::Scalar(name, _) if *name == token))
                .map(|(_, v)| v),
            Kind::Seq(items) => token.parse::<usize>().ok().and_then(|i| items.get(i)),
            Kind::Scalar(..) => None,
        };
        match next {
            Some(next) => node = next,
            None => break,
        }
    }
    node
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    fn json_of(text: &str) -> Value {
        to_json(&parse(text).unwrap().unwrap()).unwrap()
    }

    #[test]
    fn core_schema_scalars() {
        assert_eq!(
            json_of("[1, -2, +3, 1.5, 2e3, .5, 0x1F, 0o17, true, False, ~, null, '1', yes, 1.2.3, .inf]"),
            json!([1, -2, 3, 1.5, 2000.0, 0.5, 31, 15, true, false, null, null, "1", "yes", "1.2.3", ".inf"])
        );
        assert_eq!(json_of("a:\nb: !!str 12"), json!({"a": null, "b": "12"}));
        assert_eq!(
            json_of("18446744073709551616"),
            json!(18446744073709551616.0)
        );
    }

    #[test]
    fn short_tags_become_long_forms() {
        let value = json_of(
            "a: !Ref Fn\nb: !GetAtt Fn.Arn\nc: !Sub [ 'x${A}', { A: !GetAtt [Fn, Arn] } ]\nd: !Join ['', [a, b]]",
        );
        assert_eq!(
            value,
            json!({
                "a": {"Ref": "Fn"},
                "b": {"Fn::GetAtt": ["Fn", "Arn"]},
                "c": {"Fn::Sub": ["x${A}", {"A": {"Fn::GetAtt": ["Fn", "Arn"]}}]},
                "d": {"Fn::Join": ["", ["a", "b"]]}
            })
        );
    }

    #[test]
    fn positions_and_find() {
        let root = parse("a:\n  b: [1, !Sub 'x']\n").unwrap().unwrap();
        assert_eq!(find(&root, "/a/b/1").line_col, (2, 10));
        assert_eq!(find(&root, "/a/b/1/Fn::Sub").line_col, (2, 10));
        assert_eq!(
            find(&root, "/a/missing").line_col,
            find(&root, "/a").line_col
        );
        assert_eq!(find(&root, "").line_col, (1, 1));
    }

    #[test]
    fn errors_are_located() {
        let e = parse("a: [1, 2\nb: 3").unwrap_err();
        assert_eq!(e.line_col.0, 2, "{e:?}");
        let e = parse("a: 1\n---\nb: 2").unwrap_err();
        assert_eq!(e.line_col, (2, 1));
        let e = to_json(&parse("a: !!int x").unwrap().unwrap()).unwrap_err();
        assert_eq!(e.line_col, (1, 4));
        assert!(e.message.contains("!!int"));
        let e = to_json(&parse("? [a]\n: 1").unwrap().unwrap()).unwrap_err();
        assert!(e.message.contains("key"));
    }

    #[test]
    fn bombs_and_depth_are_refused() {
        let mut bomb = String::from("a: &a [x, x, x, x, x, x, x, x, x, x]\n");
        for (i, name) in "bcdefghij".chars().enumerate() {
            let prev = (b'a' + i as u8) as char;
            bomb.push_str(&format!(
                "{name}: &{name} [*{prev}, *{prev}, *{prev}, *{prev}, *{prev}, *{prev}, *{prev}, *{prev}, *{prev}, *{prev}]\n"
            ));
        }
        let e = parse(&bomb).unwrap_err();
        assert!(e.message.contains("too many nodes"), "{e:?}");
        let deep_flow = "[".repeat(100_000);
        assert!(parse(&deep_flow).is_err());
        let mut deep_block = String::new();
        for i in 0..5_000 {
            deep_block.push_str(&" ".repeat(i));
            deep_block.push_str("a:\n");
        }
        let e = parse(&deep_block).unwrap_err();
        assert!(e.message.contains("nested too deeply"), "{e:?}");
        // Within the bounds, aliases expand.
        assert_eq!(
            json_of("a: &x [1]\nb: *x"),
            serde_json::json!({"a": [1], "b": [1]})
        );
    }
}
