import { createHash } from 'node:crypto';
import type { FastifyInstance, FastifyRequest } from 'fastify';
import { ServerError } from '../errors/server-error.js';
import { credentialOf } from '../trpc/context.js';

export interface StreamCapOptions {
  /** Open event streams per secret key (default 100). */
  perKey?: number;
  /** Open event streams per publishable key and client address (default 10): one visitor's tabs. */
  perVisitor?: number;
}

/** An event-stream request (tRPC subscriptions over SSE): the browser's EventSource asks for this type. */
function isStreamRequest(request: FastifyRequest): boolean {
  return request.method === 'GET' && (request.headers.accept ?? '').includes('text/event-stream');
}

/**
 * Who a stream is counted against: its key when the request carries one in a header, else the
 * client address — browser streams authenticate with a single-use ticket in the URL (EventSource
 * cannot send headers), which names no key until the procedure redeems it. Only counted, never
 * trusted: the procedure's own auth still decides whether the stream is allowed.
 */
function streamOwnerOf(request: FastifyRequest): { owner: string; isPublishable: boolean } {
  const credential = credentialOf(request.headers);
  if (!credential) return { owner: `ip:${request.ip}`, isPublishable: true };
  const isPublishable = credential.startsWith('pk_');
  const hash = createHash('sha256').update(isPublishable ? `${credential}\0${request.ip}` : credential).digest('hex');
  return { owner: `key:${hash}`, isPublishable };
}

/**
 * Caps concurrently open event streams per key (issue 13: 1,000 were accepted for one key), so one
 * caller cannot pin this process's sockets and LISTEN fan-out. A stream is counted from its
 * request until its connection closes; one over the cap answers 429 RATE_LIMITED before it opens.
 */
export function registerStreamCap(app: FastifyInstance, options: StreamCapOptions = {}): void {
  const open = new Map<string, number>();
  const perKey = options.perKey ?? 100;
  const perVisitor = options.perVisitor ?? 10;

  app.addHook('onRequest', async (request, reply) => {
    if (!isStreamRequest(request)) return;
    const { owner, isPublishable } = streamOwnerOf(request);
    const count = open.get(owner) ?? 0;
    const cap = isPublishable ? perVisitor : perKey;
    if (count >= cap) throw new ServerError('RATE_LIMITED', `Too many open event streams for this key (at most ${cap}); close one first`, { retryAfter: 5 });
    open.set(owner, count + 1);
    // The response's close: the stream ended or its connection went away (the request's may come earlier).
    reply.raw.once('close', () => {
      const left = (open.get(owner) ?? 1) - 1;
      if (left <= 0) open.delete(owner);
      else open.set(owner, left);
    });
  });
}
