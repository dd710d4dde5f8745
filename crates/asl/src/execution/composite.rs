//! Parallel and Map states: they run other threads of states (branches, iterations) and
//! collect their outputs into an array.
//!
//! Branches and iterations run one state at a time, in turn, so their events interleave in
//! the history as AWS's concurrent ones do; the order is deterministic.

use super::flow::{self, evaluate_template};
use super::recovery::{self, Attempts};
use super::thread::{Active, Thread};
use super::{Engine, LimitReached, Stages};
use crate::dataflow::apply_path;
use crate::dataflow::Env;
use crate::error::{ErrorName, Failure};
use crate::history::{EventDetails, Payload};
use crate::item_reader::{ItemReader, ItemStream};
use crate::model::{Count, ItemBatcher, Map, Retrier, Shape, State, StateKind, StateMachine};
use crate::query::context::ExecutionContext;
use crate::task::{TaskHandler, TaskOutcome, TaskRequest};
use serde_json::{json, Value};
use std::collections::VecDeque;
use std::sync::Arc;

pub(crate) struct Composite {
    active: Active,
    stages: Stages,
    attempts: Attempts,
    retry: Vec<Retrier>,
    /// The variables the branches or iterations start with.
    variables: Arc<serde_json::Map<String, Value>>,
    kind: Kind,
}

enum Kind {
    Parallel {
        branches: Vec<Arc<StateMachine>>,
        input: Payload,
        threads: Vec<Thread>,
        cursor: usize,
    },
    Map(Box<MapRun>),
}

impl Kind {
    /// Enters the state (a first start, a retry, a redrive): the transition's time, then
    /// ParallelStateStarted or MapStateStarted; returns that event's id.
    fn start(&self, engine: &mut Engine, last: &mut u64) -> Result<u64, LimitReached> {
        engine.clock.advance(engine.timing().transition);
        let started = match self {
            Kind::Parallel { .. } => EventDetails::ParallelStateStarted,
            Kind::Map(run) => EventDetails::MapStateStarted {
                length: run.items.len(),
            },
        };
        engine.emit(last, started)
    }
}

struct MapRun {
    name: Arc<str>,
    variables: Arc<serde_json::Map<String, Value>>,
    processor: Arc<StateMachine>,
    distributed: bool,
    express_children: bool,
    result_writer: Option<Value>,
    items: Vec<Payload>,
    /// The first iteration not started yet.
    next: usize,
    current: Option<(usize, Thread)>,
    results: Vec<Value>,
    failed: usize,
    /// For each iteration, the id of its MapIterationSucceeded event (a child execution's,
    /// which has none, `u64::MAX`) once it succeeded; 0 until then.
    succeeded: Vec<u64>,
    /// The iterations (or child executions) that failed, as they ended: a redrive runs them
    /// again from their failed state.
    failed_threads: Vec<(usize, Thread)>,
    // Boxed as `child` is: a child moves between them without copying its engine.
    #[allow(clippy::vec_box)]
    failed_children: Vec<Box<Child>>,
    /// The latest iteration that succeeded, in case a stop dropped the events of its end.
    last_succeeded: Option<(usize, Thread)>,
    /// After a redrive: the iterations to run again, in index order, before those never
    /// started (`None`: from the beginning).
    again: VecDeque<(usize, Option<Thread>)>,
    again_children: VecDeque<Box<Child>>,
    /// How many times the map run was redriven (MapRunRedriven's `redriveCount`).
    redrives: u64,
    tolerated_count: Option<f64>,
    tolerated_percentage: Option<f64>,
    /// A problem AWS reports only once the Map has started (its tolerated-failure settings).
    failed_after_start: Option<Failure>,
    /// A Distributed Map with an ItemReader: what reading its items needs, until they are read
    /// (once its map run has started).
    pending: Option<Box<PendingRead>>,
    /// The map run's ARN, once MapRunStarted is in the history.
    map_run_arn: Option<String>,
    /// The child execution running now (a Distributed Map's iteration).
    child: Option<Box<Child>>,
}

/// What reading a Distributed Map's items from its ItemReader needs, and once read, the items.
struct PendingRead {
    reader: ItemReader,
    item_selector: Option<Shape>,
    batcher: Option<ItemBatcher>,
    effective: Payload,
    context: Env,
    active: Active,
    read: Option<ReadItems>,
}

/// The items an ItemReader read: made (through ItemSelector, in batches) as children start.
struct ReadItems {
    stream: ItemStream,
    /// ItemBatcher's items per batch and BatchInput.
    batching: Option<(usize, Option<Value>)>,
    /// The index of the next item (`$$.Map.Item.Index`).
    next_item: usize,
}

