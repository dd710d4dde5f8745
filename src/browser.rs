//! The few browser services the page uses — saved work in localStorage, the URL fragment, the
//! clipboard — each failing quietly (a private window without storage, an old browser without
//! a clipboard API) instead of panicking the page.

use wasm_bindgen::JsValue;

fn window() -> Option<web_sys::Window> {
    web_sys::window()
}

/// `text` in lower case, as JavaScript's `toLowerCase()` gives it. In the browser the browser
/// does it: Rust's `str::to_lowercase` would bring its own Unicode case tables (12 KB) into
/// the .wasm for the event filter alone.
pub fn lowercase(text: &str) -> String {
    #[cfg(target_arch = "wasm32")]
    {
        String::from(js_sys::JsString::from(text).to_lower_case())
    }
    #[cfg(not(target_arch = "wasm32"))]
    {
        text.to_lowercase()
    }
}

/// The value saved under `key`, if storage works and has one.
pub fn load(key: &str) -> Option<String> {
    window()?.local_storage().ok()??.get_item(key).ok()?
}

/// Saves `value` under `key`; `false` when storage is unavailable or full.
pub fn save(key: &str, value: &str) -> bool {
    try_save(key, value).is_ok()
}

/// Saves `value` under `key` (whole, or not at all), or says why the browser refused, in
/// words for the person.
pub fn try_save(key: &str, value: &str) -> Result<(), String> {
    // After a failure the page's state may be half-updated: the work saved before it stays.
    if crate::crash::crashed() {
        return Err(
            "the page failed, and what it holds now may be broken: the work saved before stays"
                .into(),
        );
    }
    let storage = window()
        .ok_or("there is no window")?
        .local_storage()
        .map_err(|e| refusal(&e))?
        .ok_or("this browser offers no storage to this page")?;
    storage.set_item(key, value).map_err(|e| refusal(&e))
}

/// Every key this page's storage holds (none if storage is unavailable).
pub fn stored_keys() -> Vec<String> {
    let Some(storage) = window().and_then(|w| w.local_storage().ok().flatten()) else {
        return Vec::new();
    };
    let count = storage.length().unwrap_or(0);
    (0..count)
        .filter_map(|i| storage.key(i).ok().flatten())
        .collect()
}

/// Removes what is saved under `key` (nothing happens if storage is unavailable).
pub fn remove(key: &str) {
    if let Some(storage) = window().and_then(|w| w.local_storage().ok().flatten()) {
        let _ = storage.remove_item(key);
    }
}

/// A storage exception (a DOMException) as a reason: what its name means, then its message.
fn refusal(error: &JsValue) -> String {
    let field = |name: &str| {
        js_sys::Reflect::get(error, &JsValue::from_str(name))
            .ok()
            .and_then(|v| v.as_string())
            .unwrap_or_default()
    };
    let meaning = match field("name").as_str() {
        "QuotaExceededError" => "the browser's storage for this page is full",
        "SecurityError" => "the browser does not let this page store anything (private browsing, or site data blocked)",
        _ => "the browser refused to store it",
    };
    match field("message") {
        message if message.is_empty() => format!("{meaning}."),
        message => format!("{meaning} (“{message}”)."),
    }
}

/// The page's URL fragment, without `#`.
pub fn fragment() -> String {
    window()
        .and_then(|w| w.location().hash().ok())
        .unwrap_or_default()
        .trim_start_matches('#')
        .to_string()
}

/// The page's address without its fragment (where a share link points: any host, any path).
pub fn base_url() -> String {
    let href = window()
        .and_then(|w| w.location().href().ok())
        .unwrap_or_default();
    href.split('#').next().unwrap_or_default().to_string()
}

/// Replaces the fragment without reloading or adding a history entry (`""` removes it).
pub fn set_fragment(fragment: &str) {
    let url = if fragment.is_empty() {
        base_url()
    } else {
        format!("{}#{fragment}", base_url())
    };
    if let Some(history) = window().and_then(|w| w.history().ok()) {
        let _ = history.replace_state_with_url(&JsValue::NULL, "", Some(&url));
    }
}

/// Puts text on the clipboard (asynchronously); `false` when the browser offers no clipboard.
pub fn copy(text: &str) -> bool {
    let Some(window) = window() else { return false };
    let navigator = window.navigator();
    let Ok(clipboard) = js_sys::Reflect::get(&navigator, &JsValue::from_str("clipboard")) else {
        return false;
    };
    let Ok(write) = js_sys::Reflect::get(&clipboard, &JsValue::from_str("writeText")) else {
        return false;
    };
    let Some(write) = write.dyn_ref::<js_sys::Function>() else {
        return false;
    };
    write.call1(&clipboard, &JsValue::from_str(text)).is_ok()
}

use wasm_bindgen::JsCast;

