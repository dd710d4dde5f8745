//! The page's end of the line to the run worker: starts it (run-worker.js with this same
//! .wasm), posts requests, hands replies to the page, and ends it when a run must stop at
//! once. Natively (tests) a worker in the same thread answers, when a test asks for it.

use super::protocol::{Reply, Request};
use std::cell::{Cell, RefCell};
use std::rc::Rc;

/// What the page hears from the worker.
#[derive(Debug, Clone, PartialEq)]
pub enum Heard {
    Reply(Box<Reply>),
    /// The worker failed (could not load, or the engine panicked in it).
    Failed(String),
}

type Listener = Rc<dyn Fn(Vec<Heard>)>;

thread_local! {
    static LISTENER: RefCell<Option<Listener>> = RefCell::new(None);
    /// What the worker said since the page last heard it: handed over together, on the
    /// page's next turn, so that a burst of messages is drawn once.
    static INBOX: RefCell<Vec<Heard>> = const { RefCell::new(Vec::new()) };
    /// Set once a worker has failed: later runs stay on the page's thread.
    static BROKEN: Cell<bool> = const { Cell::new(false) };
}

/// The page listens (App, once): without a listener runs stay on the page's thread.
pub fn listen(listener: impl Fn(Vec<Heard>) + 'static) {
    LISTENER.with(|l| *l.borrow_mut() = Some(Rc::new(listener)));
}

/// How often the page shows what a long request has so far (ms): the worker may send it more
/// often (before each state it decides, after a few ms), but drawing is what costs.
const SHOW_PROGRESS_MS: f64 = 100.0;

#[cfg_attr(not(target_arch = "wasm32"), allow(dead_code))]
fn hear(heard: Heard) {
    // An answer (or a failure) is shown on the page's next turn; what a long request has so
    // far, no sooner than SHOW_PROGRESS_MS after the page last heard.
    let urgent = match &heard {
        Heard::Reply(reply) => reply.done,
        Heard::Failed(_) => true,
    };
    if matches!(heard, Heard::Failed(_)) {
        BROKEN.with(|b| b.set(true));
        imp::abandon();
    }
    INBOX.with(|inbox| inbox.borrow_mut().push(heard));
    imp::deliver_within(if urgent { 0.0 } else { SHOW_PROGRESS_MS }, || {
        let heard = INBOX.with(|inbox| std::mem::take(&mut *inbox.borrow_mut()));
        let listener = LISTENER.with(|l| l.borrow().clone());
        if let Some(listener) = listener {
            if !heard.is_empty() {
                listener(heard);
            }
        }
    });
}

/// Whether runs can go to a worker: the page listens, none has failed, and one can start.
pub fn available() -> bool {
    !BROKEN.with(Cell::get) && imp::can_start()
}

/// Posts a request (starting the worker if none is running).
pub fn send(request: &Request) {
    imp::send(request)
}

/// Ends the worker at once, whatever it is doing; the next request starts another.
pub fn end() {
    imp::end()
}

#[cfg(target_arch = "wasm32")]
mod imp {
    use super::{hear, Heard, Reply, Request};
    use std::cell::RefCell;
    use wasm_bindgen::closure::Closure;
    use wasm_bindgen::{JsCast, JsValue};
    use web_sys::{ErrorEvent, MessageEvent, Worker, WorkerOptions, WorkerType};

    struct Line {
        worker: Worker,
        _replies: Closure<dyn Fn(MessageEvent)>,
        _failures: Closure<dyn Fn(ErrorEvent)>,
    }

    thread_local! {
        static LINE: RefCell<Option<Line>> = const { RefCell::new(None) };
    }

