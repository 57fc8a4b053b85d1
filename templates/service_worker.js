/* The portal's service worker, served at /sw.js (scope: the whole site). No framework, no build step.
 *
 * When the connection drops, a family can still read the pages it saw last: the feed, the menu,
 * the child's page. Only pages the server marks with the X-Offline-Page header (its value: the
 * seconds a copy may be shown) are kept, and only GET navigations of this site; everything else
 * (other pages, the admin, files, uploads) goes to the network untouched. A page that is no
 * longer marked (signed out, access ended) loses its copy.
 *
 * A copy shown offline says so: its <html data-offline="live"> becomes "saved", and
 * static/js/offline.js then shows the page's note "you are offline, shown as of …". The same copy,
 * with the same note, stands in for a server error (5xx: the portal down behind its proxy), which
 * neither replaces nor removes it; where there is no copy the error page shows.
 * Sign-out empties the cache (the Clear-Site-Data header and static/js/offline.js).
 */
"use strict";

var CACHE = "offline-pages-v1";
var HEADER = "X-Offline-Page";
var SAVED_AT = "X-Offline-Saved-At";

self.addEventListener("install", function () { self.skipWaiting(); });
self.addEventListener("activate", function (event) {
  event.waitUntil(caches.keys().then(function (names) {
    return Promise.all(names.filter(function (name) { return name !== CACHE; }).map(function (name) {
      return caches.delete(name);
    }));
  }).then(function () { return self.clients.claim(); }));
});

function address(request) {
  var url = new URL(request.url);
  url.hash = "";
  return url.href;
}

// Seconds a copy of this response may be shown, or 0 when it must not be kept. Read from the
// headers alone: a response not kept (a file, a video opened as a page) is never read here.
function keepFor(response) {
  var seconds = parseInt(response.headers.get(HEADER), 10);
  var control = response.headers.get("Cache-Control") || "";
  if (response.status !== 200 || response.redirected || /no-store/.test(control)) return 0;
  return seconds > 0 ? seconds : 0;
}

function keep(request, response, seconds) {
  return response.text().then(function (body) {
    var headers = new Headers();
    headers.set("Content-Type", response.headers.get("Content-Type") || "text/html; charset=utf-8");
    headers.set(HEADER, String(seconds));
    headers.set(SAVED_AT, String(Date.now()));
    return caches.open(CACHE).then(function (cache) {
      return cache.put(address(request), new Response(body, { status: 200, headers: headers }));
    });
  });
}

function forget(request) {
  return caches.open(CACHE).then(function (cache) { return cache.delete(address(request)); });
}

// The saved copy, marked with why it is shown (`reason`: "saved" when the phone is offline, "server"
// when the portal answered with an error); or `otherwise` (by default the browser's own "no connection").
function saved(request, otherwise, reason) {
  var missing = otherwise || Response.error();
  return caches.open(CACHE).then(function (cache) {
    return cache.match(address(request));
  }).then(function (copy) {
    if (!copy) return missing;
    var age = Date.now() - parseInt(copy.headers.get(SAVED_AT), 10);
    if (!(age >= 0 && age < 1000 * parseInt(copy.headers.get(HEADER), 10))) return missing;
    return copy.text().then(function (body) {
      return new Response(body.replace('data-offline="live"', 'data-offline="' + (reason || "saved") + '"'), {
        status: 200, headers: { "Content-Type": copy.headers.get("Content-Type") }
      });
    });
  });
}

self.addEventListener("fetch", function (event) {
  var request = event.request;
  if (request.method !== "GET" || request.mode !== "navigate") return;
  if (new URL(request.url).origin !== self.location.origin) return;
  event.respondWith(fetch(request).then(function (response) {
    // The server is down, not the page gone: the last copy stays, and shows if there is one.
    if (response.status >= 500) return saved(request, response, "server").catch(function () { return response; });
    var seconds = keepFor(response);
    var saving = seconds ? keep(request, response.clone(), seconds) : forget(request);
    event.waitUntil(saving.catch(function () { /* full storage: no copy */ }));
    return response;
  }, function () {
    return saved(request);
  }));
});
