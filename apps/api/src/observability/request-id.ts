import { randomUUID } from 'node:crypto';
import type { IncomingMessage } from 'node:http';
import { correlationIdPattern, runWithCorrelationId } from '@gomomo/core';
import type { FastifyInstance } from 'fastify';

/** What we accept as a caller's request id: short, printable, no spaces (safe to log and echo). */
const requestIdPattern = correlationIdPattern;

/**
 * fastify's `genReqId`: the caller's `X-Request-Id` when it is well-formed (a proxy's or a client's
 * id then joins our logs to theirs), else a fresh UUID. A malformed one is replaced, not trusted:
 * it would otherwise carry newlines or a megabyte into every log line.
 */
export function requestIdFor(request: IncomingMessage): string {
  const given = request.headers['x-request-id'];
  return typeof given === 'string' && requestIdPattern.test(given) ? given : randomUUID();
}

/**
 * Echoes the request id on every answer, errors included, so a caller can quote it, and runs the
 * rest of the request under it as the correlation id: the domain events its transactions write
 * record it, and the jobs those events set off inherit it.
 */
export function echoRequestId(app: FastifyInstance): void {
  app.addHook('onRequest', (request, reply, done) => {
    reply.header('x-request-id', request.id);
    // Callback style on purpose: AsyncLocalStorage's context reaches the handler only through run().
    runWithCorrelationId(request.id, done);
  });
}
