import type { Pool } from '@gomomo/core';
import { performance } from 'node:perf_hooks';
import { loadSnapshot, readRevision } from '../rules/store.js';
import { compilePolicy, type CompiledPolicy } from './compiled-policy.js';

interface Entry {
  policy: CompiledPolicy;
  /** performance.now() of the last revision check: a monotonic timer, not the domain clock. */
  checkedAt: number;
}

export interface PolicyCache {
  get(tenantId: string): Promise<CompiledPolicy>;
  invalidate(tenantId: string): void;
}

/**
 * Compiled policies keyed by tenant and revision. A cached policy is trusted for `refreshMs`; after
 * that one indexed read of the revision decides whether to recompile. Concurrent misses share one load.
 */
export function createPolicyCache(pool: Pool, refreshMs: number): PolicyCache {
  const entries = new Map<string, Entry>();
  const loading = new Map<string, Promise<CompiledPolicy>>();
  // Bumped by invalidate(): a load that started before a change must not cache what it read.
  let generation = 0;

  async function load(tenantId: string): Promise<CompiledPolicy> {
    const startedAt = performance.now();
    const startedGeneration = generation;
    const policy = compilePolicy(await loadSnapshot(pool, tenantId));
    if (generation === startedGeneration) entries.set(tenantId, { policy, checkedAt: startedAt });
    return policy;
  }

  async function refresh(tenantId: string, entry: Entry | undefined): Promise<CompiledPolicy> {
    if (entry) {
      const checkedAt = performance.now();
      if ((await readRevision(pool, tenantId)) === entry.policy.revision) {
        entry.checkedAt = checkedAt;
        return entry.policy;
      }
    }
    return load(tenantId);
  }

  return {
    get(tenantId) {
      const entry = entries.get(tenantId);
      if (entry && performance.now() - entry.checkedAt < refreshMs) return Promise.resolve(entry.policy);
      let pending = loading.get(tenantId);
      if (!pending) {
        const started = refresh(tenantId, entry).finally(() => {
          if (loading.get(tenantId) === started) loading.delete(tenantId);
        });
        pending = started;
        loading.set(tenantId, pending);
      }
      return pending;
    },
    invalidate(tenantId) {
      generation += 1;
      entries.delete(tenantId);
      loading.delete(tenantId);
    },
  };
}
