// monkey.test.mjs — the page at the extremes of its controls, and a seeded monkey in every scene.
//   node monkey.test.mjs --root build/web/site --out build/screenshots [--seconds 6] [--seed 1]
// 1. Extremes: lesson texts (as a lecturer's file would) put the sliders at their ends — η = 1 with
//    plain SGD at batch 1, the largest networks at the largest batch, every penalty at its maximum,
//    corruption 1.0, k = 1, β = 10 — and the page trains each. A run that goes NaN/Inf must stop with
//    a message and keep its last good weights: the weights are finite and no longer change. A scene
//    whose settings would not fit the page's memory is refused with a message before it allocates.
// 2. The monkey: in every scene, seeded random clicks, drags, wheel turns, key presses and typed text
//    for --seconds each (CI: 2 s in one lesson per scene; `--seconds 60` for a long run in every lesson).
// After each: no console error, no abort, frames keep coming, the state hook answers, and the wasm
// memory stays under the page's 256 MB cap.
import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { click, harness, launch, nextFrames, openPage, parseArgs, sleep, startServer } from './browser.mjs';

const args = parseArgs(process.argv.slice(2));
const root = path.resolve(args.root || 'build/web/site');
const out = path.resolve(args.out || 'build/screenshots');
const seconds = Number(args.seconds || 6);
const seed = Number(args.seed || 1);
fs.mkdirSync(out, { recursive: true });
const t = harness('browser.monkey');
const kPageMemory = 268435456;
const lessonDir = path.join(path.dirname(fileURLToPath(import.meta.url)), '../../assets/lessons');  // -sMAXIMUM_MEMORY (src/platform/CMakeLists.txt)

