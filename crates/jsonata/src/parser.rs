//! Tokenizer, Pratt parser and the post-processing pass that turns the parse tree into the
//! evaluator's tree (paths, stages, tuple bindings, parent slots, tail calls).

use std::cell::RefCell;
use std::rc::Rc;

use crate::ast::{Kind, LambdaDef, Literal, Node, Slot, SlotData, Stage};
use crate::signature::Signature;
use crate::value::RegexDef;
use crate::Error;

type R<T> = Result<T, Error>;

const MAX_PARSE_DEPTH: usize = 120;

fn operator_bp(op: &str) -> Option<u32> {
    Some(match op {
        "." => 75,
        "[" => 80,
        "]" => 0,
        "{" => 70,
        "}" => 0,
        "(" => 80,
        ")" => 0,
        "," => 0,
        "@" => 80,
        "#" => 80,
        ";" => 80,
        ":" => 80,
        "?" => 20,
        "+" => 50,
        "-" => 50,
        "*" => 60,
        "/" => 60,
        "%" => 60,
        "|" => 20,
        "=" => 40,
        "<" => 40,
        ">" => 40,
        "^" => 40,
        "**" => 60,
        ".." => 20,
        ":=" => 10,
        "!=" => 40,
        "<=" => 40,
        ">=" => 40,
        "~>" => 40,
        "?:" => 40,
        "??" => 40,
        "and" => 30,
        "or" => 25,
        "in" => 40,
        "&" => 50,
        "!" => 0,
        "~" => 0,
        _ => return None,
    })
}

fn is_op_char(c: char) -> bool {
    matches!(
        c,
        '.' | '['
            | ']'
            | '{'
            | '}'
            | '('
            | ')'
            | ','
            | '@'
            | '#'
            | ';'
            | ':'
            | '?'
            | '+'
            | '-'
            | '*'
            | '/'
            | '%'
            | '|'
            | '='
            | '<'
            | '>'
            | '^'
            | '&'
            | '!'
            | '~'
    )
}

/// Whether a symbol can be used in infix position (its lbp in jsonata-js).
fn lbp(tok: &Token) -> u32 {
    if tok.kind != TokKind::Operator {
        return 0;
    }
    match &*tok.value {
        "." | "+" | "-" | "*" | "/" | "%" | "=" | "<" | ">" | "!=" | "<=" | ">=" | "&" | "and"
        | "or" | "in" | "~>" | "??" | "?:" | "(" | "[" | "^" | "{" | ":=" | "@" | "#" | "?" => {
            operator_bp(&tok.value).unwrap_or(0)
        }
        _ => 0,
    }
}

#[derive(Clone, Copy, PartialEq, Eq, Debug)]
enum TokKind {
    Operator,
    Str,
    Num,
    Value,
    Name,
    Variable,
    Regex,
    End,
}

#[derive(Clone)]
struct Token {
    kind: TokKind,
    value: Rc<str>,
    lit: Literal,
    regex: Option<Rc<RegexDef>>,
    position: usize,
}

struct Lexer {
    chars: Vec<char>,
    pos: usize,
}

impl Lexer {
    fn at(&self, i: usize) -> char {
        self.chars.get(i).copied().unwrap_or('\0')
    }
    fn tok(&self, kind: TokKind, value: &str) -> Token {
        Token {
            kind,
            value: Rc::from(value),
            lit: Literal::None,
            regex: None,
            position: self.pos,
        }
    }

