//! Step details' "Test state" tab: the selected state run once, as AWS's TestState API runs it,
//! on an input the person gives (with its task's result or error mocked), showing the status,
//! the next state and every inspection stage. It reads the run and the definition shown and
//! changes neither: what is typed here stays here.

use super::json_editor::JsonEditor;
use crate::state::Playground;
use crate::state_test::{self, FieldError, Form, MockKind};
use crate::view::pretty;
use asl::test_state::{test_state, TestStateResult, TestStatus};
use asl::NoTasks;
use web_sys::{HtmlInputElement, HtmlTextAreaElement};
use yew::prelude::*;

#[derive(Properties, PartialEq)]
pub struct Props {
    pub state: UseReducerHandle<Playground>,
    /// The selected state.
    pub name: AttrValue,
    /// What the fields hold until the person types (from the run shown).
    pub prefill: Form,
    /// The state takes a mocked result (a Task, Parallel or Map).
    pub mockable: bool,
}

/// What the last click on Test gave.
#[derive(Clone, PartialEq)]
enum Outcome {
    Tested(Box<TestStateResult>),
    /// A field could not be read.
    BadField(FieldError),
    /// TestState refused the request (in AWS's words).
    Refused(String),
}

#[function_component(TestStateTab)]
pub fn test_state_tab(props: &Props) -> Html {
    let form = use_state(|| props.prefill.clone());
    let outcome = use_state(|| None::<Outcome>);

    // One setter per field: each edit replaces the form with that field changed.
    let edit = |apply: fn(&mut Form, String)| {
        let form = form.clone();
        Callback::from(move |text: String| {
            let mut next = (*form).clone();
            apply(&mut next, text);
            form.set(next);
        })
    };
    let on_input = edit(|f, t| f.input = t);
    let on_mock_result = edit(|f, t| f.mock_result = t);
    let on_context = edit(|f, t| f.context = t);
    let on_variables = edit(|f, t| f.variables = t);
    let text_field = |apply: fn(&mut Form, String)| {
        let set = edit(apply);
        Callback::from(move |e: InputEvent| {
            let input: HtmlInputElement = e.target_unchecked_into();
            set.emit(input.value());
        })
    };
    let on_mock_error = text_field(|f, t| f.mock_error = t);
    let on_retry_count = text_field(|f, t| f.retry_count = t);
    let on_mock_cause = {
        let set = edit(|f, t| f.mock_cause = t);
        Callback::from(move |e: InputEvent| {
            let area: HtmlTextAreaElement = e.target_unchecked_into();
            set.emit(area.value());
        })
    };
    let choose = |kind: MockKind| {
        let form = form.clone();
        Callback::from(move |_: Event| {
            let mut next = (*form).clone();
            next.mock = kind;
            form.set(next);
        })
    };

    let on_test = {
        let form = form.clone();
        let outcome = outcome.clone();
        let state = props.state.clone();
        let name = props.name.clone();
        Callback::from(move |_: MouseEvent| {
            let result = match state_test::request(state.definition_json(), &name, &form) {
                Err(e) => Outcome::BadField(e),
                Ok(request) => {
                    // A Task without a mock is answered as in a run: the chosen mocks, then the
                    // built-in functions.
                    let answered = match state.tasks() {
                        Ok(mut tasks) => test_state(&request, &mut *tasks),
                        Err(_) => test_state(&request, &mut NoTasks),
                    };
                    match answered {
                        Ok(result) => Outcome::Tested(Box::new(result)),
                        Err(e) => Outcome::Refused(format!("{}: {}", e.code(), e.message())),
                    }
                }
            };
            outcome.set(Some(result));
        })
    };

    // The line of a bad JSON field is marked in its editor.
    let marks = |field: &str| -> Vec<(usize, String)> {
        match &*outcome {
            Some(Outcome::BadField(e)) if e.field == field => {
                e.at.map(|(line, _)| vec![(line, e.to_string())])
                    .unwrap_or_default()
            }
            _ => Vec::new(),
        }
    };
    let mock = form.mock;
    html! {
        <div class="state-test">
            <p class="hint">{ "Runs this state once, as AWS's TestState API does: the run shown is not changed." }</p>
            <JsonEditor id="test-input" label="Input (JSON)" value={form.input.clone()}
                on_change={on_input} marks={marks("Input")} rows={5} />
            if props.mockable {
                <fieldset class="test-mock">
                    <legend>{ "Task result" }</legend>
                    <label><input type="radio" name="test-mock" id="test-mock-none" checked={mock == MockKind::None}
                        onchange={choose(MockKind::None)} />{ " Call the task (the playground's functions and mocks)" }</label>
                    <label><input type="radio" name="test-mock" id="test-mock-result-choice" checked={mock == MockKind::Result}
                        onchange={choose(MockKind::Result)} />{ " Mocked result" }</label>
                    <label><input type="radio" name="test-mock" id="test-mock-error-choice" checked={mock == MockKind::Error}
                        onchange={choose(MockKind::Error)} />{ " Mocked error" }</label>
                    if mock == MockKind::Result {
                        <JsonEditor id="test-mock-result" label="Mocked result (JSON)" value={form.mock_result.clone()}
                            on_change={on_mock_result} marks={marks("Mocked result")} rows={4} />
                    }
                    if mock == MockKind::Error {
                        <div class="field-row">
                            <label for="test-mock-error">{ "Error" }</label>
                            <input id="test-mock-error" type="text" value={form.mock_error.clone()}
                                oninput={on_mock_error} autocomplete="off" spellcheck="false" />
                        </div>
                        <div class="field-row">
                            <label for="test-mock-cause">{ "Cause" }</label>
                            <textarea id="test-mock-cause" rows="2" value={form.mock_cause.clone()} oninput={on_mock_cause} />
                        </div>
                    }
                </fieldset>
                <div class="field-row">
                    <label for="test-retry-count">{ "Retry count" }</label>
                    <input id="test-retry-count" type="number" min="0" value={form.retry_count.clone()}
                        oninput={on_retry_count} aria-describedby="test-retry-count-hint" />
                    <span id="test-retry-count-hint" class="hint">{ "retries already made by the matching retrier" }</span>
                </div>
            }
            <details class="test-advanced">
                <summary>{ "Context and variables" }</summary>
                <p class="hint">{ "Empty: TestState's own context object, and no variables." }</p>
                <JsonEditor id="test-context" label="Context object (JSON)" value={form.context.clone()}
                    on_change={on_context} marks={marks("Context")} rows={4} />
                <JsonEditor id="test-variables" label="Variables (JSON object)" value={form.variables.clone()}
                    on_change={on_variables} marks={marks("Variables")} rows={4} />
            </details>
            <button type="button" id="test-state-run" class="primary" onclick={on_test}>{ "Test" }</button>
            <div id="test-state-outcome" role="status" aria-live="polite">
                { match &*outcome {
                    None => html! {},
                    Some(Outcome::BadField(e)) => html! { <p id="test-state-error" class="error-text">{ e.to_string() }</p> },
                    Some(Outcome::Refused(why)) => html! { <p id="test-state-error" class="error-text">{ why.clone() }</p> },
                    Some(Outcome::Tested(result)) => tested(result),
                } }
            </div>
        </div>
    }
}

