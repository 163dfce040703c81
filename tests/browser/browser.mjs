// browser.mjs — shared helpers for the browser tests: serve the built page on 127.0.0.1, start
// Debian's Chromium through playwright-core (never a downloaded browser), collect console errors.
import { chromium } from 'playwright-core';
import fs from 'node:fs';
import { startServer as startStaticServer } from '../../web/serve.mjs';

export const CHROMIUM_FLAGS = [
  '--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run', '--disable-background-networking',
  '--disable-component-update', '--disable-sync', '--use-gl=swiftshader', '--enable-unsafe-swiftshader',
];

export function parseArgs(argv) {
  const args = {};
  for (let i = 0; i < argv.length; ++i)
    if (argv[i].startsWith('--')) args[argv[i].slice(2)] = argv[i + 1] && !argv[i + 1].startsWith('--') ? argv[++i] : true;
  return args;
}

export async function launch() {
  const executablePath = process.env.CHROMIUM || '/usr/bin/chromium';
  if (!fs.existsSync(executablePath)) throw new Error(`${executablePath} not found: run scripts/setup.sh (Debian package chromium)`);
  // playwright gives every launch a fresh, empty profile folder of its own.
  return chromium.launch({ executablePath, headless: true, args: CHROMIUM_FLAGS });
}

// The origins of the servers this test started: the page may talk to nothing else (issue 13: it
// loads no font, script or data from anywhere but its own origin).
const ownOrigins = new Set();

// Serves the built page on 127.0.0.1 (web/serve.mjs), under `prefix` (a sub-path, as a static
// host's /course/ae-lab/) when given.
export async function startServer(root, port = 0, options = {}) {
  const started = await startStaticServer(root, port, options);
  ownOrigins.add(new URL(started.url).origin);
  return started;
}

// Console messages that are errors, minus SwiftShader's ReadPixels performance warnings (which
// are warnings anyway) — everything else fails the test. So does a request that leaves the page's
// own origin (data: and blob: URLs are the page's own).
export function watchConsole(page, sink) {
  page.on('request', (req) => {
    const u = req.url();
    if (!/^(data|blob):/.test(u) && !ownOrigins.has(new URL(u).origin)) sink.push(`request outside the page's origin: ${u}`);
  });
  page.on('console', (msg) => {
    if (msg.type() === 'error') sink.push(`console.error: ${msg.text()}`);
  });
  page.on('pageerror', (err) => sink.push(`page error: ${err.message}`));
  page.on('requestfailed', (req) => sink.push(`request failed: ${req.url()} ${req.failure()?.errorText}`));
  page.on('response', (res) => { if (res.status() >= 400) sink.push(`HTTP ${res.status()}: ${res.url()}`); });
}


export const sleep = (ms) => new Promise((r) => setTimeout(r, ms));

// Opens the page at url + query in a fresh context and waits until it is ready (or has failed).
// Returns the context, the page, its console errors and state(): window.aelab.state(). `touch`: a
// tablet or phone (Chromium's touch emulation: touch events, a mobile viewport).
export async function openPage(browser, url, query, { locale = 'en-US', viewport = { width: 1280, height: 800 }, touch = false } = {}) {
  const context = await browser.newContext({ viewport, locale, ...(touch ? { isMobile: true, hasTouch: true } : {}) });
  const page = await context.newPage();
  const errors = [];
  watchConsole(page, errors);
  await page.goto(url + query);
  await page.waitForFunction(() => window.aelab && (window.aelab.ready || window.aelab.error), null, { timeout: 90000 });
  await sleep(300);  // a language change rebuilds the font atlas at the next frame
  return { context, page, errors, state: () => page.evaluate(() => window.aelab.state()) };
}

// Resolves after the page has drawn `n` more frames (the app draws one per animation frame).
export const nextFrames = (page, n = 2) =>
  page.evaluate((n) => new Promise((resolve) => {
    let k = 0;
    const frame = () => (++k >= n ? resolve() : requestAnimationFrame(frame));
    requestAnimationFrame(frame);
  }), n);

// Clicks the middle of a widget's rectangle (as the state hook reports it), as a user would;
// `fx` picks another point along it (0: the left edge, 1: the right edge), for sliders. Move,
// press and release each get frames of their own: Dear ImGui 1.86 sees one press/release per
// frame, so a click whose press and release fall in one slow frame (a loaded machine) was lost.
// When it resolves, the app has drawn the frames after the release (the click has acted).
export const click = async (page, r, fx = 0.5) => {
  await page.mouse.move(r.x + Math.min(Math.max(fx * r.w, 1), r.w - 1), r.y + r.h / 2);
  await nextFrames(page);
  await page.mouse.down();
  await nextFrames(page);
  await page.mouse.up();
  await nextFrames(page);
};

// A finger on a touch screen (a context with hasTouch: Chromium's touch emulation): drags from one
// point to another in `steps` moves, or taps (steps = 0, to = from), lifting the finger `holdMs`
// after the last move. Each event gets frames of its own, as in click(): SDL turns the touch into
// the left mouse button, which Dear ImGui 1.86 reads once per frame.
export async function touchDrag(page, from, to, steps = 8, holdMs = 0) {
  const cdp = await page.context().newCDPSession(page);
  const touch = (type, p) => cdp.send('Input.dispatchTouchEvent', { type, touchPoints: p ? [{ x: p.x, y: p.y, id: 1 }] : [] });
  await touch('touchStart', from);
  await nextFrames(page);
  for (let i = 1; i <= steps; ++i) {
    const t = i / steps;
    await touch('touchMove', { x: from.x + (to.x - from.x) * t, y: from.y + (to.y - from.y) * t });
    await nextFrames(page, 1);
  }
  if (holdMs > 0) await sleep(holdMs);
  await touch('touchEnd');
  await nextFrames(page);
  await cdp.detach();
}
// Taps the middle of a widget's rectangle (as the state hook reports it).
export const tap = (page, r) => {
  const middle = { x: r.x + r.w / 2, y: r.y + r.h / 2 };
  return touchDrag(page, middle, middle, 0);
};

// Clicks the page's Start button and polls the state every half second until done(state) or `seconds` pass.
export async function trainUntil(page, state, done, seconds) {
  let s = await state();
  await click(page, s.buttons.start);
  const t0 = Date.now();
  while (Date.now() - t0 < seconds * 1000) {
    await sleep(500);
    s = await state();
    if (done(s)) break;
  }
  return { s, seconds: (Date.now() - t0) / 1000 };
}

// A tiny test harness whose last line is "N passed, N failed" (read by CI).
export function harness(name) {
  let passed = 0, failed = 0;
  return {
    check(label, ok, detail = '') {
      if (ok) { ++passed; console.log(`  ok    ${label}${detail ? '  (' + detail + ')' : ''}`); }
      else { ++failed; console.log(`  FAIL  ${label}${detail ? '  (' + detail + ')' : ''}`); }
      return ok;
    },
    finish() {
      console.log(`${name}: ${passed} passed, ${failed} failed`);
      return failed === 0 && passed > 0 ? 0 : 1;
    },
  };
}
