//! What the page says about saving the work in this browser (see `crate::saved`): it could
//! not be saved (with a Download of it), the saved copy is older than the last visit's work,
//! the saved work could not be read (kept aside, with a Download, and every copy kept so far
//! listed, each to download or delete), or another tab saved
//! different work (the person chooses).

use crate::browser;
use crate::saved::{KeptCopy, SavedWork, Status};
use yew::prelude::*;

/// What the Download of unreadable saved work is named (its text as it was stored).
const UNREADABLE_FILE: &str = "sfn-playground-saved-work.txt";

#[derive(Properties, PartialEq)]
pub struct Props {
    pub saved: SavedWork,
}

#[function_component(SaveNotice)]
pub fn save_notice(Props { saved }: &Props) -> Html {
    // The browser refused a Download: said next to its button.
    let refused = use_state_eq(|| false);
    let Status {
        failed,
        older,
        unreadable,
        kept: copies,
        other_tab,
    } = saved.status().clone();
    let act = |f: fn(&SavedWork)| {
        let saved = saved.clone();
        Callback::from(move |_: MouseEvent| f(&saved))
    };
    let download_work = {
        let (saved, refused) = (saved.clone(), refused.clone());
        Callback::from(move |_: MouseEvent| refused.set(!saved.download_work()))
    };
    let refused_text = refused.then(|| {
        html! { <p class="hint">{ "The browser refused the download: copy the definition and the input from their editors instead." }</p> }
    });
    let not_saved = match (failed, older) {
        (Some(why), _) => html! {
            <div class="notice error" role="alert" id="save-notice">
                <p>{ format!("Your work could not be saved in this browser: {why} It is still here on the page: download it to keep it.") }</p>
                <button type="button" id="download-work" class="primary" onclick={download_work}>{ "Download my work" }</button>
                { refused_text }
            </div>
        },
        (None, true) => html! {
            <div class="notice error" role="alert" id="save-notice">
                <p>{ "Your last changes could not be saved in this browser on your last visit (its storage was full, or refused): this is your work as it was last saved." }</p>
                <button type="button" class="secondary" onclick={act(SavedWork::dismiss_older)}>{ "OK" }</button>
            </div>
        },
        (None, false) => html! {},
    };
    let unreadable = unreadable.map(|u| {
        let text = u.text.clone();
        let download = Callback::from(move |_: MouseEvent| {
            browser::download(UNREADABLE_FILE, text.as_bytes(), "text/plain");
        });
        let (kept, button) = match &u.kept {
            Ok(key) => (
                format!("It is kept in this browser as “{key}”, and the page opened without it."),
                html! { <button type="button" class="secondary" onclick={act(SavedWork::dismiss_unreadable)}>{ "OK" }</button> },
            ),
            Err(why) => (
                format!("It could not be set aside ({why}), so it is left as it was, and nothing you do here is saved until you discard it."),
                html! { <button type="button" id="discard-unreadable" class="secondary" onclick={act(SavedWork::discard_unreadable)}>{ "Discard it" }</button> },
            ),
        };
        html! {
            <div class="notice error" role="alert" id="unreadable-notice">
                <p>{ format!("Your saved work could not be read: {}. {kept}", u.why) }</p>
                <div class="buttons">
                    <button type="button" id="download-unreadable" class="primary" onclick={download}>{ "Download it" }</button>
                    { button }
                </div>
                <KeptCopies saved={saved.clone()} copies={copies.clone()} />
            </div>
        }
    });
    let other_tab = other_tab.map(|other| {
        let load = match &other.theirs {
            Ok(_) => html! {
                <button type="button" id="load-other-tab" class="secondary" onclick={act(SavedWork::load_theirs)}>{ "Load the other tab's work" }</button>
            },
            Err(why) => html! { <p class="hint">{ format!("This page cannot open it: {why}.") }</p> },
        };
        html! {
            <div class="notice" role="alertdialog" aria-labelledby="other-tab-text" id="other-tab-notice">
                <p id="other-tab-text">
                    { "Another tab of the playground saved different work in this browser. This tab's changes are not saved until you choose." }
                </p>
                <div class="buttons">
                    <button type="button" id="keep-this-tab" class="primary" onclick={act(SavedWork::keep_mine)}>{ "Keep this tab's work" }</button>
                    { load }
                </div>
                <p class="hint">{ "Keeping this tab's work keeps the other tab's as the previous version in this browser." }</p>
            </div>
        }
    });
    html! {
        <>
            { not_saved }
            { for unreadable }
            { for other_tab }
        </>
    }
}

#[derive(Properties, PartialEq)]
struct KeptCopiesProps {
    saved: SavedWork,
    copies: Vec<KeptCopy>,
}

/// Every copy of unreadable saved work kept in this browser, each to download or delete: they
/// take the browser's storage, which the work needs too.
#[function_component(KeptCopies)]
fn kept_copies(KeptCopiesProps { saved, copies }: &KeptCopiesProps) -> Html {
    if copies.is_empty() {
        return html! {};
    }
    let items = copies.iter().map(|copy| {
        let key = copy.key.clone();
        let download = Callback::from(move |_: MouseEvent| {
            if let Some(text) = browser::load(&key) {
                browser::download(UNREADABLE_FILE, text.as_bytes(), "text/plain");
            }
        });
        let delete = {
            let (saved, key) = (saved.clone(), copy.key.clone());
            Callback::from(move |_: MouseEvent| saved.delete_kept(&key))
        };
        html! {
            <li>
                <code>{ copy.key.clone() }</code>
                <span class="kept-size">{ size(copy.size) }</span>
                <button type="button" class="secondary" onclick={download}
                    aria-label={format!("Download {}", copy.key)}>{ "Download" }</button>
                <button type="button" class="secondary" onclick={delete}
                    aria-label={format!("Delete {}", copy.key)}>{ "Delete" }</button>
            </li>
        }
    });
    html! {
        <div class="kept-copies">
            <p id="kept-copies-heading">{ "Unreadable work kept in this browser:" }</p>
            <ul id="kept-copies" aria-labelledby="kept-copies-heading">{ for items }</ul>
        </div>
    }
}

/// `812 characters`, `35 K characters`, `1.2 M characters`: as the storage's quota counts them.
fn size(chars: usize) -> String {
    if chars < 10_000 {
        format!("{chars} characters")
    } else if chars < 1_000_000 {
        format!("{} K characters", chars / 1000)
    } else {
        format!("{:.1} M characters", chars as f64 / 1_000_000.0)
    }
}