    fn next(&mut self, prefix: bool) -> R<Option<Token>> {
        let len = self.chars.len();
        loop {
            while self.pos < len && matches!(self.at(self.pos), ' ' | '\t' | '\n' | '\r' | '\u{b}')
            {
                self.pos += 1;
            }
            if self.pos >= len {
                return Ok(None);
            }
            if self.at(self.pos) == '/' && self.at(self.pos + 1) == '*' {
                let start = self.pos;
                self.pos += 2;
                loop {
                    if self.pos >= len {
                        return Err(Error::at("S0106", start));
                    }
                    if self.at(self.pos) == '*' && self.at(self.pos + 1) == '/' {
                        break;
                    }
                    self.pos += 1;
                }
                self.pos += 2;
                continue;
            }
            break;
        }
        let c = self.at(self.pos);
        if !prefix && c == '/' {
            self.pos += 1;
            return self.scan_regex().map(Some);
        }
        let c2 = self.at(self.pos + 1);
        let two: Option<&str> = match (c, c2) {
            ('.', '.') => Some(".."),
            (':', '=') => Some(":="),
            ('!', '=') => Some("!="),
            ('>', '=') => Some(">="),
            ('<', '=') => Some("<="),
            ('*', '*') => Some("**"),
            ('~', '>') => Some("~>"),
            ('?', ':') => Some("?:"),
            ('?', '?') => Some("??"),
            _ => None,
        };
        if let Some(op) = two {
            self.pos += 2;
            return Ok(Some(self.tok(TokKind::Operator, op)));
        }
        if is_op_char(c) {
            self.pos += 1;
            return Ok(Some(self.tok(TokKind::Operator, &c.to_string())));
        }
        if c == '"' || c == '\'' {
            let quote = c;
            self.pos += 1;
            let mut s = String::new();
            while self.pos < len {
                let ch = self.at(self.pos);
                if ch == '\\' {
                    self.pos += 1;
                    let e = self.at(self.pos);
                    match e {
                        '"' => s.push('"'),
                        '\\' => s.push('\\'),
                        '/' => s.push('/'),
                        'b' => s.push('\u{8}'),
                        'f' => s.push('\u{c}'),
                        'n' => s.push('\n'),
                        'r' => s.push('\r'),
                        't' => s.push('\t'),
                        'u' => {
                            let hex: String =
                                self.chars.iter().skip(self.pos + 1).take(4).collect();
                            if hex.len() == 4 && hex.chars().all(|h| h.is_ascii_hexdigit()) {
                                let cp = u32::from_str_radix(&hex, 16).unwrap();
                                self.pos += 4;
                                // surrogate pairs written as two escapes
                                if (0xD800..0xDC00).contains(&cp)
                                    && self.at(self.pos + 1) == '\\'
                                    && self.at(self.pos + 2) == 'u'
                                {
                                    let hex2: String =
                                        self.chars.iter().skip(self.pos + 3).take(4).collect();
                                    if let Ok(lo) = u32::from_str_radix(&hex2, 16) {
                                        if (0xDC00..0xE000).contains(&lo) {
                                            let full =
                                                0x10000 + ((cp - 0xD800) << 10) + (lo - 0xDC00);
                                            s.push(char::from_u32(full).unwrap_or('\u{fffd}'));
                                            self.pos += 6;
                                            self.pos += 1;
                                            continue;
                                        }
                                    }
                                }
                                s.push(char::from_u32(cp).unwrap_or('\u{fffd}'));
                            } else {
                                return Err(Error::at("S0104", self.pos));
                            }
                        }
                        _ => {
                            let mut e2 = Error::at("S0103", self.pos);
                            e2.token = Some(e.to_string());
                            return Err(e2);
                        }
                    }
                } else if ch == quote {
                    self.pos += 1;
                    let mut t = self.tok(TokKind::Str, &s);
                    t.lit = Literal::Str(Rc::from(s.as_str()));
                    return Ok(Some(t));
                } else {
                    s.push(ch);
                }
                self.pos += 1;
            }
            return Err(Error::at("S0101", self.pos));
        }
        if c.is_ascii_digit() {
            // -?(0|([1-9][0-9]*))(\.[0-9]+)?([Ee][-+]?[0-9]+)?
            let start = self.pos;
            let mut i = self.pos;
            if self.at(i) == '0' {
                i += 1;
            } else {
                while self.at(i).is_ascii_digit() {
                    i += 1;
                }
            }
            if self.at(i) == '.' && self.at(i + 1).is_ascii_digit() {
                i += 1;
                while self.at(i).is_ascii_digit() {
                    i += 1;
                }
            }
            if matches!(self.at(i), 'e' | 'E') {
                let mut j = i + 1;
                if matches!(self.at(j), '+' | '-') {
                    j += 1;
                }
                if self.at(j).is_ascii_digit() {
                    while self.at(j).is_ascii_digit() {
                        j += 1;
                    }
                    i = j;
                }
            }
            let text: String = self.chars[start..i].iter().collect();
            let n: f64 = text.parse().unwrap_or(f64::NAN);
            if n.is_finite() {
                self.pos = i;
                let mut t = self.tok(TokKind::Num, &text);
                t.lit = Literal::Num(n);
                return Ok(Some(t));
            }
            let mut e = Error::at("S0102", self.pos);
            e.token = Some(text);
            return Err(e);
        }
        if c == '`' {
            self.pos += 1;
            let start = self.pos;
            while self.pos < len && self.at(self.pos) != '`' {
                self.pos += 1;
            }
            if self.pos < len {
                let name: String = self.chars[start..self.pos].iter().collect();
                self.pos += 1;
                return Ok(Some(self.tok(TokKind::Name, &name)));
            }
            return Err(Error::at("S0105", len));
        }
        let mut i = self.pos;
        while i < len {
            let ch = self.at(i);
            if matches!(ch, ' ' | '\t' | '\n' | '\r' | '\u{b}') || is_op_char(ch) {
                break;
            }
            i += 1;
        }
        if c == '$' {
            let name: String = self.chars[self.pos + 1..i].iter().collect();
            self.pos = i;
            return Ok(Some(self.tok(TokKind::Variable, &name)));
        }
        let name: String = self.chars[self.pos..i].iter().collect();
        self.pos = i;
        Ok(Some(match name.as_str() {
            "and" | "or" | "in" => self.tok(TokKind::Operator, &name),
            "true" | "false" => {
                let mut t = self.tok(TokKind::Value, &name);
                t.lit = Literal::Bool(name == "true");
                t
            }
            "null" => {
                let mut t = self.tok(TokKind::Value, &name);
                t.lit = Literal::Null;
                t
            }
            _ => self.tok(TokKind::Name, &name),
        }))
    }

