import { createHash } from 'node:crypto';

/** The hash before a tenant's first audit row. */
export const genesisHash = '0'.repeat(64);

/**
 * JSON with object keys sorted at every depth, so the same content always hashes the same whatever
 * order the keys were written in, and whatever order jsonb hands them back in.
 */
export function canonicalJson(value: unknown): string {
  if (value === null || typeof value !== 'object') return JSON.stringify(value ?? null);
  if (Array.isArray(value)) return `[${value.map((item) => canonicalJson(item === undefined ? null : item)).join(',')}]`;
  const keys = Object.keys(value)
    .filter((key) => (value as Record<string, unknown>)[key] !== undefined)
    .sort();
  return `{${keys.map((key) => `${JSON.stringify(key)}:${canonicalJson((value as Record<string, unknown>)[key])}`).join(',')}}`;
}

/**
 * The canonical JSON of a flat-keyed object split around one top-level key's value:
 * `prefix + JSON(value) + suffix === canonicalJson(object)`. Lets the database fill in a value it
 * alone knows (the chain position) and still hash exactly the canonical form.
 */
export function canonicalSplit(value: Record<string, unknown>, key: string): { prefix: string; suffix: string } {
  const keys = Object.keys(value)
    .filter((k) => value[k] !== undefined && k !== key)
    .sort();
  const entry = (k: string) => `${JSON.stringify(k)}:${canonicalJson(value[k])}`;
  const before = keys.filter((k) => k < key).map(entry);
  const after = keys.filter((k) => k > key).map(entry);
  return {
    prefix: `{${before.join(',')}${before.length > 0 ? ',' : ''}${JSON.stringify(key)}:`,
    suffix: `${after.length > 0 ? ',' : ''}${after.join(',')}}`,
  };
}

/** sha256(prevHash || canonical JSON of content), hex. */
export function chainHash(prevHash: string, content: unknown): string {
  return createHash('sha256').update(prevHash).update(canonicalJson(content)).digest('hex');
}

/**
 * Makes a value exactly what jsonb will give back: Dates become ISO strings, bigints strings,
 * undefined and functions disappear, and NUL characters (which jsonb refuses) are dropped. Hashing
 * the normalised value is what lets verification recompute the same hash from the stored row.
 */
export function toJsonValue(value: unknown): unknown {
  const text = JSON.stringify(value, (_key, item: unknown) => {
    if (typeof item === 'bigint') return item.toString();
    if (typeof item === 'string') return toStorableText(item);
    return item;
  });
  return text === undefined ? null : (JSON.parse(text) as unknown);
}

const loneSurrogate = /[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/g;

/** Text exactly as Postgres will store it: no NUL (refused) and no lone surrogates (UTF-8 cannot hold them). */
export function toStorableText(text: string): string {
  return text.replaceAll('\u0000', '').replace(loneSurrogate, '\uFFFD');
}
