//! What the page says about the link it was opened with: a broken link (the saved work is
//! shown instead), or a shared playground that differs from the saved work (the person
//! chooses; nothing is overwritten silently).

use crate::browser;
use crate::state::{Action, Notice, Playground};
use yew::prelude::*;

/// Where the work is kept, and where the work a shared link replaced goes.
pub const WORK_KEY: &str = "sfn-playground.work";
pub const PREVIOUS_KEY: &str = "sfn-playground.work.previous";

#[derive(Properties, PartialEq)]
pub struct Props {
    pub state: UseReducerHandle<Playground>,
}

#[function_component(LinkNotice)]
pub fn link_notice(Props { state }: &Props) -> Html {
    let dismiss = {
        let state = state.clone();
        Callback::from(move |_: MouseEvent| state.dispatch(Action::DismissNotice))
    };
    match &state.notice {
        None => html! {},
        Some(Notice::BrokenLink(why)) => html! {
            <div class="notice error" role="alert" id="link-notice">
                <p>{ format!("This link could not be opened: {why} Your saved work is shown instead.") }</p>
                <button type="button" class="secondary" onclick={dismiss}>{ "OK" }</button>
            </div>
        },
        Some(Notice::SharedLink(_)) => {
            let open = {
                let state = state.clone();
                Callback::from(move |_: MouseEvent| {
                    // The work on screen stays recoverable: it becomes the previous work.
                    browser::save(PREVIOUS_KEY, &state.snapshot().to_json());
                    state.dispatch(Action::OpenSharedLink);
                })
            };
            html! {
                <div class="notice" role="alertdialog" aria-labelledby="link-notice-text" id="link-notice">
                    <p id="link-notice-text">
                        { "This link opens a shared playground. You have saved work here too: it is what you see now." }
                    </p>
                    <div class="buttons">
                        <button type="button" id="open-shared" class="primary" onclick={open}>{ "Open the shared playground" }</button>
                        <button type="button" id="keep-mine" class="secondary" onclick={dismiss}>{ "Keep my work" }</button>
                    </div>
                    <p class="hint">{ "Opening it keeps your work as the previous version in this browser." }</p>
                </div>
            }
        }
    }
}
