//! Where a run's engine runs. In the page an execution runs in a Web Worker (run-worker.js
//! loads this same .wasm there, [`worker::serve`]): a state that computes for seconds — a
//! JSONata expression over a ten-million-item range — never blocks the page, and Stop always
//! answers, by ending the worker if it is busy and replaying the run to the event shown in a
//! new one (the engine is deterministic). The page keeps what the worker told it, the events
//! and the stages of each visit ([`Remote`]), and shows the events before its cursor as it
//! always has. Where no worker can start (the native tests, the wasm-bindgen tests, a failed
//! worker) the run is [`Here`], on the page's thread, in slices.

pub mod channel;
pub mod protocol;
pub mod worker;

use asl::clock::Millis;
use asl::{EventDetails, Execution, HistoryEvent, Stages, StateMachine, Status, TaskHandler};
use protocol::{Reply, Request, Setup};
use serde_json::Value;
use std::cell::Cell;
use std::collections::HashMap;
use std::rc::Rc;
use std::sync::Arc;

/// How long the worker runs the engine before it sends what it has (ms). Drawing what came is
/// the page's cost (a 4,000-item Map drawn every 40 ms took three times as long as drawn every
/// 100 ms), and the worker runs the next slice while the page draws.
const WORKER_SLICE_MS: f64 = 100.0;

/// A run's engine: on the page's thread, or in the worker.
pub enum Engine {
    Here(Here),
    Worker(Remote),
}

/// A run on the page's thread.
pub struct Here {
    pub execution: Execution,
    pub tasks: Box<dyn TaskHandler>,
}

/// What the page is waiting for from the worker.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Waiting {
    /// One more event (Step forward).
    Step,
    /// A slice of Run to end.
    Slice,
    Stop,
    Redrive,
}

/// A run in the worker, as the page knows it: every event and stage the worker has sent.
pub struct Remote {
    run: u64,
    setup: Rc<Setup>,
    /// The stops and redrives so far, each after how many events: what a new worker does
    /// again to reach this run's state.
    log: Vec<(usize, Request)>,
    waiting: Option<Waiting>,
    /// Replies still to come before `waiting` is answered (a replay has several).
    replies_due: usize,
    history: Vec<HistoryEvent>,
    stages: HashMap<u64, Stages>,
    status: Status,
    finished: bool,
    /// The execution's input, shared by every context object built from it.
    input: asl::Payload,
}

thread_local! {
    static RUNS: Cell<u64> = const { Cell::new(0) };
}

impl Engine {
    /// Starts a run of `machine` (loaded from `setup.definition`): in the worker when one can
    /// start. `Err` says why the run cannot start.
    pub fn start(machine: Arc<StateMachine>, setup: Setup) -> Result<Engine, String> {
        let tasks = setup
            .tasks
            .handler()
            .map_err(|why| format!("The mocks cannot answer: {why}."))?;
        if !channel::available() {
            let config = setup.config();
            return Ok(Engine::Here(Here {
                execution: Execution::new(machine, setup.input, config),
                tasks,
            }));
        }
        let run = RUNS.with(|r| {
            r.set(r.get() + 1);
            r.get()
        });
        let input = Arc::new(setup.input.clone());
        let setup = Rc::new(setup);
        channel::send(&Request::Start {
            run,
            setup: Box::new((*setup).clone()),
        });
        Ok(Engine::Worker(Remote {
            run,
            setup,
            log: Vec::new(),
            waiting: None,
            replies_due: 0,
            history: Vec::new(),
            stages: HashMap::new(),
            status: Status::Running,
            finished: false,
            input,
        }))
    }

    /// The events revealed so far.
    pub fn history(&self) -> &[HistoryEvent] {
        match self {
            Engine::Here(here) => here.execution.history(),
            Engine::Worker(remote) => &remote.history,
        }
    }

    /// The data-flow stages of the visit entered by event `entered`, once it has ended.
    pub fn stages(&self, entered: u64) -> Option<&Stages> {
        match self {
            Engine::Here(here) => here.execution.stages(entered),
            Engine::Worker(remote) => remote.stages.get(&entered),
        }
    }

    pub fn status(&self) -> Status {
        match self {
            Engine::Here(here) => here.execution.status(),
            Engine::Worker(remote) => remote.status,
        }
    }

    /// Whether every event has been revealed and the run has ended.
    pub fn is_finished(&self) -> bool {
        match self {
            Engine::Here(here) => here.execution.is_finished(),
            Engine::Worker(remote) => remote.finished,
        }
    }

    pub fn seed(&self) -> u64 {
        match self {
            Engine::Here(here) => here.execution.config().seed,
            Engine::Worker(remote) => remote.setup.seed,
        }
    }

