//! The worker's side: runs the page's execution (one at a time) and answers each request with
//! the events and stages the page has not had yet. Plain Rust, so the native tests run it
//! beside an execution of their own; [`serve`] connects it to the worker's messages.

use super::protocol::{pack, Reply, Request, Setup};
use asl::{load, EventDetails, Execution, Status, TaskHandler};
use std::sync::Arc;

/// How long after its last message the worker sends what it has before deciding a state
/// (ms): the events before a state that computes for long are shown while it does, and a
/// quick run sends no more than a message per this much time.
const SHOW_EVERY_MS: f64 = 4.0;

/// The runs a worker is asked for: only the latest is kept.
#[derive(Default)]
pub struct Runs {
    current: Option<Running>,
}

struct Running {
    run: u64,
    execution: Execution,
    tasks: Box<dyn TaskHandler>,
    /// How many events the page has been sent, and when it was last sent a message.
    sent: usize,
    last_sent: f64,
    /// States entered whose stages the page has not had (they come when the visit ends).
    open: Vec<u64>,
}

impl Runs {
    /// Answers one request through `send` (a start that succeeds has no answer; a long run
    /// sends what it has on the way); `now` is a clock in milliseconds.
    pub fn handle(&mut self, request: Request, now: &dyn Fn() -> f64, send: &mut dyn FnMut(Reply)) {
        let run = match &request {
            Request::Start { run, setup } => {
                match start(*run, setup, now()) {
                    Ok(running) => self.current = Some(running),
                    Err(why) => {
                        self.current = None;
                        send(refused(*run, why));
                    }
                }
                return;
            }
            Request::RunUntil { run, .. } | Request::Stop { run } | Request::Redrive { run } => {
                *run
            }
        };
        let Some(running) = self.current.as_mut().filter(|r| r.run == run) else {
            send(refused(run, "The run is no longer in the worker.".into()));
            return;
        };
        let mut why = None;
        match request {
            Request::RunUntil {
                events, budget_ms, ..
            } => {
                let started = now();
                while running.execution.history().len() < events && !running.execution.is_finished()
                {
                    // About to decide a state: first show what came before it, if a while
                    // has passed since the page last heard.
                    if !running.execution.next_is_decided()
                        && running.sent < running.execution.history().len()
                        && now() - running.last_sent >= SHOW_EVERY_MS
                    {
                        let mut so_far = running.news();
                        so_far.done = false;
                        running.last_sent = now();
                        send(so_far);
                    }
                    running.execution.run_slice(running.tasks.as_mut(), 1);
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
        running.last_sent = now();
        send(reply);
    }
}

fn start(run: u64, setup: &Setup, now: f64) -> Result<Running, String> {
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
        last_sent: now,
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
        done: true,
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
            done: true,
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
            let mut send = |reply: Reply| {
                if let Ok(text) = serde_json::to_string(&reply) {
                    let _ = scope.post_message(&JsValue::from_str(&text));
                }
            };
            RUNS.with(|runs| runs.borrow_mut().handle(request, &now, &mut send));
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

#[cfg(test)]
mod tests {
    use super::*;
    use crate::runner::protocol::Tasks;
    use std::cell::Cell;

    const CHAIN: &str = r#"{"StartAt":"A","States":{
      "A":{"Type":"Pass","Next":"B"},
      "B":{"Type":"Pass","Next":"C"},
      "C":{"Type":"Pass","End":true}}}"#;

    fn setup() -> Box<Setup> {
        Box::new(Setup {
            definition: CHAIN.into(),
            input: serde_json::json!({}),
            name: "test".into(),
            state_machine_name: "Chain".into(),
            start_time: 0,
            seed: 1,
            tasks: Tasks::new("", None, callcenter::WorkOnCase::Random),
        })
    }

    #[test]
    fn before_deciding_a_state_the_page_is_sent_what_came_before_it() {
        let mut runs = Runs::default();
        // Each look at the clock is 10 ms later: every decision might be a long one.
        let clock = Cell::new(0.0);
        let now = || {
            clock.set(clock.get() + 10.0);
            clock.get()
        };
        let mut replies = Vec::new();
        runs.handle(
            Request::Start {
                run: 1,
                setup: setup(),
            },
            &now,
            &mut |r| replies.push(r),
        );
        assert!(replies.is_empty(), "a start that succeeds has no answer");
        let all = Request::RunUntil {
            run: 1,
            events: usize::MAX,
            budget_ms: None,
        };
        runs.handle(all, &now, &mut |r| replies.push(r));
        let (last, so_far) = replies.split_last().unwrap();
        assert!(last.done && last.finished);
        assert!(!so_far.is_empty() && so_far.iter().all(|r| !r.done));
        // Each message goes on where the one before ended, and each partial one ends just
        // before a state is entered (the next one starts with its StateEntered).
        let mut at = 0;
        for (reply, next) in replies.iter().zip(replies.iter().skip(1)) {
            assert_eq!(reply.from, at);
            at += reply.events.len();
            assert_eq!(next.events[0].event_type(), "PassStateEntered");
        }
        let types: Vec<String> = replies
            .iter()
            .flat_map(|r| r.events.iter().map(|e| e.event_type()))
            .collect();
        assert_eq!(
            types,
            [
                "ExecutionStarted",
                "PassStateEntered",
                "PassStateExited",
                "PassStateEntered",
                "PassStateExited",
                "PassStateEntered",
                "PassStateExited",
                "ExecutionSucceeded"
            ]
        );
        // Every visit's stages came, once.
        let stages: Vec<u64> = replies
            .iter()
            .flat_map(|r| r.stages.iter().map(|(id, _)| *id))
            .collect();
        assert_eq!(stages, [2, 4, 6]);
    }

    #[test]
    fn a_quick_run_is_sent_in_one_message() {
        let mut runs = Runs::default();
        let mut replies = Vec::new();
        runs.handle(
            Request::Start {
                run: 1,
                setup: setup(),
            },
            &|| 0.0,
            &mut |r| replies.push(r),
        );
        let all = Request::RunUntil {
            run: 1,
            events: usize::MAX,
            budget_ms: None,
        };
        runs.handle(all, &|| 0.0, &mut |r| replies.push(r));
        assert_eq!(replies.len(), 1);
        assert_eq!(replies[0].events.len(), 8);
    }
}
