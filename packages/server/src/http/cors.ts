import type { Pool } from '@gomomo/core';
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { isOriginKnown } from '../keys/origins.js';
import type { KeyIdentity } from '../keys/keys.js';

declare module 'fastify' {
  interface FastifyRequest {
    /** The verified API key of this request, set by the tRPC auth middleware. */
    gomomoIdentity?: KeyIdentity;
  }
}

const allowedHeaders = 'authorization, content-type, idempotency-key, x-api-key, trpc-accept, last-event-id, x-gomomo-session';
const allowedMethods = 'GET, POST, OPTIONS';
/** How long a "some tenant allows this origin" answer is reused; onboarding shows within seconds. */
const knownOriginTtlMs = 10_000;

/**
 * CORS per tenant. A preflight carries no key, so it is answered for any origin some tenant allows;
 * the real request then gets `Access-Control-Allow-Origin` only when the key's own tenant allows the
 * origin (and a publishable key from any other origin is refused with 403 by the auth middleware).
 */
export function registerTenantCors(app: FastifyInstance, pool: Pool, options: { restPrefix?: string } = {}): void {
  const known = new Map<string, { isKnown: boolean; until: number }>();

  async function isKnown(origin: string): Promise<boolean> {
    const cached = known.get(origin);
    if (cached && cached.until > Date.now()) return cached.isKnown;
    const isKnownNow = await isOriginKnown(pool, origin);
    if (known.size > 10_000) known.clear();
    known.set(origin, { isKnown: isKnownNow, until: Date.now() + knownOriginTtlMs });
    return isKnownNow;
  }

  function allow(reply: FastifyReply, origin: string): void {
    reply.header('access-control-allow-origin', origin);
    reply.header('access-control-expose-headers', 'retry-after, ratelimit-limit, ratelimit-remaining, ratelimit-reset');
  }

  app.addHook('onRequest', async (request: FastifyRequest, reply: FastifyReply) => {
    const origin = request.headers.origin?.toLowerCase();
    reply.header('vary', 'Origin');
    if (!origin) return;
    if (request.method === 'OPTIONS' && request.headers['access-control-request-method']) {
      if (await isKnown(origin)) {
        allow(reply, origin);
        reply.header('access-control-allow-methods', allowedMethods);
        reply.header('access-control-allow-headers', allowedHeaders);
        reply.header('access-control-max-age', '600');
      }
      return reply.code(204).send();
    }
    // Set early because an SSE stream's headers leave before onSend could run for good.
    if (await isKnown(origin)) allow(reply, origin);
  });

  // REST routes answer only their own methods, so a preflight (OPTIONS) needs a route to land on;
  // the hook above answers it. tRPC's routes take OPTIONS themselves.
  if (options.restPrefix) app.options(`${options.restPrefix}/*`, async (_request, reply) => reply.code(204).send());

  app.addHook('onSend', async (request, reply, payload) => {
    // Caches must key every answer by Origin; tRPC replaces our Vary with its own, so it is merged back.
    const vary = String(reply.getHeader('vary') ?? '');
    if (!vary.split(',').some((name) => name.trim().toLowerCase() === 'origin')) reply.header('vary', vary ? `${vary}, Origin` : 'Origin');
    const origin = request.headers.origin?.toLowerCase();
    const identity = request.gomomoIdentity;
    if (origin && identity && !identity.origins.includes(origin)) reply.removeHeader('access-control-allow-origin');
    return payload;
  });
}
