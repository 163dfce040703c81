// files.test.mjs — the learner's own files in the page, as a user drops them (headless Debian
// Chromium + playwright-core):
// - a CSV whose header names its label column: 2-D points in the toy scene, coloured by label; it trains;
// - MNIST's own test files, gzipped (images and labels dropped together): the MNIST views on the
//   user's data at 28×28, labels in the scatter; it trains;
// - pictures in class folders inside a .zip (drawn here on a canvas, zipped here) and loose PNGs:
//   labels from the folders, none for loose files;
// - a malformed CSV and a file over the limit: the reader's message, the page keeps running;
// - the largest data set the lab takes, dropped while the largest network trains on MNIST: it opens,
//   or the page says that its memory ran out; the scene trains on either way;
// - a model saved from the page (File ▸ Save the model), dropped on a fresh page: the same weights.
//   node files.test.mjs --root build/web/site --out build/web/screenshots
import fs from 'node:fs';
import path from 'node:path';
import zlib from 'node:zlib';
import { click, harness, launch, nextFrames, openPage, parseArgs, sleep, startServer, trainUntil } from './browser.mjs';

const args = parseArgs(process.argv.slice(2));
const root = path.resolve(args.root || 'build/web/site');
const out = path.resolve(args.out || 'build/web/screenshots');
fs.mkdirSync(out, { recursive: true });
const t = harness('browser.files');

const { server, url } = await startServer(root, 0);
const browser = await launch();

// Drops files on the page as a user's drag and drop would: one DataTransfer holding them all.
async function drop(page, files) {
  const before = await page.evaluate(() => window.aelab.drops || 0);
  await page.evaluate((files) => {
    const dt = new DataTransfer();
    for (const f of files) {
      const bytes = Uint8Array.from(atob(f.base64), (c) => c.charCodeAt(0));
      dt.items.add(new File([bytes], f.name));
    }
    window.dispatchEvent(new DragEvent('drop', { dataTransfer: dt, bubbles: true, cancelable: true }));
  }, files.map((f) => ({ name: f.name, base64: Buffer.from(f.bytes).toString('base64') })));
  await page.waitForFunction((before) => (window.aelab.drops || 0) > before, before, { timeout: 60000 });
  await nextFrames(page, 3);
}

// CRC-32 and a stored zip archive, as `zip -0` writes one.
const CRC_TABLE = Array.from({ length: 256 }, (_, n) => {
  let c = n;
  for (let k = 0; k < 8; ++k) c = c & 1 ? 0xedb88320 ^ (c >>> 1) : c >>> 1;
  return c >>> 0;
});
const crc32 = (b) => { let c = 0xffffffff; for (const x of b) c = CRC_TABLE[(c ^ x) & 255] ^ (c >>> 8); return (c ^ 0xffffffff) >>> 0; };
function storedZip(entries) {
  const parts = [], directory = [];
  let offset = 0;
  for (const { name, bytes } of entries) {
    const n = Buffer.from(name), crc = crc32(bytes);
    const local = Buffer.alloc(30);
    local.writeUInt32LE(0x04034b50, 0); local.writeUInt16LE(20, 4); local.writeUInt32LE(crc, 14);
    local.writeUInt32LE(bytes.length, 18); local.writeUInt32LE(bytes.length, 22); local.writeUInt16LE(n.length, 26);
    const central = Buffer.alloc(46);
    central.writeUInt32LE(0x02014b50, 0); central.writeUInt16LE(20, 4); central.writeUInt16LE(20, 6); central.writeUInt32LE(crc, 16);
    central.writeUInt32LE(bytes.length, 20); central.writeUInt32LE(bytes.length, 24); central.writeUInt16LE(n.length, 28);
    central.writeUInt32LE(offset, 42);
    parts.push(local, n, Buffer.from(bytes));
    directory.push(central, n);
    offset += 30 + n.length + bytes.length;
  }
  const cd = Buffer.concat(directory), end = Buffer.alloc(22);
  end.writeUInt32LE(0x06054b50, 0); end.writeUInt16LE(entries.length, 8); end.writeUInt16LE(entries.length, 10);
  end.writeUInt32LE(cd.length, 12); end.writeUInt32LE(offset, 16);
  return Buffer.concat([...parts, cd, end]);
}

