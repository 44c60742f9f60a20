import { createHash } from 'node:crypto';
import { DateTime } from 'luxon';
import { z } from 'zod';
import type { HoldQuotaSettings } from './hold-quota-settings.js';
import type { ExecutorDeps, ToolScope } from './tool-context.js';

export type { HoldQuotaSettings } from './hold-quota-settings.js';

export const defaultHoldQuota: HoldQuotaSettings = { perAddressActive: 3, perAddressPerHour: 20, unverifiedShare: 0.25, unverifiedMinimum: 3 };

const overrideSchema = z
  .object({
    perAddressActive: z.number().int().min(1).max(1000),
    perAddressPerHour: z.number().int().min(1).max(100_000),
    unverifiedShare: z.number().min(0).max(1),
    unverifiedMinimum: z.number().int().min(0).max(100_000),
    unverifiedTtlSeconds: z.number().int().min(30).max(3600),
  })
  .partial();

/** The quota in force for a tenant: config defaults, then the tenant's valid overrides (invalid ones are ignored). */
export function resolveHoldQuota(defaults: HoldQuotaSettings, tenantSettings: Record<string, unknown>): HoldQuotaSettings {
  const parsed = overrideSchema.safeParse(tenantSettings.holdQuota ?? {});
  return parsed.success ? { ...defaults, ...parsed.data } : defaults;
}

/** Thrown by the hold tool when a quota is reached; the executor turns it into a GUARDRAIL result. */
export class HoldQuotaExceeded extends Error {
  override readonly name = 'HoldQuotaExceeded';
}

/** Origins are kept this long: the longest window a quota looks back over, with room. */
const hourMs = 3_600_000;
/** The window whose open slots the unverified share is measured against. */
const shareWindowDays = 14;

function clientRefOf(address: string | undefined): string | null {
  return address ? createHash('sha256').update(address).digest('hex') : null;
}

/** True when the conversation has a contact: from its channel (SMS sender, caller ID) or given earlier. */
export function isConversationVerified(scope: ToolScope): boolean {
  const vouched = scope.verifiedContact;
  const offered = scope.offeredContact;
  return Boolean(vouched?.phone || vouched?.email || offered?.phone || offered?.email || scope.session.contact.email || scope.session.contact.phone);
}

interface HoldCounts {
  /** Holds this address took in the last hour (this conversation's included). */
  byAddressInHour: number;
  /** Live holds of this address in other conversations. */
  byAddressLive: number;
  /** Live holds of conversations without contact, other than this one. */
  unverifiedLive: number;
}

/**
 * Reads the origins of the last hour that matter (this address's, and unverified ones) and how many
 * of them still hold their slot, in one statement that enters the tenant itself (migration 0172).
 * This conversation's own holds are left out of the live counts: the new hold replaces them. The
 * tenant id is the opened turn's, checked when the turn opened.
 */
async function readHoldCounts(deps: ExecutorDeps, scope: ToolScope, clientRef: string | null): Promise<HoldCounts> {
  const now = deps.clock.now();
  const { rows } = await deps.pool.query<HoldCounts>({
    name: 'gomomo_agent_hold_counts',
    text: `SELECT by_address_in_hour AS "byAddressInHour", by_address_live AS "byAddressLive", unverified_live AS "unverifiedLive"
             FROM gomomo_agent_hold_counts($1, $2, $3, $4, $5)`,
    values: [scope.tenant.id, scope.session.id, clientRef, new Date(now.getTime() - hourMs), now],
  });
  return rows[0]!;
}

async function countOpenSlots(deps: ExecutorDeps, scope: ToolScope, serviceId: string): Promise<number> {
  const today = DateTime.fromJSDate(deps.clock.now(), { zone: scope.tenant.timeZone }).toISODate()!;
  const last = DateTime.fromISO(today).plus({ days: shareWindowDays - 1 }).toISODate()!;
  const availability = await deps.engine.getAvailability({ tenantId: scope.tenant.id, serviceId, from: today, to: last });
  return availability.slots.length;
}

/**
 * Checks, before the hold tool holds anything, that this conversation may: its client address has
 * fewer than `perAddressActive` live holds in other conversations and took fewer than
 * `perAddressPerHour` in the last hour; and, while it has no contact, that the unverified holds of
 * all conversations stay within `unverifiedShare` of the service's open slots. Throws
 * HoldQuotaExceeded with words the model can pass on. Returns the hold time to use.
 */
export async function enforceHoldQuota(context: { scope: ToolScope; deps: ExecutorDeps }, serviceId: string): Promise<{ ttlSeconds: number | undefined }> {
  const { scope, deps } = context;
  const quota = resolveHoldQuota(deps.holdQuota ?? defaultHoldQuota, scope.tenant.settings);
  const isVerified = isConversationVerified(scope);
  const clientRef = clientRefOf(scope.clientAddress);
  if (isVerified && !clientRef) return { ttlSeconds: undefined };
  const counts = await readHoldCounts(deps, scope, clientRef);
  if (clientRef) {
    if (counts.byAddressInHour >= quota.perAddressPerHour) {
      throw new HoldQuotaExceeded('Too many times have been held from this device in the last hour. Nothing was held. Ask the customer to finish a booking already started, or to try again later; they can also call the business.');
    }
    if (counts.byAddressLive >= quota.perAddressActive) {
      throw new HoldQuotaExceeded('This device already holds several times in other conversations. Nothing was held. Ask the customer to finish or let go of those first.');
    }
  }
  if (isVerified) return { ttlSeconds: undefined };
  if (counts.unverifiedLive >= quota.unverifiedMinimum) {
    const open = await countOpenSlots(deps, scope, serviceId);
    if (counts.unverifiedLive + 1 > Math.floor(quota.unverifiedShare * (open + counts.unverifiedLive))) {
      throw new HoldQuotaExceeded('Many times are being held by visitors who have not given contact details yet. Nothing was held. Ask the customer for their name and an email or phone first, then hold the time again.');
    }
  }
  return { ttlSeconds: quota.unverifiedTtlSeconds };
}

/**
 * Records who asked for a hold (hashed address, verified or not), and prunes origins older than a
 * day: one statement that enters the tenant itself (migration 0172).
 */
export async function recordHoldOrigin(context: { scope: ToolScope; deps: ExecutorDeps }, holdId: string): Promise<void> {
  const { scope, deps } = context;
  const now = deps.clock.now();
  await deps.pool.query({
    name: 'gomomo_agent_record_hold_origin',
    text: 'SELECT gomomo_agent_record_hold_origin($1, $2, $3, $4, $5, $6, $7)',
    values: [holdId, scope.tenant.id, scope.session.id, clientRefOf(scope.clientAddress), isConversationVerified(scope), now, new Date(now.getTime() - 24 * hourMs)],
  });
}
