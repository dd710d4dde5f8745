//! Saved work: what the person built, kept in this browser's localStorage, and everything
//! that can go wrong with it said out loud.
//!
//! - Storage full or refused: the work stays on the page (it is the page's state), a notice
//!   says why with a Download of the work as a file, the browser asks before the page is left,
//!   and a small marker makes the next visit say that the saved copy is older. A value is
//!   written whole or not at all (`setItem`), never cut to fit.
//! - Saved work that cannot be read (corrupted, or written by a newer version of the page) is
//!   set aside under a key of its own ([`UNREADABLE_KEY`], then `.2`, `.3`…), never over an
//!   earlier copy; if it cannot be set aside, it is left where it is and nothing is saved over
//!   it until the person downloads or discards it. The notice lists every copy kept so far,
//!   each to download or delete ([`kept_copies`]): they would otherwise fill the storage unseen.
//! - Two tabs: each remembers the text it last read or wrote. Another tab's save (the
//!   `storage` event, or a different text found when saving) is never overwritten silently: the
//!   person keeps this tab's work or loads the other's.
//! - Saving costs what the work weighs (the whole record is written): so it is done once
//!   typing pauses for [`SAVE_DEBOUNCE_MS`] (or at least every [`SAVE_MAX_WAIT_MS`] while it
//!   goes on), not on every keystroke — with a 5 MB input, every key wrote 5 MB.
//! - Leaving the page (`pagehide`, a hidden tab, `beforeunload`) saves at once, with the
//!   definition as typed even within its 300 ms debounce ([`set_typed_definition`]): a reload
//!   right after typing keeps what was typed.

use crate::browser;
use crate::share::Snapshot;
use crate::state::{Action, Playground};
use serde_json::{Map, Value};
use std::cell::RefCell;
use std::rc::Rc;
use wasm_bindgen::closure::Closure;
use wasm_bindgen::JsCast;
use yew::prelude::*;

/// Where the work is kept.
pub const WORK_KEY: &str = "sfn-playground.work";
/// Where the work a shared link (or another tab's, when this tab's is kept) replaced goes.
pub const PREVIOUS_KEY: &str = "sfn-playground.work.previous";
/// Present when the last save failed: the next visit says the saved copy is older.
pub const UNSAVED_KEY: &str = "sfn-playground.work.unsaved";
/// Where unreadable saved work is set aside (the first copy; later ones get `.2`, `.3`…).
pub const UNREADABLE_KEY: &str = "sfn-playground.work.unreadable";
/// The saved-work format this version writes (its `version` field; work saved before the
/// field existed has none and is format 1).
pub const FORMAT: u64 = 1;
/// How long after the last change the work is saved.
pub const SAVE_DEBOUNCE_MS: u32 = 250;
/// While changes go on without a pause, the work is still saved this often (should the browser
/// be killed, with no chance to save on leaving).
pub const SAVE_MAX_WAIT_MS: f64 = 2_000.0;
/// What the Download button names the work.
pub const WORK_FILE: &str = "sfn-playground-work.zip";

/// Saved work as stored: `{"version":1, …the snapshot's fields}`.
pub fn record(work: &Snapshot) -> String {
    let mut map = Map::new();
    map.insert("version".into(), FORMAT.into());
    if let Value::Object(fields) = work.to_value() {
        map.extend(fields);
    }
    Value::Object(map).to_string()
}

/// The work a stored record holds, or why it cannot be read (in words for the person).
pub fn read(raw: &str) -> Result<Snapshot, String> {
    let value: Value =
        serde_json::from_str(raw).map_err(|e| format!("it is not valid JSON ({e})"))?;
    match value.get("version") {
        None | Some(Value::Null) => {}
        Some(v) => match v.as_u64() {
            Some(n) if n <= FORMAT => {}
            Some(n) => {
                return Err(format!(
                    "it was saved by a newer version of the playground (format {n}; this page reads format {FORMAT})"
                ))
            }
            None => return Err(format!("its version ({v}) is not a whole number")),
        },
    }
    Snapshot::from_value(&value).map_err(|e| format!("it is not saved work ({e})"))
}

