// lecture.test.mjs — the lessons of the lecture's chapters that had no figure before, in a real
// browser, in English and Korean: each opens, its control is driven as a student would (clicks on
// the widgets the state hook locates) and the number its text names moves the way the text says.
//   node lecture.test.mjs --root build/web/site --out build/web/screenshots
// - the map of the lecture: a keyword lights its part and offers lessons; one opens;
// - gradient descent: predicted ΔL within 5 % of the actual at small η; a large η diverges and the
//   refused step keeps the last good weights; the minibatch spread shrinks as M grows, 0 at M = N;
// - the likelihood: the Gaussian NLL is the formula of the squared error, never below its best s,
//   and falls while training (trained in English only: the numbers do not depend on the language);
// - why manifolds: nearest/farthest rises with d, digits are not uniform, nearest neighbours agree
//   far more often in pixels than in any 2-D view, and training raises it in the 2-D code (trained
//   in English only);
// - stacked denoising pretraining: the sweep over ν = 0, 10, 20, 50 % gives the figure the text
//   describes (sigmoid + SGD: pretraining helps, denoising more; ReLU + Adam: it does not), and the
//   unrolled deep autoencoder's numbers are the text's.
import fs from 'node:fs';
import path from 'node:path';
import { click, harness, launch, openPage, parseArgs, sleep, startServer, trainUntil } from './browser.mjs';

const args = parseArgs(process.argv.slice(2));
const root = path.resolve(args.root || 'build/web/site');
const out = path.resolve(args.out || 'build/web/screenshots');
fs.mkdirSync(out, { recursive: true });
const t = harness('browser.lecture');
const { server, url } = await startServer(root, 0);
const browser = await launch();
const open = (query) => openPage(browser, url, query);
const noErrors = (tag, errors) => t.check(`${tag}: no console errors`, errors.length === 0, errors.slice(0, 3).join(' | '));
const waitForDigits = (page) =>
  page.waitForFunction(() => window.aelab.state().mnist.status === 2, null, { timeout: 60000 });