    fn scan_regex(&mut self) -> R<Token> {
        let len = self.chars.len();
        let start = self.pos;
        let mut depth: i32 = 0;
        while self.pos < len {
            let c = self.at(self.pos);
            if c == '/' && depth == 0 {
                let mut bs = 0;
                while self.pos > bs && self.at(self.pos - (bs + 1)) == '\\' {
                    bs += 1;
                }
                if bs % 2 == 0 {
                    let pattern: String = self.chars[start..self.pos].iter().collect();
                    if pattern.is_empty() {
                        return Err(Error::at("S0301", self.pos));
                    }
                    self.pos += 1;
                    let fstart = self.pos;
                    while matches!(self.at(self.pos), 'i' | 'm') {
                        self.pos += 1;
                    }
                    let flags: String = self.chars[fstart..self.pos].iter().collect();
                    let re = crate::regex::Regex::new(&pattern, &flags).map_err(|e| {
                        let mut er = Error::at("S0303", self.pos);
                        er.message = e;
                        er
                    })?;
                    let mut t = self.tok(TokKind::Regex, &pattern);
                    t.regex = Some(Rc::new(RegexDef {
                        re,
                        source: pattern,
                    }));
                    return Ok(t);
                }
            }
            let prev = if self.pos > 0 {
                self.at(self.pos - 1)
            } else {
                '\0'
            };
            if matches!(c, '(' | '[' | '{') && prev != '\\' {
                depth += 1;
            }
            if matches!(c, ')' | ']' | '}') && prev != '\\' {
                depth -= 1;
            }
            self.pos += 1;
        }
        Err(Error::at("S0302", self.pos))
    }
}

pub struct Parser {
    lexer: Lexer,
    node: Token,
    depth: usize,
    src_len: usize,
    // processAST state
    ancestor_label: usize,
    ancestry: Vec<Slot>,
    /// Where the first `??` or `?:` ends (JSONata 2.1's operators; AWS runs 2.0.6).
    pub v21_at: Option<usize>,
}

fn end_token(pos: usize) -> Token {
    Token {
        kind: TokKind::End,
        value: Rc::from("(end)"),
        lit: Literal::None,
        regex: None,
        position: pos,
    }
}

impl Parser {
    fn id(&self) -> &str {
        match self.node.kind {
            TokKind::Operator => &self.node.value,
            TokKind::End => "(end)",
            TokKind::Name | TokKind::Variable => "(name)",
            TokKind::Regex => "(regex)",
            _ => "(literal)",
        }
    }

    fn advance(&mut self, id: Option<&str>, infix: bool) -> R<()> {
        if let Some(id) = id {
            if self.id() != id {
                let code = if self.node.kind == TokKind::End {
                    "S0203"
                } else {
                    "S0202"
                };
                let mut e = Error::at(code, self.node.position);
                e.token = Some(self.node.value.to_string());
                e.extra_mut().value = Some(format!("{:?}", id));
                return Err(e);
            }
        }
        match self.lexer.next(infix)? {
            None => {
                self.node = end_token(self.src_len);
            }
            Some(t) => {
                if t.kind == TokKind::Operator
                    && (operator_bp(&t.value).is_none() || matches!(&*t.value, "!" | "~"))
                {
                    let mut e = Error::at("S0204", t.position);
                    e.token = Some(t.value.to_string());
                    return Err(e);
                }
                self.node = t;
            }
        }
        Ok(())
    }

    fn expression(&mut self, rbp: u32) -> R<Node> {
        self.depth += 1;
        if self.depth > MAX_PARSE_DEPTH {
            return Err(Error::at("S0201", self.node.position)
                .with_message("The expression is nested too deeply"));
        }
        let t = self.node.clone();
        self.advance(None, true)?;
        let mut left = self.nud(t)?;
        while rbp < lbp(&self.node) {
            let t = self.node.clone();
            self.advance(None, false)?;
            left = self.led(t, left)?;
        }
        self.depth -= 1;
        Ok(left)
    }

