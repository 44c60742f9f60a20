import type { Socket } from 'node:net';
import type { FastifyError, FastifyReply, FastifyRequest, FastifyServerOptions } from 'fastify';
import { errorBody, toPublicError } from '../errors/to-public-error.js';

/** Writes an error straight on a socket, for requests too malformed to become a fastify request. */
function writeRawError(socket: Socket, error: { statusCode?: number; code?: string; message: string }): void {
  if (!socket.writable) return;
  // Node's parser reports oversize headers with this code; fastify's default answers 431 for it too.
  const status = error.code === 'HPE_HEADER_OVERFLOW' ? 431 : 400;
  const mapped = toPublicError({ statusCode: status, message: error.message });
  const body = JSON.stringify(errorBody(status === 400 ? { ...mapped, message: 'The request is malformed' } : mapped));
  socket.end(`HTTP/1.1 ${status} ${status === 431 ? 'Request Header Fields Too Large' : 'Bad Request'}\r\nConnection: close\r\nContent-Type: application/json; charset=utf-8\r\nContent-Length: ${Buffer.byteLength(body)}\r\n\r\n${body}`);
}

/**
 * Options for the host's `Fastify({...})` so the errors fastify and Node answer before any route
 * (a path parameter over `maxParamLength` → 414, headers over the limit → 431, an unparsable
 * request → 400) use gomomo's one error shape like everything else.
 *
 * @example Fastify({ logger: true, ...gomomoHostOptions() })
 */
export function gomomoHostOptions(): Pick<FastifyServerOptions, 'frameworkErrors' | 'clientErrorHandler'> {
  return {
    frameworkErrors: (error: FastifyError, _request: FastifyRequest, reply: FastifyReply) => {
      const mapped = toPublicError(error);
      return reply.code(mapped.status).send(errorBody(mapped));
    },
    clientErrorHandler: (error, socket) => writeRawError(socket, error as Error & { code?: string }),
  };
}
