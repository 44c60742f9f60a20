import { existsSync, readFileSync } from 'node:fs';
import { createTestDatabase, type TestDatabase } from '@gomomo/core/testing';
import type { FastifyInstance } from 'fastify';
import twilio from 'twilio';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildApp, widgetScriptPath } from '../src/app.js';
import { loadConfig } from '../src/config.js';
import { demoPageContentSecurityPolicy, renderDemoPage } from '../src/demo-page.js';

const adminSecret = 'app-test-admin-secret-0123';
const publicBaseUrl = 'https://gomomo.example';
const twilioToken = 'app-test-twilio-token';
let db: TestDatabase;
let app: FastifyInstance;

beforeAll(async () => {
  db = await createTestDatabase();
  app = await buildApp(
    loadConfig({
      DATABASE_URL: db.url,
      ADMIN_SECRET: adminSecret,
      LOG_LEVEL: 'silent',
      AUTONOMY_IN_API: 'false',
      PUBLIC_BASE_URL: publicBaseUrl,
      TWILIO_ACCOUNT_SID: `AC${'1'.repeat(32)}`,
      TWILIO_AUTH_TOKEN: twilioToken,
      TWILIO_FROM_NUMBER: '+12025550100',
      POSTMARK_WEBHOOK_USERNAME: 'postmark',
      POSTMARK_WEBHOOK_PASSWORD: 'postmark-password',
    }),
  );
  await app.ready();
});
afterAll(async () => {
  await app?.close();
  await db?.drop();
});

describe('regression: Fastify\'s own 414/431 answers are not in the gomomo error shape', () => {
  it('answers a too-long path segment with 414 in the one shape, with the security headers', async () => {
    const response = await app.inject({ method: 'GET', url: `/trpc/${'a'.repeat(300)}` });
    expect(response.statusCode).toBe(414);
    expect(response.json()).toMatchObject({ error: { code: 'BAD_REQUEST' } });
  });

  it('sends the browser-grade headers on the host\'s own answers too', async () => {
    const response = await app.inject({ method: 'GET', url: '/health' });
    expect(response.headers['x-content-type-options']).toBe('nosniff');
    expect(response.headers['content-security-policy']).toContain("frame-ancestors 'none'");
  });
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

  it('regression: no security headers on any page — every inline script carries the CSP nonce, no inline handlers', () => {
    const page = renderDemoPage({ ...base, isWidgetBuilt: true, nonce: 'n0nce' });
    const scripts = page.match(/<script[^>]*>/g) ?? [];
    expect(scripts.length).toBeGreaterThanOrEqual(2);
    for (const tag of scripts) expect(tag).toBe('<script nonce="n0nce">');
    expect(page).not.toMatch(/\son[a-z]+=/);
    const csp = demoPageContentSecurityPolicy('n0nce');
    expect(csp).toContain("script-src 'self' 'nonce-n0nce'");
    expect(csp).toContain("frame-ancestors 'none'");
    expect(csp).not.toContain("'unsafe-inline' 'nonce");
  });

  it('escapes the tenant\'s texts', () => {
    const page = renderDemoPage({ ...base, tenantName: '<script>x</script>', isWidgetBuilt: true });
    expect(page).not.toContain('<script>x</script>');
  });
});

describe('webhooks (mounted when TWILIO_AUTH_TOKEN and POSTMARK_WEBHOOK_* are set)', () => {
  const params = { MessageSid: `SM${'a'.repeat(32)}`, AccountSid: `AC${'1'.repeat(32)}`, From: '+12025550777', To: '+12025550199', Body: 'hello' };
  const post = (signature: string) =>
    app.inject({ method: 'POST', url: '/twilio/sms', headers: { 'content-type': 'application/x-www-form-urlencoded', 'x-twilio-signature': signature }, payload: new URLSearchParams(params).toString() });

  it('checks the Twilio signature against PUBLIC_BASE_URL + path: 403 when wrong, past it (404: no tenant has the number) when right', async () => {
    expect((await post(twilio.getExpectedTwilioSignature(twilioToken, 'http://localhost:3000/twilio/sms', params))).statusCode).toBe(403);
    const signed = await post(twilio.getExpectedTwilioSignature(twilioToken, `${publicBaseUrl}/twilio/sms`, params));
    expect(signed.statusCode).toBe(404);
    expect(signed.body).toContain('no tenant receives SMS on +12025550199');
  });

  it('guards the Postmark webhook with its Basic credentials', async () => {
    const response = await app.inject({ method: 'POST', url: '/postmark/webhook', payload: { RecordType: 'Delivery', MessageID: 'x' } });
    expect(response.statusCode).toBe(403);
  });
});
