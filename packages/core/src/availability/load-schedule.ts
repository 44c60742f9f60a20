import type { Queryable } from '../db/pool.js';
import { BookingError } from '../errors.js';
import { mergeBusy } from '../external-busy/merge.js';
import type { Service, Tenant } from '../tenants/types.js';
import type { DateOverride, Interval, Schedule, ScheduleResource, WeeklyHours } from './compute-slots.js';

/** Weekly hours as stored: the tenant's (resourceId null) and each resource's own. */
export type RawHours = WeeklyHours & { resourceId: string | null };

export interface LoadScheduleInput {
  tenant: Tenant;
  service: Service;
  /** Restrict to one resource (it must be able to perform the service). */
  resourceId?: string | undefined;
  /** Busy claims are read for this range only. */
  range: Interval;
  /** Holds that lapsed before this instant don't count as busy. */
  now: Date;
  /** Skip reading claims (bookability checks that only need hours). */
  withoutBusy?: boolean;
}

/**
 * Reads what availability needs in four small queries inside the caller's transaction: the
 * candidate resources' hours, the tenant's hours, the overrides in range, and the busy claims.
 */
export async function loadSchedule(client: Queryable, input: LoadScheduleInput): Promise<Schedule> {
  const { tenant, service } = input;
  const resourceIds = candidateResources(service, input.resourceId);

  // One round trip for the three reads: availability is the hottest query a receptionist makes.
  // Claims: active ones, except holds that have already lapsed (an expired hold never blocks a
  // booking), sent in start order as one string of epoch milliseconds per resource — thousands of
  // rows cost more to ship and parse than one string. Active claims of a resource never overlap
  // (the EXCLUDE constraint), so sorted by start they are sorted by end too, which is all
  // `overlapsAny` needs: merging them (range_agg) cost ~1.2 ms at 2,000 appointments for nothing,
  // and numeric `extract(epoch …)` ~2.4 ms where double-precision `date_part` is exact to the
  // millisecond for these dates (issue 15). Plain timestamp comparisons rather than
  // `during && range`: under Row-Level Security only leakproof operators can drive an index scan
  // (see migration 0002).
  // Named, so each connection plans it once (planning cost more than running it).
  // External busy time (a connected calendar, issue 18) comes in the same round trip, in the same
  // span format; it may overlap claims and itself, so it is merged in below.
  const { rows } = await client.query<{
    hours: RawHours[] | null;
    overrides: DateOverride[] | null;
    busy: { resourceId: string; spans: string }[] | null;
    external: { resourceId: string; spans: string }[] | null;
  }>({
    name: 'gomomo_load_schedule',
    text: `SELECT
       (SELECT json_agg(json_build_object('resourceId', resource_id, 'weekday', weekday,
                                          'opens', to_char(opens_at, 'HH24:MI'), 'closes', to_char(closes_at, 'HH24:MI')))
          FROM business_hours WHERE tenant_id = $1 AND (resource_id IS NULL OR resource_id = ANY($2::uuid[]))) AS hours,
       (SELECT json_agg(json_build_object('date', to_char(on_date, 'YYYY-MM-DD'), 'resourceId', resource_id,
                                          'opens', to_char(opens_at, 'HH24:MI'), 'closes', to_char(closes_at, 'HH24:MI')))
          FROM date_overrides
         WHERE tenant_id = $1 AND (resource_id IS NULL OR resource_id = ANY($2::uuid[]))
           AND on_date BETWEEN ($3::timestamptz AT TIME ZONE $5)::date AND ($4::timestamptz AT TIME ZONE $5)::date) AS overrides,
       CASE WHEN $7 THEN NULL ELSE
       (SELECT json_agg(json_build_object('resourceId', resource_id, 'spans', spans))
          FROM (SELECT c.resource_id,
                       string_agg(round(date_part('epoch', c.starts_at) * 1000)::bigint || ',' || round(date_part('epoch', c.ends_at) * 1000)::bigint, ','
                                  ORDER BY c.starts_at) AS spans
                  FROM claims c
                 WHERE c.tenant_id = $1 AND c.is_active AND c.resource_id = ANY($2::uuid[])
                   AND c.starts_at < $4 AND c.ends_at > $3
                   AND NOT EXISTS (SELECT 1 FROM holds h WHERE h.claim_id = c.id AND h.status = 'active' AND h.expires_at <= $6)
                 GROUP BY c.resource_id) AS per_resource) END AS busy,
       CASE WHEN $7 THEN NULL ELSE
       (SELECT json_agg(json_build_object('resourceId', resource_id, 'spans', spans))
          FROM (SELECT x.resource_id,
                       string_agg(round(date_part('epoch', x.starts_at) * 1000)::bigint || ',' || round(date_part('epoch', x.ends_at) * 1000)::bigint, ','
                                  ORDER BY x.starts_at) AS spans
                  FROM external_busy x
                 WHERE x.tenant_id = $1 AND x.resource_id = ANY($2::uuid[]) AND x.starts_at < $4 AND x.ends_at > $3
                 GROUP BY x.resource_id) AS per_resource) END AS external`,
    values: [tenant.id, resourceIds, new Date(input.range.start), new Date(input.range.end), tenant.timeZone, input.now, input.withoutBusy === true],
  });
  const busy = new Map<string, Interval[]>(resourceIds.map((id) => [id, []]));
  for (const { resourceId, spans } of rows[0]!.busy ?? []) busy.set(resourceId, parseSpans(spans));
  for (const { resourceId, spans } of rows[0]!.external ?? []) busy.set(resourceId, mergeBusy(busy.get(resourceId) ?? [], parseSpans(spans)));
  return buildSchedule({ tenant, service, resourceIds, hours: rows[0]!.hours ?? [], overrides: rows[0]!.overrides ?? [], busy });
}

/** The candidate resources of a service, or the one asked for (which must be able to perform it). */
export function candidateResources(service: Service, resourceId: string | undefined): string[] {
  if (resourceId === undefined) return service.resourceIds;
  if (!service.resourceIds.includes(resourceId)) {
    throw new BookingError('NOT_FOUND', `Resource ${resourceId} does not exist or cannot perform "${service.name}"`, { field: 'resourceId' });
  }
  return [resourceId];
}

/** Assembles a `Schedule` from hours (the tenant's and its resources'), overrides and busy time already read. */
export function buildSchedule(input: { tenant: Tenant; service: Service; resourceIds: string[]; hours: RawHours[]; overrides: DateOverride[]; busy: Map<string, Interval[]> }): Schedule {
  const { tenant, hours } = input;
  const resources: ScheduleResource[] = input.resourceIds.map((id) => ({ id, hours: hours.filter((h) => h.resourceId === id) }));
  return {
    timeZone: tenant.timeZone,
    slotIntervalMinutes: tenant.slotIntervalMinutes,
    minNoticeMinutes: tenant.minNoticeMinutes,
    lookaheadDays: tenant.lookaheadDays,
    service: input.service,
    resources,
    tenantHours: hours.filter((h) => h.resourceId === null),
    overrides: input.overrides,
    busy: input.busy,
  };
}

/** "a,b,c,d" → [{start: a, end: b}, {start: c, end: d}], in the order the query sorted them. */
function parseSpans(spans: string): Interval[] {
  const numbers = spans.split(',');
  const intervals: Interval[] = [];
  for (let i = 0; i + 1 < numbers.length; i += 2) intervals.push({ start: Number(numbers[i]), end: Number(numbers[i + 1]) });
  return intervals;
}
