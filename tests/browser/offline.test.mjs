// offline.test.mjs — the page with the network off, after one visit (the service worker, web/sw.js).
//   node offline.test.mjs --root build/web/site --out build/screenshots
// Works on a copy of the site (in a temporary folder), so that the second part can change the build.
// 1. First visit: the page registers its worker, which takes control; the cache is aelab-<the build's
//    version> and holds the page and both builds of the app (app.* and app-mt.*). An MNIST lesson
//    opened online keeps the MNIST pack in the cache.
// 2. Network off (the browser offline and the server stopped): a reload opens the page, an MNIST
//    lesson loads its digits and trains, the weights finite and the loss falling; no console error.
// 3. A changed build (its page edited, scripts/finish-site.mjs run again: a new version): the
//    worker updates, the new cache replaces the old one (deleted), and a reload shows the new page.
// The server sends no COOP/COEP headers here, as a static host that cannot set headers: the first
// visit is not cross-origin isolated and runs app.js; from the second on, the worker adds the headers
// and the page runs app-mt.js with its training thread (also offline).
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { spawnSync } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { harness, launch, parseArgs, sleep, startServer, trainUntil, watchConsole } from './browser.mjs';

const args = parseArgs(process.argv.slice(2));
const root = path.resolve(args.root || 'build/web/site');
const out = path.resolve(args.out || 'build/screenshots');
fs.mkdirSync(out, { recursive: true });
const t = harness('browser.offline');
const finishSite = path.join(path.dirname(fileURLToPath(import.meta.url)), '../../scripts/finish-site.mjs');
const swSource = path.join(path.dirname(fileURLToPath(import.meta.url)), '../../web/sw.js');

const tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'aelab-offline-'));
const site = path.join(tmp, 'site');
fs.cpSync(root, site, { recursive: true, preserveTimestamps: true });
const versionOf = () => /const VERSION = "([0-9a-f]+)"/.exec(fs.readFileSync(path.join(site, 'sw.js'), 'utf8'))?.[1];
const v1 = versionOf();

let { server, url } = await startServer(site, 0, { isolate: false });  // a static host: no COOP/COEP
const port = new URL(url).port;
const stopServer = () => new Promise((r) => { server.close(r); server.closeAllConnections(); });
const browser = await launch();
const MNIST = '?lesson=mnist-2d-code&seed=3';
const cacheKeys = (page) => page.evaluate(() => caches.keys());
const cached = (page, name) => page.evaluate(async (name) => (await (await caches.open(name)).keys()).map((r) => new URL(r.url).pathname), name);
const ready = (page) => page.waitForFunction(() => window.aelab && (window.aelab.ready || window.aelab.error), null, { timeout: 90000 });
// Which build runs, and whether it trains on a thread of its own.
const build = (page) => page.evaluate(() => ({
  isolated: window.crossOriginIsolated, script: [...document.scripts].map((e) => e.getAttribute('src')).filter(Boolean).join(' '),
  training_thread: window.aelab.state().training_thread }));

