// bench.test.mjs — the kernels' benchmark in the page (?bench), in headless Chromium:
//   node bench.test.mjs --root build/web/site --out build/web/screenshots [--reps 9] [--rep-seconds 0.25]
//        [--frames-seconds 5]
// Checks that the page runs the benchmark, shows and logs the same JSON, that the WebAssembly
// memory stays under the page's 256 MB after training M1 on 10,000 MNIST images, and measures
// frames/s while M2 trains: on the training thread (app-mt.js, the page served cross-origin
// isolated) in slices that hold the App, as a copy of its own that gives its
// weights to the App once a frame (as the scenes train) and with no hand-off (a model the UI never
// reads), and, in a second page with ?threads=0, in per-frame slices (app.js). Speeds are
// reported (bench-browser.json), never asserted: this machine is shared and its timing is noise
// for a test.
import fs from 'node:fs';
import path from 'node:path';
import { harness, launch, parseArgs, startServer, watchConsole } from './browser.mjs';

const args = parseArgs(process.argv.slice(2));
const root = path.resolve(args.root || 'build/web/site');
const out = path.resolve(args.out || 'build/screenshots');
fs.mkdirSync(out, { recursive: true });
const t = harness('browser.bench');

// The page trains on its own MNIST pack (build/web/site/data, cut at build time).

