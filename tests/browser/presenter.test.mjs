// presenter.test.mjs — presenter mode (key F, or ?presenter=1): the figure, the lesson's title and
// the step controls only, at projector scale, the lesson's text as a large caption (?caption=1);
// the user's scale comes back on leaving; the step-through lesson still steps with → in it.
//   node presenter.test.mjs --root build/web/site --out build/web/screenshots
import fs from 'node:fs';
import path from 'node:path';
import { harness, launch, nextFrames, openPage, parseArgs, startServer } from './browser.mjs';

const args = parseArgs(process.argv.slice(2));
const root = path.resolve(args.root || 'build/web/site');
const out = path.resolve(args.out || 'build/web/screenshots');
fs.mkdirSync(out, { recursive: true });
const t = harness('browser.presenter');
const { server, url } = await startServer(root, 0);
const browser = await launch();
try {
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