try {
  t.check('the built site has a versioned service worker', !!v1 && fs.existsSync(path.join(site, 'sw.js')), `version ${v1}`);
  const context = await browser.newContext({ viewport: { width: 1280, height: 800 } });
  const page = await context.newPage();
  const errors = [];
  watchConsole(page, errors);

  // ---- 1. first visit, online -----------------------------------------------------------------
  await page.goto(url);
  await ready(page);
  const firstBuild = await build(page);
  t.check('first visit, served without COOP/COEP: not isolated, app.js, no training thread',
          !firstBuild.isolated && /(^| )app\.js/.test(firstBuild.script) && firstBuild.training_thread === false, JSON.stringify(firstBuild));
  const controlled = await page.waitForFunction(() => !!navigator.serviceWorker.controller, null, { timeout: 60000 }).then(() => true, () => false);
  t.check('the worker registers and controls the page after the first visit', controlled);
  let keys = await cacheKeys(page);
  t.check('one cache, named after this build', keys.length === 1 && keys[0] === `aelab-${v1}`, keys.join(', '));
  const first = await cached(page, keys[0]);
  t.check('it holds the page and both builds (app.* and app-mt.*)',
          ['/', '/app.js', '/app.wasm', '/app.data', '/app-mt.js', '/app-mt.wasm', '/app-mt.worker.js', '/app-mt.data'].every((p) => first.includes(p)),
          first.join(' '));

  await page.goto(url + MNIST);
  await ready(page);
  await page.waitForFunction(() => window.aelab.state().mnist.status === 2 || window.aelab.state().mnist.status === 3, null, { timeout: 60000 });
  const secondBuild = await build(page);
  t.check('second visit, through the worker (which adds COOP/COEP): isolated, app-mt.js, a training thread',
          secondBuild.isolated && /app-mt\.js/.test(secondBuild.script) && secondBuild.training_thread === true, JSON.stringify(secondBuild));
  let s = await page.evaluate(() => window.aelab.state());
  const withData = await cached(page, `aelab-${v1}`);
  const dataFiles = fs.readdirSync(path.join(site, 'data')).filter((f) => !/\.(br|gz)$/.test(f));
  t.check('online, an MNIST lesson loads its digits, and the pack is kept in the cache',
          s.mnist.status === 2 && dataFiles.every((f) => withData.includes('/data/' + f)),
          `status ${s.mnist.status}; cached: ${withData.filter((p) => p.startsWith('/data/')).join(' ')}`);

  // ---- 2. network off -------------------------------------------------------------------------
  await context.setOffline(true);
  await stopServer();
  // Proof that the network is off: a file the cache does not hold is refused (its logged failure is expected).
  const offlineFetch = await page.evaluate(() => fetch('sw.js?probe=' + Date.now(), { cache: 'no-store' }).then(() => 'answered', () => 'no network'));
  await sleep(200);
  errors.length = 0;
  t.check('offline: a request the cache cannot answer fails', offlineFetch === 'no network', offlineFetch);
  await page.goto(url + MNIST);
  await ready(page);
  let r = await page.evaluate(() => ({ ready: window.aelab.ready, error: window.aelab.error }));
  t.check('offline, the page reloads and signals ready', r.ready === true, r.error || '');
  const offlineBuild = await build(page);
  t.check('offline, the worker still isolates the page: app-mt.js from the cache, a training thread',
          offlineBuild.isolated && /app-mt\.js/.test(offlineBuild.script) && offlineBuild.training_thread === true, JSON.stringify(offlineBuild));
  await page.waitForFunction(() => window.aelab.state().mnist.status === 2 || window.aelab.state().mnist.status === 3, null, { timeout: 60000 }).catch(() => {});
  s = await page.evaluate(() => window.aelab.state());
  t.check('offline, the MNIST lesson loads its digits from the cache', s.mnist.status === 2 && s.mnist.shown > 0, `status ${s.mnist.status}, ${s.mnist.shown} digits ${s.error || ''}`);
  const state = () => page.evaluate(() => window.aelab.state());
  ({ s } = await trainUntil(page, state, (s) => s.mnist.steps > 150, 25));
  t.check('offline, it trains: steps, finite weights, the loss falls',
          s.mnist.steps > 0 && s.mnist.weights.finite && s.mnist.loss < s.mnist.loss_first,
          `${s.mnist.steps} steps, weights finite ${s.mnist.weights.finite}, loss ${s.mnist.loss_first?.toFixed(3)} → ${s.mnist.loss?.toFixed(3)}`);
  await page.screenshot({ path: path.join(out, 'offline-mnist.png') });
  // The worker's own update check of sw.js fails offline, as it should; the page logs no error.
  t.check('offline: no console error', errors.length === 0, errors.slice(0, 4).join(' | '));

  // ---- 3. a changed build replaces the cache --------------------------------------------------
  await context.setOffline(false);
  const indexFile = path.join(site, 'index.html');
  fs.writeFileSync(indexFile, fs.readFileSync(indexFile, 'utf8').replace('<meta charset="utf-8">', '<meta charset="utf-8"><meta name="aelab-test" content="rebuilt">'));
  const finish = spawnSync(process.execPath, [finishSite, '--site', site, '--sw', swSource, '--quiet'], { encoding: 'utf8' });
  const v2 = versionOf();
  t.check('a changed build gets a new version', finish.status === 0 && v2 && v2 !== v1, `${v1} → ${v2} ${finish.stderr || ''}`);
  ({ server } = await startServer(site, Number(port), { tries: 1, isolate: false }));
  await page.evaluate(() => navigator.serviceWorker.getRegistration().then((reg) => reg.update()));
  let replaced = false;
  for (const t0 = Date.now(); !replaced && Date.now() - t0 < 60000; await sleep(250)) {
    keys = await cacheKeys(page);
    replaced = keys.length === 1 && keys[0] === `aelab-${v2}`;
  }
  t.check('the new worker replaces the old cache (deleted) with the new build\'s', replaced, keys.join(', '));
  await page.goto(url);
  await ready(page);
  const marker = await page.evaluate(() => document.querySelector('meta[name="aelab-test"]')?.content || 'the old page');
  r = await page.evaluate(() => ({ ready: window.aelab.ready, error: window.aelab.error }));
  t.check('a reload shows the new build', marker === 'rebuilt' && r.ready === true, `${marker} ${r.error || ''}`);
  t.check('no console errors', errors.length === 0, errors.slice(0, 4).join(' | '));
  await context.close();
} catch (e) {
  t.check('no exception', false, e.stack || String(e));
} finally {
  await browser.close();
  server.close();
  fs.rmSync(tmp, { recursive: true, force: true });
}
process.exit(t.finish());
