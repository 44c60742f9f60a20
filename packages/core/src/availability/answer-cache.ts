import type { Availability } from './types.js';

/**
 * What an availability answer from memory was built from. An answer is reused only while both are
 * still current: the busy index's version for the tenant (changed by every applied domain event —
 * bookings, holds, cancellations — and every reload) and the schedule object from the hours cache
 * (settings, services, hours, overrides and connected calendars' busy blocks, replaced whole on
 * every refresh, so identity is its version).
 */
export interface AnswerStamp {
  version: number;
  schedule: object;
}

/** A cached answer with what it depends on and the engine-clock instant it stops being exact. */
interface Entry {
  stamp: AnswerStamp;
  /** Reusable while `now < expiresAt` (see `answerExpiry`). */
  expiresAt: number;
  answer: Availability;
  bytes: number;
}

/**
 * Recent availability answers from memory, per tenant and query, bounded by their size (least
 * recently used first out). Returning the same object for the same state lets the server reuse the
 * bytes it serialised for it (issue 15: a 14-day answer is 138 KB of JSON at 10 resources).
 */
export interface AnswerCache {
  /** The answer for `key` if it was built from `stamp` and is still exact at `now` (engine clock, ms). */
  get(key: string, stamp: AnswerStamp, now: number): Availability | undefined;
  set(key: string, entry: { stamp: AnswerStamp; expiresAt: number; answer: Availability }): void;
  /** Estimated size of the entries held: their answers' JSON, keys and overhead (`estimateEntryBytes`). */
  readonly bytes: number;
}

/**
 * Default bound on the answers held: 16 MiB of their JSON (with each entry's overhead), about 120
 * answers of 14 days at 10 resources. In the heap they take about twice that, and the bytes the
 * server keeps beside them (answer-sized, gzip a tenth) go with them.
 */
export const defaultAnswerCacheBytes = 16 * 1024 * 1024;

/**
 * An answer's size as JSON, estimated without serialising it: the envelope, and per slot two ISO
 * instants of 29 characters plus 39 per resource id (a quoted UUID and a comma).
 */
export function estimateAnswerBytes(answer: Availability): number {
  let bytes = 80;
  for (const slot of answer.slots) bytes += 96 + 39 * slot.resourceIds.length;
  return bytes;
}

/**
 * What holding one entry costs beyond its answer's JSON and its key: the Map slot, the entry and
 * the answer object. Without it an empty answer counted 80 bytes, so strangers asking many distinct
 * empty windows (any instant is a new key) filled the 16 MiB bound with 200,000 entries that took
 * 104 MB of heap (Node 20, 125-character keys: about 520 bytes each).
 */
const entryOverheadBytes = 320;

/** An entry's estimated cost: its answer's JSON, its key, and the overhead of holding it. */
export function estimateEntryBytes(key: string, answer: Availability): number {
  return estimateAnswerBytes(answer) + key.length + entryOverheadBytes;
}

/** Creates an empty cache holding at most `maxBytes` (estimated) of answers. */
export function createAnswerCache(options: { maxBytes?: number } = {}): AnswerCache {
  const maxBytes = options.maxBytes ?? defaultAnswerCacheBytes;
  // A Map iterates in insertion order: re-inserting on use keeps the least recently used first.
  const entries = new Map<string, Entry>();
  let total = 0;

  function remove(key: string, entry: Entry): void {
    entries.delete(key);
    total -= entry.bytes;
  }

  return {
    get(key, stamp, now) {
      const entry = entries.get(key);
      if (!entry) return undefined;
      if (entry.stamp.version !== stamp.version || entry.stamp.schedule !== stamp.schedule || now >= entry.expiresAt) {
        remove(key, entry);
        return undefined;
      }
      entries.delete(key);
      entries.set(key, entry);
      return entry.answer;
    },
    set(key, { stamp, expiresAt, answer }) {
      const previous = entries.get(key);
      if (previous) remove(key, previous);
      const bytes = estimateEntryBytes(key, answer);
      if (bytes > maxBytes) return;
      for (const [oldest, entry] of entries) {
        if (total + bytes <= maxBytes) break;
        remove(oldest, entry);
      }
      entries.set(key, { stamp, expiresAt, answer, bytes });
      total += bytes;
    },
    get bytes() {
      return total;
    },
  };
}
