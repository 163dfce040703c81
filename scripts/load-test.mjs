#!/usr/bin/env node
// load-test.mjs — a class of N students opening the page at once, against web/serve.mjs on
// loopback: N concurrent clients each fetch the whole page as a browser does (index.html; then
// app.js, app.wasm and app.data together; then the MNIST pack data/*, together), with
// Accept-Encoding: br, gzip and six connections each. The server runs in a child process so that
// its memory (RSS, from /proc) can be sampled before, during and after.
//
//   node scripts/load-test.mjs [--root build/web/site] [--clients 100] [--no-compress] [--verify-all] [--json]
//
// Checks: every response is 200; its Content-Length equals the bytes received; its Content-Encoding
// is the one offered and present; the body is byte-for-byte the file served (the precompressed
// copy's SHA-256), and each copy decompresses to its original (once per file; with --verify-all,
// every response is decompressed and compared, as the ctest version does). Exit status 1 if
// anything failed.
import http from 'node:http';
import fs from 'node:fs';
import path from 'node:path';
import zlib from 'node:zlib';
import crypto from 'node:crypto';
import { spawn } from 'node:child_process';
import { fileURLToPath } from 'node:url';

const args = process.argv.slice(2);
const get = (name, fallback) => { const i = args.indexOf(name); return i >= 0 && args[i + 1] ? args[i + 1] : fallback; };
const here = path.dirname(fileURLToPath(import.meta.url));
const root = path.resolve(get('--root', path.join(here, '..', 'build', 'web', 'site')));
const clients = Number(get('--clients', 100));
const compress = !args.includes('--no-compress');
const verifyAll = args.includes('--verify-all');
const asJson = args.includes('--json');
const serveScript = fs.existsSync(path.join(here, '..', 'web', 'serve.mjs')) ? path.join(here, '..', 'web', 'serve.mjs') : path.join(root, 'serve.mjs');

const PAGE = ['index.html'], APP = ['app.js', 'app.wasm', 'app.data'];
const DATA = fs.existsSync(path.join(root, 'data')) ? fs.readdirSync(path.join(root, 'data')).filter((f) => !/\.(br|gz)$/.test(f)).sort().map((f) => 'data/' + f) : [];
for (const f of [...PAGE, ...APP]) if (!fs.existsSync(path.join(root, f))) { console.error(`load-test: ${root} has no ${f}; build the web preset first`); process.exit(2); }
if (!DATA.length) { console.error(`load-test: ${root} has no data/ (the MNIST pack)`); process.exit(2); }

const sha = (buf) => crypto.createHash('sha256').update(buf).digest('hex');
const decode = { br: zlib.brotliDecompressSync, gzip: zlib.gunzipSync };

// What each file should arrive as: the original, or its .br copy (what serve.mjs picks for "br, gzip").
const expected = {};
const problems = [];
for (const f of [...PAGE, ...APP, ...DATA]) {
  const original = fs.readFileSync(path.join(root, f));
  const e = { size: original.length, sha: sha(original), encoding: null, wireSize: original.length, wireSha: null };
  e.wireSha = e.sha;
  if (compress) {
    for (const [name, ext] of [['br', '.br'], ['gzip', '.gz']]) {
      const p = path.join(root, f + ext);
      if (!fs.existsSync(p) || fs.statSync(p).mtimeMs < fs.statSync(path.join(root, f)).mtimeMs) continue;
      const copy = fs.readFileSync(p);
      if (sha(decode[name](copy)) !== e.sha) problems.push(`${f}${ext} does not decompress to ${f}`);
      if (!e.encoding) Object.assign(e, { encoding: name, wireSize: copy.length, wireSha: sha(copy) });
    }
  }
  expected[f] = e;
}

// ---- the server, in a child process ---------------------------------------------------------
const child = spawn(process.execPath, [serveScript, '--root', root, '--port', '0', ...(compress ? [] : ['--no-compress'])],
                    { stdio: ['ignore', 'pipe', 'inherit'] });
const url = await new Promise((resolve, reject) => {
  let out = '';
  child.stdout.on('data', (d) => { out += d; const m = out.match(/served at (http:\/\/127\.0\.0\.1:\d+\/)/); if (m) resolve(m[1]); });
  child.on('exit', (code) => reject(new Error(`serve.mjs exited (${code}): ${out}`)));
  setTimeout(() => reject(new Error('serve.mjs did not start in 10 s')), 10000);
});
const rss = () => {
  try { return Number(/VmRSS:\s+(\d+) kB/.exec(fs.readFileSync(`/proc/${child.pid}/status`, 'utf8'))[1]) * 1024; } catch { return NaN; }
};
const sleep = (ms) => new Promise((r) => setTimeout(r, ms));
await sleep(300);
const rssBefore = rss();
let rssPeak = rssBefore;
const sampler = setInterval(() => { const r = rss(); if (r > rssPeak) rssPeak = r; }, 10);

