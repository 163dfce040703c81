// lessons.test.mjs — every lesson in a real browser (headless Debian Chromium + playwright-core).
//   node lessons.test.mjs --root build/web/site --out build/web/screenshots
// - each lesson opens from its link (?lesson=N), shows no console error, and is screenshotted;
// - lesson 1: → through all ten phases of one backprop step; each phase's number (read through
//   window.aelab.state()) equals the hand-derived value (tests/unit/test_worked_example.cpp) to 1e-9;
// - lesson 4 (MNIST, 2-D code): a click on Start trains in the browser and the test loss falls;
// - lesson 7 (denoising): the corruption slider is dragged with the mouse; the trainer takes the new ν;
// - lessons 9 (sparse) and 11 (VAE) train in the page; 12 and 13 step through bigger networks;
// - lesson 14 (an old link) opens the stacked lesson and starts pretraining; Space pauses and
//   resumes, R resets (the thread's copy undoes neither);
// - a bad link (?lesson=99&scale=9&x=1) is refused with a message, and the page still works.
import fs from 'node:fs';
import path from 'node:path';
import { click, harness, launch, parseArgs, sleep, startServer, trainUntil, watchConsole } from './browser.mjs';

const args = parseArgs(process.argv.slice(2));
const root = path.resolve(args.root || 'build/web/site');
const out = path.resolve(args.out || 'build/web/screenshots');
fs.mkdirSync(out, { recursive: true });
const t = harness('browser.lessons');

const { server, url } = await startServer(root, 0);
const browser = await launch();

async function open(query) {
  const context = await browser.newContext({ viewport: { width: 1280, height: 800 } });
  const page = await context.newPage();
  const errors = [];
  watchConsole(page, errors);
  await page.goto(url + query);
  await page.waitForFunction(() => window.aelab && (window.aelab.ready || window.aelab.error), null, { timeout: 90000 });
  await sleep(200);
  return { context, page, errors, state: () => page.evaluate(() => window.aelab.state()) };
}

// The thread trains a copy of the scene and gives the scene its progress once a frame
// (sync_scene_copy): Space pauses and the model stays as shown, Space resumes from there, and R
// while training resets to step 0 and the trained model does not come back. `scene(s)` is the
// scene's part of the state, `steps` its step count's key; `same(a, b)`: a and b show one model.
async function checkPauseResumeReset(page, state, tag, scene, steps, same) {
  await page.keyboard.press('Space');
  await sleep(400);
  const p1 = scene(await state());
  await sleep(400);
  const p2 = scene(await state());
  t.check(`${tag}: Space pauses, and the model stays as shown`, !p1.running && p2[steps] === p1[steps] && same(p1, p2),
          `steps ${p1[steps]} → ${p2[steps]}`);
  await page.keyboard.press('Space');
  await sleep(1000);
  const p3 = scene(await state());
  t.check(`${tag}: Space resumes from there`, p3.running && p3[steps] > p2[steps], `steps ${p2[steps]} → ${p3[steps]}`);
  await page.keyboard.press('KeyR');
  await sleep(400);
  const p4 = scene(await state());
  await sleep(400);
  const p5 = scene(await state());
  t.check(`${tag}: R while training resets to step 0, and the trained model does not come back`,
          !p4.running && p4[steps] === 0 && p5[steps] === 0 && same(p4, p5), `steps ${p3[steps]} → ${p4[steps]} → ${p5[steps]}`);
}