impl ReadItems {
    /// How many child executions run: one per item, or per batch.
    fn iterations(&self) -> usize {
        match &self.batching {
            Some((per_batch, _)) => self.stream.len().div_ceil(*per_batch),
            None => self.stream.len(),
        }
    }

    fn rewind(&mut self) {
        self.stream.rewind();
        self.next_item = 0;
    }
}

impl PendingRead {
    /// The next child execution's input.
    fn next_input(&mut self, engine: &Engine) -> Result<Value, Failure> {
        let read = self.read.as_mut().expect("the items are read");
        let take = read.batching.as_ref().map_or(1, |(n, _)| *n);
        let mut inputs = Vec::new();
        for item in read.stream.by_ref().take(take) {
            let index = read.next_item;
            read.next_item += 1;
            inputs.push(select_item(
                engine,
                &self.active,
                &self.item_selector,
                &self.effective,
                &self.context,
                index,
                item,
            )?);
        }
        Ok(match &read.batching {
            Some((_, batch_input)) => batch(inputs, batch_input),
            None => inputs.pop().unwrap_or(Value::Null),
        })
    }
}

/// One child execution of a map run: its own engine (and so its own history, dropped with it).
struct Child {
    index: usize,
    engine: Engine,
    thread: Thread,
}

impl Composite {
    /// Enters a Parallel or Map state: computes its input, appends its Started event, and
    /// prepares its branches or iterations. `Ok(Err(_))` when the input is unusable.
    pub fn start(
        engine: &mut Engine,
        last: &mut u64,
        active: Active,
        state: &State,
        context: &Env,
        mut stages: Stages,
    ) -> Result<Result<Composite, Failure>, LimitReached> {
        let (kind, retry) = match &state.kind {
            StateKind::Parallel(parallel) => {
                let input = match flow::enter(&state.io(), &active, context, &mut stages) {
                    Ok(input) => input,
                    Err(failure) => return Ok(Err(failure)),
                };
                let kind = Kind::Parallel {
                    branches: parallel.branches.clone(),
                    input,
                    threads: Vec::new(),
                    cursor: 0,
                };
                (kind, parallel.errors.retry.clone())
            }
            StateKind::Map(map) => match map_run(engine, &active, map, context, &mut stages) {
                Ok(run) => (Kind::Map(Box::new(run)), map.errors.retry.clone()),
                Err(failure) => return Ok(Err(failure)),
            },
            _ => unreachable!("only Parallel and Map states are composite"),
        };
        let mut composite = Composite {
            active,
            stages,
            attempts: Attempts::default(),
            retry,
            variables: context.variables.clone(),
            kind,
        };
        composite.begin(engine, last)?;
        if let Kind::Map(run) = &mut composite.kind {
            if let Some(failure) = run.failed_after_start.take() {
                return Ok(Err(failure));
            }
        }
        Ok(Ok(composite))
    }

    pub fn active(&self) -> &Active {
        &self.active
    }

    pub fn stages(&self) -> &Stages {
        &self.stages
    }

    /// The state's name.
    pub fn name(&self) -> &Arc<str> {
        &self.active.name
    }

    /// The input the state was entered with.
    pub fn input(&self) -> &Payload {
        &self.active.input
    }

    /// Whether a redrive resumes the state after `failure` rather than running it whole
    /// again: AWS reruns it whole after States.DataLimitExceeded, and starts a new map run
    /// when a Distributed Map's failed with States.Runtime.
    pub fn resumable_after(&self, failure: &Failure) -> bool {
        match failure.error {
            Some(ErrorName::DataLimitExceeded) => false,
            Some(ErrorName::Runtime) => !matches!(&self.kind, Kind::Map(run) if run.distributed),
            _ => true,
        }
    }

    /// Prepares a redrive of a state left unsuccessful: every branch or iteration that did
    /// not succeed is redriven (from its own failed state); those that succeeded keep their
    /// outputs. `kept`: see [`Thread::redrive`].
    pub fn redrive(&mut self, kept: u64) {
        match &mut self.kind {
            Kind::Parallel { threads, .. } => {
                for thread in threads {
                    // Its `last` is set once the state has started again.
                    thread.redrive(0, kept);
                }
            }
            Kind::Map(run) => run.redrive(kept),
        }
    }

