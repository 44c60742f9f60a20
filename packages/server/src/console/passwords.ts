import { randomBytes, scrypt, timingSafeEqual, type ScryptOptions } from 'node:crypto';

/**
 * scrypt (RFC 7914), memory-hard: N = 2^15, r = 8, p = 1 costs 32 MiB per hash, OWASP's minimum
 * recommendation for scrypt (Password Storage Cheat Sheet). The parameters travel in the stored
 * string, so they can be raised later without invalidating existing hashes.
 */
const cost = { N: 32_768, r: 8, p: 1 } as const;
const keyLength = 32;
// Node refuses N·r·128 above `maxmem` (32 MiB by default), so leave headroom.
const maxmem = 64 * 1024 * 1024;

function derive(password: string, salt: Buffer, options: ScryptOptions): Promise<Buffer> {
  return new Promise((resolve, reject) => {
    scrypt(password.normalize('NFKC'), salt, keyLength, { ...options, maxmem }, (error, key) => (error ? reject(error) : resolve(key)));
  });
}

/** Hashes a password as `scrypt$N$r$p$salt$hash` (base64url), with a fresh 16-byte salt. */
export async function hashPassword(password: string): Promise<string> {
  const salt = randomBytes(16);
  const key = await derive(password, salt, cost);
  return ['scrypt', cost.N, cost.r, cost.p, salt.toString('base64url'), key.toString('base64url')].join('$');
}

/** True when `password` matches `stored`; a malformed hash never matches. Constant-time compare. */
export async function verifyPassword(password: string, stored: string): Promise<boolean> {
  const [scheme, n, r, p, salt, hash] = stored.split('$');
  if (scheme !== 'scrypt' || !salt || !hash) return false;
  const expected = Buffer.from(hash, 'base64url');
  const key = await derive(password, Buffer.from(salt, 'base64url'), { N: Number(n), r: Number(r), p: Number(p) });
  return key.length === expected.length && timingSafeEqual(key, expected);
}

/**
 * A hash of nothing anyone knows, verified when the email has no account, so an unknown email
 * takes as long as a wrong password and the timing does not tell which accounts exist.
 */
export const decoyPasswordHash = hashPassword(randomBytes(16).toString('hex'));
