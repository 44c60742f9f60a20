/**
 * The tRPC answers a shared cache may keep. Only `widget.config`: it is read with the publishable
 * key, holds no secret, and is the same for every visitor of a business, yet every widget load asks
 * for it. A minute of staleness after an owner turns speech on is harmless.
 */
const publiclyCachedQueries = new Set(['widget.config']);

/** `Cache-Control: public, max-age=60` (RFC 9111 §5.2.2.9: `public` lets a shared cache store an answer to a request with `Authorization`). */
export const publicConfigCacheControl = 'public, max-age=60';

/**
 * The headers of a tRPC answer: every answer varies by Origin (the tenant's CORS decision), and a
 * successful, unbatched `widget.config` may be cached publicly for a minute. The cache key also
 * varies by the key headers, so two businesses that allow the same origin never share an answer.
 */
export function trpcResponseHeaders(call: { paths: readonly string[] | undefined; type: string; errors: readonly unknown[] }): Record<string, string | string[]> {
  const isCacheable = call.type === 'query' && call.errors.length === 0 && call.paths?.length === 1 && publiclyCachedQueries.has(call.paths[0]!);
  if (!isCacheable) return { vary: ['Origin'] };
  return { vary: ['Origin', 'Authorization', 'X-Api-Key'], 'cache-control': publicConfigCacheControl };
}