    /// Enters the state again after a redrive, as `active`: appends its Started event (AWS
    /// documents no other; the events of the branches and iterations that run again follow
    /// it, as in a first run) and counts its retries afresh.
    pub fn resume(
        &mut self,
        engine: &mut Engine,
        last: &mut u64,
        active: Active,
    ) -> Result<(), LimitReached> {
        self.active = active;
        self.attempts = Attempts::default();
        let started = self.kind.start(engine, last)?;
        match &mut self.kind {
            Kind::Parallel {
                threads, cursor, ..
            } => {
                for thread in threads.iter_mut().filter(|t| t.ended().is_none()) {
                    thread.last = started;
                }
                *cursor = 0;
            }
            Kind::Map(run) => {
                run.failed = 0;
                if let (true, Some(arn)) = (run.distributed, run.map_run_arn.clone()) {
                    // The same map run goes on (AWS: MapRunRedriven, not a new
                    // MapRunStarted).
                    run.redrives += 1;
                    engine.emit(
                        last,
                        EventDetails::MapRunRedriven {
                            map_run_arn: arn,
                            redrive_count: run.redrives,
                        },
                    )?;
                }
            }
        }
        Ok(())
    }

    /// Appends the Started event and (re)creates the branches or iterations: also how a
    /// retry starts over.
    fn begin(&mut self, engine: &mut Engine, last: &mut u64) -> Result<(), LimitReached> {
        let started = self.kind.start(engine, last)?;
        let variables = &self.variables;
        match &mut self.kind {
            Kind::Parallel {
                branches,
                input,
                threads,
                cursor,
            } => {
                *threads = branches
                    .iter()
                    .map(|b| {
                        Thread::new(b.clone(), input.clone(), Some(started), variables.clone())
                    })
                    .collect();
                *cursor = 0;
            }
            Kind::Map(run) => {
                run.next = 0;
                run.current = None;
                run.failed = 0;
                run.results = run.empty_results();
                run.succeeded = vec![0; run.results.len()];
                run.failed_threads.clear();
                run.failed_children.clear();
                run.last_succeeded = None;
                run.again.clear();
                run.again_children.clear();
                run.map_run_arn = None;
                run.child = None;
            }
        }
        Ok(())
    }

    /// One step inside the state; `Some` with the results array (or the failure) when done.
    pub fn advance(
        &mut self,
        engine: &mut Engine,
        tasks: &mut dyn TaskHandler,
        last: &mut u64,
    ) -> Result<Option<Result<Value, Failure>>, LimitReached> {
        let outcome = match &mut self.kind {
            Kind::Parallel {
                threads, cursor, ..
            } => advance_parallel(engine, tasks, threads, cursor)?,
            Kind::Map(run) => run.advance(engine, tasks, last)?,
        };
        let Some(outcome) = outcome else {
            return Ok(None);
        };
        let failure = match outcome {
            Ok(results) => return Ok(Some(Ok(results))),
            Err(failure) => failure,
        };
        if let Some(delay) =
            recovery::retry_delay(&self.retry, &mut self.attempts, &failure, engine)
        {
            engine.clock.advance(delay);
            self.begin(engine, last)?;
            return Ok(None);
        }
        engine.clock.advance(engine.timing().transition);
        let (error, cause) = (
            failure.error_str().map(str::to_string),
            failure.cause.clone(),
        );
        let details = match self.kind {
            Kind::Parallel { .. } => EventDetails::ParallelStateFailed { error, cause },
            Kind::Map(_) => EventDetails::MapStateFailed { error, cause },
        };
        engine.emit(last, details)?;
        Ok(Some(Err(failure)))
    }
}

/// Advances the next unfinished branch; the Parallel fails as soon as one branch fails.
fn advance_parallel(
    engine: &mut Engine,
    tasks: &mut dyn TaskHandler,
    threads: &mut [Thread],
    cursor: &mut usize,
) -> Result<Option<Result<Value, Failure>>, LimitReached> {
    let n = threads.len();
    let Some(i) = (0..n)
        .map(|k| (*cursor + k) % n)
        .find(|&i| threads[i].ended().is_none())
    else {
        let outputs = threads.iter().map(|t| {
            t.ended()
                .and_then(Result::ok)
                .map_or(Value::Null, |o| (*o).clone())
        });
        return Ok(Some(Ok(Value::Array(outputs.collect()))));
    };
    threads[i].advance(engine, tasks)?;
    *cursor = (i + 1) % n;
    if let Some(Err(failure)) = threads[i].ended() {
        return Ok(Some(Err(failure)));
    }
    if threads.iter().all(|t| t.ended().is_some()) {
        let outputs = threads.iter().map(|t| {
            t.ended()
                .and_then(Result::ok)
                .map_or(Value::Null, |o| (*o).clone())
        });
        return Ok(Some(Ok(Value::Array(outputs.collect()))));
    }
    Ok(None)
}

