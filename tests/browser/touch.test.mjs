// touch.test.mjs — tablets and phones (issue 12, part 10), with Chromium's touch emulation:
// - a portrait or narrow window gets the compact layout: the views over the whole width, a bar with
//   the scene's Start/Step/Reset and the panel's button under the menu bar, the side panel as a
//   drawer; a 1280×800 window keeps the side panel beside the views;
// - on a 768×1024 tablet the MNIST lesson shows the code space and its right column, which a finger
//   scrolls down to the filters; a tap starts and pauses training; the drawer opens with a tap, a
//   finger drags its η slider, a tap beside it closes it;
// - on a 390×844 phone every view of the lesson stacks in one column; a finger rotates the 3-D view,
//   scrolls the drawer's lesson text, and the drawer's button closes it again.
//   node touch.test.mjs --root build/web/site --out build/web/screenshots
import fs from 'node:fs';
import path from 'node:path';
import { harness, launch, nextFrames, openPage, parseArgs, sleep, startServer, tap, touchDrag } from './browser.mjs';

const args = parseArgs(process.argv.slice(2));
const root = path.resolve(args.root || 'build/web/site');
const out = path.resolve(args.out || 'build/web/screenshots');
fs.mkdirSync(out, { recursive: true });
const t = harness('browser.touch');
const { server, url } = await startServer(root, 0);
const browser = await launch();

// A touch device of this size (CSS pixels), the page opened at `query`, ready.
const openTouch = (width, height, query) => openPage(browser, url, query, { viewport: { width, height }, touch: true });

