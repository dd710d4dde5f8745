//! The playground's state and every action a person can take on it.
//!
//! One `Reducible` value holds what the person typed (definition, input, seed, outcome), the
//! run, and a cursor into the run's recorded events. Everything shown is derived from the
//! events before the cursor, so stepping back is only moving the cursor.

use crate::imported::{self, Template};
use crate::runner::channel::Heard;
use crate::runner::protocol::{Setup, Tasks};
use crate::runner::{Engine, Here, Remote, Waiting};
use crate::share::Snapshot;
use crate::view::Derived;
use asl::history::HistoryEvent;
use asl::{load, Diagnostic, StateMachine, Status, TaskHandler};
use callcenter::WorkOnCase;
use serde_json::Value;
use std::cell::{Ref, RefCell};
use std::rc::Rc;
use std::sync::Arc;
use yew::Reducible;

/// How long one turn of "Run to end" runs the engine before the page gets a turn (renders,
/// answers Pause and Stop), in milliseconds: as long as the page took to show the previous
/// turn (render, layout, paint), so that showing progress takes at most half the time, but
/// within these bounds, so that Pause and Stop are answered within a few tens of ms.
pub const SLICE_MS: (f64, f64) = (25.0, 60.0);
/// How many events the engine records between two looks at the clock.
const CHUNK: usize = 32;

/// A run in progress or finished: its engine (in the worker or here), and what the page shows
/// of the events before the cursor.
pub struct Run {
    pub engine: Engine,
    /// Kept up to date with the cursor by every action (see [`Playground::derived`]).
    pub derived: Derived,
}

#[derive(Clone)]
pub struct Playground {
    /// The example the definition came from (its mocks answer tasks).
    pub example: &'static examples::Example,
    pub definition: String,
    /// The definition's JSON when the text is YAML (see [`Playground::definition_json`]).
    pub yaml_json: Option<Rc<str>>,
    /// The template the definition was just imported from: the editor's note and its Undo.
    pub template: Option<Rc<Template>>,
    /// A template whose import was undone, kept as pasted until it is imported or edited.
    pub kept: Option<Rc<Template>>,
    /// The last definition that loaded; the graph keeps showing it while the text is invalid.
    pub machine: Arc<StateMachine>,
    pub diagnostics: Rc<Vec<Diagnostic>>,
    pub input: String,
    /// The MockConfigFile the person edits ("" for none): its test case `mock_case` answers
    /// the Task states it mocks, the tutorial's functions the others.
    pub mocks: String,
    pub mock_case: Option<crate::mocks::TestCase>,
    pub seed: u64,
    pub work_on_case: WorkOnCase,
    /// Shared, not cloned: a run can hold thousands of events. `revision` changes whenever
    /// anything does, so the page re-renders.
    pub run: Option<Rc<RefCell<Run>>>,
    /// How many of the run's events are shown: Step back and forward move it.
    pub cursor: usize,
    /// "Run to end" is in progress, a slice at a time (or a shared link's run is replayed).
    pub running: bool,
    /// A shared link's run being replayed to the step it was shown at.
    replay: Option<Replay>,
    /// When the last slice of "Run to end" ended ([`now_ms`]): the next turn starts once the
    /// page has shown it.
    slice_ended: f64,
    pub revision: u64,
    pub selected: Option<String>,
    /// The Map iterations picked to be shown (by Map name): their states show that
    /// iteration's run. What is shown of it still comes from the events before the cursor.
    pub picks: crate::view::Picks,
    /// Why the last action could not be done (an invalid input or definition).
    pub problem: Option<String>,
    /// The workshop panel's open step (`None`: the panel is closed).
    pub workshop_step: Option<usize>,
    /// Set once saved work or a link has been read: only then is work saved, so the default
    /// page never overwrites what was saved.
    pub loaded: bool,
    /// Something about a share link the person must know or decide.
    pub notice: Option<Notice>,
}

/// Where a shared link's run stops being replayed (see [`Snapshot::step`]).
#[derive(Clone, Debug)]
struct Replay {
    /// How many events to record.
    events: usize,
    /// Then stop the run (it had been stopped: ExecutionAborted is the last event shown).
    stop: bool,
    /// The state the link had selected (following the run selects others on the way).
    selected: Option<String>,
}

/// What the page tells the person about a share link.
#[derive(Clone, PartialEq)]
pub enum Notice {
    /// The link could not be read; the saved work is shown instead.
    BrokenLink(String),
    /// A link differs from the saved work: open it, or keep the work.
    SharedLink(Snapshot),
    /// A `#workshop=` link names no step (the text after `=`, as it was).
    NoSuchWorkshopStep(String),
}

impl PartialEq for Playground {
    fn eq(&self, other: &Self) -> bool {
        self.revision == other.revision
    }
}

