//! The worker's side: runs the page's execution (one at a time) and answers each request with
//! the events and stages the page has not had yet. Plain Rust, so the native tests run it
//! beside an execution of their own; [`serve`] connects it to the worker's messages.

use super::protocol::{pack, Reply, Request, Setup};
use asl::{load, EventDetails, Execution, Status, TaskHandler};
use std::sync::Arc;

/// How many events the engine reveals between two looks at the clock.
const CHUNK: usize = 32;

/// The runs a worker is asked for: only the latest is kept.
#[derive(Default)]
pub struct Runs {
    current: Option<Running>,
}

struct Running {
    run: u64,
    execution: Execution,
    tasks: Box<dyn TaskHandler>,
    /// How many events the page has been sent.
    sent: usize,
    /// States entered whose stages the page has not had (they come when the visit ends).
    open: Vec<u64>,
}

impl Runs {
    /// Answers one request; `now` is a clock in milliseconds (for a request's budget).
    pub fn handle(&mut self, request: Request, now: &dyn Fn() -> f64) -> Option<Reply> {
        let run = match &request {
            Request::Start { run, setup } => {
                return match start(*run, setup) {
                    Ok(running) => {
                        self.current = Some(running);
                        None
                    }
                    Err(why) => {
                        self.current = None;
                        Some(refused(*run, why))
                    }
                };
            }
            Request::RunUntil { run, .. } | Request::Stop { run } | Request::Redrive { run } => {
                *run
            }
        };
        let Some(running) = self.current.as_mut().filter(|r| r.run == run) else {
            return Some(refused(run, "The run is no longer in the worker.".into()));
        };
        let mut why = None;
        match request {
            Request::RunUntil {
                events, budget_ms, ..
            } => {
                let started = now();
                let execution = &mut running.execution;
                while execution.history().len() < events && !execution.is_finished() {
                    let want = (events - execution.history().len()).min(CHUNK);
                    execution.run_slice(running.tasks.as_mut(), want);
                    if budget_ms.is_some_and(|budget| now() - started >= budget) {
                        break;
                    }
                }
            }
            Request::Stop { .. } => {
                running
                    .execution
                    .stop(None, Some("Stopped in the playground.".into()));
            }
            Request::Redrive { .. } => {
                if let Err(refusal) = running.execution.redrive() {
                    why = Some(format!("ExecutionNotRedrivable: {refusal}"));
                }
            }
            Request::Start { .. } => unreachable!("answered above"),
        }
        let mut reply = running.news();
        reply.refused = why;
        Some(reply)
    }
}

fn start(run: u64, setup: &Setup) -> Result<Running, String> {
    let machine = load(&setup.definition).map_err(|problems| {
        format!(
            "The definition has {} problem(s): fix them to start an execution.",
            problems.len()
        )
    })?;
    let tasks = setup
        .tasks
        .handler()
        .map_err(|why| format!("The mocks cannot answer: {why}."))?;
    Ok(Running {
        run,
        execution: Execution::new(Arc::new(machine), setup.input.clone(), setup.config()),
        tasks,
        sent: 0,
        open: Vec::new(),
    })
}

fn refused(run: u64, why: String) -> Reply {
    Reply {
        run,
        from: 0,
        events: Vec::new(),
        stages: Vec::new(),
        status: Status::Failed,
        finished: true,
        refused: Some(why),
    }
}

impl Running {
    /// The events since the last reply, and the stages of the visits that ended since.
    fn news(&mut self) -> Reply {
        let history = self.execution.history();
        // A stop drops events decided but not revealed: never any the page has had.
        let from = self.sent.min(history.len());
        let events = history[from..].to_vec();
        self.sent = history.len();
        self.open
            .extend(events.iter().filter_map(|e| match e.details {
                EventDetails::StateEntered { .. } => Some(e.id),
                _ => None,
            }));
        let execution = &self.execution;
        let mut stages = Vec::new();
        self.open.retain(|&id| match execution.stages(id) {
            Some(found) => {
                stages.push((id, pack(found, entered_input(execution.history(), id))));
                false
            }
            None => true,
        });
        Reply {
            run: self.run,
            from,
            events,
            stages,
            status: execution.status(),
            finished: execution.is_finished(),
            refused: None,
        }
    }
}

/// The input of the event that entered a state (`id`): a visit's first stage, shared.
pub fn entered_input(events: &[asl::HistoryEvent], id: u64) -> Option<&asl::Payload> {
    let event = events.get(usize::try_from(id).ok()?.checked_sub(1)?)?;
    match &event.details {
        EventDetails::StateEntered { input, .. } if event.id == id => Some(input),
        _ => None,
    }
}

/// The worker's main (src/main.rs calls it when there is no window): answers the page's
/// messages. run-worker.js kept the messages that came while the .wasm loaded (`early`).
#[cfg(target_arch = "wasm32")]
pub fn serve() {
    use std::cell::RefCell;
    use wasm_bindgen::closure::Closure;
    use wasm_bindgen::{JsCast, JsValue};
    use web_sys::{DedicatedWorkerGlobalScope, MessageEvent};

    thread_local! {
        static RUNS: RefCell<Runs> = RefCell::new(Runs::default());
    }
    let scope: DedicatedWorkerGlobalScope = js_sys::global().unchecked_into();
    let clock = scope.performance();
    let answer = {
        let scope = scope.clone();
        move |data: JsValue| {
            let Some(text) = data.as_string() else { return };
            let Ok(request) = super::protocol::read::<Request>(&text) else {
                return;
            };
            let now = || clock.as_ref().map_or_else(js_sys::Date::now, |p| p.now());
            let reply = RUNS.with(|runs| runs.borrow_mut().handle(request, &now));
            if let Some(reply) = reply {
                if let Ok(text) = serde_json::to_string(&reply) {
                    let _ = scope.post_message(&JsValue::from_str(&text));
                }
            }
        }
    };
    let early = js_sys::Reflect::get(&scope, &"early".into())
        .ok()
        .and_then(|e| e.dyn_into::<js_sys::Array>().ok());
    let answer = std::rc::Rc::new(answer);
    let listener = {
        let answer = answer.clone();
        Closure::<dyn Fn(MessageEvent)>::new(move |e: MessageEvent| answer(e.data()))
    };
    scope.set_onmessage(Some(listener.as_ref().unchecked_ref()));
    listener.forget();
    if let Some(early) = early {
        for message in early.iter() {
            answer(message);
        }
    }
}
