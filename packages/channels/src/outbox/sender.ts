import { openNotificationFeed, systemClock, type Clock, type NotificationFeed, type Pool } from '@gomomo/core';
import type { Transports } from '../transports/types.js';
import { claimDueMessages, type ClaimedMessage } from './claim.js';
import { finalizeMessages, type Outcome } from './finalize.js';
import { processMessage, type ProcessContext, type ProcessResult } from './process-message.js';
import { defaultSmsRateLimit, type SmsRateLimit } from './rate-limit.js';
import { readBatchTruth } from './truth.js';

export interface OutboxSenderOptions {
  pool: Pool;
  /** A session-mode pool for LISTEN gomomo_outbox when `pool` goes through a transaction pooler (default `pool`). */
  listenPool?: Pool | undefined;
  /**
   * This process's shared LISTEN connection (e.g. the API's event hub, `EventHub.notifications`):
   * the sender wakes on it and holds no LISTEN connection of its own (issue 15: Postgres wakes every
   * listening connection on every NOTIFY). Default: a LISTEN connection of its own.
   */
  notifications?: NotificationFeed | undefined;
  transports: Transports;
  clock?: Clock | undefined;
  /** Rows claimed per round trip (default 50). */
  batchSize?: number | undefined;
  /** Messages in flight at once per sender (default 16). */
  concurrency?: number | undefined;
  /** How long a claim lasts before another sender may take the row (default 60 s). */
  leaseMs?: number | undefined;
  /** Per-message timeout for the provider call (default 15 s). */
  sendTimeoutMs?: number | undefined;
  smsRateLimit?: SmsRateLimit | undefined;
  /** First retry delay after a transient failure; doubles each attempt (default 30 s, capped at 1 h). */
  retryBaseMs?: number | undefined;
  retryMaxMs?: number | undefined;
  /** When idle, look again this often even without a notification (default 1 s): retries come due silently. */
  pollIntervalMs?: number | undefined;
  /**
   * After a notification, wait this long before claiming (default 20 ms), so the messages that
   * committed meanwhile go in the same claim: a burst of bookings is sent in a few claims and
   * outcome updates instead of two statements per message (issue 15).
   */
  gatherMs?: number | undefined;
  onError?: ((error: unknown) => void) | undefined;
}

/** How many rows ended in each state during a drain. */
export type DrainResult = Record<ProcessResult, number> & { claimed: number };

export interface OutboxSender {
  /** Claims one batch and sends it. */
  drainOnce(): Promise<DrainResult>;
  /** Drains batch after batch until nothing is due. */
  drain(): Promise<DrainResult>;
  /** Runs until stopped, woken by NOTIFY on new rows and by a slow poll for retries. */
  start(): { stop(): Promise<void> };
}

function emptyResult(): DrainResult {
  return { claimed: 0, sent: 0, failed: 0, permanently_failed: 0, rate_limited: 0, suppressed: 0, opted_out: 0, held: 0, reconciled: 0, lost_lease: 0, obsolete: 0 };
}

async function runPool<T>(items: T[], concurrency: number, fn: (item: T) => Promise<void>): Promise<void> {
  let next = 0;
  const workers = Array.from({ length: Math.min(concurrency, items.length) }, async () => {
    while (next < items.length) await fn(items[next++]!);
  });
  await Promise.all(workers);
}