// ---- the clients ----------------------------------------------------------------------------
let bytesTotal = 0, requests = 0;
function fetchOne(agent, f) {
  return new Promise((resolve) => {
    const req = http.get(url + f, { agent, headers: { 'accept-encoding': 'br, gzip' } }, (res) => {
      const chunks = [];
      let n = 0;
      res.on('data', (c) => { chunks.push(c); n += c.length; });
      res.on('end', () => {
        ++requests; bytesTotal += n;
        const e = expected[f];
        const body = Buffer.concat(chunks, n);
        const enc = res.headers['content-encoding'] || null;
        if (res.statusCode !== 200) problems.push(`${f}: HTTP ${res.statusCode}`);
        else if (Number(res.headers['content-length']) !== n) problems.push(`${f}: Content-Length ${res.headers['content-length']}, ${n} bytes received`);
        else if (enc !== e.encoding) problems.push(`${f}: Content-Encoding ${enc}, expected ${e.encoding}`);
        else if (n !== e.wireSize || sha(body) !== e.wireSha) problems.push(`${f}: the bytes differ from the file served`);
        else if (verifyAll && sha(enc ? decode[enc](body) : body) !== e.sha) problems.push(`${f}: decompressed, it is not the file`);
        resolve();
      });
      res.on('error', (err) => { problems.push(`${f}: ${err.message}`); resolve(); });
    });
    req.on('error', (err) => { problems.push(`${f}: ${err.message}`); resolve(); });
  });
}
async function client() {
  const agent = new http.Agent({ keepAlive: true, maxSockets: 6 });  // a browser's six connections
  const t0 = performance.now();
  await fetchOne(agent, 'index.html');
  await Promise.all(APP.map((f) => fetchOne(agent, f)));
  const tApp = performance.now() - t0;
  await Promise.all(DATA.map((f) => fetchOne(agent, f)));
  agent.destroy();
  return { app: tApp, all: performance.now() - t0 };
}
const t0 = performance.now();
const times = await Promise.all(Array.from({ length: clients }, client));
const total = performance.now() - t0;
clearInterval(sampler);
await sleep(1000);
const rssAfter = rss();
child.kill('SIGTERM');

// ---- report ---------------------------------------------------------------------------------
const stat = (xs) => { const s = [...xs].sort((a, b) => a - b); return { median: s[Math.floor(s.length / 2)], max: s[s.length - 1] }; };
const app = stat(times.map((t) => t.app)), all = stat(times.map((t) => t.all));
const perClient = [...PAGE, ...APP, ...DATA].reduce((a, f) => a + expected[f].wireSize, 0);
const perClientOriginal = [...PAGE, ...APP, ...DATA].reduce((a, f) => a + expected[f].size, 0);
const MB = (b) => (b / 1e6).toFixed(2) + ' MB';
const result = {
  clients, compress, files_per_client: 1 + APP.length + DATA.length, requests,
  total_ms: Math.round(total), page_ms: { median: Math.round(app.median), max: Math.round(app.max) },
  page_and_mnist_ms: { median: Math.round(all.median), max: Math.round(all.max) },
  bytes_total: bytesTotal, bytes_per_client: perClient, bytes_per_client_uncompressed: perClientOriginal,
  server_rss: { before: rssBefore, peak: rssPeak, after: rssAfter }, failures: problems.length, problems: problems.slice(0, 10),
};
if (asJson) console.log(JSON.stringify(result, null, 1));
else {
  console.log(`load test: ${clients} clients at once on ${url} (${compress ? 'precompressed, Accept-Encoding: br, gzip' : 'no compression'})`);
  console.log(`  each: index.html, app.js + app.wasm + app.data, then ${DATA.length} MNIST files: ${MB(perClient)} (${MB(perClientOriginal)} uncompressed)`);
  console.log(`  all ${clients} clients had everything after ${(total / 1000).toFixed(2)} s; ${requests} requests, ${MB(bytesTotal)} sent`);
  console.log(`  per client, page (to app.data): median ${(app.median / 1000).toFixed(2)} s, max ${(app.max / 1000).toFixed(2)} s`);
  console.log(`  per client, page + MNIST:       median ${(all.median / 1000).toFixed(2)} s, max ${(all.max / 1000).toFixed(2)} s`);
  console.log(`  server RSS: before ${MB(rssBefore)}, peak ${MB(rssPeak)}, after ${MB(rssAfter)}`);
  console.log(problems.length ? `  FAILED: ${problems.length} problems: ${problems.slice(0, 5).join(' | ')}` : `  ok: every response 200, every byte count and every byte right`);
}
const expectedRequests = clients * (1 + APP.length + DATA.length);
if (requests !== expectedRequests && !problems.length) problems.push(`${requests} of ${expectedRequests} requests answered`);
process.exit(problems.length ? 1 : 0);
