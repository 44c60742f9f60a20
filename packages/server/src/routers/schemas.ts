import { z } from 'zod';

// Output schemas of the procedures also served as REST: trpc-to-openapi documents responses from them.

/** Opaque, caller-chosen conversation id: letters, digits, `_` and `-`. */
export const sessionIdSchema = z.string().regex(/^[A-Za-z0-9_-]{8,100}$/, 'must be 8-100 letters, digits, _ or -');
export const referenceSchema = z.string().max(20);
export const instantInputSchema = z.string().max(40);

export const serviceSchema = z.object({
  id: z.string(),
  name: z.string(),
  description: z.string(),
  durationMinutes: z.number(),
  bufferBeforeMinutes: z.number(),
  bufferAfterMinutes: z.number(),
  priceCents: z.number().nullable(),
  currency: z.string().nullable(),
  /** No cancellations or moves within this many hours of the start; 0 means none. */
  changeDeadlineHours: z.number(),
  resourceIds: z.array(z.string()),
});

export const availabilitySchema = z.object({
  timeZone: z.string(),
  serviceId: z.string(),
  slots: z.array(z.object({ start: z.string(), end: z.string(), resourceIds: z.array(z.string()) })),
});

/**
 * Availability for tenants with many resources (issue 15: 605 KB at 50 resources): each resource id
 * once, slots as a start and the indexes of the free resources; every slot lasts `durationMinutes`.
 */
export const compactAvailabilitySchema = z.object({
  timeZone: z.string(),
  serviceId: z.string(),
  /** null when there are no slots to measure it from. */
  durationMinutes: z.number().nullable(),
  resourceIds: z.array(z.string()),
  slots: z.array(z.object({ start: z.string(), resources: z.array(z.number()) })),
});

export const appointmentSchema = z.object({
  id: z.string(),
  reference: z.string(),
  serviceId: z.string(),
  serviceName: z.string(),
  resourceId: z.string(),
  resourceName: z.string(),
  start: z.string(),
  end: z.string(),
  timeZone: z.string(),
  client: z.object({ name: z.string(), email: z.string().nullable(), phone: z.string().nullable() }),
  notes: z.string(),
  status: z.enum(['booked', 'cancelled']),
  sessionId: z.string().nullable(),
  createdAt: z.string(),
  cancelledAt: z.string().nullable(),
});

export const holdSchema = z.object({
  id: z.string(),
  serviceId: z.string(),
  resourceId: z.string(),
  sessionId: z.string(),
  start: z.string(),
  end: z.string(),
  expiresAt: z.string(),
  status: z.enum(['active', 'confirmed', 'released', 'expired']),
});

export const turnEventSchema = z.looseObject({ type: z.string() });

export const turnResultSchema = z.object({ reply: z.string(), sessionId: z.string(), events: z.array(turnEventSchema) });

/** Strips `tenantId` from engine results: the caller's key already says whose they are. */
export function withoutTenant<T extends { tenantId?: string }>(value: T): Omit<T, 'tenantId'> {
  const { tenantId: _tenantId, ...rest } = value;
  return rest;
}

export const tenantSchema = z.object({
  id: z.string(),
  slug: z.string(),
  name: z.string(),
  timeZone: z.string(),
  lookaheadDays: z.number(),
  minNoticeMinutes: z.number(),
  slotIntervalMinutes: z.number(),
  holdTtlSeconds: z.number(),
  settings: z.record(z.string(), z.unknown()),
});

export const apiKeySummarySchema = z.object({
  id: z.string(),
  kind: z.enum(['secret', 'publishable']),
  name: z.string(),
  masked: z.string(),
  createdAt: z.string(),
  lastUsedAt: z.string().nullable(),
  revokedAt: z.string().nullable(),
});

export const createdApiKeySchema = apiKeySummarySchema.extend({ key: z.string() });

/** One SMS receiving number of a tenant (channels' `PhoneNumber`, declared here so the router's type names no channels type). */
export const phoneNumberSchema = z.object({ id: z.string(), tenantId: z.string(), number: z.string(), label: z.string(), isActive: z.boolean(), capabilities: z.array(z.enum(['sms', 'voice'])) });
