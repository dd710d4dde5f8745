// Starts the playground: loads wasm-bindgen's JS glue and the .wasm, whose names (hashed by
// Trunk) are on the <script> that loads this file (Trunk.toml, pattern_script). Trunk would
// otherwise write these lines into index.html as an inline script, which the page's
// Content-Security-Policy refuses (script-src 'self', no 'unsafe-inline').
const script = document.querySelector('script[data-glue][data-wasm]');
const base = document.baseURI;
const { default: init } = await import(new URL(script.dataset.glue, base).href);
const wasm = await init({ module_or_path: new URL(script.dataset.wasm, base) });
dispatchEvent(new CustomEvent('TrunkApplicationStarted', { detail: { wasm } }));
