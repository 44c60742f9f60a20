import { createHash, createHmac, randomBytes, timingSafeEqual } from 'node:crypto';

/** 32 random bytes, base64url: a session or invite token (256 bits, never stored as is). */
export function newToken(): string {
  return randomBytes(32).toString('base64url');
}

/** SHA-256 of a token: what is stored and looked up. A fast hash suffices for 256 random bits. */
export function hashToken(token: string): Buffer {
  return createHash('sha256').update(token).digest();
}

/**
 * The session's CSRF token (OWASP "signed double submit"): an HMAC keyed by the session token, so
 * it is bound to that session and needs no storage. The session cookie is HttpOnly, so a page can
 * learn this value only from `console.auth.me`, which another site cannot read (no CORS for it).
 */
export function csrfTokenOf(sessionToken: string): string {
  return createHmac('sha256', sessionToken).update('gomomo-console-csrf').digest('base64url');
}

/** Constant-time comparison of two strings of any length (through their hashes). */
export function isSameToken(given: string, expected: string): boolean {
  return timingSafeEqual(hashToken(given), hashToken(expected));
}
