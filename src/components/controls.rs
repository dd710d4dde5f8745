//! Start execution, Step, Run to end, Reset, and where the run stands.

use crate::state::{Action, Playground};
use asl::Status;
use yew::prelude::*;

#[derive(Properties, PartialEq)]
pub struct Props {
    pub state: UseReducerHandle<Playground>,
}

#[function_component(Controls)]
pub fn controls(Props { state }: &Props) -> Html {
    let send = |action: fn() -> Action| {
        let state = state.clone();
        Callback::from(move |_: MouseEvent| state.dispatch(action()))
    };
    let run = state.run.as_ref().map(|r| r.borrow());
    let (status, events, seed) = match &run {
        None => ("Not started", 0, None),
        Some(run) => {
            let status = match run.execution.status() {
                Status::Running => "Running",
                Status::Succeeded => "Succeeded",
                Status::Failed => "Failed",
                Status::TimedOut => "Timed out",
            };
            (
                status,
                run.execution.history().len(),
                Some(run.execution.config().seed),
            )
        }
    };
    let finished = !state.can_step();
    html! {
        <section class="panel controls" aria-label="Execution controls">
            <div class="buttons">
                <button id="start" type="button" class="primary" onclick={send(|| Action::Start)}
                    title="Start a new execution with this input">{ "Start execution" }</button>
                <button id="step" type="button" onclick={send(|| Action::Step)} disabled={finished}
                    title="Record the next history event">{ "Step" }</button>
                <button id="run" type="button" onclick={send(|| Action::RunToEnd)} disabled={finished}
                    title="Run until the execution ends">{ "Run to end" }</button>
                <button id="reset" type="button" class="secondary" onclick={send(|| Action::Reset)}
                    disabled={run.is_none()} title="Forget this execution">{ "Reset" }</button>
            </div>
            <p class="run-status" aria-live="polite">
                <span id="execution-status" class={classes!("status-badge", status.to_lowercase().replace(' ', "-"))}>{ status }</span>
                if let Some(seed) = seed {
                    <span class="muted">{ format!("{events} events · seed {seed}") }</span>
                }
            </p>
            if let Some(problem) = &state.problem {
                <p class="error-text" role="alert" id="start-problem">{ problem }</p>
            }
        </section>
    }
}