try {
  {
    // The layout follows the window: wide on a laptop, compact when narrow.
    const { context, page, state } = await openPage(browser, url, '?lesson=spiral');
    let s = await state();
    t.check('1280×800: the side panel beside the views (no compact layout)', !s.compact, `compact ${s.compact}`);
    await page.setViewportSize({ width: 640, height: 800 });
    await nextFrames(page, 4);
    s = await state();
    t.check('640×800: the compact layout', s.compact && !s.drawer_open && s.buttons.drawer.w > 0, JSON.stringify(s.buttons.drawer));
    await context.close();
  }

  // ---- A tablet, portrait, the MNIST lesson ----------------------------------------------------------
  {
    const { context, page, errors, state } = await openTouch(768, 1024, '?lesson=mnist-2d-code&ckind=masking');
    await page.waitForFunction(() => window.aelab.state().mnist.status === 2, null, { timeout: 90000 });
    await nextFrames(page, 4);
    let s = await state();
    t.check('tablet 768×1024: compact layout, drawer closed', s.compact && !s.drawer_open, `compact ${s.compact}`);
    await page.screenshot({ path: path.join(out, 'touch-tablet-mnist.png') });

    await tap(page, s.buttons.start);
    await sleep(1500);
    s = await state();
    const steps = s.mnist.steps;
    t.check('a tap on Start (in the bar over the views) trains', s.mnist.running && steps > 0, `running ${s.mnist.running}, ${steps} steps`);
    await tap(page, s.buttons.start);
    s = await state();
    t.check('a second tap pauses', !s.mnist.running, `running ${s.mnist.running}`);

    // The right column (loss, decoded grid, reconstructions, filters) scrolls under a finger.
    await touchDrag(page, { x: 620, y: 950 }, { x: 620, y: 350 });
    s = await state();
    t.check('a finger drag scrolls the right column to its end (the filters)',
            /mnist_right/.test(s.drag_scroll.window) && s.drag_scroll.max_y > 0 && s.drag_scroll.y === s.drag_scroll.max_y,
            `${s.drag_scroll.window}: ${s.drag_scroll.y} of ${s.drag_scroll.max_y}`);
    await page.screenshot({ path: path.join(out, 'touch-tablet-mnist-scrolled.png') });

    await tap(page, s.buttons.drawer);
    await nextFrames(page, 3);
    s = await state();
    t.check('a tap on "Lesson and settings" opens the drawer', s.drawer_open, `drawer ${s.drawer_open}`);
    const slider = s.training.corruption_slider;
    t.check('the drawer shows the scene\'s controls', slider.w > 0 && slider.x + slider.w < 768 && slider.y > 0, JSON.stringify(slider));
    await touchDrag(page, { x: slider.x + 4, y: slider.y + slider.h / 2 }, { x: slider.x + 0.6 * slider.w, y: slider.y + slider.h / 2 });
    await nextFrames(page, 3);
    s = await state();
    t.check('a finger drags the corruption slider', s.training.corruption_level > 0.2 && s.drawer_open, `ν ${s.training.corruption_level}`);
    await page.screenshot({ path: path.join(out, 'touch-tablet-drawer.png') });
    await tap(page, { x: 700, y: 600, w: 10, h: 10 });
    s = await state();
    t.check('a tap beside the drawer closes it', !s.drawer_open, `drawer ${s.drawer_open}`);
    t.check('no console errors (tablet)', errors.length === 0, errors.slice(0, 3).join(' | '));
    await context.close();
  }

  // ---- A phone, the 3-D toy lesson, in Korean ----------------------------------------------------------
  {
    const { context, page, errors, state } = await openTouch(390, 844, '?lesson=swiss-roll&lang=ko');
    let s = await state();
    t.check('phone 390×844: compact layout', s.compact && s.language === 'ko', `compact ${s.compact}, ${s.language}`);
    await page.screenshot({ path: path.join(out, 'touch-phone-swiss-roll-ko.png') });
    const before = s.view_rotation;
    await touchDrag(page, { x: 150, y: 330 }, { x: 260, y: 380 });
    s = await state();
    t.check('a finger rotates the 3-D view', Math.abs(s.view_rotation.yaw - before.yaw) > 0.5 && s.view_rotation.pitch !== before.pitch,
            `yaw ${before.yaw.toFixed(2)} → ${s.view_rotation.yaw.toFixed(2)}, pitch ${before.pitch.toFixed(2)} → ${s.view_rotation.pitch.toFixed(2)}`);

    await tap(page, s.buttons.drawer);
    await nextFrames(page, 3);
    s = await state();
    t.check('the drawer opens over the whole width', s.drawer_open, `drawer ${s.drawer_open}`);
    await page.screenshot({ path: path.join(out, 'touch-phone-drawer-ko.png') });
    const top = s.buttons.drawer.y + s.buttons.drawer.h;
    await touchDrag(page, { x: 150, y: top + 260 }, { x: 150, y: top + 80 });
    s = await state();
    t.check('a finger scrolls the drawer', /side/.test(s.drag_scroll.window) && s.drag_scroll.y > 50, `${s.drag_scroll.window}: ${s.drag_scroll.y}`);
    await tap(page, s.buttons.drawer);
    s = await state();
    t.check('its button closes it', !s.drawer_open, `drawer ${s.drawer_open}`);
    await tap(page, s.buttons.start);
    await sleep(1000);
    s = await state();
    t.check('a tap on Start trains the toy model', s.running && s.steps > 0, `running ${s.running}, ${s.steps} steps`);
    t.check('no console errors (phone)', errors.length === 0, errors.slice(0, 3).join(' | '));
    await context.close();
  }

  // ---- A phone, the MNIST lesson: one column, every view below the code space -----------------------
  {
    const { context, page, errors, state } = await openTouch(390, 844, '?lesson=mnist-2d-code');
    await page.waitForFunction(() => window.aelab.state().mnist.status === 2, null, { timeout: 90000 });
    await nextFrames(page, 4);
    // A tap picks a digit; a press held on another picks the second one (no Shift on a tablet).
    let s = await state();
    const r = s.mnist.scatter, middle = { x: r.x + r.w / 2, y: r.y + r.h / 2 };
    await tap(page, { x: middle.x - 5, y: middle.y - 5, w: 10, h: 10 });
    s = await state();
    const first = s.mnist.selected;
    t.check('a tap on the code space picks a digit', first >= 0 && s.mnist.second < 0, `selected ${first}, second ${s.mnist.second}`);
    const other = { x: middle.x + r.w / 5, y: middle.y + r.h / 8 };
    await touchDrag(page, other, other, 0, 800);
    s = await state();
    t.check('a press held on another picks the second one (interpolation)', s.mnist.selected === first && s.mnist.second >= 0 &&
            s.mnist.second !== first, `selected ${s.mnist.selected}, second ${s.mnist.second}`);
    await touchDrag(page, { x: 200, y: 800 }, { x: 200, y: 150 }, 10);
    s = await state();
    t.check('phone: the views stack in one window that a finger scrolls', /###mnist$/.test(s.drag_scroll.window) && s.drag_scroll.y > 300,
            `${s.drag_scroll.window}: ${s.drag_scroll.y} of ${s.drag_scroll.max_y}`);
    await page.screenshot({ path: path.join(out, 'touch-phone-mnist-scrolled.png') });
    t.check('no console errors (phone, MNIST)', errors.length === 0, errors.slice(0, 3).join(' | '));
    await context.close();
  }
} catch (e) {
  t.check('the test ran to the end', false, String(e && e.stack || e));
} finally {
  await browser.close();
  server.close();
}
process.exit(t.finish());