    /// What the worker is still to answer (the page's thread never is busy).
    pub fn waiting(&self) -> Option<Waiting> {
        match self {
            Engine::Worker(remote) => remote.waiting,
            Engine::Here(_) => None,
        }
    }

    /// Whether the worker is still to answer a request (the page's thread never is).
    pub fn busy(&self) -> bool {
        self.waiting().is_some()
    }

    /// The context object a visit of `state` entered at `at` after `retry_count` retries
    /// reads, as the engine builds it.
    pub fn context_object(&self, state: &str, at: Millis, retry_count: u64) -> Value {
        match self {
            Engine::Here(here) => here.execution.context_object(state, at, retry_count),
            Engine::Worker(remote) => {
                let redrive = remote.history.iter().rev().find_map(|e| match e.details {
                    EventDetails::ExecutionRedriven { redrive_count } => {
                        Some((redrive_count, e.timestamp))
                    }
                    _ => None,
                });
                asl::execution::context_object(
                    &remote.setup.config(),
                    remote.input.clone(),
                    redrive,
                    state,
                    at,
                    retry_count,
                )
            }
        }
    }
}

impl Remote {
    /// Sends a request whose reply the page waits for (after those of a replay, if any).
    fn send(&mut self, request: Request, waiting: Waiting) {
        channel::send(&request);
        self.waiting = Some(waiting);
        self.replies_due += 1;
    }

    /// Asks for one more event (however many silent steps come first).
    pub fn step(&mut self) {
        if self.waiting.is_none() && !self.finished {
            let events = self.history.len() + 1;
            self.send(
                Request::RunUntil {
                    run: self.run,
                    events,
                    budget_ms: None,
                },
                Waiting::Step,
            );
        }
    }

    /// Asks for a slice of Run to end, up to `limit` events; `false` when there is nothing
    /// to ask (busy, ended, or at the limit).
    pub fn slice(&mut self, limit: usize) -> bool {
        if self.waiting.is_some() || self.finished || self.history.len() >= limit {
            return false;
        }
        self.send(
            Request::RunUntil {
                run: self.run,
                events: limit,
                budget_ms: Some(WORKER_SLICE_MS),
            },
            Waiting::Slice,
        );
        true
    }

    /// StopExecution at the event shown last. A busy worker (a state computing for long) is
    /// ended at once, and a new one runs the run again to this event and stops it there.
    pub fn stop(&mut self) {
        if self.finished {
            return;
        }
        let stop = Request::Stop { run: self.run };
        if self.waiting.is_some() {
            channel::end();
            self.replay();
            self.log.push((self.history.len(), stop.clone()));
            self.send(stop, Waiting::Stop);
        } else {
            self.log.push((self.history.len(), stop.clone()));
            self.send(stop, Waiting::Stop);
        }
    }

    /// RedriveExecution (the page only asks once the run has ended).
    pub fn redrive(&mut self) {
        if self.waiting.is_none() {
            let redrive = Request::Redrive { run: self.run };
            self.log.push((self.history.len(), redrive.clone()));
            self.send(redrive, Waiting::Redrive);
        }
    }

    /// Sends a new worker what brings it to this run's last event: the start, each logged
    /// stop and redrive at its event, then the events since.
    fn replay(&mut self) {
        let run = self.run;
        channel::send(&Request::Start {
            run,
            setup: Box::new((*self.setup).clone()),
        });
        self.replies_due = 0;
        for (events, request) in &self.log {
            channel::send(&Request::RunUntil {
                run,
                events: *events,
                budget_ms: None,
            });
            channel::send(request);
            self.replies_due += 2;
        }
        channel::send(&Request::RunUntil {
            run,
            events: self.history.len(),
            budget_ms: None,
        });
        self.replies_due += 1;
    }

    /// Takes in a reply: its new events and stages. Returns what it answered once the last
    /// reply due has come (`None` for a reply about another run, one of a replay's first, or
    /// what a long request has so far).
    pub fn take(&mut self, reply: Reply) -> Option<(Waiting, Option<String>)> {
        if reply.run != self.run || self.waiting.is_none() {
            return None;
        }
        let Reply {
            from,
            events,
            stages,
            status,
            finished,
            done,
            refused,
            ..
        } = reply;
        // A replay sends again the events the page has: only those after them are new.
        for (at, event) in (from..).zip(events) {
            if at == self.history.len() {
                self.history.push(event);
            }
        }
        for (id, packed) in stages {
            let entered = worker::entered_input(&self.history, id);
            let unpacked = protocol::unpack(packed, entered);
            self.stages.insert(id, unpacked);
        }
        self.status = status;
        self.finished = finished;
        if !done {
            return None;
        }
        self.replies_due = self.replies_due.saturating_sub(1);
        if self.replies_due > 0 && refused.is_none() {
            return None;
        }
        self.replies_due = 0;
        self.waiting.take().map(|w| (w, refused))
    }
}
