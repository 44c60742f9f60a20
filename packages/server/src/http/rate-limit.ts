import { createHash } from 'node:crypto';
import rateLimit from '@fastify/rate-limit';
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { ServerError } from '../errors/server-error.js';
import { credentialOf } from '../trpc/context.js';

export interface RateLimitOptions {
  /** Requests per window per secret key (default 600 a minute). */
  perKey?: number;
  /**
   * Requests per window per publishable key and client address (default 120 a minute): a web
   * page's key is shared by every visitor, so each visitor gets their own budget of it.
   */
  perVisitor?: number;
  /** Requests per window per client address (default 1200 a minute). */
  perIp?: number;
  /** Window in milliseconds (default 60 000). */
  windowMs?: number;
  /** The tRPC batch cap; each call of a batch counts as one request (default 10). */
  maxBatchSize?: number;
}

interface LimitState {
  isExceeded: boolean;
  max?: number;
  remaining?: number;
  ttlInSeconds: number;
}
type Limiter = (request: FastifyRequest) => Promise<LimitState>;

function hashOf(value: string): string {
  return createHash('sha256').update(value).digest('hex');
}

/** How many procedure calls a request makes: the paths of a tRPC batch (`/trpc/a,b?batch=1`), else 1. */
function batchCostOf(request: FastifyRequest, maxBatchSize: number): number {
  if (!/[?&]batch=1(&|$)/.test(request.url)) return 1;
  const path = request.url.split('?')[0]!;
  const calls = path.slice(path.lastIndexOf('/') + 1).split(',').length;
  // A longer batch is refused by tRPC anyway; charging beyond the cap would only punish the caller twice.
  return Math.max(1, Math.min(calls, maxBatchSize));
}

/** The limit closest to running out, whose numbers the RateLimit-* headers advertise. */
function tightest(limits: LimitState[]): LimitState {
  return limits.reduce((best, limit) => ((limit.remaining ?? Infinity) < (best.remaining ?? Infinity) ? limit : best));
}

function advertise(reply: FastifyReply, limit: LimitState): void {
  // RateLimit-Limit / -Remaining / -Reset (draft-ietf-httpapi-ratelimit-headers), exposed to browsers by CORS.
  if (limit.max === undefined || limit.remaining === undefined) return;
  reply.header('ratelimit-limit', String(limit.max));
  reply.header('ratelimit-remaining', String(limit.remaining));
  reply.header('ratelimit-reset', String(limit.ttlInSeconds));
}

/**
 * Fixed-window limits on every request of the plugin, with `Retry-After` (RFC 9110 §10.2.3) when
 * one is exceeded and `RateLimit-*` headers on every answer: per client address, so no one address
 * floods us; per secret key (hashed), so one integration cannot starve the others behind a shared
 * NAT; and per publishable key *and* client address, because a publishable key is shared by every
 * visitor of a site and one visitor must not exhaust it for all the others. The client address is
 * `request.ip`, which honours X-Forwarded-For only as far as the host's `trustProxy` allows.
 */
export async function registerRateLimits(app: FastifyInstance, options: RateLimitOptions): Promise<void> {
  await app.register(rateLimit, { global: false });
  const timeWindow = options.windowMs ?? 60_000;
  const create = (app as unknown as { createRateLimit: (o: object) => Limiter }).createRateLimit;
  const byIp = create({ max: options.perIp ?? 1200, timeWindow, keyGenerator: (request: FastifyRequest) => `ip:${request.ip}` });
  const bySecretKey = create({ max: options.perKey ?? 600, timeWindow, keyGenerator: (request: FastifyRequest) => `key:${hashOf(credentialOf(request.headers) ?? '')}` });
  const byVisitor = create({
    max: options.perVisitor ?? 120,
    timeWindow,
    keyGenerator: (request: FastifyRequest) => `visitor:${hashOf(`${credentialOf(request.headers) ?? ''}\0${request.ip}`)}`,
  });

  app.addHook('onRequest', async (request, reply) => {
    if (request.method === 'OPTIONS') return;
    const credential = credentialOf(request.headers);
    const byCredential = credential ? (credential.startsWith('pk_') ? byVisitor : bySecretKey) : null;
    // A tRPC batch runs one call per path: each is charged, so a batch is no way around the limits.
    const cost = batchCostOf(request, options.maxBatchSize ?? 10);
    let limits: LimitState[] = [];
    for (let i = 0; i < cost; i++) limits = [await byIp(request), ...(byCredential ? [await byCredential(request)] : [])];
    advertise(reply, tightest(limits));
    const exceeded = limits.find((limit) => limit.isExceeded);
    if (exceeded) {
      reply.header('retry-after', String(exceeded.ttlInSeconds));
      throw new ServerError('RATE_LIMITED', `Too many requests; retry after ${exceeded.ttlInSeconds} s`, { retryAfter: exceeded.ttlInSeconds });
    }
  });
}