    /// run-worker.js's address, with the JS glue's and the .wasm's (hashed by Trunk, on the
    /// start-up script's tag: Trunk.toml's pattern_script): `None` without them (the
    /// wasm-bindgen tests).
    fn address() -> Option<String> {
        let document = web_sys::window()?.document()?;
        let script = document
            .query_selector("script[data-glue][data-wasm]")
            .ok()??;
        let base = document.base_uri().ok()??;
        let absolute = |relative: &str| {
            web_sys::Url::new_with_base(relative, &base)
                .ok()
                .map(|u| u.href())
        };
        let glue = absolute(&script.get_attribute("data-glue")?)?;
        let wasm = absolute(&script.get_attribute("data-wasm")?)?;
        let url = web_sys::Url::new_with_base("run-worker.js", &base).ok()?;
        url.search_params().set("glue", &glue);
        url.search_params().set("wasm", &wasm);
        Some(url.href())
    }

    pub fn can_start() -> bool {
        super::LISTENER.with(|l| l.borrow().is_some()) && address().is_some()
    }

    thread_local! {
        /// When (page clock, ms) the planned delivery is, and its number: a plan replaced by
        /// a sooner one finds another number when its timer fires, and does nothing.
        static PLANNED: std::cell::Cell<Option<(f64, u64)>> = const { std::cell::Cell::new(None) };
        static PLANS: std::cell::Cell<u64> = const { std::cell::Cell::new(0) };
        /// When the page last heard the worker.
        static LAST: std::cell::Cell<f64> = const { std::cell::Cell::new(f64::NEG_INFINITY) };
    }

    fn now() -> f64 {
        web_sys::window()
            .and_then(|w| w.performance())
            .map_or_else(js_sys::Date::now, |p| p.now())
    }

    /// Runs `deliver` no sooner than `gap` ms after the last delivery (on the page's next turn
    /// when that is past), unless a delivery planned already comes as soon.
    pub fn deliver_within(gap: f64, deliver: impl FnOnce() + 'static) {
        let at = (LAST.with(|l| l.get()) + gap).max(now());
        if PLANNED
            .with(|p| p.get())
            .is_some_and(|(planned, _)| planned <= at)
        {
            return;
        }
        let plan = PLANS.with(|p| {
            p.set(p.get() + 1);
            p.get()
        });
        PLANNED.with(|p| p.set(Some((at, plan))));
        gloo_timers::callback::Timeout::new((at - now()).max(0.0) as u32, move || {
            if PLANNED
                .with(|p| p.get())
                .is_some_and(|(_, current)| current == plan)
            {
                PLANNED.with(|p| p.set(None));
                LAST.with(|l| l.set(now()));
                deliver();
            }
        })
        .forget();
    }

    fn open() -> Option<Line> {
        let options = WorkerOptions::new();
        options.set_type(WorkerType::Module);
        let worker = Worker::new_with_options(&address()?, &options).ok()?;
        let replies = Closure::<dyn Fn(MessageEvent)>::new(|e: MessageEvent| {
            let reply = e
                .data()
                .as_string()
                .and_then(|text| super::super::protocol::read::<Reply>(&text).ok());
            match reply {
                Some(reply) => hear(Heard::Reply(Box::new(reply))),
                None => hear(Heard::Failed(
                    "the worker sent a reply the page cannot read".into(),
                )),
            }
        });
        let failures = Closure::<dyn Fn(ErrorEvent)>::new(|e: ErrorEvent| {
            let message = e.message();
            hear(Heard::Failed(if message.is_empty() {
                "the worker could not start".into()
            } else {
                message
            }))
        });
        worker.set_onmessage(Some(replies.as_ref().unchecked_ref()));
        worker.set_onerror(Some(failures.as_ref().unchecked_ref()));
        // First, the page's compiled module (start.js keeps it; run-worker.js waits for it).
        let module = web_sys::window()
            .and_then(|w| js_sys::Reflect::get(&w, &"sfnWasmModule".into()).ok())
            .filter(|m| m.is_instance_of::<js_sys::WebAssembly::Module>())
            .unwrap_or(JsValue::NULL);
        worker.post_message(&module).ok()?;
        Some(Line {
            worker,
            _replies: replies,
            _failures: failures,
        })
    }

