import type { Interval } from '../availability/compute-slots.js';

/**
 * Claims (sorted, never overlapping: the EXCLUDE constraint) merged with external blocks (sorted
 * by start, may overlap each other and the claims) into one sorted list of disjoint intervals, the
 * shape `overlapsAny` needs (its binary search assumes ends are sorted too).
 */
export function mergeBusy(claims: Interval[], external: Interval[]): Interval[] {
  if (external.length === 0) return claims;
  const merged: Interval[] = [];
  let i = 0;
  let j = 0;
  while (i < claims.length || j < external.length) {
    const next = j >= external.length || (i < claims.length && claims[i]!.start <= external[j]!.start) ? claims[i++]! : external[j++]!;
    const last = merged[merged.length - 1];
    if (last && next.start <= last.end) {
      if (next.end > last.end) merged[merged.length - 1] = { start: last.start, end: next.end };
    } else merged.push(next);
  }
  return merged;
}

/** Adds per-resource external blocks to per-resource claims. */
export function mergeBusyMaps(claims: Map<string, Interval[]>, external: Map<string, Interval[]>): Map<string, Interval[]> {
  for (const [resourceId, blocks] of external) claims.set(resourceId, mergeBusy(claims.get(resourceId) ?? [], blocks));
  return claims;
}
