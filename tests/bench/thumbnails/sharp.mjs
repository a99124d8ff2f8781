// Thumbnails files with sharp (libvips) the way AWS's serverless image
// handler does, printing the same columns as functions/thumbnail/thumbbench.
//
//   node sharp.mjs [-n RUNS] [-sizes 1024,512,128] [-quality 80] FILE...
import { readFileSync } from 'node:fs';
import { performance } from 'node:perf_hooks';
import { createRequire } from 'node:module';

const sharp = createRequire(import.meta.url)('sharp');
sharp.concurrency(1); // one libvips worker thread: the comparison is on one core
sharp.cache(false); // no reuse of decoded images between runs

const args = process.argv.slice(2);
let runs = 1, sizes = [1024, 512, 128], quality = 80;
const files = [];
for (let i = 0; i < args.length; i++) {
  if (args[i] === '-n') runs = Number(args[++i]);
  else if (args[i] === '-sizes') sizes = args[++i].split(',').map(Number);
  else if (args[i] === '-quality') quality = Number(args[++i]);
  else files.push(args[i]);
}

async function thumbnails(src) {
  const out = [];
  for (const s of sizes) {
    out.push(await sharp(src).rotate().resize(s, s, { fit: 'inside' }).jpeg({ quality }).toBuffer());
  }
  return out;
}

console.log('file\tsource\tms\tpeak_rss_mib\toutput_bytes');
for (const file of files) {
  const src = readFileSync(file);
  const meta = await sharp(src).metadata();
  let best = Infinity, outs = [];
  for (let r = 0; r < Math.max(1, runs); r++) {
    const start = performance.now();
    outs = await thumbnails(src);
    best = Math.min(best, performance.now() - start);
  }
  const total = outs.reduce((n, b) => n + b.length, 0);
  const rss = process.resourceUsage().maxRSS / 1024; // KiB -> MiB
  console.log(`${file}\t${meta.width}x${meta.height}\t${best.toFixed(1)}\t${rss.toFixed(1)}\t${total}`);
}
