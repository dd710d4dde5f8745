//! Regular expressions with JavaScript's semantics, behind one small interface.
//!
//! On `wasm32` the JavaScript engine's own `RegExp` does the work (exactly JavaScript's
//! semantics, and nothing in the .wasm); elsewhere the `regress` crate does.
//!
//! Positions are byte offsets into the Rust `&str` being searched. On wasm32 the engine's
//! UTF-16 code-unit indices are converted; a match without the `u` flag can start or end in
//! the middle of a surrogate pair (`.` matches one code unit), and such an index is rounded
//! outwards to the whole character.

use std::ops::Range;

/// One match: the byte range of the whole match and the text of each capture group
/// (`None` for a group that did not take part).
pub struct Match {
    pub range: Range<usize>,
    pub groups: Vec<Option<String>>,
}

impl Match {
    pub fn is_empty(&self) -> bool {
        self.range.start == self.range.end
    }
}

pub use imp::Regex;

impl Regex {
    /// The first match at or after byte offset 0.
    pub fn find(&self, hay: &str) -> Option<Match> {
        self.searcher(hay).find_from(0)
    }
}

#[cfg(not(target_arch = "wasm32"))]
mod imp {
    use super::Match;

    pub struct Regex(regress::Regex);

    impl Regex {
        /// Compiles `pattern` with `flags` (`i`, `m`); the error is a message for S0303.
        pub fn new(pattern: &str, flags: &str) -> Result<Regex, String> {
            regress::Regex::with_flags(pattern, flags)
                .map(Regex)
                .map_err(|e| format!("Invalid regular expression: {}", e))
        }

        /// A searcher over `hay`, for several searches of the same string.
        pub fn searcher<'a>(&'a self, hay: &'a str) -> Searcher<'a> {
            Searcher { re: self, hay }
        }
    }

    pub struct Searcher<'a> {
        re: &'a Regex,
        hay: &'a str,
    }

    impl Searcher<'_> {
        /// The first match starting at or after byte offset `from` (a char boundary).
        pub fn find_from(&mut self, from: usize) -> Option<Match> {
            let hay = self.hay;
            self.re.0.find_from(hay, from).next().map(|m| Match {
                range: m.range.clone(),
                groups: m
                    .captures
                    .iter()
                    .map(|c| c.as_ref().map(|r| hay[r.clone()].to_string()))
                    .collect(),
            })
        }
    }
}

#[cfg(target_arch = "wasm32")]
mod imp {
    use super::Match;
    use js_sys::{Array, JsString, Reflect};
    use wasm_bindgen::prelude::*;
    use wasm_bindgen::JsCast;

    #[wasm_bindgen]
    extern "C" {
        #[wasm_bindgen(js_name = RegExp)]
        type JsRegExp;
        #[wasm_bindgen(constructor, js_class = "RegExp", catch)]
        fn new(pattern: &str, flags: &str) -> Result<JsRegExp, JsValue>;
        #[wasm_bindgen(method, getter = lastIndex)]
        fn last_index(this: &JsRegExp) -> f64;
        #[wasm_bindgen(method, setter = lastIndex)]
        fn set_last_index(this: &JsRegExp, i: f64);
        /// `null` or the match array.
        #[wasm_bindgen(method)]
        fn exec(this: &JsRegExp, s: &JsString) -> JsValue;
    }

    pub struct Regex(JsRegExp);

    impl Regex {
        /// Compiles `pattern` with `flags` (`i`, `m`); the error is a message for S0303.
        pub fn new(pattern: &str, flags: &str) -> Result<Regex, String> {
            // `g`: exec searches from lastIndex onwards (and sets lastIndex to the match's end)
            let mut f = String::from("g");
            f.push_str(flags);
            JsRegExp::new(pattern, &f).map(Regex).map_err(|e| {
                let msg = Reflect::get(&e, &JsValue::from_str("message"))
                    .ok()
                    .and_then(|m| m.as_string())
                    .unwrap_or_default();
                if msg.starts_with("Invalid regular expression") {
                    msg
                } else {
                    format!("Invalid regular expression: {}", msg)
                }
            })
        }

        /// A searcher over `hay`, for several searches of the same string (the string is
        /// copied to JavaScript once).
        pub fn searcher<'a>(&'a self, hay: &'a str) -> Searcher<'a> {
            Searcher {
                re: self,
                hay,
                js: JsString::from(hay),
                byte: 0,
                unit: 0,
            }
        }
    }

    pub struct Searcher<'a> {
        re: &'a Regex,
        hay: &'a str,
        js: JsString,
        /// A known pair of positions (byte offset, UTF-16 index) of a char boundary: searches
        /// move forward, so converting walks on from here.
        byte: usize,
        unit: usize,
    }

    impl Searcher<'_> {
        fn seek_byte(&mut self, byte: usize) -> usize {
            if byte < self.byte {
                self.byte = 0;
                self.unit = 0;
            }
            for c in self.hay[self.byte..byte].chars() {
                self.unit += c.len_utf16();
            }
            self.byte = byte;
            self.unit
        }

        /// The byte offset of UTF-16 index `unit`; one inside a surrogate pair rounds down
        /// (`up == false`) or up to the character's boundary.
        fn seek_unit(&mut self, unit: usize, up: bool) -> usize {
            if unit < self.unit {
                self.byte = 0;
                self.unit = 0;
            }
            let mut it = self.hay[self.byte..].chars();
            while self.unit < unit {
                let c = match it.next() {
                    Some(c) => c,
                    None => break,
                };
                let n = c.len_utf16();
                if self.unit + n > unit && !up {
                    break;
                }
                self.unit += n;
                self.byte += c.len_utf8();
            }
            self.byte
        }

        /// The first match starting at or after byte offset `from` (a char boundary).
        pub fn find_from(&mut self, from: usize) -> Option<Match> {
            let u = self.seek_byte(from);
            self.re.0.set_last_index(u as f64);
            let r = self.re.0.exec(&self.js);
            if r.is_null() || r.is_undefined() {
                return None;
            }
            let arr: Array = r.unchecked_into();
            let index = Reflect::get(&arr, &JsValue::from_str("index"))
                .ok()
                .and_then(|i| i.as_f64())
                .unwrap_or(0.0) as usize;
            let end = self.re.0.last_index() as usize;
            let start = self.seek_unit(index, false);
            let end = self.seek_unit(end, true);
            let groups = (1..arr.length()).map(|i| arr.get(i).as_string()).collect();
            Some(Match {
                range: start..end,
                groups,
            })
        }
    }
}