impl MapRun {
    fn advance(
        &mut self,
        engine: &mut Engine,
        tasks: &mut dyn TaskHandler,
        last: &mut u64,
    ) -> Result<Option<Result<Value, Failure>>, LimitReached> {
        if self.distributed {
            return self.run_distributed(engine, tasks, last);
        }
        let Some((_, thread)) = &mut self.current else {
            let (index, redriven) = match self.again.pop_front() {
                Some(again) => again,
                None if self.next < self.items.len() => {
                    self.next += 1;
                    (self.next - 1, None)
                }
                None => {
                    engine.clock.advance(engine.timing().transition);
                    engine.emit(last, EventDetails::MapStateSucceeded)?;
                    // A copy: the results stay for a redrive, should the state fail after.
                    return Ok(Some(Ok(Value::Array(self.results.clone()))));
                }
            };
            engine.clock.advance(engine.timing().transition);
            // A redriven iteration starts again too (AWS documents no other event for it).
            let started = engine.emit(
                last,
                EventDetails::MapIterationStarted {
                    index,
                    name: self.name.clone(),
                },
            )?;
            let thread = match redriven {
                Some(mut thread) => {
                    thread.last = started;
                    thread
                }
                None => Thread::new(
                    self.processor.clone(),
                    self.items[index].clone(),
                    Some(started),
                    self.variables.clone(),
                ),
            };
            self.current = Some((index, thread));
            return Ok(None);
        };
        thread.advance(engine, tasks)?;
        let Some(ended) = thread.ended() else {
            return Ok(None);
        };
        *last = thread.last.max(*last);
        let (index, thread) = self.current.take().expect("an iteration runs");
        engine.clock.advance(engine.timing().transition);
        match ended {
            Ok(output) => {
                self.succeeded[index] = engine.emit(
                    last,
                    EventDetails::MapIterationSucceeded {
                        index,
                        name: self.name.clone(),
                    },
                )?;
                self.results[index] = (*output).clone();
                self.last_succeeded = Some((index, thread));
                Ok(None)
            }
            Err(failure) => {
                let details = EventDetails::MapIterationFailed {
                    index,
                    name: self.name.clone(),
                    error: failure.error_str().map(str::to_string),
                    cause: failure.cause.clone(),
                };
                engine.emit(last, details)?;
                self.failed += 1;
                self.results[index] = recovery::error_output(&failure);
                self.failed_threads.push((index, thread));
                Ok(self.beyond_tolerance(failure).map(Err))
            }
        }
    }

    /// Prepares a redrive (see [`Composite::redrive`]): the iterations started that did not
    /// succeed run again first, in index order, each from its own failed state; then those
    /// never started.
    fn redrive(&mut self, kept: u64) {
        if self.distributed {
            return self.redrive_children();
        }
        let mut left: Vec<(usize, Thread)> = std::mem::take(&mut self.failed_threads);
        left.extend(self.current.take());
        if let Some((index, thread)) = self.last_succeeded.take() {
            // A stop dropped the events of its end: it did not succeed yet.
            if self.succeeded[index] > kept {
                left.push((index, thread));
            }
        }
        for succeeded in &mut self.succeeded {
            if *succeeded > kept {
                *succeeded = 0;
            }
        }
        let mut again: Vec<(usize, Option<Thread>)> = (0..self.next)
            .filter(|&i| self.succeeded[i] == 0)
            .map(|i| {
                let thread = left
                    .iter()
                    .position(|(index, _)| *index == i)
                    .map(|at| left.swap_remove(at).1);
                (i, thread)
            })
            .collect();
        for (index, thread) in &mut again {
            if let Some(t) = thread {
                if !t.redrive(0, kept) {
                    // Succeeded after all (its end was kept): nothing to run.
                    self.succeeded[*index] = u64::MAX;
                }
            }
        }
        again.retain(|(index, _)| self.succeeded[*index] == 0);
        self.again = again.into();
    }

    /// The Map's failure when one more failed item is more than it tolerates.
    fn beyond_tolerance(&self, failure: Failure) -> Option<Failure> {
        if self.tolerated_count.is_none() && self.tolerated_percentage.is_none() {
            return Some(failure);
        }
        let over_count = self.tolerated_count.is_some_and(|c| self.failed as f64 > c);
        let percentage = 100.0 * self.failed as f64 / self.iterations().max(1) as f64;
        let over_percentage = self.tolerated_percentage.is_some_and(|p| percentage > p);
        let within = match (self.tolerated_count, self.tolerated_percentage) {
            (Some(_), Some(_)) => !over_count || !over_percentage,
            _ => !over_count && !over_percentage,
        };
        (!within).then(|| {
            Failure::new(
                ErrorName::ExceedToleratedFailureThreshold,
                "The specified tolerated failure threshold was exceeded",
            )
        })
    }

    /// The results array to fill: none is kept when a ResultWriter writes them (to S3, on AWS).
    fn empty_results(&self) -> Vec<Value> {
        if self.distributed && self.result_writer.is_some() {
            Vec::new()
        } else {
            vec![Value::Null; self.iterations()]
        }
    }

