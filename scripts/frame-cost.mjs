#!/usr/bin/env node
// frame-cost.mjs — what one frame of the page asks of the GPU, and what that costs where no GPU
// helps (headless Chromium draws WebGL with SwiftShader, on the CPU), for a page address:
//   draws   the frame's draw calls: triangles and the area they cover (in screens; unclipped), from
//           the WebGL calls of one frame (imgui_impl_opengl3 uploads its buffers with bufferSubData)
//   fps     animation frames per second while the page is idle, medians of --runs runs of 3 s
//   free    the same with every draw call dropped (the page still builds its frames and the browser
//           still composites them): how fast the page would run on a GPU that draws for free
//   cores   the CPU the browser's processes (all of them: page, GPU process with SwiftShader,
//           compositor) used while fps was counted, in cores of this machine
//   train   with --train, the same while the page's own scene trains (Space starts it): frames/s,
//           cores, and the scene's steps/s (the toy scene's by default; see --query); then its
//           steps/s with the app's main loop paused (no frames: training alone on its thread), and
//           the ratio of the others to that
//   bench   with --bench, the page's ?bench=frames with and without the draw calls: frames/s idle,
//           while M2 trains in slices that hold the App (the hand-offs before the copies), as a copy
//           of its own (as the scenes train) and with no hand-off, and samples/s
// A stand-in GPU that draws for free says what the page's own threads cost once drawing is cheap:
// with it, the gap left between training with hand-offs and with none is the hand-offs'.
// The cores say whether a target can be met at all on this machine: frames/s while training of
// at least 0.9× idle, with training taking most of a core, needs the idle page to leave that core
// free.
//
//   NODE_PATH=node_modules node scripts/frame-cost.mjs [--root build/web/site] [--query '?lesson=mnist-2d-code']
//        [--size 1280x800] [--runs 3] [--train] [--bench] [--json]
import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { launch } from '../tests/browser/browser.mjs';
import { startServer } from '../web/serve.mjs';

const args = process.argv.slice(2);
const get = (name, fallback) => { const i = args.indexOf(name); return i >= 0 && args[i + 1] ? args[i + 1] : fallback; };
const here = path.dirname(fileURLToPath(import.meta.url));
const root = path.resolve(get('--root', path.join(here, '..', 'build', 'web', 'site')));
const query = get('--query', '');
const [width, height] = get('--size', '1280x800').split('x').map(Number);
const runs = Math.max(1, Number(get('--runs', 3)));
if (!fs.existsSync(path.join(root, 'index.html'))) { console.error(`frame-cost: ${root} has no index.html: build the web preset`); process.exit(2); }
if (!(width > 0 && height > 0)) { console.error('frame-cost: --size is WIDTHxHEIGHT, e.g. 1280x800'); process.exit(2); }

// Installed before the page's scripts: counts one frame's draw calls (a frame starts at its
// clear) and, when window.__dropDraws is set, drops them.
function hookWebGL(drop) {
  const P = WebGL2RenderingContext.prototype;
  const h = window.__frameCost = { drop, frames: [], current: [], vertices: null, indices: null };
  const subData = P.bufferSubData;
  P.bufferSubData = function (target, offset, src, srcOffset, length) {
    if (src && src.buffer && srcOffset !== undefined && !drop) {
      const bytes = new Uint8Array(src.buffer, src.byteOffset + srcOffset, length).slice();
      if (target === this.ARRAY_BUFFER) h.vertices = bytes; else if (target === this.ELEMENT_ARRAY_BUFFER) h.indices = bytes;
    }
    return subData.apply(this, arguments);
  };
  const clear = P.clear;
  P.clear = function () {
    if (h.current.length) h.frames.push(h.current), h.frames.splice(0, h.frames.length - 4);
    h.current = [];
    return clear.apply(this, arguments);
  };
  const drawElements = P.drawElements;
  P.drawElements = function (mode, count, type, offset) {
    if (drop) return undefined;
    let area = 0;
    if (h.vertices && h.indices) {  // ImDrawVert: pos (2 floats), uv (2 floats), colour (4 bytes)
      const v = new DataView(h.vertices.buffer);
      const idx = type === this.UNSIGNED_SHORT ? new Uint16Array(h.indices.buffer, offset, count) : new Uint32Array(h.indices.buffer, offset, count);
      const at = (k) => [v.getFloat32(idx[k] * 20, true), v.getFloat32(idx[k] * 20 + 4, true)];
      for (let i = 0; i + 2 < count; i += 3) {
        const [a, b, c] = [at(i), at(i + 1), at(i + 2)];
        area += Math.abs((b[0] - a[0]) * (c[1] - a[1]) - (c[0] - a[0]) * (b[1] - a[1])) / 2;
      }
    }
    h.current.push({ triangles: count / 3, area });
    return drawElements.apply(this, arguments);
  };
}

