//! The evaluator, following jsonata-js's `evaluate` and its helpers.

use std::rc::{Rc, Weak};

use crate::ast::{Kind, Literal, Node, Stage};
use crate::env::{Env, Frame};
use crate::functions;
use crate::value::*;
use crate::{Bindings, Error, Limits};

type R<T> = Result<T, Error>;

pub struct Evaluator {
    depth: usize,
    /// The address of a local of the outermost call: how far below it the stack has grown.
    stack_base: usize,
    steps: u64,
    /// Items allocated by the range operator so far (see [`Limits::max_range_items`]).
    range_items: u64,
    limits: Limits,
    /// The clock (`$now()`, `$millis()`), read at its first use: the same all evaluation long.
    now_millis: Option<f64>,
    /// `$random()`'s state, seeded at its first use (from the clock, unless the host seeds it).
    rng: Option<u64>,
    random_seed: Option<u64>,
    frames_with_functions: Vec<Weak<Frame>>,
}

pub fn evaluate_root(
    ast: &Rc<Node>,
    input: Value,
    bindings: &Bindings,
) -> R<Option<serde_json::Value>> {
    let base_marker = 0u8;
    let mut ev = Evaluator {
        depth: 0,
        stack_base: std::ptr::addr_of!(base_marker) as usize,
        steps: 0,
        range_items: 0,
        limits: bindings.limits.clone(),
        now_millis: bindings.now_millis,
        rng: None,
        random_seed: bindings.random_seed,
        frames_with_functions: vec![],
    };
    // The built-in functions live in a frame made once per thread (binding ~66 of them at
    // every call cost more than evaluating a short path); each call's own frames hang below
    // it, and only those are cleared.
    let root = Frame::child(&builtins(bindings.no_eval));
    let host_functions = !bindings.functions.is_empty();
    for (name, sig, f) in &bindings.functions {
        let sig = match sig {
            Some(Ok(s)) => Some(s.clone()),
            Some(Err(e)) => return Err(e.clone()),
            None => None,
        };
        root.bind_rc(
            name.clone(),
            Value::Func(Rc::new(Func::Host {
                name: name.clone(),
                sig,
                imp: f.clone(),
            })),
        );
    }
    // the variables' frame (the host functions' one, when there are none)
    let env = if host_functions {
        Frame::child(&root)
    } else {
        root.clone()
    };
    for (k, v) in &bindings.vars {
        env.bind_rc(k.clone(), v.clone());
    }
    env.bind_rc(DOLLAR.with(Rc::clone), input.clone());
    let input = match &input {
        Value::Array(a) if !a.seq => Value::Array(Rc::new(Array {
            items: vec![input.clone()],
            seq: true,
            outer_wrapper: true,
            ..Default::default()
        })),
        _ => input,
    };
    let result = ev.eval(ast, &input, &env);
    let out = match result {
        Ok(v) => {
            // deliver as JSON (numbers out of range are an error in jsonata-js's output check)
            check_nesting(&v).map(|_| to_json(&strip_functions(&v)))
        }
        Err(e) => Err(e),
    };
    for f in ev.frames_with_functions.drain(..) {
        if let Some(f) = f.upgrade() {
            f.clear();
        }
    }
    root.clear();
    env.clear();
    out
}

thread_local! {
    /// The name `$` binds the input to, made once.
    static DOLLAR: Rc<str> = Rc::from("$");
}

/// The frame of the function library, with or without `$eval`, made once per thread.
fn builtins(no_eval: bool) -> Env {
    thread_local! {
        static BUILTINS: [Env; 2] = {
            let with_eval = Frame::root();
            functions::install(&with_eval, false);
            let without_eval = Frame::root();
            functions::install(&without_eval, true);
            [with_eval, without_eval]
        };
    }
    BUILTINS.with(|frames| frames[usize::from(no_eval)].clone())
}

fn strip_functions(v: &Value) -> Value {
    match v {
        Value::Func(_) => Value::Undefined,
        v => v.clone(),
    }
}

#[cfg(not(target_arch = "wasm32"))]
fn system_millis() -> f64 {
    std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .map(|d| d.as_millis() as f64)
        .unwrap_or(0.0)
}
#[cfg(target_arch = "wasm32")]
fn system_millis() -> f64 {
    0.0
}

/// Whether a path is names read one after the other (`Price`, `$v.price`, `a.b.c`): no
/// predicates, grouping, sorting, `[]` or tuple binding, a variable at most as its first step.
fn is_plain_path(path: &Node) -> bool {
    let plain_step = |(i, step): (usize, &Node)| {
        (step.kind == Kind::Name || (i == 0 && step.kind == Kind::Variable)) && is_plain_step(step)
    };
    !path.steps.is_empty()
        && path.predicate.is_empty()
        && path.group.is_none()
        && !path.keep_array
        && !path.keep_singleton_array
        && !path.tuple
        && path.steps.iter().enumerate().all(plain_step)
}

/// A step with no predicates, grouping, `[]` or tuple binding.
fn is_plain_step(step: &Node) -> bool {
    step.stages.is_empty()
        && step.predicate.is_empty()
        && step.group.is_none()
        && !step.keep_array
        && !step.tuple
        && step.focus.is_none()
        && step.index.is_none()
        && step.ancestor.is_none()
}

/// A plain path (see [`is_plain_path`]) walked from object to object, the common case: the
/// general route gives the same value through a sequence per step. `None` when an array is
/// met on the way (its items are mapped over: the general route does that).
fn plain_path(steps: &[Node], input: &Value, env: &Env) -> Option<Value> {
    let (first, rest) = steps.split_first()?;
    let mut v = match (first.kind, input) {
        (Kind::Variable, _) => eval_variable(first, input, env),
        (_, Value::Array(_)) => return None,
        (_, Value::Object(m)) => m.get(&*first.value).cloned().unwrap_or_default(),
        _ => return Some(Value::Undefined),
    };
    for step in rest {
        v = match &v {
            Value::Object(m) => m.get(&*step.value).cloned().unwrap_or_default(),
            Value::Array(_) => return None,
            _ => return Some(Value::Undefined),
        };
    }
    match &v {
        // a sequence is flattened, and an array that a variable holds is mapped over
        Value::Array(a) if a.seq || rest.is_empty() && first.kind == Kind::Variable => None,
        _ => Some(v),
    }
}

fn seq_items(v: &Value) -> Vec<Value> {
    match v {
        Value::Array(a) => a.items.clone(),
        _ => vec![],
    }
}

fn tuple_get(t: &Value, k: &str) -> Value {
    t.get(k)
}

impl Evaluator {
    /// The evaluation's time (milliseconds since the epoch).
    pub fn now_millis(&mut self) -> f64 {
        *self.now_millis.get_or_insert_with(system_millis)
    }

    pub fn random(&mut self) -> f64 {
        let mut x = match self.rng {
            Some(x) => x,
            None => {
                let seed = match self.random_seed {
                    Some(seed) => seed,
                    None => self.now_millis().to_bits() ^ 0x9E37_79B9_7F4A_7C15,
                };
                seed | 1
            }
        };
        // xorshift64*
        x ^= x >> 12;
        x ^= x << 25;
        x ^= x >> 27;
        self.rng = Some(x);
        let r = x.wrapping_mul(0x2545_F491_4F6C_DD1D);
        (r >> 11) as f64 / (1u64 << 53) as f64
    }