// mulberry32: a small seeded generator, so a failing run can be replayed with --seed.
function rng(a) {
  return () => {
    a |= 0; a = (a + 0x6D2B79F5) | 0;
    let t = Math.imul(a ^ (a >>> 15), 1 | a);
    t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t;
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

const { server, url } = await startServer(root, 0);
const browser = await launch();

// The checks every run ends with: errors, frames, the state hook, memory.
async function healthy(label, page, errors) {
  const before = await page.evaluate(() => window.aelab.state().frame);
  await sleep(1000);  // a step of the largest MNIST network at batch 512 takes a good part of a second here
  const s = await page.evaluate(() => window.aelab.state());
  const memory = await page.evaluate(() => Module.HEAPU8.length);
  t.check(`${label}: no console error, frames keep coming, the state hook answers, memory under the cap`,
          errors.length === 0 && s.frame > before && memory <= kPageMemory,
          `${errors.slice(0, 3).join(' | ') || 'no errors'}; frames ${before} → ${s.frame}; wasm memory ${(memory / 1e6).toFixed(0)} MB`);
  return s;
}

// Opens, in the page, a lesson text derived from the built-in lesson `base` (its file as the page
// writes it) by `edit`, as a lecturer's file dropped on the page would.
async function openEdited(page, base, id, edit) {
  await page.evaluate(({ base, id, edit }) => {
    const lesson = JSON.parse(base);
    // eslint-disable-next-line no-new-func
    new Function('lesson', edit)(lesson);
    lesson.id = `${id}-extreme`;
    window.aelab.openLessonText(`${id}-extreme.json`, JSON.stringify(lesson));
  }, { base, id, edit });
  await nextFrames(page, 4);
}

// Where a scene keeps its training state in the hook.
const view = (s, scene) => (scene === 'mnist' ? s.mnist : s);

try {
  // ---- 1. extremes -------------------------------------------------------------------------------
  const extremes = [
    { name: 'toy: η = 1, plain SGD, batch 1, 3 hidden layers of 128, linear output', id: 'spiral', scene: 'toy',
      edit: `lesson.network.hidden = [1, 2, 3].map(() => ({ size: 128, activation: 'relu' }));
             lesson.network.output_activation = 'linear';
             Object.assign(lesson.training, { optimizer: 'sgd', learning_rate: 1, batch_size: 1 });` },
    { name: 'toy: batch 512, every penalty at its maximum (L1 λ = 1)', id: 'spiral', scene: 'toy',
      edit: `Object.assign(lesson.training, { variant: 'l1', batch_size: 512, learning_rate: 1 });
             lesson.training.sparsity.l1_weight = 1;` },
    { name: 'toy: KL sparsity β = 10, ρ = 0.01', id: 'spiral', scene: 'toy',
      edit: `lesson.network.code.activation = 'sigmoid';
             Object.assign(lesson.training, { variant: 'kl', learning_rate: 1 });
             Object.assign(lesson.training.sparsity, { kl_weight: 10, target: 0.01 });` },
    { name: 'toy: k-sparse, k = 1', id: 'spiral', scene: 'toy',
      edit: `lesson.network.code.size = 2; Object.assign(lesson.training, { variant: 'k-sparse', learning_rate: 1 });
             lesson.training.sparsity.k = 1;` },
    { name: 'toy: contractive λ = 10, σ = 1', id: 'spiral', scene: 'toy',
      edit: `Object.assign(lesson.training, { variant: 'contractive', learning_rate: 1 });
             Object.assign(lesson.training.contractive, { weight: 10, form: 'stochastic', noise: 1 });` },
    { name: 'toy: corruption 1.0 (masking)', id: 'spiral', scene: 'toy',
      edit: `lesson.training.variant = 'denoising'; lesson.training.corruption = { kind: 'masking', level: 1 };` },
    { name: 'MNIST: the largest network (3 × 512, code 128) at batch 512, η = 1', id: 'mnist-2d-code', scene: 'mnist',
      edit: `lesson.network.hidden = [1, 2, 3].map(() => ({ size: 512, activation: 'relu' }));
             lesson.network.code.size = 128;
             Object.assign(lesson.training, { learning_rate: 1, batch_size: 512 });` },
    { name: 'MNIST: plain SGD η = 1 at batch 1, squared error, linear output', id: 'mnist-2d-code', scene: 'mnist',
      edit: `lesson.network.output_activation = 'linear';
             Object.assign(lesson.training, { optimizer: 'sgd', learning_rate: 1, batch_size: 1, loss: 'squared_error' });` },
    { name: 'MNIST: VAE, β = 10, η = 1', id: 'mnist-2d-code', scene: 'mnist',
      edit: `Object.assign(lesson.training, { variant: 'vae', vae_beta: 10, learning_rate: 1 });` },
    { name: 'MNIST: denoising, corruption 1.0 (salt and pepper)', id: 'mnist-2d-code', scene: 'mnist',
      edit: `lesson.training.variant = 'denoising'; lesson.training.corruption = { kind: 'salt_and_pepper', level: 1 };` },
  ];
  // One page per built-in lesson the extremes start from (the MNIST digits load once per page).
  const pages = new Map();
  for (const x of extremes) {
    if (!pages.has(x.id)) {
      const opened = await openPage(browser, url, `?lesson=${x.id}`);
      opened.base = JSON.stringify(await opened.page.evaluate(() => window.aelab.sceneLesson()));
      pages.set(x.id, opened);
    }
    const { page, errors, state, base } = pages.get(x.id);
    await openEdited(page, base, x.id, x.edit);
    let s = await state();
    if (x.scene === 'mnist') {  // the digits load first
      for (let i = 0; i < 60 && s.mnist.status !== 2; ++i) { await sleep(500); s = await state(); }
    }
    const opened = x.scene === 'mnist' ? s.mode.startsWith('mnist') && s.mnist.status === 2 && !s.mnist.settings_error
                                       : s.mode.startsWith('toy');
    t.check(`${x.name}: opens`, opened && s.error === '', `${s.mode}, ${s.error || s.mnist.settings_error || 'no error'}`);
    await click(page, s.buttons.start);
    await sleep(2000);
    s = await state();
    let v = view(s, x.scene);
    if (!v.running && !v.failure && v.steps === 0) {  // the click came before the scene was ready: once more
      await click(page, s.buttons.start);
      await sleep(2500);
      s = await state();
      v = view(s, x.scene);
    }
    if (v.failure) {
      // Stopped on NaN/Inf: a message, no more steps, the last good weights (finite, no longer changing).
      await sleep(500);
      const v2 = view(await state(), x.scene);
      t.check(`${x.name}: NaN/Inf stopped training with a message and kept finite weights`,
              !v2.running && v2.steps === v.steps && v.weights.finite && v2.weights.checksum === v.weights.checksum,
              `stopped after ${v.steps} steps; weights finite ${v.weights.finite}, checksum ${v.weights.checksum} → ${v2.weights.checksum}`);
    } else {
      t.check(`${x.name}: trains with finite weights`, v.steps > 0 && v.weights.finite && v.weights.checksum !== null,
              `${v.steps} steps, loss ${v.loss}`);
    }
    await healthy(x.name, page, errors);
  }
  for (const { context } of pages.values()) await context.close();

  // The stacked scene at settings over the page's memory: refused before allocating, with a message.
  {
    const { context, page, errors, state } = await openPage(browser, url, '?lesson=stacked');
    await openEdited(page, JSON.stringify(await page.evaluate(() => window.aelab.sceneLesson())), 'stacked', `
      lesson.stacked.layers = [1, 2, 3, 4].map(() => ({ size: 512, activation: 'sigmoid' }));
      Object.assign(lesson.stacked, { batch_size: 512, finetune_batch_size: 512, unrolled_epochs: 1 });`);
    let s = await state();
    for (let i = 0; i < 60 && s.mnist.status !== 2; ++i) { await sleep(500); s = await state(); }
    await sleep(500);
    s = await state();
    t.check('stacked: 4 layers of 512 at batch 512 are refused with the memory they would need',
            /about [0-9.]+ MB of memory .* 268 MB/.test(s.stacked.error) && s.stacked.pretrain_steps === 0, s.stacked.error);
    await page.screenshot({ path: path.join(out, 'monkey-stacked-refused.png') });
    await healthy('stacked refused', page, errors);
    await context.close();
  }

  // ---- 2. the monkey -----------------------------------------------------------------------------
  const keys = ['Space', 'KeyS', 'KeyR', 'KeyP', 'KeyN', 'KeyH', 'KeyC', 'Tab', 'Escape', 'Enter', 'ArrowLeft', 'ArrowRight',
                'ArrowUp', 'ArrowDown', 'Equal', 'Minus', 'Digit0', 'Digit9', 'Backspace', 'Delete', 'Home', 'End'];
  const typed = ['1e308', '-1', 'NaN', '0.5', '한국어', '\u0000', 'x'.repeat(300), '%s%n'];
  // CI: one lesson per scene (toy with the lecture map, step-through, descent, 3-D toy, MNIST with a
  // view, stacked, VAE); a long run (--seconds 10 or more): every built-in lesson.
  const scenes = seconds >= 10
    ? fs.readdirSync(lessonDir).filter((f) => f.endsWith('.json')).sort()
      .map((f) => JSON.parse(fs.readFileSync(path.join(lessonDir, f), 'utf8')).id)
    : ['lecture-map', 'backprop-2-2-2', 'gradient-descent', 'swiss-roll', 'likelihood', 'stacked', 'vae'];
  const random = rng(seed);
  for (const id of scenes) {
    const { context, page, errors, state } = await openPage(browser, url, `?lesson=${id}`);
    const { width, height } = page.viewportSize();
    const actions = { click: 0, drag: 0, wheel: 0, key: 0, type: 0 };
    const t0 = Date.now();
    while (Date.now() - t0 < seconds * 1000) {
      const x = random() * width, y = random() * height, r = random();
      if (r < 0.35) {
        await page.mouse.click(x, y); ++actions.click;
      } else if (r < 0.6) {
        await page.mouse.move(x, y);
        await page.mouse.down();
        await page.mouse.move(random() * width, random() * height, { steps: 4 });
        await page.mouse.up(); ++actions.drag;
      } else if (r < 0.7) {
        await page.mouse.move(x, y);
        await page.mouse.wheel(0, (random() - 0.5) * 800); ++actions.wheel;
      } else if (r < 0.9) {
        await page.keyboard.press(keys[Math.floor(random() * keys.length)]); ++actions.key;
      } else {
        await page.keyboard.type(typed[Math.floor(random() * typed.length)]); ++actions.type;
      }
      await nextFrames(page, 1);
    }
    const s = await healthy(`monkey in ${id} (${JSON.stringify(actions)})`, page, errors);
    t.check(`monkey in ${id}: the weights stay finite`, s.weights.finite && s.mnist.weights.finite,
            `toy ${s.weights.finite}, mnist ${s.mnist.weights.finite}; now in ${s.lesson_id || s.mode}`);
    await page.screenshot({ path: path.join(out, `monkey-${id}.png`) });
    await context.close();
  }
} catch (e) {
  t.check('the monkey test ran to the end', false, e.stack);
} finally {
  await browser.close();
  server.close();
}
process.exit(t.finish());
