// languages.test.mjs — every lesson from its file in English and in Korean, and lesson files
// dropped on the page (headless Debian Chromium + playwright-core).
//   node languages.test.mjs --root build/web/site --out build/web/screenshots --lessons assets/lessons
// - each built-in lesson opens in both languages (?lang=en / ?lang=ko) with its title from the
//   file, no console error, and no glyph of the texts in use missing from the font atlas (the state
//   hook looks each character up with ImFont::FindGlyphNoFallback); a screenshot of each in Korean,
//   at UI scale 1 and 1.5;
// - the browser's language picks Korean on a first visit; View → Language's choice is remembered;
// - file → scene → file: the scene each lesson sets up, written back as a lesson, is the file;
// - a lecturer's lesson file (with Hangul outside the built-in texts) is dropped on the page and
//   opens; a malformed one is refused with a message naming the field, and the page keeps running.
import fs from 'node:fs';
import path from 'node:path';
import { harness, launch, parseArgs, startServer, watchConsole } from './browser.mjs';

const args = parseArgs(process.argv.slice(2));
const root = path.resolve(args.root || 'build/web/site');
const out = path.resolve(args.out || 'build/web/screenshots');
const lessonDir = path.resolve(args.lessons || 'assets/lessons');
fs.mkdirSync(out, { recursive: true });
const t = harness('browser.languages');
const sleep = (ms) => new Promise((r) => setTimeout(r, ms));
const files = fs.readdirSync(lessonDir).filter((f) => f.endsWith('.json')).sort();

const { server, url } = await startServer(root, 0);
const browser = await launch();

async function open(query, locale = 'en-US') {
  const context = await browser.newContext({ viewport: { width: 1280, height: 800 }, locale });
  const page = await context.newPage();
  const errors = [];
  watchConsole(page, errors);
  await page.goto(url + query);
  await page.waitForFunction(() => window.aelab && (window.aelab.ready || window.aelab.error), null, { timeout: 90000 });
  await sleep(300);  // a language change rebuilds the font atlas at the next frame
  return { context, page, errors, state: () => page.evaluate(() => window.aelab.state()) };
}

// One page for the lessons' loop: each lesson is a new load of the page (a new instance of the
// app, as a visit is), in the same browser context, so the browser's caches (the HTTP cache and
// its compiled WebAssembly) spare each load the download and the compile. ?lang= in every address
// decides the language whatever the last load remembered.
let lessonPage = null;
async function load(query) {
  if (!lessonPage) {
    const context = await browser.newContext({ viewport: { width: 1280, height: 800 }, locale: 'en-US' });
    const page = await context.newPage();
    const errors = [];
    watchConsole(page, errors);
    lessonPage = { context, page, errors, state: () => page.evaluate(() => window.aelab.state()) };
  }
  // Leaving the last load aborts what it was still fetching (the MNIST pack): not this load's error.
  await lessonPage.page.goto('about:blank');
  lessonPage.errors.length = 0;
  await lessonPage.page.goto(url + query);
  await lessonPage.page.waitForFunction(() => window.aelab && (window.aelab.ready || window.aelab.error), null, { timeout: 90000 });
  await sleep(300);  // a language change rebuilds the font atlas at the next frame
  return lessonPage;
}

// Drops a file on the page as a user's drag and drop would (a DataTransfer with the file).
async function drop(page, name, text) {
  const before = await page.evaluate(() => window.aelab.drops || 0);
  await page.evaluate(([name, text]) => {
    const dt = new DataTransfer();
    dt.items.add(new File([text], name, { type: 'application/json' }));
    window.dispatchEvent(new DragEvent('drop', { dataTransfer: dt, bubbles: true, cancelable: true }));
  }, [name, text]);
  await page.waitForFunction((before) => (window.aelab.drops || 0) > before, before, { timeout: 30000 });
  await sleep(300);
}

const glyphText = (s) => `${s.glyphs.missing.length} of ${s.glyphs.checked} missing: ` +
  s.glyphs.missing.slice(0, 8).map((c) => String.fromCodePoint(c) + ' U+' + c.toString(16)).join(', ');