    /// How many iterations (child executions, for a Distributed Map) the Map runs.
    fn iterations(&self) -> usize {
        match self.pending.as_ref().and_then(|p| p.read.as_ref()) {
            Some(read) => read.iterations(),
            None => self.items.len(),
        }
    }

    /// A Distributed Map's iterations run as child executions, one state of one child per
    /// call: only the map run's start and end appear in this history, and a child's own events
    /// live only as long as it runs (what stays is the count of failures and the results).
    fn run_distributed(
        &mut self,
        engine: &mut Engine,
        tasks: &mut dyn TaskHandler,
        last: &mut u64,
    ) -> Result<Option<Result<Value, Failure>>, LimitReached> {
        let Some(arn) = self.map_run_arn.clone() else {
            engine.clock.advance(engine.timing().transition);
            let arn = format!(
                "arn:aws:states:{}:{}:mapRun:{}/{}:{}",
                engine.config.region,
                engine.config.account,
                engine.config.state_machine_name,
                self.name,
                engine.config.name
            );
            engine.emit(
                last,
                EventDetails::MapRunStarted {
                    map_run_arn: arn.clone(),
                },
            )?;
            self.map_run_arn = Some(arn);
            // A retried Map runs its items again, from the first (the object is read once).
            if let Some(read) = self.pending.as_mut().and_then(|p| p.read.as_mut()) {
                read.rewind();
            }
            return Ok(None);
        };
        if let Some(pending) = self.pending.as_mut().filter(|p| p.read.is_none()) {
            match read_items(engine, tasks, pending) {
                Ok(read) => {
                    pending.read = Some(read);
                    self.results = self.empty_results();
                }
                Err(failure) => return self.map_run_failed(engine, last, failure),
            }
            return Ok(None);
        }
        if self.child.is_none() {
            if let Some(mut child) = self.again_children.pop_front() {
                // Redriven: it runs on the parent's clock from now.
                child.engine.clock = engine.clock.clone();
                child.engine.deadline = engine.deadline;
                child.engine.timed_out = false;
                if let Some((count, _)) = child.engine.execution_context.redrive {
                    child.engine.execution_context = Arc::new(ExecutionContext {
                        redrive: Some((count, engine.clock.now())),
                        ..(*child.engine.execution_context).clone()
                    });
                }
                self.child = Some(child);
            }
        }
        if self.child.is_none() {
            if self.next == self.iterations() {
                engine.clock.advance(engine.timing().transition);
                engine.emit(last, EventDetails::MapRunSucceeded)?;
                engine.emit(last, EventDetails::MapStateSucceeded)?;
                return Ok(Some(Ok(self.output(&arn))));
            }
            let index = self.next;
            self.next += 1;
            let input = match &mut self.pending {
                Some(pending) => pending.next_input(engine).map(Arc::new),
                None => Ok(self.items[index].clone()),
            };
            let input = match input {
                Ok(input) => input,
                Err(failure) => return self.map_run_failed(engine, last, failure),
            };
            let engine = Engine {
                config: engine.config.clone(),
                input: input.clone(),
                execution_context: Arc::new(ExecutionContext {
                    input: input.clone(),
                    // A child execution is a run of its own, never redriven.
                    redrive: None,
                    ..(*engine.execution_context).clone()
                }),
                clock: engine.clock.clone(),
                rng: rand_pcg::Pcg64Mcg::new(engine.random().to_bits() as u128 | 1),
                history: Vec::new(),
                stages: Default::default(),
                deadline: engine.deadline,
                timed_out: false,
            };
            let thread = Thread::new(
                self.processor.clone(),
                input,
                Some(1),
                self.variables.clone(),
            );
            self.child = Some(Box::new(Child {
                index,
                engine,
                thread,
            }));
        }
        let child = self.child.as_mut().expect("a child runs");
        child.thread.advance(&mut child.engine, tasks)?;
        let Some(ended) = child.thread.ended() else {
            return Ok(None);
        };
        let index = child.index;
        let child = self.child.take().expect("a child runs");
        match ended {
            Ok(output) => {
                if let Some(slot) = self.results.get_mut(index) {
                    *slot = Arc::try_unwrap(output).unwrap_or_else(|shared| (*shared).clone());
                }
            }
            Err(failure) => {
                self.failed += 1;
                if let Some(slot) = self.results.get_mut(index) {
                    *slot = recovery::error_output(&failure);
                }
                self.failed_children.push(child);
                if let Some(failure) = self.beyond_tolerance(failure) {
                    return self.map_run_failed(engine, last, failure);
                }
            }
        }
        Ok(None)
    }

