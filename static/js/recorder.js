/* A voice recorder for templates/mediafiles/recorder.html. No framework, no build step.
 *
 * Where the browser records sound (MediaRecorder and getUserMedia), the buttons show: Record,
 * Stop, Listen again, Record again, Send the recording. The recording (WebM/Opus, Ogg/Opus or
 * MP4/AAC, whichever the browser makes) goes up through the one-file upload widget inside the
 * recorder (static/js/upload.js: resumable, with progress), which fills the hidden input and
 * holds the form until the file is checked. A form sent with a recording not yet sent sends it
 * first. Recording stops by itself at data-max-seconds.
 *
 * Where the browser cannot record, or the person refuses the microphone, the file input of the
 * widget stays (accept="audio/*" capture: phones open their sound recorder).
 *
 * Events (CustomEvent, bubbling from the recorder's element): recorder:recorded {blob, seconds},
 * recorder:sent {file}; the upload widget inside sends media:checked, media:ready, media:failed.
 */
(function () {
  "use strict";
  if (window.mediaRecorderReady) return;
  window.mediaRecorderReady = true;

  // What to ask the browser for, best first: every one of them is taken by the server.
  var TYPES = ["audio/webm;codecs=opus", "audio/ogg;codecs=opus", "audio/mp4;codecs=mp4a.40.2", "audio/mp4",
    "audio/webm", "audio/ogg"];
  var SUFFIXES = { "audio/webm": ".webm", "audio/ogg": ".ogg", "audio/mp4": ".m4a" };

  function canRecord() {
    return !!(window.MediaRecorder && navigator.mediaDevices && navigator.mediaDevices.getUserMedia);
  }

  function clock(seconds) {
    seconds = Math.max(0, Math.floor(seconds));
    var rest = seconds % 60;
    return Math.floor(seconds / 60) + ":" + (rest < 10 ? "0" : "") + rest;
  }

  function emit(element, name, detail) {
    element.dispatchEvent(new CustomEvent(name, { bubbles: true, detail: detail }));
  }

  function bestType() {
    if (!MediaRecorder.isTypeSupported) return "";
    for (var i = 0; i < TYPES.length; i++) {
      if (MediaRecorder.isTypeSupported(TYPES[i])) return TYPES[i];
    }
    return "";
  }

  function Recorder(box) {
    this.box = box;
    this.controls = box.querySelector("[data-recorder-controls]");
    this.buttons = {
      start: box.querySelector("[data-recorder-start]"),
      stop: box.querySelector("[data-recorder-stop]"),
      play: box.querySelector("[data-recorder-play]"),
      again: box.querySelector("[data-recorder-again]"),
      send: box.querySelector("[data-recorder-send]")
    };
    this.time = box.querySelector("[data-recorder-time]");
    this.preview = box.querySelector("[data-recorder-preview]");
    this.status = box.querySelector("[data-recorder-status]");
    this.upload = box.querySelector("[data-media-upload]");
    this.form = box.closest("form");
    this.maxSeconds = parseInt(box.getAttribute("data-max-seconds"), 10) || 300;
    this.state = "idle";
    if (!canRecord()) return;  // the file input alone
    this.controls.hidden = false;
    var self = this;
    this.buttons.start.addEventListener("click", function () { self.start(); });
    this.buttons.again.addEventListener("click", function () { self.start(); });
    this.buttons.stop.addEventListener("click", function () { self.stop(); });
    this.buttons.play.addEventListener("click", function () { self.play(); });
    this.buttons.send.addEventListener("click", function () { self.send(); });
    this.preview.addEventListener("ended", function () { self.played(); });
    this.preview.addEventListener("pause", function () { self.played(); });
    // A file picked in the widget replaces the recording.
    this.upload.addEventListener("media:start", function (event) {
      if (self.recording && event.detail.file !== self.sentFile) {
        self.forget();
        self.state = "idle";
        self.show();
        self.say("");
      }
    });
    this.upload.addEventListener("media:checked", function (event) {
      if (self.state === "sent" && event.detail.file === self.sentFile) self.say(self.msg("sent"));
    });
    this.upload.addEventListener("media:failed", function (event) {
      // The reason shows under the upload; the recording is kept, to be sent again.
      if (self.state === "sent" && event.detail.file === self.sentFile) {
        self.state = "recorded";
        self.show();
        self.say("");
      }
    });
    if (this.form) {
      // Before the upload widget's own check: a recording not sent yet goes now, and the widget holds the form.
      this.form.addEventListener("submit", function (event) { self.submitting(event); }, true);
    }
  }

  Recorder.prototype.msg = function (name) {
    return this.box.getAttribute("data-msg-" + name) || "";
  };

  Recorder.prototype.say = function (text, isError) {
    this.status.textContent = text;
    this.status.classList.toggle("error", !!isError);
  };

  // Which buttons a state shows; the focus goes to the first one shown when the one pressed is hidden.
  Recorder.prototype.show = function () {
    var shown = {
      idle: ["start"],
      asking: [],
      recording: ["stop"],
      recorded: ["play", "again", "send"],
      sent: ["play", "again"]
    }[this.state] || ["start"];
    var focused = document.activeElement;
    var self = this;
    Object.keys(this.buttons).forEach(function (name) {
      self.buttons[name].hidden = shown.indexOf(name) < 0;
    });
    this.time.hidden = this.state === "idle" || this.state === "asking";
    if (focused && focused.hidden && shown.length && this.box.contains(focused)) this.buttons[shown[0]].focus();
  };

  Recorder.prototype.start = function () {
    var self = this;
    this.forget();
    this.state = "asking";
    this.show();
    this.say(this.msg("asking"));
    navigator.mediaDevices.getUserMedia({ audio: true }).then(function (stream) {
      self.record(stream);
    }, function () {
      self.refused();
    });
  };

  Recorder.prototype.refused = function () {
    this.state = "idle";
    this.controls.hidden = true;
    this.say(this.msg("refused"), true);
    var input = this.upload.querySelector("[data-media-file]");
    if (input) input.focus();
  };

  Recorder.prototype.record = function (stream) {
    var self = this;
    var type = bestType();
    var options = { audioBitsPerSecond: 64000 };
    if (type) options.mimeType = type;
    var recorder;
    try {
      recorder = new MediaRecorder(stream, options);
    } catch (e) {
      try { recorder = new MediaRecorder(stream); } catch (e2) { stream.getTracks().forEach(function (t) { t.stop(); }); self.refused(); return; }
    }
    this.stream = stream;
    this.recorder = recorder;
    this.chunks = [];
    recorder.ondataavailable = function (event) { if (event.data && event.data.size) self.chunks.push(event.data); };
    recorder.onstop = function () { self.stopped(); };
    recorder.start(1000);
    this.began = Date.now();
    this.state = "recording";
    this.show();
    this.say(this.msg("recording"));
    this.tick();
    this.buttons.stop.focus();
  };

  Recorder.prototype.tick = function () {
    var self = this;
    if (this.state !== "recording") return;
    var seconds = (Date.now() - this.began) / 1000;
    this.time.textContent = clock(seconds) + " / " + clock(this.maxSeconds);
    if (seconds >= this.maxSeconds) {
      this.limitReached = true;
      this.stop();
      return;
    }
    this.timer = setTimeout(function () { self.tick(); }, 250);
  };

  Recorder.prototype.stop = function () {
    if (this.state !== "recording" || !this.recorder) return;
    clearTimeout(this.timer);
    this.seconds = (Date.now() - this.began) / 1000;
    this.state = "stopping";
    if (this.recorder.state !== "inactive") this.recorder.stop(); else this.stopped();
  };

  Recorder.prototype.stopped = function () {
    if (this.stream) this.stream.getTracks().forEach(function (track) { track.stop(); });
    this.stream = null;
    var type = (this.recorder && this.recorder.mimeType) || (this.chunks[0] && this.chunks[0].type) || "audio/webm";
    this.recorder = null;
    var blob = new Blob(this.chunks, { type: type });
    this.chunks = [];
    if (!blob.size) {
      this.state = "idle";
      this.show();
      this.say(this.msg("empty"), true);
      return;
    }
    this.recording = blob;
    this.previewUrl = URL.createObjectURL(blob);
    this.preview.src = this.previewUrl;
    this.time.textContent = clock(this.seconds);
    this.state = "recorded";
    this.show();
    var text = this.msg("recorded");
    if (this.limitReached) text = this.msg("limit").replace("%(limit)s", clock(this.maxSeconds)) + " " + text;
    this.limitReached = false;
    this.say(text);
    emit(this.box, "recorder:recorded", { blob: blob, seconds: this.seconds });
    if (this.afterStop) { var then = this.afterStop; this.afterStop = null; then(); }
  };

  Recorder.prototype.play = function () {
    if (!this.previewUrl) return;
    if (!this.preview.paused) { this.preview.pause(); return; }
    this.preview.currentTime = 0;
    var playing = this.preview.play();
    if (playing && playing.catch) playing.catch(function () { /* nothing to play: the button stays */ });
    this.buttons.play.textContent = this.msg("pause");
    this.say(this.msg("playing"));
  };

  Recorder.prototype.played = function () {
    this.buttons.play.textContent = this.msg("listen");
  };

  Recorder.prototype.file = function () {
    var type = (this.recording.type || "audio/webm").split(";")[0];
    var stamp = new Date().toISOString().slice(0, 19).replace(/[-:T]/g, "");
    var name = (this.box.getAttribute("data-filename") || "recording") + "-" + stamp + (SUFFIXES[type] || ".webm");
    try {
      return new File([this.recording], name, { type: type, lastModified: Date.now() });
    } catch (e) {  // old browsers without the File constructor
      var blob = this.recording.slice(0, this.recording.size, type);
      blob.name = name;
      blob.lastModified = Date.now();
      return blob;
    }
  };

  // Through the upload widget: resumable, with its progress bar and its checks.
  Recorder.prototype.send = function () {
    if (this.state !== "recorded" || !this.recording) return;
    var widget = this.upload.mediaUpload;
    if (!widget) return;
    this.sentFile = this.file();
    this.state = "sent";
    this.show();
    this.say(this.msg("sending"));
    widget.uploadFile(this.sentFile);
    emit(this.box, "recorder:sent", { file: this.sentFile });
  };

  Recorder.prototype.forget = function () {
    if (this.previewUrl) URL.revokeObjectURL(this.previewUrl);
    this.previewUrl = null;
    this.recording = null;
    this.sentFile = null;
    this.preview.removeAttribute("src");
    if (this.buttons.play) this.buttons.play.textContent = this.msg("listen");
  };

  Recorder.prototype.submitting = function (event) {
    var self = this;
    if (this.state === "recorded") {
      this.send();  // the widget is uploading now, and holds the form (its own handler runs next)
    } else if (this.state === "recording") {
      event.preventDefault();
      var submitter = event.submitter || null;
      this.afterStop = function () {
        self.send();
        if (self.form.requestSubmit) {
          if (submitter && submitter.form === self.form) self.form.requestSubmit(submitter); else self.form.requestSubmit();
        }
      };
      this.stop();
    }
  };

  function init() {
    var boxes = document.querySelectorAll("[data-media-recorder]");
    for (var i = 0; i < boxes.length; i++) {
      if (!boxes[i].mediaRecorder) boxes[i].mediaRecorder = new Recorder(boxes[i]);
    }
  }
  window.mediaRecorderInit = init;
  if (document.readyState === "loading") document.addEventListener("DOMContentLoaded", init); else init();
})();
