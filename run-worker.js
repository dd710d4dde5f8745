// The run worker: the page's executions run here (src/runner), so that a state computing for
// seconds never blocks the page and Stop always answers. The page's first message is its
// compiled .wasm module (or null: then it is fetched from the URL given in this script's
// address, as is the JS glue); src/main.rs sees no window and serves the page's requests.
// Requests that come while the .wasm starts wait in `early`.
self.early = [];
const module = await new Promise((resolve) => {
  self.onmessage = (first) => {
    self.onmessage = (e) => self.early.push(e.data);
    resolve(first.data);
  };
});
const params = new URL(self.location.href).searchParams;
const { default: init } = await import(params.get('glue'));
await init({ module_or_path: module instanceof WebAssembly.Module ? module : params.get('wasm') });
