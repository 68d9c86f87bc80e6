// Fails when src/api/schema.d.ts differs from what openapi-typescript makes of
// ../openapi.yaml (run `npm run gen:api` and commit the result).
import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

const web = new URL('..', import.meta.url).pathname;
const dir = mkdtempSync(join(tmpdir(), 'crepo-api-'));
const fresh = join(dir, 'schema.d.ts');
try {
  execFileSync(join(web, 'node_modules/.bin/openapi-typescript'), ['../openapi.yaml', '-o', fresh], { cwd: web, stdio: ['ignore', 'ignore', 'inherit'] });
  const committed = readFileSync(join(web, 'src/api/schema.d.ts'), 'utf8');
  if (readFileSync(fresh, 'utf8') !== committed) {
    try {
      execFileSync('diff', ['-u', join(web, 'src/api/schema.d.ts'), fresh], { stdio: 'inherit' });
    } catch {
      // diff exits 1 on differences: its output is the point
    }
    console.error('check:api: src/api/schema.d.ts is stale — run `npm run gen:api` (or `make openapi`) and commit it');
    process.exit(1);
  }
  console.log('check:api: src/api/schema.d.ts matches openapi.yaml');
} finally {
  rmSync(dir, { recursive: true, force: true });
}
