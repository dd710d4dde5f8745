//! A JSONata evaluator with the semantics of jsonata-js 2.0.6 (the version AWS Step Functions
//! runs): tokenizer → Pratt parser → processed syntax tree → evaluator, and the function library.
//!
//! ```
//! let expr = jsonata::Expression::compile("$sum(Account.Order.Product.(Price * Quantity))").unwrap();
//! let input = serde_json::json!({"Account": {"Order": [{"Product": [{"Price": 2, "Quantity": 3}]}]}});
//! let out = expr.evaluate(Some(&input), &jsonata::Bindings::new()).unwrap();
//! assert_eq!(out, Some(serde_json::json!(6)));
//! ```
//!
//! An input (or a variable) read by many evaluations can be converted once into [`Data`], the
//! evaluator's own representation, and shared: [`Expression::evaluate_data`] and
//! [`Bindings::var_data`] take it without converting it again.
//!
//! Evaluation never overflows the native stack: the nesting depth of evaluation is bounded
//! (error U1001), as are ranges (D2014, each and all of one evaluation together) and the total
//! number of evaluation steps (U1001).

mod ast;
mod datetime;
mod datetime_pic;
mod env;
mod errors;
mod eval;
mod functions;
mod js;
mod numfmt;
mod parser;
mod regex;
mod signature;
mod value;

use std::rc::Rc;

pub use errors::Error;
pub use js::number_to_string;

pub type Result<T> = std::result::Result<T, Error>;

/// A host function: receives the (signature-validated) arguments, `None` for undefined.
pub type HostFunction =
    Rc<dyn Fn(&[Option<serde_json::Value>]) -> Result<Option<serde_json::Value>>>;

/// A compiled expression: compile once, evaluate many times.
pub struct Expression {
    ast: Rc<ast::Node>,
    uses_v21: bool,
}

/// Limits that keep evaluation from exhausting the stack or running forever.
#[derive(Clone, Debug)]
pub struct Limits {
    /// Maximum nesting of evaluation (jsonata-js counts entries into `evaluate`).
    pub max_depth: usize,
    /// Maximum number of evaluation steps for one `evaluate` call.
    pub max_steps: u64,
    /// Maximum number of items all the range operator's sequences of one `evaluate` call may
    /// hold together. jsonata-js bounds each range at 1e7 (D2014) but not their sum, so
    /// `[1..10000000].([1..10000000])` took 11 s and 4 GB before the step limit ended it
    /// (in a browser tab: out of memory). Our own bound, the same as one range's.
    pub max_range_items: u64,
    /// Maximum bytes of native stack the evaluation may use, measured as it runs (whatever
    /// the path: operators, natives calling back, paths): past it, U1001 rather than a stack
    /// overflow. The default, 640 KiB (1.5 MiB in native debug builds), leaves room within
    /// wasm32's 1 MiB stack and the 2 MiB of the threads Rust spawns. A host that runs the
    /// evaluator on a bigger stack can allow more.
    pub max_stack_bytes: usize,
}

impl Default for Limits {
    fn default() -> Self {
        Limits {
            max_depth: 1000,
            max_steps: 10_000_000,
            max_range_items: 10_000_000,
            // wasm32's stack is 1 MiB; native threads that Rust spawns get 2 MiB, and debug
            // builds use several times the stack of release builds per level
            max_stack_bytes: if cfg!(target_arch = "wasm32") || !cfg!(debug_assertions) {
                640 << 10
            } else {
                1536 << 10
            },
        }
    }
}

/// JSON converted into the evaluator's own values, once: evaluating several expressions (or one
/// expression several times) over the same `Data` converts nothing again. Cheap to clone
/// (shared, not copied).
#[derive(Clone, Default)]
pub struct Data(value::Value);

impl Data {
    pub fn from_json(json: &serde_json::Value) -> Data {
        Data(value::from_json(json))
    }
    /// Back to JSON (`None` for no value).
    pub fn to_json(&self) -> Option<serde_json::Value> {
        value::to_json(&self.0)
    }
}

impl From<&serde_json::Value> for Data {
    fn from(json: &serde_json::Value) -> Data {
        Data::from_json(json)
    }
}

/// A host function's signature, parsed when the function is registered (once, however many
/// evaluations use the bindings); a malformed one fails each evaluation.
type ParsedSignature = Option<std::result::Result<Rc<signature::Signature>, Error>>;

