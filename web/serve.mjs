#!/usr/bin/env node
// serve.mjs — a small static file server for the built page: on 127.0.0.1, or with --lan on this
// machine's network address so that a class can open the lecturer's laptop.
//   node serve.mjs [--root DIR] [--port N] [--lan] [--qr] [--no-compress] [--no-isolation]
//     --root DIR       the site folder (default: this file's folder)
//     --port N         port 8080 (or $PORT), or the next free one
//     --lan            listen on the first non-loopback IPv4 address (falls back to 127.0.0.1, saying why)
//     --qr             with --lan, also print the URL as a QR code (Debian package qrencode; skipped when missing)
//     --no-compress    never send the precompressed copies (how the page was served before issue 12)
//     --no-isolation   without the COOP/COEP headers: the page then trains in a slice of each frame
// Also imported by the browser tests and scripts (startServer, lanAddress).
//
// Compression: the build writes app.wasm.br / app.wasm.gz etc. next to each file (scripts/
// precompress.mjs). A request whose Accept-Encoding allows br (or gzip) gets that copy with
// Content-Encoding, the original's Content-Type, the copy's Content-Length and Vary:
// Accept-Encoding; nothing is compressed per request, so a class of 100 costs no CPU. A copy older
// than its original (someone edited the site by hand) is ignored.
// Caching: Cache-Control no-cache with an ETag, so a browser (and the service worker's install)
// revalidates with If-None-Match and gets 304 instead of the bytes again.
// Isolation: every response says Cross-Origin-Opener-Policy: same-origin and
// Cross-Origin-Embedder-Policy: require-corp, which make the page cross-origin isolated where the
// browser trusts its origin (https://, or 127.0.0.1 / localhost): it then has shared memory and
// runs app-mt.js, training on a thread of its own (web/index.html). Over http:// on a LAN address
// the browser ignores them and the page runs app.js. The page loads nothing from other origins, so
// the headers cost it nothing.
import http from 'node:http';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { spawnSync } from 'node:child_process';
import { fileURLToPath } from 'node:url';

const TYPES = {
  '.html': 'text/html; charset=utf-8', '.js': 'text/javascript; charset=utf-8', '.mjs': 'text/javascript; charset=utf-8',
  '.wasm': 'application/wasm', '.data': 'application/octet-stream', '.json': 'application/json',
  '.webmanifest': 'application/manifest+json',
  '.png': 'image/png', '.svg': 'image/svg+xml', '.css': 'text/css; charset=utf-8', '.ttf': 'font/ttf',
};

// Which encodings a request accepts, from its Accept-Encoding ("br;q=1.0, gzip;q=0.8, *;q=0.1").
function accepted(header) {
  const ok = new Set();
  for (const part of String(header || '').split(',')) {
    const [name, ...params] = part.trim().toLowerCase().split(';');
    const q = params.map((p) => p.trim()).find((p) => p.startsWith('q='));
    if (name && !(q && Number(q.slice(2)) === 0)) ok.add(name);
  }
  return ok;
}
const ENCODINGS = [['br', '.br'], ['gzip', '.gz']];

function statFile(file) {
  try { const st = fs.statSync(file); return st.isFile() ? st : null; } catch { return null; }
}

// The first non-loopback IPv4 address of this machine, or null (no network, or only loopback).
export function lanAddress() {
  for (const list of Object.values(os.networkInterfaces()))
    for (const a of list || [])
      if ((a.family === 'IPv4' || a.family === 4) && !a.internal) return a.address;
  return null;
}