pub enum Action {
    EditDefinition(String),
    /// Import another of the template's state machines (by logical ID).
    PickStateMachine(String),
    /// Put the template back as pasted.
    UndoImport,
    /// Import the kept template again.
    ImportAgain,
    EditInput(String),
    /// The MockConfigFile's new text.
    EditMocks(String),
    /// Runs are answered by this test case of the mocks.
    PickMockCase(crate::mocks::TestCase),
    /// Mock this Task state (in the chosen test case): its first invocation returns `{}`,
    /// or the result it had in the run shown.
    MockState(String),
    SetCaseId(String),
    SetSeed(u64),
    SetWorkOnCase(WorkOnCase),
    LoadExample(&'static str),
    Start,
    StepForward,
    StepBack,
    RunToEnd,
    /// One slice of "Run to end" (dispatched by a timer, so the page stays responsive).
    Tick,
    Pause,
    /// Abort the execution, as StopExecution does.
    Stop,
    /// The run worker answered (or failed): what it said since the page last heard it.
    Heard(Vec<Heard>),
    /// Continue the failed, timed-out or stopped run, as RedriveExecution does.
    Redrive,
    Reset,
    Select(String),
    /// Show one iteration of a Map (by its index), or its latest again (`None`).
    PickIteration(String, Option<usize>),
    /// Open the workshop panel at a step, or close it (`None`).
    Workshop(Option<usize>),
    /// The page has read its saved work and its link: show this (and maybe a notice), with
    /// the workshop open at the step a `#workshop=N` link names.
    Loaded(Box<Option<Snapshot>>, Option<Notice>, Option<usize>),
    /// Show the work another tab saved (the person chose it).
    LoadSaved(Box<Snapshot>),
    /// Tell the person something (a link that names no workshop step).
    Notify(Notice),
    /// Open the shared link the notice offered (the saved work is kept as the previous one).
    OpenSharedLink,
    DismissNotice,
}

impl Default for Playground {
    fn default() -> Self {
        let example = &examples::ALL[0];
        let machine = load(example.definition).expect("the tutorial's definition is valid");
        Playground {
            example,
            definition: example.definition.to_string(),
            yaml_json: None,
            template: None,
            kept: None,
            machine: Arc::new(machine),
            diagnostics: Rc::new(Vec::new()),
            input: example.input.to_string(),
            mocks: String::new(),
            mock_case: None,
            seed: 1,
            work_on_case: WorkOnCase::Random,
            run: None,
            cursor: 0,
            running: false,
            replay: None,
            slice_ended: 0.0,
            revision: 0,
            selected: None,
            picks: Default::default(),
            problem: None,
            workshop_step: None,
            loaded: false,
            notice: None,
        }
    }
}

impl Playground {
    /// What a share link or the saved work keeps of the page.
    pub fn snapshot(&self) -> Snapshot {
        let unchanged = self.definition == self.example.definition;
        Snapshot {
            example: Some(self.example.name.to_string()),
            definition: (!unchanged).then(|| self.definition.clone()),
            input: Some(self.input.clone()),
            mocks: (self.mocks != self.example.mocks.as_ref().map_or("", |m| m.config))
                .then(|| self.mocks.clone()),
            mock_case: self.mock_case.as_ref().map(|c| c.label()),
            seed: Some(self.seed),
            work_on_case: Some(
                match self.work_on_case {
                    WorkOnCase::Random => "random",
                    WorkOnCase::Resolved => "resolved",
                    WorkOnCase::Unresolved => "unresolved",
                }
                .into(),
            ),
            selected: self.selected.clone(),
            workshop: self.workshop_step,
            step: (self.run.is_some() && self.cursor > 0).then_some(self.cursor),
            stopped: self
                .events()
                .and_then(|events| {
                    events
                        .last()
                        .map(|e| matches!(e.details, asl::EventDetails::ExecutionAborted { .. }))
                })
                .filter(|&aborted| aborted),
        }
    }

    /// What is saved of the page in this browser: the snapshot without the open workshop step
    /// and the run's position, which travel in share links only (a reload starts with the
    /// panel closed, keeping its own progress, and no run).
    pub fn work(&self) -> Snapshot {
        Snapshot {
            workshop: None,
            step: None,
            stopped: None,
            ..self.snapshot()
        }
    }

    /// Shows a snapshot: what is missing from it keeps its default.
    fn restore(&mut self, snapshot: &Snapshot) {
        let fresh = Playground::default();
        let example = snapshot
            .example
            .as_deref()
            .and_then(examples::find)
            .unwrap_or(fresh.example);
        self.load_example(example.name);
        if let Some(definition) = &snapshot.definition {
            self.set_definition(definition.clone(), None);
        }
        if let Some(input) = &snapshot.input {
            self.input = input.clone();
        }
        if let Some(mocks) = &snapshot.mocks {
            self.mocks = mocks.clone();
        }
        let chosen = snapshot
            .mock_case
            .as_deref()
            .and_then(crate::mocks::TestCase::from_label);
        self.mock_case =
            crate::mocks::keep_or_first(&self.mocks, chosen.as_ref().or(self.mock_case.as_ref()));
        self.seed = snapshot.seed.unwrap_or(fresh.seed);
        self.work_on_case = match snapshot.work_on_case.as_deref() {
            Some("resolved") => WorkOnCase::Resolved,
            Some("unresolved") => WorkOnCase::Unresolved,
            _ => WorkOnCase::Random,
        };
        self.selected = snapshot.selected.clone();
        // A link may name a step that does not exist (tampered, or from a longer workshop).
        self.workshop_step = snapshot
            .workshop
            .filter(|n| (1..=crate::components::workshop::STEPS.len()).contains(n));
        // The run the link showed: the same execution, replayed in slices (as Run to end
        // goes) up to the same event. A run that cannot start says why (`problem`).
        if let Some(step) = snapshot.step.filter(|&n| n > 0) {
            if self.start() {
                let stop = snapshot.stopped == Some(true);
                self.replay = Some(Replay {
                    events: if stop { step - 1 } else { step },
                    stop,
                    selected: snapshot.selected.clone(),
                });
                self.running = true;
                self.slice_ended = 0.0;
            }
        }
    }

