//! How the execution ended (as far as the cursor shows): its output, or its error and cause.

use crate::state::Playground;
use crate::view::{pretty, Outcome};
use yew::prelude::*;

#[derive(Properties, PartialEq)]
pub struct Props {
    pub state: UseReducerHandle<Playground>,
}

#[function_component(ExecutionResult)]
pub fn execution_result(Props { state }: &Props) -> Html {
    let outcome = state
        .events()
        .map_or(Outcome::NotStarted, |events| Outcome::of(&events));
    let (heading, error, cause) = match &outcome {
        Outcome::NotStarted | Outcome::Running => return html! {},
        Outcome::Succeeded { output } => {
            return html! {
                <section class="panel result succeeded" aria-labelledby="result-heading">
                    <h2 id="result-heading">{ "Execution output" }</h2>
                    <pre id="execution-output">{ pretty(output) }</pre>
                </section>
            }
        }
        Outcome::Failed { error, cause } => ("Execution failed", error, cause),
        Outcome::TimedOut { error, cause } => ("Execution timed out", error, cause),
        Outcome::Aborted { error, cause } => ("Execution aborted", error, cause),
    };
    html! {
        <section class="panel result failed" aria-labelledby="result-heading">
            <h2 id="result-heading">{ heading }</h2>
            <dl>
                <dt>{ "Error" }</dt>
                <dd id="execution-error">{ error.as_deref().unwrap_or("–") }</dd>
                <dt>{ "Cause" }</dt>
                <dd id="execution-cause">{ cause.as_deref().unwrap_or("–") }</dd>
            </dl>
        </section>
    }
}