/// The key to set `text` aside under: the one already holding it, or else the first free one
/// of [`UNREADABLE_KEY`], `.2`, `.3`… (`stored` reads a key). `None` if a thousand are taken.
pub fn kept_key(text: &str, stored: impl Fn(&str) -> Option<String>) -> Option<String> {
    (1..=1000)
        .map(|n| match n {
            1 => UNREADABLE_KEY.to_string(),
            n => format!("{UNREADABLE_KEY}.{n}"),
        })
        .find(|key| stored(key).is_none_or(|kept| kept == text))
}

/// Of `keys`, those of unreadable work set aside ([`UNREADABLE_KEY`], `.2`, `.3`…), in that
/// order.
pub fn kept_keys(keys: impl IntoIterator<Item = String>) -> Vec<String> {
    let number = |key: &str| -> Option<u32> {
        let rest = key.strip_prefix(UNREADABLE_KEY)?;
        if rest.is_empty() {
            return Some(1);
        }
        let n = rest.strip_prefix('.')?;
        // `.2`, never `.02` or `.+2`: only the keys `kept_key` makes.
        (n.bytes().all(|b| b.is_ascii_digit()) && !n.starts_with('0'))
            .then(|| n.parse().ok())
            .flatten()
    };
    let mut kept: Vec<(u32, String)> = keys
        .into_iter()
        .filter_map(|k| number(&k).map(|n| (n, k)))
        .collect();
    kept.sort();
    kept.into_iter().map(|(_, k)| k).collect()
}

/// A copy of unreadable saved work kept in this browser.
#[derive(Clone, PartialEq, Debug)]
pub struct KeptCopy {
    pub key: String,
    /// Its length in UTF-16 code units, as the browser's storage counts it.
    pub size: usize,
}

/// The copies of unreadable saved work kept in this browser, in the order they were kept.
pub fn kept_copies() -> Vec<KeptCopy> {
    kept_keys(browser::stored_keys())
        .into_iter()
        .filter_map(|key| {
            let size = browser::load(&key)?.encode_utf16().count();
            Some(KeptCopy { key, size })
        })
        .collect()
}

/// The work as files a person can use without the page: the definition (JSON or YAML, as
/// typed), the input, and the MockConfigFile if there is one, in a zip.
pub fn work_zip(definition: &str, input: &str, mocks: &str) -> Vec<u8> {
    let name = if import::looks_like_json(definition) {
        "definition.asl.json"
    } else {
        "definition.asl.yaml"
    };
    let mut files = vec![
        (name, definition.as_bytes()),
        ("input.json", input.as_bytes()),
    ];
    if !mocks.trim().is_empty() {
        files.push(("MockConfigFile.json", mocks.as_bytes()));
    }
    crate::archive::zip(files)
}

/// Offers the page's work as [`WORK_FILE`]; `false` when the browser refuses.
pub fn download_work(state: &Playground) -> bool {
    let definition = typed_definition().unwrap_or_else(|| state.definition.clone());
    let zip = work_zip(&definition, &state.input, &state.mocks);
    !zip.is_empty() && browser::download(WORK_FILE, &zip, "application/zip")
}

thread_local! {
    /// The definition as typed in its editor, which reaches the state 300 ms after typing
    /// stops: leaving the page within those 300 ms saves it all the same.
    static TYPED_DEFINITION: RefCell<Option<String>> = const { RefCell::new(None) };
}

/// The definition editor's text (`None`: the state's definition is the one shown).
pub fn set_typed_definition(text: Option<String>) {
    TYPED_DEFINITION.with(|t| *t.borrow_mut() = text);
}

fn typed_definition() -> Option<String> {
    TYPED_DEFINITION.with(|t| t.borrow().clone())
}

/// What the person is told about saving (each part its own notice).
#[derive(Clone, Default, PartialEq)]
pub struct Status {
    /// The last save failed: the browser's reason. The work is only on the page.
    pub failed: Option<String>,
    /// A save failed on the last visit: the saved copy shown is older than the work was.
    pub older: bool,
    pub unreadable: Option<Rc<Unreadable>>,
    /// With `unreadable`: every copy of unreadable work kept in this browser.
    pub kept: Vec<KeptCopy>,
    /// Another tab saved different work after this one last read or wrote it.
    pub other_tab: Option<Rc<OtherTab>>,
}

/// Saved work that could not be read.
#[derive(PartialEq)]
pub struct Unreadable {
    pub why: String,
    pub text: String,
    /// The key it was set aside under, or why it could not be (then it is left under
    /// [`WORK_KEY`] and nothing is saved until the person discards it).
    pub kept: Result<String, String>,
}

