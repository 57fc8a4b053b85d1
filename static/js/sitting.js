/* A sitting (templates/portfolio/sitting/sitting.html): each photo checked by the server becomes a
 * card; one tap on a child of the class grid gives the chosen card's photo to that child, and the next
 * photo without a child is chosen by itself. Tap a card to change its child; "Undo" takes back the
 * last tap; "Leave out" keeps a photo out of the works. The form sends photo_<file id> = child id
 * (each card's select, which this script hides and sets) and is sent once, for every photo.
 * Builds on the events of static/js/upload.js (media:checked, media:ready). No framework.
 */
(function () {
  "use strict";

  function fill(text, values) {
    return String(text || "").replace(/%\((\w+)\)s/g, function (all, name) {
      return values[name] === undefined ? all : values[name];
    });
  }

  function Sitting(form) {
    this.form = form;
    this.cards = form.querySelector("[data-sitting-cards]");
    this.template = form.querySelector("[data-sitting-card-template]");
    this.status = form.querySelector("[data-sitting-status]");
    this.undoButton = form.querySelector("[data-sitting-undo]");
    this.widget = form.querySelector("[data-media-upload-many]");
    this.history = [];
    this.current = null;
    this.picked = false;  // the teacher chose the current card (to change its child)
    var self = this;

    form.classList.add("sitting-live");
    var help = form.querySelector("[data-sitting-help]");
    if (help) help.hidden = false;
    this.undoButton.hidden = false;
    Array.prototype.forEach.call(form.querySelectorAll("[data-child]"), function (button) {
      button.hidden = false;
      button.addEventListener("click", function () { self.tapChild(button); });
    });
    Array.prototype.forEach.call(this.cards.querySelectorAll("[data-photo]"), function (card) {
      self.enhance(card);
    });
    this.undoButton.addEventListener("click", function () { self.undo(); });

    this.widget.addEventListener("media:checked", function (event) {
      self.cardFor(event.detail.id, event.detail.file, event.detail.index);
    });
    this.widget.addEventListener("media:ready", function (event) {
      var card = self.cardFor(event.detail.id, event.detail.file, event.detail.index);
      self.thumbnail(card, event.detail);
    });
    this.chooseNext();
  }

  Sitting.prototype.msg = function (name) {
    return this.form.getAttribute("data-msg-" + name) || "";
  };

  Sitting.prototype.say = function (text) { this.status.textContent = text; };

  Sitting.prototype.allCards = function () {
    return Array.prototype.slice.call(this.cards.querySelectorAll("[data-photo]"));
  };

  Sitting.prototype.select = function (card) { return card.querySelector("[data-card-select]"); };

  Sitting.prototype.fileName = function (card) {
    var file = card.querySelector("[data-card-file]");
    return (file && file.textContent) || "";
  };

  // A card's script parts: the select is hidden (the taps set it), the card can be chosen and left out.
  Sitting.prototype.enhance = function (card) {
    var self = this;
    var label = card.querySelector("[data-card-select-label]");
    if (label) label.hidden = true;
    var leave = card.querySelector("[data-card-leave]");
    leave.hidden = false;
    leave.addEventListener("click", function () { self.leaveOut(card); });
    card.querySelector("[data-card-pick]").addEventListener("click", function () {
      self.picked = true;
      self.choose(card);
    });
    this.show(card);
  };

  // The card of a photo, made when the server has checked it, in the order the photos were chosen.
  Sitting.prototype.cardFor = function (id, file, index) {
    var card = this.cards.querySelector('[data-photo="' + id + '"]');
    if (card) return card;
    var html = this.template.innerHTML.replace(/__id__/g, id);
    var holder = document.createElement("ol");
    holder.innerHTML = html.trim();
    card = holder.firstElementChild;
    card.querySelector("[data-card-file]").textContent = (file && file.name) || "";
    card.setAttribute("data-index", String(index || 0));
    var after = this.allCards().filter(function (other) {
      return other.hasAttribute("data-index") && Number(other.getAttribute("data-index")) > (index || 0);
    })[0];
    this.cards.insertBefore(card, after || null);
    this.enhance(card);
    // Until the teacher picks a card, the first photo without a child is the one a tap gives.
    if (!this.current || !this.picked) this.chooseNext();
    return card;
  };

  Sitting.prototype.thumbnail = function (card, detail) {
    var box = card.querySelector("[data-card-thumb]");
    if (!detail.thumbUrl || box.querySelector("img")) return;
    var picture = document.createElement("picture");
    if (detail.thumbWebpUrl) {
      var source = document.createElement("source");
      source.type = "image/webp";
      source.srcset = detail.thumbWebpUrl;
      picture.appendChild(source);
    }
    var img = document.createElement("img");
    img.src = detail.thumbUrl;
    img.alt = "";  // the file's name is written beside it
    picture.appendChild(img);
    box.appendChild(picture);
  };

  // The card shows the name of its child, read from its select.
  Sitting.prototype.show = function (card) {
    var select = this.select(card);
    var option = select.options[select.selectedIndex];
    var name = card.querySelector("[data-card-child]");
    var child = select.value && this.form.querySelector('[data-child="' + select.value + '"]');
    name.textContent = child ? child.getAttribute("data-name") : (select.value ? option.text : name.getAttribute("data-empty"));
    card.classList.toggle("assigned", !!select.value);
  };

  Sitting.prototype.choose = function (card) {
    if (this.current) {
      this.current.classList.remove("current");
      this.current.querySelector("[data-card-pick]").setAttribute("aria-pressed", "false");
    }
    this.current = card;
    if (card) {
      card.classList.add("current");
      card.querySelector("[data-card-pick]").setAttribute("aria-pressed", "true");
    }
  };

  Sitting.prototype.chooseNext = function () {
    var self = this;
    var next = this.allCards().filter(function (card) { return !self.select(card).value; })[0] || null;
    this.choose(next);
    return next;
  };

  Sitting.prototype.tapChild = function (button) {
    if (button.hasAttribute("data-no-photos")) {
      this.say(button.getAttribute("data-name") + ": " + this.msg("no-photos"));
      return;
    }
    var card = this.current;
    if (!card) {
      this.say(this.msg("pick-first"));
      return;
    }
    var select = this.select(card);
    this.history.push({ card: card, before: select.value });
    select.value = button.getAttribute("data-child");
    this.picked = false;
    this.show(card);
    this.undoButton.disabled = false;
    var text = fill(this.msg("assigned"), { file: this.fileName(card), name: button.getAttribute("data-name") });
    if (!this.chooseNext() && this.allCards().length) text += " " + this.msg("all-assigned");
    this.say(text);
  };

  Sitting.prototype.undo = function () {
    var last = this.history.pop();
    if (!last) return;
    if (last.card.parentNode) {
      this.select(last.card).value = last.before;
      this.show(last.card);
      this.picked = true;
      this.choose(last.card);
      this.say(fill(this.msg("undone"), { file: this.fileName(last.card) }));
    }
    this.undoButton.disabled = !this.history.length;
  };

  // A photo left out: its card goes, and its id leaves the form (the file is never attached).
  Sitting.prototype.leaveOut = function (card) {
    var id = card.getAttribute("data-photo");
    Array.prototype.forEach.call(this.widget.querySelectorAll("[data-media-ids] input"), function (input) {
      if (input.value === id) input.parentNode.removeChild(input);
    });
    var name = this.fileName(card);
    this.history = this.history.filter(function (step) { return step.card !== card; });
    this.undoButton.disabled = !this.history.length;
    card.parentNode.removeChild(card);
    if (this.current === card) this.current = null;
    this.chooseNext();
    this.say(fill(this.msg("left-out"), { file: name }));
  };

  function init() {
    var forms = document.querySelectorAll("[data-sitting]");
    for (var i = 0; i < forms.length; i++) {
      if (!forms[i].sitting) forms[i].sitting = new Sitting(forms[i]);
    }
  }
  if (document.readyState === "loading") document.addEventListener("DOMContentLoaded", init); else init();
})();
