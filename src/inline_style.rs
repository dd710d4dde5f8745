//! Inline styles the page computes (an editor's height, the graph's pan and zoom, a line
//! marker's place), set through the CSSOM (`element.style.setProperty`) instead of `style`
//! attributes: the page's Content-Security-Policy (`style-src 'self'`, no 'unsafe-inline')
//! refuses every `style` attribute, Yew's included, but leaves the CSSOM alone.

use wasm_bindgen::JsCast;
use yew::prelude::*;

/// CSS properties and their values, e.g. `[("height", "120px")]`.
pub type Style = Vec<(&'static str, String)>;

/// Sets `style` on the element behind `node` (HTML or SVG); nothing when it is not mounted.
pub fn set_style(node: &NodeRef, style: &[(&'static str, String)]) {
    let Some(element) = node.get() else { return };
    let declaration = if let Some(html) = element.dyn_ref::<web_sys::HtmlElement>() {
        html.style()
    } else if let Some(svg) = element.dyn_ref::<web_sys::SvgElement>() {
        svg.style()
    } else {
        return;
    };
    for (property, value) in style {
        if declaration.get_property_value(property).ok().as_deref() != Some(value.as_str()) {
            let _ = declaration.set_property(property, value);
        }
    }
}

/// Keeps `style` on the element behind `node`: set after each render that changes it (Yew
/// runs effects before the browser paints, so the element is never seen without it).
#[hook]
pub fn use_style(node: NodeRef, style: Style) {
    use_effect_with(style, move |style| set_style(&node, style));
}

#[derive(Properties, PartialEq)]
pub struct StyledProps {
    /// The element: `span` unless told.
    #[prop_or(AttrValue::Static("span"))]
    pub tag: AttrValue,
    #[prop_or_default]
    pub class: Classes,
    #[prop_or_default]
    pub title: Option<AttrValue>,
    pub style: Style,
    #[prop_or_default]
    pub children: Html,
}

/// An element (a `<span>` unless told) with a computed inline style: one of many in a list,
/// each needing its own node.
#[function_component(Styled)]
pub fn styled(props: &StyledProps) -> Html {
    let node = use_node_ref();
    use_style(node.clone(), props.style.clone());
    html! {
        <@{props.tag.to_string()} ref={node} class={props.class.clone()} title={props.title.clone()}>
            { props.children.clone() }
        </@>
    }
}