/// Variables, extra functions, the clock and limits for one evaluation. The variables are
/// converted as they are bound, so bindings used for many evaluations are converted once.
#[derive(Clone, Default)]
pub struct Bindings {
    vars: Vec<(Rc<str>, value::Value)>,
    functions: Vec<(Rc<str>, ParsedSignature, HostFunction)>,
    now_millis: Option<f64>,
    random_seed: Option<u64>,
    limits: Limits,
    no_eval: bool,
}

impl Bindings {
    pub fn new() -> Bindings {
        Bindings::default()
    }
    /// Binds `$name` to a JSON value.
    pub fn var(mut self, name: &str, value: serde_json::Value) -> Bindings {
        self.set_var(name, value);
        self
    }
    pub fn set_var(&mut self, name: &str, value: serde_json::Value) {
        self.vars.push((Rc::from(name), value::from_json(&value)));
    }
    /// Binds `$name` to a value converted already (shared, not converted again).
    pub fn var_data(mut self, name: &str, value: &Data) -> Bindings {
        self.vars.push((Rc::from(name), value.0.clone()));
        self
    }
    /// Registers a native function `$name` with an optional JSONata signature such as `<s-n?:s>`.
    pub fn function(
        mut self,
        name: &str,
        signature: Option<&str>,
        f: impl Fn(&[Option<serde_json::Value>]) -> Result<Option<serde_json::Value>> + 'static,
    ) -> Bindings {
        let signature = signature.map(|s| signature::Signature::parse(s).map(Rc::new));
        self.functions.push((Rc::from(name), signature, Rc::new(f)));
        self
    }
    /// The time `$now()` and `$millis()` report (milliseconds since the epoch), from the
    /// host's clock; without it the system clock is read (never on wasm32, where it is 0).
    pub fn now_millis(mut self, millis: f64) -> Bindings {
        self.now_millis = Some(millis);
        self
    }
    /// Seeds `$random()` and `$shuffle()`.
    pub fn random_seed(mut self, seed: u64) -> Bindings {
        self.random_seed = Some(seed);
        self
    }
    pub fn limits(mut self, limits: Limits) -> Bindings {
        self.limits = limits;
        self
    }
    /// Removes `$eval` (AWS Step Functions does not offer it).
    pub fn without_eval(mut self) -> Bindings {
        self.no_eval = true;
        self
    }
}

/// Options for compiling.
#[derive(Clone, Debug, Default)]
pub struct CompileOptions {
    /// Reject the operators jsonata-js added after 2.0.6 (`??` and `?:`), as AWS's 2.0.6 does.
    pub jsonata_2_0_6: bool,
}

impl std::fmt::Debug for Expression {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Expression").finish_non_exhaustive()
    }
}

impl Expression {
    pub fn compile(text: &str) -> Result<Expression> {
        Expression::compile_with(text, &CompileOptions::default())
    }

    pub fn compile_with(text: &str, options: &CompileOptions) -> Result<Expression> {
        let (ast, v21_at) = parser::parse(text).map_err(Error::finish)?;
        let uses_v21 = v21_at.is_some();
        if let Some(at) = v21_at.filter(|_| options.jsonata_2_0_6) {
            // 2.0.6 reads `??` as `?` then `?` (and `?:` as `?` then `:`) and stops at the
            // second, which ends where the operator ends.
            let mut e = Error::at("S0211", at);
            e.token = Some(if text.contains("??") {
                "?".into()
            } else {
                ":".into()
            });
            return Err(e.finish());
        }
        Ok(Expression {
            ast: Rc::new(ast),
            uses_v21,
        })
    }

    /// Whether the expression uses `??` or `?:` (JSONata 2.1 operators, not in 2.0.6).
    pub fn uses_jsonata_2_1_operators(&self) -> bool {
        self.uses_v21
    }

    /// Evaluates against `input` (`None` = undefined); `Ok(None)` is an undefined result.
    pub fn evaluate(
        &self,
        input: Option<&serde_json::Value>,
        bindings: &Bindings,
    ) -> Result<Option<serde_json::Value>> {
        let input = input.map(value::from_json).unwrap_or_default();
        eval::evaluate_root(&self.ast, input, bindings).map_err(Error::finish)
    }

    /// Evaluates against `input` converted already (`None` = undefined): as
    /// [`Self::evaluate`], without converting the input again.
    pub fn evaluate_data(
        &self,
        input: Option<&Data>,
        bindings: &Bindings,
    ) -> Result<Option<serde_json::Value>> {
        let input = input.map(|d| d.0.clone()).unwrap_or_default();
        eval::evaluate_root(&self.ast, input, bindings).map_err(Error::finish)
    }
}