    /// The replay of a shared link's run is over: stop it there if it was stopped, and show
    /// the state the link selected.
    fn finish_replay(&mut self, replay: Replay) {
        self.running = false;
        if replay.stop {
            self.stop();
        }
        self.follow();
        if replay.selected.is_some() {
            self.selected = replay.selected;
        }
    }

    /// The person took over (stepped, ran, stopped …): a replay in progress ends where it is.
    fn end_replay(&mut self) {
        if self.replay.take().is_some() {
            self.running = false;
        }
    }

    /// Reads the editor's text (a JSON or YAML definition, or a template whose state machine
    /// `pick` is imported) and loads its definition.
    fn set_definition(&mut self, text: String, pick: Option<&str>) {
        let read = imported::read(text, pick);
        self.definition = read.definition;
        self.yaml_json = read.json.map(Rc::from);
        self.template = read.template.map(Rc::new);
        self.kept = None;
        match read.loaded {
            Ok(machine) => {
                self.machine = Arc::new(machine);
                self.diagnostics = Rc::new(Vec::new());
            }
            Err(problems) => self.diagnostics = Rc::new(problems),
        }
    }

    /// The result the Task state `name` got in its latest visit before the cursor (what a
    /// mock of it returns by default).
    fn task_result(&self, name: &str) -> Option<Value> {
        let entered = self.derived()?.visits.latest(name)?.details.entered_event?;
        let run = self.run.as_ref()?.borrow();
        let stages = run.engine.stages(entered)?;
        stages
            .get(asl::dataflow::Stage::Result)
            .map(|p| (**p).clone())
    }

    /// The definition as JSON (the editor's text may be YAML): what Export deploys.
    pub fn definition_json(&self) -> &str {
        self.yaml_json.as_deref().unwrap_or(&self.definition)
    }

    /// The `inputCaseID` the input holds, if it is a JSON object with one.
    pub fn case_id(&self) -> Option<String> {
        let input: Value = serde_json::from_str(&self.input).ok()?;
        match input.get("inputCaseID")? {
            Value::String(s) => Some(s.clone()),
            other => Some(other.to_string()),
        }
    }

    /// The events before the cursor: what the page shows.
    pub fn events(&self) -> Option<Ref<'_, [HistoryEvent]>> {
        let run = self.run.as_ref()?;
        let cursor = self.cursor;
        Some(Ref::map(run.borrow(), |r| {
            let all = r.engine.history();
            &all[..cursor.min(all.len())]
        }))
    }

