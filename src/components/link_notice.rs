//! What the page says about the link it was opened with: a broken link (the saved work is
//! shown instead), a shared playground that differs from the saved work (the person chooses;
//! nothing is overwritten silently), or a workshop link that names no step.

use crate::browser;
use crate::saved::PREVIOUS_KEY;
use crate::share::{self, Snapshot};
use crate::state::{Action, Notice, Playground};
use yew::prelude::*;

/// What to show on opening, given the saved work: the work (the link's, or the saved one),
/// what to tell the person about the link, and the workshop step a `#workshop=N` link opens.
pub fn opening(saved: Option<Snapshot>) -> (Option<Snapshot>, Option<Notice>, Option<usize>) {
    let fragment = browser::fragment();
    if let Some(step) = super::workshop::workshop_link(&fragment) {
        return match step {
            Ok(step) => (saved, None, Some(step)),
            Err(bad) => (saved, Some(Notice::NoSuchWorkshopStep(bad)), None),
        };
    }
    if !share::is_share_fragment(&fragment) {
        return (saved, None, None);
    }
    // The link is read once; a reload then shows the saved work.
    browser::set_fragment("");
    match share::decode(&fragment) {
        Err(why) => (saved, Some(Notice::BrokenLink(why)), None),
        Ok(link) => match saved {
            // The run's position is not work: a link to the saved work at some step opens
            // without asking (it replaces nothing).
            Some(saved)
                if saved
                    != (Snapshot {
                        step: None,
                        stopped: None,
                        ..link.clone()
                    }) =>
            {
                (Some(saved), Some(Notice::SharedLink(link)), None)
            }
            _ => (Some(link), None, None),
        },
    }
}

/// A workshop link's text, as far as it is shown (a link may carry anything).
fn named(text: &str) -> String {
    const SHOWN: usize = 40;
    let mut shown: String = text.chars().take(SHOWN).collect();
    if text.chars().count() > SHOWN {
        shown.push('…');
    }
    shown
}

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
        Some(Notice::NoSuchWorkshopStep(bad)) => html! {
            <div class="notice error" role="alert" id="link-notice">
                <p>{ format!(
                    "This link asks for workshop step “{}”, which does not exist: the workshop has steps 1 to {}. Open it with the Workshop button.",
                    named(bad),
                    super::workshop::STEPS.len()
                ) }</p>
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
