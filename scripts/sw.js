// gradscape's service worker, written into dist/sw.js by scripts/build-page.sh with the
// version of the files it caches: after one visit the playground and every preset work
// offline. Each version keeps its files under its own cache name and serves only from it, so a
// page never mixes two versions' files; a new version waits until no page of the old one is
// open (or the page asks it to take over, www/course.js), then removes the old cache.
const VERSION = "__VERSION__";
const FILES = __FILES__;
const CACHE = `gradscape-${VERSION}`;

self.addEventListener("install", (e) => {
  e.waitUntil(caches.open(CACHE).then((c) => c.addAll(FILES.map((f) => new Request(f, { cache: "reload" })))));
});

self.addEventListener("activate", (e) => {
  e.waitUntil(
    caches
      .keys()
      .then((keys) => Promise.all(keys.filter((k) => k.startsWith("gradscape-") && k !== CACHE).map((k) => caches.delete(k))))
      .then(() => self.clients.claim()),
  );
});

self.addEventListener("message", (e) => {
  if (e.data?.gradscape === 1 && e.data.type === "activate") self.skipWaiting();
});

self.addEventListener("fetch", (e) => {
  const req = e.request;
  const url = new URL(req.url);
  if (req.method !== "GET" || url.origin !== location.origin) return;
  const scope = new URL(self.registration.scope);
  // Every scenario link is the one page: ?preset=… and the bare address both open index.html.
  const page = req.mode === "navigate" || url.pathname === scope.pathname;
  const key = page ? new URL("index.html", scope).href : req;
  e.respondWith(
    caches
      .open(CACHE)
      .then((c) => c.match(key, { ignoreSearch: page }))
      .then((hit) => hit ?? fetch(req)),
  );
});
