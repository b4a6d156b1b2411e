/* Peerpath's service worker: makes the app installable and keeps it usable with a weak signal.
   It caches only our static files and a page-free offline fallback, never a page with client
   data: pages always come from the network, and when there is none the offline page explains
   what is kept on this phone. Served at /sw.js so its scope is the whole site. */
"use strict";
var VERSION = "peerpath-__VERSION__"; // filled in by peerpath.core.pwa.service_worker
var ASSETS = __ASSETS__;
var OFFLINE_URL = "/offline/";

self.addEventListener("install", function (event) {
  var list = [OFFLINE_URL].concat(ASSETS);
  event.waitUntil(caches.open(VERSION).then(function (cache) { return cache.addAll(list); }).then(function () { return self.skipWaiting(); }));
});

self.addEventListener("activate", function (event) {
  event.waitUntil(caches.keys().then(function (keys) {
    return Promise.all(keys.filter(function (k) { return k !== VERSION; }).map(function (k) { return caches.delete(k); }));
  }).then(function () { return self.clients.claim(); }));
});

self.addEventListener("fetch", function (event) {
  var request = event.request;
  var url = new URL(request.url);
  if (url.origin !== self.location.origin) return;
  if (request.mode === "navigate") {
    // Network first; with no network, the offline page (never a cached copy of someone's record).
    event.respondWith(fetch(request).catch(function () { return caches.match(OFFLINE_URL); }));
    return;
  }
  if (request.method === "GET" && url.pathname.indexOf("/static/") === 0) {
    // Our static files: from the cache when there, refreshed in the background.
    event.respondWith(caches.open(VERSION).then(function (cache) {
      return cache.match(request).then(function (hit) {
        var fresh = fetch(request).then(function (response) {
          if (response.ok) cache.put(request, response.clone());
          return response;
        });
        if (hit) { fresh.catch(function () {}); return hit; }
        return fresh;
      });
    }));
  }
});
