// page.test.mjs — the built page in a real browser (headless Debian Chromium + playwright-core).
//   node page.test.mjs --root build/web --out build/screenshots
// 1. the page loads, signals ready, logs no console error;
// 2. a click on the real Start button starts training, and the loss (read through window.aelab.state())
//    falls; a screenshot is saved;
// 3. the canvas follows a window resize and renders at devicePixelRatio 2;
// 4. the page explains itself when WebGL2 or WebAssembly SIMD is missing;
// 5. served cross-origin isolated (the default of web/serve.mjs) it trains on a thread of its own
//    (app-mt.js); served without the COOP/COEP headers, or with ?threads=0, it trains in the
//    frames' slices (app.js) and its help says why.
import fs from 'node:fs';
import path from 'node:path';
import { click, harness, launch, parseArgs, startServer, watchConsole } from './browser.mjs';

const args = parseArgs(process.argv.slice(2));
const root = path.resolve(args.root || 'build/web/site');
const out = path.resolve(args.out || 'build/screenshots');
fs.mkdirSync(out, { recursive: true });
const t = harness('browser.page');

const { server, url } = await startServer(root, 0);
const browser = await launch();
const sleep = (ms) => new Promise((r) => setTimeout(r, ms));

async function openPage(options = {}, initScript = null) {
  const context = await browser.newContext({ viewport: { width: 1280, height: 800 }, ...options });
  const page = await context.newPage();
  const errors = [];
  watchConsole(page, errors);
  if (initScript) await page.addInitScript(initScript);
  await page.goto(url);
  return { context, page, errors };
}

