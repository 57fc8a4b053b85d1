// Follows a label sheet or an album being made: the bar moves, and the page reloads once it is done.
// Without JavaScript the page asks for itself again (the Refresh header) and has a link to do it.
(function () {
  "use strict";
  var box = document.querySelector("[data-status-url]");
  if (!box || !window.fetch) {
    return;
  }
  var url = box.getAttribute("data-status-url");
  var bar = box.querySelector("progress");
  var text = box.querySelector("[data-progress-text]");

  function later(seconds) {
    window.setTimeout(poll, seconds * 1000);
  }

  function poll() {
    window.fetch(url, { credentials: "same-origin", headers: { Accept: "application/json" } })
      .then(function (response) {
        return response.ok ? response.json() : null;
      })
      .then(function (data) {
        if (!data) {
          later(5);
          return;
        }
        if (bar) {
          bar.max = data.total || 1;
          bar.value = data.done;
        }
        if (text) {
          text.textContent = data.state_label + " – " + data.percent + " %";
        }
        if (data.finished) {
          window.location.reload();
          return;
        }
        later(1.5);
      })
      .catch(function () {
        later(5);
      });
  }

  later(1);
})();
