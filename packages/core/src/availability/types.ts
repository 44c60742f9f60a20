/** One bookable start time for a service. Times are ISO 8601 with the tenant's offset, e.g. "2026-12-01T09:00:00.000-05:00". */
export interface Slot {
  start: string;
  end: string;
  /** Resources free for the whole slot (buffers included), in name order; never empty. */
  resourceIds: string[];
}

export interface AvailabilityQuery {
  tenantId: string;
  serviceId: string;
  /** First day, "2026-12-01" in the tenant's zone, or an ISO instant. */
  from: string;
  /** Last day inclusive ("2026-12-03"), or an ISO instant (exclusive). At most 14 days after `from`… and never past the tenant's lookahead. */
  to: string;
  /** Only this resource; omitted means any resource that can perform the service. */
  resourceId?: string | undefined;
}

export interface Availability {
  timeZone: string;
  serviceId: string;
  slots: Slot[];
}
