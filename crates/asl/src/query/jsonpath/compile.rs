//! Jayway JsonPath 2.0.0's `PathCompiler`, `PathComponentAnalyzer`, `Filter.parse` and
//! `Criteria.parse`, ported step by step so that the same texts are accepted, rejected and
//! understood the same way (quirks included; see the module doc of [`super`]).

use super::java;
use super::regex::Regex;

/// Most tokens (segments) one path may have: Jayway has no limit, but its evaluation recurses
/// once per token; this keeps a hostile path (`$` and 10,000 `[0]`) from exhausting the stack.
pub(super) const MAX_TOKENS: usize = 256;
/// How deeply filters may nest paths that contain filters.
const MAX_FILTER_DEPTH: usize = 8;

#[derive(Debug, Clone)]
pub(super) struct Fail {
    pub message: String,
    pub position: usize,
}

fn fail<T>(message: impl Into<String>, position: usize) -> Result<T, Fail> {
    Err(Fail {
        message: message.into(),
        position,
    })
}

/// A compiled path: Jayway's token chain, first token always `Root`.
#[derive(Debug, Clone)]
pub(super) struct Compiled {
    pub tokens: Vec<Token>,
    /// `$…` (true) or `@…` (false, inside filters).
    pub root_path: bool,
    /// The text compiled (after `@` became `$`), for the identity of cached root paths.
    pub text: String,
    /// Jayway 2.0.0's `isUpstreamDefinite()` for each token.
    pub upstream_definite: Vec<bool>,
}

#[derive(Debug, Clone)]
pub(super) enum Token {
    Root,
    Property(Vec<String>),
    Array { criteria: Vec<i64>, op: ArrayOp },
    Wildcard,
    Scan,
    Predicate(Box<Filter>),
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(super) enum ArrayOp {
    /// `[(@.length-1)]`
    ContextSize,
    /// `[:2]`
    SliceTo,
    /// `[1:]`
    SliceFrom,
    /// `[1:2]`
    SliceBetween,
    /// `[1,2]`
    IndexSequence,
    /// `[1]`
    SingleIndex,
}

#[derive(Debug, Clone)]
pub(super) enum Filter {
    Single(Criteria),
    And(Vec<Filter>),
    Or(Box<Filter>, Box<Filter>),
}

impl Filter {
    /// `Filter.and`: a single filter becomes an AND of two; an AND grows; an OR ANDs its
    /// right side (so `a || b && c` is `a || (b && c)`).
    fn and(self, other: Criteria) -> Filter {
        match self {
            Filter::Single(_) => Filter::And(vec![self, Filter::Single(other)]),
            Filter::And(mut items) => {
                items.push(Filter::Single(other));
                Filter::And(items)
            }
            Filter::Or(left, right) => Filter::Or(
                left,
                Box::new(Filter::And(vec![*right, Filter::Single(other)])),
            ),
        }
    }

    fn or(self, other: Criteria) -> Filter {
        Filter::Or(Box::new(self), Box::new(Filter::Single(other)))
    }
}

#[derive(Debug, Clone)]
pub(super) enum Criteria {
    /// `@.isbn` (exists) or `!@.isbn` (does not).
    Exists { path: Compiled, exists: bool },
    Compare {
        left: Operand,
        op: CompareOp,
        right: Operand,
    },
}

#[derive(Debug, Clone)]
pub(super) enum Operand {
    Path(Compiled),
    /// Anything else, as Java keeps it: a `'quoted'` literal without its quotes, or the raw
    /// text (`10`, `true`, `null`, `"double quoted"`).
    Text(String),
    Pattern(Regex),
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(super) enum CompareOp {
    Eq,
    Ne,
    Gt,
    Gte,
    Lt,
    Lte,
    Regex,
}

impl Token {
    pub fn is_definite(&self) -> bool {
        match self {
            Token::Root | Token::Property(_) => true,
            Token::Array { op, .. } => matches!(op, ArrayOp::SingleIndex | ArrayOp::ContextSize),
            Token::Wildcard | Token::Scan | Token::Predicate(_) => false,
        }
    }

