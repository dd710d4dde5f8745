fn main() {
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
