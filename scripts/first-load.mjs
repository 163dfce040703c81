#!/usr/bin/env node
// first-load.mjs — what a first visit costs, in headless Chromium (Debian's, via playwright-core):
// the bytes on the wire (compressed as served, headers included) and the time from navigation to
// the first interactive frame (window.aelab.ready, set by index.html's aelabReady), for
//   before  the files as they are (no compression: how the page was served before issue 12)
//   after   web/serve.mjs's precompressed copies (brotli; Accept-Encoding as Chromium sends it)
// each for the page alone and for an MNIST lesson (until its digits are loaded, per the state
// hook), on loopback and on an emulated link (--mbps, default 20 Mbit/s and 20 ms: a fair share
// of a class's Wi-Fi). A fresh browser context per load, service workers blocked (a first visit).
//
//   NODE_PATH=node_modules node scripts/first-load.mjs [--root build/web/site] [--runs 3] [--mbps 20] [--json]
// Exit status 1 if the first frame needs more than the budget (1.5 MB) with compression.
import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { chromium } from 'playwright-core';
import { startServer } from '../web/serve.mjs';

const args = process.argv.slice(2);
const get = (name, fallback) => { const i = args.indexOf(name); return i >= 0 && args[i + 1] ? args[i + 1] : fallback; };
const here = path.dirname(fileURLToPath(import.meta.url));
const root = path.resolve(get('--root', path.join(here, '..', 'build', 'web', 'site')));
const runs = Number(get('--runs', 3));
const mbps = Number(get('--mbps', 20));
const BUDGET = 1.5e6;
if (!fs.existsSync(path.join(root, 'app.wasm.br'))) { console.error(`first-load: ${root} has no app.wasm.br: build the web preset (it precompresses the site)`); process.exit(2); }

const browser = await chromium.launch({
  executablePath: process.env.CHROMIUM || '/usr/bin/chromium', headless: true,
  args: ['--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run', '--disable-background-networking',
         '--disable-component-update', '--disable-sync', '--use-gl=swiftshader', '--enable-unsafe-swiftshader'],
});
const servers = { before: await startServer(root, 0, { compress: false }), after: await startServer(root, 0, { compress: true }) };

// Records when window.aelab.ready becomes true (performance.now(), from the navigation's start).
const hookReady = () => {
  Object.defineProperty(window, 'aelab', { configurable: true, get() { return this.__aelab; }, set(v) {
    let ready = v.ready;
    Object.defineProperty(v, 'ready', { configurable: true, enumerable: true, get: () => ready,
      set: (x) => { ready = x; if (x && window.__readyAt === undefined) window.__readyAt = performance.now(); } });
    this.__aelab = v;
  } });
};

async function load(url, mnist, link) {
  const context = await browser.newContext({ viewport: { width: 1280, height: 800 }, serviceWorkers: 'block' });
  const page = await context.newPage();
  await page.addInitScript(hookReady);
  const cdp = await context.newCDPSession(page);
  await cdp.send('Network.enable');
  await cdp.send('Network.setCacheDisabled', { cacheDisabled: true });
  if (link) await cdp.send('Network.emulateNetworkConditions', { offline: false, latency: link.latency, downloadThroughput: link.bytesPerSecond, uploadThroughput: link.bytesPerSecond });
  let bytes = 0, requests = 0;
  const encodings = {};
  cdp.on('Network.responseReceived', (e) => { const enc = e.response.headers['content-encoding'] || e.response.headers['Content-Encoding'] || 'identity'; encodings[enc] = (encodings[enc] || 0) + 1; });
  cdp.on('Network.loadingFinished', (e) => { bytes += e.encodedDataLength; ++requests; });
  await page.goto(url + (mnist ? '?lesson=mnist-2d-code' : ''));
  await page.waitForFunction(() => window.aelab && (window.aelab.ready || window.aelab.error), null, { timeout: 180000 });
  const error = await page.evaluate(() => window.aelab.error);
  if (error) throw new Error(error);
  const readyAt = await page.evaluate(() => window.__readyAt);
  let bytesAtReady = bytes, mnistAt = null;
  if (mnist) {
    await page.waitForFunction(() => {
      const s = window.aelab.state();
      if (s.mnist.status === 2 && window.__mnistAt === undefined) window.__mnistAt = performance.now();
      return s.mnist.status === 2 || s.mnist.status === 3;
    }, null, { timeout: 180000, polling: 50 });
    mnistAt = await page.evaluate(() => window.__mnistAt ?? null);
    if (mnistAt === null) throw new Error('the MNIST pack did not load');
  }
  await new Promise((r) => setTimeout(r, 200));  // the last loadingFinished events
  const result = { readyAt, mnistAt, bytes, bytesAtReady, requests, encodings };
  await context.close();
  return result;
}

const median = (xs) => { const s = [...xs].sort((a, b) => a - b); return s[Math.floor(s.length / 2)]; };
const links = [['loopback', null], [`${mbps} Mbit/s, 20 ms`, { latency: 20, bytesPerSecond: mbps * 1e6 / 8 }]];
const rows = [];
for (const [linkName, link] of links)
  for (const mnist of [false, true])
    for (const which of ['before', 'after']) {
      const results = [];
      for (let i = 0; i < runs; ++i) results.push(await load(servers[which].url, mnist, link));
      rows.push({
        link: linkName, which, scene: mnist ? 'MNIST lesson' : 'page',
        bytes: median(results.map((r) => r.bytes)), requests: results[0].requests, encodings: results[0].encodings,
        first_frame_ms: Math.round(median(results.map((r) => r.readyAt))),
        mnist_loaded_ms: mnist ? Math.round(median(results.map((r) => r.mnistAt))) : null,
        first_frame_ms_all: results.map((r) => Math.round(r.readyAt)),
      });
    }
await browser.close();
for (const s of Object.values(servers)) s.server.close();

const firstFrame = rows.find((r) => r.link === 'loopback' && r.which === 'after' && r.scene === 'page');
const withinBudget = firstFrame.bytes <= BUDGET;
if (args.includes('--json')) console.log(JSON.stringify({ runs, rows, budget_bytes: BUDGET, within_budget: withinBudget }, null, 1));
else {
  const MB = (b) => (b / 1e6).toFixed(2) + ' MB';
  console.log(`first load of ${root} in headless Chromium, median of ${runs} (fresh context each, no service worker)`);
  console.log('link             | served           | scene         | bytes on the wire | requests | first frame | MNIST loaded');
  console.log('-----------------|------------------|---------------|-------------------|----------|-------------|-------------');
  for (const r of rows)
    console.log(`${r.link.padEnd(16)} | ${(r.which === 'before' ? 'before: as is' : 'after: brotli').padEnd(16)} | ${r.scene.padEnd(13)} | ${MB(r.bytes).padStart(17)} | ${String(r.requests).padStart(8)} | ` +
                `${(r.first_frame_ms + ' ms').padStart(11)} | ${r.mnist_loaded_ms === null ? '' : (r.mnist_loaded_ms + ' ms').padStart(11)}`);
  console.log(`budget: the first interactive frame from ≤ ${MB(BUDGET)} compressed: ${MB(firstFrame.bytes)}, ${withinBudget ? 'within' : 'OVER'} the budget ` +
              `(encodings: ${Object.entries(firstFrame.encodings).map(([k, v]) => `${v} ${k}`).join(', ')})`);
}
process.exit(withinBudget ? 0 : 1);
