import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { createTestDatabase, ManualClock, type TestDatabase } from '@gomomo/core/testing';
import type { FastifyInstance } from 'fastify';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildApp } from '../src/app.js';
import { loadConfig } from '../src/config.js';

interface ExportedSpan { name: string; traceId: string; spanId: string; parentSpanId?: string; attributes?: { key: string; value: Record<string, unknown> }[] }

const adminSecret = 'tracing-admin-secret-0123456';
const origin = 'https://traced.example';
let db: TestDatabase;
let receiver: Server;
const exported: ExportedSpan[] = [];
const requestPaths: string[] = [];

/** A small OTLP/HTTP receiver on loopback: accepts the JSON export and keeps its spans. */
function startReceiver(): Promise<Server> {
  const server = createServer((request, response) => {
    let body = '';
    request.on('data', (chunk: Buffer) => (body += chunk.toString()));
    request.on('end', () => {
      requestPaths.push(`${request.method} ${request.url} ${request.headers['content-type']}`);
      const parsed = JSON.parse(body) as { resourceSpans: { scopeSpans: { spans: ExportedSpan[] }[] }[] };
      for (const resource of parsed.resourceSpans) for (const scope of resource.scopeSpans) exported.push(...scope.spans);
      response.writeHead(200, { 'content-type': 'application/json' }).end('{}');
    });
  });
  return new Promise((resolve) => server.listen(0, '127.0.0.1', () => resolve(server)));
}

beforeAll(async () => {
  db = await createTestDatabase();
  receiver = await startReceiver();
});
afterAll(async () => {
  await new Promise((resolve) => receiver?.close(resolve));
  await db?.drop();
});

describe('OpenTelemetry traces', () => {
  it('a chat turn and a booking export HTTP → turn → engine → SQL spans with their parent links', async () => {
    const endpoint = `http://127.0.0.1:${(receiver.address() as AddressInfo).port}`;
    const app: FastifyInstance = await buildApp(
      loadConfig({ DATABASE_URL: db.url, ADMIN_SECRET: adminSecret, LOG_LEVEL: 'silent', AUTONOMY_IN_API: 'false', OTEL_EXPORTER_OTLP_ENDPOINT: endpoint }),
      { clock: new ManualClock('2026-12-01T13:00:00Z') },
    );
    const post = (path: string, input: unknown, headers: Record<string, string>) =>
      app.inject({ method: 'POST', url: `/trpc/${path}`, headers: { 'content-type': 'application/json', ...headers }, payload: JSON.stringify(input) });
    try {
      const onboarded = await post('admin.createTenant', {
        name: 'Traced Clinic', slug: 'traced-clinic', timeZone: 'America/New_York', minNoticeMinutes: 0,
        services: [{ name: 'Consultation', durationMinutes: 30 }], hours: [1, 2, 3, 4, 5].map((weekday) => ({ weekday, opens: '09:00', closes: '17:00' })), allowedOrigins: [origin],
      }, { authorization: `Bearer ${adminSecret}` });
      const keys = (onboarded.json() as { result: { data: { keys: { secret: { key: string }; publishable: { key: string } } } } }).result.data.keys;
      const turn = await post('chat.send', { text: 'I would like to book a consultation tomorrow' }, { authorization: `Bearer ${keys.publishable.key}`, origin });
      expect(turn.statusCode, turn.body).toBe(200);
      const services = await app.inject({ method: 'GET', url: '/trpc/services.list', headers: { authorization: `Bearer ${keys.secret.key}` } });
      const serviceId = (services.json() as { result: { data: { id: string }[] } }).result.data[0]!.id;
      const secret = { authorization: `Bearer ${keys.secret.key}` };
      const hold = await post('bookings.hold', { serviceId, start: '2026-12-02T15:00:00Z', sessionId: 'traced-session' }, secret);
      const holdId = (hold.json() as { result: { data: { id: string } } }).result.data.id;
      const confirmed = await post('bookings.confirm', { holdId, sessionId: 'traced-session', client: { name: 'Tia', email: 'tia@example.com' } }, { ...secret, 'x-request-id': 'traced-confirm-0001' });
      expect(confirmed.statusCode, confirmed.body).toBe(200);
    } finally {
      await app.close(); // flushes the exporter
    }

    expect(requestPaths[0]).toMatch(/^POST \/v1\/traces application\/json/);
    const byId = new Map(exported.map((span) => [span.spanId, span]));
    const parentOf = (span: ExportedSpan) => (span.parentSpanId ? byId.get(span.parentSpanId) : undefined);

    const turnSpan = exported.find((span) => span.name === 'gomomo.turn');
    expect(turnSpan, exported.map((s) => s.name).join(', ')).toBeDefined();
    expect(parentOf(turnSpan!)?.name).toBe('POST /trpc/:path');
    const toolSpan = exported.find((span) => span.name.startsWith('engine.') && parentOf(span)?.name === 'gomomo.turn');
    expect(toolSpan, exported.filter((s) => parentOf(s) === turnSpan).map((s) => s.name).join(', ')).toBeDefined();
    expect(exported.some((span) => span.name === 'pg.query' && parentOf(span) === toolSpan)).toBe(true);

    const confirmSpan = exported.find((span) => span.name === 'engine.confirm')!;
    const confirmRequest = parentOf(confirmSpan)!;
    expect(confirmRequest.name).toBe('POST /trpc/:path');
    expect(confirmRequest.attributes?.find((a) => a.key === 'gomomo.request_id')?.value).toEqual({ stringValue: 'traced-confirm-0001' });
    expect(exported.filter((span) => span.name === 'pg.query' && parentOf(span) === confirmSpan).length).toBeGreaterThan(0);
    expect(new Set([confirmSpan.traceId, confirmRequest.traceId]).size).toBe(1);
    // No raw URLs, emails or statements' values in any span.
    expect(JSON.stringify(exported)).not.toContain('tia@example.com');
  });
});
