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
const encoders = {
  '.br': (buf) => zlib.brotliCompressSync(buf, { params: {
    [zlib.constants.BROTLI_PARAM_QUALITY]: 11,
    [zlib.constants.BROTLI_PARAM_LGWIN]: 24,
    [zlib.constants.BROTLI_PARAM_SIZE_HINT]: buf.length,
    [zlib.constants.BROTLI_PARAM_MODE]: zlib.constants.BROTLI_MODE_GENERIC,
  } }),
  '.gz': (buf) => zlib.gzipSync(buf, { level: 9 }),
};
const all = walk(site);
let made = 0;
for (const f of all) {
  if (isCopy(f) || SKIP.test(f) || NOT_PAGE.has(f)) continue;
  const src = path.join(site, f);
  const st = fs.statSync(src);
  let buf = null;
  for (const [ext, encode] of Object.entries(encoders)) {
    const out = src + ext;
    const ost = fs.existsSync(out) ? fs.statSync(out) : null;
    if (ost && ost.mtimeMs >= st.mtimeMs) continue;
    buf ??= fs.readFileSync(src);
    const packed = encode(buf);
    // Only copies that save something: a client gets the original otherwise.
    if (packed.length < buf.length * 0.97) { fs.writeFileSync(out, packed); ++made; log(`  ${f}${ext}: ${buf.length} → ${packed.length} bytes`); }
    else if (ost) fs.rmSync(out);
  }
}
// Copies whose original is gone.
for (const f of all) if (isCopy(f) && !all.includes(f.slice(0, -3))) fs.rmSync(path.join(site, f));
log(`site ${site}: ${made ? made + ' compressed copies made' : 'compressed copies up to date'}`);