    /// `getPathFragment()`.
    pub fn fragment(&self) -> String {
        match self {
            Token::Root => "$".into(),
            Token::Property(props) => format!("[{}]", join_quoted(props)),
            Token::Array { criteria, op } => {
                let c = |i: usize| criteria.get(i).map(|n| n.to_string()).unwrap_or_default();
                match op {
                    ArrayOp::SingleIndex | ArrayOp::IndexSequence => {
                        let items: Vec<String> = criteria.iter().map(|n| n.to_string()).collect();
                        format!("[{}]", items.join(","))
                    }
                    ArrayOp::ContextSize => format!("[@.size(){}]", c(0)),
                    ArrayOp::SliceFrom => format!("[{}:]", c(0)),
                    ArrayOp::SliceTo => format!("[:{}]", c(0)),
                    ArrayOp::SliceBetween => format!("[{}:{}]", c(0), c(1)),
                }
            }
            Token::Wildcard => "[*]".into(),
            Token::Scan => "..".into(),
            Token::Predicate(_) => "[?]".into(),
        }
    }
}

/// `Utils.join(", ", "'", props)`.
pub(super) fn join_quoted(props: &[String]) -> String {
    props
        .iter()
        .map(|p| format!("'{p}'"))
        .collect::<Vec<_>>()
        .join(", ")
}

impl Compiled {
    pub fn is_definite(&self) -> bool {
        self.tokens.iter().all(Token::is_definite)
    }

