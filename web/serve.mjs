#!/usr/bin/env node
// serve.mjs — a small static file server for the built page, on 127.0.0.1 only.
//   node serve.mjs [--root DIR] [--port N]     (default: this file's folder, port 8080 or the next free one)
// Also imported by the browser tests (startServer).
import http from 'node:http';
import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const TYPES = {
  '.html': 'text/html; charset=utf-8', '.js': 'text/javascript; charset=utf-8', '.mjs': 'text/javascript; charset=utf-8',
  '.wasm': 'application/wasm', '.data': 'application/octet-stream', '.json': 'application/json',
  '.png': 'image/png', '.svg': 'image/svg+xml', '.css': 'text/css; charset=utf-8', '.ttf': 'font/ttf',
};

// `prefix` serves the page under a sub-path ("/course/ae-lab/"), as a static host would; the URL
// returned includes it. Everything outside the prefix is 404.
export function startServer(root, port = 8080, { tries = 20, prefix = '/' } = {}) {
  root = path.resolve(root);
  const server = http.createServer((req, res) => {
    let urlPath;
    try { urlPath = decodeURIComponent(new URL(req.url, 'http://localhost').pathname); } catch { urlPath = '/'; }
    if (!urlPath.startsWith(prefix)) { res.writeHead(404, { 'content-type': 'text/plain' }).end('not found'); return; }
    urlPath = '/' + urlPath.slice(prefix.length);
    if (urlPath.endsWith('/')) urlPath += 'index.html';
    const file = path.join(root, path.normalize(urlPath));
    if (!file.startsWith(root + path.sep)) { res.writeHead(403).end('forbidden'); return; }
    fs.stat(file, (err, st) => {
      if (err || !st.isFile()) { res.writeHead(404, { 'content-type': 'text/plain' }).end('not found'); return; }
      res.writeHead(200, {
        'content-type': TYPES[path.extname(file)] || 'application/octet-stream',
        'content-length': st.size,
        'cache-control': 'no-cache',
      });
      fs.createReadStream(file).pipe(res);
    });
  });
  return new Promise((resolve, reject) => {
    let attempt = 0;
    const listen = (p) => server.listen(p, '127.0.0.1');
    server.on('error', (err) => {
      if (err.code === 'EADDRINUSE' && port !== 0 && ++attempt < tries) listen(port + attempt);
      else reject(err);
    });
    server.on('listening', () => resolve({ server, url: `http://127.0.0.1:${server.address().port}${prefix}` }));
    listen(port);
  });
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
  const { url } = await startServer(root, port);
  console.log(`\nAE Lab is served at ${url}  (open it in a browser; Ctrl-C stops the server)\n`);
  process.on('SIGINT', () => { console.log('\nstopped'); process.exit(0); });
}