// An IDX file of n images of rows × cols bytes (a fixed pseudo-random pattern), and one of n labels.
function idxImages(n, rows, cols) {
  const b = Buffer.alloc(16 + n * rows * cols);
  b.writeUInt32BE(0x00000803, 0); b.writeUInt32BE(n, 4); b.writeUInt32BE(rows, 8); b.writeUInt32BE(cols, 12);
  let x = 7;
  for (let i = 16; i < b.length; ++i) { x = (Math.imul(x, 1103515245) + 12345) >>> 0; b[i] = x >>> 24; }
  return b;
}
function idxLabels(n) {
  const b = Buffer.alloc(8 + n);
  b.writeUInt32BE(0x00000801, 0); b.writeUInt32BE(n, 4);
  for (let i = 0; i < n; ++i) b[8 + i] = i % 10;
  return b;
}

// Pictures drawn on a canvas in the page: a bar, vertical or horizontal, at a random place.
async function barPictures(page, count, vertical) {
  const list = await page.evaluate(async ([count, vertical]) => {
    const out = [];
    for (let i = 0; i < count; ++i) {
      const canvas = new OffscreenCanvas(40, 32);  // not square: the lab cuts the centred square
      const g = canvas.getContext('2d');
      g.fillStyle = '#fff';
      g.fillRect(0, 0, 40, 32);
      g.fillStyle = '#000';
      const at = 10 + (i * 7) % 14;
      if (vertical) g.fillRect(at, 4, 5, 24); else g.fillRect(8, at - 6, 24, 5);
      const blob = await canvas.convertToBlob({ type: 'image/png' });
      out.push(btoa(String.fromCharCode(...new Uint8Array(await blob.arrayBuffer()))));
    }
    return out;
  }, [count, vertical]);
  return list.map((b64) => Buffer.from(b64, 'base64'));
}

