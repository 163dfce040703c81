// serve.test.mjs — serving the page: web/serve.mjs's compression, scripts/build-site.sh's static
// folder from a sub-path of a host, and `serve.mjs --lan`.
//   node serve.test.mjs --root build/web/site --out build/screenshots
// 1. HTTP: the precompressed copy the client accepts (br before gzip, q=0 refused), with the
//    original's Content-Type, the copy's Content-Length and Vary: Accept-Encoding; the original
//    when none is accepted, when compression is off, or when the copy is older than its original;
//    ETag → 304; HEAD; 404 and no way out of the folder.
// 2. Static host: build-site.sh --from the built site writes a folder (page, app, copies, data pack,
//    service worker; no serve.mjs), served under /course/ae-lab/: the page starts, its worker
//    takes control (scoped to the sub-path), an MNIST lesson loads its digits; no request of the
//    page or of its worker gets a 404 or any error status, all stay under the sub-path.
// 3. `serve.mjs --lan --qr` listens on the machine's network address (or says why not and uses
//    127.0.0.1) and answers there; with no network at all (a fresh network namespace, where the
//    machine allows one) it falls back to 127.0.0.1 with its message.
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import http from 'node:http';
import { spawn, spawnSync } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { harness, launch, parseArgs, startServer, watchConsole } from './browser.mjs';
import { lanAddress } from '../../web/serve.mjs';

const args = parseArgs(process.argv.slice(2));
const root = path.resolve(args.root || 'build/web/site');
const out = path.resolve(args.out || 'build/screenshots');
fs.mkdirSync(out, { recursive: true });
const t = harness('browser.serve');
const repo = path.join(path.dirname(fileURLToPath(import.meta.url)), '../..');
const tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'aelab-serve-'));

// A plain HTTP request; resolves { status, headers, body }.
const request = (url, { method = 'GET', headers = {} } = {}) => new Promise((resolve, reject) => {
  const req = http.request(url, { method, headers }, (res) => {
    const chunks = [];
    res.on('data', (c) => chunks.push(c));
    res.on('end', () => resolve({ status: res.statusCode, headers: res.headers, body: Buffer.concat(chunks) }));
  });
  req.on('error', reject);
  req.end();
});