// `prefix` serves the page under a sub-path ("/course/ae-lab/"), as a static host would; the URL
// returned includes it. Everything outside the prefix is 404. `host` is the address to listen on
// (127.0.0.1 unless told otherwise); `compress: false` never sends the precompressed copies;
// `isolate: false` leaves out the COOP/COEP headers.
export function startServer(root, port = 8080, { tries = 20, prefix = '/', host = '127.0.0.1', compress = true, isolate = true } = {}) {
  root = path.resolve(root);
  const server = http.createServer((req, res) => {
    if (req.method !== 'GET' && req.method !== 'HEAD') { res.writeHead(405, { allow: 'GET, HEAD' }).end(); return; }
    let urlPath;
    try { urlPath = decodeURIComponent(new URL(req.url, 'http://localhost').pathname); } catch { urlPath = '/'; }
    if (!urlPath.startsWith(prefix)) { res.writeHead(404, { 'content-type': 'text/plain' }).end('not found'); return; }
    urlPath = '/' + urlPath.slice(prefix.length);
    if (urlPath.endsWith('/')) urlPath += 'index.html';
    const file = path.join(root, path.normalize(urlPath));
    if (!file.startsWith(root + path.sep)) { res.writeHead(403).end('forbidden'); return; }
    const st = statFile(file);
    if (!st) { res.writeHead(404, { 'content-type': 'text/plain' }).end('not found'); return; }
    // Pick the precompressed copy the client accepts, if there is a current one.
    let sendFile = file, sendSt = st, encoding = null, varies = false;
    if (compress) {
      const ok = accepted(req.headers['accept-encoding']);
      for (const [name, ext] of ENCODINGS) {
        const cst = statFile(file + ext);
        if (!cst || cst.mtimeMs < st.mtimeMs) continue;
        varies = true;
        if (!encoding && ok.has(name)) { encoding = name; sendFile = file + ext; sendSt = cst; }
      }
    }
    const etag = `"${sendSt.size.toString(16)}-${Math.floor(sendSt.mtimeMs).toString(16)}${encoding ? '-' + encoding : ''}"`;
    const headers = {
      'content-type': TYPES[path.extname(file)] || 'application/octet-stream',
      'cache-control': 'no-cache',
      etag,
    };
    if (isolate) {
      headers['cross-origin-opener-policy'] = 'same-origin';
      headers['cross-origin-embedder-policy'] = 'require-corp';
    }
    if (varies) headers.vary = 'Accept-Encoding';
    if (req.headers['if-none-match'] && req.headers['if-none-match'].split(',').some((t) => t.trim().replace(/^W\//, '') === etag)) {
      res.writeHead(304, headers).end();
      return;
    }
    if (encoding) headers['content-encoding'] = encoding;
    headers['content-length'] = sendSt.size;
    res.writeHead(200, headers);
    if (req.method === 'HEAD') { res.end(); return; }
    const stream = fs.createReadStream(sendFile);
    stream.on('error', () => res.destroy());
    stream.pipe(res);
  });
  return new Promise((resolve, reject) => {
    let attempt = 0;
    const listen = (p) => server.listen(p, host);
    server.on('error', (err) => {
      if (err.code === 'EADDRINUSE' && port !== 0 && ++attempt < tries) listen(port + attempt);
      else reject(err);
    });
    server.on('listening', () => resolve({ server, url: `http://${host}:${server.address().port}${prefix}` }));
    listen(port);
  });
}

// The URL as a QR code in the terminal (qrencode -t ANSIUTF8); false when qrencode is missing.
function printQr(url) {
  const r = spawnSync('qrencode', ['-t', 'ANSIUTF8', '-m', '2', url], { encoding: 'utf8' });
  if (r.error || r.status !== 0) return false;
  process.stdout.write(r.stdout);
  return true;
}

if (process.argv[1] && fileURLToPath(import.meta.url) === path.resolve(process.argv[1])) {
  const args = process.argv.slice(2);
  const get = (name, fallback) => { const i = args.indexOf(name); return i >= 0 && args[i + 1] ? args[i + 1] : fallback; };
  const root = get('--root', path.dirname(fileURLToPath(import.meta.url)));
  const port = Number(get('--port', process.env.PORT || 8080));
  if (!Number.isInteger(port) || port < 0 || port > 65535) { console.error(`serve: bad port '${port}'`); process.exit(2); }
  if (!fs.existsSync(path.join(root, 'app.js'))) {
    console.error(`serve: ${root} has no app.js; build the web preset first (scripts/serve.sh does both)`);
    process.exit(1);
  }
  let host = '127.0.0.1';
  if (args.includes('--lan')) {
    const lan = lanAddress();
    if (lan) host = lan;
    else console.log('serve: --lan: this machine has no network address other than loopback (no Wi-Fi or cable connected?),\n' +
                     '       so the page is served on 127.0.0.1 only, for this machine. Connect to the class\'s network and start again.');
  }
  const compress = !args.includes('--no-compress');
  const isolate = !args.includes('--no-isolation');
  const { url } = await startServer(root, port, { host, compress, isolate });
  console.log(`\nAE Lab is served at ${url}  (open it in a browser; Ctrl-C stops the server)`);
  if (host !== '127.0.0.1') {
    console.log('Students on the same network open this address; the page works offline only where it is served from');
    console.log('127.0.0.1 or HTTPS (browsers allow a service worker only there).');
    if (args.includes('--qr') && !printQr(url)) console.log('(install the Debian package qrencode to get a QR code of the address here)');
  }
  console.log('');
  process.on('SIGINT', () => { console.log('\nstopped'); process.exit(0); });
  process.on('SIGTERM', () => process.exit(0));
}