/// Another tab's saved work.
#[derive(PartialEq)]
pub struct OtherTab {
    pub text: String,
    /// Its work, or why this page cannot read it (a newer version's tab).
    pub theirs: Result<Snapshot, String>,
}

/// Saves the work when it changes, and keeps track of what the person must be told.
pub struct Saver {
    /// What [`WORK_KEY`] held when this tab last read or wrote it (`None`: nothing).
    seen: Option<String>,
    pub status: Status,
}

impl Saver {
    /// Reads the saved work (on opening): the work, if there is any that can be read.
    pub fn open() -> (Saver, Option<Snapshot>) {
        let raw = browser::load(WORK_KEY);
        let mut status = Status {
            older: browser::load(UNSAVED_KEY).is_some(),
            ..Status::default()
        };
        // Said once: the marker goes (it comes back if saving fails again).
        if status.older {
            browser::remove(UNSAVED_KEY);
        }
        let work = match raw.as_deref().map(read) {
            None => None,
            Some(Ok(work)) => Some(work),
            Some(Err(why)) => {
                let text = raw.clone().unwrap_or_default();
                let kept = match kept_key(&text, browser::load) {
                    Some(key) => browser::try_save(&key, &text).map(|()| key),
                    None => Err("a thousand copies are kept already".into()),
                };
                status.unreadable = Some(Rc::new(Unreadable { why, text, kept }));
                status.kept = kept_copies();
                None
            }
        };
        (Saver { seen: raw, status }, work)
    }

    /// Nothing is saved while unreadable work that could not be set aside is in the way.
    fn held(&self) -> bool {
        self.status
            .unreadable
            .as_ref()
            .is_some_and(|u| u.kept.is_err())
    }

    /// Saves `work` unless it is what was last saved, another tab's save is in the way (the
    /// person is then asked), or unreadable work is held.
    pub fn save(&mut self, work: &Snapshot) {
        if self.held() || self.status.other_tab.is_some() {
            return;
        }
        let text = record(work);
        if self.seen.as_deref() == Some(text.as_str()) {
            return;
        }
        let now = browser::load(WORK_KEY);
        if now.is_some() && now != self.seen && self.other_tab_saved(now, work) {
            return;
        }
        match browser::try_save(WORK_KEY, &text) {
            Ok(()) => {
                self.seen = Some(text);
                if self.status.failed.take().is_some() {
                    browser::remove(UNSAVED_KEY);
                }
            }
            Err(why) => {
                // A few bytes often still fit when the work does not.
                let _ = browser::try_save(UNSAVED_KEY, "1");
                self.status.failed = Some(why);
            }
        }
    }

    /// Another tab wrote `text` (`None`: it removed the work): `true` when it differs from
    /// `work`, and the person is asked.
    fn other_tab_saved(&mut self, text: Option<String>, work: &Snapshot) -> bool {
        let Some(text) = text else {
            self.seen = None;
            return false;
        };
        let theirs = read(&text);
        // The selected state is not work: only a different selection, nothing to choose.
        let unselected = |s: &Snapshot| Snapshot {
            selected: None,
            ..s.clone()
        };
        if theirs
            .as_ref()
            .is_ok_and(|t| unselected(t) == unselected(work))
        {
            self.seen = Some(text);
            self.status.other_tab = None;
            return false;
        }
        self.status.other_tab = Some(Rc::new(OtherTab { text, theirs }));
        true
    }

    /// The `storage` event: another tab changed `key` to `value` (`key` `None`: it cleared
    /// the storage).
    pub fn storage_changed(&mut self, key: Option<&str>, value: Option<String>, work: &Snapshot) {
        if key.is_some_and(|k| k != WORK_KEY) || value == self.seen {
            return;
        }
        self.other_tab_saved(value, work);
    }

    /// The person keeps this tab's work: the other tab's becomes the previous work.
    pub fn keep_mine(&mut self, work: &Snapshot) {
        if let Some(other) = self.status.other_tab.take() {
            let _ = browser::try_save(PREVIOUS_KEY, &other.text);
            self.seen = browser::load(WORK_KEY);
        }
        self.save(work);
    }