try {
  for (const [i, file] of files.entries()) {
    const lesson = JSON.parse(fs.readFileSync(path.join(lessonDir, file), 'utf8'));
    for (const lang of ['en', 'ko']) {
      for (const scale of lang === 'ko' ? [1, 1.5] : [1]) {
        const { page, errors, state } = await load(`?lesson=${lesson.id}&lang=${lang}${scale !== 1 ? '&scale=' + scale : ''}`);
        const s = await state();
        const tag = `${file} (${lang}${scale !== 1 ? ', scale ' + scale : ''})`;
        t.check(`${tag} opens with its title, in the lecture's order`, s.lesson === i && s.lesson_id === lesson.id && s.language === lang &&
                s.lesson_title === lesson.title[lang], `${s.lesson} ${s.lesson_id} ${s.language} "${s.lesson_title}"`);
        t.check(`${tag}: every glyph of the texts in use is in the atlas`, s.glyphs.checked > 100 && s.glyphs.missing.length === 0,
                `${glyphText(s)}; atlas ${s.atlas.width}×${s.atlas.height} px at pixel ratio ${s.pixel_ratio}, ` +
                `${s.atlas.extra_glyphs} glyphs beyond the base ranges`);
        t.check(`${tag}: every tr() string has its Korean`, s.missing_translations.length === 0, s.missing_translations.slice(0, 3).join(' | '));
        if (lang === 'ko') {
          await page.screenshot({ path: path.join(out, `ko-${file.replace('.json', '')}${scale !== 1 ? '-scale' + scale : ''}.png`) });
        } else {
          // file → scene → file: what the scene was set up from, written back, is the file.
          const back = await page.evaluate(() => window.aelab.sceneLesson());
          t.check(`${tag}: file → scene → file gives the same preset`, JSON.stringify(back) === JSON.stringify(lesson),
                  JSON.stringify(back).slice(0, 300));
        }
        t.check(`${tag}: no console errors`, errors.length === 0 && s.error === '', [s.error, ...errors].slice(0, 3).join(' | '));
      }
    }
  }
  await lessonPage.context.close();

  // ---- The browser's language on a first visit; the menu's choice is remembered ---------------
  {
    const { context, page, state } = await open('?lesson=2', 'ko-KR');
    let s = await state();
    t.check('a first visit from a Korean browser shows Korean', s.language === 'ko', s.language);
    await page.goto(url + '?lesson=2&lang=en');
    await page.waitForFunction(() => window.aelab && window.aelab.ready, null, { timeout: 90000 });
    await sleep(300);
    s = await state();
    t.check('?lang=en wins over the browser', s.language === 'en', s.language);
    await page.goto(url + '?lesson=2');
    await page.waitForFunction(() => window.aelab && window.aelab.ready, null, { timeout: 90000 });
    await sleep(300);
    s = await state();
    t.check('the last choice is remembered on the next visit', s.language === 'en', s.language);
    await context.close();
  }

  // ---- A lecturer's own lesson file, and a malformed one, dropped on the page ------------------
  {
    const { context, page, errors, state } = await open('?lang=ko');
    const mine = JSON.parse(fs.readFileSync(path.join(lessonDir, files.find((f) => f.endsWith('-spiral.json'))), 'utf8'));
    mine.id = 'my-circle';
    mine.title = { en: 'My circle', ko: '똠얌꿍 교수의 원 — 뷁' };  // syllables no built-in text uses
    mine.text = { en: 'A lecturer wrote this.', ko: '강의자가 쓴 수업: 햏, 쌰, 꺍.' };
    mine.data.manifold = 'circle';
    await drop(page, 'my-circle.json', JSON.stringify(mine));
    await sleep(300);
    let s = await state();
    t.check('a dropped lesson file opens after the built-in ones', s.lesson === s.built_in_lessons && s.lesson_id === 'my-circle' &&
            s.lesson_count === s.built_in_lessons + 1 && s.error === '', `${s.lesson} ${s.lesson_id} ${s.error}`);
    t.check('  … its Hangul is drawn, not "?"', s.glyphs.missing.length === 0, glyphText(s));
    const back = await page.evaluate(() => window.aelab.sceneLesson());
    t.check('  … and its scene writes back the same preset', back.data.manifold === 'circle' && back.id === 'my-circle', JSON.stringify(back).slice(0, 200));
    await page.screenshot({ path: path.join(out, 'ko-dropped-lesson.png') });
    const bad = { ...mine, id: 'bad', training: { ...mine.training, learning_rate: 'fast' } };
    await drop(page, 'bad.json', JSON.stringify(bad));
    s = await state();
    t.check('a malformed file is refused with the field and what was expected', s.lesson_id === 'my-circle' &&
            s.error.includes('bad.json') && s.error.includes('training.learning_rate') && s.error.includes('expected a number'), s.error);
    await drop(page, 'broken.json', '{"aelab_lesson": 1, "id": ');
    s = await state();
    t.check('a file that is not JSON is refused with the reader\'s message', s.error.includes('broken.json') && s.error.includes('not valid JSON'), s.error);
    await page.screenshot({ path: path.join(out, 'ko-malformed-lesson.png') });
    const f0 = s.frame;
    await sleep(500);
    s = await state();
    t.check('the page keeps running after a malformed file', s.frame > f0 && errors.length === 0, errors.slice(0, 3).join(' | '));
    await context.close();
  }
} catch (err) {
  t.check('languages test ran to the end', false, err.stack || String(err));
} finally {
  await browser.close();
  server.close();
}
process.exit(t.finish());