try {
  // ---- 1 + 2: load, start, the loss falls ------------------------------------------------------
  {
    const { context, page, errors } = await openPage();
    const t0 = Date.now();
    await page.waitForFunction(() => window.aelab && (window.aelab.ready || window.aelab.error), null, { timeout: 90000 });
    const startup = await page.evaluate(() => ({ ready: window.aelab.ready, error: window.aelab.error }));
    t.check('page signals ready', startup.ready, startup.error || `${Date.now() - t0} ms`);
    const overlayHidden = await page.evaluate(() => getComputedStyle(document.getElementById('overlay')).display === 'none');
    t.check('loading indicator is gone once ready', overlayHidden);

    const s0 = await page.evaluate(() => window.aelab.state());
    t.check('training is paused at start', s0.running === false && s0.steps === 0, `steps ${s0.steps}`);
    const build = await page.evaluate(() => ({ threads: window.aelab.threads, isolated: window.crossOriginIsolated,
                                               script: [...document.scripts].map((e) => e.getAttribute('src')).filter(Boolean).join(' ') }));
    t.check('served cross-origin isolated, the page runs app-mt.js and trains on a thread of its own',
            build.isolated && build.threads && /app-mt\.js/.test(build.script) && s0.training_thread === true && s0.no_thread_reason === '',
            JSON.stringify(build));
    const b = s0.buttons.start;
    t.check('the Start button is on screen', b.w > 10 && b.h > 10 && b.x >= 0 && b.y >= 0, JSON.stringify(b));
    await click(page, b);
    await sleep(500);
    const s1 = await page.evaluate(() => window.aelab.state());
    t.check('a click on Start starts training', s1.running === true && s1.steps > 0, `steps ${s1.steps}`);

    // Let it train for a while, then compare the loss with the untrained network's.
    await sleep(1500);
    let s2 = await page.evaluate(() => window.aelab.state());
    for (let i = 0; i < 40 && !(s2.loss < 0.5 * s2.loss_first); ++i) {
      await sleep(250);
      s2 = await page.evaluate(() => window.aelab.state());
    }
    t.check('steps keep increasing', s2.steps > s1.steps, `${s1.steps} → ${s2.steps}`);
    t.check('the loss falls below half its initial value', s2.loss < 0.5 * s2.loss_first,
            `${s2.loss_first.toFixed(5)} → ${s2.loss.toFixed(5)} after ${s2.steps} steps`);
    t.check('the UI keeps drawing frames while training', s2.frame > s1.frame + 5,
            `${s2.frame - s1.frame} frames, ${s2.fps.toFixed(1)} frames/s under SwiftShader`);

    const shot = path.join(out, 'page.png');
    await page.screenshot({ path: shot });
    t.check('screenshot saved', fs.statSync(shot).size > 10000, shot);

    // Pause again with the same button.
    await click(page, b);
    await sleep(300);
    const s3 = await page.evaluate(() => window.aelab.state());
    await sleep(300);
    const s4 = await page.evaluate(() => window.aelab.state());
    t.check('a second click pauses', s3.running === false && s4.steps === s3.steps, `steps ${s3.steps} → ${s4.steps}`);
    // The thread trains a copy of the toy scene and gives the App its progress once a frame (app.cpp,
    // app_copy_training): what the UI does to the scene, paused or running, must stick, never be
    // undone by that copy.
    await page.keyboard.press('KeyS');
    await sleep(300);
    const s5 = await page.evaluate(() => window.aelab.state());
    t.check('paused, key S takes one step, and it stays', s5.running === false && s5.steps === s4.steps + 1 &&
            s5.weights.checksum !== s4.weights.checksum, `steps ${s4.steps} → ${s5.steps}`);
    await page.keyboard.press('Space');
    await sleep(500);
    const s6 = await page.evaluate(() => window.aelab.state());
    t.check('Space resumes from there', s6.running === true && s6.steps > s5.steps, `steps ${s5.steps} → ${s6.steps}`);
    await page.keyboard.press('KeyR');
    await sleep(300);
    const s7 = await page.evaluate(() => window.aelab.state());
    await sleep(300);
    const s8 = await page.evaluate(() => window.aelab.state());
    t.check('R while training resets to step 0 and pauses, and the trained model does not come back',
            s7.running === false && s7.steps === 0 && s8.steps === 0 && s8.weights.checksum === s7.weights.checksum,
            `steps ${s6.steps} → ${s7.steps} → ${s8.steps}`);

    // ---- 3: resize ---------------------------------------------------------------------------
    await page.setViewportSize({ width: 900, height: 600 });
    await sleep(500);
    const size = await page.evaluate(() => {
      const c = document.getElementById('canvas');
      return { w: c.width, h: c.height, cw: c.clientWidth, ch: c.clientHeight };
    });
    t.check('the canvas follows a window resize', size.w === 900 && size.h === 600 && size.cw === 900, JSON.stringify(size));
    t.check('no console errors', errors.length === 0, errors.slice(0, 5).join(' | '));
    await context.close();
  }

  // ---- 3b: high-DPI screens -------------------------------------------------------------------
  {
    const { context, page, errors } = await openPage({ deviceScaleFactor: 2 });
    await page.waitForFunction(() => window.aelab && (window.aelab.ready || window.aelab.error), null, { timeout: 90000 });
    await sleep(300);
    const size = await page.evaluate(() => {
      const c = document.getElementById('canvas');
      return { w: c.width, h: c.height, cw: c.clientWidth, ch: c.clientHeight, state: window.aelab.state() };
    });
    t.check('at devicePixelRatio 2 the canvas has 2× the pixels', size.w === 2 * size.cw && size.h === 2 * size.ch,
            `${size.w}×${size.h} for ${size.cw}×${size.ch} CSS px`);
    t.check('fonts are rasterised for the pixel ratio', size.state.pixel_ratio === 2, `pixel_ratio ${size.state.pixel_ratio}`);
    await page.screenshot({ path: path.join(out, 'page-dpr2.png') });
    t.check('no console errors at DPR 2', errors.length === 0, errors.slice(0, 5).join(' | '));
    await context.close();
  }

  // ---- 3c: a sub-path of a static host; its own origin only; the Content-Security-Policy -------
  // Served under /course/ae-lab/, the page loads, fetches the MNIST pack and trains; every request
  // stays on its own origin (watchConsole fails any other), and its CSP forbids the rest.
  {
    const sub = await startServer(root, 0, { prefix: '/course/ae-lab/' });
    const context = await browser.newContext({ viewport: { width: 1280, height: 800 } });
    const page = await context.newPage();
    const errors = [], requests = [];
    watchConsole(page, errors);
    page.on('request', (req) => requests.push(req.url()));
    await page.goto(sub.url + '?lesson=mnist-2d-code');
    await page.waitForFunction(() => window.aelab && (window.aelab.ready || window.aelab.error), null, { timeout: 90000 });
    await page.waitForFunction(() => window.aelab.state().mnist.status === 2, null, { timeout: 60000 }).catch(() => {});
    let s = await page.evaluate(() => window.aelab.state());
    await click(page, s.buttons.start);
    await sleep(1500);
    s = await page.evaluate(() => window.aelab.state());
    const origin = new URL(sub.url).origin;
    t.check('from a sub-path (/course/ae-lab/) the page loads its digits and trains', s.mnist.status === 2 && s.mnist.steps > 0,
            `${s.mnist.steps} steps; ${requests.length} requests, all under ${sub.url}: ${requests.every((u) => u.startsWith(sub.url))}`);
    t.check('every request goes to the page\'s own origin', requests.length > 3 && requests.every((u) => u.startsWith(origin) || /^(data|blob):/.test(u)),
            requests.filter((u) => !u.startsWith(origin)).join(' ') || `${requests.length} requests`);
    const csp = await page.evaluate(() => document.querySelector('meta[http-equiv="Content-Security-Policy"]')?.content || '');
    t.check('the page sets a Content-Security-Policy that allows only its own origin', /default-src 'self'/.test(csp) && /connect-src 'self'/.test(csp), csp);
    t.check('no console errors from a sub-path', errors.length === 0, errors.slice(0, 4).join(' | '));
    // The policy is enforced: a fetch to another origin is refused by the browser and says why.
    const foreign = await page.evaluate(() => fetch('http://example.invalid/x').then(() => 'sent', (e) => 'refused: ' + e.message));
    await sleep(200);
    t.check('a request to another origin is refused by the policy', foreign.startsWith('refused') &&
            errors.some((e) => /Content Security Policy/i.test(e)), `${foreign}; ${errors.slice(0, 2).join(' | ')}`);
    await context.close();
    sub.server.close();
  }

  // ---- 4: browsers without WebGL2 / WebAssembly SIMD get a clear message ----------------------
  for (const [what, script] of [
    ['WebGL2', () => {
      const original = HTMLCanvasElement.prototype.getContext;
      HTMLCanvasElement.prototype.getContext = function (type, ...rest) { return type === 'webgl2' ? null : original.call(this, type, ...rest); };
    }],
    ['WebAssembly SIMD', () => { WebAssembly.validate = () => false; }],
  ]) {
    const { context, page } = await openPage({}, script);
    await page.waitForFunction(() => window.aelab && window.aelab.error, null, { timeout: 20000 }).catch(() => {});
    const shown = await page.evaluate(() => ({
      text: document.getElementById('status').textContent,
      visible: getComputedStyle(document.getElementById('overlay')).display !== 'none',
      loaded: !!document.querySelector('script[src="app.js"], script[src="app-mt.js"]'),
    }));
    t.check(`without ${what}: a visible message names it and the app is not loaded`,
            shown.visible && shown.text.includes(what) && !shown.loaded, shown.text.slice(0, 90));
    await context.close();
  }

  // ---- 5: no thread: a server without the COOP/COEP headers, or ?threads=0 ---------------------
  {
    const plain = await startServer(root, 0, { isolate: false });
    for (const [how, address, reason] of [['served without COOP/COEP', plain.url, /cross-origin isolated/],
                                          ['with ?threads=0', url + '?threads=0', /threads=0/]]) {
      const context = await browser.newContext({ viewport: { width: 1280, height: 800 } });
      const page = await context.newPage();
      const errors = [];
      watchConsole(page, errors);
      await page.goto(address);
      await page.waitForFunction(() => window.aelab && (window.aelab.ready || window.aelab.error), null, { timeout: 90000 });
      let s = await page.evaluate(() => window.aelab.state());
      const build = await page.evaluate(() => ({ threads: window.aelab.threads, isolated: window.crossOriginIsolated,
                                                 script: [...document.scripts].map((e) => e.getAttribute('src')).filter(Boolean).join(' ') }));
      t.check(`${how}: the page runs app.js, trains in the frames' slices and says why`,
              !build.threads && /(^| )app\.js/.test(build.script) && s.training_thread === false && reason.test(s.no_thread_reason),
              `${JSON.stringify(build)}; ${s.no_thread_reason}`);
      await click(page, s.buttons.start);
      await sleep(1500);
      s = await page.evaluate(() => window.aelab.state());
      for (let i = 0; i < 40 && !(s.loss < 0.5 * s.loss_first); ++i) {
        await sleep(250);
        s = await page.evaluate(() => window.aelab.state());
      }
      t.check(`${how}: it still trains (the loss falls below half)`, s.running && s.steps > 0 && s.loss < 0.5 * s.loss_first,
              `${s.steps} steps, ${s.loss_first.toFixed(5)} → ${s.loss.toFixed(5)}`);
      if (how.startsWith('served')) {
        await page.keyboard.press('h');
        await sleep(400);
        await page.screenshot({ path: path.join(out, 'page-no-thread-help.png') });
      }
      t.check(`${how}: no console errors`, errors.length === 0, errors.slice(0, 4).join(' | '));
      await context.close();
    }
    plain.server.close();
  }
} catch (err) {
  t.check('browser test ran to the end', false, err.stack || String(err));
} finally {
  await browser.close();
  server.close();
}
process.exit(t.finish());
