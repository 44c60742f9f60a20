import { createHash } from 'node:crypto';
import rateLimit from '@fastify/rate-limit';
import type { FastifyInstance, FastifyRequest } from 'fastify';
import { ServerError } from '../errors/server-error.js';
import { credentialOf } from '../trpc/context.js';

export interface RateLimitOptions {
  /** Requests per window per API key (default 600 a minute). */
  perKey?: number;
  /** Requests per window per client address (default 1200 a minute). */
  perIp?: number;
  /** Window in milliseconds (default 60 000). */
  windowMs?: number;
}

type Limiter = (request: FastifyRequest) => Promise<{ isAllowed: boolean; isExceeded: boolean; ttlInSeconds: number }>;

/**
 * Two fixed-window limits on every request of the plugin, with `Retry-After` (RFC 9110 §10.2.3)
 * when either is exceeded: per IP, so no one address floods us, and per key (hashed), so one
 * tenant's integration cannot starve the others behind a shared NAT.
 */
export async function registerRateLimits(app: FastifyInstance, options: RateLimitOptions): Promise<void> {
  await app.register(rateLimit, { global: false });
  const timeWindow = options.windowMs ?? 60_000;
  const create = (app as unknown as { createRateLimit: (o: object) => Limiter }).createRateLimit;
  const byIp = create({ max: options.perIp ?? 1200, timeWindow, keyGenerator: (request: FastifyRequest) => `ip:${request.ip}` });
  const byKey = create({
    max: options.perKey ?? 600,
    timeWindow,
    keyGenerator: (request: FastifyRequest) => `key:${createHash('sha256').update(credentialOf(request.headers) ?? '').digest('hex')}`,
  });

  app.addHook('onRequest', async (request, reply) => {
    if (request.method === 'OPTIONS') return;
    const limits = [await byIp(request)];
    if (credentialOf(request.headers)) limits.push(await byKey(request));
    const exceeded = limits.find((limit) => limit.isExceeded);
    if (exceeded) {
      reply.header('retry-after', String(exceeded.ttlInSeconds));
      throw new ServerError('RATE_LIMITED', `Too many requests; retry after ${exceeded.ttlInSeconds} s`, { retryAfter: exceeded.ttlInSeconds });
    }
  });
}