try {
  // ---- Lesson 1: every phase against the hand derivation -----------------------------------
  {
    const { context, page, errors, state } = await open('?lesson=1');
    let s = await state();
    // ?lesson=1 is a number from an older link: it still opens the backprop lesson and says where it went.
    t.check('an old link ?lesson=1 opens the backprop lesson', s.lesson_id === 'backprop-2-2-2' && s.mode === 'backprop_steps',
            `lesson ${s.lesson} ${s.lesson_id}, ${s.mode}`);
    t.check('…and says where the lesson went', s.lesson === 1 && s.notice.includes('lesson=1') && s.notice.includes('lesson=backprop-2-2-2'),
            s.notice);
    t.check('lesson 1 has ten phases for a 2-layer network', s.stepper.phases === 10, `${s.stepper.phases}`);
    const expected = [  // the default selection: unit 1 / weight W₁₁ of the active layer
      ['Forward: weighted sum', 0.28],
      ['Forward: activation', 0.569546223939229],
      ['Forward: weighted sum', 0.292689546404546],
      ['Forward: activation', 0.5726544505503022],
      ['Loss', 0.09854246017634992],
      ['Output delta', -0.006692039253203828],
      ['Hidden delta', 0.006331580012144803],
      ['Gradients', -0.0038114256871153384],
      ['Gradients', 0.003798948007286882],
      ['Update', 0.7019057128435576],
    ];
    await page.locator('canvas').focus();
    for (let i = 0; i < expected.length; ++i) {
      await page.keyboard.press('ArrowRight');
      await sleep(120);
      s = await state();
      const [label, value] = expected[i];
      t.check(`phase ${i + 1}: ${label} = ${value}`,
              s.stepper.phase === i && s.stepper.label.startsWith(label) && Math.abs(s.stepper.value - value) <= 1e-9,
              `page: phase ${s.stepper.phase}, "${s.stepper.label}", ${s.stepper.value}`);
      if (i === 7) await page.screenshot({ path: path.join(out, 'lesson-1.png') });
    }
    await page.keyboard.press('ArrowRight');  // past the update: step 2 begins
    await sleep(150);
    s = await state();
    t.check('after the update the next step starts from the new weights', s.stepper.steps_done === 1 && s.stepper.phase === -1,
            `steps_done ${s.stepper.steps_done}`);
    await page.keyboard.press('ArrowRight');
    await sleep(120);
    await page.keyboard.press('ArrowLeft');
    await sleep(120);
    s = await state();
    t.check('← goes back a phase', s.stepper.phase === -1, `phase ${s.stepper.phase}`);
    t.check('lesson 1: no console errors', errors.length === 0, errors.slice(0, 3).join(' | '));
    await context.close();
  }

  // ---- The toy-manifold lessons: open, train briefly, screenshot --------------------------------
  const oldNumbers = { 2: 'spiral', 3: 'circle', 6: 'swiss-roll', 8: 'denoising-field' };
  for (const n of [2, 3, 6, 8]) {
    const { context, page, errors, state } = await open(`?lesson=${n}`);
    let s = await state();
    t.check(`lesson ${n} opens from its (old) link`, s.lesson_id === oldNumbers[n] && s.mode === 'toy_manifold', `lesson ${s.lesson} ${s.lesson_id}`);
    const b = s.buttons.start;
    await click(page, b);
    await sleep(2500);
    s = await state();
    t.check(`lesson ${n} trains after a click on Start`, s.running && s.steps > 0 && s.loss < s.loss_first,
            `${s.steps} steps, loss ${s.loss_first.toFixed(4)} → ${s.loss.toFixed(4)}`);
    await page.screenshot({ path: path.join(out, `lesson-${n}.png`) });
    t.check(`lesson ${n}: no console errors`, errors.length === 0, errors.slice(0, 3).join(' | '));
    await context.close();
  }

  // ---- Lesson 4: MNIST in the browser -----------------------------------------------------------
  {
    const { context, page, errors, state } = await open('?lesson=4&seed=3');
    await page.waitForFunction(() => window.aelab.state().mnist.status === 2 || window.aelab.state().mnist.status === 3, null,
                               { timeout: 60000 });
    let s = await state();
    t.check('lesson 4 downloads and parses the MNIST pack', s.mnist.status === 2 && s.mnist.shown === 2000,
            `status ${s.mnist.status}, ${s.mnist.shown} digits shown ${s.error}`);
    let seconds;
    ({ s, seconds } = await trainUntil(page, state, (s) => s.mnist.loss < 0.5 * s.mnist.loss_first && s.mnist.steps > 500, 45));
    t.check('MNIST trains in the page and its test loss falls below half', s.mnist.running && s.mnist.loss < 0.5 * s.mnist.loss_first,
            `${s.mnist.steps} steps in ${seconds.toFixed(0)} s, loss ${s.mnist.loss_first.toFixed(3)} → ${s.mnist.loss.toFixed(3)}, ${s.fps.toFixed(0)} frames/s`);
    await page.screenshot({ path: path.join(out, 'lesson-4.png') });
    await checkPauseResumeReset(page, state, 'lesson 4', (s) => s.mnist, 'steps', (a, b) => a.weights.checksum === b.weights.checksum);
    t.check('lesson 4: no console errors', errors.length === 0, errors.slice(0, 3).join(' | '));
    await context.close();
  }

  // ---- Lesson 5: a linear AE falls onto the PCA line --------------------------------------------
  {
    const { context, page, errors, state } = await open('?lesson=5');
    await page.waitForFunction(() => window.aelab.state().mnist.status === 2, null, { timeout: 60000 });
    await sleep(1700);  // the principal angles refresh with the pictures (every 1.5 s)
    let s = await state();
    t.check('lesson 5 computes the PCA baseline at the same code size', s.mnist.pca_loss > 0, `PCA loss ${s.mnist.pca_loss}`);
    const mean = (v) => v.reduce((a, b) => a + b, 0) / v.length;
    const cosBefore = s.mnist.principal_cosines;
    t.check('lesson 5 shows the 16 principal angles between the decoder and PCA', cosBefore.length === 16, `${cosBefore.length}`);
    ({ s } = await trainUntil(page, state, (s) => s.mnist.loss < 1.15 * s.mnist.pca_loss, 40));
    t.check('the linear AE approaches the PCA error (within 15 %) and never goes far below it',
            s.mnist.loss < 1.15 * s.mnist.pca_loss && s.mnist.loss > 0.97 * s.mnist.pca_loss,
            `AE ${s.mnist.loss.toFixed(3)} vs PCA ${s.mnist.pca_loss.toFixed(3)} after ${s.mnist.steps} steps`);
    await sleep(1700);
    s = await state();
    const cosAfter = s.mnist.principal_cosines;
    t.check('the cosines of the principal angles rise toward 1 while it trains',
            cosAfter.length === 16 && mean(cosAfter) > mean(cosBefore) + 0.1 && mean(cosAfter) > 0.8,
            `mean cos ${mean(cosBefore).toFixed(3)} → ${mean(cosAfter).toFixed(3)}, smallest ${cosBefore[15].toFixed(3)} → ${cosAfter[15].toFixed(3)}`);
    // Pause, then recover the principal directions from the decoder's weights.
    const b = s.buttons.start;
    await click(page, b);
    await sleep(300);
    s = await state();
    const r = s.mnist.recover_button;
    await click(page, r);
    await sleep(500);
    s = await state();
    const rec = s.mnist.recovered_cosines;
    t.check('"Recover" gives the leading principal directions from the decoder (|cos| with PCA\'s > 0.9 for the first four)',
            rec.length === 16 && rec.slice(0, 4).every((c) => c > 0.9),
            `|cos| ${rec.map((c) => c.toFixed(2)).join(' ')}`);
    await page.screenshot({ path: path.join(out, 'lesson-5.png') });
    t.check('lesson 5: no console errors', errors.length === 0, errors.slice(0, 3).join(' | '));
    await context.close();
  }

  // ---- Lesson 7: denoising; the corruption slider is dragged like a user would ----------------
  {
    const { context, page, errors, state } = await open('?lesson=7');
    await page.waitForFunction(() => window.aelab.state().mnist.status === 2, null, { timeout: 60000 });
    let s = await state();
    t.check('lesson 7 trains a denoising AE with 20 % masking (the lecture figure\'s levels)',
            s.training.variant_name === 'denoising' && s.training.trainer_corruption === 'masking' &&
            Math.abs(s.training.trainer_corruption_level - 0.2) < 1e-6,
            JSON.stringify(s.training));
    const r = s.training.corruption_slider;
    t.check('the corruption slider is on screen', r.w > 50 && r.y > 0 && r.y + r.h < 800, JSON.stringify(r));
    // Press on the slider at a fifth of its width, drag to 70 %, release: ImGui follows the mouse.
    await page.mouse.move(r.x + r.w * 0.2, r.y + r.h / 2);
    await page.mouse.down();
    for (let i = 1; i <= 5; ++i) {
      await page.mouse.move(r.x + r.w * (0.2 + 0.1 * i), r.y + r.h / 2);
      await sleep(60);
    }
    await page.mouse.up();
    await sleep(300);
    s = await state();
    t.check('dragging the slider sets ν near 0.7 and the trainer uses it at its next step',
            Math.abs(s.training.corruption_level - 0.7) < 0.05 &&
            s.training.trainer_corruption_level === s.training.corruption_level && s.training.trainer_corruption === 'masking',
            `panel ν ${s.training.corruption_level}, trainer ν ${s.training.trainer_corruption_level}`);
    ({ s } = await trainUntil(page, state, (s) => s.mnist.loss < 0.6 * s.mnist.loss_first && s.mnist.steps > 300, 30));
    t.check('the denoising AE trains at ν = 0.7 and its clean test loss falls',
            s.mnist.running && s.mnist.loss < 0.6 * s.mnist.loss_first,
            `${s.mnist.steps} steps, loss ${s.mnist.loss_first.toFixed(3)} → ${s.mnist.loss.toFixed(3)}`);
    await page.screenshot({ path: path.join(out, 'lesson-7.png') });
    t.check('lesson 7: no console errors', errors.length === 0, errors.slice(0, 3).join(' | '));
    await context.close();
  }

  // ---- Lessons 9 (sparse), 10 (contractive) and 11 (VAE): train for a while, the test loss falls ------------------
  for (const [n, what] of [[9, 'sparse: KL to a target ρ'], [10, 'contractive'], [11, 'variational (VAE)']]) {
    const { context, page, errors, state } = await open(`?lesson=${n}`);
    await page.waitForFunction(() => window.aelab.state().mnist.status === 2, null, { timeout: 60000 });
    let s = await state();
    t.check(`lesson ${n} sets up the ${what}`, s.training.variant_name === what && s.mnist.vae === (n === 11),
            `${s.training.variant_name}, vae ${s.mnist.vae}`);
    ({ s } = await trainUntil(page, state, (s) => s.mnist.loss < 0.7 * s.mnist.loss_first && s.mnist.steps > 300, 30));
    t.check(`lesson ${n} trains in the page (test loss falls)`, s.mnist.loss < 0.7 * s.mnist.loss_first,
            `${s.mnist.steps} steps, ${s.mnist.loss_first.toFixed(3)} → ${s.mnist.loss.toFixed(3)}`);
    if (n === 10)
      t.check('lesson 10 shows the encoder Jacobian norm', s.mnist.jacobian_norm > 0 && s.mnist.jacobian_norm < 100,
              `mean ‖∂h/∂x‖_F ${s.mnist.jacobian_norm}`);
    await page.screenshot({ path: path.join(out, `lesson-${n}.png`) });
    t.check(`lesson ${n}: no console errors`, errors.length === 0, errors.slice(0, 3).join(' | '));
    await context.close();
  }

  // ---- Lessons 12 and 13: bigger networks in the step-through view ------------------------------
  for (const [n, phases] of [[12, 18], [13, 10]]) {
    const { context, page, errors, state } = await open(`?lesson=${n}`);
    let s = await state();
    t.check(`lesson ${n} opens a ${phases}-phase step`, s.mode === 'backprop_steps' && s.stepper.phases === phases,
            `${s.mode}, ${s.stepper.phases} phases`);
    await page.locator('canvas').focus();
    for (let i = 0; i < 7; ++i) {
      await page.keyboard.press('ArrowRight');
      await sleep(80);
    }
    s = await state();
    t.check(`lesson ${n}: → advances the phases`, s.stepper.phase === 6 && Number.isFinite(s.stepper.value),
            `phase ${s.stepper.phase} "${s.stepper.label}" ${s.stepper.value}`);
    await page.screenshot({ path: path.join(out, `lesson-${n}.png`) });
    t.check(`lesson ${n}: no console errors`, errors.length === 0, errors.slice(0, 3).join(' | '));
    await context.close();
  }

  // ---- Lesson 14 (an old link's number): the stacked lesson starts pretraining ------------------
  // (its whole run, the sweep over ν and the unrolled stage are tested in lecture.test.mjs)
  {
    const { context, page, errors, state } = await open('?lesson=14');
    await page.waitForFunction(() => window.aelab.state().mnist.status === 2 && window.aelab.state().stacked.stage === 1, null,
                               { timeout: 60000 });
    let s;
    ({ s } = await trainUntil(page, state, (s) => s.stacked.pretrain_steps > 50, 30));
    t.check('lesson 14 (old link) opens the stacked lesson and Start pretrains its first layer',
            s.lesson_id === 'stacked' && s.stacked.stage === 1 && s.stacked.layer === 0 && s.stacked.pretrain_steps > 50,
            `${s.lesson_id}: stage ${s.stacked.stage}, layer ${s.stacked.layer + 1}, ${s.stacked.pretrain_steps} steps ${s.stacked.error}`);
    await page.screenshot({ path: path.join(out, 'lesson-14.png') });
    await checkPauseResumeReset(page, state, 'lesson 14', (s) => s.stacked, 'pretrain_steps', (a, b) => a.stage === 1 && b.stage === 1);
    t.check('lesson 14: no console errors', errors.length === 0, errors.slice(0, 3).join(' | '));
    await context.close();
  }

  // ---- Lesson 15: stochastic and analytic contraction agree as σ shrinks ------------------------
  {
    const { context, page, errors, state } = await open('?lesson=stochastic-contraction');
    await page.waitForFunction(() => window.aelab.state().mnist.status === 2, null, { timeout: 60000 });
    let s;
    ({ s } = await trainUntil(page, state, (s) => s.mnist.steps > 200, 20));
    const b = s.buttons.start;
    await click(page, b);  // pause
    await sleep(300);
    s = await state();
    const r = s.mnist.contraction_button;
    await click(page, r);
    await sleep(1500);
    s = await state();
    const rows = s.mnist.contraction;
    const ratio = (row) => row.stochastic / row.analytic;
    t.check('lesson 15 trains with the stochastic contractive penalty and measures both forms at five σ',
            s.lesson_id === 'stochastic-contraction' && s.training.trainer_contractive > 0 && rows.length === 5, JSON.stringify(rows).slice(0, 200));
    t.check('E‖h(x) − h(x + σε)‖²/σ² is within 10 % of ‖∂h/∂x‖²_F at the smallest σ',
            rows.length === 5 && Math.abs(ratio(rows[4]) - 1) < 0.1,
            rows.map((row) => `σ ${row.sigma}: ${ratio(row).toFixed(3)}`).join(', '));
    await page.screenshot({ path: path.join(out, 'lesson-15.png') });
    t.check('lesson 15: no console errors', errors.length === 0, errors.slice(0, 3).join(' | '));
    await context.close();
  }

  // ---- Lesson 16: an overcomplete code learns the identity; denoising brings the pull back -------
  {
    const fields = {};
    for (const [name, query] of [['plain', '?lesson=overcomplete'], ['denoising', '?lesson=overcomplete&variant=denoising&corruption=0.1']]) {
      const { context, page, errors, state } = await open(query);
      // 12,000 steps (8 s of an 8 ms slice per frame in headless Chromium reached 13,640–17,741).
      let { s } = await trainUntil(page, state, (s) => s.steps >= 12000, 30);
      s = await state();
      fields[name] = { field: s.field_off_data, steps: s.steps, loss: s.loss, code: s.code_size, corruption: s.training.trainer_corruption };
      if (name === 'denoising')
        t.check('variant=denoising on toy points starts with Gaussian noise (masking is for pixels)',
                s.training.trainer_corruption === 'gaussian' && s.training.trainer_corruption_level === 0.1, JSON.stringify(s.training));
      await page.screenshot({ path: path.join(out, name === 'plain' ? 'lesson-16.png' : 'lesson-16-denoising.png') });
      t.check(`lesson 16 (${name}): a 4-unit code on 2-D data trains and shows the field off the data`,
              s.lesson_id === 'overcomplete' && s.code_size === 4 && s.steps > 100 && s.field_off_data >= 0 && errors.length === 0,
              `${s.steps} steps, loss ${s.loss.toFixed(5)}, mean ‖r(p) − p‖ off the data ${s.field_off_data.toFixed(4)}`);
      await context.close();
    }
    t.check('off the data, the overcomplete plain AE\'s field is smaller than the denoising one\'s (the identity vs a pull)',
            fields.plain.field < fields.denoising.field, JSON.stringify(fields));
  }

  // ---- The toy contractive AE leaves the PCA line (it used to stay on it at every λ) -------------
  // Choosing contractive on points switches the tanh hidden layers to ReLU; the same scene with tanh
  // layers (set back through a lesson text) stays on the PCA line under the same penalty.
  {
    const loss = {};
    for (const hidden of ['relu', 'tanh']) {
      const { context, page, errors, state } = await open('?lesson=spiral&variant=contractive');
      if (hidden === 'tanh') {
        await page.evaluate(() => {
          const lesson = window.aelab.sceneLesson();
          for (const layer of lesson.network.hidden) layer.activation = 'tanh';
          lesson.id = 'spiral-contractive-tanh';
          window.aelab.openLessonText('spiral-contractive-tanh.json', JSON.stringify(lesson));
        });
        await sleep(500);
      }
      const lesson = await page.evaluate(() => window.aelab.sceneLesson());
      // 16,000 steps each (10 s of 8 ms slices in headless Chromium reached 16,015 with tanh layers).
      let { s } = await trainUntil(page, state, (s) => s.steps >= 16000, 40);
      s = await state();
      loss[hidden] = { loss: s.loss, steps: s.steps, contractive: s.training.trainer_contractive, layers: lesson.network.hidden.map((l) => l.activation).join(',') };
      if (hidden === 'relu')
        t.check('variant=contractive on toy points trains ReLU hidden layers at λ = 0.001',
                loss.relu.layers === 'relu' && Math.abs(loss.relu.contractive - 0.001) < 1e-9 && errors.length === 0, JSON.stringify(loss.relu));
      await page.screenshot({ path: path.join(out, `spiral-contractive-${hidden}.png`) });
      await context.close();
    }
    // ½ × the PCA-1 error of this spiral (600 points, seed 1) is 0.0126: tanh stays there.
    t.check('toy contractive: ReLU layers fit the spiral, tanh layers stay on the PCA line (loss ReLU < 0.75 × tanh)',
            loss.relu.steps > 1000 && loss.tanh.steps > 1000 && loss.relu.loss < 0.75 * loss.tanh.loss, JSON.stringify(loss));
  }

  // ---- A bad link -------------------------------------------------------------------------------
  {
    const { context, errors, state } = await open('?lesson=99&scale=9&x=1');
    const s = await state();
    t.check('a bad link is refused with a message and nothing is applied',
            s.lesson === -1 && s.ui_scale === 1 && s.error.includes('lesson=99 ignored') && s.error.includes('scale=9 ignored'),
            s.error);
    t.check('the page still renders after a bad link', s.frame > 1 && errors.length === 0, errors.slice(0, 3).join(' | '));
    await context.close();
  }

  // ---- Links carry the variant and the corruption level -----------------------------------------
  {
    const { context, page, errors, state } = await open('?lesson=7&corruption=0.5&seed=4');
    await page.waitForFunction(() => window.aelab.state().mnist.status === 2, null, { timeout: 60000 });
    let s = await state();
    t.check('?lesson=7&corruption=0.5 trains the denoising AE at ν = 0.5',
            s.training.corruption_level === 0.5 && s.training.trainer_corruption_level === 0.5 && s.training.trainer_corruption === 'masking',
            JSON.stringify(s.training));
    await context.close();
    const bad = await open('?lesson=2&variant=vae&corruption=7');
    s = await bad.state();
    t.check('a link with a VAE on toy data or ν = 7 is refused with messages, the rest applies',
            s.lesson_id === 'spiral' && s.error.includes('variant=vae ignored') && s.error.includes('corruption=7 ignored'), s.error);
    const toy = await open('?lesson=2&variant=l1&corruption=0.1');
    s = await toy.state();
    t.check('?lesson=2&variant=l1&corruption=0.1 sets up a sparse denoising toy AE',
            s.training.trainer_sparsity === 'l1' && s.training.trainer_corruption === 'gaussian' && s.training.trainer_corruption_level === 0.1,
            JSON.stringify(s.training));
    t.check('links: no console errors', errors.length === 0 && bad.errors.length === 0 && toy.errors.length === 0,
            [...errors, ...bad.errors, ...toy.errors].slice(0, 3).join(' | '));
    await bad.context.close();
    await toy.context.close();
  }
} catch (err) {
  t.check('lessons test ran to the end', false, err.stack || String(err));
} finally {
  await browser.close();
  server.close();
}
process.exit(t.finish());
