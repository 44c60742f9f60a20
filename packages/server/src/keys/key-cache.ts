import type { Pool } from '@gomomo/core';
import { hashKey, isApiKeyFormat, recordKeyUse, verifyApiKey, type KeyIdentity } from './keys.js';

/** The longest a verified key is trusted without asking the database again (issue 15: ≤ 1 s). */
export const keyCacheMaxStaleMs = 1000;

/** How stale `last_used_at` may get before a request refreshes it (as in `verifyApiKey`). */
const lastUsedResolutionMs = 60_000;

export interface KeyCache {
  /** The identity of a live key, from memory when verified less than `maxStaleMs` ago. */
  verify(key: string, now: Date): Promise<KeyIdentity | null>;
  /** Drops the tenant's keys (a key was revoked or its origins changed), or every key with no tenant. */
  forget(tenantId?: string | null): void;
  /** Keys held (for tests and metrics). */
  readonly size: number;
}

export interface KeyCacheOptions {
  pool: Pool;
  /** Default `keyCacheMaxStaleMs`; 0 turns the cache off. */
  maxStaleMs?: number;
  /** Monotonic milliseconds; tests pass their own. Freshness is about the process, not business time. */
  monotonicNow?: () => number;
}

interface Entry {
  identity: KeyIdentity;
  verifiedAt: number;
  lastUsedAt: number;
}

/**
 * Verified API keys held in process, so a read costs one round trip instead of two. A revocation
 * or an origin change reaches every instance through the `gomomo_keys` notification (migration
 * 0059, fed to `forget` by the event hub) within milliseconds; if that notification is lost (say,
 * the LISTEN connection is down), an entry still expires `maxStaleMs` after it was verified, so a
 * revoked key is refused at most one second later. Unknown keys are not cached: guessing keys must
 * not grow memory.
 */
export function createKeyCache(options: KeyCacheOptions): KeyCache {
  const maxStaleMs = options.maxStaleMs ?? keyCacheMaxStaleMs;
  const monotonicNow = options.monotonicNow ?? (() => performance.now());
  const entries = new Map<string, Entry>();
  // Bumped by every `forget`: a read that was in flight when keys changed is used once, not kept.
  let generation = 0;
  return {
    async verify(key, now) {
      if (!isApiKeyFormat(key)) return null;
      const hash = hashKey(key);
      const entry = entries.get(hash);
      if (entry && monotonicNow() - entry.verifiedAt < maxStaleMs) {
        if (now.getTime() - entry.lastUsedAt >= lastUsedResolutionMs) {
          entry.lastUsedAt = now.getTime();
          await recordKeyUse(options.pool, entry.identity.keyId, now);
        }
        return entry.identity;
      }
      entries.delete(hash);
      const verifiedAt = monotonicNow();
      const before = generation;
      const identity = await verifyApiKey(options.pool, key, now);
      if (identity && maxStaleMs > 0 && generation === before) {
        // A long-lived process meets a bounded number of tenants' keys; clear rather than grow without end.
        if (entries.size >= 10_000) entries.clear();
        entries.set(hash, { identity, verifiedAt, lastUsedAt: now.getTime() });
      }
      return identity;
    },
    forget(tenantId) {
      generation++;
      if (!tenantId) {
        entries.clear();
        return;
      }
      for (const [hash, entry] of entries) if (entry.identity.tenantId === tenantId) entries.delete(hash);
    },
    get size() {
      return entries.size;
    },
  };
}