    pub fn eval(&mut self, expr: &Node, input: &Value, env: &Env) -> R<Value> {
        let marker = 0u8;
        let here = std::hint::black_box(std::ptr::addr_of!(marker)) as usize;
        if self.stack_base.saturating_sub(here) > self.limits.max_stack_bytes {
            return Err(Error::new("U1001"));
        }
        self.depth += 1;
        self.steps += 1;
        if self.depth > self.limits.max_depth {
            self.depth -= 1;
            return Err(Error::new("U1001"));
        }
        if self.steps > self.limits.max_steps {
            self.depth -= 1;
            return Err(Error::new("U1001")
                .with_message("Expression evaluation timeout: Check for infinite loop"));
        }
        let r = self.eval_inner(expr, input, env);
        self.depth -= 1;
        r
    }

    /// Charges the copying of `items` items into a new sequence to the step budget: a path
    /// over a sequence it multiplies (`$a.($a).($a)` for a range `$a` of 1,000) builds a
    /// billion items in few steps, and ran out of memory before the budget ended it.
    fn charge(&mut self, items: usize) -> R<()> {
        self.steps += items as u64;
        if self.steps > self.limits.max_steps {
            return Err(Error::new("U1001")
                .with_message("Expression evaluation timeout: Check for infinite loop"));
        }
        Ok(())
    }

    fn eval_inner(&mut self, expr: &Node, input: &Value, env: &Env) -> R<Value> {
        let result = match expr.kind {
            Kind::Path => self.eval_path(expr, input, env)?,
            Kind::Binary => self.eval_binary(expr, input, env)?,
            Kind::Unary => self.eval_unary(expr, input, env)?,
            Kind::Name => lookup(input, &expr.value),
            Kind::Str | Kind::Num | Kind::Value => literal(expr),
            Kind::Wildcard => eval_wildcard(input),
            Kind::Descendant => eval_descendants(input),
            Kind::Parent => env.lookup(&expr.slot.as_ref().unwrap().borrow().label),
            Kind::Condition => self.eval_condition(expr, input, env)?,
            Kind::Coalesce => self.eval_coalesce(expr, input, env)?,
            Kind::Block => self.eval_block(expr, input, env)?,
            Kind::Bind => self.eval_bind(expr, input, env)?,
            Kind::Regex => Value::Func(Rc::new(Func::Regex(expr.regex.clone().unwrap()))),
            Kind::Function => self.eval_function(expr, input, env, None)?,
            Kind::Variable => eval_variable(expr, input, env),
            Kind::Lambda => make_lambda(expr, input, env),
            Kind::Partial => self.eval_partial(expr, input, env)?,
            Kind::Apply => self.eval_apply(expr, input, env)?,
            Kind::Transform => Value::Func(Rc::new(Func::Transform {
                node: expr.shared.clone().unwrap(),
                env: env.clone(),
            })),
            Kind::Sort | Kind::Operator => Value::Undefined,
        };
        self.finish_eval(expr, result, env)
    }

    #[inline(never)]
    fn eval_condition(&mut self, expr: &Node, input: &Value, env: &Env) -> R<Value> {
        let c = self.eval(expr.condition.as_ref().unwrap(), input, env)?;
        if functions::boolean(&c)? == Some(true) {
            self.eval(expr.then.as_ref().unwrap(), input, env)
        } else if let Some(e) = &expr.els {
            self.eval(e, input, env)
        } else {
            Ok(Value::Undefined)
        }
    }

    #[inline(never)]
    fn eval_coalesce(&mut self, expr: &Node, input: &Value, env: &Env) -> R<Value> {
        let l = self.eval(expr.lhs.as_ref().unwrap(), input, env)?;
        if l.is_undefined() {
            self.eval(expr.rhs.as_ref().unwrap(), input, env)
        } else {
            Ok(l)
        }
    }

    #[inline(never)]
    fn eval_block(&mut self, expr: &Node, input: &Value, env: &Env) -> R<Value> {
        let frame = Frame::child(env);
        let mut r = Value::Undefined;
        for e in &expr.expressions {
            r = self.eval(e, input, &frame)?;
        }
        Ok(r)
    }

    #[inline(never)]
    fn eval_bind(&mut self, expr: &Node, input: &Value, env: &Env) -> R<Value> {
        let v = self.eval(expr.rhs.as_ref().unwrap(), input, env)?;
        if v.is_function() {
            self.frames_with_functions.push(Rc::downgrade(env));
        }
        env.bind_rc(expr.lhs.as_ref().unwrap().value.clone(), v.clone());
        Ok(v)
    }

    #[inline(never)]
    fn finish_eval(&mut self, expr: &Node, mut result: Value, env: &Env) -> R<Value> {
        for stage in &expr.predicate {
            if let Stage::Filter(p) = stage {
                result = self.filter(p, result, env)?;
            }
        }
        if expr.kind != Kind::Path {
            if let Some(g) = &expr.group {
                result = self.eval_group(&g.0, g.1, result, env)?;
            }
        }
        if let Value::Array(a) = &mut result {
            if a.seq && !a.tuple_stream {
                if expr.keep_array && !a.keep_singleton {
                    Rc::make_mut(a).keep_singleton = true;
                }
                if a.items.is_empty() {
                    result = Value::Undefined;
                } else if a.items.len() == 1 && !a.keep_singleton {
                    result = a.items[0].clone();
                }
            }
        }
        Ok(result)
    }

    // ---------------- paths ----------------

    #[inline(never)]
    fn eval_path(&mut self, expr: &Node, input: &Value, env: &Env) -> R<Value> {
        if is_plain_path(expr) {
            if let Some(v) = plain_path(&expr.steps, input, env) {
                return Ok(v);
            }
        }
        let first = &expr.steps[0];
        // a value that is not an array is a sequence of one to eval_step: only the first
        // steps that read their input whole need it wrapped
        let mut input_seq = if input.is_array() && first.kind != Kind::Variable
            || !input.is_array() && !first.tuple && !first.cons_array && first.kind != Kind::Sort
        {
            input.clone()
        } else {
            Value::seq(vec![input.clone()])
        };
        let mut result_seq = Value::Undefined;
        let mut is_tuple = false;
        let mut tuples: Option<Vec<Value>> = None;
        let n = expr.steps.len();
        // whether input_seq, when not an array, is one item (the path's input, or the one
        // result of the step before, left unwrapped for the next ordinary step)
        let mut one_item = true;
        for (ii, step) in expr.steps.iter().enumerate() {
            if step.tuple {
                is_tuple = true;
            }
            if ii == 0 && step.cons_array {
                result_seq = self.eval(step, &input_seq, env)?;
                one_item = false;
            } else if is_tuple {
                tuples = Some(self.eval_tuple_step(step, &input_seq, tuples.take(), env)?);
            } else {
                let unwrap = expr
                    .steps
                    .get(ii + 1)
                    .is_some_and(|next| !next.tuple && next.kind != Kind::Sort);
                result_seq =
                    self.eval_step(step, &input_seq, env, one_item, ii == n - 1, unwrap)?;
                one_item = !result_seq.is_array();
            }
            if !is_tuple {
                match &result_seq {
                    Value::Undefined => break,
                    Value::Array(a) if a.items.is_empty() => break,
                    _ => {}
                }
            }
            if step.focus.is_none() {
                input_seq = result_seq.clone();
            }
        }
        if is_tuple {
            let t = tuples.clone().unwrap_or_default();
            if expr.tuple {
                result_seq = Value::Array(Rc::new(Array {
                    items: t,
                    seq: true,
                    tuple_stream: true,
                    ..Default::default()
                }));
            } else {
                result_seq = Value::seq(t.iter().map(|t| tuple_get(t, "@")).collect());
            }
        }
        if expr.keep_singleton_array {
            if let Value::Array(a) = &result_seq {
                if a.cons && !a.seq {
                    result_seq = Value::seq(vec![result_seq.clone()]);
                }
            }
            if let Value::Array(a) = &mut result_seq {
                Rc::make_mut(a).keep_singleton = true;
            }
        }
        if let Some(g) = &expr.group {
            let inp = if is_tuple {
                Value::Array(Rc::new(Array {
                    items: tuples.unwrap_or_default(),
                    seq: true,
                    tuple_stream: true,
                    ..Default::default()
                }))
            } else {
                result_seq
            };
            result_seq = self.eval_group(&g.0, g.1, inp, env)?;
        }
        Ok(result_seq)
    }