const rafFps = () => new Promise((done) => {
  let n = 0;
  const t0 = performance.now();
  const tick = () => { if (performance.now() - t0 < 3000) { n++; requestAnimationFrame(tick); } else done(n / ((performance.now() - t0) / 1000)); };
  requestAnimationFrame(tick);
});
// CPU seconds used so far by this script's child processes and their children (the browser),
// from /proc (Linux); null elsewhere.
function browserCpuSeconds() {
  let entries;
  try { entries = fs.readdirSync('/proc').filter((d) => /^\d+$/.test(d)); } catch { return null; }
  const parent = new Map(), ticks = new Map();
  for (const pid of entries) {
    try {
      const stat = fs.readFileSync(`/proc/${pid}/stat`, 'utf8');
      const f = stat.slice(stat.lastIndexOf(')') + 2).split(' ');  // from field 3 (state) on
      parent.set(Number(pid), Number(f[1]));
      ticks.set(Number(pid), Number(f[11]) + Number(f[12]));       // utime + stime (fields 14, 15)
    } catch { /* gone meanwhile */ }
  }
  const isOurs = (pid) => { for (let p = parent.get(pid); p; p = parent.get(p)) if (p === process.pid) return true; return false; };
  let sum = 0;
  for (const [pid, t] of ticks) if (isOurs(pid)) sum += t;
  return sum / 100;  // USER_HZ: 100 on Linux
}
const median = (v) => [...v].sort((a, b) => a - b)[Math.floor(v.length / 2)];
// Medians over --runs runs of 3 s in the page: frames/s, the cores the browser used meanwhile and,
// given `steps` (a function that reads the scene's step count), steps/s.
async function measureRuns(page, steps = null) {
  const fps = [], cores = [], rates = [];
  for (let i = 0; i < runs; ++i) {
    const s0 = steps && await steps(), cpu0 = browserCpuSeconds(), t0 = performance.now();
    fps.push(await page.evaluate(rafFps));
    const cpu1 = browserCpuSeconds(), seconds = (performance.now() - t0) / 1000;
    if (cpu0 !== null) cores.push((cpu1 - cpu0) / seconds);
    if (steps) rates.push((await steps() - s0) / ((performance.now() - t0) / 1000));
  }
  return { fps: +median(fps).toFixed(1), cores: cores.length ? +median(cores).toFixed(2) : null,
           ...(steps ? { steps_per_s: Math.round(median(rates)) } : {}) };
}

