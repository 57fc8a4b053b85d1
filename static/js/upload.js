/* Resumable uploads for templates/mediafiles/upload_widget.html. No framework, no build step.
 *
 * The file goes up in chunks (PATCH with Upload-Offset). When a chunk fails, the
 * client waits (1 s, 2 s, 4 s … at most 30 s), asks the server how much it has
 * (HEAD), and goes on from there; offline, it waits for the connection to come
 * back. An upload of the same file survives a reload of the page: its address
 * is remembered in localStorage for a day.
 *
 * After the last chunk the server answers at once ("processing"): a worker
 * checks the file by its content. The client follows its status; a form sent
 * meanwhile is held back until the file is uploaded and checked, then sent (with
 * the button that was pressed); a refused file (not a video, too long, over a
 * quota) shows the server's reason and the form stays on the page.
 */
(function () {
  "use strict";
  if (window.mediaUploadReady) return;
  window.mediaUploadReady = true;

  var MIN_CHUNK = 256 * 1024;
  var MAX_CHUNK = 8 * 1024 * 1024;
  var MAX_WAIT = 30000;
  var KEEP_MS = 24 * 3600 * 1000;
  var POLL_FIRST = 1000;
  var POLL_MAX = 5000;
  // How long a held form waits for the checks before it is sent anyway (the server then
  // takes the file as it is, and a refusal reaches the person later on the page it concerns).
  var CHECK_PATIENCE_MS = 15 * 60 * 1000;

  function percent(value) {
    var lang = document.documentElement.lang || "vi";
    try {
      return new Intl.NumberFormat(lang, { style: "percent", maximumFractionDigits: 0 }).format(value);
    } catch (e) {
      return Math.floor(value * 100) + "%";
    }
  }

  function remembered(key) {
    try {
      var saved = JSON.parse(localStorage.getItem(key) || "null");
      if (saved && Date.now() - saved.at < KEEP_MS) return saved;
      localStorage.removeItem(key);
    } catch (e) { /* private browsing: no resuming across reloads */ }
    return null;
  }

  function remember(key, value) {
    try {
      if (value) localStorage.setItem(key, JSON.stringify(value));
      else localStorage.removeItem(key);
    } catch (e) { /* ignore */ }
  }

  function Upload(box) {
    this.box = box;
    this.input = box.querySelector("[data-media-file]");
    this.progressBox = box.querySelector("[data-media-progress-box]");
    this.progress = box.querySelector("[data-media-progress]");
    this.percent = box.querySelector("[data-media-percent]");
    this.status = box.querySelector("[data-media-status]");
    this.hidden = box.querySelector("[data-media-id]");
    this.form = box.closest("form");
    this.state = this.hidden.value ? "done" : "idle";
    this.chunk = 1024 * 1024;
    this.token = 0;
    this.input.addEventListener("change", this.choose.bind(this));
    if (this.form) this.form.addEventListener("submit", this.submitting.bind(this));
  }

  Upload.prototype.msg = function (name) {
    return this.box.getAttribute("data-msg-" + name) || "";
  };

  Upload.prototype.say = function (text, isError) {
    this.status.textContent = text;
    this.status.classList.toggle("error", !!isError);
  };

  Upload.prototype.show = function (sent, total) {
    var ratio = total ? sent / total : 0;
    this.progressBox.hidden = false;
    this.progress.value = Math.floor(ratio * 100);
    this.percent.textContent = percent(ratio);
  };

  Upload.prototype.csrf = function () {
    var field = this.form && this.form.querySelector("input[name=csrfmiddlewaretoken]");
    return (field && field.value) || this.box.getAttribute("data-csrf") || "";
  };

  Upload.prototype.choose = function () {
    var file = this.input.files && this.input.files[0];
    this.token += 1;  // stops an upload of a file chosen before
    this.hidden.value = "";
    this.pollWait = 0;
    this.box.removeAttribute("data-media-state");
    if (!file) { this.state = "idle"; return; }
    this.file = file;
    this.key = "media-upload:" + this.box.getAttribute("data-school") + ":" + this.box.getAttribute("data-kind") +
      ":" + file.name + ":" + file.size + ":" + file.lastModified;
    this.state = "uploading";
    this.attempt = 0;
    this.show(0, file.size);
    this.say(this.msg("starting"));
    var saved = remembered(this.key);
    if (saved) { this.urls = saved; this.resume(this.token); } else { this.start(this.token); }
  };

  Upload.prototype.request = function (method, url, options) {
    var self = this;
    options = options || {};
    return new Promise(function (resolve, reject) {
      var xhr = new XMLHttpRequest();
      xhr.open(method, url);
      xhr.setRequestHeader("X-CSRFToken", self.csrf());
      xhr.setRequestHeader("X-Requested-With", "XMLHttpRequest");
      Object.keys(options.headers || {}).forEach(function (name) { xhr.setRequestHeader(name, options.headers[name]); });
      xhr.timeout = options.timeout || 60000;
      if (options.onprogress) xhr.upload.onprogress = options.onprogress;
      xhr.onload = function () { resolve(xhr); };
      xhr.onerror = xhr.ontimeout = xhr.onabort = function () { reject(new Error("network")); };
      xhr.send(options.body === undefined ? null : options.body);
    });
  };

  function json(xhr) {
    try { return JSON.parse(xhr.responseText || "{}"); } catch (e) { return {}; }
  }

  Upload.prototype.fail = function (text) {
    remember(this.key, null);
    this.state = "failed";
    this.hidden.value = "";
    this.progressBox.hidden = true;
    this.say(this.msg("failed") + " " + (text || this.msg("error")), true);
    this.pendingSubmit = false;
    this.box.setAttribute("data-media-state", "failed");
  };

  // The form that waited for this file goes now (with the button that was pressed).
  Upload.prototype.release = function () {
    if (!this.pendingSubmit || !this.form) return;
    var submitter = this.submitter;
    this.pendingSubmit = false;
    this.submitter = null;
    if (this.form.requestSubmit) {
      if (submitter && submitter.form === this.form) this.form.requestSubmit(submitter); else this.form.requestSubmit();
    } else {
      this.form.submit();
    }
  };

  Upload.prototype.start = function (token) {
    var self = this;
    var body = JSON.stringify({
      filename: this.file.name,
      size: this.file.size,
      kind: this.box.getAttribute("data-kind"),
      school: this.box.getAttribute("data-school"),
      content_type: this.file.type
    });
    this.request("POST", this.box.getAttribute("data-start-url"), {
      headers: { "Content-Type": "application/json" }, body: body
    }).then(function (xhr) {
      if (token !== self.token) return;
      var data = json(xhr);
      if (xhr.status !== 201) { self.fail(data.error); return; }
      self.urls = { upload: data.upload_url, status: data.status_url, id: data.id, at: Date.now() };
      remember(self.key, self.urls);
      self.send(token, data.offset || 0);
    }, function () {
      if (token === self.token) self.later(function () { self.start(token); });
    });
  };

  // Ask the server how much it has, then go on from there.
  Upload.prototype.resume = function (token) {
    var self = this;
    this.request("HEAD", this.urls.upload).then(function (xhr) {
      if (token !== self.token) return;
      if (xhr.status === 404) { remember(self.key, null); self.start(token); return; }
      if (xhr.status >= 500 || xhr.status === 408 || xhr.status === 429) {
        self.later(function () { self.resume(token); });
        return;
      }
      var offset = parseInt(xhr.getResponseHeader("Upload-Offset"), 10);
      if (xhr.status !== 200 || isNaN(offset)) { self.fail(); return; }  // signed out, or refused
      self.send(token, offset);
    }, function () {
      if (token === self.token) self.later(function () { self.resume(token); });
    });
  };

  Upload.prototype.later = function (again) {
    var self = this;
    if (!navigator.onLine) {
      this.say(this.msg("offline"));
      window.addEventListener("online", function back() {
        window.removeEventListener("online", back);
        again();
      });
      return;
    }
    this.attempt += 1;
    var wait = Math.min(MAX_WAIT, 1000 * Math.pow(2, this.attempt - 1)) * (0.75 + Math.random() / 2);
    this.say(this.msg("retrying").replace("%(seconds)s", Math.ceil(wait / 1000)));
    setTimeout(again, wait);
  };

  Upload.prototype.send = function (token, offset) {
    var self = this;
    var file = this.file;
    if (offset >= file.size) { this.finished(token); return; }
    var end = Math.min(file.size, offset + this.chunk);
    var began = Date.now();
    this.say(this.msg("uploading"));
    this.request("PATCH", this.urls.upload, {
      headers: { "Upload-Offset": String(offset), "Content-Type": "application/offset+octet-stream" },
      body: file.slice(offset, end),
      timeout: 180000,
      onprogress: function (event) { if (token === self.token) self.show(offset + event.loaded, file.size); }
    }).then(function (xhr) {
      if (token !== self.token) return;
      var next = parseInt(xhr.getResponseHeader("Upload-Offset"), 10);
      if (xhr.status === 200 || xhr.status === 202) {
        self.finished(token, json(xhr));  // the last chunk: the server checks the file now
      } else if (xhr.status === 204) {
        self.attempt = 0;
        // Bigger chunks on a fast connection, smaller ones on a slow one.
        var seconds = (Date.now() - began) / 1000;
        if (seconds < 3) self.chunk = Math.min(MAX_CHUNK, self.chunk * 2);
        else if (seconds > 20) self.chunk = Math.max(MIN_CHUNK, self.chunk / 2);
        self.show(next, file.size);
        self.send(token, next);
      } else if (xhr.status === 409 && !isNaN(next) && next !== offset) {
        self.send(token, next);  // out of step (a retried chunk had arrived): go on from the server's offset
      } else if (xhr.status === 409) {
        self.later(function () { self.resume(token); });  // an earlier request is still writing: wait
      } else if (xhr.status >= 500 || xhr.status === 408 || xhr.status === 429) {
        self.later(function () { self.resume(token); });
      } else {
        self.fail(json(xhr).error);  // refused (422 with the reason), or signed out meanwhile
      }
    }, function () {
      if (token === self.token) self.later(function () { self.resume(token); });
    });
  };

  // Every byte is on the server: follow what it makes of the file.
  Upload.prototype.finished = function (token, data) {
    remember(this.key, null);
    this.show(1, 1);
    this.hidden.value = this.urls.id;
    this.checkingSince = Date.now();
    this.update(token, data || {});
  };

  Upload.prototype.update = function (token, data) {
    var self = this;
    if (data.state === "failed") {
      this.fail(data.reason);
      return;
    }
    if (data.state === "ready" || data.checked) {
      this.state = "done";
      this.box.setAttribute("data-media-state", data.state);
      this.say(this.msg(data.state === "ready" ? "ready" : "processing"));
      this.release();
      if (data.state !== "ready") this.poll(token, POLL_MAX, Date.now() + 60000);
      return;
    }
    this.state = "checking";
    this.box.setAttribute("data-media-state", "checking");
    this.say(this.msg(this.pendingSubmit ? "wait-check" : "checking"));
    if (this.pendingSubmit && Date.now() - this.checkingSince > CHECK_PATIENCE_MS) {
      this.state = "done";
      this.release();
      return;
    }
    this.poll(token, this.pollWait || POLL_FIRST, 0);
    this.pollWait = Math.min(POLL_MAX, (this.pollWait || POLL_FIRST) * 1.5);
  };

  // Ask the server how the file is doing, after `wait` ms (until `until`, when given).
  Upload.prototype.poll = function (token, wait, until) {
    var self = this;
    if (until && Date.now() > until) return;
    setTimeout(function () {
      if (token !== self.token) return;
      self.request("GET", self.urls.status).then(function (xhr) {
        if (token !== self.token) return;
        if (xhr.status !== 200) { self.poll(token, POLL_MAX, until); return; }
        var data = json(xhr);
        if (self.state === "done") {
          if (data.state === "ready") self.say(self.msg("ready"));
          else if (data.state === "failed") self.fail(data.reason);
          else self.poll(token, POLL_MAX, until);
        } else {
          self.update(token, data);
        }
      }, function () { self.poll(token, POLL_MAX, until); });
    }, wait);
  };

  Upload.prototype.submitting = function (event) {
    if (this.state === "uploading" || this.state === "checking") {
      event.preventDefault();
      this.pendingSubmit = true;
      this.submitter = event.submitter || null;
      this.say(this.msg(this.state === "checking" ? "wait-check" : "wait"));
    } else if (this.state === "failed") {
      event.preventDefault();
      this.input.focus();
    }
  };

  function init() {
    var boxes = document.querySelectorAll("[data-media-upload]");
    for (var i = 0; i < boxes.length; i++) {
      if (!boxes[i].mediaUpload) boxes[i].mediaUpload = new Upload(boxes[i]);
    }
  }
  if (document.readyState === "loading") document.addEventListener("DOMContentLoaded", init); else init();
})();
