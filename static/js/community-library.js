// The lending desk: "/" puts the cursor in the scan box, so the desk runs from the keyboard and a scanner.
(function () {
  var scan = document.querySelector("[data-desk-scan]");
  if (!scan) return;
  document.addEventListener("keydown", function (event) {
    var tag = (event.target.tagName || "").toLowerCase();
    if (event.key === "/" && tag !== "input" && tag !== "select" && tag !== "textarea") {
      event.preventDefault();
      scan.focus();
      scan.select();
    }
  });
})();
