import { createHash } from 'node:crypto';
import { promisify } from 'node:util';
import { gzip } from 'node:zlib';
import type { Availability, AvailabilityQuery } from '@gomomo/core';
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { toCompactAvailability } from '../routers/compact-availability.js';
import { credentialOf, originOf, type ServerDeps } from '../trpc/context.js';
import { asksForStream } from './stream-accept.js';

const gzipAsync = promisify(gzip);

/** How an availability answer is asked for: through tRPC or REST, in the full or the compact form. */
type Variant = 'trpc' | 'trpc-compact' | 'rest' | 'rest-compact';

/** The bytes of one variant of one answer, serialised once and sent to everyone who asks. */
interface Serialized {
  body: Buffer;
  /** A strong validator of `body` (RFC 9110 §8.8.3), so a client holding it gets 304 Not Modified. */
  etag: string;
  /** The gzip encoding of `body`, made on first request by a client that accepts it. */
  gzipped?: Promise<Buffer>;
}

/** How availability answers were sent since start: bytes reused from an earlier answer, or serialised anew. */
export interface AvailabilityAnswerStats {
  reused: number;
  serialized: number;
}

/**
 * The variant a request path names: tRPC's non-batched GET of `availability.get` or `.compact`, or
 * the REST routes. Anything else (a batch, POST) is tRPC's to answer.
 */
function variantsByPath(options: { trpcPrefix: string; restPrefix: string }): Map<string, Variant> {
  return new Map<string, Variant>([
    [`${options.trpcPrefix}/availability.get`, 'trpc'],
    [`${options.trpcPrefix}/availability.compact`, 'trpc-compact'],
    [`${options.restPrefix}/availability`, 'rest'],
    [`${options.restPrefix}/availability/compact`, 'rest-compact'],
  ]);
}

/** The query's four fields when every one present is a string; anything else is left to the full path to refuse. */
function queryFieldsOf(value: unknown): Omit<AvailabilityQuery, 'tenantId'> | undefined {
  if (typeof value !== 'object' || value === null) return undefined;
  const { serviceId, from, to, resourceId } = value as Record<string, unknown>;
  if (typeof serviceId !== 'string' || typeof from !== 'string' || typeof to !== 'string') return undefined;
  if (resourceId !== undefined && typeof resourceId !== 'string') return undefined;
  return resourceId === undefined ? { serviceId, from, to } : { serviceId, from, to, resourceId };
}

/** The query of a request: tRPC's JSON `input` parameter, or REST's query string. */
function parseQuery(request: FastifyRequest, variant: Variant): Omit<AvailabilityQuery, 'tenantId'> | undefined {
  const params = request.query as Record<string, unknown>;
  if (!variant.startsWith('trpc')) return queryFieldsOf(params);
  if ('batch' in params || typeof params.input !== 'string') return undefined;
  try {
    return queryFieldsOf(JSON.parse(params.input));
  } catch {
    return undefined;
  }
}

/** The JSON body tRPC (`{"result":{"data":…}}`) or REST (the data itself) would send. */
function serialize(answer: Availability, variant: Variant): Serialized {
  const data = JSON.stringify(variant.endsWith('compact') ? toCompactAvailability(answer) : answer);
  const body = Buffer.from(variant.startsWith('trpc') ? `{"result":{"data":${data}}}` : data);
  return { body, etag: `"${createHash('sha256').update(body).digest('base64url').slice(0, 27)}"` };
}

/**
 * True when the client accepts gzip (RFC 9110 §12.5.3): gzip (or x-gzip) listed without q=0, or
 * else `*` without q=0. A coding named explicitly overrides `*`, so `*, gzip;q=0` refuses gzip.
 */
export function acceptsGzip(header: string | undefined): boolean {
  if (!header) return false;
  let wildcard: boolean | undefined;
  for (const part of header.split(',')) {
    const [coding, ...params] = part.trim().toLowerCase().split(';');
    if (coding !== 'gzip' && coding !== 'x-gzip' && coding !== '*') continue;
    const q = params.map((p) => p.trim()).find((p) => p.startsWith('q='));
    const isAcceptable = q === undefined || Number(q.slice(2)) > 0;
    if (coding !== '*') return isAcceptable;
    wildcard = isAcceptable;
  }
  return wildcard ?? false;
}