    /// What the page shows of the events before the cursor (visits, arrows, Map progress,
    /// variables), brought up to this cursor: the run is shared by every revision of the
    /// page's state, so whatever revision asks gets what its own cursor shows.
    pub fn derived(&self) -> Option<Ref<'_, Derived>> {
        let run = self.run.as_ref()?;
        if run.borrow().derived.seen() != self.shown() {
            self.sync();
        }
        Some(Ref::map(run.borrow(), |r| &r.derived))
    }

    /// How many of the run's events the cursor shows.
    fn shown(&self) -> usize {
        self.cursor.min(self.recorded())
    }

    /// Brings [`Self::derived`] up to the cursor (only the new events, when it moved forward).
    fn sync(&self) {
        if let Some(run) = &self.run {
            // Not while a caller still reads the run (it then reads what it already had).
            if let Ok(mut run) = run.try_borrow_mut() {
                let Run { engine, derived } = &mut *run;
                let all = engine.history();
                derived.update(&all[..self.cursor.min(all.len())]);
            }
        }
    }

    /// How many events the run has recorded (the cursor may be behind).
    pub fn recorded(&self) -> usize {
        self.run
            .as_ref()
            .map_or(0, |r| r.borrow().engine.history().len())
    }

    /// Whether Step forward can show another event.
    pub fn can_step(&self) -> bool {
        match &self.run {
            None => true,
            Some(run) => self.cursor < self.recorded() || !run.borrow().engine.is_finished(),
        }
    }

    pub fn can_step_back(&self) -> bool {
        self.cursor > 1
    }

    /// Whether the run can be stopped (it has not ended).
    pub fn can_stop(&self) -> bool {
        self.run
            .as_ref()
            .is_some_and(|r| !r.borrow().engine.is_finished())
    }

    /// Whether Redrive applies: the run shown is at its end, and it failed, timed out or
    /// was stopped.
    pub fn can_redrive(&self) -> bool {
        self.run.as_ref().is_some_and(|r| {
            let run = r.borrow();
            let engine = &run.engine;
            !engine.busy()
                && self.cursor == engine.history().len()
                && matches!(
                    engine.status(),
                    Status::Failed | Status::TimedOut | Status::Aborted
                )
        })
    }

    fn start(&mut self) -> bool {
        if !self.diagnostics.is_empty() {
            self.problem = Some(format!(
                "The definition has {} problem(s): fix them to start an execution.",
                self.diagnostics.len()
            ));
            return false;
        }
        // StartExecution refuses an input over AWS's size limit; the text stays as typed.
        if let Err(why) = asl::limits::check_execution_input(&self.input) {
            self.problem = Some(why);
            return false;
        }
        let input: Value = match serde_json::from_str(&self.input) {
            Ok(v) => v,
            Err(e) => {
                self.problem = Some(format!("The input is not valid JSON: {e}"));
                return false;
            }
        };
        let setup = Setup {
            definition: self.definition_json().to_string(),
            input,
            name: format!("playground-{}", self.seed),
            state_machine_name: self
                .mock_case
                .as_ref()
                .map_or("CallCenter", |c| c.state_machine.as_str())
                .to_string(),
            start_time: now_millis(),
            seed: self.seed,
            tasks: self.task_setup(),
        };
        let engine = match Engine::start(self.machine.clone(), setup) {
            Ok(engine) => engine,
            Err(why) => {
                self.problem = Some(why);
                return false;
            }
        };
        self.run = Some(Rc::new(RefCell::new(Run {
            engine,
            derived: Derived::default(),
        })));
        self.cursor = 0;
        self.picks = Default::default();
        self.problem = None;
        true
    }

    /// What answers a run's Task states: the built-in call-center functions, behind the
    /// chosen test case of the mocks.
    fn task_setup(&self) -> Tasks {
        Tasks::new(&self.mocks, self.mock_case.as_ref(), self.work_on_case)
    }

    /// The handler for [`Self::task_setup`]. `Err` says why the mocks cannot answer.
    pub fn tasks(&self) -> Result<Box<dyn TaskHandler>, String> {
        self.task_setup().handler()
    }

    /// Records one more event (starting the run if needed); the cursor follows.
    fn record(&mut self) {
        if self.run.is_none() && !self.start() {
            return;
        }
        // In the worker: asked for, and the cursor follows when it answers.
        if self.remote(Remote::step).is_some() {
            return;
        }
        // One more event, however many silent steps come first (a Distributed Map's child
        // executions add none to this history): a slice may end before it reveals one.
        let before = self.recorded();
        self.record_with(1, || false);
        while self.recorded() == before && self.can_stop() {
            self.record_with(1, || false);
        }
    }

    /// Records events for one slice of "Run to end" (see [`SLICE_MS`]); the cursor follows.
    fn record_slice(&mut self) {
        if self.run.is_none() && !self.start() {
            return;
        }
        let limit = self.replay.as_ref().map_or(usize::MAX, |r| r.events);
        if self.remote(|remote| remote.slice(limit)).is_some() {
            return;
        }
        let started = now_ms();
        let (least, most) = SLICE_MS;
        // The first turn has no previous one to go by.
        let shown = if self.slice_ended > 0.0 {
            started - self.slice_ended
        } else {
            least
        };
        let budget = shown.clamp(least, most);
        self.record_with(CHUNK, || now_ms() - started < budget);
        self.slice_ended = now_ms();
    }

    /// Records `chunk` events at a time, for as long as `again()` says so and the run goes on
    /// (starting it if needed); the cursor follows.
    fn record_with(&mut self, chunk: usize, mut again: impl FnMut() -> bool) {
        if self.run.is_none() && !self.start() {
            return;
        }
        // A replay records no more than the events the link showed.
        let limit = self.replay.as_ref().map_or(usize::MAX, |r| r.events);
        if let Some(run) = &self.run {
            let mut run = run.borrow_mut();
            let Engine::Here(Here { execution, tasks }) = &mut run.engine else {
                return;
            };
            loop {
                let n = chunk.min(limit.saturating_sub(execution.history().len()));
                if n == 0 || execution.run_slice(tasks.as_mut(), n) < n || !again() {
                    break;
                }
            }
            self.cursor = execution.history().len();
        }
        self.follow();
    }

    /// Does `f` to the run in the worker; `None` when the run is here (or there is none).
    fn remote<R>(&self, f: impl FnOnce(&mut Remote) -> R) -> Option<R> {
        let run = self.run.as_ref()?;
        let mut run = run.borrow_mut();
        match &mut run.engine {
            Engine::Worker(remote) => Some(f(remote)),
            Engine::Here(_) => None,
        }
    }

    /// StopExecution at the event recorded last (the worker answers with it later).
    fn stop(&mut self) {
        let Some(run) = &self.run else {
            return;
        };
        let stopped = match &mut run.borrow_mut().engine {
            Engine::Here(here) => here
                .execution
                .stop(None, Some("Stopped in the playground.".into())),
            Engine::Worker(remote) => {
                remote.stop();
                false
            }
        };
        if stopped {
            self.cursor = self.recorded();
        }
    }

    /// The worker answered a request: the cursor follows what it asked for.
    fn heard(&mut self, heard: Heard) {
        let reply = match heard {
            Heard::Reply(reply) => reply,
            Heard::Failed(why) => {
                if self.remote(|_| ()).is_some() {
                    self.reset();
                    self.problem = Some(format!(
                        "The run ended: the worker that ran it failed ({why}). Start again: runs now stay on this page."
                    ));
                }
                return;
            }
        };
        // Whether the cursor is at the run's last event, following it (not stepped back).
        let following = self.cursor >= self.recorded();
        let Some((asked, refused)) = self.remote(|remote| remote.take(*reply)).flatten() else {
            // What a slice has so far: shown as it comes while the run is followed.
            let slice = self.run.as_ref().and_then(|r| r.borrow().engine.waiting());
            if slice == Some(Waiting::Slice) && self.running {
                self.cursor = self.recorded();
                self.follow();
            }
            return;
        };
        match (asked, refused) {
            (Waiting::Redrive, Some(why)) => self.problem = Some(why),
            (_, Some(why)) => {
                // The run could not start there (the page had checked it could).
                self.reset();
                self.problem = Some(why);
                return;
            }
            // Paused while the slice was computed: it is shown, unless the person has
            // stepped back since.
            (Waiting::Slice, None) if !self.running && !following => {}
            (asked, None) => {
                self.cursor = self.recorded();
                if asked == Waiting::Redrive {
                    self.problem = None;
                }
            }
        }
        // Run to end: the worker runs the next slice while the page draws this one.
        if asked == Waiting::Slice && self.running {
            let limit = self.replay.as_ref().map_or(usize::MAX, |r| r.events);
            self.remote(|remote| remote.slice(limit));
        }
        self.follow();
    }

    /// Selects the state the cursor is in (or last ended in), so the view follows the run.
    fn follow(&mut self) {
        self.sync();
        let name = self
            .derived()
            .and_then(|d| d.last_state().map(str::to_string));
        if name.is_some() {
            self.selected = name;
        }
    }

    fn load_example(&mut self, name: &str) {
        let Some(example) = examples::find(name) else {
            return;
        };
        self.example = example;
        self.definition = example.definition.to_string();
        self.yaml_json = None;
        self.template = None;
        self.kept = None;
        self.input = example.input.to_string();
        self.mocks = example.mocks.as_ref().map_or("", |m| m.config).to_string();
        self.mock_case = example
            .mocks
            .as_ref()
            .map(|m| crate::mocks::TestCase::new(m.state_machine, m.test_case));
        match load(example.definition) {
            Ok(machine) => {
                self.machine = Arc::new(machine);
                self.diagnostics = Rc::new(Vec::new());
            }
            Err(problems) => self.diagnostics = Rc::new(problems),
        }
        self.reset();
    }

    fn reset(&mut self) {
        // A worker still computing for the run left would keep the next one waiting.
        if self.run.as_ref().is_some_and(|r| r.borrow().engine.busy()) {
            crate::runner::channel::end();
        }
        self.run = None;
        self.cursor = 0;
        self.running = false;
        self.replay = None;
        self.selected = None;
        self.picks = Default::default();
        self.problem = None;
    }
}

