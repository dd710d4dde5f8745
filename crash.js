// Anything that escapes the app (a Rust panic, which aborts the .wasm, or a stack
// overflow) leaves it unable to go on safely: say so where the person looks, stop saving
// (src/browser.rs checks sfnBroken, so the work saved before stays as it was) and offer a
// reload, which brings that work back. src/crash.rs sends panics here with their message.
window.sfnCrashed = function (message) {
  if (window.sfnBroken) return;
  window.sfnBroken = true;
  console.error('Something went wrong: ' + message);
  var show = function () {
    var box = document.createElement('div');
    box.id = 'crash';
    box.className = 'crash';
    box.setAttribute('role', 'alert');
    var what = document.createElement('p');
    var strong = document.createElement('strong');
    strong.textContent = 'Something went wrong: ';
    what.appendChild(strong);
    what.appendChild(document.createTextNode(message));
    var kept = document.createElement('p');
    kept.textContent = 'Your work is kept: it was saved before this happened, and nothing is saved from now on. ';
    var reload = document.createElement('button');
    reload.type = 'button';
    reload.id = 'crash-reload';
    reload.textContent = 'Reload the page';
    reload.addEventListener('click', function () { location.reload(); });
    kept.appendChild(reload);
    box.appendChild(what);
    box.appendChild(kept);
    document.body.insertBefore(box, document.body.firstChild);
  };
  if (document.body) show(); else window.addEventListener('DOMContentLoaded', show);
};
var failed = function (error, fallback) {
  var message = String((error && error.message) || fallback || error);
  // Chrome's note about a ResizeObserver loop is no failure of the app.
  if (/^ResizeObserver loop/.test(message)) return;
  window.sfnCrashed(message);
};
window.addEventListener('error', function (event) { failed(event.error, event.message); });
window.addEventListener('unhandledrejection', function (event) { failed(event.reason); });
