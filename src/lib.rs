//! sfn-playground: the AWS Step Functions call-center tutorial, run in the browser.
//!
//! The app only renders and dispatches: [`state`] holds what the person typed and the run,
//! [`view`] derives what is shown from the run's history, [`graph`] lays out the drawing, and
//! [`components`] are the page's parts. The engine is the `asl` crate; the tutorial's Lambda
//! functions are the `callcenter` crate.

pub mod archive;
pub mod browser;
pub mod by_name;
pub mod components;
pub mod crash;
pub mod editor;
pub mod graph;
pub mod imported;
pub mod inline_style;
pub mod mocks;
pub mod runner;
pub mod saved;
pub mod share;
pub mod state;
pub mod state_test;
pub mod view;

use components::{
    controls::Controls, definition_editor::DefinitionEditor, event_history::EventHistory,
    example_picker::ExamplePicker, execution_input::ExecutionInput,
    execution_result::ExecutionResult, export_panel::ExportPanel, link_notice::LinkNotice,
    mock_panel::MockPanel, save_notice::SaveNotice, share_panel::SharePanel,
    state_graph::StateGraph, step_details::StepDetails, workshop::Workshop,
};
use state::{Action, Playground};
use wasm_bindgen::closure::Closure;
use wasm_bindgen::JsCast;
use yew::prelude::*;

#[function_component(App)]
pub fn app() -> Html {
    let state = use_reducer(Playground::default);
    use_run_worker(&state);
    use_run_in_slices(&state);
    use_shortcuts(&state);
    let saved = saved::use_saved_work(&state);
    // The workbench fills the window, as the console's execution page does: the controls
    // and the whole graph on the left, the outcome and Step details beside them, the input,
    // definition and exports below those in a column that scrolls on its own; the events
    // come after.
    html! {
        <>
            <div class="workbench-screen">
                <header class="app-header">
                    <div>
                        <h1>{ "Step Functions playground" }</h1>
                        <p class="tagline">{ "The call-center tutorial, run in your browser: no AWS account needed." }</p>
                    </div>
                    <div class="header-tools">
                        <ExamplePicker state={state.clone()} />
                        <SharePanel state={state.clone()} />
                    </div>
                </header>
                <LinkNotice state={state.clone()} />
                <SaveNotice saved={saved} />
                <main class="app-main workbench">
                    <div class="column run-column">
                        <Controls state={state.clone()} />
                        <StateGraph state={state.clone()} />
                    </div>
                    <div class="column details-column" id="side-column">
                        <Workshop state={state.clone()} />
                        <ExecutionResult state={state.clone()} />
                        <StepDetails state={state.clone()} />
                        <ExecutionInput state={state.clone()} />
                        <DefinitionEditor state={state.clone()} />
                        <MockPanel state={state.clone()} />
                        <ExportPanel state={state.clone()} />
                    </div>
                </main>
            </div>
            <div class="history-area">
                <EventHistory state={state.clone()} />
            </div>
        </>
    }
}

/// The run worker's replies go to the page's state (once, before anything can start a run:
/// until the page listens, runs stay on its thread).
#[hook]
fn use_run_worker(state: &UseReducerHandle<Playground>) {
    let dispatcher = state.dispatcher();
    use_memo((), move |_| {
        runner::channel::listen(move |heard| dispatcher.dispatch(Action::Heard(heard)))
    });
}

/// "Run to end" runs the engine for a slice of time ([`state::SLICE_MS`]) and gives the page
/// a turn in between, so it answers clicks (Pause, Stop) even during a 25,000-event run.
#[hook]
fn use_run_in_slices(state: &UseReducerHandle<Playground>) {
    let state = state.clone();
    use_effect_with((state.running, state.revision), move |(running, _)| {
        let timeout = running
            .then(|| gloo_timers::callback::Timeout::new(0, move || state.dispatch(Action::Tick)));
        move || drop(timeout)
    });
}

/// Keyboard shortcuts for the controls (shown on the buttons): n step, b step back, r run or
/// pause, x stop. Ignored while typing in a field or with a modifier key held.
#[hook]
fn use_shortcuts(state: &UseReducerHandle<Playground>) {
    let running = state.running;
    let state = state.clone();
    use_effect_with(running, move |running| {
        let running = *running;
        let document = web_sys::window().and_then(|w| w.document());
        let listener =
            Closure::<dyn Fn(web_sys::KeyboardEvent)>::new(move |e: web_sys::KeyboardEvent| {
                if e.ctrl_key() || e.meta_key() || e.alt_key() || e.default_prevented() {
                    return;
                }
                let typing = e
                    .target()
                    .and_then(|t| t.dyn_into::<web_sys::Element>().ok())
                    .is_some_and(|el| {
                        matches!(el.tag_name().as_str(), "INPUT" | "TEXTAREA" | "SELECT")
                    });
                if typing {
                    return;
                }
                let action = match e.key().as_str() {
                    "n" => Action::StepForward,
                    "b" => Action::StepBack,
                    "r" if running => Action::Pause,
                    "r" => Action::RunToEnd,
                    "x" => Action::Stop,
                    _ => return,
                };
                e.prevent_default();
                state.dispatch(action);
            });
        if let Some(document) = &document {
            let _ = document
                .add_event_listener_with_callback("keydown", listener.as_ref().unchecked_ref());
        }
        move || {
            if let Some(document) = &document {
                let _ = document.remove_event_listener_with_callback(
                    "keydown",
                    listener.as_ref().unchecked_ref(),
                );
            }
        }
    });
}
