//! Variable scopes.

use std::cell::RefCell;
use std::collections::HashMap;
use std::rc::Rc;

use crate::value::Value;

pub struct Frame {
    vars: RefCell<HashMap<Rc<str>, Value>>,
    parent: Option<Env>,
}

pub type Env = Rc<Frame>;

impl Frame {
    pub fn root() -> Env {
        Rc::new(Frame { vars: RefCell::new(HashMap::new()), parent: None })
    }
    pub fn child(parent: &Env) -> Env {
        Rc::new(Frame { vars: RefCell::new(HashMap::new()), parent: Some(parent.clone()) })
    }
    pub fn bind(&self, name: &str, v: Value) {
        self.vars.borrow_mut().insert(Rc::from(name), v);
    }
    pub fn bind_rc(&self, name: Rc<str>, v: Value) {
        self.vars.borrow_mut().insert(name, v);
    }
    pub fn lookup(&self, name: &str) -> Value {
        let mut f = self;
        loop {
            if let Some(v) = f.vars.borrow().get(name) {
                return v.clone();
            }
            match &f.parent {
                Some(p) => f = p,
                None => return Value::Undefined,
            }
        }
    }
    /// Drops every binding (breaks the reference cycles closures make with their scope).
    pub fn clear(&self) {
        let vars = std::mem::take(&mut *self.vars.borrow_mut());
        drop(vars);
    }
}
