// Issue 11 item 8: no package's sources import themselves in a circle, not even through types
// (the agent's executor/types ↔ policy/gate and core's engine ↔ booking operations were two).
import { mkdtempSync, mkdirSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { findCycles, listPackageSources, readImportGraph } from './find-cycles.mjs';

const root = path.resolve(import.meta.dirname, '../..');
const sources = listPackageSources(root);

function describeCycles(src) {
  return findCycles(readImportGraph(src)).map((files) => files.map((file) => path.relative(src, file)).join(' ↔ '));
}

describe('import cycles', () => {
  it('finds the package sources', () => {
    expect(sources.map((src) => path.relative(root, src))).toEqual(expect.arrayContaining(['packages/agent/src', 'packages/core/src']));
  });

  it.each(sources.map((src) => [path.relative(root, src), src]))('%s has no import cycle', (_name, src) => {
    expect(describeCycles(src)).toEqual([]);
  });

  it('regression: type-only import circles (executor/types ↔ policy/gate; engine ↔ the booking operations)', () => {
    // The check itself: a circle through `import type`, spread over lines and through an index, is found.
    const scratch = mkdtempSync(path.join(tmpdir(), 'cycles-'));
    afterAll(() => rmSync(scratch, { recursive: true, force: true }));
    mkdirSync(path.join(scratch, 'policy'));
    mkdirSync(path.join(scratch, 'executor'));
    writeFileSync(path.join(scratch, 'policy', 'gate.ts'), "import type {\n  ToolScope,\n} from '../executor/types.js';\nexport interface PendingAudit { scope: ToolScope }\n");
    writeFileSync(path.join(scratch, 'executor', 'types.ts'), "import type { PendingAudit } from '../policy/index.js';\nexport interface ToolScope { audits: PendingAudit[] }\n");
    writeFileSync(path.join(scratch, 'policy', 'index.ts'), "export type { PendingAudit } from './gate.js';\n");
    writeFileSync(path.join(scratch, 'leaf.ts'), "// import type { ToolScope } from './executor/types.js';\nexport const leaf = 1;\n");
    expect(describeCycles(scratch)).toEqual(['executor/types.ts ↔ policy/gate.ts ↔ policy/index.ts']);
  });
});
