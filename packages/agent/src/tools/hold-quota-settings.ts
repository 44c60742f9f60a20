/**
 * How scarce holds are rationed (issue 13, "anyone can drain a calendar"). A conversation holds at
 * most one slot (the hold tool releases its older holds); these bound what one client address and
 * all anonymous conversations together may hold. Receptionist config sets the defaults; a tenant's
 * `settings.holdQuota` overrides them field by field.
 */
export interface HoldQuotaSettings {
  /** Live holds one client address may have across its conversations. Default 3. */
  perAddressActive: number;
  /** Holds one client address may take in an hour. Default 20. */
  perAddressPerHour: number;
  /** Share of the service's open slots (next 14 days) that unverified holds may take together. Default 0.25. */
  unverifiedShare: number;
  /** Unverified holds always allowed in total, so a small calendar still works. Default 3. */
  unverifiedMinimum: number;
  /** A shorter hold time before the conversation has contact details; unset keeps the tenant's. */
  unverifiedTtlSeconds?: number | undefined;
}
