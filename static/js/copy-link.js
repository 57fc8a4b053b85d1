// Copy an invitation's link, or hand it to the phone's share sheet (Zalo, Messenger...).
// The buttons stay hidden where the browser cannot do it; the link is still there to select.
(function () {
  "use strict";

  function source(button, attribute) {
    return document.getElementById(button.getAttribute(attribute));
  }

  document.querySelectorAll("button[data-copy]").forEach(function (button) {
    if (!navigator.clipboard || !window.isSecureContext) return;
    button.hidden = false;
    button.addEventListener("click", function () {
      var input = source(button, "data-copy");
      navigator.clipboard.writeText(input.value).then(function () {
        var label = button.textContent;
        button.textContent = button.getAttribute("data-copied");
        setTimeout(function () { button.textContent = label; }, 2000);
      }, function () {
        input.select();
      });
    });
  });

  document.querySelectorAll("button[data-share]").forEach(function (button) {
    if (!navigator.share) return;
    button.hidden = false;
    button.addEventListener("click", function () {
      var input = source(button, "data-share");
      navigator.share({ title: button.getAttribute("data-title"), url: input.value }).catch(function () {});
    });
  });

  document.querySelectorAll("input.copy-source").forEach(function (input) {
    input.addEventListener("focus", function () { input.select(); });
  });
})();
