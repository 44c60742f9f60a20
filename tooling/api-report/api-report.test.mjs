// After tRPC's and api-extractor's habit: the exported names of every published package are
// committed in its API.md, and this test fails when the code and the report disagree — so a new,
// removed or retyped export is a visible line in review, never an accident.
import { existsSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { buildReports } from './exports.mjs';

const root = path.resolve(import.meta.dirname, '../..');
const reports = buildReports(root);

describe('API report', () => {
  it('covers every published package', () => {
    expect(reports.size).toBeGreaterThanOrEqual(9);
  });

  it.each([...reports.keys()].map((dir) => [path.relative(root, dir), dir]))('%s/API.md matches the exports (run `pnpm api:report` to update)', (_name, dir) => {
    const file = path.join(dir, 'API.md');
    expect(existsSync(file) ? readFileSync(file, 'utf8') : '(missing)').toBe(reports.get(dir));
  });
});