/// The status's colour, as the graph colours a state.
fn status_key(status: TestStatus) -> &'static str {
    match status {
        TestStatus::Succeeded => "succeeded",
        TestStatus::Failed => "failed",
        TestStatus::CaughtError => "caught",
        TestStatus::Retriable => "in-progress",
    }
}

/// The response: status, next state, error and cause, output, and every inspection stage in
/// the data-flow tab's style.
fn tested(result: &TestStateResult) -> Html {
    let status = result.status;
    let stages = state_test::stages(result);
    html! {
        <div id="test-result">
            <dl>
                <dt>{ "Status" }</dt>
                <dd id="test-status" class={classes!("status-text", status_key(status))}>
                    <span class={classes!("status-dot", status_key(status))} aria-hidden="true"></span>{ status.as_str() }
                </dd>
                <dt>{ "Next state" }</dt>
                <dd id="test-next-state">{ result.next_state.clone().unwrap_or_else(|| "–".into()) }</dd>
                if let Some(error) = &result.error {
                    <dt>{ "Error" }</dt>
                    <dd id="test-error">{ error.clone() }</dd>
                }
                if let Some(cause) = &result.cause {
                    <dt>{ "Cause" }</dt>
                    <dd id="test-cause">{ cause.clone() }</dd>
                }
            </dl>
            if let Some(output) = &result.output {
                <h3>{ "Output" }</h3>
                <pre id="test-output">{ pretty(output) }</pre>
            }
            <h3>{ "Inspection data" }</h3>
            <ol class="stages" id="test-stages">
                { for stages.iter().map(|(name, value)| html! {
                    <li data-stage={name.clone()}>
                        <div class="stage-head"><strong>{ name.clone() }</strong></div>
                        <pre>{ pretty(value) }</pre>
                    </li>
                }) }
            </ol>
        </div>
    }
}