    /// Prepares a redrive of the map run: its child executions that failed (or were running
    /// when the run stopped) run again, in index order, before those never started; the
    /// others keep their results. Standard children are redriven from their failed state
    /// (their own `$$.Execution.RedriveCount` counting it); Express ones start again from
    /// their first state, as AWS documents.
    fn redrive_children(&mut self) {
        let mut again: Vec<Box<Child>> = std::mem::take(&mut self.failed_children);
        again.extend(self.child.take());
        again.sort_by_key(|child| child.index);
        for child in &mut again {
            if self.express_children {
                let input = child.engine.input.clone();
                child.engine.history.clear();
                child.engine.stages.clear();
                child.thread = Thread::new(
                    self.processor.clone(),
                    input,
                    Some(1),
                    self.variables.clone(),
                );
            } else {
                let last = child.engine.history.last().map_or(1, |e| e.id);
                child.thread.redrive(last, u64::MAX);
                let count = child.engine.execution_context.redrive.map_or(0, |(n, _)| n);
                child.engine.execution_context = Arc::new(ExecutionContext {
                    redrive: Some((count + 1, child.engine.clock.now())),
                    ..(*child.engine.execution_context).clone()
                });
            }
        }
        self.again_children = again.into();
    }

    fn map_run_failed(
        &mut self,
        engine: &mut Engine,
        last: &mut u64,
        failure: Failure,
    ) -> Result<Option<Result<Value, Failure>>, LimitReached> {
        let (error, cause) = (
            failure.error_str().map(str::to_string),
            failure.cause.clone(),
        );
        engine.emit(last, EventDetails::MapRunFailed { error, cause })?;
        Ok(Some(Err(failure)))
    }

    /// The Distributed Map's result: the results array, or where a ResultWriter wrote it.
    fn output(&mut self, arn: &str) -> Value {
        // A copy: the results stay for a redrive, should the state fail after.
        let results = Value::Array(self.results.clone());
        match &self.result_writer {
            // AWS writes the results to S3 and returns where; the playground says the same.
            Some(writer) => {
                let bucket = writer
                    .pointer("/Parameters/Bucket")
                    .cloned()
                    .unwrap_or(Value::Null);
                let prefix = writer
                    .pointer("/Parameters/Prefix")
                    .and_then(Value::as_str)
                    .unwrap_or("");
                let run_id = arn.rsplit(':').next().unwrap_or_default();
                json!({
                    "MapRunArn": arn,
                    "ResultWriterDetails": { "Bucket": bucket, "Key": format!("{prefix}/{run_id}/manifest.json") }
                })
            }
            None => results,
        }
    }
}

/// Reads a Distributed Map's items: asks the task handler for the reader's resource (an S3
/// object's content, mocked by the Map state's name), parses it as AWS does
/// ([`crate::item_reader`]), then applies ItemSelector and ItemBatcher.
fn read_items(
    engine: &mut Engine,
    tasks: &mut dyn TaskHandler,
    pending: &PendingRead,
) -> Result<ReadItems, Failure> {
    let PendingRead {
        reader,
        effective,
        context,
        active,
        ..
    } = pending;
    let parameters = match (&reader.parameters, &reader.arguments) {
        (Some(template), _) => evaluate_template(template, effective, context, active)?,
        (None, Some(arguments)) => {
            let scope = flow::jsonata_scope(active, context, None, None);
            flow::evaluate_jsonata(arguments, "Arguments", &scope, active)?
        }
        (None, None) => json!({}),
    };
    let max_items = count(
        &reader.config.max_items,
        "MaxItems",
        effective,
        context,
        true,
        active,
    )?
    .map(|n| n.max(0.0) as u64);
    let mut random = || engine.random();
    let outcome = tasks.invoke(TaskRequest {
        resource: &reader.resource,
        input: &parameters,
        state_name: &active.name,
        random: &mut random,
    });
    let content = match outcome {
        TaskOutcome::Succeeded(content) => content,
        TaskOutcome::Failed { error, cause } => {
            return Err(Failure {
                error: Some(ErrorName::parse(&error)),
                cause: Some(cause),
            })
        }
        TaskOutcome::NotFound => {
            return Err(Failure::new(
                ErrorName::ItemReaderFailed,
                format!(
                    "The ItemReader of the Map state '{name}' reads {location} ({resource}), which this playground cannot fetch: mock it. In the MockConfigFile, map the state '{name}' to a mocked response whose Return is the object's content (a string for CSV or JSONL, the JSON itself for JSON).",
                    name = active.name,
                    location = crate::item_reader::location(&parameters),
                    resource = reader.resource,
                ),
            ))
        }
    };
    let stream = ItemStream::open(reader, content, max_items)
        .map_err(|cause| Failure::new(ErrorName::ItemReaderFailed, cause))?;
    Ok(ReadItems {
        stream,
        batching: batching(active, &pending.batcher, effective, context)?,
        next_item: 0,
    })
}