    fn nud(&mut self, t: Token) -> R<Node> {
        let pos = t.position;
        match t.kind {
            TokKind::Name => return Ok(Node::new(Kind::Name, &t.value, pos)),
            TokKind::Variable => return Ok(Node::new(Kind::Variable, &t.value, pos)),
            TokKind::Str => {
                let mut n = Node::new(Kind::Str, &t.value, pos);
                n.lit = t.lit;
                return Ok(n);
            }
            TokKind::Num => {
                let mut n = Node::new(Kind::Num, &t.value, pos);
                n.lit = t.lit;
                return Ok(n);
            }
            TokKind::Value => {
                let mut n = Node::new(Kind::Value, &t.value, pos);
                n.lit = t.lit;
                return Ok(n);
            }
            TokKind::Regex => {
                let mut n = Node::new(Kind::Regex, &t.value, pos);
                n.regex = t.regex;
                return Ok(n);
            }
            TokKind::End => {
                let mut e = Error::at("S0207", pos);
                e.token = Some("(end)".into());
                return Err(e);
            }
            TokKind::Operator => {}
        }
        match &*t.value {
            "and" | "or" | "in" => Ok(Node::new(Kind::Operator, &t.value, pos)),
            "-" => {
                let mut n = Node::new(Kind::Unary, "-", pos);
                n.expression = Some(Box::new(self.expression(70)?));
                Ok(n)
            }
            "*" => Ok(Node::new(Kind::Wildcard, "*", pos)),
            "**" => Ok(Node::new(Kind::Descendant, "**", pos)),
            "%" => Ok(Node::new(Kind::Parent, "%", pos)),
            "(" => {
                let mut exprs = vec![];
                while self.id() != ")" {
                    exprs.push(self.expression(0)?);
                    if self.id() != ";" {
                        break;
                    }
                    self.advance(Some(";"), false)?;
                }
                self.advance(Some(")"), true)?;
                let mut n = Node::new(Kind::Block, "(", pos);
                n.expressions = exprs;
                Ok(n)
            }
            "[" => {
                let mut a = vec![];
                if self.id() != "]" {
                    loop {
                        let mut item = self.expression(0)?;
                        if self.id() == ".." {
                            let mut range = Node::new(Kind::Binary, "..", self.node.position);
                            self.advance(Some(".."), false)?;
                            range.lhs = Some(Box::new(item));
                            range.rhs = Some(Box::new(self.expression(0)?));
                            item = range;
                        }
                        a.push(item);
                        if self.id() != "," {
                            break;
                        }
                        self.advance(Some(","), false)?;
                    }
                }
                self.advance(Some("]"), true)?;
                let mut n = Node::new(Kind::Unary, "[", pos);
                n.expressions = a;
                Ok(n)
            }
            "{" => {
                let pairs = self.object_pairs()?;
                let mut n = Node::new(Kind::Unary, "{", pos);
                n.pairs = pairs;
                Ok(n)
            }
            "|" => {
                let mut n = Node::new(Kind::Transform, "|", pos);
                n.pattern = Some(Box::new(self.expression(0)?));
                self.advance(Some("|"), false)?;
                n.update = Some(Box::new(self.expression(0)?));
                if self.id() == "," {
                    self.advance(Some(","), false)?;
                    n.delete = Some(Box::new(self.expression(0)?));
                }
                self.advance(Some("|"), false)?;
                Ok(n)
            }
            _ => {
                let mut e = Error::at("S0211", pos);
                e.token = Some(t.value.to_string());
                Err(e)
            }
        }
    }

    fn object_pairs(&mut self) -> R<Vec<(Node, Node)>> {
        let mut a = vec![];
        if self.id() != "}" {
            loop {
                let k = self.expression(0)?;
                self.advance(Some(":"), false)?;
                let v = self.expression(0)?;
                a.push((k, v));
                if self.id() != "," {
                    break;
                }
                self.advance(Some(","), false)?;
            }
        }
        self.advance(Some("}"), true)?;
        Ok(a)
    }