const { server, url } = await startServer(root, 0);
const browser = await launch();
const result = { query, size: `${width}x${height}` };
try {
  for (const drop of [false, true]) {
    const context = await browser.newContext({ viewport: { width, height } });
    const page = await context.newPage();
    await page.addInitScript(hookWebGL, drop);
    await page.goto(url + query);
    await page.waitForFunction(() => window.aelab && window.aelab.ready, null, { timeout: 120000 });
    await page.waitForTimeout(5000);  // lessons load their data and settle
    const idle = await measureRuns(page);
    const key = drop ? '_drawing_free' : '';
    result['cores' + key] = idle.cores;
    if (args.includes('--train')) {
      // The current scene's steps: the MNIST scene's in its lessons, else the toy scene's.
      // The toy scene's thread trains a copy and gives the App its progress after each of the UI's
      // turns, a read of the state being one: so the second read, a moment after the first, has
      // the steps of now also where no frame is drawn.
      const steps = async () => {
        await page.evaluate(() => window.aelab.state());
        await page.waitForTimeout(20);
        const st = await page.evaluate(() => window.aelab.state());
        return st.mode === 'mnist' ? st.mnist.steps : st.steps;
      };
      await page.keyboard.press('Space');
      await page.waitForTimeout(2000);
      result['train' + key] = await measureRuns(page, steps);
      if (!drop) {
        // The same with the app's main loop paused: no frames built or drawn, so the scene trains
        // alone on its thread (as fast as one thread trains it in this page: what the figures while
        // drawing are measured against). Only the reads of the step count take the App.
        await page.evaluate(() => Module.pauseMainLoop());
        const { steps_per_s, cores } = await measureRuns(page, steps);
        result.train_ui_paused = { steps_per_s, cores };
        await page.evaluate(() => Module.resumeMainLoop());
      }
    }
    if (!drop) {
      const draws = await page.evaluate(() => window.__frameCost.frames.at(-1) || []);
      result.draws = draws.map((d) => ({ triangles: d.triangles, screens: +(d.area / (width * height)).toFixed(3) }));
      result.triangles = draws.reduce((s, d) => s + d.triangles, 0);
      result.screens = +draws.reduce((s, d) => s + d.area / (width * height), 0).toFixed(2);
      result.fps = idle.fps;
    } else {
      result.fps_drawing_free = idle.fps;
    }
    await context.close();
  }
  if (args.includes('--bench')) {
    for (const drop of [false, true]) {
      const context = await browser.newContext({ viewport: { width, height } });
      const page = await context.newPage();
      await page.addInitScript(hookWebGL, drop);
      await page.goto(`${url}?bench=frames&frames_seconds=4`);
      await page.waitForFunction(() => window.aelab && window.aelab.benchDone, null, { timeout: 600000, polling: 1000 });
      const f = await page.evaluate(() => window.aelab.benchFrames || { error: window.aelab.benchError });
      const phase = (p) => p && { fps: p.fps, samples_per_s: p.samples_per_s,
        slice_ms: { median: p.slice_ms_median, p90: p.slice_ms_p90, p99: p.slice_ms_p99 }, ...(p.thread ? { worker_trained_share: p.thread.worker_trained_share,
        worker_waited_share: p.thread.worker_waited_share, ui_held_ms_per_frame: p.thread.ui_held_ms_per_frame, ui_waited_ms_per_frame: p.thread.ui_waited_ms_per_frame } : {}) };
      result[drop ? 'bench_drawing_free' : 'bench'] = f.error ? { error: f.error } :
        { training_runs: f.training_runs, idle_fps: f.idle.fps, training: phase(f.training), training_copy: phase(f.training_copy),
          training_alone: phase(f.training_alone) };
      await context.close();
    }
  }
} finally {
  await browser.close();
  server.close();
}

if (args.includes('--json')) {
  console.log(JSON.stringify(result, null, 2));
} else {
  console.log(`page ${query || '(the first lesson)'} at ${result.size}: ${result.draws.length} draw calls, ${result.triangles} triangles, ` +
              `${result.screens} screens of area`);
  for (const [i, d] of result.draws.entries()) console.log(`  draw ${i}: ${d.triangles} triangles, ${d.screens} screens`);
  const cores = (c) => c === null ? '' : ` (the browser used ${c} cores)`;
  console.log(`frames/s idle: ${result.fps}${cores(result.cores)}; with every draw call dropped (a GPU that draws for free): ` +
              `${result.fps_drawing_free}${cores(result.cores_drawing_free)}`);
  const paused = result.train_ui_paused;
  const ratio = (t) => paused && paused.steps_per_s > 0 ? ` (${(t.steps_per_s / paused.steps_per_s).toFixed(2)}x)` : '';
  for (const key of ['train', 'train_drawing_free']) {
    const t = result[key];
    if (t) console.log(`while the scene trains${key === 'train' ? '' : ', draw calls dropped'}: ${t.fps} frames/s${cores(t.cores)}, ` +
                       `${t.steps_per_s} steps/s${ratio(t)}`);
  }
  if (paused) console.log(`the scene training with the main loop paused (no frames): ${paused.steps_per_s} steps/s${cores(paused.cores)}`);
  for (const key of ['bench', 'bench_drawing_free']) {
    const b = result[key];
    if (!b) continue;
    if (b.error) { console.log(`${key}: ${b.error}`); continue; }
    const line = (p) => p ? `${p.fps} frames/s, ${p.samples_per_s} samples/s, slices ${p.slice_ms.median}/${p.slice_ms.p90}/${p.slice_ms.p99} ms (median/p90/p99)` + (p.worker_trained_share !== undefined ?
      ` (worker trained ${(100 * p.worker_trained_share).toFixed(0)}%, waited ${(100 * p.worker_waited_share).toFixed(0)}%; the UI held ${p.ui_held_ms_per_frame} ms and waited ${p.ui_waited_ms_per_frame} ms a frame)` : '') : '-';
    console.log(`${key === 'bench' ? '?bench=frames' : '?bench=frames, draw calls dropped'} (M2 ${b.training_runs}): idle ${b.idle_fps} frames/s; ` +
                `in slices that hold the App ${line(b.training)}; as a copy of its own (as the scenes train) ` +
                `${line(b.training_copy)}; with no hand-off ${line(b.training_alone)}`);
  }
}