    #[inline(never)]
    fn eval_step(
        &mut self,
        step: &Node,
        input: &Value,
        env: &Env,
        one_item: bool,
        last: bool,
        unwrap: bool,
    ) -> R<Value> {
        if step.kind == Kind::Sort {
            let mut r = self.eval_sort(step, input, env)?;
            if !step.stages.is_empty() {
                r = self.eval_stages(&step.stages, r, env)?;
            }
            return Ok(r);
        }
        let items: &[Value] = match input {
            Value::Array(a) => &a.items,
            // the path's own input, or the step before's one result (see eval_path)
            v if one_item => std::slice::from_ref(v),
            _ => &[],
        };
        // the results flattened (a constructed array stays one item); the only result, when
        // it is the last step's one array, is returned as it is
        let mut out = Vec::with_capacity(items.len());
        let mut results = 0;
        let mut only_array = None;
        let plain = step.kind == Kind::Name && is_plain_step(step);
        for item in items {
            let field = match item {
                Value::Object(m) if plain => m.get(&*step.value),
                _ => None,
            };
            let mut res = match field {
                // a field read from an object: what evaluating the step gives, unless a
                // sequence that it would unwrap
                Some(Value::Array(a)) if a.seq => self.eval(step, item, env)?,
                Some(v) => v.clone(),
                None if plain && matches!(item, Value::Object(_)) => continue,
                None => self.eval(step, item, env)?,
            };
            for s in &step.stages {
                if let Stage::Filter(p) = s {
                    res = self.filter(p, res, env)?;
                }
            }
            if res.is_undefined() {
                continue;
            }
            results += 1;
            match res {
                Value::Array(a) => {
                    if last && results == 1 && !a.seq {
                        only_array = Some(a.clone());
                    }
                    if a.cons {
                        out.push(Value::Array(a));
                    } else {
                        self.charge(a.items.len())?;
                        out.extend(a.items.iter().cloned());
                    }
                }
                r => out.push(r),
            }
        }
        if let (1, Some(a)) = (results, only_array) {
            return Ok(Value::Array(a));
        }
        // one item that is not an array goes to the next ordinary step as it is
        if unwrap && out.len() == 1 && !out[0].is_array() {
            return Ok(out.pop().unwrap_or_default());
        }
        Ok(Value::seq(out))
    }

    #[inline(never)]
    fn eval_stages(&mut self, stages: &[Stage], input: Value, env: &Env) -> R<Value> {
        let mut result = input;
        for s in stages {
            match s {
                Stage::Filter(p) => result = self.filter(p, result, env)?,
                Stage::Index(name) => {
                    if let Value::Array(a) = &mut result {
                        let a = Rc::make_mut(a);
                        for (i, t) in a.items.iter_mut().enumerate() {
                            if let Value::Object(m) = t {
                                Rc::make_mut(m).insert(name.clone(), Value::Num(i as f64));
                            }
                        }
                    }
                }
            }
        }
        Ok(result)
    }

    fn frame_from_tuple(&mut self, env: &Env, tuple: &Value) -> Env {
        let f = Frame::child(env);
        if let Value::Object(m) = tuple {
            for (k, v) in m.iter() {
                f.bind_rc(k.clone(), v.clone());
            }
        }
        f
    }

    #[inline(never)]
    fn eval_tuple_step(
        &mut self,
        step: &Node,
        input: &Value,
        tuples: Option<Vec<Value>>,
        env: &Env,
    ) -> R<Vec<Value>> {
        if step.kind == Kind::Sort {
            let result = if let Some(t) = tuples {
                let ts = Value::Array(Rc::new(Array {
                    items: t,
                    seq: true,
                    tuple_stream: true,
                    ..Default::default()
                }));
                self.eval_sort(step, &ts, env)?
            } else {
                let sorted = self.eval_sort(step, input, env)?;
                let mut out = vec![];
                for (i, v) in seq_items(&sorted).into_iter().enumerate() {
                    let mut m = Map::default();
                    m.insert(Rc::from("@"), v);
                    if let Some(ix) = &step.index {
                        m.insert(ix.clone(), Value::Num(i as f64));
                    }
                    out.push(Value::object(m));
                }
                Value::Array(Rc::new(Array {
                    items: out,
                    seq: true,
                    tuple_stream: true,
                    ..Default::default()
                }))
            };
            let r = if !step.stages.is_empty() {
                self.eval_stages(&step.stages, result, env)?
            } else {
                result
            };
            return Ok(seq_items(&r));
        }
        let tuples = match tuples {
            Some(t) => t,
            None => seq_items(input)
                .into_iter()
                .map(|i| {
                    let mut m = Map::default();
                    m.insert(Rc::from("@"), i);
                    Value::object(m)
                })
                .collect(),
        };
        let mut result = vec![];
        for t in &tuples {
            let step_env = self.frame_from_tuple(env, t);
            let at = tuple_get(t, "@");
            let res = self.eval(step, &at, &step_env)?;
            if res.is_undefined() {
                continue;
            }
            let (items, is_ts) = match &res {
                Value::Array(a) => (a.items.clone(), a.tuple_stream),
                v => (vec![v.clone()], false),
            };
            let base = match t {
                Value::Object(m) => m.0.clone(),
                _ => Map::default(),
            };
            for (bb, item) in items.into_iter().enumerate() {
                let mut tuple = base.clone();
                if is_ts {
                    if let Value::Object(m) = &item {
                        for (k, v) in m.iter() {
                            tuple.insert(k.clone(), v.clone());
                        }
                    }
                } else {
                    if let Some(f) = &step.focus {
                        tuple.insert(f.clone(), item);
                        tuple.insert(Rc::from("@"), at.clone());
                    } else {
                        tuple.insert(Rc::from("@"), item);
                    }
                    if let Some(ix) = &step.index {
                        tuple.insert(ix.clone(), Value::Num(bb as f64));
                    }
                    if let Some(anc) = &step.ancestor {
                        let label: Rc<str> = Rc::from(anc.borrow().label.as_str());
                        tuple.insert(label, at.clone());
                    }
                }
                result.push(Value::object(tuple));
            }
        }
        let mut r = Value::Array(Rc::new(Array {
            items: result,
            seq: true,
            tuple_stream: true,
            ..Default::default()
        }));
        if !step.stages.is_empty() {
            r = self.eval_stages(&step.stages, r, env)?;
        }
        Ok(seq_items(&r))
    }

