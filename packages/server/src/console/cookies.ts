/** The console's session cookie. Not `__Host-`: that prefix demands `Secure`, which local http development cannot have. */
export const staffCookieName = 'gomomo_staff';

/** The header a console page sends its CSRF token in, on every mutation. */
export const csrfHeader = 'x-gomomo-csrf';

/** The value of one cookie in a `Cookie` header (RFC 6265 §5.4), or null. */
export function readCookie(header: string | undefined, name: string): string | null {
  if (!header) return null;
  for (const part of header.split(';')) {
    const eq = part.indexOf('=');
    if (eq > 0 && part.slice(0, eq).trim() === name) return part.slice(eq + 1).trim() || null;
  }
  return null;
}

/**
 * True for plain-http requests to this machine (`localhost`, `127.0.0.1`, `[::1]`): the only place
 * the session cookie goes without `Secure`, so development and the tests can sign in over http.
 * Browsers treat those hosts as secure contexts anyway; any other http host gets `Secure` and the
 * browser refuses the cookie, which is the point.
 */
export function isLocalHttp(protocol: string, hostname: string): boolean {
  return protocol === 'http' && /^(localhost|127\.0\.0\.1|\[::1\])(:\d+)?$/.test(hostname);
}

/** `Set-Cookie` for a session (or, with `maxAgeSeconds` 0, its removal): HttpOnly, SameSite=Strict, Path=/. */
export function sessionCookie(input: { token: string; maxAgeSeconds: number; isSecure: boolean }): string {
  return [`${staffCookieName}=${input.token}`, 'Path=/', `Max-Age=${input.maxAgeSeconds}`, 'HttpOnly', 'SameSite=Strict', ...(input.isSecure ? ['Secure'] : [])].join('; ');
}