    /// The person loads the other tab's work: what to show.
    pub fn load_theirs(&mut self) -> Option<Snapshot> {
        let other = self.status.other_tab.take()?;
        self.seen = Some(other.text.clone());
        other.theirs.clone().ok()
    }

    /// The person discards unreadable work that was held (after downloading it, perhaps).
    pub fn discard_unreadable(&mut self, work: &Snapshot) {
        self.status.unreadable = None;
        self.save(work);
    }

    /// The person deletes the kept copy under `key` (one of [`Status::kept`]).
    pub fn delete_kept(&mut self, key: &str) {
        if kept_keys([key.to_string()]).is_empty() {
            return;
        }
        browser::remove(key);
        self.status.kept = kept_copies();
    }

    pub fn dismiss_unreadable(&mut self) {
        if !self.held() {
            self.status.unreadable = None;
        }
    }

    pub fn dismiss_older(&mut self) {
        self.status.older = false;
    }

    /// Work that leaving the page would lose.
    fn unsaved(&self) -> bool {
        self.status.failed.is_some() || self.status.other_tab.is_some() || self.held()
    }
}

/// The saved work for the page's parts: its status, and what the person can do about it.
#[derive(Clone)]
pub struct SavedWork {
    saver: Rc<RefCell<Saver>>,
    status: UseStateHandle<Status>,
    state: UseReducerHandle<Playground>,
}

impl PartialEq for SavedWork {
    /// As rendered (a handle's value is the one its render saw; dereferencing it reads the
    /// latest).
    fn eq(&self, other: &Self) -> bool {
        self.status == other.status && self.state == other.state
    }
}

impl SavedWork {
    pub fn status(&self) -> &Status {
        &self.status
    }

    /// Runs `f` on the saver, then shows its status.
    fn with(&self, f: impl FnOnce(&mut Saver, &Snapshot)) {
        let mut saver = self.saver.borrow_mut();
        f(&mut saver, &work(&self.state));
        self.status.set(saver.status.clone());
    }

    pub fn keep_mine(&self) {
        self.with(|s, work| s.keep_mine(work));
    }

    pub fn load_theirs(&self) {
        let theirs = self.saver.borrow_mut().load_theirs();
        self.status.set(self.saver.borrow().status.clone());
        if let Some(theirs) = theirs {
            self.state.dispatch(Action::LoadSaved(Box::new(theirs)));
        }
    }

    pub fn discard_unreadable(&self) {
        self.with(|s, work| s.discard_unreadable(work));
    }

    pub fn dismiss_unreadable(&self) {
        self.with(|s, _| s.dismiss_unreadable());
    }

    pub fn delete_kept(&self, key: &str) {
        self.with(|s, _| s.delete_kept(key));
    }

    pub fn dismiss_older(&self) {
        self.with(|s, _| s.dismiss_older());
    }

    pub fn download_work(&self) -> bool {
        download_work(&self.state)
    }
}

/// What is saved of the page: the snapshot without the open workshop step and the run's
/// position (those travel in share links only), with the definition as typed.
fn work(state: &Playground) -> Snapshot {
    let mut work = state.work();
    if let Some(typed) = typed_definition() {
        work.definition = (typed != state.example.definition).then_some(typed);
    }
    work
}

