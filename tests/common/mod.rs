//! Helpers shared by the wasm-bindgen-test files in tests/ (browser only).
#![allow(dead_code)]

use web_sys::Element;
use yew::{AppHandle, BaseComponent, Renderer};

/// Lets Yew finish every pending render and effect (its scheduler runs on the microtask queue).
pub async fn tick() {
    yew::scheduler::flush().await;
}

/// A component mounted into a fresh `<div>` appended to `<body>`; unmounted and removed on drop.
pub struct Mounted<C: BaseComponent> {
    pub root: Element,
    handle: Option<AppHandle<C>>,
}

impl<C> Mounted<C>
where
    C: BaseComponent,
    C::Properties: Default,
{
    /// Mounts `C` with its default properties and waits for the first render.
    pub async fn new() -> Self {
        Self::with_props(C::Properties::default()).await
    }
}

impl<C: BaseComponent> Mounted<C> {
    pub async fn with_props(props: C::Properties) -> Self {
        // Each test starts from the default page: no work saved by an earlier test (a test's
        // own stored values, e.g. workshop progress, stay).
        if let Some(storage) = web_sys::window().and_then(|w| w.local_storage().ok().flatten()) {
            for key in [
                "sfn-playground.work",
                "sfn-playground.work.previous",
                "sfn-playground.work.unreadable",
            ] {
                let _ = storage.remove_item(key);
            }
        }
        let document = web_sys::window()
            .and_then(|w| w.document())
            .expect("a browser document");
        let root = document.create_element("div").expect("create <div>");
        document
            .body()
            .expect("<body>")
            .append_child(&root)
            .expect("append the root <div>");
        let handle = Renderer::<C>::with_root_and_props(root.clone(), props).render();
        tick().await;
        Mounted {
            root,
            handle: Some(handle),
        }
    }

    pub fn html(&self) -> String {
        self.root.inner_html()
    }

    pub fn text(&self) -> String {
        self.root.text_content().unwrap_or_default()
    }

    /// The first element under the root matching a CSS selector.
    pub fn query(&self, selector: &str) -> Option<Element> {
        self.root.query_selector(selector).expect("valid selector")
    }

    /// How many elements under the root match a CSS selector.
    pub fn count(&self, selector: &str) -> u32 {
        self.root
            .query_selector_all(selector)
            .expect("valid selector")
            .length()
    }
}

impl<C: BaseComponent> Drop for Mounted<C> {
    fn drop(&mut self) {
        if let Some(handle) = self.handle.take() {
            handle.destroy();
        }
        self.root.remove();
    }
}
