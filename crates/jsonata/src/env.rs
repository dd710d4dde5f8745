//! Variable scopes.
//!
//! Most frames hold a handful of names (a lambda's parameters, a block's `:=`), so a frame
//! keeps them in a short list searched in order; only a frame that grows past
//! [`FEW`] names (the function library's) switches to a hash map.

use std::cell::RefCell;
use std::collections::HashMap;
use std::rc::Rc;

use crate::value::Value;

/// The most names a frame keeps in a list before it switches to a map.
const FEW: usize = 12;

pub struct Frame {
    vars: RefCell<Vars>,
    parent: Option<Env>,
}

enum Vars {
    Few(Vec<(Rc<str>, Value)>),
    Many(HashMap<Rc<str>, Value, foldhash::fast::FixedState>),
}

impl Vars {
    fn get(&self, name: &str) -> Option<&Value> {
        match self {
            Vars::Few(list) => list.iter().find(|(k, _)| &**k == name).map(|(_, v)| v),
            Vars::Many(map) => map.get(name),
        }
    }
}

pub type Env = Rc<Frame>;

impl Drop for Frame {
    fn drop(&mut self) {
        // unlink a long chain of otherwise unreferenced parents one by one
        let mut parent = self.parent.take();
        while let Some(p) = parent {
            match Rc::try_unwrap(p) {
                Ok(mut frame) => parent = frame.parent.take(),
                Err(_) => break,
            }
        }
    }
}

impl Frame {
    pub fn root() -> Env {
        Rc::new(Frame {
            vars: RefCell::new(Vars::Few(Vec::new())),
            parent: None,
        })
    }
    pub fn child(parent: &Env) -> Env {
        Rc::new(Frame {
            vars: RefCell::new(Vars::Few(Vec::new())),
            parent: Some(parent.clone()),
        })
    }
    pub fn bind_rc(&self, name: Rc<str>, v: Value) {
        let mut vars = self.vars.borrow_mut();
        match &mut *vars {
            Vars::Few(list) => {
                if let Some(slot) = list.iter_mut().find(|(k, _)| *k == name) {
                    slot.1 = v;
                } else if list.len() < FEW {
                    list.push((name, v));
                } else {
                    let mut map: HashMap<_, _, _> = std::mem::take(list).into_iter().collect();
                    map.insert(name, v);
                    *vars = Vars::Many(map);
                }
            }
            Vars::Many(map) => {
                map.insert(name, v);
            }
        }
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
        let vars = std::mem::replace(&mut *self.vars.borrow_mut(), Vars::Few(Vec::new()));
        drop(vars);
    }
}
