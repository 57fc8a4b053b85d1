// The week editor's food boxes suggest foods as one types (code or name), from the school's foods
// page answering in JSON. Without this script the box takes a code or an exact name all the same.
(function () {
  "use strict";
  // A dish is removed with its ingredients: ask first (without the script, it is removed at once).
  document.addEventListener("click", function (event) {
    var button = event.target.closest && event.target.closest("button[data-confirm]");
    if (button && !window.confirm(button.dataset.confirm)) event.preventDefault();
  });

  var list = document.getElementById("menu-foods");
  if (!list || !list.dataset.url || !window.fetch) return;
  var timer = null;
  var last = "";

  function fill(foods) {
    list.replaceChildren();
    foods.forEach(function (food) {
      var option = document.createElement("option");
      option.value = food.code + " " + food.name;
      if (food.name_en) option.label = food.name_en;
      list.appendChild(option);
    });
  }

  function ask(text) {
    if (text === last || text.length < 2) return;
    last = text;
    fetch(list.dataset.url + "?format=json&q=" + encodeURIComponent(text), {
      credentials: "same-origin",
      headers: { Accept: "application/json" },
    })
      .then(function (answer) { return answer.ok ? answer.json() : { foods: [] }; })
      .then(function (data) { if (text === last) fill(data.foods || []); })
      .catch(function () {});
  }

  document.addEventListener("input", function (event) {
    var box = event.target;
    if (!box.matches || !box.matches("input[list='menu-foods']")) return;
    clearTimeout(timer);
    timer = setTimeout(function () { ask(box.value.trim()); }, 200);
  });
})();