try {
  for (const lang of ['en', 'ko']) {
    // ---- The map of the lecture --------------------------------------------------------------
    {
      const tag = `lecture-map (${lang})`;
      const { context, page, errors, state } = await open(`?lesson=lecture-map&lang=${lang}`);
      let s = await state();
      t.check(`${tag} opens first in the menu with four keywords`, s.lesson === 0 && s.lesson_id === 'lecture-map' &&
              s.lecture_map.keywords.length === 4 && s.lecture_map.keyword === -1, JSON.stringify(s.lecture_map).slice(0, 200));
      await click(page, s.buttons.start);
      await sleep(1500);
      s = await state();
      await click(page, s.lecture_map.keywords[3]);  // ML density estimation
      await sleep(300);
      s = await state();
      const ids = s.lecture_map.offered.map((o) => o.id);
      t.check(`${tag}: the fourth keyword lights the loss and offers the likelihood and gradient-descent lessons`,
              s.lecture_map.keyword === 3 && ids.includes('likelihood') && ids.includes('gradient-descent') && s.steps > 0,
              `${ids.join(', ')}; ${s.steps} steps`);
      await page.screenshot({ path: path.join(out, `lecture-map-${lang}.png`) });
      await click(page, s.lecture_map.keywords[1]);  // manifold learning
      await sleep(300);
      s = await state();
      const offered = s.lecture_map.offered.find((o) => o.id === 'why-manifolds');
      t.check(`${tag}: the second keyword offers the manifold lesson`, s.lecture_map.keyword === 1 && offered, JSON.stringify(s.lecture_map.offered));
      if (offered) {
        await click(page, offered.button);
        await sleep(500);
        s = await state();
        t.check(`${tag}: a click on an offered lesson opens it`, s.lesson_id === 'why-manifolds' && s.mode === 'mnist', s.lesson_id);
      }
      noErrors(tag, errors);
      await context.close();
    }

    // ---- Gradient descent ----------------------------------------------------------------------
    {
      const tag = `gradient-descent (${lang})`;
      const { context, page, errors, state } = await open(`?lesson=gradient-descent&lang=${lang}`);
      let s = await state();
      const d0 = s.descent;
      t.check(`${tag} opens the descent scene at its start point`, s.mode === 'gradient_descent' && d0.steps === 0 &&
              Math.abs(d0.a + 2.5) < 1e-6 && Math.abs(d0.b - 2.5) < 1e-6 && d0.points === 500 && d0.batch === 500 && d0.error === '',
              JSON.stringify(d0).slice(0, 300));
      // The lesson's η = 0.01: three full-batch steps, each predicted within 5 %.
      const ratios = [];
      for (let k = 0; k < 3; ++k) {
        await click(page, s.descent.step_button);
        await sleep(150);
        s = await state();
        ratios.push(s.descent.actual / s.descent.predicted);
      }
      t.check(`${tag}: at η = 0.01 the actual ΔL is within 5 % of −η‖∇L‖² on each step`,
              s.descent.steps === 3 && ratios.every((r) => Math.abs(r - 1) < 0.05) && s.descent.loss < d0.loss,
              `ratios ${ratios.map((r) => r.toFixed(4)).join(', ')}; L ${d0.loss.toFixed(4)} → ${s.descent.loss.toFixed(4)}`);
      // The η slider at its left end (1e-4): closer still.
      await click(page, s.descent.eta_slider, 0.0);
      await sleep(150);
      s = await state();
      await click(page, s.descent.step_button);
      await sleep(150);
      s = await state();
      const small = s.descent.actual / s.descent.predicted;
      t.check(`${tag}: at the smallest η the prediction is within 1 %`, s.descent.eta < 2e-4 && Math.abs(small - 1) < 0.01,
              `η ${s.descent.eta}, actual/predicted ${small.toFixed(5)}`);
      // The minibatch spread: M = 1 at the slider's left end, N at its right end.
      const spread = {};
      for (const fx of [0.0, 0.5, 1.0]) {
        await click(page, s.descent.batch_slider, fx);
        await sleep(300);
        s = await state();
        spread[s.descent.batch] = s.descent.spread;
      }
      const Ms = Object.keys(spread).map(Number).sort((a, b) => a - b);
      t.check(`${tag}: the spread of minibatch gradients shrinks as M grows and is 0 at M = N`,
              Ms.length === 3 && Ms[0] === 1 && Ms[2] === 500 && spread[1] > spread[Ms[1]] && spread[Ms[1]] > 0 && spread[500] === 0,
              Ms.map((m) => `M ${m}: ${spread[m].toFixed(3)}`).join(', '));
      // A few minibatch steps at a moderate η for the picture. (Dear ImGui 1.86 sees one click per
      // frame: each click waits for the next frames.)
      const act = async (r, fx = 0.5) => { await click(page, r, fx); await sleep(200); };
      await act(s.descent.batch_slider, 0.35);
      await act(s.descent.eta_slider, 0.8);
      for (let k = 0; k < 6; ++k) await act(s.descent.step_button);
      s = await state();
      t.check(`${tag}: minibatch steps at a larger η move the point`, s.descent.steps === 10 && s.descent.batch < 500 && s.descent.eta > 0.05,
              `${s.descent.steps} steps, M ${s.descent.batch}, η ${s.descent.eta.toFixed(3)}`);
      await page.screenshot({ path: path.join(out, `gradient-descent-${lang}.png`) });
      // Back to the start, full batch, η at its right end (1): the path runs away across the valley;
      // the step that would overflow is refused.
      await act(s.descent.reset_button);
      await act(s.descent.batch_slider, 1.0);
      await act(s.descent.eta_slider, 1.0);
      s = await state();
      await act(s.descent.run_button);
      const t0 = Date.now();
      while (Date.now() - t0 < 10000) {
        await sleep(250);
        s = await state();
        if (s.descent.stopped !== '') break;
      }
      const d = s.descent;
      t.check(`${tag}: at η = 1 from the start the loss overflows and that step is refused with a message`,
              d.eta === 1 && d.batch === 500 && d.stopped !== '' && !d.running && d.stopped.includes('η = 1') && d.steps < 10,
              `${d.steps} steps, "${d.stopped}"`);
      t.check(`${tag}: …the weights stay the last good ones (finite, the path's last point)`,
              Number.isFinite(d.a) && Number.isFinite(d.b) && Number.isFinite(d.loss) && d.loss > 1e6 && d.path === d.steps + 1,
              `a ${d.a}, b ${d.b}, L ${d.loss}, path ${d.path}`);
      await page.screenshot({ path: path.join(out, `gradient-descent-diverged-${lang}.png`) });
      noErrors(tag, errors);
      await context.close();
    }
  }

  // ---- The loss as a negative log-likelihood ---------------------------------------------------
  for (const lang of ['en', 'ko']) {
    const tag = `likelihood (${lang})`;
    const { context, page, errors, state } = await open(`?lesson=likelihood&lang=${lang}`);
    await waitForDigits(page);
    await sleep(1800);  // the numbers refresh with the pictures
    let s = await state();
    const before = s.mnist.likelihood;
    const s2 = 0.1 * 0.1, formula = (v) => v.squared_error / (2 * s2) + 784 * 0.5 * Math.log(2 * Math.PI * s2);
    t.check(`${tag}: −log N(x; y, s²I) is Σ(x − y)²/2s² + 784·½ log 2πs², and never below its value at the best s`,
            before.digits === 500 && Math.abs(before.gaussian_nll - formula(before)) < 1e-6 * Math.abs(formula(before)) + 1e-3 &&
            before.gaussian_nll >= before.best_nll && before.bernoulli_nll > 0,
            `NLL ${before.gaussian_nll.toFixed(1)}, best s ${before.best_sigma.toFixed(3)} → ${before.best_nll.toFixed(1)}, Bernoulli ${before.bernoulli_nll.toFixed(1)}`);
    // 150 steps take the NLL from ≈ 8,900 to a few hundred nats. Once, in English: the engine's
    // numbers are the same in both languages; the Korean run checks its texts, glyphs and figures.
    if (lang === 'en') {
      ({ s } = await trainUntil(page, state, (s) => s.mnist.steps >= 150, 30));
      await sleep(1800);
      s = await state();
      const after = s.mnist.likelihood;
      t.check(`${tag}: training with the Gaussian loss lowers the test NLL (nats per digit)`,
              s.mnist.steps > 100 && after.gaussian_nll < before.gaussian_nll - 100 && after.samples_of >= 0,
              `${s.mnist.steps} steps: ${before.gaussian_nll.toFixed(1)} → ${after.gaussian_nll.toFixed(1)} nats; best s ${after.best_sigma.toFixed(3)}; ` +
              `Bernoulli on binarized digits ${before.bernoulli_nll.toFixed(1)} → ${after.bernoulli_nll.toFixed(1)}`);
    }
    await page.screenshot({ path: path.join(out, `likelihood-${lang}.png`) });
    noErrors(tag, errors);
    await context.close();
  }

  // ---- Why manifolds ---------------------------------------------------------------------------
  for (const lang of ['en', 'ko']) {
    const tag = `why-manifolds (${lang})`;
    const { context, page, errors, state } = await open(`?lesson=why-manifolds&lang=${lang}`);
    await waitForDigits(page);
    await sleep(1800);
    let s = await state();
    const m = s.mnist.manifolds;
    const r = m.uniform_ratio;
    t.check(`${tag}: nearest/farthest of uniform points rises from d = 1 to d = 784`,
            r.length === 11 && r[0] < 0.05 && r[r.length - 1] > 0.75 && r.every((v, i) => i === 0 || v > r[i - 1] - 0.02),
            r.map((v, i) => `${m.dimensions[i]}: ${v.toFixed(3)}`).join(', '));
    t.check(`${tag}: MNIST digits, also 784 numbers, are far from uniform (a smaller ratio)`,
            m.mnist_ratio > 0 && m.mnist_ratio < r[r.length - 1] - 0.2, `digits ${m.mnist_ratio.toFixed(3)} vs uniform ${r[r.length - 1].toFixed(3)}`);
    // The neighbours before and after 150 steps: once, in English (as the likelihood's training).
    if (lang === 'en') {
      await click(page, m.knn_button);  // before training: a random 2-D projection
      await page.waitForFunction(() => window.aelab.state().mnist.manifolds.knn_pixels >= 0, null, { timeout: 30000 });
      const untrained = (await state()).mnist.manifolds;
      // 150 steps (≈ 10 s here) take the code's agreement from ≈ 15 % to ≈ 31 %.
      ({ s } = await trainUntil(page, state, (s) => s.mnist.steps >= 150, 30));
      await click(page, s.buttons.start);  // pause
      await sleep(300);
      s = await state();
      await click(page, s.mnist.manifolds.knn_button);
      await page.waitForFunction((steps) => window.aelab.state().mnist.manifolds.knn_steps > steps, untrained.knn_steps, { timeout: 30000 });
      s = await state();
      const k = s.mnist.manifolds;
      t.check(`${tag}: nearest neighbours share the label in pixels (784-D) more often than in any 2-D view`,
              k.knn_pixels > 0.8 && k.knn_pixels > k.knn_code && k.knn_pixels > k.knn_pca,
              `pixels ${(100 * k.knn_pixels).toFixed(1)} %, PCA k=2 ${(100 * k.knn_pca).toFixed(1)} %, code ${(100 * k.knn_code).toFixed(1)} % at step ${k.knn_steps}`);
      t.check(`${tag}: training raises the agreement in the 2-D code`, k.knn_code > untrained.knn_code + 0.03,
              `code ${(100 * untrained.knn_code).toFixed(1)} % at step ${untrained.knn_steps} → ${(100 * k.knn_code).toFixed(1)} % at step ${k.knn_steps}`);
    }
    await page.screenshot({ path: path.join(out, `why-manifolds-${lang}.png`) });
    noErrors(tag, errors);
    await context.close();
  }
  // ---- Depth: vanishing gradients with sigmoid layers, none with ReLU; codes for a classifier ------
  {
    const deltaRatio = (r) => r.delta_norms[0] / r.delta_norms[r.delta_norms.length - 1];
    const ratios = {};
    for (const [lang, activation] of [['en', 'sigmoid'], ['ko', 'relu']]) {
      const tag = `depth (${lang}, ${activation})`;
      const { context, page, errors, state } = await open(`?lesson=depth&lang=${lang}`);
      await waitForDigits(page);
      if (activation !== 'sigmoid') {
        // The same network with ReLU in the six hidden layers, as the panel's menus would set it.
        await page.evaluate(async (activation) => {
          const lesson = window.aelab.sceneLesson();
          for (const layer of lesson.network.hidden) layer.activation = activation;
          lesson.id = 'depth-' + activation;
          window.aelab.openLessonText('depth-' + activation + '.json', JSON.stringify(lesson));
        }, activation);
        await sleep(500);
      }
      let s;
      ({ s } = await trainUntil(page, state, (s) => s.mnist.representation.delta_steps >= 60, 20));
      const r = s.mnist.representation;
      ratios[activation] = deltaRatio(r);
      t.check(`${tag}: the bars show ‖δˡ‖ for all 8 layers while training`, r.delta_norms.length === 8 && r.delta_steps >= 60 &&
              r.delta_norms.every((d) => d > 0), `${r.delta_steps} steps: ${r.delta_norms.map((d) => d.toExponential(1)).join(' ')}`);
      await click(page, s.buttons.start);  // pause
      await sleep(300);
      s = await state();
      await click(page, s.mnist.representation.knn_button);
      await page.waitForFunction(() => window.aelab.state().mnist.representation.knn_pixels >= 0, null, { timeout: 30000 });
      s = await state();
      const k = s.mnist.representation;
      t.check(`${tag}: 1-NN from 300 labels in pixels, PCA (k = 16) and the code`,
              Math.abs(k.knn_pixels - 0.73) < 0.05 && k.knn_pca > 0.6 && k.knn_code > 0.1 && k.knn_k === 16,
              `pixels ${(100 * k.knn_pixels).toFixed(1)} %, PCA ${(100 * k.knn_pca).toFixed(1)} %, code ${(100 * k.knn_code).toFixed(1)} % at step ${k.knn_steps}`);
      await page.screenshot({ path: path.join(out, `depth-${lang}-${activation}.png`) });
      noErrors(tag, errors);
      await context.close();
    }
    t.check('depth: δ vanishes toward the input with sigmoid layers (ratio < 0.01), not with ReLU (ratio > 0.3)',
            ratios.sigmoid < 0.01 && ratios.relu > 0.3, `layer 1 / output: sigmoid ${ratios.sigmoid.toExponential(2)}, ReLU ${ratios.relu.toFixed(2)}`);
  }

  // ---- Stacked denoising pretraining: the sweep over ν, the unrolled stage, both conditions ----
  // English: the lesson as it opens (sigmoid units, plain SGD on 100 labels). Korean: ReLU units and
  // Adam (η = 0.003) for the fine-tuning, as the text asks next (set as the panel's menus would).
  for (const [lang, condition] of [['en', 'sigmoid-sgd'], ['ko', 'relu-adam']]) {
    const tag = `stacked (${lang}, ${condition})`;
    const { context, page, errors, state } = await open(`?lesson=stacked&lang=${lang}`);
    await page.waitForFunction(() => window.aelab.state().mnist.status === 2 && window.aelab.state().stacked.stage === 1, null,
                               { timeout: 60000 });
    if (condition === 'relu-adam') {
      await page.evaluate(() => {
        const lesson = window.aelab.sceneLesson();
        for (const layer of lesson.stacked.layers) layer.activation = 'relu';
        lesson.stacked.finetune_optimizer = 'adam';
        lesson.stacked.finetune_learning_rate = 0.003;
        lesson.id = 'stacked-relu-adam';
        window.aelab.openLessonText('stacked-relu-adam.json', JSON.stringify(lesson));
      });
      await sleep(500);
    }
    let s = await state();
    await click(page, s.stacked.sweep_button);
    // Poll until the four runs are in; keep the unrolled stage's numbers of the ν = 20 % run.
    let unrolledAt20 = null;
    const t0 = Date.now();
    while (Date.now() - t0 < 240000) {
      await sleep(1000);
      s = await state();
      const st = s.stacked;
      if (Math.abs(st.level - 0.2) < 1e-6 && st.unrolled_loss_pretrained[1] !== null) unrolledAt20 = st;
      if (st.runs.length === 4 && st.sweep_left === 0 && st.stage === 4) break;
    }
    const st = s.stacked;
    const runs = st.runs;
    const err = (level) => (runs.find((r) => Math.abs(r.level - level) < 1e-6) || { error_pretrained: NaN }).error_pretrained;
    const shown = runs.map((r) => `ν ${r.level}: ${r.error_pretrained.toFixed(2)} / ${r.error_random.toFixed(2)} %`).join('; ');
    t.check(`${tag}: Sweep runs ν = 0, 10, 20, 50 % one after the other, each to the end (${((Date.now() - t0) / 1000).toFixed(0)} s)`,
            runs.length === 4 && [0, 0.1, 0.2, 0.5].every((v, i) => Math.abs(runs[i].level - v) < 1e-6) && st.error === '',
            `${shown} ${st.error}`);
    if (condition === 'sigmoid-sgd') {
      // The text: random initialisation 49–51 %; pretrained 36 % at ν = 0 and 33–34 % at ν = 20 %.
      t.check(`${tag}: pretraining helps at every ν and denoising helps more, as the text says`,
              runs.every((r) => r.error_pretrained < r.error_random - 10) && runs.every((r) => r.error_random > 48.5 && r.error_random < 51.5) &&
              Math.abs(err(0) - 36) < 0.5 && err(0.2) > 33 && err(0.2) < 34.5 && err(0.2) < err(0), shown);
      const u = unrolledAt20;
      t.check(`${tag}: at ν = 20 % the unrolled autoencoder goes 0.137 → 0.114 per pixel; from random weights the same epoch reaches 0.24`,
              u && Math.abs(u.unrolled_loss_pretrained[0] - 0.137) < 0.002 && Math.abs(u.unrolled_loss_pretrained[1] - 0.114) < 0.002 &&
              Math.abs(u.unrolled_loss_random[1] - 0.24) < 0.01 && u.unrolled_loss_random[0] > 0.6,
              u ? `pretrained ${u.unrolled_loss_pretrained.map((v) => v.toFixed(4)).join(' → ')}, random ${u.unrolled_loss_random.map((v) => v.toFixed(4)).join(' → ')}` : 'no ν = 20 % run seen');
    } else {
      // The text: random initialisation 36–37 %, pretrained 37–42 % at every ν: no help.
      t.check(`${tag}: with ReLU units and Adam pretraining does not help at any ν, as the text says`,
              runs.every((r) => r.error_pretrained >= r.error_random) && runs.every((r) => r.error_random > 35.5 && r.error_random < 37.5) &&
              runs.every((r) => r.error_pretrained > 36.5 && r.error_pretrained < 42.5), shown);
    }
    await page.screenshot({ path: path.join(out, `stacked-${lang}-${condition}.png`) });
    noErrors(tag, errors);
    await context.close();
  }
} catch (e) {
  t.check('no exception', false, e.stack);
} finally {
  await browser.close();
  server.close();
}
process.exit(t.finish());
