#!/usr/bin/env node
// `npm run bench`: runs every bench/*.bench.ts in turn; each prints its own figures.
import { spawnSync } from 'node:child_process';
import { readdirSync } from 'node:fs';

const dir = new URL('.', import.meta.url).pathname;
const only = process.argv[2];
let status = 0;
for (const f of readdirSync(dir).filter((n) => n.endsWith('.bench.ts')).sort()) {
  if (only && !f.includes(only)) continue;
  console.log(`\n### ${f}`);
  const r = spawnSync('node', ['--import', 'tsx', dir + f], { stdio: 'inherit' });
  if (r.status !== 0) status = 1;
}
process.exit(status);
