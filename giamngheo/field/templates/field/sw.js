/* giamngheo field app: the service worker (hand-written; see README "Thiết kế / Design notes").
   The app shell (the field pages, their scripts, styles and icons) is cached at install and served from the
   cache first, refreshed in the background when the network answers. The API is never cached here: the
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

function refresh(request, cacheKey) {
  return fetch(request).then((response) => {
    if (response.ok && response.type === "basic" && !response.redirected) {
      const copy = response.clone();
      caches.open(CACHE).then((cache) => cache.put(cacheKey, copy));
    }
    return response;
  });
}

self.addEventListener("fetch", (event) => {
  const request = event.request;
  if (request.method !== "GET") return;
  const url = new URL(request.url);
  if (url.origin !== self.location.origin || url.pathname.startsWith("/api/")) return;
  const isPage = request.mode === "navigate" && url.pathname.startsWith(SCOPE);
  const inShell = SHELL.includes(url.pathname);
  if (!isPage && !inShell) return;
  // A page is one shell whatever its query (?e=12 names the household; the script reads it).
  const cacheKey = isPage ? url.origin + url.pathname : request;
  event.respondWith(
    caches.open(CACHE).then((cache) => cache.match(cacheKey, { ignoreSearch: isPage })).then((cached) => {
      const fresh = refresh(request, cacheKey).catch(() => cached || Response.error());
      if (cached) {
        event.waitUntil(fresh.then(() => undefined, () => undefined));
        return cached;
      }
      return fresh;
    })
  );
});
