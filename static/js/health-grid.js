/* Measuring day's grid (templates/health/grid/grid.html): Tab or Enter goes to the next box, and from
 * a row's last box to the first box of the next child; each child's row is saved when the person
 * leaves it (a POST of the row to its data-url, which answers JSON), and its status cell shows what
 * came back: saved, the z-scores, the flags with a "Confirm these values" button, or what to correct.
 * Without this script the form posts every row at once. No framework, no inline code (CSP).
 */
(function () {
  "use strict";

  function Grid(form) {
    this.form = form;
    this.rows = Array.prototype.slice.call(form.querySelectorAll("[data-row]"));
    this.fields = Array.prototype.slice.call(form.querySelectorAll("[data-field]"));
    var self = this;
    this.rows.forEach(function (row) {
      row._sent = self.snapshot(row);
      row._hadValues = self.typed(row);
      row._busy = false;
      row._again = false;
      row.addEventListener("focusout", function (event) {
        if (event.relatedTarget && row.contains(event.relatedTarget)) return;
        self.saveIfChanged(row);
      });
    });
    form.addEventListener("keydown", function (event) { self.keydown(event); });
    form.addEventListener("click", function (event) {
      var button = event.target.closest ? event.target.closest("button[name=confirm]") : null;
      if (!button) return;
      event.preventDefault();
      var row = button.closest("[data-row]");
      self.save(row, true, true);
    });
  }

  Grid.prototype.msg = function (name) {
    return this.form.getAttribute("data-msg-" + name) || "";
  };

  Grid.prototype.csrf = function () {
    var field = this.form.querySelector("input[name=csrfmiddlewaretoken]");
    return field ? field.value : "";
  };

  Grid.prototype.day = function () {
    var field = this.form.querySelector("input[name=on]");
    return field ? field.value : "";
  };

  Grid.prototype.field = function (row, name) {
    return row.querySelector("[data-field=" + name + "]");
  };

  Grid.prototype.snapshot = function (row) {
    return Array.prototype.map.call(row.querySelectorAll("[data-field]"), function (f) {
      return f.getAttribute("data-field") + "=" + f.value.trim();
    }).join("&");
  };

  Grid.prototype.typed = function (row) {
    var weight = this.field(row, "weight_kg"), height = this.field(row, "height_cm"), muac = this.field(row, "muac_cm");
    return [weight, height, muac].some(function (f) { return f && f.value.trim() !== ""; });
  };

  /* Enter moves on like Tab (a form is never sent by Enter in a box). */
  Grid.prototype.keydown = function (event) {
    var target = event.target;
    if (event.key !== "Enter" || !target.hasAttribute || !target.hasAttribute("data-field")) return;
    if (event.isComposing) return;
    event.preventDefault();
    var index = this.fields.indexOf(target);
    var step = event.shiftKey ? -1 : 1;
    var next = this.fields[index + step];
    if (next) {
      next.focus();
      if (next.select && next.tagName === "INPUT") next.select();
    } else {
      var row = target.closest("[data-row]");
      if (row) this.saveIfChanged(row);
    }
  };

  Grid.prototype.saveIfChanged = function (row) {
    if (this.snapshot(row) === row._sent) return;
    if (!this.typed(row) && !row._hadValues) {
      row._sent = this.snapshot(row);  // only the position changed on an empty row: nothing to save
      return;
    }
    this.save(row, false, false);
  };

  Grid.prototype.save = function (row, confirm, moveOn) {
    var self = this;
    if (row._busy) {
      if (confirm) row._confirmAgain = true;
      else row._again = true;
      return;
    }
    row._busy = true;
    var sent = this.snapshot(row);
    var status = row.querySelector("[data-status]");
    var data = new FormData();
    data.append("csrfmiddlewaretoken", this.csrf());
    data.append("on", this.day());
    Array.prototype.forEach.call(row.querySelectorAll("[data-field]"), function (f) {
      data.append(f.getAttribute("data-field"), f.value);
    });
    if (confirm) data.append("confirm", "1");
    row.classList.add("row-saving");
    row.setAttribute("aria-busy", "true");
    var saving = document.createElement("p");
    saving.className = "grid-state muted";
    saving.textContent = this.msg("saving");
    status.insertBefore(saving, status.firstChild);
    fetch(row.getAttribute("data-url"), {
      method: "POST",
      body: data,
      credentials: "same-origin",
      headers: { "X-CSRFToken": this.csrf(), "X-Requested-With": "XMLHttpRequest", "Accept": "application/json" }
    }).then(function (response) {
      return response.json();
    }).then(function (answer) {
      self.show(row, answer, sent);
      if (moveOn && answer.saved) self.focusNextRow(row);
    }).catch(function () {
      status.innerHTML = "";
      var failed = document.createElement("p");
      failed.className = "grid-state error";
      failed.setAttribute("role", "alert");
      failed.textContent = self.msg("failed");
      status.appendChild(failed);
      row.className = "row-error";
    }).then(function () {
      row._busy = false;
      row.classList.remove("row-saving");
      row.removeAttribute("aria-busy");
      if (row._confirmAgain) {
        row._confirmAgain = row._again = false;
        self.save(row, true, true);
      } else if (row._again) {
        row._again = false;
        self.saveIfChanged(row);
      }
    });
  };

  Grid.prototype.show = function (row, answer, sent) {
    var self = this;
    row.querySelector("[data-status]").innerHTML = answer.status_html;
    row.className = answer.saved ? (answer.needs_confirmation ? "row-flagged" : "row-saved") : "row-error";
    Array.prototype.forEach.call(row.querySelectorAll("[data-field]"), function (f) {
      var name = f.getAttribute("data-field");
      if (answer.errors && answer.errors[name]) f.setAttribute("aria-invalid", "true");
      else f.removeAttribute("aria-invalid");
    });
    if (answer.saved) {
      row._hadValues = true;
      if (this.snapshot(row) === sent && answer.values) {
        // The values as saved ("12,54" is 12,5), unless the person typed on meanwhile.
        Object.keys(answer.values).forEach(function (name) {
          var f = self.field(row, name);
          if (f) f.value = answer.values[name];
        });
        row._sent = this.snapshot(row);
      } else {
        row._sent = sent;
      }
    }
  };

  Grid.prototype.focusNextRow = function (row) {
    var index = this.rows.indexOf(row);
    var next = this.rows[index + 1];
    var target = next ? next.querySelector("[data-field]") : this.form.querySelector(".grid-save");
    if (target) target.focus();
  };

  document.addEventListener("DOMContentLoaded", function () {
    Array.prototype.forEach.call(document.querySelectorAll("[data-health-grid]"), function (form) {
      new Grid(form);
    });
  });
})();
