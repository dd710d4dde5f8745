fn main() {
    // In the run worker (run-worker.js loads this same .wasm there): no window, no page;
    // answer the page's requests instead (src/runner).
    if web_sys::window().is_none() {
        #[cfg(target_arch = "wasm32")]
        sfn_playground::runner::worker::serve();
        return;
    }
    // The page's "Loading…" message (index.html) has done its job.
    if let Some(loading) = web_sys::window()
        .and_then(|w| w.document())
        .and_then(|d| d.get_element_by_id("loading"))
    {
        loading.remove();
    }
    sfn_playground::crash::install();
    yew::Renderer::<sfn_playground::App>::new().render();
}
