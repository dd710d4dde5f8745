//! Start execution, Step back, Step, Run to end / Pause, Stop, Redrive, Reset, and where the
//! run stands. Each button has a keyboard shortcut, shown on it.

use crate::runner::Waiting;
use crate::state::{Action, Playground};
use crate::view::Outcome;
use yew::prelude::*;

#[derive(Properties, PartialEq)]
pub struct Props {
    pub state: UseReducerHandle<Playground>,
}

/// The shortcuts, handled by the App and shown on the buttons.
pub const SHORTCUTS: [(&str, &str); 4] = [
    ("n", "Step"),
    ("b", "Step back"),
    ("r", "Run to end / Pause"),
    ("x", "Stop"),
];

#[function_component(Controls)]
pub fn controls(Props { state }: &Props) -> Html {
    let send = |action: fn() -> Action| {
        let state = state.clone();
        Callback::from(move |_: MouseEvent| state.dispatch(action()))
    };
    let outcome = state
        .events()
        .map_or(Outcome::NotStarted, |events| Outcome::of(&events));
    let label = outcome.label();
    let recorded = state.recorded();
    let seed = state.run.as_ref().map(|r| r.borrow().engine.seed());
    // A step, a stop or a redrive asked of the run worker, answered a moment later.
    let busy = state
        .run
        .as_ref()
        .and_then(|r| r.borrow().engine.waiting())
        .is_some_and(|w| w != Waiting::Slice);
    html! {
        <section class="panel controls" aria-label="Execution controls" aria-busy={busy.to_string()}>
            <div class="buttons">
                <button id="start" type="button" class="primary" onclick={send(|| Action::Start)}
                    title="Start a new execution with this input">{ "Start execution" }</button>
                <button id="step-back" type="button" onclick={send(|| Action::StepBack)} disabled={!state.can_step_back()}
                    aria-keyshortcuts="b" title="Show the previous history event (b)">{ "◀ Step back" }<kbd>{ "b" }</kbd></button>
                <button id="step" type="button" onclick={send(|| Action::StepForward)} disabled={!state.can_step()}
                    aria-keyshortcuts="n" title="Show the next history event (n)">{ "Step ▶" }<kbd>{ "n" }</kbd></button>
                if state.running {
                    <button id="pause" type="button" onclick={send(|| Action::Pause)}
                        aria-keyshortcuts="r" title="Pause the run (r)">{ "Pause" }<kbd>{ "r" }</kbd></button>
                } else {
                    <button id="run" type="button" onclick={send(|| Action::RunToEnd)} disabled={!state.can_step()}
                        aria-keyshortcuts="r" title="Run until the execution ends (r)">{ "Run to end ▶▶" }<kbd>{ "r" }</kbd></button>
                }
                <button id="stop" type="button" class="danger" onclick={send(|| Action::Stop)} disabled={!state.can_stop()}
                    aria-keyshortcuts="x" title="Abort the execution, as StopExecution does (x)">{ "Stop" }<kbd>{ "x" }</kbd></button>
                <button id="redrive" type="button" onclick={send(|| Action::Redrive)} disabled={!state.can_redrive()}
                    title="Continue this failed, timed-out or stopped run from the state that failed, as RedriveExecution does">{ "Redrive ↻" }</button>
                <button id="reset" type="button" class="secondary" onclick={send(|| Action::Reset)}
                    disabled={state.run.is_none()} title="Forget this execution">{ "Reset" }</button>
            </div>
            <p class="run-status" aria-live="polite">
                <span id="execution-status" class={classes!("status-badge", label.to_ascii_lowercase().replace(' ', "-"))}>{ label }</span>
                if let Some(seed) = seed {
                    <span class="muted" id="event-position">
                        { format!("event {} of {} recorded", state.cursor, recorded) }
                        { if state.running { " · running…" } else { "" } }
                        { format!(" · seed {seed}") }
                    </span>
                }
            </p>
            if let Some(problem) = &state.problem {
                <p class="error-text" role="alert" id="start-problem">{ problem }</p>
            }
        </section>
    }
}
