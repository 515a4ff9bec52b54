/* giamngheo field app: the service worker (hand-written; see README "Thiết kế / Design notes").
   The app shell (the field pages, their scripts, styles, fonts and icons) is cached at install and served
   from the cache; a new release has a new VERSION, so the browser installs a new worker with the new shell.
   The API is never cached here: the
   assignment lives in IndexedDB, and uploads must reach the server or fail visibly. */
"use strict";
const VERSION = {{ version|safe }};
const SHELL = {{ shell|safe }};
const SCOPE = {{ scope|safe }};
const CACHE = "giamngheo-field-" + VERSION;

self.addEventListener("install", (event) => {
  event.waitUntil(
    caches.open(CACHE)
      .then((cache) => cache.addAll(SHELL.map((url) => new Request(url, { cache: "reload", credentials: "same-origin" }))))
      .then(() => self.skipWaiting())
  );
});

self.addEventListener("activate", (event) => {
  event.waitUntil(
    caches.keys()
      .then((keys) => Promise.all(keys.filter((k) => k.startsWith("giamngheo-field-") && k !== CACHE).map((k) => caches.delete(k))))
      .then(() => self.clients.claim())
  );
});

self.addEventListener("fetch", (event) => {
  const request = event.request;
  if (request.method !== "GET") return;
  const url = new URL(request.url);
  if (url.origin !== self.location.origin || url.pathname.startsWith("/api/")) return;
  const isPage = request.mode === "navigate" && url.pathname.startsWith(SCOPE);
  if (!isPage && !SHELL.includes(url.pathname)) return;
  // Cache first, no request on a weak link: a new release changes VERSION, and the new worker caches the
  // new shell. A page is one shell whatever its query (?e=12 names the household; the script reads it).
  event.respondWith(
    caches.open(CACHE)
      .then((cache) => cache.match(isPage ? url.pathname : request, { ignoreSearch: isPage }))
      .then((cached) => cached || fetch(request))
  );
});