    #[inline(never)]
    pub fn filter(&mut self, predicate: &Node, input: Value, env: &Env) -> R<Value> {
        let tuple_stream = matches!(&input, Value::Array(a) if a.tuple_stream);
        let items: &[Value] = match &input {
            Value::Array(a) => &a.items,
            v => std::slice::from_ref(v),
        };
        let mut results = vec![];
        if predicate.kind == Kind::Num {
            let n = match predicate.lit {
                Literal::Num(n) => n,
                _ => 0.0,
            };
            let mut index = n.floor();
            if index < 0.0 {
                index += items.len() as f64;
            }
            if index >= 0.0 && (index as usize) < items.len() {
                let item = items[index as usize].clone();
                if !item.is_undefined() {
                    if let Value::Array(_) = item {
                        return Ok(item);
                    }
                    results.push(item);
                }
            }
        } else {
            let len = items.len();
            for (index, item) in items.iter().enumerate() {
                let (ctx, e) = if tuple_stream {
                    (tuple_get(item, "@"), self.frame_from_tuple(env, item))
                } else {
                    (item.clone(), env.clone())
                };
                let mut res = self.eval(predicate, &ctx, &e)?;
                if is_numeric(&res)? {
                    res = Value::array(vec![res]);
                }
                let nums = match &res {
                    Value::Array(a) => {
                        let mut all = true;
                        for v in a.items.iter() {
                            if !is_numeric(v)? {
                                all = false;
                                break;
                            }
                        }
                        all
                    }
                    _ => false,
                };
                if nums {
                    for v in res.to_items() {
                        let mut ii = v.as_num().unwrap().floor();
                        if ii < 0.0 {
                            ii += len as f64;
                        }
                        if ii == index as f64 {
                            results.push(item.clone());
                        }
                    }
                } else if functions::boolean(&res)? == Some(true) {
                    results.push(item.clone());
                }
            }
        }
        Ok(Value::Array(Rc::new(Array {
            items: results,
            seq: true,
            tuple_stream,
            ..Default::default()
        })))
    }

    // ---------------- operators ----------------

    #[inline(never)]
    fn eval_binary(&mut self, expr: &Node, input: &Value, env: &Env) -> R<Value> {
        let op = &*expr.value;
        let lhs = self.eval(expr.lhs.as_ref().unwrap(), input, env)?;
        if op == "and" || op == "or" {
            let l = functions::boolean(&lhs)?.unwrap_or(false);
            if op == "and" && !l {
                return Ok(Value::Bool(false));
            }
            if op == "or" && l {
                return Ok(Value::Bool(true));
            }
            let rhs = self.eval(expr.rhs.as_ref().unwrap(), input, env)?;
            return Ok(Value::Bool(functions::boolean(&rhs)?.unwrap_or(false)));
        }
        let rhs = self.eval(expr.rhs.as_ref().unwrap(), input, env)?;
        self.binary_op(expr, lhs, rhs)
    }

    #[inline(never)]
    fn binary_op(&mut self, expr: &Node, lhs: Value, rhs: Value) -> R<Value> {
        let op = &*expr.value;
        let with_pos = |e: Error| {
            let mut e = e;
            if e.position.is_none() {
                e.position = Some(expr.position);
            }
            if e.token.is_none() {
                e.token = Some(op.to_string());
            }
            e
        };
        match op {
            "+" | "-" | "*" | "/" | "%" => {
                if !lhs.is_undefined() && !is_numeric(&lhs).map_err(with_pos)? {
                    return Err(with_pos(Error::new("T2001").with_value(&lhs)));
                }
                if !rhs.is_undefined() && !is_numeric(&rhs).map_err(with_pos)? {
                    return Err(with_pos(Error::new("T2002").with_value(&rhs)));
                }
                let (l, r) = match (lhs.as_num(), rhs.as_num()) {
                    (Some(l), Some(r)) => (l, r),
                    _ => return Ok(Value::Undefined),
                };
                Ok(Value::Num(match op {
                    "+" => l + r,
                    "-" => l - r,
                    "*" => l * r,
                    "/" => l / r,
                    _ => l % r,
                }))
            }
            "=" | "!=" => {
                if lhs.is_undefined() || rhs.is_undefined() {
                    return Ok(Value::Bool(false));
                }
                check_nesting(&lhs).map_err(with_pos)?;
                check_nesting(&rhs).map_err(with_pos)?;
                let eq = deep_equal(&lhs, &rhs);
                Ok(Value::Bool(if op == "=" { eq } else { !eq }))
            }
            "<" | "<=" | ">" | ">=" => {
                let lc = matches!(lhs, Value::Undefined | Value::Str(_) | Value::Num(_));
                let rc = matches!(rhs, Value::Undefined | Value::Str(_) | Value::Num(_));
                if !lc || !rc {
                    let v = if !matches!(lhs, Value::Str(_) | Value::Num(_)) {
                        &lhs
                    } else {
                        &rhs
                    };
                    return Err(with_pos(Error::new("T2010").with_value(v)));
                }
                if lhs.is_undefined() || rhs.is_undefined() {
                    return Ok(Value::Undefined);
                }
                let b = match (&lhs, &rhs) {
                    (Value::Num(l), Value::Num(r)) => match op {
                        "<" => l < r,
                        "<=" => l <= r,
                        ">" => l > r,
                        _ => l >= r,
                    },
                    (Value::Str(l), Value::Str(r)) => {
                        let o = js_str_cmp(l, r);
                        match op {
                            "<" => o.is_lt(),
                            "<=" => o.is_le(),
                            ">" => o.is_gt(),
                            _ => o.is_ge(),
                        }
                    }
                    _ => {
                        let mut e = Error::new("T2009").with_value(&lhs);
                        e.extra_mut().value2 = Some(crate::errors::render(&rhs.clone()));
                        return Err(with_pos(e));
                    }
                };
                Ok(Value::Bool(b))
            }
            "&" => {
                let l = if lhs.is_undefined() {
                    String::new()
                } else {
                    functions::string(&lhs, false)?
                };
                let r = if rhs.is_undefined() {
                    String::new()
                } else {
                    functions::string(&rhs, false)?
                };
                if l.len() + r.len() > functions::MAX_STRING {
                    return Err(with_pos(functions::too_long()));
                }
                // copying long strings is work too
                self.steps += ((l.len() + r.len()) / 256) as u64;
                Ok(Value::string(l + &r))
            }
            ".." => {
                if !lhs.is_undefined() && !is_integer(&lhs) {
                    return Err(with_pos(Error::new("T2003").with_value(&lhs)));
                }
                if !rhs.is_undefined() && !is_integer(&rhs) {
                    return Err(with_pos(Error::new("T2004").with_value(&rhs)));
                }
                let (l, r) = match (lhs.as_num(), rhs.as_num()) {
                    (Some(l), Some(r)) => (l, r),
                    _ => return Ok(Value::Undefined),
                };
                if l > r {
                    return Ok(Value::Undefined);
                }
                let size = r - l + 1.0;
                if size > 1e7 {
                    return Err(with_pos(Error::new("D2014").with_value(&Value::Num(size))));
                }
                self.range_items += size as u64;
                if self.range_items > self.limits.max_range_items {
                    return Err(with_pos(Error::new("D2014").with_value(&Value::Num(size)).with_message(
                        &format!(
                            "The sequences allocated by the range operator (..) in one evaluation must not exceed {} items in all.  Attempted to allocate {} more after {}.",
                            self.limits.max_range_items,
                            size,
                            self.range_items - size as u64
                        ),
                    )));
                }
                self.steps += (size as u64) / 16;
                let mut v = Vec::with_capacity(size as usize);
                let mut i = l;
                while i <= r {
                    v.push(Value::Num(i));
                    i += 1.0;
                }
                Ok(Value::seq(v))
            }
            "in" => {
                if lhs.is_undefined() || rhs.is_undefined() {
                    return Ok(Value::Bool(false));
                }
                let items = match &rhs {
                    Value::Array(a) => a.items.clone(),
                    v => vec![v.clone()],
                };
                Ok(Value::Bool(items.iter().any(|i| strict_equal(i, &lhs))))
            }
            _ => Err(with_pos(Error::new("S0204").with_token(op))),
        }
    }

