import { randomUUID } from 'node:crypto';
import type { IncomingMessage } from 'node:http';
import type { FastifyInstance } from 'fastify';

/** What we accept as a caller's request id: short, printable, no spaces (safe to log and echo). */
const requestIdPattern = /^[A-Za-z0-9._:-]{8,128}$/;

/**
 * fastify's `genReqId`: the caller's `X-Request-Id` when it is well-formed (a proxy's or a client's
 * id then joins our logs to theirs), else a fresh UUID. A malformed one is replaced, not trusted:
 * it would otherwise carry newlines or a megabyte into every log line.
 */
export function requestIdFor(request: IncomingMessage): string {
  const given = request.headers['x-request-id'];
  return typeof given === 'string' && requestIdPattern.test(given) ? given : randomUUID();
}

/** Echoes the request id on every answer, errors included, so a caller can quote it. */
export function echoRequestId(app: FastifyInstance): void {
  app.addHook('onRequest', async (request, reply) => {
    reply.header('x-request-id', request.id);
  });
}