    pub fn send(request: &Request) {
        let Ok(text) = serde_json::to_string(request) else {
            return;
        };
        let failed = LINE.with(|line| {
            let mut line = line.borrow_mut();
            if line.is_none() {
                *line = open();
            }
            match line.as_ref() {
                Some(line) => line.worker.post_message(&JsValue::from_str(&text)).is_err(),
                None => true,
            }
        });
        if failed {
            hear(Heard::Failed("the worker could not start".into()));
        }
    }

    pub fn end() {
        let line = LINE.with(|line| line.borrow_mut().take());
        if let Some(line) = line {
            line.worker.terminate();
        }
    }

    /// Ends the worker from inside one of its handlers, which must outlive the call: they
    /// are leaked (once: the page uses no worker after a failure).
    pub fn abandon() {
        let line = LINE.with(|line| line.borrow_mut().take());
        if let Some(line) = line {
            line.worker.terminate();
            std::mem::forget(line);
        }
    }
}

/// Natively: a worker in the same thread, on for the tests that ask for one ([`fake`]). It
/// answers when the test calls [`deliver`], as a browser delivers replies on a later turn.
#[cfg(not(target_arch = "wasm32"))]
mod imp {
    use super::super::worker::Runs;
    use super::{Reply, Request};
    use std::cell::{Cell, RefCell};
    use std::collections::VecDeque;

    thread_local! {
        pub static ON: Cell<bool> = const { Cell::new(false) };
        pub static RUNS: RefCell<Option<Runs>> = const { RefCell::new(None) };
        pub static QUEUE: RefCell<VecDeque<Request>> = const { RefCell::new(VecDeque::new()) };
        /// How many workers were ended (the tests check that Stop ended a busy one).
        pub static ENDED: Cell<usize> = const { Cell::new(0) };
    }

    pub fn can_start() -> bool {
        ON.with(Cell::get)
    }

    pub fn send(request: &Request) {
        QUEUE.with(|q| q.borrow_mut().push_back(request.clone()));
    }

    pub fn abandon() {
        end()
    }

    #[allow(dead_code)]
    pub fn deliver_within(_gap: f64, deliver: impl FnOnce() + 'static) {
        deliver()
    }

    pub fn end() {
        QUEUE.with(|q| q.borrow_mut().clear());
        RUNS.with(|r| *r.borrow_mut() = None);
        ENDED.with(|e| e.set(e.get() + 1));
    }

    /// The worker answers the next request it was sent (a long one in several replies:
    /// its clock moves a millisecond per look).
    pub fn answer_one() -> Option<Vec<Reply>> {
        let request = QUEUE.with(|q| q.borrow_mut().pop_front())?;
        let mut replies = Vec::new();
        let clock = Cell::new(0.0);
        let now = || {
            clock.set(clock.get() + 1.0);
            clock.get()
        };
        RUNS.with(|runs| {
            runs.borrow_mut().get_or_insert_with(Runs::default).handle(
                request,
                &now,
                &mut |reply| replies.push(reply),
            )
        });
        Some(replies)
    }
}

/// Tests: runs go to a worker in this thread from now on.
#[cfg(not(target_arch = "wasm32"))]
pub fn fake() {
    imp::ON.with(|on| on.set(true));
}

/// Tests: whether requests are waiting for the worker.
#[cfg(not(target_arch = "wasm32"))]
pub fn waiting() -> bool {
    imp::QUEUE.with(|q| !q.borrow().is_empty())
}

/// Tests: how many times a worker was ended.
#[cfg(not(target_arch = "wasm32"))]
pub fn ended() -> usize {
    imp::ENDED.with(Cell::get)
}

/// Tests: the worker answers the requests in turn until one has replies (a start has none),
/// which the test hands to the page; `None` once none is waiting.
#[cfg(not(target_arch = "wasm32"))]
pub fn deliver() -> Option<Vec<Heard>> {
    loop {
        let replies = imp::answer_one()?;
        if !replies.is_empty() {
            return Some(
                replies
                    .into_iter()
                    .map(|r| Heard::Reply(Box::new(r)))
                    .collect(),
            );
        }
    }
}
