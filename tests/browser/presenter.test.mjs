// presenter.test.mjs — the classroom's links and presenter mode:
// - the whole scene in the link: every setting of the training panel, the view options and the
//   step-through phase; the page's own link (the state hook's `link`, as View ▸ Put this scene in
//   the address bar writes it) gives the same pairs back; a link with every value out of range is
//   refused key by key and the rest applied;
// - presenter mode (key F, or ?presenter=1): the figure, the lesson's title and the step controls
//   only, at projector scale, the lesson's text as a large caption (?caption=1); the user's scale
//   comes back on leaving; the step-through lesson still steps with → in it.
//   node presenter.test.mjs --root build/web/site --out build/web/screenshots
import fs from 'node:fs';
import path from 'node:path';
import { click, harness, launch, nextFrames, openPage, parseArgs, startServer } from './browser.mjs';

const args = parseArgs(process.argv.slice(2));
const root = path.resolve(args.root || 'build/web/site');
const out = path.resolve(args.out || 'build/web/screenshots');
fs.mkdirSync(out, { recursive: true });
const t = harness('browser.presenter');
const pairs = (query) => new Map(query.replace(/^\?/, '').split('&').filter(Boolean).map((p) => p.split('=')));
const samePairs = (a, b) => a.size === b.size && [...a].every(([k, v]) => b.get(k) === v);
const { server, url } = await startServer(root, 0);
const browser = await launch();
try {
  // ---- The whole scene in the link ---------------------------------------------------------------
  for (const query of [
    'lesson=spiral&seed=5&variant=l1&ckind=gaussian&corruption=0.1&l1=0.002&rho=0.2&cae=0.3&cae_sigma=0.02&beta=2&lr=0.003&opt=momentum' +
      '&batch=16&loss=binary_cross_entropy&sigma=0.3&arch=16relu-8tanh-2linear&k=2&out=linear&tied=1&field=1&jacobian=1&lang=ko',
    'lesson=mnist-2d-code&seed=3&variant=k-sparse&arch=256relu-16linear&k=5&opt=sgd&lr=0.05&batch=128&scale=1.25',
    'lesson=backprop-2-2-2&seed=0&phase=4',
  ]) {
    const { context, page, errors, state } = await openPage(browser, url, '?' + query);
    if (query.includes('mnist')) await page.waitForFunction(() => window.aelab.state().mnist.status === 2, null, { timeout: 90000 });
    const s = await state();
    t.check(`the page's own link gives back ${query.slice(0, 40)}…`, s.error === '' && samePairs(pairs(s.link), pairs(query)),
            `link ${s.link}; error ${s.error}`);
    if (query.includes('phase=4')) t.check('…at the step-through phase it names', s.stepper.phase === 4, `phase ${s.stepper.phase}`);
    if (query.includes('k-sparse')) t.check('…and the trainer takes the settings', s.training.trainer_sparsity === 'top_k' &&
                                             Math.abs(s.training.learning_rate - 0.05) < 1e-6, JSON.stringify(s.training));
    t.check(`no console errors (${query.slice(0, 20)}…)`, errors.length === 0, errors.slice(0, 3).join(' | '));
    await context.close();
  }
  {
    // View ▸ Copy link to this scene: the page's address with the link, on the clipboard.
    const { context, page, errors, state } = await openPage(browser, url, '?lesson=spiral&lr=0.02');
    await context.grantPermissions(['clipboard-read', 'clipboard-write']);
    await click(page, { x: 120, y: 0, w: 52, h: 22 });                // the View menu (1280×800, scale 1)
    await click(page, { x: 128, y: 181, w: 180, h: 20 });             // its "Copy link to this scene"
    const copied = await page.evaluate(() => navigator.clipboard.readText());
    const s = await state();
    t.check('View ▸ Copy link puts the address with the scene on the clipboard', copied === url + '?' + s.link &&
            /lr=0\.02/.test(copied) && /Link copied/.test(s.notice), `${copied} | ${s.notice}`);
    t.check('no console errors (copy link)', errors.length === 0, errors.slice(0, 3).join(' | '));
    await context.close();
  }
  {
    const bad = 'lesson=spiral&ckind=fog&l1=2&kl=-1&rho=0.9&k=0&cae=11&cae_sigma=5&beta=20&lr=3&opt=lbfgs&batch=513&loss=hinge&sigma=0' +
                '&arch=64relu-5000linear&out=swish&tied=2&field=yes&phase=-1&seed=7&variant=contractive';
    const { context, page, state } = await openPage(browser, url, '?' + bad);
    const s = await state();
    const refused = ['ckind', 'l1', 'kl', 'rho', 'k', 'cae', 'cae_sigma', 'beta', 'lr', 'opt', 'batch', 'loss', 'sigma', 'arch', 'out', 'tied',
                     'field', 'phase'].filter((key) => !new RegExp(`(^|[ ;])${key}=[^ ]* ignored`).test(s.error.replace(/^Link: /, ' ')));
    t.check('a link with every value out of range: each refused by its key', refused.length === 0, `not named: ${refused.join(', ')}; ${s.error}`);
    t.check('…and the rest applied (seed, variant)', /seed=7/.test(s.link) && /variant=contractive/.test(s.link) && s.lesson_id === 'spiral', s.link);
    await context.close();
  }

  // ---- Presenter mode ------------------------------------------------------------------------------
  {
    const { context, page, errors, state } = await openPage(browser, url, '?lesson=mnist-2d-code&presenter=1&caption=1&lang=ko');
    await page.waitForFunction(() => window.aelab.state().mnist.status === 2, null, { timeout: 90000 });
    await nextFrames(page, 4);
    let s = await state();
    t.check('?presenter=1&caption=1 opens the lesson in presenter mode at projector scale, with its caption',
            s.presenter && s.presenter_caption && s.ui_scale === 1.5 && s.error === '', `presenter ${s.presenter}, caption ${s.presenter_caption}, scale ${s.ui_scale} ${s.error}`);
    await page.screenshot({ path: path.join(out, 'presenter-mnist-ko.png') });
    await page.keyboard.press('f');
    await nextFrames(page, 3);
    s = await state();
    t.check('F leaves presenter mode; the user\'s scale comes back', !s.presenter && s.ui_scale === 1, `presenter ${s.presenter}, scale ${s.ui_scale}`);
    await page.keyboard.press('f');
    await nextFrames(page, 3);
    s = await state();
    t.check('F enters it again', s.presenter && s.ui_scale === 1.5, `presenter ${s.presenter}, scale ${s.ui_scale}`);
    t.check('no console errors (MNIST)', errors.length === 0, errors.slice(0, 3).join(' | '));
    await context.close();
  }
  {
    const { context, page, errors, state } = await openPage(browser, url, '?lesson=backprop-2-2-2&presenter=1', { viewport: { width: 1024, height: 768 } });
    let s = await state();
    const phase = s.stepper.phase;
    await page.keyboard.press('ArrowRight');
    await nextFrames(page, 3);
    s = await state();
    t.check('→ steps through the phases in presenter mode', s.presenter && s.stepper.phase === phase + 1, `phase ${phase} → ${s.stepper.phase}`);
    await page.screenshot({ path: path.join(out, 'presenter-backprop-1024.png') });
    t.check('no console errors (step-through)', errors.length === 0, errors.slice(0, 3).join(' | '));
    await context.close();
  }
} catch (e) {
  t.check('the test ran to the end', false, String(e && e.stack || e));
} finally {
  await browser.close();
  server.close();
}
process.exit(t.finish());
