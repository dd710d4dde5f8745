//! Function signatures such as `<s-n?:s>`: parsing and argument validation.

use crate::value::Value;
use crate::Error;

#[derive(Debug, Clone)]
pub struct Param {
    symbols: String,
    optional: bool,
    plus: bool,
    context: bool,
    typ: String,
    subtype: Option<String>,
}

#[derive(Debug, Clone)]
pub struct Signature {
    params: Vec<Param>,
    pub definition: String,
}

pub fn symbol(v: &Value) -> char {
    match v {
        Value::Func(_) => 'f',
        Value::Str(_) => 's',
        Value::Num(_) => 'n',
        Value::Bool(_) => 'b',
        Value::Null => 'l',
        Value::Array(_) => 'a',
        Value::Object(_) => 'o',
        Value::Undefined => 'm',
    }
}

fn closing(chars: &[char], start: usize, open: char, close: char) -> usize {
    let mut depth = 1;
    let mut pos = start;
    while pos < chars.len() {
        pos += 1;
        let c = chars.get(pos).copied().unwrap_or('\0');
        if c == close {
            depth -= 1;
            if depth == 0 {
                break;
            }
        } else if c == open {
            depth += 1;
        }
    }
    pos
}

impl Signature {
    pub fn parse(sig: &str) -> Result<Signature, Error> {
        let chars: Vec<char> = sig.chars().collect();
        let mut params: Vec<Param> = vec![];
        let mut pos = 1;
        let new = |symbols: &str, typ: &str| Param {
            symbols: symbols.to_string(),
            optional: false,
            plus: false,
            context: false,
            typ: typ.to_string(),
            subtype: None,
        };
        while pos < chars.len() {
            let c = chars[pos];
            if c == ':' {
                break;
            }
            match c {
                's' | 'n' | 'b' | 'l' | 'o' => params.push(new(&format!("{}m", c), &c.to_string())),
                'a' => params.push(new("asnblfom", "a")),
                'f' => params.push(new("f", "f")),
                'j' => params.push(new("asnblom", "j")),
                'x' => params.push(new("asnblfom", "x")),
                '-' => {
                    if let Some(p) = params.last_mut() {
                        p.context = true;
                        p.optional = true;
                    }
                }
                '?' => {
                    if let Some(p) = params.last_mut() {
                        p.optional = true;
                    }
                }
                '+' => {
                    if let Some(p) = params.last_mut() {
                        p.plus = true;
                    }
                }
                '(' => {
                    let end = closing(&chars, pos, '(', ')');
                    let choice: String = chars[pos + 1..end.min(chars.len())].iter().collect();
                    if choice.contains('<') {
                        let mut e = Error::at("S0402", pos);
                        e.value = Some(choice);
                        return Err(e);
                    }
                    params.push(new(&format!("{}m", choice), &format!("({})", choice)));
                    pos = end;
                }
                '<' => {
                    let ok = params.last().map(|p| p.typ == "a" || p.typ == "f").unwrap_or(false);
                    if ok {
                        let end = closing(&chars, pos, '<', '>');
                        let sub: String = chars[pos + 1..end.min(chars.len())].iter().collect();
                        params.last_mut().unwrap().subtype = Some(sub);
                        pos = end;
                    } else {
                        let mut e = Error::at("S0401", pos);
                        e.value = params.last().map(|p| p.typ.clone());
                        return Err(e);
                    }
                }
                _ => {}
            }
            pos += 1;
        }
        Ok(Signature { params, definition: sig.to_string() })
    }

    pub fn param_count(&self) -> usize {
        self.params.len()
    }

