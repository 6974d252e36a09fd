{% load i18n %}// ZEL service worker (issue 19), rendered by support.views_offline.service_worker.
// Keeps only the offline page (no household in it) and the static files it needs, in a cache named
// after their version; pages with data are never stored. Without a connection, any page opens the
// offline page. Requests other than GET (the queued visits' POSTs) are not touched.
"use strict";
const CONFIG = {{ config|safe }};  // JSON written by the view
const CACHE = "zel-offline-" + CONFIG.version;
const SHELL = CONFIG.shell;
const ASSETS = CONFIG.assets;
const UNAVAILABLE = "<!doctype html><html lang=\"fr\"><meta charset=\"utf-8\"><meta name=\"viewport\" content=\"width=device-width, initial-scale=1\"><title>ZEL</title><h1>{% translate 'Hors connexion'|escapejs %}</h1><p>{% translate 'Cette page a besoin d’une connexion. Ouvrez ZEL une fois avec une connexion pour pouvoir saisir vos visites sans réseau.'|escapejs %}</p></html>";

// The offline page needs a signed-in worker: a redirect (to the login page) or an error is not kept.
async function warmShell(cache) {
  try {
    const response = await fetch(SHELL, {credentials: "same-origin", redirect: "follow", cache: "no-store"});
    if (response.ok && !response.redirected) await cache.put(SHELL, response);
  } catch (e) { /* offline: the copy already kept stays */ }
}

async function precache() {
  const cache = await caches.open(CACHE);
  await Promise.all(ASSETS.map(function (asset) {
    return cache.add(asset).catch(function () { return null; });
  }));
  await warmShell(cache);
}

self.addEventListener("install", function (event) {
  event.waitUntil(precache().then(function () { return self.skipWaiting(); }));
});

self.addEventListener("activate", function (event) {
  event.waitUntil(caches.keys().then(function (names) {
    return Promise.all(names.filter(function (name) {
      return name.indexOf("zel-offline-") === 0 && name !== CACHE;
    }).map(function (name) { return caches.delete(name); }));
  }).then(function () { return self.clients.claim(); }));
});

self.addEventListener("message", function (event) {
  const kind = event.data && event.data.type;
  if (kind === "warm") {
    event.waitUntil(caches.open(CACHE).then(function (cache) {
      return cache.match(SHELL).then(function (kept) { return kept ? null : precache(); });
    }));
  } else if (kind === "clear") {
    event.waitUntil(caches.keys().then(function (names) {
      return Promise.all(names.filter(function (name) { return name.indexOf("zel-offline-") === 0; })
        .map(function (name) { return caches.delete(name); }));
    }));
  }
});

async function fromCacheFirst(request) {
  const kept = await caches.match(request, {cacheName: CACHE});
  if (kept) return kept;
  const response = await fetch(request);
  if (response.ok) (await caches.open(CACHE)).put(request, response.clone());
  return response;
}

async function navigate(request, url) {
  try {
    const response = await fetch(request);
    if (url.pathname === SHELL && response.ok && !response.redirected) {
      await (await caches.open(CACHE)).put(SHELL, response.clone());
    }
    return response;
  } catch (e) {
    const shell = await caches.match(SHELL, {cacheName: CACHE});
    return shell || new Response(UNAVAILABLE, {status: 503, headers: {"Content-Type": "text/html; charset=utf-8"}});
  }
}

self.addEventListener("fetch", function (event) {
  const request = event.request;
  if (request.method !== "GET") return;
  const url = new URL(request.url);
  if (url.origin !== self.location.origin) return;
  if (request.mode === "navigate") {
    event.respondWith(navigate(request, url));
  } else if (ASSETS.indexOf(url.pathname) !== -1) {
    // Only the offline page's own files: their versions are in the cache's name.
    event.respondWith(fromCacheFirst(request));
  }
});
