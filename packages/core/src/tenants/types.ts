/** A business using gomomo. All calendar arithmetic for it happens in `timeZone`. */
export interface Tenant {
  id: string;
  slug: string;
  name: string;
  timeZone: string;
  lookaheadDays: number;
  minNoticeMinutes: number;
  slotIntervalMinutes: number;
  holdTtlSeconds: number;
  settings: Record<string, unknown>;
}

/** Someone or something that can be booked: a staff member, a room, a machine. */
export interface Resource {
  id: string;
  name: string;
  kind: 'staff' | 'room' | 'equipment';
}

/** What a customer books. Buffers block the resource before and after, but are not shown as the appointment. */
export interface Service {
  id: string;
  name: string;
  description: string;
  durationMinutes: number;
  bufferBeforeMinutes: number;
  bufferAfterMinutes: number;
  priceCents: number | null;
  currency: string | null;
  /** No customer cancellations or moves within this many hours of the start; 0 means none. */
  changeDeadlineHours: number;
  /** Resources that can do it; every active resource when the service names none. */
  resourceIds: string[];
}