    /// Matches the symbols against params from `pi` on; returns the count each param took.
    fn matches(&self, syms: &[char], pi: usize, si: usize, out: &mut Vec<usize>) -> bool {
        if pi == self.params.len() {
            return si == syms.len();
        }
        let p = &self.params[pi];
        let ok = |c: char| p.symbols.contains(c);
        let mut max = 0;
        while si + max < syms.len() && ok(syms[si + max]) && (p.plus || max < 1) {
            max += 1;
        }
        let min = if p.optional { 0 } else { 1 };
        let mut n = max as isize;
        while n >= min as isize {
            out.push(n as usize);
            if self.matches(syms, pi + 1, si + n as usize, out) {
                return true;
            }
            out.pop();
            n -= 1;
        }
        false
    }

    pub fn validate(&self, args: &[Value], context: &Value) -> Result<Vec<Value>, Error> {
        let syms: Vec<char> = args.iter().map(symbol).collect();
        let mut counts = vec![];
        if !self.matches(&syms, 0, 0, &mut counts) {
            // find where it fails
            let mut good_to = 0usize;
            for pi in 0..self.params.len() {
                let mut c = vec![];
                let sub = Signature { params: self.params[..=pi].to_vec(), definition: String::new() };
                // partial match: the prefix of the params must match some prefix of the symbols
                let mut found = None;
                for end in (0..=syms.len()).rev() {
                    c.clear();
                    if sub.matches(&syms[..end], 0, 0, &mut c) {
                        found = Some(end);
                        break;
                    }
                }
                match found {
                    None => {
                        let mut e = Error::new("T0410");
                        e.index = Some(good_to + 1);
                        e.value = args.get(good_to).map(crate::errors::render);
                        return Err(e);
                    }
                    Some(end) => good_to = end,
                }
            }
            let mut e = Error::new("T0410");
            e.index = Some(good_to + 1);
            e.value = args.get(good_to).map(crate::errors::render);
            return Err(e);
        }
        let mut validated = vec![];
        let mut arg_index = 0;
        for (pi, p) in self.params.iter().enumerate() {
            let n = counts[pi];
            if n == 0 {
                if p.context {
                    let ct = symbol(context);
                    if p.symbols.contains(ct) {
                        validated.push(context.clone());
                    } else {
                        let mut e = Error::new("T0411");
                        e.index = Some(arg_index + 1);
                        e.value = Some(crate::errors::render(&context.clone()));
                        return Err(e);
                    }
                } else {
                    validated.push(args.get(arg_index).cloned().unwrap_or_default());
                    arg_index += 1;
                }
            } else {
                for _ in 0..n {
                    let arg = args.get(arg_index).cloned().unwrap_or_default();
                    if p.typ == "a" {
                        let single = symbol(&arg);
                        if single == 'm' {
                            validated.push(Value::Undefined);
                        } else {
                            let mut ok = true;
                            if let Some(sub) = &p.subtype {
                                if single != 'a' && sub.as_str() != single.to_string() {
                                    ok = false;
                                } else if let Value::Array(a) = &arg {
                                    if let Some(first) = a.items.first() {
                                        let it = symbol(first);
                                        if Some(it) != sub.chars().next() {
                                            ok = false;
                                        } else {
                                            ok = a.items.iter().all(|v| symbol(v) == it);
                                        }
                                    }
                                }
                            }
                            if !ok {
                                let mut e = Error::new("T0412");
                                e.index = Some(arg_index + 1);
                                e.value = Some(crate::errors::render(&arg.clone()));
                                e.value = p.subtype.as_ref().map(|s| array_type(s).to_string());
                                return Err(e);
                            }
                            if single != 'a' {
                                validated.push(Value::array(vec![arg]));
                            } else {
                                validated.push(arg);
                            }
                        }
                    } else {
                        validated.push(arg);
                    }
                    arg_index += 1;
                }
            }
        }
        Ok(validated)
    }
}

fn array_type(s: &str) -> &'static str {
    match s {
        "a" => "arrays",
        "b" => "booleans",
        "f" => "functions",
        "n" => "numbers",
        "o" => "objects",
        "s" => "strings",
        _ => "values",
    }
}
