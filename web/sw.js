// sw.js — AE Lab's service worker: after the first visit the page works with the network off.
//
// One cache per build, named aelab-<VERSION>. The build (scripts/precompress.mjs) writes VERSION,
// a hash of the content of every file of the site, and PRECACHE, the files the page needs before
// its first frame, into the copy of this file in the site folder; so a new build is a new sw.js,
// which the browser installs next to the old one: it fills the new cache, takes over, and deletes
// every older aelab-* cache. The page goes on running the build it started with until it reloads.
//
//   install   the page and both builds of the app (app.js, app.wasm, app.data; app-mt.js, app-mt.wasm,
//             app-mt.worker.js, app-mt.data) into the cache
//   fetch     those from the cache (the same build, always together); the MNIST pack (data/*) from
//             the cache once it has been fetched, else from the network, kept for the next time;
//             anything else of this origin from the network, falling back to the cache
//   activate  delete the caches of other builds; keep the MNIST pack if the page fetched it
//             before this worker was in charge (from the browser's HTTP cache only, no download)
// Every response it gives the page carries the COOP and COEP headers (withIsolation), as
// web/serve.mjs sends them: on a static host that cannot send headers, the page is cross-origin
// isolated from the second visit on (once this worker is in charge) and trains on a thread of its
// own (app-mt.js); the first visit runs app.js.
// Requests to other origins are not touched (the page's Content-Security-Policy forbids them anyway).
'use strict';
const VERSION = 'dev';                                             // written by the build
const PRECACHE = ['./', 'app.js', 'app.wasm', 'app.data'];         // written by the build (and app-mt.*)
const DATA = [];                                                   // written by the build: the MNIST pack
const CACHE = 'aelab-' + VERSION;
const PREFIX = 'aelab-';

// URLs relative to this file's folder, so the site works from any sub-path of a host.
const base = new URL('./', self.location.href);
const PAGE = new URL('./', base).href;

self.addEventListener('install', (event) => {
  event.waitUntil((async () => {
    const cache = await caches.open(CACHE);
    // Default cache mode: the server's ETag lets the browser answer from the copy it downloaded a
    // moment ago for the page (a 304), instead of downloading everything twice.
    await cache.addAll(PRECACHE.map((u) => new Request(new URL(u, base).href, { cache: 'no-cache' })));
    await self.skipWaiting();
  })());
});

self.addEventListener('activate', (event) => {
  event.waitUntil((async () => {
    for (const name of await caches.keys())
      if (name.startsWith(PREFIX) && name !== CACHE) await caches.delete(name);
    await self.clients.claim();
    // A first visit straight to an MNIST lesson downloaded the pack before this worker existed:
    // take it from the HTTP cache if it is there ('only-if-cached' never goes to the network).
    const cache = await caches.open(CACHE);
    for (const name of DATA) {
      const href = new URL(name, base).href;
      if (await cache.match(href)) continue;
      try {
        const r = await fetch(href, { cache: 'only-if-cached', mode: 'same-origin' });
        if (r.status === 200) await cache.put(href, r);
      } catch (e) { /* not in the HTTP cache: it is kept when the page first fetches it */ }
    }
  })());
});

self.addEventListener('fetch', (event) => {
  const request = event.request;
  if (request.method !== 'GET') return;
  const url = new URL(request.url);
  if (url.origin !== self.location.origin || !url.href.startsWith(base.href)) return;
  const rel = url.href.slice(base.href.length).split(/[?#]/)[0];
  // The page itself, with whatever query (?lesson=4&seed=3): the cached page.
  if (rel === '' || rel === 'index.html') { event.respondWith(fromCache(request, PAGE, { network: true }).then(withIsolation)); return; }
  if (rel.startsWith('data/')) { event.respondWith(fromCache(request, url.href, { network: true, keep: true }).then(withIsolation)); return; }
  if (PRECACHE.includes(rel)) { event.respondWith(fromCache(request, url.href, { network: true }).then(withIsolation)); return; }
  event.respondWith(networkFirst(request).then(withIsolation));
});

// The response with Cross-Origin-Opener-Policy: same-origin and Cross-Origin-Embedder-Policy:
// require-corp (the page's own responses only; an error or opaque response is passed on as it is).
function withIsolation(response) {
  if (!response || response.type === 'error' || response.type === 'opaque' || response.status === 0) return response;
  const headers = new Headers(response.headers);
  headers.set('Cross-Origin-Opener-Policy', 'same-origin');
  headers.set('Cross-Origin-Embedder-Policy', 'require-corp');
  return new Response(response.body, { status: response.status, statusText: response.statusText, headers });
}

// The cached copy of `key`; else the network (and, with keep, the response is cached for next time).
async function fromCache(request, key, { network, keep = false }) {
  const cache = await caches.open(CACHE);
  const hit = await cache.match(key, { ignoreSearch: true });
  if (hit) return hit;
  if (!network) return Response.error();
  const response = await fetch(request);
  if (keep && response.ok && response.status === 200) await cache.put(key, response.clone());
  return response;
}

async function networkFirst(request) {
  try {
    return await fetch(request);
  } catch (e) {
    const hit = await (await caches.open(CACHE)).match(request, { ignoreSearch: true });
    if (hit) return hit;
    throw e;
  }
}
