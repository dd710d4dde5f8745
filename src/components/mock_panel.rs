//! Mocks: the MockConfigFile (Step Functions Local's format) whose chosen test case answers
//! the runs' Task states — any resource, Lambda or another service — before the tutorial's
//! own functions do. Edited here, opened from a file, saved as `MockConfigFile.json`, and
//! carried by share links.

use super::json_editor::{JsonEditor, Refused};
use crate::mocks::{test_cases, TestCase};
use crate::state::{Action, Playground};
use asl::model::StateKind;
use web_sys::HtmlSelectElement;
use yew::prelude::*;

#[derive(Properties, PartialEq)]
pub struct Props {
    pub state: UseReducerHandle<Playground>,
}

#[function_component(MockPanel)]
pub fn mock_panel(Props { state }: &Props) -> Html {
    // The same callback every render, so the editor is not rendered again while a run goes on.
    let on_change = use_callback(state.dispatcher(), |text: String, state| {
        state.dispatch(Action::EditMocks(text))
    });
    let on_case = {
        let state = state.dispatcher();
        Callback::from(move |e: Event| {
            let select: HtmlSelectElement = e.target_unchecked_into();
            if let Some(case) = TestCase::from_label(&select.value()) {
                state.dispatch(Action::PickMockCase(case));
            }
        })
    };
    // A file too big for the editor is refused before it is read, the text left as it was.
    let file_refused = use_state(|| None::<Refused>);
    let on_open = {
        let before = state.mocks.len();
        let (state, file_refused) = (state.dispatcher(), file_refused.clone());
        Callback::from(move |event: Event| {
            let (state, file_refused) = (state.clone(), file_refused.clone());
            crate::browser::read_chosen_file(&event, before, move |text| match text {
                Ok(text) => state.dispatch(Action::EditMocks(text)),
                Err(why) => file_refused.set(Some(Refused::new(why))),
            });
        })
    };
    let on_save = {
        let mocks = state.mocks.clone();
        Callback::from(move |_: MouseEvent| {
            crate::browser::download("MockConfigFile.json", mocks.as_bytes(), "application/json");
        })
    };
    // The selected state, when it is a Task state: it can be mocked in one click.
    let task = state.selected.clone().filter(|name| {
        matches!(
            state.machine.find(name).map(|s| &s.kind),
            Some(StateKind::Task(_))
        )
    });
    let on_mock = task.clone().map(|name| {
        let state = state.dispatcher();
        Callback::from(move |_: MouseEvent| state.dispatch(Action::MockState(name.clone())))
    });
    let cases = test_cases(&state.mocks);
    let chosen = state.mock_case.as_ref().map(TestCase::label);
    let status = match &cases {
        Ok(cases) if cases.is_empty() => html! {
            <p class="muted" id="mocks-status">{ "No mocks: the tutorial's functions answer every Lambda task; any other resource needs a mock." }</p>
        },
        Ok(_) => html! {
            <p class="ok-text" id="mocks-status">{ "Runs are answered by this test case first." }</p>
        },
        Err(problems) => html! {
            <ul class="diagnostics" id="mocks-problems" aria-label="Problems in the mocks">
                { for problems.iter().map(|p| html! { <li class="diagnostic">{ p.clone() }</li> }) }
            </ul>
        },
    };
    let picker = match &cases {
        Ok(cases) if !cases.is_empty() => html! {
            <div class="field-row">
                <label for="mock-case">{ "Test case" }</label>
                <select id="mock-case" onchange={on_case}>
                    { for cases.iter().map(|c| {
                        let label = c.label();
                        html! { <option value={label.clone()} selected={chosen.as_deref() == Some(label.as_str())}>{ label.clone() }</option> }
                    }) }
                </select>
            </div>
        },
        _ => html! {},
    };
    html! {
        <section class="panel mocks" aria-labelledby="mocks-heading" id="mocks">
            <div class="editor-heading">
                <h2 id="mocks-heading">{ "Mocks" }</h2>
                <div class="editor-tools">
                    if let (Some(name), Some(on_mock)) = (task, on_mock) {
                        <button type="button" id="mock-state" class="secondary" onclick={on_mock}>
                            { format!("Mock {name}") }
                        </button>
                    }
                    <label class="button secondary open-file" title="A MockConfigFile.json">
                        { "Open file…" }
                        <input type="file" id="mocks-file" accept=".json,.txt" onchange={on_open} />
                    </label>
                    <button type="button" id="save-mocks" class="secondary" onclick={on_save}
                        disabled={state.mocks.trim().is_empty()}>{ "Save" }</button>
                </div>
            </div>
            <p class="hint">
                { "A MockConfigFile, as Step Functions Local reads it: a test case maps each Task state to a mocked response, whose invocations (\"0\", \"1-2\") Return a result or Throw an error. Select a Task state to mock it in one click." }
            </p>
            { picker }
            <JsonEditor id="mocks-editor" label="MockConfigFile (JSON)" value={AttrValue::from(state.mocks.clone())}
                on_change={on_change} rows={8} describedby="mocks-status"
                refused={(*file_refused).clone()} />
            { status }
        </section>
    }
}
