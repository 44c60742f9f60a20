import fc from 'fast-check';
import type { LightMyRequestResponse } from 'fastify';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { appRouter } from '../../src/index.js';
import { arbitraryFor, type Samples } from '../fuzz/arbitraries.js';
import { adminSecret, createHarness, type Harness, type TestTenant } from '../harness.js';

// Issue 13: "19 × HTTP 500 in about 1,400 malformed requests". Every REST route and tRPC procedure is
// driven with inputs generated from its zod schema plus hostile values, and with malformed requests
// (wrong content types, bad JSON, junk batches). No answer may be a 5xx, and every 400 about the
// input must name the field. Bounded: at most `maxInputs` requests and `budgetMs` of time.

const maxInputs = 2500;
const budgetMs = 80_000;

interface ProcedureInfo {
  path: string;
  type: 'query' | 'mutation' | 'subscription';
  input: unknown;
  openapi?: { method: string; path: string };
}

const procedures: ProcedureInfo[] = Object.entries(
  appRouter._def.procedures as unknown as Record<string, { _def: { type: ProcedureInfo['type']; inputs: unknown[]; meta?: { openapi?: ProcedureInfo['openapi'] } } }>,
).map(([path, p]) => ({ path, type: p._def.type, input: p._def.inputs[0], ...(p._def.meta?.openapi ? { openapi: p._def.meta.openapi } : {}) }));

const unexpected: unknown[] = [];
let h: Harness;
let a: TestTenant;

beforeAll(async () => {
  h = await createHarness({ withReceptionist: true, bodyLimit: 64 * 1024, onError: (error) => unexpected.push(error) });
  a = await h.onboard('fuzz-a', 'https://a.example');
});
afterAll(() => h.close());

type Credential = 'secret' | 'publishable' | 'admin' | 'none';

interface FuzzRequest {
  procedure: ProcedureInfo;
  input: unknown;
  viaRest: boolean;
  credential: Credential;
}

function headersFor(credential: Credential): Record<string, string> {
  if (credential === 'none') return {};
  const key = credential === 'admin' ? adminSecret : credential === 'secret' ? a.secretKey : a.publishableKey;
  return { authorization: `Bearer ${key}`, ...(credential === 'publishable' ? { origin: a.origin } : {}) };
}

function safeJson(value: unknown): string {
  return JSON.stringify(value) ?? 'null';
}

