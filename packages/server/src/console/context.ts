import type { FastifyReply, FastifyRequest } from 'fastify';
import type { RequestContext } from '../trpc/context.js';
import { csrfHeader, isLocalHttp, readCookie, staffCookieName } from './cookies.js';

/** The console's part of a request context: the session cookie, the CSRF header, and a way to set a cookie. */
export function consoleContextOf(req: FastifyRequest, res: FastifyReply | undefined): Pick<RequestContext, 'staffToken' | 'csrfToken' | 'setCookie' | 'isSecureCookie'> {
  const csrf = req.headers[csrfHeader];
  return {
    staffToken: readCookie(req.headers.cookie, staffCookieName),
    csrfToken: typeof csrf === 'string' && csrf.length > 0 ? csrf : null,
    isSecureCookie: !isLocalHttp(req.protocol, req.host),
    ...(res ? { setCookie: (cookie: string) => void res.header('set-cookie', cookie) } : {}),
  };
}
