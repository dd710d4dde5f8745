fn main() {
    yew::Renderer::<sfn_playground::App>::new().render();
}
