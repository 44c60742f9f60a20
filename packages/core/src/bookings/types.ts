/** How a caller proves a booking is theirs: the email or phone on it, or staff authority. */
export type Verification = { email: string } | { phone: string } | { staff: true };

export interface ClientDetails {
  name: string;
  email?: string | undefined;
  phone?: string | undefined;
}

export type HoldStatus = 'active' | 'confirmed' | 'expired' | 'released';

/** A short claim on a slot while a customer decides; it lapses after the tenant's TTL (default 5 min). */
export interface Hold {
  id: string;
  tenantId: string;
  serviceId: string;
  resourceId: string;
  sessionId: string;
  /** ISO with the tenant's offset. */
  start: string;
  end: string;
  expiresAt: string;
  status: HoldStatus;
}

export type AppointmentStatus = 'booked' | 'cancelled';

export interface Appointment {
  id: string;
  tenantId: string;
  /** Human-friendly code such as "GM-7K3Q9", unique per tenant. */
  reference: string;
  serviceId: string;
  serviceName: string;
  resourceId: string;
  resourceName: string;
  /** ISO with the tenant's offset. */
  start: string;
  end: string;
  timeZone: string;
  client: { name: string; email: string | null; phone: string | null };
  notes: string;
  status: AppointmentStatus;
  sessionId: string | null;
  createdAt: string;
  cancelledAt: string | null;
}

export interface HoldInput {
  tenantId: string;
  serviceId: string;
  /** ISO instant with offset; must be one of the service's slots. */
  start: string;
  /** A specific resource; omitted means the first free one that can perform the service. */
  resourceId?: string | undefined;
  /** The conversation that owns the hold; only it may confirm. */
  sessionId: string;
  /** Override of the tenant's hold TTL, 30–3600 seconds. */
  ttlSeconds?: number | undefined;
}

export interface ConfirmInput {
  tenantId: string;
  holdId: string;
  sessionId: string;
  client: ClientDetails;
  notes?: string | undefined;
}

export interface RescheduleInput {
  tenantId: string;
  reference: string;
  verify: Verification;
  /** ISO instant with offset of the new start. */
  newStart: string;
  /** Move to this resource; omitted keeps the current one if free, else any that can perform the service. */
  resourceId?: string | undefined;
  /** Staff only (`verify: { staff: true }`): pass the service's change deadline; recorded on the event. */
  overrideDeadline?: boolean | undefined;
}

export interface CancelInput {
  tenantId: string;
  reference: string;
  verify: Verification;
  reason?: string | undefined;
  /** Staff only (`verify: { staff: true }`): pass the service's change deadline; recorded on the event. */
  overrideDeadline?: boolean | undefined;
}

export interface LookupInput {
  tenantId: string;
  reference: string;
  verify: Verification;
}

export interface ListAppointmentsInput {
  tenantId: string;
  /** ISO instants bounding the start time. */
  from?: string | undefined;
  to?: string | undefined;
  status?: AppointmentStatus | undefined;
  limit?: number | undefined;
  /** Opaque cursor from the previous page. */
  cursor?: string | undefined;
}
