#!/usr/bin/env node
// `pnpm api:report`: rewrites each published package's API.md from its entry points. Commit the
// result with the change that caused it, so review shows every change to a public surface.
import { writeFileSync } from 'node:fs';
import path from 'node:path';
import { buildReports } from './exports.mjs';

const root = path.resolve(import.meta.dirname, '../..');
for (const [dir, text] of buildReports(root)) {
  writeFileSync(path.join(dir, 'API.md'), text);
  console.log(`wrote ${path.relative(root, path.join(dir, 'API.md'))}`);
}