/// Saved work and share links: on opening, the link (or else the saved work) is shown — a link
/// that differs from saved work waits for the person's choice — and from then on every change
/// is saved in this browser (see the module's documentation).
#[hook]
pub fn use_saved_work(state: &UseReducerHandle<Playground>) -> SavedWork {
    let saver = use_mut_ref(|| Saver {
        seen: None,
        status: Status::default(),
    });
    let status = use_state_eq(Status::default);
    // For the listeners below (set up once): dereferencing the handle reads the page's
    // latest state, even one reduced since the last render.
    let latest = state.clone();
    let show = {
        let (saver, status) = (saver.clone(), status.clone());
        Rc::new(move || status.set(saver.borrow().status.clone()))
    };
    {
        let (state, saver, show) = (state.clone(), saver.clone(), show.clone());
        use_effect_with((), move |_| {
            let (opened, saved) = Saver::open();
            *saver.borrow_mut() = opened;
            show();
            let (shown, notice, workshop) = crate::components::link_notice::opening(saved);
            state.dispatch(Action::Loaded(Box::new(shown), notice, workshop));
        });
    }
    // The save waiting for a pause in the changes, and since when changes have waited (see
    // SAVE_DEBOUNCE_MS). The timer is never dropped from its own callback.
    let pending = use_mut_ref(|| None::<gloo_timers::callback::Timeout>);
    let waiting_since = use_mut_ref(|| None::<f64>);
    {
        let (state, saver, show) = (state.clone(), saver.clone(), show.clone());
        let (pending, waiting_since, latest) =
            (pending.clone(), waiting_since.clone(), latest.clone());
        use_effect_with(state.revision, move |_| {
            // While "Run to end" goes, only the selected state changes, turn after turn: it is
            // saved once the run pauses or ends.
            if !state.loaded || state.running {
                return;
            }
            let now = js_sys::Date::now();
            let since = *waiting_since.borrow_mut().get_or_insert(now);
            if now - since >= SAVE_MAX_WAIT_MS {
                pending.borrow_mut().take();
                waiting_since.borrow_mut().take();
                saver.borrow_mut().save(&work(&state));
                show();
                return;
            }
            let waiting = waiting_since.clone();
            // Replacing the timer drops (cancels) the one before.
            *pending.borrow_mut() = Some(gloo_timers::callback::Timeout::new(
                SAVE_DEBOUNCE_MS,
                move || {
                    waiting.borrow_mut().take();
                    let state = &*latest;
                    if state.loaded && !state.running {
                        saver.borrow_mut().save(&work(state));
                        show();
                    }
                },
            ));
        });
    }
    {
        let (saver, latest, show) = (saver.clone(), latest.clone(), show.clone());
        use_effect_with((), move |_| {
            let window = web_sys::window();
            // Another tab saved (or cleared) the work.
            let on_storage = {
                let (saver, latest, show) = (saver.clone(), latest.clone(), show.clone());
                Closure::<dyn Fn(web_sys::Event)>::new(move |e: web_sys::Event| {
                    let field = |name: &str| {
                        js_sys::Reflect::get(&e, &name.into())
                            .ok()
                            .and_then(|v| v.as_string())
                    };
                    if latest.loaded {
                        let state = &*latest;
                        saver.borrow_mut().storage_changed(
                            field("key").as_deref(),
                            field("newValue"),
                            &work(&state),
                        );
                        show();
                    }
                })
            };
            // Leaving the page (or hiding it, after which it may be discarded unseen): save
            // now, and ask first when the work could not be saved.
            let on_leave = {
                let (saver, latest, show) = (saver.clone(), latest.clone(), show.clone());
                let (pending, waiting_since) = (pending.clone(), waiting_since.clone());
                Closure::<dyn Fn(web_sys::Event)>::new(move |e: web_sys::Event| {
                    let hidden = web_sys::window()
                        .and_then(|w| w.document())
                        .is_some_and(|d| d.hidden());
                    if e.type_() == "visibilitychange" && !hidden {
                        return;
                    }
                    let state = &*latest;
                    if !state.loaded {
                        return;
                    }
                    // The save waiting for a pause is made now.
                    pending.borrow_mut().take();
                    waiting_since.borrow_mut().take();
                    let mut saver = saver.borrow_mut();
                    saver.save(&work(&state));
                    if e.type_() == "beforeunload" && saver.unsaved() {
                        e.prevent_default();
                        // Older browsers ask only when returnValue is set.
                        let _ = js_sys::Reflect::set(&e, &"returnValue".into(), &"".into());
                    }
                    drop(saver);
                    // A hidden tab comes back to what that save found.
                    show();
                })
            };
            let events = [
                ("storage", &on_storage),
                ("pagehide", &on_leave),
                ("beforeunload", &on_leave),
            ];
            let document = window.as_ref().and_then(|w| w.document());
            if let Some(w) = &window {
                for (name, listener) in events {
                    let _ =
                        w.add_event_listener_with_callback(name, listener.as_ref().unchecked_ref());
                }
            }
            if let Some(d) = &document {
                let _ = d.add_event_listener_with_callback(
                    "visibilitychange",
                    on_leave.as_ref().unchecked_ref(),
                );
            }
            move || {
                if let Some(w) = &window {
                    for (name, listener) in [
                        ("storage", &on_storage),
                        ("pagehide", &on_leave),
                        ("beforeunload", &on_leave),
                    ] {
                        let _ = w.remove_event_listener_with_callback(
                            name,
                            listener.as_ref().unchecked_ref(),
                        );
                    }
                }
                if let Some(d) = &document {
                    let _ = d.remove_event_listener_with_callback(
                        "visibilitychange",
                        on_leave.as_ref().unchecked_ref(),
                    );
                }
            }
        });
    }
    SavedWork {
        saver,
        status,
        state: state.clone(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn work() -> Snapshot {
        Snapshot {
            example: Some("wait".into()),
            input: Some("{\"a\": 1}".into()),
            seed: Some(5),
            ..Default::default()
        }
    }

    #[test]
    fn a_record_reads_back_with_its_version() {
        let text = record(&work());
        assert!(
            text.starts_with(r#"{"version":1,"example":"wait""#),
            "{text}"
        );
        assert_eq!(read(&text), Ok(work()));
        // Work saved before the version field existed still opens.
        assert_eq!(read(&work().to_json()), Ok(work()));
    }

    #[test]
    fn unreadable_records_say_why() {
        assert!(read("{not json").unwrap_err().contains("not valid JSON"));
        let newer = read(r#"{"version":2,"example":"wait"}"#).unwrap_err();
        assert!(newer.contains("newer version"), "{newer}");
        assert!(read(r#"{"version":"one"}"#)
            .unwrap_err()
            .contains("not a whole number"));
        assert!(read(r#"{"seed":"x"}"#)
            .unwrap_err()
            .contains("not saved work"));
        assert!(read("[]").unwrap_err().contains("not saved work"));
    }

    #[test]
    fn each_unreadable_copy_gets_its_own_key() {
        let stored = |taken: &'static [(&'static str, &'static str)]| {
            move |key: &str| {
                taken
                    .iter()
                    .find(|(k, _)| *k == key)
                    .map(|(_, v)| v.to_string())
            }
        };
        assert_eq!(kept_key("b", stored(&[])).as_deref(), Some(UNREADABLE_KEY));
        assert_eq!(
            kept_key("b", stored(&[(UNREADABLE_KEY, "a")])).as_deref(),
            Some("sfn-playground.work.unreadable.2")
        );
        // The same text again is not kept twice.
        assert_eq!(
            kept_key("a", stored(&[(UNREADABLE_KEY, "a")])).as_deref(),
            Some(UNREADABLE_KEY)
        );
        assert_eq!(
            kept_key(
                "c",
                stored(&[
                    (UNREADABLE_KEY, "a"),
                    ("sfn-playground.work.unreadable.2", "b")
                ])
            )
            .as_deref(),
            Some("sfn-playground.work.unreadable.3")
        );
    }

    #[test]
    fn kept_copies_are_listed_in_the_order_they_were_kept() {
        let keys = [
            "sfn-playground.work.unreadable.10",
            "sfn-playground.work",
            "sfn-playground.work.unreadable.2",
            "other",
            "sfn-playground.work.unreadable",
            "sfn-playground.work.unreadable.02",
            "sfn-playground.work.unreadable.x",
            "sfn-playground.work.unreadableX",
            "sfn-playground.work.previous",
        ];
        assert_eq!(
            kept_keys(keys.map(String::from)),
            [
                "sfn-playground.work.unreadable",
                "sfn-playground.work.unreadable.2",
                "sfn-playground.work.unreadable.10",
            ]
        );
    }

    #[test]
    fn the_work_file_holds_the_definition_input_and_mocks() {
        use std::io::Read;
        let zip = work_zip("Comment: x\n", "{}", "");
        let mut archive = zip::ZipArchive::new(std::io::Cursor::new(zip)).unwrap();
        assert_eq!(archive.len(), 2);
        let mut text = String::new();
        archive
            .by_name("definition.asl.yaml")
            .unwrap()
            .read_to_string(&mut text)
            .unwrap();
        assert_eq!(text, "Comment: x\n");
        assert!(archive.by_name("input.json").is_ok());
        let zip = work_zip("{}", "{}", "{\"StateMachines\":{}}");
        let mut archive = zip::ZipArchive::new(std::io::Cursor::new(zip)).unwrap();
        assert_eq!(archive.len(), 3);
        for name in ["MockConfigFile.json", "definition.asl.json", "input.json"] {
            assert!(archive.by_name(name).is_ok(), "{name}");
        }
    }
}