async function send(request: FuzzRequest): Promise<LightMyRequestResponse> {
  const headers = headersFor(request.credential);
  const { procedure, input } = request;
  if (request.viaRest && procedure.openapi) {
    const fields = input !== null && typeof input === 'object' && !Array.isArray(input) ? { ...(input as Record<string, unknown>) } : {};
    const path = procedure.openapi.path.replace(/\{(\w+)\}/g, (_m, name: string) => {
      const value = fields[name];
      delete fields[name];
      // A lone surrogate cannot be percent-encoded (URIError): the client could not send it either.
      return encodeURIComponent((typeof value === 'string' ? value : safeJson(value)).replace(/[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/g, '\uFFFD'));
    });
    const url = `/api/v1${path}`;
    if (procedure.openapi.method === 'GET') {
      const query = new URLSearchParams();
      for (const [name, value] of Object.entries(fields)) query.set(name, typeof value === 'string' ? value : safeJson(value));
      return h.app.inject({ method: 'GET', url: `${url}${query.size ? `?${query}` : ''}`, headers });
    }
    return h.app.inject({ method: procedure.openapi.method as 'POST', url, headers: { ...headers, 'content-type': 'application/json' }, payload: safeJson(input) });
  }
  if (procedure.type === 'query') return h.app.inject({ method: 'GET', url: `/trpc/${procedure.path}?input=${encodeURIComponent(safeJson(input))}`, headers });
  return h.app.inject({ method: 'POST', url: `/trpc/${procedure.path}`, headers: { ...headers, 'content-type': 'application/json' }, payload: safeJson(input) });
}

/** Malformed requests no schema describes: content types, bodies, batches, methods. */
function junkRequests(): (() => Promise<LightMyRequestResponse>)[] {
  const auth = headersFor('secret');
  const post = (url: string, contentType: string | undefined, payload: string) =>
    h.app.inject({ method: 'POST', url, headers: { ...auth, ...(contentType ? { 'content-type': contentType } : {}) }, payload });
  const list: (() => Promise<LightMyRequestResponse>)[] = [];
  for (const url of ['/trpc/chat.send', '/api/v1/chat/messages', '/trpc/bookings.confirm', '/api/v1/bookings', '/trpc/admin.createTenant', '/api/v1/admin/tenants']) {
    list.push(
      () => post(url, 'application/json', '{"text": "hi"'),
      () => post(url, 'application/json', ''),
      () => post(url, 'application/json', 'null'),
      () => post(url, 'application/json', '"\\u0000"'),
      () => post(url, 'application/json', '[1,2,3]'),
      () => post(url, 'application/json', '{"text": "\\ud800"}'),
      () => post(url, 'text/plain', 'hello'),
      () => post(url, 'application/x-www-form-urlencoded', 'text=hi'),
      () => post(url, 'multipart/form-data; boundary=x', '--x\r\n\r\nhi\r\n--x--'),
      () => post(url, 'application/json; charset=utf-16', '{}'),
      () => post(url, undefined, '{"text":"hi"}'),
      () => post(url, 'application/json', JSON.stringify({ text: 'x'.repeat(70_000) })),
      () => h.app.inject({ method: 'PUT', url, headers: auth, payload: '{}' }),
      () => h.app.inject({ method: 'DELETE', url, headers: auth }),
    );
  }
  list.push(
    () => h.app.inject({ method: 'GET', url: '/trpc/services.list,services.list?batch=1&input=junk', headers: auth }),
    () => h.app.inject({ method: 'GET', url: '/trpc/services.list,nope.nope?batch=1&input={"0":{},"1":{}}', headers: auth }),
    () => h.app.inject({ method: 'GET', url: '/trpc/,,,?batch=1&input={}', headers: auth }),
    () => h.app.inject({ method: 'GET', url: '/trpc/services.list?batch=1&input=[]', headers: auth }),
    () => h.app.inject({ method: 'GET', url: '/trpc/services.list?batch=1&input={"0":"\\u0000"}', headers: auth }),
    () => post('/trpc/chat.send,chat.send?batch=1', 'application/json', '{"0":{"text":"hi"},"1":"junk"}'),
    () => post('/trpc/chat.send,chat.send?batch=1', 'application/json', '[{"text":"hi"}]'),
    () => h.app.inject({ method: 'GET', url: '/trpc/availability.get?input=%E0%A4%A', headers: auth }),
    () => h.app.inject({ method: 'GET', url: '/trpc/availability.get?input=%00', headers: auth }),
    () => h.app.inject({ method: 'GET', url: '/api/v1/availability?from=%00&to=%ff&serviceId=%', headers: auth }),
    () => h.app.inject({ method: 'GET', url: '/api/v1/bookings/%E0%A4%A', headers: auth }),
    () => h.app.inject({ method: 'GET', url: '/trpc/chat.send', headers: auth }),
    () => h.app.inject({ method: 'POST', url: '/trpc/services.list', headers: { ...auth, 'content-type': 'application/json' }, payload: '{}' }),
    () => h.app.inject({ method: 'GET', url: '/trpc/chat.events?input={"sessionId":"\\u0000"}', headers: { ...auth, accept: 'text/event-stream' } }),
    () => h.app.inject({ method: 'GET', url: '/trpc/services.list', headers: { authorization: 'Bearer \u0000' } }),
    () => h.app.inject({ method: 'GET', url: '/trpc/services.list', headers: { authorization: `Bearer ${'x'.repeat(8000)}` } }),
    () => h.app.inject({ method: 'GET', url: '/trpc/services.list', headers: { ...auth, 'idempotency-key': 'k\u0001' } }),
    () => h.app.inject({ method: 'POST', url: '/trpc/bookings.cancel', headers: { ...auth, 'content-type': 'application/json', 'idempotency-key': 'x'.repeat(300) }, payload: '{"reference":"GM-AAAAA"}' }),
  );
  return list;
}

interface Problem {
  what: string;
  status: number;
  body: string;
}

type ErrorBody = { error?: { code?: unknown; fields?: { field?: unknown }[]; data?: { code?: string; fields?: { field?: unknown }[] } } };

/** What is wrong with one 400 answer (a batch answers one per call), or null. */
function problemOfError(parsed: ErrorBody): string | null {
  const error = parsed.error;
  if (!error) return null;
  const code = typeof error.code === 'string' ? error.code : error.data?.code;
  const fields = error.fields ?? error.data?.fields;
  if (code === 'VALIDATION' && !(fields && fields.length > 0 && fields.every((f) => typeof f.field === 'string' && f.field.length > 0))) return '400 VALIDATION names no field';
  if (code !== 'VALIDATION' && code !== 'BAD_REQUEST') return `400 with code ${String(code)}`;
  return null;
}

/** Checks an answer: no 5xx; a 400 about the input names the field(s). */
function problemOf(what: string, response: LightMyRequestResponse): Problem | null {
  const body = response.body.slice(0, 300);
  if (response.statusCode >= 500) return { what, status: response.statusCode, body };
  if (response.statusCode !== 400) return null;
  let parsed: ErrorBody | ErrorBody[];
  try {
    parsed = JSON.parse(response.body);
  } catch {
    return { what: `${what} (400 not in the error shape)`, status: 400, body };
  }
  const found = (Array.isArray(parsed) ? parsed : [parsed]).map(problemOfError).find(Boolean);
  return found ? { what: `${what} (${found})`, status: 400, body } : null;
}

describe('regression: 19 × HTTP 500 in about 1,400 malformed requests', () => {
  it(`answers no input with a 5xx, and names the field of every 400 (≤ ${maxInputs} inputs, ≤ ${budgetMs / 1000} s)`, async () => {
    const samples: Samples = { uuids: [a.id, a.serviceId, a.resourceId], strings: [a.id, a.serviceId] };
    // Subscriptions stream until closed; their input errors are covered by the junk requests.
    const callable = procedures.filter((p) => p.type !== 'subscription');
    const requestArbitrary = fc
      .constantFrom(...callable)
      .chain((procedure) =>
        fc.record({
          procedure: fc.constant(procedure),
          input: arbitraryFor(procedure.input, samples),
          viaRest: procedure.openapi ? fc.boolean() : fc.constant(false),
          credential: fc.constantFrom<Credential>(...(procedure.path.startsWith('admin.') ? (['admin', 'admin', 'admin', 'secret'] as const) : (['secret', 'secret', 'publishable', 'none'] as const))),
        }),
      );
    const junk = junkRequests();
    const generated = fc.sample(requestArbitrary, { numRuns: maxInputs - junk.length, seed: 13 });
    const started = Date.now();
    const problems: Problem[] = [];
    const statuses: Record<string, number> = {};
    let count = 0;
    for (const make of junk) {
      const response = await make();
      count += 1;
      statuses[response.statusCode] = (statuses[response.statusCode] ?? 0) + 1;
      const problem = problemOf(`junk #${count}`, response);
      if (problem) problems.push(problem);
    }
    for (const request of generated) {
      if (Date.now() - started > budgetMs) break;
      const response = await send(request);
      count += 1;
      statuses[response.statusCode] = (statuses[response.statusCode] ?? 0) + 1;
      const problem = problemOf(`${request.viaRest ? 'REST' : 'tRPC'} ${request.procedure.path} as ${request.credential} with ${JSON.stringify(request.input)?.slice(0, 200)}`, response);
      if (problem) problems.push(problem);
    }
    console.log(JSON.stringify({ fuzz: 'no 5xx', inputs: count, seconds: Math.round((Date.now() - started) / 100) / 10, statuses, problems: problems.length }));
    expect(unexpected.slice(0, 3)).toEqual([]);
    expect(problems.slice(0, 10)).toEqual([]);
    expect(count).toBeGreaterThan(500);
  }, 150_000);
});