/// The Map's items, each already passed through ItemSelector (and batched), and its limits.
fn map_run(
    engine: &Engine,
    active: &Active,
    map: &Map,
    context: &Env,
    stages: &mut Stages,
) -> Result<MapRun, Failure> {
    let runtime = |detail: String| active.failure(ErrorName::Runtime, &detail);
    let effective = apply_path(&map.data.input_path, &active.input, context).map_err(runtime)?;
    stages.after_input_path = Some(effective.clone());
    let items = match map_items(map, active, &effective, context)? {
        // A Distributed Map's ItemReader reads the items once its map run has started.
        _ if map.item_reader.is_some() => Vec::new(),
        items => items,
    };
    let _max_concurrency = count(
        &map.max_concurrency,
        "MaxConcurrency",
        &effective,
        context,
        true,
        active,
    )?;
    // AWS checks the tolerated-failure settings only after MapStateStarted.
    let tolerance = || -> Result<(Option<f64>, Option<f64>), Failure> {
        let tolerated = count(
            &map.tolerated_failure_count,
            "ToleratedFailureCount",
            &effective,
            context,
            true,
            active,
        )?;
        if tolerated.is_some_and(|c| c < 0.0) {
            return Err(runtime("ToleratedFailureCount cannot be negative.".into()));
        }
        let percentage = count(
            &map.tolerated_failure_percentage,
            "ToleratedFailurePercentage",
            &effective,
            context,
            false,
            active,
        )?;
        if percentage.is_some_and(|p| !(0.0..=100.0).contains(&p)) {
            return Err(runtime(
                "ToleratedFailurePercentage must be between 0 and 100.".into(),
            ));
        }
        Ok((tolerated, percentage))
    };
    let (tolerated_count, tolerated_percentage, failed_after_start) = match tolerance() {
        Ok((c, p)) => (c, p, None),
        Err(failure) => (None, None, Some(failure)),
    };
    let pending = map.item_reader.as_ref().map(|reader| {
        Box::new(PendingRead {
            reader: reader.clone(),
            item_selector: map.item_selector.clone(),
            batcher: map.batcher.clone(),
            effective: effective.clone(),
            context: context.clone(),
            active: active.clone(),
            read: None,
        })
    });
    let inputs = select_and_batch(
        engine,
        active,
        &map.item_selector,
        &map.batcher,
        &effective,
        context,
        items,
    )?;
    Ok(MapRun {
        name: active.name.clone(),
        variables: context.variables.clone(),
        processor: map.processor.clone(),
        distributed: map.distributed,
        express_children: map.express_children,
        result_writer: map.result_writer.clone(),
        succeeded: vec![0; inputs.len()],
        failed_threads: Vec::new(),
        failed_children: Vec::new(),
        last_succeeded: None,
        again: VecDeque::new(),
        again_children: VecDeque::new(),
        redrives: 0,
        results: vec![Value::Null; inputs.len()],
        items: inputs.into_iter().map(Arc::new).collect(),
        next: 0,
        current: None,
        failed: 0,
        tolerated_count,
        tolerated_percentage,
        failed_after_start,
        pending,
        map_run_arn: None,
        child: None,
    })
}

/// The array a Map iterates: its JSONata `Items` (by default its input), or the node its
/// `ItemsPath` names.
fn map_items(
    map: &Map,
    active: &Active,
    effective: &Payload,
    context: &Env,
) -> Result<Vec<Value>, Failure> {
    if active_is_jsonata(map) {
        let items = match &map.items {
            Some(items) => {
                let scope = flow::jsonata_scope(active, context, None, None);
                flow::evaluate_jsonata(items, "Items", &scope, active)?
            }
            None => (**effective).clone(),
        };
        return match items {
            Value::Array(items) => Ok(items),
            _ if map.item_reader.is_some() => Ok(Vec::new()),
            other => Err(active.failure(
                ErrorName::QueryEvaluationError,
                &format!("Map state input must be an array but was: {other}"),
            )),
        };
    }
    match context.select(&map.items_path, effective).as_deref() {
        _ if map.item_reader.is_some() => Ok(Vec::new()),
        Some(Value::Array(items)) => Ok(items.clone()),
        Some(_) | None => Err(active.failure(
            ErrorName::Runtime,
            &format!("Reference path \"{}\" must point to array.", map.items_path),
        )),
    }
}

/// Whether a Map state is written in JSONata (its Items, or no ItemsPath of its own).
fn active_is_jsonata(map: &Map) -> bool {
    map.jsonata
}

