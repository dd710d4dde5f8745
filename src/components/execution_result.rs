//! How the execution ended: its output, or its error and cause.

use crate::state::Playground;
use crate::view::pretty;
use asl::Status;
use yew::prelude::*;

#[derive(Properties, PartialEq)]
pub struct Props {
    pub state: UseReducerHandle<Playground>,
}

#[function_component(ExecutionResult)]
pub fn execution_result(Props { state }: &Props) -> Html {
    let Some(run) = state.run.as_ref().map(|r| r.borrow()) else {
        return html! {};
    };
    let execution = &run.execution;
    match execution.status() {
        Status::Running => html! {},
        Status::Succeeded => html! {
            <section class="panel result succeeded" aria-labelledby="result-heading">
                <h2 id="result-heading">{ "Execution output" }</h2>
                <pre id="execution-output">{ execution.output().map(pretty).unwrap_or_default() }</pre>
            </section>
        },
        status @ (Status::Failed | Status::TimedOut) => {
            let failure = execution.failure();
            let heading = if status == Status::TimedOut {
                "Execution timed out"
            } else {
                "Execution failed"
            };
            html! {
                <section class="panel result failed" aria-labelledby="result-heading">
                    <h2 id="result-heading">{ heading }</h2>
                    <dl>
                        <dt>{ "Error" }</dt>
                        <dd id="execution-error">{ failure.and_then(|f| f.error_str()).unwrap_or("–") }</dd>
                        <dt>{ "Cause" }</dt>
                        <dd id="execution-cause">{ failure.and_then(|f| f.cause_str()).unwrap_or("–") }</dd>
                    </dl>
                </section>
            }
        }
    }
}
