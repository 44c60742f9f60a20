import { existsSync, readFileSync } from 'node:fs';
import { createTestDatabase, type TestDatabase } from '@gomomo/core/testing';
import type { FastifyInstance } from 'fastify';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildApp, widgetScriptPath } from '../src/app.js';
import { loadConfig } from '../src/config.js';
import { renderDemoPage } from '../src/demo-page.js';

const adminSecret = 'app-test-admin-secret-0123';
let db: TestDatabase;
let app: FastifyInstance;

beforeAll(async () => {
  db = await createTestDatabase();
  app = await buildApp(loadConfig({ DATABASE_URL: db.url, ADMIN_SECRET: adminSecret, LOG_LEVEL: 'silent', AUTONOMY_IN_API: 'false' }));
  await app.ready();
});
afterAll(async () => {
  await app?.close();
  await db?.drop();
});

describe('GET /widget.js', () => {
  it('serves @gomomo/widget\'s built bundle, or says to run pnpm build when it is not built', async () => {
    const response = await app.inject({ method: 'GET', url: '/widget.js' });
    expect(response.headers['content-type']).toBe('text/javascript; charset=utf-8');
    if (existsSync(widgetScriptPath)) {
      expect(response.statusCode).toBe(200);
      expect(response.body).toBe(readFileSync(widgetScriptPath, 'utf8'));
      expect(response.headers.etag).toBeTruthy();
    } else {
      expect(response.statusCode).toBe(503);
      expect(response.body).toContain('pnpm build');
    }
    expect(app.appInfo.isWidgetBuilt).toBe(existsSync(widgetScriptPath));
  });
});

describe('renderDemoPage', () => {
  const base = { publishableKey: 'pk_live_demo', tenantName: 'Demo Clinic', tenantSlug: 'demo-clinic', services: [{ name: 'Consultation', description: 'A first visit.' }] };

  it('embeds the widget through the inline snippet with the publishable key and the tenant', () => {
    const page = renderDemoPage({ ...base, isWidgetBuilt: true });
    expect(page).toContain('<h1>Demo Clinic</h1>');
    expect(page).toContain('"/widget.js",{"tenant":"demo-clinic","key":"pk_live_demo"}');
    expect(page).toContain('Consultation');
    expect(page).not.toContain('pnpm build');
  });

  it('says plainly when the widget is not built', () => {
    expect(renderDemoPage({ ...base, isWidgetBuilt: false })).toMatch(/not built yet.*pnpm build/s);
  });

  it('escapes the tenant\'s texts', () => {
    const page = renderDemoPage({ ...base, tenantName: '<script>x</script>', isWidgetBuilt: true });
    expect(page).not.toContain('<script>x</script>');
  });
});