    #[inline(never)]
    fn eval_unary(&mut self, expr: &Node, input: &Value, env: &Env) -> R<Value> {
        match &*expr.value {
            "-" => {
                let v = self.eval(expr.expression.as_ref().unwrap(), input, env)?;
                if v.is_undefined() {
                    return Ok(Value::Undefined);
                }
                if is_numeric(&v)? {
                    return Ok(Value::Num(-v.as_num().unwrap()));
                }
                let mut e = Error::at("D1002", expr.position).with_value(&v);
                e.token = Some("-".into());
                Err(e)
            }
            "[" => {
                let mut result: Vec<Value> = vec![];
                for item in &expr.expressions {
                    let v = self.eval(item, input, env)?;
                    if v.is_undefined() {
                        continue;
                    }
                    if item.kind == Kind::Unary && &*item.value == "[" {
                        result.push(v);
                    } else {
                        match v {
                            Value::Array(a) => result.extend(a.items.iter().cloned()),
                            v => result.push(v),
                        }
                    }
                }
                Ok(Value::Array(Rc::new(Array {
                    items: result,
                    cons: expr.cons_array,
                    ..Default::default()
                })))
            }
            "{" => self.eval_group(&expr.pairs, expr.position, input.clone(), env),
            _ => Ok(Value::Undefined),
        }
    }

    #[inline(never)]
    fn eval_group(
        &mut self,
        pairs: &[(Node, Node)],
        position: usize,
        input: Value,
        env: &Env,
    ) -> R<Value> {
        let reduce = matches!(&input, Value::Array(a) if a.tuple_stream);
        if !matches!(input, Value::Array(_)) {
            return self.eval_object(pairs, position, &input, env);
        }
        let mut items = match &input {
            Value::Array(a) => a.items.clone(),
            v => vec![v.clone()],
        };
        if items.is_empty() {
            items.push(Value::Undefined);
        }
        // key -> (the items that gave it, pair index); appended together at the end
        let mut groups: indexmap::IndexMap<
            Rc<str>,
            (Vec<Value>, usize),
            foldhash::fast::FixedState,
        > = Default::default();
        for item in &items {
            let e = if reduce {
                self.frame_from_tuple(env, item)
            } else {
                env.clone()
            };
            let ctx = if reduce {
                tuple_get(item, "@")
            } else {
                item.clone()
            };
            for (pi, pair) in pairs.iter().enumerate() {
                let key = self.eval(&pair.0, &ctx, &e)?;
                let key = match key {
                    Value::Undefined => continue,
                    Value::Str(s) => s,
                    k => return Err(Error::at("T1003", position).with_value(&k)),
                };
                if let Some(g) = groups.get_mut(&key) {
                    if g.1 != pi {
                        return Err(Error::at("D1009", position).with_value(&Value::Str(key)));
                    }
                    g.0.push(item.clone());
                } else {
                    groups.insert(key, (vec![item.clone()], pi));
                }
            }
        }
        let mut result = Map::default();
        for (key, (mut parts, pi)) in groups {
            // as jsonata-js's repeated $append: one item stays itself, several are concatenated
            let data = if parts.len() == 1 {
                parts.pop().unwrap()
            } else {
                let mut items = vec![];
                for p in parts {
                    match p {
                        Value::Array(a) => items.extend(a.items.iter().cloned()),
                        v => items.push(v),
                    }
                }
                Value::array(items)
            };
            let (ctx, e) = if reduce {
                let mut tuple = reduce_tuple_stream(&data);
                let at = tuple.shift_remove("@").unwrap_or_default();
                let f = self.frame_from_tuple(env, &Value::object(tuple));
                (at, f)
            } else {
                (data, env.clone())
            };
            let v = self.eval(&pairs[pi].1, &ctx, &e)?;
            if !v.is_undefined() {
                obj_insert(&mut result, key, v);
            }
        }
        Ok(Value::object(result))
    }

    /// An object constructor (or group-by) over one item: as [`Self::eval_group`] with one
    /// group per key, without gathering items. Every key first, then the values, in order.
    fn eval_object(
        &mut self,
        pairs: &[(Node, Node)],
        position: usize,
        input: &Value,
        env: &Env,
    ) -> R<Value> {
        let mut keys: Vec<(Rc<str>, usize)> = Vec::with_capacity(pairs.len());
        for (pi, pair) in pairs.iter().enumerate() {
            match self.eval(&pair.0, input, env)? {
                Value::Undefined => {}
                Value::Str(key) => {
                    // one item: a key met twice comes from two pairs
                    if keys.iter().any(|(k, _)| *k == key) {
                        return Err(Error::at("D1009", position).with_value(&Value::Str(key)));
                    }
                    keys.push((key, pi));
                }
                k => return Err(Error::at("T1003", position).with_value(&k)),
            }
        }
        let mut result = Map::with_capacity_and_hasher(keys.len(), Default::default());
        for (key, pi) in keys {
            let v = self.eval(&pairs[pi].1, input, env)?;
            if !v.is_undefined() {
                obj_insert(&mut result, key, v);
            }
        }
        Ok(Value::object(result))
    }