/// Offers `bytes` as a file named `name` (a download); `false` when the browser refuses.
pub fn download(name: &str, bytes: &[u8], mime: &str) -> bool {
    let attempt = || -> Option<()> {
        let document = window()?.document()?;
        let parts = js_sys::Array::of1(&js_sys::Uint8Array::from(bytes));
        let options = web_sys::BlobPropertyBag::new();
        options.set_type(mime);
        let blob = web_sys::Blob::new_with_u8_array_sequence_and_options(&parts, &options).ok()?;
        let url = web_sys::Url::create_object_url_with_blob(&blob).ok()?;
        let anchor: web_sys::HtmlAnchorElement =
            document.create_element("a").ok()?.dyn_into().ok()?;
        anchor.set_href(&url);
        anchor.set_download(name);
        anchor.click();
        let _ = web_sys::Url::revoke_object_url(&url);
        Some(())
    };
    attempt().is_some()
}

/// The text of the file just chosen in the `<input type="file">` that fired `event`, for an
/// editor holding `before` bytes: given to `then` once read, or why it is refused (see
/// [`read_file`]); the input is cleared, so that the same file can be chosen again.
pub fn read_chosen_file(
    event: &web_sys::Event,
    before: usize,
    then: impl FnOnce(Result<String, String>) + 'static,
) {
    use wasm_bindgen::JsCast;
    let Some(input) = event
        .target()
        .and_then(|t| t.dyn_into::<web_sys::HtmlInputElement>().ok())
    else {
        return;
    };
    if let Some(file) = input.files().and_then(|files| files.get(0)) {
        read_file(file, before, then);
    }
    input.set_value("");
}

/// The text of `file`, to replace an editor's text of `before` bytes, given to `then` once
/// read; or, when it is too big for an editor ([`refusal`]), why not, decided from the file's
/// size before a byte of it is read.
///
/// [`refusal`]: crate::components::json_editor::refusal
pub fn read_file(
    file: web_sys::File,
    before: usize,
    then: impl FnOnce(Result<String, String>) + 'static,
) {
    use crate::components::json_editor::{refusal, Arrival};
    let size = file.size() as usize;
    if let Some(why) = refusal(Arrival::File, before, size) {
        then(Err(why));
        return;
    }
    wasm_bindgen_futures::spawn_local(async move {
        let text = wasm_bindgen_futures::JsFuture::from(file.text()).await;
        if let Some(text) = text.ok().and_then(|t| t.as_string()) {
            then(Ok(text));
        }
    });
}

/// Runs `then` once the page has painted its next frame (a task posted from the frame's
/// `requestAnimationFrame`): for work the person need not wait for before seeing what changed.
/// Dropping the returned handle before then cancels it.
pub fn after_paint(then: impl FnOnce() + 'static) -> AfterPaint {
    use std::cell::Cell;
    use std::rc::Rc;
    let cancelled = Rc::new(Cell::new(false));
    let flag = cancelled.clone();
    let posted = move || {
        gloo_timers::callback::Timeout::new(0, move || {
            if !flag.get() {
                then();
            }
        })
        .forget();
    };
    let frame = wasm_bindgen::closure::Closure::once_into_js(posted);
    let requested = window().and_then(|w| w.request_animation_frame(frame.unchecked_ref()).ok());
    if requested.is_none() {
        // No frames to wait for (no window): at once, after this task.
        if let Ok(f) = frame.dyn_into::<js_sys::Function>() {
            let _ = f.call0(&JsValue::NULL);
        }
    }
    AfterPaint { cancelled }
}

/// See [`after_paint`]: dropped, the work is not done.
pub struct AfterPaint {
    cancelled: std::rc::Rc<std::cell::Cell<bool>>,
}

impl Drop for AfterPaint {
    fn drop(&mut self) {
        self.cancelled.set(true);
    }
}

/// A textarea's text, copied into wasm by the browser's `TextEncoder` (natively) rather than by
/// wasm-bindgen's string conversion, which walks an ASCII text character by character in
/// script: 3 ms for a 338 KB definition, on every keystroke.
pub fn textarea_text(area: &web_sys::HtmlTextAreaElement) -> String {
    thread_local! {
        static ENCODE: Option<(JsValue, js_sys::Function)> = encoder();
    }
    fn encoder() -> Option<(JsValue, js_sys::Function)> {
        let class = js_sys::Reflect::get(&js_sys::global(), &JsValue::from_str("TextEncoder"))
            .ok()?
            .dyn_into::<js_sys::Function>()
            .ok()?;
        let encoder = js_sys::Reflect::construct(&class, &js_sys::Array::new()).ok()?;
        let encode = js_sys::Reflect::get(&encoder, &JsValue::from_str("encode"))
            .ok()?
            .dyn_into::<js_sys::Function>()
            .ok()?;
        Some((encoder, encode))
    }
    let fast = ENCODE.with(|e| {
        let (encoder, encode) = e.as_ref()?;
        let value = js_sys::Reflect::get(area, &JsValue::from_str("value")).ok()?;
        let bytes = encode.call1(encoder, &value).ok()?;
        String::from_utf8(js_sys::Uint8Array::new(&bytes).to_vec()).ok()
    });
    fast.unwrap_or_else(|| area.value())
}