    /// The token chain's `toString()` from token `from` on: `$['a'][0][*]`.
    pub fn to_string_from(&self, from: usize) -> String {
        self.tokens[from..].iter().map(Token::fragment).collect()
    }
}

/// `PathCompiler.compile(path)`. `base` is the byte offset of `text` in the text the user
/// wrote, for error positions.
pub(super) fn compile(text: &str, base: usize, depth: usize) -> Result<Compiled, Fail> {
    if depth > MAX_FILTER_DEPTH {
        return fail("filters are nested too deeply", base);
    }
    if text.is_empty() {
        return fail("Path may not be null empty", base);
    }
    let (start, trimmed) = java::trim(text);
    let base = base + start;
    if trimmed.is_empty() {
        return fail("Path may not be null empty", base);
    }
    if trimmed.ends_with("..") {
        return fail("A path can not end with a scan.", base + trimmed.len());
    }
    let mut path = trimmed.to_string();
    // Byte offset of path[0] in the user's text (negative shift when "$." is added).
    let mut shift = base as isize;
    if !path.starts_with('$') && !path.starts_with('@') {
        path = format!("$.{path}");
        shift -= 2;
    }
    let root_path = path.starts_with('$');
    if !root_path {
        path.replace_range(0..1, "$");
    }
    let chars: Vec<(usize, char)> = path.char_indices().collect();
    let at = |i: usize| -> usize {
        let byte = chars.get(i).map(|c| c.0).unwrap_or(path.len());
        (byte as isize + shift).max(0) as usize
    };
    let len = chars.len();
    if len > 1 && chars[1].1 != '.' && chars[1].1 != '[' {
        return fail(format!("Invalid path {path}"), at(1));
    }

    let mut tokens: Vec<Token> = Vec::new();
    let mut i = 0;
    loop {
        let current = chars[i].1;
        let frag_start = i;
        let fragment: String = match current {
            ' ' => return fail("Space not allowed in path", at(i)),
            '$' => {
                i += 1;
                "$".into()
            }
            '[' => {
                let n = fast_forward_until_closed(&chars, i);
                let f = collect(&chars[i..i + n]);
                i += n;
                f
            }
            '.' => {
                i += 1;
                if i >= len {
                    return fail("Path must not end with a '.'", at(i));
                }
                if chars[i].1 == '.' {
                    i += 1;
                    "..".into()
                } else {
                    let n = fast_forward(&chars, i);
                    if n == 0 {
                        if i < len {
                            continue;
                        }
                        break;
                    }
                    let f = if n == 1 && chars[i].1 == '*' {
                        "[*]".into()
                    } else {
                        format!("['{}']", collect(&chars[i..i + n]))
                    };
                    i += n;
                    f
                }
            }
            '*' => {
                i += 1;
                "[*]".into()
            }
            _ => {
                let n = fast_forward(&chars, i);
                let f = format!("['{}']", collect(&chars[i..i + n]));
                i += n;
                f
            }
        };
        tokens.push(analyze(&fragment, at(frag_start), depth)?);
        if tokens.len() > MAX_TOKENS {
            return fail(
                format!("a path may have at most {MAX_TOKENS} segments"),
                at(frag_start),
            );
        }
        if i >= len {
            break;
        }
    }
    // The first fragment is always "$", so tokens[0] is Root.
    let definite_from: Vec<bool> = {
        let mut v = vec![true; tokens.len() + 1];
        for k in (0..tokens.len()).rev() {
            v[k] = tokens[k].is_definite() && v[k + 1];
        }
        v
    };
    let upstream_definite = (0..tokens.len())
        .map(|k| tokens[k].is_definite() && (k == 0 || definite_from[k - 1]))
        .collect();
    Ok(Compiled {
        tokens,
        root_path,
        text: path,
        upstream_definite,
    })
}

fn collect(chars: &[(usize, char)]) -> String {
    chars.iter().map(|c| c.1).collect()
}

/// Characters up to (not including) the next `.`, `[` or space.
fn fast_forward(chars: &[(usize, char)], mut index: usize) -> usize {
    let mut count = 0;
    while index < chars.len() {
        let c = chars[index].1;
        if c == '.' || c == '[' || c == ' ' {
            break;
        }
        index += 1;
        count += 1;
    }
    count
}

/// Characters from a `[` to its matching `]` (brackets counted, quotes not), or to the end.
fn fast_forward_until_closed(chars: &[(usize, char)], mut index: usize) -> usize {
    let mut count = 1;
    let mut nested = 0i32;
    index += 1;
    while index < chars.len() {
        let c = chars[index].1;
        index += 1;
        count += 1;
        if c == ']' && nested == 0 {
            break;
        }
        if c == '[' {
            nested += 1;
        }
        if c == ']' {
            nested -= 1;
        }
    }
    count
}

fn is_java_space(c: char) -> bool {
    matches!(c, ' ' | '\t' | '\n' | '\u{b}' | '\u{c}' | '\r')
}

/// `^\[\s*\?\s*[,\s*\?]*?\s*]$`: a placeholder for filters passed in code (`[?]`, `[?, ?]`).
fn is_placeholder(fragment: &str) -> bool {
    let Some(inner) = fragment.strip_prefix('[').and_then(|f| f.strip_suffix(']')) else {
        return false;
    };
    let inner = inner.trim_start_matches(is_java_space);
    let Some(rest) = inner.strip_prefix('?') else {
        return false;
    };
    rest.chars()
        .all(|c| c == ',' || c == '*' || c == '?' || is_java_space(c))
}

/// `PathComponentAnalyzer.analyze`.
fn analyze(fragment: &str, pos: usize, depth: usize) -> Result<Token, Fail> {
    match fragment {
        "$" => return Ok(Token::Root),
        ".." => return Ok(Token::Scan),
        "[*]" | ".*" => return Ok(Token::Wildcard),
        _ => {}
    }
    if is_placeholder(fragment) {
        // Jayway takes these from the predicates passed in code; Step Functions passes none.
        return fail(
            format!("Could not analyze path component: {fragment} (a filter placeholder needs a predicate passed in code)"),
            pos,
        );
    }
    let chars: Vec<char> = fragment.chars().collect();
    let mut i = 0;
    while i < chars.len() {
        let c = chars[i];
        match c {
            '?' => return analyze_criteria(&chars, i, pos, depth),
            '\'' => return analyze_property(&chars, i, pos),
            c if c.is_ascii_digit() || c == ':' || c == '-' || c == '@' => {
                return analyze_array(&chars, i, fragment, pos)
            }
            _ => i += 1,
        }
    }
    fail(format!("Could not analyze path component: {fragment}"), pos)
}

fn out_of_range<T>(index: usize, pos: usize) -> Result<T, Fail> {
    fail(format!("String index out of range: {index}"), pos)
}

/// `['a']`, `['a','b']`: every single-quoted run before the first `]` is a name (no escapes).
fn analyze_property(chars: &[char], mut i: usize, pos: usize) -> Result<Token, Fail> {
    let mut properties = Vec::new();
    let mut buffer = String::new();
    let mut open = false;
    let mut current = chars[i];
    while current != ']' {
        if current == '\'' {
            if open {
                properties.push(std::mem::take(&mut buffer));
                open = false;
            } else {
                open = true;
            }
        } else if open {
            buffer.push(current);
        }
        i += 1;
        current = match chars.get(i) {
            Some(&c) => c,
            None => return out_of_range(i, pos),
        };
    }
    Ok(Token::Property(properties))
}

/// Java's `Integer.parseInt`.
fn parse_int(text: &str, pos: usize) -> Result<i64, Fail> {
    let digits = text.strip_prefix(['-', '+']).unwrap_or(text);
    let ok = !digits.is_empty() && digits.bytes().all(|b| b.is_ascii_digit());
    match text.parse::<i32>() {
        Ok(n) if ok => Ok(i64::from(n)),
        _ => fail(format!("For input string: \"{text}\""), pos),
    }
}

/// `[1]`, `[1,2]`, `[1:2]`, `[:2]`, `[-1:]`, `[(@.length - 1)]`, read the way Jayway 2.0.0
/// reads them (`[1:2:3]` is `[1:2]`; a step is not supported).
fn analyze_array(chars: &[char], mut i: usize, fragment: &str, pos: usize) -> Result<Token, Fail> {
    let at = |i: usize| -> Result<char, Fail> {
        match chars.get(i) {
            Some(&c) => Ok(c),
            None => out_of_range(i, pos),
        }
    };
    let mut current = chars[i];
    let mut buffer = String::new();
    let mut numbers: Vec<i64> = Vec::new();
    let context_size = current == '@';
    let mut slice_to = false;
    let mut slice_from = false;
    let mut slice_between = false;
    let mut index_sequence = false;

    if context_size {
        i += 1;
        at(i)?;
        i += 1;
        current = at(i)?;
        while current != '-' {
            if current == ' ' || current == '(' || current == ')' {
                i += 1;
                current = at(i)?;
                continue;
            }
            buffer.push(current);
            i += 1;
            current = at(i)?;
        }
        let function = std::mem::take(&mut buffer);
        if function != "size" && function != "length" {
            return fail(
                format!("Invalid function: @.{function}. Supported functions are: [(@.length - n)] and [(@.size() - n)]"),
                pos,
            );
        }
        while current != ')' {
            if current == ' ' {
                i += 1;
                current = at(i)?;
                continue;
            }
            buffer.push(current);
            i += 1;
            current = at(i)?;
        }
    } else {
        let number_char = |c: char| c.is_ascii_digit() || c == ' ' || c == '-';
        while current.is_ascii_digit() || matches!(current, ',' | ' ' | ':' | '-') {
            match current {
                ' ' => {}
                ':' => {
                    if buffer.is_empty() {
                        slice_to = true;
                        i += 1;
                        current = at(i)?;
                        while number_char(current) {
                            if current != ' ' {
                                buffer.push(current);
                            }
                            i += 1;
                            current = at(i)?;
                        }
                        numbers.push(parse_int(&buffer, pos)?);
                        buffer.clear();
                    } else {
                        numbers.push(parse_int(&buffer, pos)?);
                        buffer.clear();
                        i += 1;
                        current = at(i)?;
                        while number_char(current) {
                            if current != ' ' {
                                buffer.push(current);
                            }
                            i += 1;
                            current = at(i)?;
                        }
                        if buffer.is_empty() {
                            slice_from = true;
                        } else {
                            slice_between = true;
                            numbers.push(parse_int(&buffer, pos)?);
                            buffer.clear();
                        }
                    }
                }
                ',' => {
                    numbers.push(parse_int(&buffer, pos)?);
                    buffer.clear();
                    index_sequence = true;
                }
                c => buffer.push(c),
            }
            if current == ']' {
                break;
            }
            i += 1;
            current = at(i)?;
        }
    }
    if !buffer.is_empty() {
        numbers.push(parse_int(&buffer, pos)?);
    }
    let single_index = numbers.len() == 1 && !slice_to && !slice_from && !context_size;
    let op = if single_index {
        ArrayOp::SingleIndex
    } else if index_sequence {
        ArrayOp::IndexSequence
    } else if slice_from {
        ArrayOp::SliceFrom
    } else if slice_to {
        ArrayOp::SliceTo
    } else if slice_between {
        ArrayOp::SliceBetween
    } else if context_size {
        ArrayOp::ContextSize
    } else {
        // Jayway builds a token with no operation, which fails when evaluated.
        return fail(format!("Could not analyze path component: {fragment}"), pos);
    };
    Ok(Token::Array {
        criteria: numbers,
        op,
    })
}

/// `[?(…)]`: finds the filter's bounds as `findFilterBounds` does, then `Filter.parse`.
fn analyze_criteria(chars: &[char], i: usize, pos: usize, depth: usize) -> Result<Token, Fail> {
    let mut start = i;
    while chars[start] != '[' {
        if start == 0 {
            return out_of_range(0, pos);
        }
        start -= 1;
    }
    let mut end = 0;
    let mut mem = ' ';
    let mut curr = start;
    let mut in_prop = false;
    let mut open_square = 0i32;
    let mut open_round = 0i32;
    while end == 0 {
        let Some(&c) = chars.get(curr) else {
            return out_of_range(curr, pos);
        };
        match c {
            '(' if !in_prop => open_round += 1,
            ')' if !in_prop => open_round -= 1,
            '[' if !in_prop => open_square += 1,
            ']' if !in_prop => {
                open_square -= 1;
                if open_round == 0 {
                    end = curr + 1;
                }
            }
            '\'' if mem != '\\' => in_prop = !in_prop,
            _ => {}
        }
        mem = c;
        curr += 1;
    }
    if open_round != 0 || open_square != 0 {
        return fail("Filter brackets are not balanced", pos);
    }
    let text: String = chars[start..end].iter().collect();
    Ok(Token::Predicate(Box::new(parse_filter(&text, pos, depth)?)))
}

/// `Filter.parse`: splits on `&&`/`||` (even inside quotes: Jayway 2.0.0 does), parses each
/// criterion and combines them, `&&` binding tighter. Parentheses only group the whole
/// filter: inner ones are stripped from each criterion, and `!` applies to paths only.
fn parse_filter(filter: &str, pos: usize, depth: usize) -> Result<Filter, Fail> {
    let (_, f) = java::trim(filter);
    if !f.starts_with('[') || !f.ends_with(']') || f.len() < 2 {
        return fail(
            format!("Filter must start with '[' and end with ']'. {f}"),
            pos,
        );
    }
    let (_, f) = java::trim(&f[1..f.len() - 1]);
    let Some(rest) = f.strip_prefix('?') else {
        return fail(
            format!("Filter must start with '[?' and end with ']'. {f}"),
            pos,
        );
    };
    let (_, f) = java::trim(rest);
    if !f.starts_with('(') || !f.ends_with(')') || f.len() < 2 {
        return fail(
            format!("Filter must start with '[?(' and end with ')]'. {f}"),
            pos,
        );
    }
    let (_, body) = java::trim(&f[1..f.len() - 1]);

    let mut operators: Vec<bool> = Vec::new(); // true: &&, false: ||
    let mut criteria: Vec<Criteria> = Vec::new();
    for piece in split_operators(body) {
        let (_, piece) = java::trim(&piece);
        match piece {
            "&&" => operators.push(true),
            "||" => operators.push(false),
            _ => criteria.push(parse_criteria(&clean_criteria(piece, pos)?, pos, depth)?),
        }
    }
    let Some(last) = criteria.pop() else {
        return fail(format!("Invalid operators {body}"), pos);
    };
    let mut root = Filter::Single(last);
    while let Some(and) = operators.pop() {
        let Some(next) = criteria.pop() else {
            return fail(format!("Invalid operators {body}"), pos);
        };
        root = if and { root.and(next) } else { root.or(next) };
    }
    if !criteria.is_empty() {
        return fail(format!("Invalid operators {body}"), pos);
    }
    Ok(root)
}

/// Java's `split("((?<=&&|\\|\\|)|(?=&&|\\|\\|))")`: cuts before and after every `&&`/`||`.
fn split_operators(text: &str) -> Vec<String> {
    let chars: Vec<char> = text.chars().collect();
    let is_op = |i: usize| -> bool {
        i + 2 <= chars.len()
            && ((chars[i] == '&' && chars[i + 1] == '&')
                || (chars[i] == '|' && chars[i + 1] == '|'))
    };
    let mut pieces = Vec::new();
    let mut last = 0;
    for p in 1..=chars.len() {
        let cut = (p >= 2 && is_op(p - 2)) || is_op(p);
        if cut {
            pieces.push(chars[last..p].iter().collect::<String>());
            last = p;
        }
    }
    if last < chars.len() {
        pieces.push(chars[last..].iter().collect());
    }
    while pieces.last().is_some_and(|p: &String| p.is_empty()) {
        pieces.pop();
    }
    if pieces.is_empty() {
        pieces.push(String::new());
    }
    pieces
}

/// `cleanCriteria`: strips `[`, `?`, `(` and spaces at the start, `)` and spaces at the end.
fn clean_criteria(text: &str, pos: usize) -> Result<String, Fail> {
    let chars: Vec<char> = text.chars().collect();
    if chars.is_empty() {
        return out_of_range(0, pos);
    }
    let mut begin = 0;
    while matches!(chars[begin], '[' | '?' | '(' | ' ') {
        begin += 1;
        if begin >= chars.len() {
            return out_of_range(begin, pos);
        }
    }
    let mut end = chars.len() - 1;
    while matches!(chars[end], ')' | ' ') {
        if end == 0 {
            return out_of_range(0, pos);
        }
        end -= 1;
    }
    if begin > end + 1 {
        return fail(
            format!(
                "String index out of range: {}",
                end as isize + 1 - begin as isize
            ),
            pos,
        );
    }
    Ok(chars[begin..=end].iter().collect())
}

const OPERATORS: [(&str, CompareOp); 7] = [
    ("==", CompareOp::Eq),
    (">=", CompareOp::Gte),
    ("<=", CompareOp::Lte),
    ("!=", CompareOp::Ne),
    ("<", CompareOp::Lt),
    (">", CompareOp::Gt),
    ("=~", CompareOp::Regex),
];

/// `Criteria.parse`: the first operator *of this list* found anywhere splits the text.
fn parse_criteria(criteria: &str, pos: usize, depth: usize) -> Result<Criteria, Fail> {
    let found = OPERATORS
        .iter()
        .find_map(|(text, op)| criteria.find(text).map(|i| (i, *text, *op)));
    let (left, op, right) = match found {
        Some((i, text, op)) => (
            java::trim(&criteria[..i]).1,
            Some(op),
            java::trim(&criteria[i + text.len()..]).1,
        ),
        None => (java::trim(criteria).1, None, ""),
    };
    let is_path = |s: &str| s.starts_with('$') || s.starts_with('@') || s.starts_with("!@");
    let mut exists = true;
    let left_operand = if is_path(left) {
        let text = match left.strip_prefix('!') {
            Some(t) => {
                exists = false;
                t
            }
            None => left,
        };
        let path = compile(text, pos, depth + 1)?;
        if !path.is_definite() {
            return fail(format!("the predicate path: {text} is not definite"), pos);
        }
        Operand::Path(path)
    } else {
        literal(left, pos)?
    };
    let right_operand = if is_path(right) {
        if right.starts_with('!') {
            return fail(
                "Invalid negation! Can only be used for existence check e.g [?(!@.foo)]",
                pos,
            );
        }
        let path = compile(right, pos, depth + 1)?;
        if !path.is_definite() {
            return fail(format!("the predicate path: {right} is not definite"), pos);
        }
        Operand::Path(path)
    } else {
        literal(right, pos)?
    };
    match (left_operand, op) {
        (Operand::Path(path), None) => Ok(Criteria::Exists { path, exists }),
        (left, Some(op)) => Ok(Criteria::Compare {
            left,
            op,
            right: right_operand,
        }),
        (_, None) => fail("CriteriaType  can not be parsed", pos),
    }
}

/// A `'string'` (quotes removed, nothing unescaped), a `/pattern/` or `/pattern/i`, or the
/// text itself.
fn literal(text: &str, pos: usize) -> Result<Operand, Fail> {
    if text.starts_with('\'') && text.ends_with('\'') {
        if text.len() < 2 {
            return out_of_range(1, pos);
        }
        return Ok(Operand::Text(text[1..text.len() - 1].to_string()));
    }
    let chars: Vec<char> = text.chars().collect();
    let is_pattern = chars.first() == Some(&'/')
        && (chars.last() == Some(&'/')
            || (chars.len() >= 2 && chars[chars.len() - 2] == '/' && chars.last() == Some(&'i')));
    if is_pattern {
        let last = text.rfind('/').unwrap_or(0);
        if last < 1 {
            return out_of_range(1, pos);
        }
        let ignore_case = text.ends_with('i');
        return match Regex::new(&text[1..last], ignore_case) {
            Ok(re) => Ok(Operand::Pattern(re)),
            Err(message) => fail(message, pos),
        };
    }
    Ok(Operand::Text(text.to_string()))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn tokens(path: &str) -> String {
        compile(path, 0, 0).unwrap().to_string_from(0)
    }

    #[test]
    fn fragments_read_as_jayway_2_0_0_reads_them() {
        assert_eq!(tokens("$.a.b"), "$['a']['b']");
        assert_eq!(tokens("$['a b'][0]"), "$['a b'][0]");
        assert_eq!(tokens("$.a[1,2]"), "$['a'][1,2]");
        assert_eq!(tokens("$.a[1:2:3]"), "$['a'][1:2]");
        assert_eq!(tokens("$.a[-1:]"), "$['a'][-1:]");
        assert_eq!(tokens("$.a[:2]"), "$['a'][:2]");
        assert_eq!(tokens("$.a[(@.length-1)]"), "$['a'][@.size()-1]");
        assert_eq!(tokens("$..a.*"), "$..['a'][*]");
        assert_eq!(tokens("$.['a']"), "$['a']");
        assert_eq!(tokens("$.a[?(@.b)]"), "$['a'][?]");
        assert_eq!(tokens("$['a','b']"), "$['a', 'b']");
    }

    #[test]
    fn split_keeps_operators() {
        assert_eq!(
            split_operators("a && b||c"),
            vec!["a ", "&&", " b", "||", "c"]
        );
    }
}