impl Reducible for Playground {
    type Action = Action;

    fn reduce(self: Rc<Self>, action: Action) -> Rc<Self> {
        // Run to end waits for the worker's slice: nothing changes, nothing is drawn.
        if matches!(action, Action::Tick)
            && self.run.as_ref().is_some_and(|r| r.borrow().engine.busy())
        {
            return self;
        }
        let mut next = (*self).clone();
        next.revision += 1;
        if !matches!(
            action,
            Action::Tick
                | Action::Heard(_)
                | Action::Select(_)
                | Action::PickIteration(..)
                | Action::Workshop(_)
                | Action::DismissNotice
                | Action::Notify(_)
        ) {
            next.end_replay();
        }
        match action {
            Action::EditDefinition(text) => {
                next.set_definition(text, None);
                next.reset();
            }
            Action::PickStateMachine(name) => {
                if let Some(template) = next.template.clone() {
                    next.set_definition(template.text.clone(), Some(&name));
                    next.reset();
                }
            }
            Action::UndoImport => {
                if let Some(template) = next.template.take() {
                    next.definition = template.text.clone();
                    next.diagnostics = Rc::new(imported::kept_as_pasted());
                    next.kept = Some(template);
                    next.reset();
                }
            }
            Action::ImportAgain => {
                if let Some(kept) = next.kept.take() {
                    next.set_definition(kept.text.clone(), Some(&kept.extracted.machine));
                    next.reset();
                }
            }
            Action::EditInput(text) => next.input = text,
            // New mocks answer the next run; the one shown keeps the answers it had.
            Action::EditMocks(text) => {
                next.mock_case = crate::mocks::keep_or_first(&text, next.mock_case.as_ref());
                next.mocks = text;
            }
            Action::PickMockCase(case) => next.mock_case = Some(case),
            Action::MockState(name) => {
                let result = next
                    .task_result(&name)
                    .unwrap_or_else(|| Value::Object(Default::default()));
                match crate::mocks::add_mock(&next.mocks, next.mock_case.as_ref(), &name, result) {
                    Ok((text, case)) => {
                        next.mocks = text;
                        next.mock_case = Some(case);
                        next.problem = None;
                    }
                    Err(why) => next.problem = Some(format!("No mock added: {why}.")),
                }
            }
            Action::SetCaseId(id) => {
                match serde_json::from_str::<Value>(&next.input) {
                    Ok(Value::Object(mut map)) => {
                        map.insert("inputCaseID".into(), Value::String(id));
                        next.input =
                            serde_json::to_string_pretty(&Value::Object(map)).unwrap_or_default();
                        next.problem = None;
                    }
                    // Never overwrite what the person typed: say what to fix instead.
                    _ => next.problem = Some(
                        "The input below must be a JSON object to set inputCaseID: fix it first."
                            .into(),
                    ),
                }
            }
            Action::SetSeed(seed) => next.seed = seed,
            Action::SetWorkOnCase(mode) => next.work_on_case = mode,
            Action::LoadExample(name) => next.load_example(name),
            Action::Start => {
                next.reset();
                if next.start() {
                    next.record();
                }
            }
            Action::StepForward => {
                if next.run.is_some() && next.cursor < next.recorded() {
                    next.cursor += 1;
                    next.follow();
                } else {
                    next.record();
                }
            }
            Action::StepBack => {
                if next.can_step_back() {
                    next.cursor -= 1;
                    next.follow();
                }
            }
            Action::RunToEnd => {
                if next.run.is_none() && !next.start() {
                    return Rc::new(next);
                }
                next.running = true;
                next.slice_ended = 0.0;
                next.cursor = next.recorded();
            }
            Action::Tick => {
                if next.running {
                    next.record_slice();
                    next.running = next.can_stop();
                    if let Some(replay) = next.replay.take() {
                        if next.running && next.recorded() < replay.events {
                            next.replay = Some(replay);
                        } else {
                            next.finish_replay(replay);
                        }
                    }
                }
            }
            Action::Pause => next.running = false,
            Action::Stop => {
                next.stop();
                next.running = false;
                next.follow();
            }
            Action::Heard(heard) => heard.into_iter().for_each(|h| next.heard(h)),
            Action::Redrive => {
                if next.can_redrive() {
                    let redriven =
                        next.run
                            .as_ref()
                            .and_then(|r| match &mut r.borrow_mut().engine {
                                Engine::Here(here) => Some(here.execution.redrive()),
                                Engine::Worker(remote) => {
                                    remote.redrive();
                                    None
                                }
                            });
                    match redriven {
                        Some(Ok(())) => {
                            next.cursor = next.recorded();
                            next.problem = None;
                        }
                        Some(Err(refused)) => {
                            next.problem = Some(format!("ExecutionNotRedrivable: {refused}"))
                        }
                        // The worker answers later.
                        None => {}
                    }
                }
                next.follow();
            }
            Action::Reset => next.reset(),
            Action::Select(name) => next.selected = Some(name),
            Action::PickIteration(map, Some(index)) => next.picks.insert(&map, index),
            Action::PickIteration(map, None) => next.picks.remove(&map),
            Action::Workshop(step) => next.workshop_step = step,
            Action::Loaded(snapshot, notice, workshop) => {
                if let Some(snapshot) = *snapshot {
                    next.restore(&snapshot);
                }
                // The link's step, over the saved work (which keeps none).
                if workshop.is_some() {
                    next.workshop_step = workshop;
                }
                next.notice = notice;
                next.loaded = true;
            }
            Action::LoadSaved(snapshot) => next.restore(&snapshot),
            Action::Notify(notice) => next.notice = Some(notice),
            Action::OpenSharedLink => {
                if let Some(Notice::SharedLink(snapshot)) = next.notice.take() {
                    next.restore(&snapshot);
                }
            }
            Action::DismissNotice => next.notice = None,
        }
        next.sync();
        Rc::new(next)
    }
}