    fn led(&mut self, t: Token, left: Node) -> R<Node> {
        let pos = t.position;
        let op = t.value.clone();
        let bp = operator_bp(&op).unwrap_or(0);
        match &*op {
            "(" => {
                let mut n = Node::new(Kind::Function, "(", pos);
                let mut args = vec![];
                if self.id() != ")" {
                    loop {
                        if self.node.kind == TokKind::Operator && &*self.node.value == "?" {
                            n.kind = Kind::Partial;
                            args.push(Node::new(Kind::Operator, "?", self.node.position));
                            self.advance(Some("?"), false)?;
                        } else {
                            args.push(self.expression(0)?);
                        }
                        if self.id() != "," {
                            break;
                        }
                        self.advance(Some(","), false)?;
                    }
                }
                self.advance(Some(")"), true)?;
                if left.kind == Kind::Name
                    && (&*left.value == "function" || &*left.value == "\u{3bb}")
                {
                    for (i, a) in args.iter().enumerate() {
                        if a.kind != Kind::Variable {
                            let mut e = Error::at("S0208", a.position);
                            e.token = Some(a.value.to_string());
                            e.extra_mut().value = Some((i + 1).to_string());
                            return Err(e);
                        }
                    }
                    n.kind = Kind::Lambda;
                    if self.id() == "<" {
                        let sig_pos = self.node.position;
                        let mut depth = 1;
                        let mut sig = String::from("<");
                        while depth > 0 && self.id() != "{" && self.id() != "(end)" {
                            self.advance(None, false)?;
                            let tv = self.node.value.clone();
                            if self.id() == ">" {
                                depth -= 1;
                            } else if self.id() == "<" {
                                depth += 1;
                            }
                            sig.push_str(&tv);
                        }
                        self.advance(Some(">"), false)?;
                        n.signature = Some(Rc::new(Signature::parse(&sig).map_err(|mut e| {
                            e.position = Some(sig_pos + e.position.unwrap_or(0));
                            e
                        })?));
                    }
                    self.advance(Some("{"), false)?;
                    n.body = Some(Box::new(self.expression(0)?));
                    self.advance(Some("}"), false)?;
                }
                n.arguments = args;
                n.procedure = Some(Box::new(left));
                Ok(n)
            }
            "[" => {
                if self.id() == "]" {
                    let mut left = left;
                    {
                        let mut step = &mut left;
                        while step.kind == Kind::Binary && &*step.value == "[" {
                            step = step.lhs.as_mut().unwrap();
                        }
                        step.keep_array = true;
                    }
                    self.advance(Some("]"), false)?;
                    Ok(left)
                } else {
                    let mut n = Node::new(Kind::Binary, "[", pos);
                    n.lhs = Some(Box::new(left));
                    n.rhs = Some(Box::new(self.expression(0)?));
                    self.advance(Some("]"), true)?;
                    Ok(n)
                }
            }
            "^" => {
                self.advance(Some("("), false)?;
                let mut terms = vec![];
                loop {
                    let mut desc = false;
                    if self.id() == "<" {
                        self.advance(Some("<"), false)?;
                    } else if self.id() == ">" {
                        desc = true;
                        self.advance(Some(">"), false)?;
                    }
                    terms.push((desc, self.expression(0)?));
                    if self.id() != "," {
                        break;
                    }
                    self.advance(Some(","), false)?;
                }
                self.advance(Some(")"), false)?;
                let mut n = Node::new(Kind::Binary, "^", pos);
                n.lhs = Some(Box::new(left));
                n.terms = terms;
                Ok(n)
            }
            "{" => {
                let pairs = self.object_pairs()?;
                let mut n = Node::new(Kind::Binary, "{", pos);
                n.lhs = Some(Box::new(left));
                n.pairs = pairs;
                Ok(n)
            }
            ":=" => {
                if left.kind != Kind::Variable {
                    let mut e = Error::at("S0212", left.position);
                    e.token = Some(left.value.to_string());
                    return Err(e);
                }
                let mut n = Node::new(Kind::Binary, ":=", pos);
                n.lhs = Some(Box::new(left));
                n.rhs = Some(Box::new(self.expression(bp - 1)?));
                Ok(n)
            }
            "@" | "#" => {
                let mut n = Node::new(Kind::Binary, &op, pos);
                n.lhs = Some(Box::new(left));
                let rhs = self.expression(bp)?;
                if rhs.kind != Kind::Variable {
                    let mut e = Error::at("S0214", rhs.position);
                    e.token = Some(op.to_string());
                    return Err(e);
                }
                n.rhs = Some(Box::new(rhs));
                Ok(n)
            }
            "?" => {
                let mut n = Node::new(Kind::Condition, "?", pos);
                n.condition = Some(Box::new(left));
                n.then = Some(Box::new(self.expression(0)?));
                if self.id() == ":" {
                    self.advance(Some(":"), false)?;
                    n.els = Some(Box::new(self.expression(0)?));
                }
                Ok(n)
            }
            "?:" => {
                self.v21_at.get_or_insert(pos);
                let mut n = Node::new(Kind::Condition, "?:", pos);
                n.condition = Some(Box::new(left.clone()));
                n.then = Some(Box::new(left));
                n.els = Some(Box::new(self.expression(0)?));
                Ok(n)
            }
            "??" => {
                self.v21_at.get_or_insert(pos);
                let mut n = Node::new(Kind::Coalesce, "??", pos);
                n.lhs = Some(Box::new(left));
                n.rhs = Some(Box::new(self.expression(0)?));
                Ok(n)
            }
            _ => {
                let mut n = Node::new(Kind::Binary, &op, pos);
                n.lhs = Some(Box::new(left));
                n.rhs = Some(Box::new(self.expression(bp)?));
                Ok(n)
            }
        }
    }

    // ---------------- processAST ----------------

    fn process(&mut self, expr: Node) -> R<Node> {
        self.depth += 1;
        if self.depth > MAX_PARSE_DEPTH * 2 {
            return Err(Error::at("S0201", expr.position)
                .with_message("The expression is nested too deeply"));
        }
        let r = self.process_inner(expr);
        self.depth -= 1;
        r
    }