/** Creates the outbox sender: claims due rows with SKIP LOCKED and hands them to the transports. */
export function createOutboxSender(options: OutboxSenderOptions): OutboxSender {
  const clock = options.clock ?? systemClock;
  const ctx: ProcessContext = {
    pool: options.pool,
    clock,
    transports: options.transports,
    smsRateLimit: options.smsRateLimit ?? defaultSmsRateLimit,
    sendTimeoutMs: options.sendTimeoutMs ?? 15_000,
    retryBaseMs: options.retryBaseMs ?? 30_000,
    retryMaxMs: options.retryMaxMs ?? 3_600_000,
  };
  const batchSize = options.batchSize ?? 50;
  const concurrency = options.concurrency ?? 16;
  const leaseMs = options.leaseMs ?? 60_000;

  async function drainOnce(): Promise<DrainResult> {
    const result = emptyResult();
    const rows: ClaimedMessage[] = await claimDueMessages(options.pool, { now: clock.now(), limit: batchSize, leaseMs });
    result.claimed = rows.length;
    // Send-time truth: the appointments these messages describe, as they are now.
    const truth = await readBatchTruth(options.pool, rows);
    const done: { row: ClaimedMessage; outcome: Outcome; result: Exclude<ProcessResult, 'lost_lease'> }[] = [];
    await runPool(rows, concurrency, async (row) => {
      done.push({ row, ...(await processMessage(ctx, row, truth)) });
    });
    // One UPDATE for the whole batch. If this process dies before it, the rows stay 'sending' and
    // the next sender reconciles them with the provider (findSent) instead of sending them again.
    const owned = await finalizeMessages(options.pool, done);
    for (const item of done) result[owned.has(item.row.id) ? item.result : 'lost_lease'] += 1;
    return result;
  }

  async function drain(): Promise<DrainResult> {
    const total = emptyResult();
    for (;;) {
      const batch = await drainOnce();
      for (const key of Object.keys(total) as (keyof DrainResult)[]) total[key] += batch[key];
      if (batch.claimed === 0) return total;
    }
  }

  function start(): { stop(): Promise<void> } {
    let isStopping = false;
    // Set by every notification: a message may have committed that the last claim did not see.
    let isPoked = false;
    let wake: (() => void) | undefined;
    const gatherMs = options.gatherMs ?? 20;
    const poke = (): void => {
      isPoked = true;
      wake?.();
    };
    // One notification per transaction (core's migration 0008, ours 0067): messages queued with
    // domain events are announced on gomomo_events, with an `outbox` part in the payload. A shared
    // feed also carries other channels (a conversation's typing, key changes): those are not ours.
    const onNotification = (message: { channel: string; payload?: string | undefined }): void => {
      if (message.channel === 'gomomo_outbox' || (message.channel === 'gomomo_events' && (message.payload ?? '').split(';').includes('outbox'))) poke();
    };
    const pause = (ms: number): Promise<void> =>
      new Promise<void>((resolve) => {
        wake = resolve;
        setTimeout(resolve, ms);
      }).then(() => {
        wake = undefined;
      });
    // The process's shared LISTEN connection, or one of the sender's own (reopened if it drops).
    const own = options.notifications ? undefined : openNotificationFeed(options.listenPool ?? options.pool, { channels: ['gomomo_outbox', 'gomomo_events'], onError: options.onError });
    const unsubscribe = (options.notifications ?? own!).subscribe(onNotification);
    const loop = (async () => {
      await own?.ready;
      while (!isStopping) {
        isPoked = false;
        let claimed = 0;
        let hasFailed = false;
        try {
          claimed = (await drainOnce()).claimed;
        } catch (error) {
          hasFailed = true;
          options.onError?.(error);
        }
        if (isStopping) break;
        // A full batch: more is due now. A part-full one, or a notification since the claim began:
        // more may be due (another sender's claim may have skipped past rows it held), so gather and
        // claim again. Nothing claimed and no notification: wait for one, or for the slow poll, for
        // retries that came due; after a failure, not before the poll.
        if (claimed >= batchSize && !hasFailed) continue;
        if ((claimed === 0 && !isPoked) || hasFailed) await pause(options.pollIntervalMs ?? 1000);
        if ((claimed > 0 || isPoked) && !isStopping && gatherMs > 0) await new Promise((resolve) => setTimeout(resolve, gatherMs));
      }
    })();
    return {
      async stop() {
        isStopping = true;
        poke();
        // Graceful: the batch in flight finishes and is recorded before we let go.
        await loop;
        unsubscribe();
        await own?.close();
      },
    };
  }

  return { drainOnce, drain, start };
}