const { server, url } = await startServer(root, 0);
const browser = await launch();
try {
  const context = await browser.newContext({ viewport: { width: 1280, height: 800 } });
  const page = await context.newPage();
  const errors = [], logs = [];
  watchConsole(page, errors);
  page.on('console', (msg) => logs.push(msg.text()));
  const q = new URLSearchParams({ bench: 'all', reps: String(args.reps || 3), rep_seconds: String(args['rep-seconds'] || 0.1),
                                  frames_seconds: String(args['frames-seconds'] || 4) });
  await page.goto(`${url}?${q}`);
  await page.waitForFunction(() => window.aelab && window.aelab.benchDone, null, { timeout: 1500000, polling: 1000 });
  const r = await page.evaluate(() => ({ bench: window.aelab.bench, frames: window.aelab.benchFrames, error: window.aelab.benchError,
                                         shown: document.getElementById('bench').textContent }));
  t.check('the benchmark ran without error', !r.error, r.error || '');
  const b = r.bench || {};
  t.check('the JSON names the browser and the SIMD kernels', b.platform === 'browser' && /wasm-simd128/.test(b.gemm_backend || ''), b.gemm_backend);
  const training = b.training || [];
  t.check('training figures for M1 and M2, SGD and Adam', training.length === 4 &&
          training.every((e) => e.samples_per_s.kernels > 0 && e.samples_per_s.eigen_reference > 0));
  t.check('GEMM figures for every form', (b.gemm || []).length === 24 && b.gemm.every((g) => g.gflops.kernels > 0));
  const mem = (b.memory || {}).after_training_M1_mb;
  t.check('wasm memory after training M1 on 10,000 MNIST images < 256 MB', mem > 0 && mem < 256, `${mem} MB`);
  t.check('the same JSON is shown on the page and logged', r.shown.includes('"platform": "browser"') &&
          logs.some((l) => l.startsWith('AELAB_BENCH {')));
  const f = r.frames || {};
  t.check('frames/s measured while M2 trains', f.training && f.training.frames > 10 && f.training.samples_per_s > 0,
          f.training ? `${f.training.fps} frames/s, ${f.training.samples_per_s} samples/s (idle ${f.idle.fps} frames/s)` : '');
  t.check('the page shows a table a person reads: samples/s, GFLOP/s, the ratio to a plain Eigen loop, frames/s idle vs training',
          /model +layers +opt +threads +samples\/s +GFLOP\/s/.test(r.shown) && /x a plain Eigen loop/.test(r.shown) &&
          /^frames\/s: idle [0-9.]+, while M2 trains [0-9.]+ \([0-9.]+x\)/m.test(r.shown), r.shown.split('\n').slice(0, 8).join(' / '));
  t.check('with the training thread (app-mt.js), M2 trains on it', f.training_runs === 'on a thread of its own', f.training_runs);
  // Where the thread's time went: shares of the training phase, each in [0, 1], the worker's
  // slices and waits together no more than the whole phase (the UI's holds overlap the worker's waits).
  const th = (f.training || {}).thread || {};
  const share = (x) => typeof x === 'number' && x >= 0 && x <= 1.05;
  t.check("the training thread's tally: the UI's holds per frame, the worker's training and waits as shares of the phase",
          th.ui_turns >= f.training.frames && th.worker_slices > 0 && th.ui_held_ms_per_frame > 0 &&
          [th.ui_held_share, th.worker_trained_share, th.worker_waited_share].every(share) &&
          th.worker_trained_share + th.worker_waited_share <= 1.05 && /the thread trained [0-9]+% of the time/.test(r.shown),
          JSON.stringify(th));
  // The scenes' way: the thread trains a copy of its own and gives the App its weights once
  // the UI has had a turn, when the App is free: it never waits for the UI.
  const fc = f.training_copy || {};
  const thc = fc.thread || {};
  t.check("with the thread, a phase trained as a copy of its own, its weights given to the App about once a frame",
          fc.frames > 10 && fc.samples_per_s > 0 && thc.worker_slices > 0 && thc.worker_waited_share < 0.02 &&
          fc.syncs >= fc.frames / 2 && fc.syncs <= thc.ui_turns + 1 &&
          /^as a copy of its own \(the scenes' way: its weights given to the UI [0-9.]+ times a frame\): frames\/s [0-9.]+ \([0-9.]+x idle\), M2 samples\/s [0-9]+/m.test(r.shown),
          JSON.stringify(fc));
  // The last phase: the thread trains a model the UI never reads, without taking the App; it
  // waits for nothing (the UI takes the benchmark's lock only when a phase changes).
  const fa = f.training_alone || {};
  const tha = fa.thread || {};
  t.check('with the thread, a phase with no hand-off: M2 trains on it without the App',
          fa.frames > 10 && fa.samples_per_s > 0 && tha.worker_slices > 0 && share(tha.worker_trained_share) &&
          tha.worker_waited_share < 0.02 &&
          /^with no hand-off \(the thread trains a model the UI never reads\): frames\/s [0-9.]+ \([0-9.]+x idle\), M2 samples\/s [0-9]+/m.test(r.shown),
          JSON.stringify(fa));
  await page.screenshot({ path: path.join(out, 'bench.png') });

  // The same frames measurement with training in per-frame slices (app.js).
  const slices = await context.newPage();
  watchConsole(slices, errors);
  // In Korean: the lines a person reads are the page's language too (the JSON stays as it is).
  const qs = new URLSearchParams({ bench: 'frames', threads: '0', lang: 'ko', frames_seconds: String(args['frames-seconds'] || 4) });
  await slices.goto(`${url}?${qs}`);
  await slices.waitForFunction(() => window.aelab && window.aelab.benchDone, null, { timeout: 600000, polling: 1000 });
  const fs0 = await slices.evaluate(() => window.aelab.benchFrames || { error: window.aelab.benchError });
  const shownKorean = await slices.evaluate(() => document.getElementById('bench').textContent);
  t.check('in Korean (?lang=ko), the frames line is Korean: frames/s idle and while M2 trains in per-frame slices',
          /^초당 프레임: 유휴 [0-9.]+, M2 학습 중 [0-9.]+ \([0-9.]+배\); 그리는 동안 M2 샘플\/s [0-9]+, 학습 조각 안에서 [0-9]+; 학습은 프레임마다 조각으로$/m.test(shownKorean) &&
          /\n학습 중 초당 프레임 \(M2\):\n/.test(shownKorean), shownKorean.split('\n').slice(0, 3).join(' / '));
  await slices.screenshot({ path: path.join(out, 'bench-ko-slices.png') });
  t.check('with ?threads=0 (app.js), M2 trains in per-frame slices', fs0.training_runs === 'in a slice of each frame' &&
          fs0.training && fs0.training.samples_per_s > 0,
          fs0.training ? `${fs0.training.fps} frames/s, ${fs0.training.samples_per_s} samples/s (idle ${fs0.idle.fps} frames/s)` : JSON.stringify(fs0));
  t.check('no console errors', errors.length === 0, errors.join(' | '));
  fs.writeFileSync(path.join(out, 'bench-browser.json'), JSON.stringify({ bench: b, frames: f, frames_in_slices: fs0 }, null, 1));
  for (const e of training)
    console.log(`  ${e.model} ${e.optimizer}: ${e.samples_per_s.kernels} samples/s kernels, ${e.samples_per_s.eigen_reference} Eigen (×${e.kernels_over_eigen})`);
  for (const [how, x] of [['on its thread', f], ['in frame slices', fs0]])
    if (x.training) console.log(`  frames, M2 ${how}: idle ${x.idle.fps} frames/s, training ${x.training.fps} frames/s, ${x.training.samples_per_s} samples/s`);
  if (fc.frames) console.log(`  frames, M2 as a copy of its own: training ${fc.fps} frames/s, ${fc.samples_per_s} samples/s, ` +
                             `${fc.syncs_per_frame} syncs a frame`);
  if (fa.frames) console.log(`  frames, M2 on its thread with no hand-off: training ${fa.fps} frames/s, ${fa.samples_per_s} samples/s, ` +
                             `${fa.samples_per_s_inside_slices} inside its slices`);
  if (th.worker_slices) console.log(`  the thread: trained ${th.worker_trained_share}, waited for the UI ${th.worker_waited_share} of the time; ` +
                                    `the UI held the App ${th.ui_held_ms_per_frame} ms a frame (${th.ui_held_share}), waited ${th.ui_waited_ms_per_frame} ms`);
} finally {
  await browser.close();
  server.close();
}
process.exit(t.finish());