    fn process_inner(&mut self, mut expr: Node) -> R<Node> {
        let keep_array = expr.keep_array;
        let mut result = match expr.kind {
            Kind::Binary => match &*expr.value.clone() {
                "." => {
                    let lstep = self.process(*expr.lhs.take().unwrap())?;
                    let mut result = if lstep.kind == Kind::Path {
                        lstep
                    } else {
                        let is_parent = lstep.kind == Kind::Parent;
                        let slot = lstep.slot.clone();
                        let mut p = Node::new(Kind::Path, "", expr.position);
                        p.steps.push(lstep);
                        if is_parent {
                            p.seeking_parent = Some(vec![slot.unwrap()]);
                        }
                        p
                    };
                    let mut rest = self.process(*expr.rhs.take().unwrap())?;
                    if rest.kind == Kind::Function
                        && rest
                            .procedure
                            .as_ref()
                            .map(|p| {
                                p.kind == Kind::Path
                                    && p.steps.len() == 1
                                    && p.steps[0].kind == Kind::Name
                            })
                            .unwrap_or(false)
                        && result
                            .steps
                            .last()
                            .map(|s| s.kind == Kind::Function)
                            .unwrap_or(false)
                    {
                        let nf = rest.procedure.as_ref().unwrap().steps[0].value.clone();
                        result.steps.last_mut().unwrap().next_function = Some(nf);
                    }
                    if rest.kind == Kind::Path {
                        result.steps.append(&mut rest.steps);
                    } else {
                        if !rest.predicate.is_empty() {
                            rest.stages = std::mem::take(&mut rest.predicate);
                        }
                        result.steps.push(rest);
                    }
                    for step in result.steps.iter_mut() {
                        if step.kind == Kind::Num || step.kind == Kind::Value {
                            let mut e = Error::at("S0213", step.position);
                            e.extra_mut().value = Some(step.value.to_string());
                            return Err(e);
                        }
                        if step.kind == Kind::Str {
                            step.kind = Kind::Name;
                        }
                    }
                    if result.steps.iter().any(|s| s.keep_array) {
                        result.keep_singleton_array = true;
                    }
                    let first = &mut result.steps[0];
                    if first.kind == Kind::Unary && &*first.value == "[" {
                        first.cons_array = true;
                    }
                    let last = result.steps.last_mut().unwrap();
                    if last.kind == Kind::Unary && &*last.value == "[" {
                        last.cons_array = true;
                    }
                    self.resolve_ancestry(&mut result)?;
                    result
                }
                "[" => {
                    let mut result = self.process(*expr.lhs.take().unwrap())?;
                    let is_path = result.kind == Kind::Path;
                    let mut predicate = self.process(*expr.rhs.take().unwrap())?;
                    {
                        let step: &mut Node = if is_path {
                            result.steps.last_mut().unwrap()
                        } else {
                            &mut result
                        };
                        if step.group.is_some() {
                            return Err(Error::at("S0209", expr.position));
                        }
                        if let Some(sp) = predicate.seeking_parent.clone() {
                            for slot in sp {
                                let level = slot.borrow().level;
                                if level == 1 {
                                    self.seek_parent(step, slot)?;
                                } else {
                                    slot.borrow_mut().level -= 1;
                                }
                            }
                            push_ancestry(step, &predicate);
                        }
                        predicate.seeking_parent = predicate.seeking_parent.take();
                        if is_path {
                            step.stages.push(Stage::Filter(Box::new(predicate)));
                        } else {
                            step.predicate.push(Stage::Filter(Box::new(predicate)));
                        }
                    }
                    result
                }
                "{" => {
                    let mut result = self.process(*expr.lhs.take().unwrap())?;
                    if result.group.is_some() {
                        return Err(Error::at("S0210", expr.position));
                    }
                    let mut pairs = vec![];
                    for (k, v) in std::mem::take(&mut expr.pairs) {
                        pairs.push((self.process(k)?, self.process(v)?));
                    }
                    result.group = Some(Rc::new((pairs, expr.position)));
                    result
                }
                "^" => {
                    let mut result = self.process(*expr.lhs.take().unwrap())?;
                    if result.kind != Kind::Path {
                        let mut p = Node::new(Kind::Path, "", expr.position);
                        p.steps.push(result);
                        result = p;
                    }
                    let mut sort = Node::new(Kind::Sort, "^", expr.position);
                    for (desc, e) in std::mem::take(&mut expr.terms) {
                        let e = self.process(e)?;
                        push_ancestry(&mut sort, &e);
                        sort.terms.push((desc, e));
                    }
                    result.steps.push(sort);
                    self.resolve_ancestry(&mut result)?;
                    result
                }
                ":=" => {
                    let mut result = Node::new(Kind::Bind, ":=", expr.position);
                    result.lhs = Some(Box::new(self.process(*expr.lhs.take().unwrap())?));
                    let rhs = self.process(*expr.rhs.take().unwrap())?;
                    push_ancestry(&mut result, &rhs);
                    result.rhs = Some(Box::new(rhs));
                    result
                }
                "@" => {
                    let mut result = self.process(*expr.lhs.take().unwrap())?;
                    let is_path = result.kind == Kind::Path;
                    let step: &mut Node = if is_path {
                        result.steps.last_mut().unwrap()
                    } else {
                        &mut result
                    };
                    if !step.stages.is_empty() || !step.predicate.is_empty() {
                        return Err(Error::at("S0215", expr.position));
                    }
                    if step.kind == Kind::Sort {
                        return Err(Error::at("S0216", expr.position));
                    }
                    if expr.keep_array {
                        step.keep_array = true;
                    }
                    step.focus = Some(expr.rhs.as_ref().unwrap().value.clone());
                    step.tuple = true;
                    result
                }
                "#" => {
                    let mut result = self.process(*expr.lhs.take().unwrap())?;
                    if result.kind != Kind::Path {
                        let mut step = result;
                        if !step.predicate.is_empty() {
                            step.stages = std::mem::take(&mut step.predicate);
                        }
                        let mut p = Node::new(Kind::Path, "", expr.position);
                        p.steps.push(step);
                        result = p;
                    }
                    let name = expr.rhs.as_ref().unwrap().value.clone();
                    let step = result.steps.last_mut().unwrap();
                    if step.stages.is_empty() {
                        step.index = Some(name);
                    } else {
                        step.stages.push(Stage::Index(name));
                    }
                    step.tuple = true;
                    result
                }
                "~>" => {
                    let mut result = Node::new(Kind::Apply, "~>", expr.position);
                    let lhs = self.process(*expr.lhs.take().unwrap())?;
                    let rhs = self.process(*expr.rhs.take().unwrap())?;
                    result.keep_array = lhs.keep_array || rhs.keep_array;
                    result.lhs = Some(Box::new(lhs));
                    result.rhs = Some(Box::new(rhs));
                    result
                }
                _ => {
                    let mut result = Node::new(Kind::Binary, &expr.value, expr.position);
                    let lhs = self.process(*expr.lhs.take().unwrap())?;
                    let rhs = self.process(*expr.rhs.take().unwrap())?;
                    push_ancestry(&mut result, &lhs);
                    push_ancestry(&mut result, &rhs);
                    result.lhs = Some(Box::new(lhs));
                    result.rhs = Some(Box::new(rhs));
                    result
                }
            },
            Kind::Unary => {
                let mut result = Node::new(Kind::Unary, &expr.value, expr.position);
                if &*expr.value == "[" {
                    for item in std::mem::take(&mut expr.expressions) {
                        let v = self.process(item)?;
                        push_ancestry(&mut result, &v);
                        result.expressions.push(v);
                    }
                } else if &*expr.value == "{" {
                    for (k, v) in std::mem::take(&mut expr.pairs) {
                        let k = self.process(k)?;
                        push_ancestry(&mut result, &k);
                        let v = self.process(v)?;
                        push_ancestry(&mut result, &v);
                        result.pairs.push((k, v));
                    }
                } else {
                    let e = self.process(*expr.expression.take().unwrap())?;
                    if &*expr.value == "-" && e.kind == Kind::Num {
                        let mut e = e;
                        if let Literal::Num(n) = e.lit {
                            e.lit = Literal::Num(-n);
                        }
                        result = e;
                    } else {
                        push_ancestry(&mut result, &e);
                        result.expression = Some(Box::new(e));
                    }
                }
                result
            }
            Kind::Function | Kind::Partial => {
                let mut result = Node::new(expr.kind, &expr.value, expr.position);
                for a in std::mem::take(&mut expr.arguments) {
                    let a = self.process(a)?;
                    push_ancestry(&mut result, &a);
                    result.arguments.push(a);
                }
                result.procedure = Some(Box::new(self.process(*expr.procedure.take().unwrap())?));
                result
            }
            Kind::Lambda => {
                let mut result = Node::new(Kind::Lambda, "lambda", expr.position);
                let body = self.process(*expr.body.take().unwrap())?;
                let body = tail_call_optimize(body);
                let params: Vec<Rc<str>> = expr.arguments.iter().map(|a| a.value.clone()).collect();
                result.lambda = Some(Rc::new(LambdaDef {
                    params: Rc::new(params),
                    signature: expr.signature.take(),
                    body,
                    thunk: false,
                }));
                result
            }
            Kind::Condition => {
                let mut result = Node::new(Kind::Condition, &expr.value, expr.position);
                let c = self.process(*expr.condition.take().unwrap())?;
                push_ancestry(&mut result, &c);
                result.condition = Some(Box::new(c));
                let t = self.process(*expr.then.take().unwrap())?;
                push_ancestry(&mut result, &t);
                result.then = Some(Box::new(t));
                if let Some(e) = expr.els.take() {
                    let e = self.process(*e)?;
                    push_ancestry(&mut result, &e);
                    result.els = Some(Box::new(e));
                }
                result
            }
            Kind::Coalesce => {
                let mut result = Node::new(Kind::Coalesce, "??", expr.position);
                let l = self.process(*expr.lhs.take().unwrap())?;
                push_ancestry(&mut result, &l);
                let r = self.process(*expr.rhs.take().unwrap())?;
                push_ancestry(&mut result, &r);
                result.lhs = Some(Box::new(l));
                result.rhs = Some(Box::new(r));
                result
            }
            Kind::Transform => {
                let mut result = Node::new(Kind::Transform, "|", expr.position);
                result.pattern = Some(Box::new(self.process(*expr.pattern.take().unwrap())?));
                result.update = Some(Box::new(self.process(*expr.update.take().unwrap())?));
                if let Some(d) = expr.delete.take() {
                    result.delete = Some(Box::new(self.process(*d)?));
                }
                result.shared = Some(Rc::new(result.clone()));
                result
            }
            Kind::Block => {
                let mut result = Node::new(Kind::Block, "(", expr.position);
                for item in std::mem::take(&mut expr.expressions) {
                    let part = self.process(item)?;
                    push_ancestry(&mut result, &part);
                    if part.cons_array || (part.kind == Kind::Path && part.steps[0].cons_array) {
                        result.cons_array = true;
                    }
                    result.expressions.push(part);
                }
                result
            }
            Kind::Name => {
                let mut result = Node::new(Kind::Path, "", expr.position);
                if expr.keep_array {
                    result.keep_singleton_array = true;
                }
                result.steps.push(expr);
                result
            }
            Kind::Parent => {
                let slot = Rc::new(RefCell::new(SlotData {
                    label: format!("!{}", self.ancestor_label),
                    level: 1,
                }));
                self.ancestor_label += 1;
                self.ancestry.push(slot.clone());
                let mut result = Node::new(Kind::Parent, "%", expr.position);
                result.slot = Some(slot);
                result
            }
            Kind::Str
            | Kind::Num
            | Kind::Value
            | Kind::Wildcard
            | Kind::Descendant
            | Kind::Variable
            | Kind::Regex => expr,
            Kind::Operator => {
                if matches!(&*expr.value, "and" | "or" | "in") {
                    expr.kind = Kind::Name;
                    return self.process(expr);
                } else if &*expr.value == "?" {
                    expr
                } else {
                    let mut e = Error::at("S0201", expr.position);
                    e.token = Some(expr.value.to_string());
                    return Err(e);
                }
            }
            _ => {
                let mut e = Error::at("S0206", expr.position);
                e.token = Some(expr.value.to_string());
                return Err(e);
            }
        };
        if keep_array {
            result.keep_array = true;
        }
        Ok(result)
    }

