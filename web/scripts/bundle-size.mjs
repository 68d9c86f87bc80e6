// After `vite build`: the gzipped size of the JavaScript the sign-in page
// loads at first — the entry chunk, the sign-in route module, and every chunk
// they import statically — printed, and a failure above the budget.
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { gzipSync } from 'node:zlib';

const BUDGET = 200 * 1024;
const dist = new URL('../dist/', import.meta.url).pathname;
const manifest = JSON.parse(readFileSync(join(dist, '.vite/manifest.json'), 'utf8'));

const seen = new Set();
function collect(key) {
  if (seen.has(key)) return;
  const chunk = manifest[key];
  if (!chunk) throw new Error(`manifest has no ${key}`);
  seen.add(key);
  for (const imported of chunk.imports ?? []) collect(imported);
}
const entry = Object.keys(manifest).find((k) => manifest[k].isEntry);
collect(entry);
collect('src/routes/sign-in.tsx');

let total = 0;
const rows = [];
for (const key of seen) {
  const file = manifest[key].file;
  if (!file.endsWith('.js')) continue;
  const size = gzipSync(readFileSync(join(dist, file)), { level: 9 }).length;
  total += size;
  rows.push(`  ${file.padEnd(44)} ${(size / 1024).toFixed(1).padStart(7)} KB`);
}
console.log('initial JavaScript of the sign-in page (gzipped):');
console.log(rows.join('\n'));
console.log(`  ${'total'.padEnd(44)} ${(total / 1024).toFixed(1).padStart(7)} KB (budget ${BUDGET / 1024} KB)`);
if (total > BUDGET) {
  console.error(`bundle-size: ${(total / 1024).toFixed(1)} KB is over the ${BUDGET / 1024} KB budget`);
  process.exit(1);
}
