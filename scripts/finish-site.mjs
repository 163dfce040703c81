#!/usr/bin/env node
// finish-site.mjs — the last build step of the page's site folder (run by CMake after the link and
// the MNIST pack; also by hand on any copy of the site):
//   1. the service worker: web/sw.js copied into the site with VERSION, a hash of the content of
//      every file of the site, and the lists of files it caches (so a new build is a new cache);
//   2. precompressed copies: FILE.br (brotli, quality 11) and FILE.gz (gzip -9) next to every file
//      that gets smaller by it, for web/serve.mjs (and any static host that serves them) to send.
//      A copy is remade only when its original is newer, so a rebuild recompresses what changed.
//   node scripts/finish-site.mjs --site build/web/site [--sw web/sw.js] [--quiet]
import fs from 'node:fs';
import path from 'node:path';
import zlib from 'node:zlib';
import crypto from 'node:crypto';
import os from 'node:os';
import { fileURLToPath } from 'node:url';

const args = process.argv.slice(2);
const get = (name, fallback) => { const i = args.indexOf(name); return i >= 0 && args[i + 1] ? args[i + 1] : fallback; };
const here = path.dirname(fileURLToPath(import.meta.url));
const site = get('--site');
const swSource = get('--sw', path.join(here, '..', 'web', 'sw.js'));
const quiet = args.includes('--quiet');
if (!site || !fs.existsSync(path.join(site, 'app.js'))) {
  console.error('usage: finish-site.mjs --site DIR [--sw web/sw.js]   (DIR: a built site folder, with app.js)');
  process.exit(2);
}
const log = (s) => { if (!quiet) console.log(s); };

// Every file of the site (but dot files), relative, with '/' separators, sorted.
function walk(dir, rel = '') {
  const out = [];
  for (const e of fs.readdirSync(path.join(dir, rel), { withFileTypes: true })) {
    if (e.name.startsWith('.')) continue;  // build-site.sh's marker, a host's .htaccess: not the page
    const r = rel ? rel + '/' + e.name : e.name;
    if (e.isDirectory()) out.push(...walk(dir, r));
    else if (e.isFile()) out.push(r);
  }
  return out.sort();
}
const isCopy = (f) => f.endsWith('.br') || f.endsWith('.gz');
// Not part of the page: the local server (kept in the build's site for scripts/serve.sh).
const NOT_PAGE = new Set(['serve.mjs']);

// ---- 1. the service worker ---------------------------------------------------------------------
const originals = walk(site).filter((f) => !isCopy(f) && f !== 'sw.js' && !NOT_PAGE.has(f));
const hash = crypto.createHash('sha256');
for (const f of originals) {
  hash.update(f + '\0');
  hash.update(fs.readFileSync(path.join(site, f)));
  hash.update('\0');
}
hash.update(fs.readFileSync(swSource));  // a changed worker is a new version too
const version = hash.digest('hex').slice(0, 16);
// Both builds of the app (app-mt.*: the pthreads build, with its worker script).
const precache = ['./', ...['app.js', 'app.wasm', 'app.data', 'app-mt.js', 'app-mt.wasm', 'app-mt.worker.js', 'app-mt.data']
                          .filter((f) => originals.includes(f)),
                  ...originals.filter((f) => /\.(png|svg|webmanifest)$/.test(f))];
const data = originals.filter((f) => f.startsWith('data/'));
let sw = fs.readFileSync(swSource, 'utf8');
const set = (name, value) => {
  const re = new RegExp(`^const ${name} = .*;(.*)$`, 'm');
  if (!re.test(sw)) throw new Error(`${swSource}: no line 'const ${name} = ...;' to fill in`);
  sw = sw.replace(re, (_, comment) => `const ${name} = ${JSON.stringify(value)};${comment}`);
};
set('VERSION', version);
set('PRECACHE', precache);
set('DATA', data);
const swFile = path.join(site, 'sw.js');
if (!fs.existsSync(swFile) || fs.readFileSync(swFile, 'utf8') !== sw) {
  fs.writeFileSync(swFile, sw);
  log(`service worker: sw.js, cache aelab-${version} (${precache.length} files up front, ${data.length} data files when first fetched)`);
}

// ---- 2. precompressed copies -------------------------------------------------------------------
const SKIP = /\.(png|jpe?g|gif|webp|woff2?|zip|br|gz)$/;  // already compressed
const promised = (f) => (buf, options) => new Promise((resolve, reject) => f(buf, options, (e, out) => (e ? reject(e) : resolve(out))));
const brotli = promised(zlib.brotliCompress), gzip = promised(zlib.gzip);
const encoders = {
  '.br': (buf) => brotli(buf, { params: {
    [zlib.constants.BROTLI_PARAM_QUALITY]: 11,
    [zlib.constants.BROTLI_PARAM_LGWIN]: 24,
    [zlib.constants.BROTLI_PARAM_SIZE_HINT]: buf.length,
    [zlib.constants.BROTLI_PARAM_MODE]: zlib.constants.BROTLI_MODE_GENERIC,
  } }),
  '.gz': (buf) => gzip(buf, { level: 9 }),
};
const all = walk(site);
// The copies to make. The encoders run on libuv's thread pool, as many at once as the machine has
// cores (brotli at quality 11 is most of this step's time), and identical files (app.data and
// app-mt.data hold the same fonts) are compressed once.
const jobs = [];
for (const f of all) {
  if (isCopy(f) || SKIP.test(f) || NOT_PAGE.has(f)) continue;
  const src = path.join(site, f);
  const st = fs.statSync(src);
  for (const ext of Object.keys(encoders)) {
    const out = src + ext;
    const ost = fs.existsSync(out) ? fs.statSync(out) : null;
    if (!ost || ost.mtimeMs < st.mtimeMs) jobs.push({ f, ext, src, out, had: !!ost, size: st.size });
  }
}
jobs.sort((a, b) => b.size - a.size);  // the largest first: it sets the time
const byContent = new Map();  // sha256 + ext → the promise of its compressed bytes
const compress = (buf, ext) => {
  const key = crypto.createHash('sha256').update(buf).digest('hex') + ext;
  if (!byContent.has(key)) byContent.set(key, encoders[ext](buf));
  return byContent.get(key);
};
let made = 0, next = 0;
async function worker() {
  while (next < jobs.length) {
    const { f, ext, src, out, had } = jobs[next++];
    const buf = fs.readFileSync(src);
    const packed = await compress(buf, ext);
    // Only copies that save something: a client gets the original otherwise.
    if (packed.length < buf.length * 0.97) { fs.writeFileSync(out, packed); ++made; log(`  ${f}${ext}: ${buf.length} → ${packed.length} bytes`); }
    else if (had) fs.rmSync(out);
  }
}
await Promise.all(Array.from({ length: Math.max(1, os.cpus().length) }, worker));
// Copies whose original is gone.
for (const f of all) if (isCopy(f) && !all.includes(f.slice(0, -3))) fs.rmSync(path.join(site, f));
log(`site ${site}: ${made ? made + ' compressed copies made' : 'compressed copies up to date'}`);