    fn seek_parent(&mut self, node: &mut Node, slot: Slot) -> R<Slot> {
        match node.kind {
            Kind::Name | Kind::Wildcard => {
                slot.borrow_mut().level -= 1;
                if slot.borrow().level == 0 {
                    if let Some(anc) = &node.ancestor {
                        let label = anc.borrow().label.clone();
                        slot.borrow_mut().label = label;
                    }
                    node.ancestor = Some(slot.clone());
                    node.tuple = true;
                }
                Ok(slot)
            }
            Kind::Parent => {
                slot.borrow_mut().level += 1;
                Ok(slot)
            }
            Kind::Block => {
                if !node.expressions.is_empty() {
                    node.tuple = true;
                    let last = node.expressions.last_mut().unwrap();
                    return self.seek_parent(last, slot);
                }
                Ok(slot)
            }
            Kind::Path => {
                node.tuple = true;
                let mut index = node.steps.len() as isize - 1;
                let mut slot = self.seek_parent(&mut node.steps[index as usize], slot)?;
                index -= 1;
                while slot.borrow().level > 0 && index >= 0 {
                    slot = self.seek_parent(&mut node.steps[index as usize], slot)?;
                    index -= 1;
                }
                Ok(slot)
            }
            _ => {
                let mut e = Error::at("S0217", node.position);
                e.token = Some(format!("{:?}", node.kind).to_ascii_lowercase());
                Err(e)
            }
        }
    }