/// The iterations' inputs: each item through ItemSelector, then grouped by ItemBatcher.
fn select_and_batch(
    engine: &Engine,
    active: &Active,
    item_selector: &Option<Shape>,
    batcher: &Option<ItemBatcher>,
    effective: &Value,
    context: &Env,
    items: Vec<Value>,
) -> Result<Vec<Value>, Failure> {
    let mut inputs = Vec::with_capacity(items.len());
    for (index, item) in items.into_iter().enumerate() {
        inputs.push(select_item(
            engine,
            active,
            item_selector,
            effective,
            context,
            index,
            item,
        )?);
    }
    if let Some((per_batch, batch_input)) = batching(active, batcher, effective, context)? {
        let mut items = inputs.into_iter().peekable();
        let mut batches = Vec::new();
        while items.peek().is_some() {
            let chunk: Vec<Value> = items.by_ref().take(per_batch).collect();
            batches.push(batch(chunk, &batch_input));
        }
        inputs = batches;
    }
    Ok(inputs)
}

/// One item through ItemSelector (`$$.Map.Item` is the item and its index).
fn select_item(
    engine: &Engine,
    active: &Active,
    item_selector: &Option<Shape>,
    effective: &Value,
    context: &Env,
    index: usize,
    item: Value,
) -> Result<Value, Failure> {
    Ok(match item_selector {
        Some(shape) => {
            // `$$.Map.Item` is this item: a context object of its own (the execution input
            // is not copied into it).
            let item_env = engine.env(active, &context.variables, Some((index, item)));
            let scope = flow::jsonata_scope(active, &item_env, None, None);
            flow::evaluate_shape(shape, "ItemSelector", effective, &item_env, &scope, active)?
        }
        None => item,
    })
}

/// ItemBatcher's items per batch and BatchInput, when the Map batches its items.
fn batching(
    active: &Active,
    batcher: &Option<ItemBatcher>,
    effective: &Value,
    context: &Env,
) -> Result<Option<(usize, Option<Value>)>, Failure> {
    let Some(batcher) = batcher else {
        return Ok(None);
    };
    let per_batch = count(
        &batcher.max_items_per_batch,
        "MaxItemsPerBatch",
        effective,
        context,
        true,
        active,
    )?
    .map_or(usize::MAX, |n| n.max(1.0) as usize);
    let batch_input = match &batcher.batch_input {
        Some(template) => Some(evaluate_template(template, effective, context, active)?),
        None => None,
    };
    Ok(Some((per_batch, batch_input)))
}

/// A batch's input: `{"Items": [...], "BatchInput": ...}`.
fn batch(chunk: Vec<Value>, batch_input: &Option<Value>) -> Value {
    let mut batch = json!({ "Items": chunk });
    if let Some(b) = batch_input {
        batch["BatchInput"] = b.clone();
    }
    batch
}

/// A number given directly or by a `…Path` field, with AWS's wording when the path's value is
/// not one.
fn count(
    count: &Option<Count>,
    field: &str,
    data: &Value,
    context: &Env,
    integer: bool,
    active: &Active,
) -> Result<Option<f64>, Failure> {
    match count {
        None => Ok(None),
        Some(Count::Fixed(n)) => Ok(Some(*n)),
        Some(Count::Jsonata(template)) => {
            let scope = flow::jsonata_scope(active, context, None, None);
            let value = flow::evaluate_jsonata(template, field, &scope, active)?;
            let number = if integer {
                value.as_i64().map(|n| n as f64)
            } else {
                value.as_f64()
            };
            number.map(Some).ok_or_else(|| {
                active.failure(
                    ErrorName::QueryEvaluationError,
                    &format!(
                        "The JSONata expression '{}' specified for the field '{field}' returned an unexpected result type. Expected '{}', but was '{}' for value: {value}",
                        template.text(),
                        if integer { "integer" } else { "number" },
                        flow::json_type(&value)
                    ),
                )
            })
        }
        Some(Count::Path(path)) => {
            let selected = context.select(path, data);
            let value = selected.as_deref();
            let number = value.and_then(|v| {
                if integer {
                    v.as_i64().map(|n| n as f64)
                } else {
                    v.as_f64()
                }
            });
            number.map(Some).ok_or_else(|| {
                let shown = match value {
                    Some(Value::String(s)) => s.clone(),
                    Some(other) => other.to_string(),
                    None => "null".to_string(),
                };
                let kind = if integer { "integer" } else { "float" };
                active.failure(ErrorName::Runtime, &format!("The {field}Path field refers to value \"{shown}\" which is not a valid {kind}: {path}"))
            })
        }
    }
}