    #[inline(never)]
    fn eval_sort(&mut self, expr: &Node, input: &Value, env: &Env) -> R<Value> {
        let is_tuple = matches!(input, Value::Array(a) if a.tuple_stream);
        let items = match input {
            Value::Array(a) => a.items.clone(),
            Value::Undefined => return Ok(Value::Undefined),
            v => vec![v.clone()],
        };
        // precompute sort keys for each item
        let mut keys: Vec<Vec<Value>> = Vec::with_capacity(items.len());
        for item in &items {
            let (ctx, e) = if is_tuple {
                (tuple_get(item, "@"), self.frame_from_tuple(env, item))
            } else {
                (item.clone(), env.clone())
            };
            let mut k = vec![];
            for (_, term) in &expr.terms {
                k.push(self.eval(term, &ctx, &e)?);
            }
            keys.push(k);
        }
        let idx: Vec<usize> = (0..items.len()).collect();
        let mut err = None;
        let sorted = merge_sort(idx, &mut |a: &usize, b: &usize| {
            if err.is_some() {
                return false;
            }
            let mut comp = std::cmp::Ordering::Equal;
            for (ti, (desc, _)) in expr.terms.iter().enumerate() {
                let aa = &keys[*a][ti];
                let bb = &keys[*b][ti];
                let c = match (aa, bb) {
                    (Value::Undefined, Value::Undefined) => std::cmp::Ordering::Equal,
                    (Value::Undefined, _) => std::cmp::Ordering::Greater,
                    (_, Value::Undefined) => std::cmp::Ordering::Less,
                    (Value::Num(x), Value::Num(y)) => {
                        x.partial_cmp(y).unwrap_or(std::cmp::Ordering::Equal)
                    }
                    (Value::Str(x), Value::Str(y)) => js_str_cmp(x, y),
                    (x, y) => {
                        let xs = matches!(x, Value::Num(_) | Value::Str(_));
                        let ys = matches!(y, Value::Num(_) | Value::Str(_));
                        if !xs || !ys {
                            err = Some(Error::at("T2008", expr.position).with_value(if !xs {
                                x
                            } else {
                                y
                            }));
                        } else {
                            let mut e = Error::at("T2007", expr.position).with_value(x);
                            e.extra_mut().value2 = Some(crate::errors::render(&y.clone()));
                            err = Some(e);
                        }
                        return false;
                    }
                };
                // undefined always sorts last, even descending
                let c = if *desc && !aa.is_undefined() && !bb.is_undefined() {
                    c.reverse()
                } else {
                    c
                };
                if c != std::cmp::Ordering::Equal {
                    comp = c;
                    break;
                }
            }
            comp == std::cmp::Ordering::Greater
        });
        if let Some(e) = err {
            return Err(e);
        }
        let out: Vec<Value> = sorted.into_iter().map(|i| items[i].clone()).collect();
        Ok(Value::Array(Rc::new(Array {
            items: out,
            seq: true,
            tuple_stream: is_tuple,
            ..Default::default()
        })))
    }

    // ---------------- functions ----------------

    #[inline(never)]
    fn eval_function(
        &mut self,
        expr: &Node,
        input: &Value,
        env: &Env,
        context: Option<Value>,
    ) -> R<Value> {
        let procedure = expr.procedure.as_ref().unwrap();
        let proc = self.eval(procedure, input, env)?;
        let proc_name: Rc<str> = if procedure.kind == Kind::Path {
            procedure.steps[0].value.clone()
        } else {
            procedure.value.clone()
        };
        if proc.is_undefined()
            && procedure.kind == Kind::Path
            && !env.lookup(&procedure.steps[0].value).is_undefined()
        {
            let mut e = Error::at("T1005", expr.position);
            e.token = Some(proc_name.to_string());
            return Err(e);
        }
        let mut args = vec![];
        if let Some(c) = context {
            args.push(c);
        }
        for a in &expr.arguments {
            args.push(self.eval(a, input, env)?);
        }
        self.apply(&proc, args, input, env).map_err(|mut e| {
            if e.position.is_none() {
                e.position = Some(expr.position);
            }
            if e.token.is_none() {
                e.token = Some(proc_name.to_string());
            }
            e
        })
    }

    #[inline(never)]
    pub fn apply(&mut self, proc: &Value, args: Vec<Value>, input: &Value, env: &Env) -> R<Value> {
        let mut result = self.apply_inner(proc, args, input, env)?;
        loop {
            let next = match &result {
                Value::Func(f) => match &**f {
                    Func::Lambda {
                        def,
                        env: lenv,
                        input: linput,
                        ..
                    } if def.thunk => Some((def.clone(), lenv.clone(), linput.clone())),
                    _ => None,
                },
                _ => None,
            };
            let Some((def, lenv, linput)) = next else {
                break;
            };
            self.steps += 1;
            if self.steps > self.limits.max_steps {
                return Err(Error::new("U1001")
                    .with_message("Expression evaluation timeout: Check for infinite loop"));
            }
            let body = &def.body;
            let procedure = body.procedure.as_ref().unwrap();
            let next = self.eval(procedure, &linput, &lenv)?;
            let mut args = vec![];
            for a in &body.arguments {
                args.push(self.eval(a, &linput, &lenv)?);
            }
            let name: Rc<str> = if procedure.kind == Kind::Path {
                procedure.steps[0].value.clone()
            } else {
                procedure.value.clone()
            };
            result = self.apply_inner(&next, args, input, env).map_err(|mut e| {
                if e.token.is_none() {
                    e.token = Some(name.to_string());
                }
                e
            })?;
        }
        Ok(result)
    }

    fn apply_inner(
        &mut self,
        proc: &Value,
        args: Vec<Value>,
        input: &Value,
        env: &Env,
    ) -> R<Value> {
        let f = match proc {
            Value::Func(f) => f.clone(),
            _ => return Err(Error::new("T1006")),
        };
        match &*f {
            Func::Lambda { .. } => self.apply_lambda(&f, args, input),
            _ => {
                // a native function may call back into the evaluator ($map, $sort, …): count
                // it as a level, so recursion through natives is bounded as well
                self.depth += 1;
                if self.depth > self.limits.max_depth {
                    self.depth -= 1;
                    return Err(Error::new("U1001"));
                }
                let r = self.apply_other(&f, args, input, env);
                self.depth -= 1;
                r
            }
        }
    }

    #[inline(never)]
    fn apply_lambda(&mut self, f: &Rc<Func>, args: Vec<Value>, input: &Value) -> R<Value> {
        match &**f {
            Func::Lambda {
                def,
                params,
                env: lenv,
                input: linput,
                with_signature,
            } => {
                let args = match (&def.signature, with_signature) {
                    (Some(sig), true) => sig.validate(&args, input)?,
                    _ => args,
                };
                let frame = Frame::child(lenv);
                let mut has_fn = false;
                for (i, p) in params.iter().enumerate() {
                    let v = args.get(i).cloned().unwrap_or_default();
                    has_fn |= v.is_function();
                    frame.bind_rc(p.clone(), v);
                }
                if has_fn {
                    self.frames_with_functions.push(Rc::downgrade(&frame));
                }
                self.eval(&def.body, linput, &frame)
            }
            _ => unreachable!(),
        }
    }