    fn resolve_ancestry(&mut self, path: &mut Node) -> R<()> {
        let n = path.steps.len();
        let laststep = &path.steps[n - 1];
        let mut slots: Vec<Slot> = laststep.seeking_parent.clone().unwrap_or_default();
        if laststep.kind == Kind::Parent {
            slots.push(laststep.slot.clone().unwrap());
        }
        for slot in slots {
            let mut slot = slot;
            let mut index = n as isize - 2;
            while slot.borrow().level > 0 {
                if index < 0 {
                    path.seeking_parent
                        .get_or_insert_with(Vec::new)
                        .push(slot.clone());
                    break;
                }
                let mut si = index as usize;
                index -= 1;
                while index >= 0
                    && path.steps[si].focus.is_some()
                    && path.steps[index as usize].focus.is_some()
                {
                    si = index as usize;
                    index -= 1;
                }
                slot = self.seek_parent(&mut path.steps[si], slot)?;
            }
        }
        Ok(())
    }
}

fn push_ancestry(result: &mut Node, value: &Node) {
    if value.seeking_parent.is_some() || value.kind == Kind::Parent {
        let mut slots = value.seeking_parent.clone().unwrap_or_default();
        if value.kind == Kind::Parent {
            slots.push(value.slot.clone().unwrap());
        }
        result
            .seeking_parent
            .get_or_insert_with(Vec::new)
            .extend(slots);
    }
}

fn tail_call_optimize(mut expr: Node) -> Node {
    match expr.kind {
        Kind::Function if expr.predicate.is_empty() => {
            let pos = expr.position;
            let mut thunk = Node::new(Kind::Lambda, "thunk", pos);
            thunk.lambda = Some(Rc::new(LambdaDef {
                params: Rc::new(vec![]),
                signature: None,
                body: expr,
                thunk: true,
            }));
            thunk.thunk = true;
            thunk
        }
        Kind::Condition => {
            let t = expr.then.take().unwrap();
            expr.then = Some(Box::new(tail_call_optimize(*t)));
            if let Some(e) = expr.els.take() {
                expr.els = Some(Box::new(tail_call_optimize(*e)));
            }
            expr
        }
        Kind::Block => {
            if let Some(last) = expr.expressions.pop() {
                expr.expressions.push(tail_call_optimize(last));
            }
            expr
        }
        _ => expr,
    }
}

/// The processed tree, and where the first operator added after JSONata 2.0.6 (`??`, `?:`)
/// ends, if one is used.
pub fn parse(src: &str) -> R<(Node, Option<usize>)> {
    let chars: Vec<char> = src.chars().collect();
    let len = chars.len();
    let mut p = Parser {
        lexer: Lexer { chars, pos: 0 },
        node: end_token(0),
        depth: 0,
        src_len: len,
        ancestor_label: 0,
        ancestry: vec![],
        v21_at: None,
    };
    p.advance(None, false)?;
    let expr = p.expression(0)?;
    if p.node.kind != TokKind::End {
        let mut e = Error::at("S0201", p.node.position);
        e.token = Some(p.node.value.to_string());
        return Err(e);
    }
    p.depth = 0;
    let expr = p.process(expr)?;
    if expr.kind == Kind::Parent || expr.seeking_parent.is_some() {
        let mut e = Error::at("S0217", expr.position);
        e.token = Some(format!("{:?}", expr.kind).to_ascii_lowercase());
        return Err(e);
    }
    Ok((expr, p.v21_at))
}