/** True when If-None-Match names `etag` or is `*` (RFC 9110 §13.1.2; weak comparison). */
function isNotModified(header: string | undefined, etag: string): boolean {
  if (!header) return false;
  return header.split(',').some((tag) => {
    const trimmed = tag.trim();
    return trimmed === '*' || trimmed.replace(/^W\//, '') === etag;
  });
}

/**
 * Serves availability without tRPC's per-request machinery and, above all, without serialising
 * the same answer again: core hands back the same answer object for as long as it is exact (index
 * version, schedule, time), and the bytes made for that object are kept beside it — weakly, so
 * they go when core's size-bounded cache lets the answer go. A 14-day answer at 10 resources is
 * 138 KB: re-stringifying it per request was the largest cost left at 50 concurrent customers.
 *
 * It answers only what it can answer exactly as the full path would: a GET with a key that
 * verifies and may read availability (a publishable key only from its allowed origins) and a query
 * the engine accepts. Everything else — a missing or revoked key, a bad query, a batch, a tRPC
 * call asking for a streamed answer, an engine error — falls through to tRPC and REST, which answer
 * it in the one error format. Rate limits, CORS and the security headers run before and after it as
 * for any route (onRequest, onSend).
 */
export function registerAvailabilityFastPath(app: FastifyInstance, options: { deps: ServerDeps; trpcPrefix: string; restPrefix: string; stats: AvailabilityAnswerStats }): void {
  const { deps, stats } = options;
  const variants = variantsByPath(options);
  const bytesOf = new WeakMap<Availability, Map<Variant, Serialized>>();

  function serializedOf(answer: Availability, variant: Variant): Serialized {
    let forAnswer = bytesOf.get(answer);
    if (!forAnswer) bytesOf.set(answer, (forAnswer = new Map()));
    let serialized = forAnswer.get(variant);
    if (serialized) {
      stats.reused++;
    } else {
      serialized = serialize(answer, variant);
      forAnswer.set(variant, serialized);
      stats.serialized++;
    }
    return serialized;
  }

  async function send(request: FastifyRequest, reply: FastifyReply, serialized: Serialized): Promise<FastifyReply> {
    // Every variant of the answer depends on the key's tenant (Authorization or X-Api-Key) as well as the query.
    reply.header('vary', 'Origin, Authorization, X-Api-Key, Accept-Encoding');
    reply.header('cache-control', 'private, no-cache');
    const isGzipped = acceptsGzip(request.headers['accept-encoding']);
    // A strong validator names exact bytes, so the gzip encoding has its own (RFC 9110 §8.8.3).
    const etag = isGzipped ? `${serialized.etag.slice(0, -1)}-gz"` : serialized.etag;
    reply.header('etag', etag);
    if (isNotModified(request.headers['if-none-match'], etag)) return reply.code(304).send();
    reply.type('application/json');
    if (!isGzipped) return reply.send(serialized.body);
    serialized.gzipped ??= gzipAsync(serialized.body);
    reply.header('content-encoding', 'gzip');
    return reply.send(await serialized.gzipped);
  }

  /** The answer for a key allowed to read availability here (the auth middleware's rules), else undefined. */
  async function answerOf(query: Omit<AvailabilityQuery, 'tenantId'>, credential: string, origin: string | null) {
    const identity = await deps.keys.verify(credential, deps.clock.now());
    if (!identity) return undefined;
    if (identity.kind === 'publishable' && (!origin || !identity.origins.includes(origin))) return undefined;
    // The tenant comes from the key alone, never from the query (only its four fields are taken).
    return { identity, answer: await deps.engine.getAvailability({ ...query, tenantId: identity.tenantId }) };
  }

  app.addHook('preHandler', async (request, reply) => {
    if (request.method !== 'GET') return;
    const queryAt = request.url.indexOf('?');
    const variant = variants.get(queryAt === -1 ? request.url : request.url.slice(0, queryAt));
    if (!variant) return;
    if ((variant === 'trpc' || variant === 'trpc-compact') && asksForStream(request.headers)) return;
    const credential = credentialOf(request.headers);
    const query = credential ? parseQuery(request, variant) : undefined;
    if (!credential || !query) return;
    const answered = await answerOf(query, credential, originOf(request.headers)).catch(() => undefined);
    // Not ours to answer (or an error): the full path asks again and answers in its own format.
    if (!answered) return;
    request.gomomoIdentity = answered.identity;
    return send(request, reply, serializedOf(answered.answer, variant));
  });
}
