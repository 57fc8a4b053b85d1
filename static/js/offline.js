/* Offline reading and a clean sign-out, on every page (templates/base.html). No framework, no build step.
 *
 * Signed in, the page registers the service worker (/sw.js, templates/service_worker.js), which keeps
 * the family's last-seen pages for when the connection drops. A page shown from that copy has
 * <html data-offline="saved">: its note "you are offline, shown as of …" ([data-offline-note=saved]) shows;
 * a copy shown because the portal answered with an error has data-offline="server" and its own note.
 *
 * Family phones are shared: signing out empties the saved pages before the form goes (the server's
 * Clear-Site-Data header does it too, where the browser follows it), and a page seen signed out
 * empties whatever is left. Where the browser has no service worker (some in-app browsers), pages
 * work as before, online only.
 */
(function () {
  "use strict";
  var root = document.documentElement;

  function clearSaved() {
    if (!window.caches) return Promise.resolve();
    return caches.keys().then(function (names) {
      return Promise.all(names.map(function (name) { return caches.delete(name); }));
    }).catch(function () { /* storage refused: nothing was kept */ });
  }

  // "saved": the phone is offline; "server": the portal answered with an error. Each has its own note.
  function showNote() {
    var reason = root.getAttribute("data-offline");
    var note = document.querySelector('[data-offline-note="' + reason + '"]');
    if (note && reason !== "live") note.hidden = false;
  }

  function watchSignOut() {
    var forms = document.querySelectorAll("form[data-sign-out]");
    Array.prototype.forEach.call(forms, function (form) {
      form.addEventListener("submit", function (event) {
        if (form.cleared || !window.caches) return;
        event.preventDefault();
        var go = function () {
          if (form.cleared) return;
          form.cleared = true;
          form.submit();
        };
        clearSaved().then(go, go);
        setTimeout(go, 2000);  // a stuck storage never keeps anyone signed in
      });
    });
  }

  function init() {
    showNote();
    watchSignOut();
    var worker = root.getAttribute("data-service-worker");
    if (!worker) {
      clearSaved();  // signed out: nothing of the last person stays on the phone
      return;
    }
    if (navigator.serviceWorker && navigator.serviceWorker.register) {
      navigator.serviceWorker.register(worker, { scope: "/" }).catch(function () { /* online only */ });
    }
  }

  if (document.readyState === "loading") document.addEventListener("DOMContentLoaded", init); else init();
})();
