/* Resumable uploads for templates/mediafiles/upload_widget.html (one file) and
 * templates/mediafiles/upload_many.html (many files at once). No framework, no build step.
 *
 * Each file goes up in chunks (PATCH with Upload-Offset). When a chunk fails, the
 * client waits (1 s, 2 s, 4 s … at most 30 s), asks the server how much it has
 * (HEAD), and goes on from there; offline, it waits for the connection to come
 * back. An upload of the same file survives a reload of the page: its address
 * is remembered in localStorage for a day.
 *
 * A file chosen while offline waits in a queue on the phone (IndexedDB, for a day): it goes up when
 * the connection is back, and if the page was closed meanwhile, when the page is opened again (the
 * widget of the same field on the same page takes it back). Sign-out empties the queue (the server's
 * Clear-Site-Data header).
 *
 * After the last chunk the server answers at once ("processing"): a worker
 * checks the file by its content. The client follows its status; a form sent
 * meanwhile is held back until the files are uploaded and checked, then sent (with
 * the button that was pressed); a refused file (not a photo, too long, over a
 * quota) shows the server's reason and the form stays on the page.
 *
 * Many files: `[data-media-upload-many]` sends the chosen files a few at a time
 * (data-parallel, 3 by default), each with its own progress bar, and puts one
 * hidden input `data-name` = file id into the form for each checked file.
 *
 * Events, for pages that build on a widget (a grid of photos to assign, say). Each is a
 * CustomEvent that bubbles from the widget's element; `event.detail` holds `file` (the File),
 * `index` (its place in the order chosen, from 0; always 0 for a one-file widget) and:
 *   media:queued    chosen, waiting for its turn                  {}
 *   media:start     its upload begins                             {}
 *   media:progress  bytes sent                                    {sent, total}
 *   media:uploaded  every byte is on the server; it is checked    {id}
 *   media:checked   checked by its content: the form may use it   {id, state}
 *   media:ready     its renditions are made                       {id, state, urls, thumbUrl, thumbWebpUrl,
 *                                                                  previewUrl, previewWebpUrl, width, height,
 *                                                                  duration}
 *   media:failed    refused or lost, with the reason to show      {reason}
 *   media:settled   (many files) none is left to upload or check  {total, checked, failed}
 * `urls` maps each variant (original, video, poster, thumb, thumb-webp, preview, preview-webp) to
 * its address, or null where the file has none.
 *
 * Script API: `element.mediaUpload.uploadFile(file)` sends a File or Blob through a one-file
 * widget (the sound recorder does); `element.mediaUploadMany.addFiles(files)` adds files to a
 * many-files widget, as choosing them does.
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

  // --- The queue of files chosen offline (IndexedDB; where it is missing, the page's memory only) -----

  var QUEUE_DB = "media-upload-queue";
  var QUEUE_STORE = "files";

  function queueStore(mode, work) {
    return new Promise(function (resolve, reject) {
      if (!window.indexedDB) { reject(new Error("no IndexedDB")); return; }
      var opening = indexedDB.open(QUEUE_DB, 1);
      opening.onupgradeneeded = function () { opening.result.createObjectStore(QUEUE_STORE, { keyPath: "key" }); };
      opening.onerror = function () { reject(opening.error); };
      opening.onsuccess = function () {
        var db = opening.result;
        var tx = db.transaction(QUEUE_STORE, mode);
        var result = work(tx.objectStore(QUEUE_STORE));
        tx.oncomplete = function () { db.close(); resolve(result && result.result); };
        tx.onerror = tx.onabort = function () { db.close(); reject(tx.error); };
      };
    });
  }

  function queuePut(entry) {
    return queueStore("readwrite", function (store) { store.put(entry); }).catch(function () { /* memory only */ });
  }

  function queueDrop(key) {
    return queueStore("readwrite", function (store) { store["delete"](key); }).catch(function () { /* none */ });
  }

  // The files waiting for this page's field `field`, oldest first; stale ones are dropped.
  function queuedFor(field) {
    return queueStore("readonly", function (store) { return store.getAll(); }).then(function (entries) {
      var mine = [];
      (entries || []).forEach(function (entry) {
        if (Date.now() - entry.at > KEEP_MS) { queueDrop(entry.key); return; }
        if (entry.page === location.pathname && entry.field === field) mine.push(entry);
      });
      mine.sort(function (a, b) { return a.at - b.at; });
      return mine.map(function (entry) {
        var file;
        try {
          file = new File([entry.blob], entry.name, { type: entry.type, lastModified: entry.lastModified });
        } catch (e) {
          file = entry.blob.slice(0, entry.blob.size, entry.type);
          file.name = entry.name;
          file.lastModified = entry.lastModified;
        }
        file.queueKey = entry.key;
        return file;
      });
    }, function () { return []; });
  }

  function json(xhr) {
    try { return JSON.parse(xhr.responseText || "{}"); } catch (e) { return {}; }
  }

  function fill(text, values) {
    return String(text || "").replace(/%\((\w+)\)s/g, function (all, name) {
      return values[name] === undefined ? all : values[name];
    });
  }

  function emit(element, name, detail) {
    var event;
    try {
      event = new CustomEvent(name, { bubbles: true, detail: detail });
    } catch (e) {
      event = document.createEvent("CustomEvent");
      event.initCustomEvent(name, true, false, detail);
    }
    element.dispatchEvent(event);
  }

  function readyDetail(data) {
    var urls = data.urls || {};
    return {
      id: data.id, state: data.state, urls: urls,
      thumbUrl: urls.thumb || null, thumbWebpUrl: urls["thumb-webp"] || null,
      previewUrl: urls.preview || null, previewWebpUrl: urls["preview-webp"] || null,
      width: data.width || null, height: data.height || null, duration: data.duration || null
    };
  }

  // The settings a widget's element carries, shared by the one-file and many-files widgets.
  function Widget(box) {
    this.box = box;
    this.form = box.closest("form");
  }

  Widget.prototype.msg = function (name) {
    return this.box.getAttribute("data-msg-" + name) || "";
  };

  // The form field the widget fills: what a file waiting in the queue is remembered by.
  Widget.prototype.field = function () {
    return this.hidden ? this.hidden.name : this.name;
  };

  Widget.prototype.csrf = function () {
    var field = this.form && this.form.querySelector("input[name=csrfmiddlewaretoken]");
    return (field && field.value) || this.box.getAttribute("data-csrf") || "";
  };

  // --- One file on its way: start, chunks, resume, then its checks ----------------------------------

  /* `hooks` are called as the file goes: status(text, isError), progress(sent, total), uploaded(id),
   * checked(data), ready(data), failed(reason). `readyPatience` is how long (ms) the status is
   * followed after the checks, waiting for "ready". */
  function Transfer(widget, file, hooks, readyPatience) {
    this.widget = widget;
    this.file = file;
    this.hooks = hooks;
    this.readyPatience = readyPatience;
    this.chunk = 1024 * 1024;
    this.attempt = 0;
    this.pollWait = 0;
    this.stopped = false;
    this.state = "uploading";
    var box = widget.box;
    this.key = "media-upload:" + box.getAttribute("data-school") + ":" + box.getAttribute("data-kind") +
      ":" + (file.name || "") + ":" + file.size + ":" + (file.lastModified || "");
  }

  Transfer.prototype.go = function () {
    this.hooks.progress(0, this.file.size);
    this.hooks.status(this.widget.msg("starting"));
    var saved = this.file.lastModified ? remembered(this.key) : null;
    if (saved) { this.urls = saved; this.resume(); } else { this.start(); }
  };

  // Forget this file: nothing of it reaches the page any more (another file was chosen).
  Transfer.prototype.stop = function () {
    this.stopped = true;
    if (this.queued) queueDrop(this.key);
  };

  // Offline: keep the file on the phone until it is on the server (it survives closing the page).
  Transfer.prototype.queue = function () {
    if (this.queued) return;
    this.queued = true;
    var file = this.file;
    queuePut({
      key: this.key, page: location.pathname, field: this.widget.field(), blob: file, name: file.name || "file",
      type: file.type || "", lastModified: file.lastModified || Date.now(), at: Date.now()
    });
  };

  Transfer.prototype.request = function (method, url, options) {
    var self = this;
    options = options || {};
    return new Promise(function (resolve, reject) {
      var xhr = new XMLHttpRequest();
      xhr.open(method, url);
      xhr.setRequestHeader("X-CSRFToken", self.widget.csrf());
      xhr.setRequestHeader("X-Requested-With", "XMLHttpRequest");
      Object.keys(options.headers || {}).forEach(function (name) { xhr.setRequestHeader(name, options.headers[name]); });
      xhr.timeout = options.timeout || 60000;
      if (options.onprogress) xhr.upload.onprogress = options.onprogress;
      xhr.onload = function () { resolve(xhr); };
      xhr.onerror = xhr.ontimeout = xhr.onabort = function () { reject(new Error("network")); };
      xhr.send(options.body === undefined ? null : options.body);
    });
  };

  Transfer.prototype.fail = function (text) {
    if (this.state === "failed") return;
    remember(this.key, null);
    queueDrop(this.key);
    this.state = "failed";
    this.hooks.failed(text || this.widget.msg("error"));
  };

  Transfer.prototype.start = function () {
    var self = this;
    var box = this.widget.box;
    var body = JSON.stringify({
      filename: this.file.name || "file",
      size: this.file.size,
      kind: box.getAttribute("data-kind"),
      school: box.getAttribute("data-school"),
      content_type: this.file.type
    });
    this.request("POST", box.getAttribute("data-start-url"), {
      headers: { "Content-Type": "application/json" }, body: body
    }).then(function (xhr) {
      if (self.stopped) return;
      var data = json(xhr);
      if (xhr.status !== 201) { self.fail(data.error); return; }
      self.urls = { upload: data.upload_url, status: data.status_url, id: data.id, at: Date.now() };
      remember(self.key, self.urls);
      self.send(data.offset || 0);
    }, function () {
      if (!self.stopped) self.later(function () { self.start(); });
    });
  };

  // Ask the server how much it has, then go on from there.
  Transfer.prototype.resume = function () {
    var self = this;
    this.request("HEAD", this.urls.upload).then(function (xhr) {
      if (self.stopped) return;
      if (xhr.status === 404) { remember(self.key, null); self.start(); return; }
      if (xhr.status >= 500 || xhr.status === 408 || xhr.status === 429) {
        self.later(function () { self.resume(); });
        return;
      }
      var offset = parseInt(xhr.getResponseHeader("Upload-Offset"), 10);
      if (xhr.status !== 200 || isNaN(offset)) { self.fail(); return; }  // signed out, or refused
      self.send(offset);
    }, function () {
      if (!self.stopped) self.later(function () { self.resume(); });
    });
  };

  Transfer.prototype.later = function (again) {
    var self = this;
    if (!navigator.onLine) {
      this.queue();
      this.hooks.status(this.widget.msg("offline"));
      window.addEventListener("online", function back() {
        window.removeEventListener("online", back);
        if (!self.stopped) again();
      });
      return;
    }
    this.attempt += 1;
    var wait = Math.min(MAX_WAIT, 1000 * Math.pow(2, this.attempt - 1)) * (0.75 + Math.random() / 2);
    this.hooks.status(fill(this.widget.msg("retrying"), { seconds: Math.ceil(wait / 1000) }));
    setTimeout(function () { if (!self.stopped) again(); }, wait);
  };

  Transfer.prototype.send = function (offset) {
    var self = this;
    var file = this.file;
    if (offset >= file.size) { this.finished(); return; }
    var end = Math.min(file.size, offset + this.chunk);
    var began = Date.now();
    this.hooks.status(this.widget.msg("uploading"));
    this.request("PATCH", this.urls.upload, {
      headers: { "Upload-Offset": String(offset), "Content-Type": "application/offset+octet-stream" },
      body: file.slice(offset, end),
      timeout: 180000,
      onprogress: function (event) { if (!self.stopped) self.hooks.progress(offset + event.loaded, file.size); }
    }).then(function (xhr) {
      if (self.stopped) return;
      var next = parseInt(xhr.getResponseHeader("Upload-Offset"), 10);
      if (xhr.status === 200 || xhr.status === 202) {
        self.finished(json(xhr));  // the last chunk: the server checks the file now
      } else if (xhr.status === 204) {
        self.attempt = 0;
        // Bigger chunks on a fast connection, smaller ones on a slow one.
        var seconds = (Date.now() - began) / 1000;
        if (seconds < 3) self.chunk = Math.min(MAX_CHUNK, self.chunk * 2);
        else if (seconds > 20) self.chunk = Math.max(MIN_CHUNK, self.chunk / 2);
        self.hooks.progress(next, file.size);
        self.send(next);
      } else if (xhr.status === 409 && !isNaN(next) && next !== offset) {
        self.send(next);  // out of step (a retried chunk had arrived): go on from the server's offset
      } else if (xhr.status === 409) {
        self.later(function () { self.resume(); });  // an earlier request is still writing: wait
      } else if (xhr.status >= 500 || xhr.status === 408 || xhr.status === 429) {
        self.later(function () { self.resume(); });
      } else {
        self.fail(json(xhr).error);  // refused (422 with the reason), or signed out meanwhile
      }
    }, function () {
      if (!self.stopped) self.later(function () { self.resume(); });
    });
  };

  // Every byte is on the server: follow what it makes of the file.
  Transfer.prototype.finished = function (data) {
    remember(this.key, null);
    queueDrop(this.key);
    this.hooks.progress(this.file.size, this.file.size);
    this.state = "checking";
    this.checkingSince = Date.now();
    this.hooks.uploaded(this.urls.id);
    this.update(data || {});
  };

  Transfer.prototype.update = function (data) {
    if (data.state === "failed") { this.fail(data.reason); return; }
    if (this.state === "checking" && (data.state === "ready" || data.checked)) {
      this.state = "checked";
      this.hooks.checked(data);
    }
    if (data.state === "ready") {
      this.state = "ready";
      this.hooks.ready(data);
      return;
    }
    if (this.state === "checked") {
      if (!this.readyUntil) this.readyUntil = Date.now() + this.readyPatience;
      this.poll(POLL_MAX);
      return;
    }
    this.hooks.status(this.widget.msg(this.hooks.waiting() ? "wait-check" : "checking"));
    this.poll(this.pollWait || POLL_FIRST);
    this.pollWait = Math.min(POLL_MAX, (this.pollWait || POLL_FIRST) * 1.5);
  };

  // Ask the server how the file is doing, after `wait` ms.
  Transfer.prototype.poll = function (wait) {
    var self = this;
    if (this.readyUntil && Date.now() > this.readyUntil) return;
    setTimeout(function () {
      if (self.stopped) return;
      self.request("GET", self.urls.status).then(function (xhr) {
        if (self.stopped) return;
        if (xhr.status !== 200) { self.poll(POLL_MAX); return; }
        self.update(json(xhr));
      }, function () { if (!self.stopped) self.poll(POLL_MAX); });
    }, wait);
  };

  // --- A form that waits for its files -------------------------------------------------------------

  function holdForm(widget, busy, onHold) {
    if (!widget.form) return;
    widget.form.addEventListener("submit", function (event) {
      var state = busy();
      if (state === "busy") {
        event.preventDefault();
        widget.pendingSubmit = true;
        widget.submitter = event.submitter || null;
        widget.heldSince = widget.heldSince || Date.now();
        onHold();
      } else if (state === "failed") {
        event.preventDefault();
        widget.refocus();
      }
    });
  }

  // The form that waited for the files goes now (with the button that was pressed).
  function release(widget) {
    if (!widget.pendingSubmit || !widget.form) return;
    var submitter = widget.submitter;
    widget.pendingSubmit = false;
    widget.submitter = null;
    widget.heldSince = 0;
    if (widget.form.requestSubmit) {
      if (submitter && submitter.form === widget.form) widget.form.requestSubmit(submitter);
      else widget.form.requestSubmit();
    } else {
      widget.form.submit();
    }
  }

  // --- One file: templates/mediafiles/upload_widget.html --------------------------------------------

  function Upload(box) {
    Widget.call(this, box);
    this.input = box.querySelector("[data-media-file]");
    this.progressBox = box.querySelector("[data-media-progress-box]");
    this.progress = box.querySelector("[data-media-progress]");
    this.percentText = box.querySelector("[data-media-percent]");
    this.status = box.querySelector("[data-media-status]");
    this.hidden = box.querySelector("[data-media-id]");
    this.state = this.hidden.value ? "done" : "idle";
    var self = this;
    this.input.addEventListener("change", function () {
      self.uploadFile(self.input.files && self.input.files[0]);
    });
    holdForm(this, function () {
      if (self.state === "uploading" || self.state === "checking") return "busy";
      return self.state === "failed" ? "failed" : "";
    }, function () {
      self.say(self.msg(self.state === "checking" ? "wait-check" : "wait"));
    });
    // A file chosen while this script was still loading (a slow phone) goes up now.
    if (this.state === "idle" && this.input.files && this.input.files.length) this.uploadFile(this.input.files[0]);
  }
  Upload.prototype = Object.create(Widget.prototype);

  Upload.prototype.say = function (text, isError) {
    this.status.textContent = text;
    this.status.classList.toggle("error", !!isError);
  };

  Upload.prototype.show = function (sent, total) {
    var ratio = total ? sent / total : 0;
    this.progressBox.hidden = false;
    this.progress.value = Math.floor(ratio * 100);
    this.percentText.textContent = percent(ratio);
  };

  Upload.prototype.refocus = function () { this.input.focus(); };

  /* Send this file (a File, or a Blob with a name) in place of any chosen before; null forgets it. */
  Upload.prototype.uploadFile = function (file) {
    var self = this;
    if (this.transfer) this.transfer.stop();  // an upload of a file chosen before goes no further
    this.transfer = null;
    this.hidden.value = "";
    this.box.removeAttribute("data-media-state");
    if (!file) { this.state = "idle"; return; }
    if (file !== (this.input.files && this.input.files[0])) this.input.value = "";
    this.state = "uploading";
    var detail = function (extra) {
      var out = { file: file, index: 0 };
      Object.keys(extra || {}).forEach(function (k) { out[k] = extra[k]; });
      return out;
    };
    var transfer = new Transfer(this, file, {
      status: function (text) { if (self.state !== "done") self.say(text); },
      progress: function (sent, total) {
        self.show(sent, total);
        emit(self.box, "media:progress", detail({ sent: sent, total: total }));
      },
      waiting: function () { return !!self.pendingSubmit; },
      uploaded: function (id) {
        self.hidden.value = id;
        self.state = "checking";
        self.box.setAttribute("data-media-state", "checking");
        emit(self.box, "media:uploaded", detail({ id: id }));
      },
      checked: function (data) {
        self.state = "done";
        self.box.setAttribute("data-media-state", data.state);
        self.say(self.msg(data.state === "ready" ? "ready" : "processing"));
        emit(self.box, "media:checked", detail({ id: data.id, state: data.state }));
        release(self);
      },
      ready: function (data) {
        self.box.setAttribute("data-media-state", "ready");
        self.say(self.msg("ready"));
        emit(self.box, "media:ready", detail(readyDetail(data)));
      },
      failed: function (reason) {
        self.state = "failed";
        self.hidden.value = "";
        self.progressBox.hidden = true;
        self.say(self.msg("failed") + " " + reason, true);
        self.pendingSubmit = false;
        self.box.setAttribute("data-media-state", "failed");
        emit(self.box, "media:failed", detail({ reason: reason }));
      }
    }, 60000);
    this.transfer = transfer;
    emit(this.box, "media:start", detail());
    transfer.go();
    this.watchPatience();
  };

  // A form held for a file whose checks take very long goes anyway (the server decides then).
  Upload.prototype.watchPatience = function () {
    var self = this;
    var transfer = this.transfer;
    var tick = function () {
      if (self.transfer !== transfer || self.state === "done" || self.state === "failed") return;
      if (self.pendingSubmit && self.state === "checking" && transfer.checkingSince &&
          Date.now() - transfer.checkingSince > CHECK_PATIENCE_MS) {
        self.state = "done";
        release(self);
        return;
      }
      setTimeout(tick, POLL_MAX);
    };
    setTimeout(tick, POLL_MAX);
  };

  // --- Many files: templates/mediafiles/upload_many.html --------------------------------------------

  function UploadMany(box) {
    Widget.call(this, box);
    this.inputs = box.querySelectorAll("[data-media-files]");
    this.list = box.querySelector("[data-media-list]");
    this.summary = box.querySelector("[data-media-summary]");
    this.ids = box.querySelector("[data-media-ids]");
    this.name = box.getAttribute("data-name") || "media";
    this.parallel = Math.max(1, parseInt(box.getAttribute("data-parallel"), 10) || 3);
    this.items = [];
    this.waiting = [];
    this.running = 0;
    var self = this;
    Array.prototype.forEach.call(this.inputs, function (input) {
      input.addEventListener("change", function () {
        self.addFiles(input.files);
        input.value = "";  // the same photo may be chosen again later
      });
    });
    holdForm(this, function () {
      if (self.items.some(function (item) { return item.state === "queued" || item.state === "uploading" ||
          item.state === "checking"; })) return "busy";
      return "";
    }, function () { self.say(self.msg("wait")); });
    // Files chosen while this script was still loading (a slow phone) go up now.
    Array.prototype.forEach.call(this.inputs, function (input) {
      if (input.files && input.files.length) {
        self.addFiles(input.files);
        input.value = "";
      }
    });
  }
  UploadMany.prototype = Object.create(Widget.prototype);

  UploadMany.prototype.refocus = function () { if (this.inputs[0]) this.inputs[0].focus(); };

  UploadMany.prototype.say = function (text) { this.summary.textContent = text; };

  UploadMany.prototype.count = function (states) {
    return this.items.filter(function (item) { return states.indexOf(item.state) >= 0; }).length;
  };

  // The summary read out to screen readers: only when a file changes state, never on every byte.
  UploadMany.prototype.tell = function () {
    var total = this.items.length;
    var checked = this.count(["checked", "ready"]);
    var failed = this.count(["failed"]);
    var left = total - checked - failed;
    var text = fill(this.msg(left ? "summary" : "summary-done"), { done: checked, total: total, failed: failed });
    if (failed) text += " " + fill(this.msg("summary-failed"), { failed: failed });
    if (this.pendingSubmit && left) text += " " + this.msg("wait");
    this.say(text);
    if (!left) {
      emit(this.box, "media:settled", { total: total, checked: checked, failed: failed });
      // Files that were refused stay out (their lines say why); the others go with the form.
      if (this.pendingSubmit) release(this);
    }
  };

  /* Add files (a FileList or an array of File) to the queue: each gets its line, and a few go up at once. */
  UploadMany.prototype.addFiles = function (files) {
    var self = this;
    Array.prototype.forEach.call(files || [], function (file) {
      // The same photo chosen twice goes up once.
      if (self.items.some(function (item) {
        return item.state !== "failed" && item.file.name === file.name && item.file.size === file.size &&
          item.file.lastModified === file.lastModified;
      })) return;
      var item = self.line(file, self.items.length);
      self.items.push(item);
      self.waiting.push(item);
      emit(self.box, "media:queued", { file: file, index: item.index });
    });
    this.tell();
    this.next();
  };

  UploadMany.prototype.line = function (file, index) {
    var li = document.createElement("li");
    li.className = "media-upload-item";
    li.setAttribute("data-state", "queued");
    var name = document.createElement("span");
    name.className = "media-upload-name";
    name.textContent = file.name || this.msg("file");
    var bar = document.createElement("progress");
    bar.max = 100;
    bar.value = 0;
    bar.setAttribute("aria-label", fill(this.msg("progress-of"), { name: file.name || this.msg("file") }));
    var pct = document.createElement("span");
    pct.className = "media-upload-percent";
    pct.textContent = percent(0);
    var status = document.createElement("span");
    status.className = "media-upload-item-status";
    status.textContent = this.msg("queued");
    li.appendChild(name);
    li.appendChild(bar);
    li.appendChild(pct);
    li.appendChild(status);
    this.list.appendChild(li);
    return { file: file, index: index, li: li, bar: bar, pct: pct, status: status, state: "queued" };
  };

  UploadMany.prototype.next = function () {
    while (this.running < this.parallel && this.waiting.length) this.begin(this.waiting.shift());
  };

  UploadMany.prototype.mark = function (item, state, text, isError) {
    item.state = state;
    item.li.setAttribute("data-state", state);
    if (text !== undefined) item.status.textContent = text;
    item.status.classList.toggle("error", !!isError);
  };

  UploadMany.prototype.begin = function (item) {
    var self = this;
    this.running += 1;
    var slot = true;
    var free = function () {
      if (slot) { slot = false; self.running -= 1; self.next(); }
    };
    var detail = function (extra) {
      var out = { file: item.file, index: item.index };
      Object.keys(extra || {}).forEach(function (k) { out[k] = extra[k]; });
      return out;
    };
    this.mark(item, "uploading", this.msg("uploading"));
    item.transfer = new Transfer(this, item.file, {
      status: function (text) { if (item.state === "uploading" || item.state === "checking") item.status.textContent = text; },
      progress: function (sent, total) {
        var ratio = total ? sent / total : 0;
        item.bar.value = Math.floor(ratio * 100);
        item.pct.textContent = percent(ratio);
        emit(self.box, "media:progress", detail({ sent: sent, total: total }));
      },
      waiting: function () { return !!self.pendingSubmit; },
      uploaded: function (id) {
        item.id = id;
        self.mark(item, "checking", self.msg("checking"));
        emit(self.box, "media:uploaded", detail({ id: id }));
        free();  // the checks run on the server: the next file may use the connection
      },
      checked: function (data) {
        var input = document.createElement("input");
        input.type = "hidden";
        input.name = self.name;
        input.value = data.id;
        self.ids.appendChild(input);
        item.input = input;
        self.mark(item, "checked", self.msg(data.state === "ready" ? "ready" : "processing"));
        emit(self.box, "media:checked", detail({ id: data.id, state: data.state }));
        self.tell();
      },
      ready: function (data) {
        self.mark(item, "ready", self.msg("ready"));
        self.thumbnail(item, data.urls || {});
        emit(self.box, "media:ready", detail(readyDetail(data)));
      },
      failed: function (reason) {
        self.mark(item, "failed", self.msg("failed") + " " + reason, true);
        item.bar.hidden = true;
        item.pct.hidden = true;
        emit(self.box, "media:failed", detail({ reason: reason }));
        free();
        self.tell();
      }
    }, 30 * 60 * 1000);
    emit(this.box, "media:start", detail());
    item.transfer.go();
  };

  // The small picture of a ready photo, in its line: WebP where the browser takes it.
  UploadMany.prototype.thumbnail = function (item, urls) {
    if (!urls.thumb || item.li.querySelector("picture")) return;
    var picture = document.createElement("picture");
    if (urls["thumb-webp"]) {
      var source = document.createElement("source");
      source.type = "image/webp";
      source.srcset = urls["thumb-webp"];
      picture.appendChild(source);
    }
    var img = document.createElement("img");
    img.src = urls.thumb;
    img.alt = item.file.name || "";
    img.loading = "lazy";
    img.className = "media-upload-thumb";
    picture.appendChild(img);
    item.li.insertBefore(picture, item.li.firstChild);
  };

  // Files chosen on this page while offline, before it was closed: they go up now (or when back online).
  function restore(widget, many) {
    queuedFor(widget.field()).then(function (files) {
      if (!files.length) return;
      if (many) { widget.addFiles(files); return; }
      // One file: the last one chosen, unless the field already has its file; the others are forgotten.
      var last = widget.state === "idle" ? files.pop() : null;
      files.forEach(function (file) { queueDrop(file.queueKey); });
      if (last) widget.uploadFile(last);
    });
  }

  function init() {
    var boxes = document.querySelectorAll("[data-media-upload]");
    for (var i = 0; i < boxes.length; i++) {
      if (!boxes[i].mediaUpload) { boxes[i].mediaUpload = new Upload(boxes[i]); restore(boxes[i].mediaUpload, false); }
    }
    var many = document.querySelectorAll("[data-media-upload-many]");
    for (var j = 0; j < many.length; j++) {
      if (!many[j].mediaUploadMany) {
        many[j].mediaUploadMany = new UploadMany(many[j]);
        restore(many[j].mediaUploadMany, true);
      }
    }
  }
  window.mediaUploadInit = init;
  if (document.readyState === "loading") document.addEventListener("DOMContentLoaded", init); else init();
})();
