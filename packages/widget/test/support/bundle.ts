import { mkdtemp } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { buildWidgetBundle } from '../../scripts/bundle.js';

/** Builds widget.js from source for this test run, so the tests never depend on a stale dist/. */
export async function buildTestBundle(): Promise<string> {
  const outfile = path.join(await mkdtemp(path.join(tmpdir(), 'gomomo-widget-')), 'widget.js');
  await buildWidgetBundle({ outfile });
  return outfile;
}