/// A monotonic clock in milliseconds (`performance.now()` in the browser), for time slices.
fn now_ms() -> f64 {
    #[cfg(target_arch = "wasm32")]
    {
        web_sys::window()
            .and_then(|w| w.performance())
            .map_or_else(js_sys::Date::now, |p| p.now())
    }
    #[cfg(not(target_arch = "wasm32"))]
    {
        thread_local! {
            static EPOCH: std::time::Instant = std::time::Instant::now();
        }
        EPOCH.with(|epoch| epoch.elapsed().as_secs_f64() * 1000.0)
    }
}

/// The wall clock, read once when an execution starts: its virtual clock begins there.
fn now_millis() -> i64 {
    #[cfg(target_arch = "wasm32")]
    {
        js_sys::Date::now() as i64
    }
    #[cfg(not(target_arch = "wasm32"))]
    {
        asl::ExecutionConfig::default().start_time
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn act(state: Rc<Playground>, action: Action) -> Rc<Playground> {
        state.reduce(action)
    }

    /// Ticks until a Run to end (or a replay) is over.
    fn settle(mut state: Rc<Playground>) -> Rc<Playground> {
        while state.running {
            state = act(state, Action::Tick);
        }
        state
    }

    /// In the worker (the native stand-in): ticks and hands the page every reply until the
    /// run is at rest.
    #[cfg(not(target_arch = "wasm32"))]
    fn settle_in_worker(mut state: Rc<Playground>) -> Rc<Playground> {
        loop {
            if let Some(heard) = crate::runner::channel::deliver() {
                state = act(state, Action::Heard(heard));
            } else if state.running {
                let before = state.revision;
                state = act(state, Action::Tick);
                assert!(
                    state.revision != before || crate::runner::channel::waiting(),
                    "a tick while the worker is busy changes nothing; otherwise it asks"
                );
            } else {
                return state;
            }
        }
    }

    fn event_types(state: &Playground) -> Vec<String> {
        state
            .events()
            .map(|e| e.iter().map(|e| e.event_type()).collect())
            .unwrap_or_default()
    }

    /// A Task that fails on its first invocation and succeeds on its second (the mocks).
    const FLAKY: &str = r#"{"StartAt":"Prepare","States":{
      "Prepare":{"Type":"Pass","Next":"Work"},
      "Work":{"Type":"Task","Resource":"arn:aws:lambda:us-east-1:123456789012:function:Work","End":true}}}"#;
    const FLAKY_MOCKS: &str = r#"{"StateMachines":{"Flaky":{"TestCases":{"FailsOnce":{"Work":"FailsOnce"}}}},
      "MockedResponses":{"FailsOnce":{"0":{"Throw":{"Error":"Boom","Cause":"first try"}},"1":{"Return":{"ok":true}}}}}"#;

    #[test]
    fn redrive_continues_the_run_shown_and_steps_back_across_it() {
        let mut state = Rc::new(Playground::default());
        state = act(state, Action::EditDefinition(FLAKY.into()));
        state = act(state, Action::EditMocks(FLAKY_MOCKS.into()));
        assert!(!state.can_redrive(), "no run yet");
        state = settle(act(state, Action::RunToEnd));
        assert_eq!(event_types(&state).last().unwrap(), "ExecutionFailed");
        let failed = state.cursor;
        // Only at the end of the run.
        let back = act(state.clone(), Action::StepBack);
        assert!(!back.can_redrive());
        assert_eq!(act(back, Action::Redrive).recorded(), failed);
        assert!(state.can_redrive());

        state = act(state, Action::Redrive);
        assert_eq!(state.cursor, failed + 1);
        assert_eq!(event_types(&state).last().unwrap(), "ExecutionRedriven");
        assert!(!state.can_redrive(), "running again");
        state = settle(act(state, Action::RunToEnd));
        assert_eq!(event_types(&state).last().unwrap(), "ExecutionSucceeded");
        assert!(
            !state.can_redrive(),
            "a run that succeeded cannot be redriven"
        );
        // The Work state's latest visit is the one after the redrive; stepping back before
        // the redrive shows it failed again.
        let visit_status = |state: &Playground| {
            state
                .derived()
                .and_then(|d| d.visits.latest("Work").and_then(|v| v.details.status))
        };
        assert_eq!(
            visit_status(&state),
            Some(crate::view::NodeStatus::Succeeded)
        );
        // The state entered again runs at the top level, not inside its failed visit.
        let parent = state
            .derived()
            .and_then(|d| d.visits.latest("Work").map(|v| v.parent));
        assert_eq!(parent, Some(None));
        while state.cursor > failed {
            state = act(state, Action::StepBack);
        }
        assert_eq!(event_types(&state).last().unwrap(), "ExecutionFailed");
        assert_eq!(visit_status(&state), Some(crate::view::NodeStatus::Failed));
        assert!(!state.can_redrive(), "the run goes on after this event");
        state = act(state, Action::StepForward);
        assert_eq!(event_types(&state).last().unwrap(), "ExecutionRedriven");
    }

    #[test]
    fn a_links_workshop_step_applies_over_saved_work() {
        let saved = Snapshot {
            example: Some("wait".into()),
            ..Default::default()
        };
        let opened = act(
            Rc::new(Playground::default()),
            Action::Loaded(Box::new(Some(saved.clone())), None, Some(3)),
        );
        assert_eq!(
            (opened.example.name, opened.workshop_step),
            ("wait", Some(3))
        );
        let opened = act(
            Rc::new(Playground::default()),
            Action::Loaded(Box::new(Some(saved)), None, None),
        );
        assert_eq!(opened.workshop_step, None);
    }

    #[test]
    fn a_snapshot_replays_the_run_to_its_step() {
        let mut state = Rc::new(Playground::default());
        state = act(state, Action::SetSeed(7));
        state = act(state, Action::SetWorkOnCase(WorkOnCase::Unresolved));
        state = settle(act(state, Action::RunToEnd));
        while state.cursor > 15 {
            state = act(state, Action::StepBack);
        }
        let snapshot = state.snapshot();
        assert_eq!(snapshot.step, Some(15));
        assert_eq!(snapshot.stopped, None);

        let opened = settle(act(
            Rc::new(Playground::default()),
            Action::Loaded(Box::new(Some(snapshot.clone())), None, None),
        ));
        assert_eq!(opened.cursor, 15);
        assert_eq!(opened.recorded(), 15, "no more than the link showed");
        assert_eq!(event_types(&opened), event_types(&state));
        assert_eq!(opened.selected, snapshot.selected);

        // Stopped at event 10: the link reopens it stopped there.
        let mut stopped = act(state, Action::Start);
        while stopped.cursor < 9 {
            stopped = act(stopped, Action::StepForward);
        }
        stopped = act(stopped, Action::Stop);
        let snapshot = stopped.snapshot();
        assert_eq!((snapshot.step, snapshot.stopped), (Some(10), Some(true)));
        let opened = settle(act(
            Rc::new(Playground::default()),
            Action::Loaded(Box::new(Some(snapshot)), None, None),
        ));
        assert_eq!(event_types(&opened), event_types(&stopped));
        assert_eq!(event_types(&opened).last().unwrap(), "ExecutionAborted");

        // A link without a step (made before it travelled) opens with no run.
        let opened = settle(act(
            Rc::new(Playground::default()),
            Action::Loaded(
                Box::new(Some(Snapshot {
                    step: None,
                    ..stopped.snapshot()
                })),
                None,
                None,
            ),
        ));
        assert!(opened.run.is_none());
    }

    /// Every event and every visit's stages, as the page reads them.
    #[cfg(not(target_arch = "wasm32"))]
    fn seen(state: &Playground) -> Vec<(HistoryEvent, Option<asl::Stages>)> {
        let run = state.run.as_ref().unwrap().borrow();
        let events = run.engine.history();
        events
            .iter()
            .map(|e| (e.clone(), run.engine.stages(e.id).cloned()))
            .collect()
    }

    #[test]
    #[cfg(not(target_arch = "wasm32"))]
    fn a_run_in_the_worker_shows_what_a_run_here_shows() {
        let here = settle(act(Rc::new(Playground::default()), Action::RunToEnd));
        crate::runner::channel::fake();
        let mut state = act(Rc::new(Playground::default()), Action::RunToEnd);
        assert!(matches!(
            state.run.as_ref().unwrap().borrow().engine,
            Engine::Worker(_)
        ));
        state = settle_in_worker(state);
        assert_eq!(event_types(&state).last().unwrap(), "ExecutionSucceeded");
        assert_eq!(seen(&state), seen(&here));
        assert_eq!(state.cursor, here.cursor);
        // The context object, rebuilt from the events, is the engine's.
        let at = state.events().unwrap().last().unwrap().timestamp;
        let context = |s: &Playground| {
            s.run
                .as_ref()
                .unwrap()
                .borrow()
                .engine
                .context_object("Work on Case", at, 1)
        };
        assert_eq!(context(&state), context(&here));

        // Stepping: each Step forward asks for one event, shown when the worker answers.
        let mut state = act(state, Action::Start);
        assert_eq!(state.cursor, 0, "nothing shown before the worker answers");
        state = settle_in_worker(state);
        assert_eq!(state.cursor, 1);
        for _ in 0..4 {
            state = settle_in_worker(act(state, Action::StepForward));
        }
        assert_eq!(event_types(&state), event_types(&here)[..5]);
    }

    #[test]
    #[cfg(not(target_arch = "wasm32"))]
    fn stop_ends_a_busy_worker_and_a_new_one_stops_the_run_at_the_event_shown() {
        crate::runner::channel::fake();
        let full = event_types(&settle_in_worker(act(
            Rc::new(Playground::default()),
            Action::RunToEnd,
        )));
        let mut state = act(Rc::new(Playground::default()), Action::Start);
        while state.cursor < 6 {
            state = settle_in_worker(act(state, Action::StepForward));
        }
        // The worker is asked for the next event and has not answered (as when a state
        // computes for seconds): Stop does not wait for it.
        state = act(state, Action::StepForward);
        assert!(state.run.as_ref().unwrap().borrow().engine.busy());
        let ended = crate::runner::channel::ended();
        state = act(state, Action::Stop);
        assert_eq!(crate::runner::channel::ended(), ended + 1);
        state = settle_in_worker(state);
        let stopped = event_types(&state);
        assert_eq!(stopped.len(), 7);
        assert_eq!(stopped.last().unwrap(), "ExecutionAborted");

        // The events shown before the stop are kept as they were.
        assert_eq!(stopped[..6], full[..6]);
        // A redrive after the stop goes on in the new worker.
        state = settle_in_worker(act(state, Action::Redrive));
        assert_eq!(event_types(&state).last().unwrap(), "ExecutionRedriven");
        state = settle_in_worker(act(state, Action::RunToEnd));
        assert_eq!(event_types(&state).last().unwrap(), "ExecutionSucceeded");
    }

    #[test]
    #[cfg(not(target_arch = "wasm32"))]
    fn a_redrive_and_a_link_replay_in_the_worker() {
        crate::runner::channel::fake();
        let mut state = Rc::new(Playground::default());
        state = act(state, Action::EditDefinition(FLAKY.into()));
        state = act(state, Action::EditMocks(FLAKY_MOCKS.into()));
        state = settle_in_worker(act(state, Action::RunToEnd));
        assert_eq!(event_types(&state).last().unwrap(), "ExecutionFailed");
        assert!(state.can_redrive());
        state = settle_in_worker(act(state, Action::Redrive));
        assert_eq!(event_types(&state).last().unwrap(), "ExecutionRedriven");
        state = settle_in_worker(act(state, Action::RunToEnd));
        assert_eq!(event_types(&state).last().unwrap(), "ExecutionSucceeded");
        assert!(!state.can_redrive());

        // A link stopped at event 10 reopens stopped there.
        let mut stopped = settle_in_worker(act(Rc::new(Playground::default()), Action::Start));
        while stopped.cursor < 9 {
            stopped = settle_in_worker(act(stopped, Action::StepForward));
        }
        stopped = settle_in_worker(act(stopped, Action::Stop));
        let snapshot = stopped.snapshot();
        assert_eq!((snapshot.step, snapshot.stopped), (Some(10), Some(true)));
        let opened = settle_in_worker(act(
            Rc::new(Playground::default()),
            Action::Loaded(Box::new(Some(snapshot)), None, None),
        ));
        assert_eq!(event_types(&opened), event_types(&stopped));
        assert_eq!(opened.cursor, 10);
    }
}
