// The run worker: the page's executions run here (src/runner), so that a state computing for
// seconds never blocks the page and Stop always answers. It loads the same JS glue and .wasm
// as the page (their hashed names come in this script's URL); src/main.rs sees no window and
// serves the page's requests. Requests that come while the .wasm loads wait in `early`.
self.early = [];
self.onmessage = (e) => self.early.push(e.data);
const params = new URL(self.location.href).searchParams;
const { default: init } = await import(params.get('glue'));
await init({ module_or_path: params.get('wasm') });