const servers = [];
let browser = null;
try {
  // ---- 1. HTTP: precompressed copies --------------------------------------------------------
  {
    const { server, url } = await startServer(root, 0);
    servers.push(server);
    const wasm = fs.readFileSync(path.join(root, 'app.wasm'));
    const br = fs.readFileSync(path.join(root, 'app.wasm.br')), gz = fs.readFileSync(path.join(root, 'app.wasm.gz'));
    let r = await request(url + 'app.wasm', { headers: { 'accept-encoding': 'gzip, deflate, br' } });
    t.check('br when accepted: Content-Encoding br, the original\'s type, the copy\'s length, Vary',
            r.status === 200 && r.headers['content-encoding'] === 'br' && r.headers['content-type'] === 'application/wasm' &&
            Number(r.headers['content-length']) === br.length && r.body.equals(br) && /accept-encoding/i.test(r.headers.vary || ''),
            `${r.status} ${r.headers['content-encoding']} ${r.headers['content-type']} ${r.headers['content-length']} bytes (of ${wasm.length}), vary ${r.headers.vary}`);
    r = await request(url + 'app.wasm', { headers: { 'accept-encoding': 'br;q=0, gzip' } });
    t.check('gzip when br is refused (q=0)', r.headers['content-encoding'] === 'gzip' && r.body.equals(gz) && Number(r.headers['content-length']) === gz.length,
            `${r.headers['content-encoding']}, ${r.body.length} bytes`);
    r = await request(url + 'app.wasm');
    t.check('the original without Accept-Encoding (still Vary)', !r.headers['content-encoding'] && r.body.equals(wasm) &&
            Number(r.headers['content-length']) === wasm.length && /accept-encoding/i.test(r.headers.vary || ''), `${r.body.length} bytes`);
    r = await request(url, { headers: { 'accept-encoding': 'br' } });
    t.check('the page itself (/) compressed too, as text/html', r.headers['content-encoding'] === 'br' && /text\/html/.test(r.headers['content-type']),
            `${r.headers['content-encoding']} ${r.headers['content-type']}`);
    const etag = r.headers.etag;
    r = await request(url, { headers: { 'accept-encoding': 'br', 'if-none-match': etag } });
    t.check('ETag: a revalidation gets 304 and no body', r.status === 304 && r.body.length === 0, `${etag} → ${r.status}`);
    r = await request(url + 'app.data', { method: 'HEAD', headers: { 'accept-encoding': 'gzip' } });
    t.check('HEAD: the headers, no body', r.status === 200 && r.headers['content-encoding'] === 'gzip' && r.body.length === 0 &&
            Number(r.headers['content-length']) === fs.statSync(path.join(root, 'app.data.gz')).size, `${r.headers['content-length']}`);
    r = await request(url + 'data/train-images-idx3-ubyte', { headers: { 'accept-encoding': 'br, gzip' } });
    t.check('the MNIST pack goes out compressed', r.headers['content-encoding'] === 'br' &&
            r.body.length < 0.3 * fs.statSync(path.join(root, 'data/train-images-idx3-ubyte')).size, `${r.body.length} bytes`);
    r = await request(url + 'nothing-here.js');
    const r2 = await request(url + '..%2f..%2fCMakeCache.txt');
    t.check('404 for a missing file; nothing outside the folder', r.status === 404 && (r2.status === 403 || r2.status === 404), `${r.status}, ${r2.status}`);
    const { server: plain, url: plainUrl } = await startServer(root, 0, { compress: false });
    servers.push(plain);
    r = await request(plainUrl + 'app.wasm', { headers: { 'accept-encoding': 'br, gzip' } });
    t.check('compress: false sends the original', !r.headers['content-encoding'] && r.body.equals(wasm), `${r.body.length} bytes`);
    // A copy older than its original (the page edited in place) is not sent.
    const stale = path.join(tmp, 'stale');
    fs.mkdirSync(stale);
    for (const f of ['index.html', 'index.html.br', 'index.html.gz', 'app.js']) fs.copyFileSync(path.join(root, f), path.join(stale, f));
    const later = new Date(Date.now() + 60000);
    fs.utimesSync(path.join(stale, 'index.html'), later, later);
    const { server: s3, url: staleUrl } = await startServer(stale, 0);
    servers.push(s3);
    r = await request(staleUrl, { headers: { 'accept-encoding': 'br, gzip' } });
    t.check('a copy older than its original is not sent', r.status === 200 && !r.headers['content-encoding'], `${r.headers['content-encoding'] || 'identity'}`);
  }

  // ---- 2. a static host, under a sub-path ---------------------------------------------------
  {
    const site = path.join(tmp, 'static-site');
    const b = spawnSync('bash', [path.join(repo, 'scripts/build-site.sh'), '--from', root, site], { encoding: 'utf8' });
    const files = b.status === 0 ? fs.readdirSync(site) : [];
    t.check('build-site.sh writes the static folder (page, app, copies, data pack, worker; no local server)',
            b.status === 0 && ['index.html', 'app.js', 'app.wasm', 'app.data', 'app.wasm.br', 'app.wasm.gz', 'sw.js', 'data'].every((f) => files.includes(f)) &&
            !files.includes('serve.mjs') && fs.existsSync(path.join(site, 'data/train-images-idx3-ubyte.br')),
            b.status === 0 ? b.stdout.trim().split('\n').pop() : b.stderr);
    const sub = await startServer(site, 0, { prefix: '/course/ae-lab/' });
    servers.push(sub.server);
    browser = await launch();
    const context = await browser.newContext({ viewport: { width: 1280, height: 800 } });
    const responses = [], failed = [];
    // The context sees the page's requests and its service worker's.
    context.on('response', (res) => responses.push(`${res.status()} ${res.url()}`));
    // (The worker's look for the MNIST pack in the HTTP cache, 'only-if-cached', fails with
    // ERR_CACHE_MISS when the page has not fetched it: no request leaves the browser.)
    context.on('requestfailed', (req) => { if (req.failure()?.errorText !== 'net::ERR_CACHE_MISS') failed.push(`${req.url()} ${req.failure()?.errorText}`); });
    const page = await context.newPage();
    const errors = [];
    watchConsole(page, errors);
    await page.goto(sub.url);
    await page.waitForFunction(() => window.aelab && (window.aelab.ready || window.aelab.error), null, { timeout: 90000 });
    const controlled = await page.waitForFunction(() => !!navigator.serviceWorker.controller, null, { timeout: 60000 }).then(() => true, () => false);
    const scope = await page.evaluate(() => navigator.serviceWorker.getRegistration().then((r) => r && r.scope));
    t.check('from /course/ae-lab/ the page starts and its worker controls it, scoped to the sub-path',
            controlled && scope === sub.url, `scope ${scope}`);
    await page.goto(sub.url + '?lesson=mnist-2d-code');
    await page.waitForFunction(() => window.aelab && (window.aelab.ready || window.aelab.error), null, { timeout: 90000 });
    await page.waitForFunction(() => window.aelab.state().mnist.status === 2 || window.aelab.state().mnist.status === 3, null, { timeout: 60000 }).catch(() => {});
    const s = await page.evaluate(() => window.aelab.state());
    t.check('an MNIST lesson loads its digits there', s.mnist.status === 2, `status ${s.mnist.status}`);
    await page.screenshot({ path: path.join(out, 'static-host.png') });
    const bad = responses.filter((r) => !/^[23]\d\d /.test(r));
    t.check('no request gets a 404 (or any error status), the worker\'s included', responses.length >= 8 && bad.length === 0 && failed.length === 0,
            bad.concat(failed).slice(0, 5).join(' | ') || `${responses.length} responses, all 2xx/3xx`);
    t.check('every request stays under the sub-path', responses.every((r) => r.split(' ')[1].startsWith(sub.url) || /^(data|blob):/.test(r.split(' ')[1])),
            responses.filter((r) => !r.split(' ')[1].startsWith(sub.url)).slice(0, 3).join(' | ') || 'all under ' + sub.url);
    t.check('no console errors', errors.length === 0, errors.slice(0, 4).join(' | '));
    await context.close();
  }

  // ---- 3. serve.mjs --lan ---------------------------------------------------------------------
  // Starts serve.mjs with `args` (under `prefixCommand`, e.g. unshare -n) and resolves its output
  // up to the URL line, and the URL.
  const startCli = (cliArgs, prefixCommand = []) => new Promise((resolve) => {
    const argv = [...prefixCommand, process.execPath, path.join(repo, 'web/serve.mjs'), '--root', root, '--port', '0', ...cliArgs];
    const child = spawn(argv[0], argv.slice(1), { stdio: ['ignore', 'pipe', 'pipe'] });
    let text = '';
    const done = (url) => { clearTimeout(timer); resolve({ child, text, url }); };
    const timer = setTimeout(() => done(null), 10000);
    const onData = (d) => {
      text += d;
      const m = text.match(/served at (http:\/\/[\d.]+:\d+\/)/);
      if (m && /\n\n/.test(text.slice(text.indexOf(m[1])))) done(m[1]);
    };
    child.stdout.on('data', onData);
    child.stderr.on('data', onData);
    child.on('exit', () => done(null));
  });
  {
    const lan = lanAddress();
    const { child, text, url } = await startCli(['--lan', '--qr']);
    const host = url && new URL(url).hostname;
    let r = { status: 0 };
    if (url) r = await request(url + 'index.html').catch((e) => ({ status: e.message }));
    const hasQr = spawnSync('qrencode', ['--version']).error === undefined;
    t.check(`--lan serves on ${lan ? 'the network address ' + lan : '127.0.0.1 (this machine has no network address), saying so'} and answers there`,
            url && r.status === 200 && (lan ? host === lan : host === '127.0.0.1' && /no network address/.test(text)), `${url} → ${r.status}`);
    t.check(`--lan prints the URL ${hasQr ? 'and its QR code' : '(qrencode missing: no QR code, no failure)'}`,
            hasQr ? /[█▀▄]{5,}/.test(text) : /install the Debian package qrencode/.test(text), `${text.split('\n').length} lines`);
    child.kill('SIGTERM');
  }
  if (spawnSync('unshare', ['-n', 'true']).status === 0) {
    const { child, text, url } = await startCli(['--lan', '--qr'], ['unshare', '-n']);
    t.check('with no network at all, --lan falls back to 127.0.0.1 and says why',
            url && new URL(url).hostname === '127.0.0.1' && /no network address other than loopback/.test(text) && !/[█▀▄]{5,}/.test(text),
            text.trim().split('\n')[0]);
    child.kill('SIGTERM');
  } else {
    console.log('  (skipped: the no-network fallback needs `unshare -n`, which this machine does not allow)');
  }
} catch (e) {
  t.check('no exception', false, e.stack || String(e));
} finally {
  if (browser) await browser.close();
  for (const s of servers) s.close();
  fs.rmSync(tmp, { recursive: true, force: true });
}
process.exit(t.finish());
