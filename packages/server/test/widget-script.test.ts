import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createHarness, type Harness } from './harness.js';

let dir: string;
let scriptPath: string;
let h: Harness;
let unbuilt: Harness;

beforeAll(async () => {
  dir = await mkdtemp(path.join(tmpdir(), 'gomomo-widget-'));
  scriptPath = path.join(dir, 'widget.js');
  await writeFile(scriptPath, 'window.gomomo=function(){};/* v1 */');
  h = await createHarness({ widgetScriptPath: scriptPath });
  unbuilt = await createHarness({ widgetScriptPath: path.join(dir, 'missing', 'widget.js') });
});
afterAll(async () => {
  await Promise.all([h.close(), unbuilt.close()]);
  await rm(dir, { recursive: true, force: true });
});

describe('GET /widget.js', () => {
  it('serves the bundle as JavaScript with a short cache and an ETag', async () => {
    const response = await h.app.inject({ method: 'GET', url: '/widget.js' });
    expect(response.statusCode).toBe(200);
    expect(response.headers['content-type']).toBe('text/javascript; charset=utf-8');
    expect(response.headers['cache-control']).toBe('public, max-age=300, must-revalidate');
    expect(response.headers.etag).toMatch(/^"[\w-]{27}"$/);
    expect(response.body).toBe('window.gomomo=function(){};/* v1 */');
  });

  it('answers 304 to a matching If-None-Match, and serves a rebuilt file under a new ETag', async () => {
    const first = await h.app.inject({ method: 'GET', url: '/widget.js' });
    const etag = String(first.headers.etag);
    const again = await h.app.inject({ method: 'GET', url: '/widget.js', headers: { 'if-none-match': etag } });
    expect(again.statusCode).toBe(304);
    expect(again.body).toBe('');

    await writeFile(scriptPath, 'window.gomomo=function(){};/* v2, longer */');
    const rebuilt = await h.app.inject({ method: 'GET', url: '/widget.js', headers: { 'if-none-match': etag } });
    expect(rebuilt.statusCode).toBe(200);
    expect(rebuilt.body).toContain('v2');
    expect(rebuilt.headers.etag).not.toBe(etag);
  });

  it('needs no key and no allowed origin: any page may load the script', async () => {
    const response = await h.app.inject({ method: 'GET', url: '/widget.js', headers: { origin: 'https://unknown.example' } });
    expect(response.statusCode).toBe(200);
  });

  it('says "run pnpm build" in a 503 JavaScript body when the bundle is missing', async () => {
    const response = await unbuilt.app.inject({ method: 'GET', url: '/widget.js' });
    expect(response.statusCode).toBe(503);
    expect(response.headers['content-type']).toBe('text/javascript; charset=utf-8');
    expect(response.body).toMatch(/^console\.error\(".*not built.*run \\"pnpm build\\""\);/);
  });

  it('has no route when no widgetScriptPath is given', async () => {
    const plain = await createHarness();
    try {
      expect((await plain.app.inject({ method: 'GET', url: '/widget.js' })).statusCode).toBe(404);
    } finally {
      await plain.close();
    }
  });
});
