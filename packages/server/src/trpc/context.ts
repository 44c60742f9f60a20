import type { BookingEngine, Clock, Pool } from '@gomomo/core';
import type { EventHub } from '../push/event-hub.js';
import type { KeyIdentity } from '../keys/keys.js';
import type { KeyCache } from '../keys/key-cache.js';
import type { Receptionist } from './receptionist.js';
import type { CalendarConnectOptions, IcsConsoleOptions } from '../console/calendar-options.js';

/** Everything the procedures share, built once per plugin instance. */
export interface ServerDeps {
  pool: Pool;
  engine: BookingEngine;
  receptionist: Receptionist | undefined;
  clock: Clock;
  adminSecret: string;
  hub: EventHub;
  /** Verified API keys, held for at most a second and dropped on revocation (issue 15). */
  keys: KeyCache;
  /** Where people reach this server (links in console invitations); default http://localhost:3000. */
  publicBaseUrl?: string | undefined;
  /** Calendar providers owners may connect from the console (`console.calendars.*`); unset: none. */
  calendars?: CalendarConnectOptions | undefined;
  /** ICS feeds owners manage from the console (`console.ics.*`); unset: none. */
  ics?: IcsConsoleOptions | undefined;
}

declare const opaque: unique symbol;

/**
 * `ServerDeps` as the router's public type sees it: opaque, so `AppRouter` (and with it the
 * published `@gomomo/client` typings) does not drag in pg or the engine. `depsOf` opens it.
 */
export interface OpaqueDeps {
  readonly [opaque]: 'ServerDeps';
}

/** The dependencies behind a request context. */
export function depsOf(ctx: { deps: OpaqueDeps }): ServerDeps {
  return ctx.deps as unknown as ServerDeps;
}

/** Wraps the dependencies for a request context. */
export function toOpaqueDeps(deps: ServerDeps): OpaqueDeps {
  return deps as unknown as OpaqueDeps;
}

/** Per request: the credential presented and where it came from. Verified lazily by the procedure's scope. */
export interface RequestContext {
  deps: OpaqueDeps;
  /** The bearer token: an API key or the admin secret. */
  credential: string | null;
  /** The browser origin (Origin header, else the origin of Referer), lower-cased. */
  origin: string | null;
  idempotencyKey: string | null;
  /** The client IP as the server trusts it (fastify's `req.ip`, which honours the proxy setting). */
  clientAddress: string;
  /** The conversation's bearer token from the `x-gomomo-session` header (never from a URL). */
  sessionToken?: string | null;
  /** A single-use stream ticket (`chat.streamTicket`), from a subscription's connection params. */
  streamTicket?: string | null;
  /** Told the verified key, so the HTTP layer can answer CORS for the key's own tenant. */
  onIdentity?: (identity: KeyIdentity) => void;
  /** The console's session token, from the `gomomo_staff` cookie (console/cookies.ts). */
  staffToken?: string | null;
  /** The console's CSRF token, from the `x-gomomo-csrf` header. */
  csrfToken?: string | null;
  /** Sets a cookie on the answer (console sign-in and sign-out). */
  setCookie?: (cookie: string) => void;
  /** False only for plain http to localhost, where the session cookie goes without `Secure`. */
  isSecureCookie?: boolean;
}

/** The origin of a request: Origin, or for same-origin GETs (which carry none) the Referer's. */
export function originOf(headers: Record<string, string | string[] | undefined>): string | null {
  const origin = headers.origin;
  if (typeof origin === 'string' && origin !== 'null') return origin.toLowerCase();
  const referer = headers.referer;
  if (typeof referer === 'string') {
    try {
      return new URL(referer).origin.toLowerCase();
    } catch {
      return null;
    }
  }
  return null;
}

/** The bearer token of `Authorization: Bearer …` (RFC 6750 §2.1), or of `x-api-key`. */
export function credentialOf(headers: Record<string, string | string[] | undefined>): string | null {
  const authorization = headers.authorization;
  if (typeof authorization === 'string') {
    const match = /^Bearer\s+(\S+)\s*$/i.exec(authorization);
    if (match) return match[1]!;
  }
  const apiKey = headers['x-api-key'];
  return typeof apiKey === 'string' && apiKey.length > 0 ? apiKey : null;
}

/** The header that carries a conversation's session token. */
export const sessionTokenHeader = 'x-gomomo-session';

/** The session token of the `x-gomomo-session` header, if any. */
export function sessionTokenOf(headers: Record<string, string | string[] | undefined>): string | null {
  const token = headers[sessionTokenHeader];
  return typeof token === 'string' && token.length > 0 ? token : null;
}
