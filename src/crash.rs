//! What the page does when the app itself fails: a panic aborts the .wasm (the page's profile
//! has `panic = "abort"`), after which no call into it can be trusted (a `RefCell` borrowed
//! when it happened stays borrowed). The page says so with the panic's message, stops saving,
//! and offers a reload (crash.js's `sfnCrashed`, which also catches what is not a panic,
//! such as a stack overflow).

/// Installs the panic hook; call before the app renders (Yew installs its own otherwise).
pub fn install() {
    yew::set_custom_panic_hook(Box::new(|info| report(&info.to_string())));
}

/// Hands the message to the page's `sfnCrashed`.
fn report(message: &str) {
    #[cfg(target_arch = "wasm32")]
    {
        use wasm_bindgen::JsCast;
        let crashed = web_sys::window()
            .and_then(|w| js_sys::Reflect::get(&w, &"sfnCrashed".into()).ok())
            .and_then(|f| f.dyn_into::<js_sys::Function>().ok());
        if let Some(crashed) = crashed {
            let _ = crashed.call1(&wasm_bindgen::JsValue::NULL, &message.into());
        }
    }
    #[cfg(not(target_arch = "wasm32"))]
    eprintln!("Something went wrong: {message}");
}

/// Whether the app has failed: nothing is saved from then on, so the work saved before the
/// failure is what a reload brings back.
pub fn crashed() -> bool {
    #[cfg(target_arch = "wasm32")]
    {
        web_sys::window()
            .and_then(|w| js_sys::Reflect::get(&w, &"sfnBroken".into()).ok())
            .is_some_and(|v| v.is_truthy())
    }
    #[cfg(not(target_arch = "wasm32"))]
    false
}
