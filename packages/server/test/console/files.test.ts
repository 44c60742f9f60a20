import { mkdtemp, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createHarness, type Harness } from '../harness.js';

let h: Harness;
let missing: Harness;

beforeAll(async () => {
  const dir = await mkdtemp(path.join(tmpdir(), 'gomomo-console-files-'));
  await writeFile(path.join(dir, 'index.html'), '<!doctype html><title>console</title>');
  await writeFile(path.join(dir, 'console.js'), 'console.log("console")');
  await writeFile(path.join(dir, 'console.css'), 'body{}');
  h = await createHarness({ consoleDir: dir });
  missing = await createHarness({ consoleDir: path.join(dir, 'nowhere') });
});
afterAll(async () => {
  await h.close();
  await missing.close();
});

describe('the console files', () => {
  it('serves the page under /console with a CSP that allows only its own script, style and API', async () => {
    const page = await h.app.inject({ method: 'GET', url: '/console' });
    expect(page.statusCode).toBe(200);
    expect(page.headers['content-type']).toContain('text/html');
    expect(page.headers['content-security-policy']).toBe(
      "default-src 'none'; script-src 'self'; style-src 'self'; connect-src 'self'; img-src 'self' data:; base-uri 'none'; form-action 'self'; frame-ancestors 'none'",
    );
    const script = await h.app.inject({ method: 'GET', url: '/console/console.js' });
    expect(script.headers['content-type']).toContain('text/javascript');
    const again = await h.app.inject({ method: 'GET', url: '/console/console.js', headers: { 'if-none-match': String(script.headers.etag) } });
    expect(again.statusCode).toBe(304);
  });

  it('serves nothing else from the folder, and the console script only under /console', async () => {
    expect((await h.app.inject({ method: 'GET', url: '/console/../package.json' })).statusCode).toBe(404);
    expect((await h.app.inject({ method: 'GET', url: '/console.js' })).statusCode).toBe(404);
  });

  it('answers 503 with what to run when the console is not built', async () => {
    const page = await missing.app.inject({ method: 'GET', url: '/console' });
    expect(page.statusCode).toBe(503);
    expect(page.body).toContain('pnpm build');
  });
});