    #[inline(never)]
    fn apply_other(
        &mut self,
        f: &Rc<Func>,
        args: Vec<Value>,
        input: &Value,
        env: &Env,
    ) -> R<Value> {
        match &**f {
            Func::Lambda { .. } => unreachable!(),
            Func::Native { sig, imp, .. } => {
                let args = match sig {
                    Some(s) => s.validate(&args, input)?,
                    None => args,
                };
                imp(self, &args, input, env)
            }
            Func::Host { sig, imp, .. } => {
                let args = match sig {
                    Some(s) => s.validate(&args, input)?,
                    None => args,
                };
                let jargs: Vec<Option<serde_json::Value>> = args.iter().map(to_json).collect();
                let r = imp(&jargs)?;
                Ok(r.as_ref().map(from_json).unwrap_or_default())
            }
            Func::Partial { func, args: bound } => {
                let mut supplied = args.into_iter();
                let full: Vec<Value> = bound
                    .iter()
                    .map(|b| match b {
                        Some(v) => v.clone(),
                        None => supplied.next().unwrap_or_default(),
                    })
                    .collect();
                // jsonata-js calls a partially applied native function directly, without
                // checking its signature
                match func {
                    Value::Func(nf) => match &**nf {
                        Func::Native { imp, .. } => imp(self, &full, &Value::Undefined, env),
                        _ => self.apply_inner(func, full, input, env),
                    },
                    _ => self.apply_inner(func, full, input, env),
                }
            }
            Func::Regex(re) => {
                let s = match args.first() {
                    Some(Value::Str(s)) => s.clone(),
                    _ => return Ok(Value::Undefined),
                };
                Ok(functions::regex_match_object(self, re, &s, 0)?)
            }
            Func::Chain(f, g) => {
                let r = self.apply(f, args, input, env)?;
                self.apply(g, vec![r], input, env)
            }
            Func::Transform { node, env: tenv } => {
                let obj = args.into_iter().next().unwrap_or_default();
                self.transform(node, tenv, obj)
            }
        }
    }

    #[inline(never)]
    fn eval_partial(&mut self, expr: &Node, input: &Value, env: &Env) -> R<Value> {
        let mut args: Vec<Option<Value>> = vec![];
        for a in &expr.arguments {
            if a.kind == Kind::Operator && &*a.value == "?" {
                args.push(None);
            } else {
                args.push(Some(self.eval(a, input, env)?));
            }
        }
        let procedure = expr.procedure.as_ref().unwrap();
        let proc = self.eval(procedure, input, env)?;
        if proc.is_undefined()
            && procedure.kind == Kind::Path
            && !env.lookup(&procedure.steps[0].value).is_undefined()
        {
            let mut e = Error::at("T1007", expr.position);
            e.token = Some(procedure.steps[0].value.to_string());
            return Err(e);
        }
        match &proc {
            Value::Func(f) => match &**f {
                Func::Lambda {
                    def,
                    params,
                    env: lenv,
                    input: linput,
                    ..
                } => {
                    let frame = Frame::child(lenv);
                    let mut unbound = vec![];
                    for (i, p) in params.iter().enumerate() {
                        match args.get(i) {
                            Some(None) => unbound.push(p.clone()),
                            Some(Some(v)) => frame.bind_rc(p.clone(), v.clone()),
                            None => frame.bind_rc(p.clone(), Value::Undefined),
                        }
                    }
                    self.frames_with_functions.push(Rc::downgrade(&frame));
                    Ok(Value::Func(Rc::new(Func::Lambda {
                        def: def.clone(),
                        params: Rc::new(unbound),
                        env: frame,
                        input: linput.clone(),
                        with_signature: false,
                    })))
                }
                _ => {
                    // native: as many parameters as its signature declares
                    let n = function_arity(&proc);
                    while args.len() < n {
                        args.push(Some(Value::Undefined));
                    }
                    Ok(Value::Func(Rc::new(Func::Partial {
                        func: proc.clone(),
                        args,
                    })))
                }
            },
            _ => {
                let mut e = Error::at("T1008", expr.position);
                e.token = Some(if procedure.kind == Kind::Path {
                    procedure.steps[0].value.to_string()
                } else {
                    procedure.value.to_string()
                });
                Err(e)
            }
        }
    }

    #[inline(never)]
    fn eval_apply(&mut self, expr: &Node, input: &Value, env: &Env) -> R<Value> {
        let lhs = self.eval(expr.lhs.as_ref().unwrap(), input, env)?;
        let rhs_node = expr.rhs.as_ref().unwrap();
        if rhs_node.kind == Kind::Function {
            return self.eval_function(rhs_node, input, env, Some(lhs));
        }
        let func = self.eval(rhs_node, input, env)?;
        if !func.is_function() {
            return Err(Error::at("T2006", expr.position).with_value(&func));
        }
        if lhs.is_function() {
            return Ok(Value::Func(Rc::new(Func::Chain(lhs, func))));
        }
        self.apply(&func, vec![lhs], input, env)
    }

    #[inline(never)]
    fn transform(&mut self, node: &Node, env: &Env, obj: Value) -> R<Value> {
        if obj.is_undefined() {
            return Ok(Value::Undefined);
        }
        let clone = env.lookup("clone");
        if !clone.is_function() {
            return Err(Error::at("T2013", node.position));
        }
        let result = self.apply(&clone, vec![obj], &Value::Undefined, env)?;
        let matches = self.eval(node.pattern.as_ref().unwrap(), &result, env)?;
        if matches.is_undefined() {
            return Ok(result);
        }
        let list = match &matches {
            Value::Array(a) => a.items.clone(),
            v => vec![v.clone()],
        };
        let mut ops: Vec<TransformOp> = vec![];
        for m in &list {
            let update = self.eval(node.update.as_ref().unwrap(), m, env)?;
            let upd = match &update {
                Value::Undefined => None,
                Value::Object(u) => Some(u.clone()),
                v => {
                    return Err(
                        Error::at("T2011", node.update.as_ref().unwrap().position).with_value(v)
                    )
                }
            };
            let mut dels = vec![];
            if let Some(d) = &node.delete {
                // deletions see the match with the update merged in
                let merged = match (m, &upd) {
                    (Value::Object(mo), Some(u)) => {
                        let mut n = mo.0.clone();
                        for (k, v) in u.iter() {
                            obj_insert(&mut n, k.clone(), v.clone());
                        }
                        Value::object(n)
                    }
                    _ => m.clone(),
                };
                let deletions = self.eval(d, &merged, env)?;
                if !deletions.is_undefined() {
                    let items = deletions.to_items();
                    if !items.iter().all(|i| matches!(i, Value::Str(_))) {
                        return Err(Error::at("T2012", d.position).with_value(&deletions));
                    }
                    dels = items
                        .into_iter()
                        .map(|i| {
                            if let Value::Str(s) = i {
                                s
                            } else {
                                unreachable!()
                            }
                        })
                        .collect();
                }
            }
            if let Value::Object(mo) = m {
                ops.push((Rc::as_ptr(mo), upd, dels));
            }
        }
        Ok(rebuild(&result, &ops))
    }
}

/// A transform's change to one matched object: (which object, what to merge, what to delete).
type TransformOp = (*const Obj, Option<Rc<Obj>>, Vec<Rc<str>>);

