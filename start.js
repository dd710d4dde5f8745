// Starts the playground: loads wasm-bindgen's JS glue and the .wasm, whose names (hashed by
// Trunk) are on the <script> that loads this file (Trunk.toml, pattern_script). Trunk would
// otherwise write these lines into index.html as an inline script, which the page's
// Content-Security-Policy refuses (script-src 'self', no 'unsafe-inline').
const script = document.querySelector('script[data-glue][data-wasm]');
const base = document.baseURI;
const { default: init } = await import(new URL(script.dataset.glue, base).href);
const url = new URL(script.dataset.wasm, base);
let module_or_path = url;
try {
  // Compiled here, and kept: the run worker (src/runner, run-worker.js) is given this same
  // module, so the .wasm is neither downloaded nor compiled a second time.
  module_or_path = globalThis.sfnWasmModule = await WebAssembly.compileStreaming(fetch(url));
} catch {
  // A server that does not send .wasm as application/wasm: the glue fetches it its own way.
}
const wasm = await init({ module_or_path });
dispatchEvent(new CustomEvent('TrunkApplicationStarted', { detail: { wasm } }));