try {
  // ---- A CSV with a label column: 2-D points in the toy scene -------------------------------------
  {
    const { context, page, errors, state } = await openPage(browser, url, '?lang=en');
    let csv = 'x,y,label\n';
    for (let i = 0; i < 300; ++i) {
      const a = (i / 300) * 2 * Math.PI * 7, r = i % 2 ? 3 : 1;  // two rings, radius 1 and 3, around (5, 5)
      csv += `${(5 + r * Math.cos(a)).toFixed(4)},${(5 + r * Math.sin(a)).toFixed(4)},${i % 2}\n`;
    }
    await drop(page, [{ name: 'rings.csv', bytes: Buffer.from(csv) }]);
    let s = await state();
    t.check('a CSV of 2-D points opens in the toy scene, labels from its header', s.mode === 'toy_manifold' && s.own.points === 300 &&
            s.own.labelled === true && s.own.features === 2 && s.error === '', JSON.stringify(s.own) + ' ' + s.error);
    t.check('the panel says what was opened', /Opened rings\.csv: 300 samples of 2 values, with labels/.test(s.notice), s.notice);
    const r = await trainUntil(page, state, (s) => s.steps > 300, 6);
    s = r.s;
    t.check('the user\'s points train', s.steps > 0 && s.loss < s.loss_first && s.weights.finite, `steps ${s.steps}, C ${s.loss_first} → ${s.loss}`);
    await page.screenshot({ path: path.join(out, 'files-csv-rings.png') });
    // File ▸ Save the window as PNG: a download of the frame, at the canvas's size.
    await page.evaluate(() => { window.aelab.lastDownload = null; window.aelab.savePicture(); });
    await page.waitForFunction(() => window.aelab.lastDownload && window.aelab.lastDownload.name.endsWith('.png'), null, { timeout: 10000 });
    const png = Buffer.from(await page.evaluate(() => Array.from(window.aelab.lastDownload.bytes)));
    const canvas = await page.evaluate(() => [document.getElementById('canvas').width, document.getElementById('canvas').height]);
    t.check('the window saved as PNG: a PNG of the canvas\'s size', png.subarray(1, 4).toString() === 'PNG' &&
            png.readUInt32BE(16) === canvas[0] && png.readUInt32BE(20) === canvas[1] && png.length > 20000,
            `${png.length} bytes, ${png.readUInt32BE(16)}×${png.readUInt32BE(20)}, canvas ${canvas.join('×')}`);
    fs.writeFileSync(path.join(out, 'files-saved-window.png'), png);
    // One view (what its right-click menu saves): the rectangle alone.
    await page.evaluate(() => { window.aelab.lastDownload = null; window.aelab.savePicture(380, 24, 496, 400); });
    await page.waitForFunction(() => window.aelab.lastDownload && window.aelab.lastDownload.name === 'aelab-view.png', null, { timeout: 10000 });
    const view = Buffer.from(await page.evaluate(() => Array.from(window.aelab.lastDownload.bytes)));
    t.check('one view saved as PNG: the rectangle alone', view.readUInt32BE(16) === 496 && view.readUInt32BE(20) === 400,
            `${view.readUInt32BE(16)}×${view.readUInt32BE(20)}`);
    fs.writeFileSync(path.join(out, 'files-saved-view.png'), view);
    // A malformed table: the reader's message (line and column), the page keeps running.
    await drop(page, [{ name: 'broken.csv', bytes: Buffer.from('a,b\n1,2\n3,x\n') }]);
    s = await state();
    t.check('a malformed CSV is refused with the line and column', /broken\.csv.*line 3/.test(s.error), s.error);
    const frame = s.frame;
    await nextFrames(page, 3);
    s = await state();
    t.check('…and the page keeps running with the last data', s.frame > frame && s.own.points === 300, `frame ${frame} → ${s.frame}`);
    // A file over the limit is refused before it is read.
    await page.evaluate(() => {
      const dt = new DataTransfer();
      dt.items.add(new File([new Uint8Array((64 << 20) + 1)], 'huge.csv'));
      window.dispatchEvent(new DragEvent('drop', { dataTransfer: dt, bubbles: true, cancelable: true }));
    });
    await page.waitForFunction(() => (window.aelab.drops || 0) >= 3, null, { timeout: 60000 });
    await nextFrames(page, 2);
    s = await state();
    t.check('a file over the limit is refused, with the limits stated', /huge\.csv is 64 MB; the lab takes .*files of at most 64 MB/.test(s.error), s.error);
    t.check('no console errors (CSV)', errors.length === 0, errors.slice(0, 3).join(' | '));
    await context.close();
  }

  // ---- MNIST's test files, gzipped, images and labels together ---------------------------------------
  {
    const { context, page, errors, state } = await openPage(browser, url, '?lang=ko');
    const images = zlib.gzipSync(fs.readFileSync(path.join(root, 'data/t10k-images-idx3-ubyte')));
    const labels = zlib.gzipSync(fs.readFileSync(path.join(root, 'data/t10k-labels-idx1-ubyte')));
    await drop(page, [{ name: 't10k-images-idx3-ubyte.gz', bytes: images }, { name: 't10k-labels-idx1-ubyte.gz', bytes: labels }]);
    let s = await state();
    t.check('gzipped IDX images + labels open in the MNIST views at 28×28', s.mode === 'mnist' && s.own.data === 't10k-images-idx3-ubyte' &&
            s.own.features === 784 && s.own.image[0] === 28 && s.own.image[1] === 28 && s.own.labelled &&
            s.own.train + s.own.test === 2000 && s.mnist.status === 2 && s.error === '', JSON.stringify(s.own) + ' ' + s.error);
    const r = await trainUntil(page, state, (s) => s.mnist.steps > 150, 12);
    s = r.s;
    t.check('an autoencoder trains on them', s.mnist.steps > 0 && s.mnist.loss < s.mnist.loss_first && s.mnist.weights.finite,
            `steps ${s.mnist.steps}, loss ${s.mnist.loss_first} → ${s.mnist.loss}`);
    await page.screenshot({ path: path.join(out, 'files-idx-gz-ko.png') });
    t.check('no console errors (IDX)', errors.length === 0, errors.slice(0, 3).join(' | '));
    await context.close();
  }

  // ---- Memory: a large data set dropped while the largest network trains on MNIST ---------------------
  // The page has 256 MB; the estimates leave out what comes and goes (the file's bytes, the training
  // thread's copy of the digits until its next sync), so the memory can run out on the way. Then
  // std::bad_alloc once reached the page's script, which could only drop it: the drop did nothing
  // and said nothing. It must open the data or say why, and the scene train on.
  {
    const { context, page, errors, state } = await openPage(browser, url, '?lesson=mnist-2d-code&arch=512relu-512relu-512relu-128linear&batch=512&lang=en');
    const escaped = [];  // what the page's drop queue caught (web/index.html: "AE Lab: " + the exception)
    page.on('console', (m) => { if (/^AE Lab: /.test(m.text())) escaped.push(m.text()); });
    await page.waitForFunction(() => window.aelab.state().mnist.status === 2, null, { timeout: 90000 });
    let s = (await trainUntil(page, state, (s) => s.mnist.steps > 20, 20)).s;
    const trainingBefore = s.mnist.running;
    await drop(page, [{ name: 'wide-images-idx3-ubyte', bytes: idxImages(60000, 9, 16) }, { name: 'wide-labels-idx1-ubyte', bytes: idxLabels(60000) }]);
    s = await state();
    const opened = /^Opened wide-images-idx3-ubyte: 60000 samples of 144 values/.test(s.notice) && s.own.train + s.own.test === 60000 &&
                   (s.mnist.settings_error === '' || /cannot be built: not enough memory left/.test(s.mnist.settings_error));
    const refused = /^This file cannot be opened: not enough memory left \(the page has 268 MB in all\)/.test(s.error) && s.own.data === '';
    t.check('a large data set dropped while a 512-512-512-128 network trains: it opens, or the page says its memory ran out',
            (opened || refused) && escaped.length === 0, `${opened ? 'opened' : refused ? 'refused' : 'neither'}: ` +
            JSON.stringify({ notice: s.notice, error: s.error, settings_error: s.mnist.settings_error, escaped }));
    if (refused) {  // the scene keeps its model and trains on
      const steps = s.mnist.steps;
      await sleep(2000);
      s = await state();
      t.check('…refused: the scene keeps training', trainingBefore && s.mnist.running && s.mnist.steps > steps, `steps ${steps} → ${s.mnist.steps}`);
    } else if (opened && s.mnist.settings_error === '') {
      s = (await trainUntil(page, state, (s) => s.mnist.steps > 5, 20)).s;
      t.check('…opened: the network trains on the new data', s.mnist.steps > 5 && s.mnist.weights.finite, `steps ${s.mnist.steps}`);
    }
    await page.screenshot({ path: path.join(out, 'files-memory.png') });
    t.check('no console errors (memory)', errors.length === 0, errors.slice(0, 3).join(' | '));
    await context.close();
  }

  // ---- Pictures: class folders in a zip, and loose PNGs ---------------------------------------------
  {
    const { context, page, errors, state } = await openPage(browser, url, '?lang=en');
    const vertical = await barPictures(page, 12, true), horizontal = await barPictures(page, 12, false);
    const zip = storedZip([...vertical.map((b, i) => ({ name: `bars/vertical/${i}.png`, bytes: b })),
                           ...horizontal.map((b, i) => ({ name: `bars/horizontal/${i}.png`, bytes: b })),
                           { name: 'bars/README.txt', bytes: Buffer.from('two classes of bars') }]);
    await drop(page, [{ name: 'bars.zip', bytes: zip }]);
    let s = await state();
    t.check('a zip of pictures in class folders: 24 pictures, labels from the folders', s.mode === 'mnist' && s.own.train + s.own.test === 24 &&
            s.own.labelled && JSON.stringify(s.own.classes) === '["horizontal","vertical"]' && s.own.image[0] === 28 && s.error === '',
            JSON.stringify(s.own) + ' ' + s.error);
    await page.screenshot({ path: path.join(out, 'files-zip-bars.png') });
    await drop(page, vertical.slice(0, 12).map((b, i) => ({ name: `bar-${i}.png`, bytes: b })));
    s = await state();
    t.check('loose PNGs: pictures without labels', s.mode === 'mnist' && s.own.train + s.own.test === 12 && !s.own.labelled && s.error === '',
            JSON.stringify(s.own) + ' ' + s.error);
    await drop(page, [{ name: 'a.png', bytes: vertical[0] }, { name: 'b.csv', bytes: Buffer.from('1,2\n') }]);
    s = await state();
    t.check('pictures and a table in one drop: refused, one data set at a time', /one data set at a time/.test(s.error), s.error);
    t.check('no console errors (pictures)', errors.length === 0, errors.slice(0, 3).join(' | '));
    await context.close();
  }

  // ---- A model saved from the page, opened on a fresh page -------------------------------------------
  {
    let { context, page, errors, state } = await openPage(browser, url, '?lesson=mnist-2d-code&lang=en');
    await page.waitForFunction(() => window.aelab.state().mnist.status === 2, null, { timeout: 90000 });
    const r = await trainUntil(page, state, (s) => s.mnist.steps > 100, 8);
    // Pause first (Start toggles), so that the saved weights are the ones the state shows.
    let s = await state();
    if (s.mnist.running) await click(page, s.buttons.start);
    s = await state();
    const checksum = s.mnist.weights.checksum;
    t.check('File ▸ Save the model downloads an .aelab file', (await page.evaluate(() => window.aelab.saveModel())) === 1, '');
    const download = await page.evaluate(() => ({ name: window.aelab.lastDownload.name, bytes: Array.from(window.aelab.lastDownload.bytes) }));
    const bytes = Buffer.from(download.bytes);
    t.check('…named after its data and variant, an AELAB-MODEL file', download.name === 'mnist-plain.aelab' &&
            bytes.subarray(0, 12).toString() === 'AELAB-MODEL\n', `${download.name}, ${bytes.length} bytes, after ${r.s.mnist.steps} steps`);
    fs.writeFileSync(path.join(out, download.name), bytes);
    await context.close();
    ({ context, page, errors, state } = await openPage(browser, url, '?lang=ko'));
    await drop(page, [{ name: download.name, bytes }]);
    await page.waitForFunction(() => window.aelab.state().mnist.status === 2 && window.aelab.state().mode === 'mnist', null, { timeout: 90000 });
    await nextFrames(page, 3);
    s = await state();
    t.check('dropped on a fresh page, it opens on MNIST with the same weights', s.mode === 'mnist' &&
            Math.abs(s.mnist.weights.checksum - checksum) <= 1e-9 * Math.max(1, Math.abs(checksum)) && s.error === '',
            `checksum ${checksum} → ${s.mnist.weights.checksum}; ${s.notice} ${s.error}`);
    await page.screenshot({ path: path.join(out, 'files-model-reopened-ko.png') });
    // The same model saying it was trained on other data (its header edited): refused, naming the data.
    const other = Buffer.from(bytes.toString('latin1').replace(/"dataset": ?"mnist"/, '"dataset":"elsewhere.csv"'), 'latin1');
    await drop(page, [{ name: 'elsewhere.aelab', bytes: other }]);
    s = await state();
    t.check('a model for data the page does not have is refused, naming that data', other.length !== bytes.length &&
            /elsewhere\.csv.*784/.test(s.error) && s.mode === 'mnist', s.error);
    t.check('no console errors (model)', errors.length === 0, errors.slice(0, 3).join(' | '));
    await context.close();
  }
} catch (e) {
  t.check('the test ran to the end', false, String(e && e.stack || e));
} finally {
  await browser.close();
  server.close();
}
process.exit(t.finish());