fn rebuild(v: &Value, ops: &[TransformOp]) -> Value {
    match v {
        Value::Array(a) => {
            let items: Vec<Value> = a.items.iter().map(|i| rebuild(i, ops)).collect();
            Value::Array(Rc::new(Array {
                items,
                ..(**a).clone()
            }))
        }
        Value::Object(m) => {
            let ptr = Rc::as_ptr(m);
            let mut n = Map::with_capacity_and_hasher(m.len(), Default::default());
            for (k, v) in m.iter() {
                n.insert(k.clone(), rebuild(v, ops));
            }
            for (p, upd, dels) in ops {
                if *p == ptr {
                    if let Some(u) = upd {
                        for (k, v) in u.iter() {
                            obj_insert(&mut n, k.clone(), v.clone());
                        }
                    }
                    for d in dels {
                        n.shift_remove(d);
                    }
                }
            }
            Value::object(n)
        }
        v => v.clone(),
    }
}

pub fn function_arity(f: &Value) -> usize {
    match f {
        Value::Func(f) => match &**f {
            Func::Lambda { params, .. } => params.len(),
            // jsonata-js takes a native function's arity from its JavaScript parameters
            Func::Native { name, .. } if &**name == "string" => 1,
            Func::Native { sig, .. } | Func::Host { sig, .. } => {
                sig.as_ref().map(|s| s.param_count()).unwrap_or(0)
            }
            Func::Partial { args, .. } => args.iter().filter(|a| a.is_none()).count(),
            _ => 1,
        },
        _ => 0,
    }
}

fn literal(expr: &Node) -> Value {
    match &expr.lit {
        Literal::Num(n) => Value::Num(*n),
        Literal::Str(s) => Value::Str(s.clone()),
        Literal::Bool(b) => Value::Bool(*b),
        Literal::Null => Value::Null,
        Literal::None => Value::Str(expr.value.clone()),
    }
}

fn eval_variable(expr: &Node, input: &Value, env: &Env) -> Value {
    if expr.value.is_empty() {
        match input {
            Value::Array(a) if a.outer_wrapper => a.items.first().cloned().unwrap_or_default(),
            v => v.clone(),
        }
    } else {
        env.lookup(&expr.value)
    }
}

fn make_lambda(expr: &Node, input: &Value, env: &Env) -> Value {
    let def = expr.lambda.clone().unwrap();
    let params = def.params.clone();
    Value::Func(Rc::new(Func::Lambda {
        def,
        params,
        env: env.clone(),
        input: input.clone(),
        with_signature: true,
    }))
}

fn reduce_tuple_stream(data: &Value) -> Map {
    match data {
        Value::Array(a) => {
            let mut result = match a.items.first() {
                Some(Value::Object(m)) => m.0.clone(),
                _ => Map::default(),
            };
            for t in a.items.iter().skip(1) {
                if let Value::Object(m) = t {
                    for (k, v) in m.iter() {
                        let prev = result.get(k).cloned().unwrap_or_default();
                        result.insert(k.clone(), functions::append(prev, v.clone()));
                    }
                }
            }
            result
        }
        Value::Object(m) => m.0.clone(),
        _ => Map::default(),
    }
}

pub fn lookup(input: &Value, key: &str) -> Value {
    lookup_within(input, key, 0)
}

fn lookup_within(input: &Value, key: &str, depth: usize) -> Value {
    match input {
        Value::Array(_) if depth > MAX_VALUE_NESTING => Value::Undefined,
        Value::Array(a) => {
            let mut out = vec![];
            for item in a.items.iter() {
                match lookup_within(item, key, depth + 1) {
                    Value::Undefined => {}
                    Value::Array(r) => out.extend(r.items.iter().cloned()),
                    v => out.push(v),
                }
            }
            Value::seq(out)
        }
        Value::Object(m) => m.get(key).cloned().unwrap_or_default(),
        _ => Value::Undefined,
    }
}

fn flatten_into(v: &Value, out: &mut Vec<Value>) {
    match v {
        Value::Array(a) => {
            for i in a.items.iter() {
                flatten_into(i, out);
            }
        }
        v => out.push(v.clone()),
    }
}

fn eval_wildcard(input: &Value) -> Value {
    let input = match input {
        Value::Array(a) if a.outer_wrapper && !a.items.is_empty() => a.items[0].clone(),
        v => v.clone(),
    };
    let mut out = vec![];
    let values: Vec<Value> = match &input {
        Value::Object(m) => m.values().cloned().collect(),
        Value::Array(a) => a.items.clone(),
        _ => vec![],
    };
    {
        for v in values.iter() {
            match v {
                Value::Array(_) if nesting_within(v, MAX_VALUE_NESTING) => {
                    flatten_into(v, &mut out)
                }
                v => out.push(v.clone()),
            }
        }
    }
    Value::seq(out)
}

fn recurse_descendants(v: &Value, out: &mut Vec<Value>) {
    match v {
        Value::Array(a) => {
            for i in a.items.iter() {
                recurse_descendants(i, out);
            }
        }
        Value::Object(m) => {
            out.push(v.clone());
            for (_, c) in m.iter() {
                recurse_descendants(c, out);
            }
        }
        v => out.push(v.clone()),
    }
}

fn eval_descendants(input: &Value) -> Value {
    if input.is_undefined() {
        return Value::Undefined;
    }
    let mut out = vec![];
    if !nesting_within(input, MAX_VALUE_NESTING) {
        return Value::Undefined;
    }
    recurse_descendants(input, &mut out);
    if out.len() == 1 {
        out.pop().unwrap()
    } else {
        Value::seq(out)
    }
}

/// jsonata-js `isNumeric`: throws D1001 for infinities.
pub fn is_numeric(v: &Value) -> R<bool> {
    match v {
        Value::Num(n) => {
            if n.is_nan() {
                Ok(false)
            } else if n.is_infinite() {
                Err(Error::new("D1001").with_value(v))
            } else {
                Ok(true)
            }
        }
        _ => Ok(false),
    }
}

fn is_integer(v: &Value) -> bool {
    matches!(v, Value::Num(n) if n.is_finite() && n.fract() == 0.0)
}

/// Compares as JavaScript compares strings (UTF-16 code units).
pub fn js_str_cmp(a: &str, b: &str) -> std::cmp::Ordering {
    a.encode_utf16().cmp(b.encode_utf16())
}

/// jsonata-js's stable merge sort; `gt(a, b)` says a comes after b.
pub fn merge_sort<T: Clone>(items: Vec<T>, gt: &mut dyn FnMut(&T, &T) -> bool) -> Vec<T> {
    if items.len() <= 1 {
        return items;
    }
    let mid = items.len() / 2;
    let right = items[mid..].to_vec();
    let mut left = items;
    left.truncate(mid);
    let l = merge_sort(left, gt);
    let r = merge_sort(right, gt);
    let mut out = Vec::with_capacity(l.len() + r.len());
    let (mut i, mut j) = (0, 0);
    while i < l.len() && j < r.len() {
        if gt(&l[i], &r[j]) {
            out.push(r[j].clone());
            j += 1;
        } else {
            out.push(l[i].clone());
            i += 1;
        }
    }
    out.extend_from_slice(&l[i..]);
    out.extend_from_slice(&r[j..]);
    out
}
