export type WaitlistStatus = 'waiting' | 'offered' | 'booked' | 'removed';

export interface WaitlistEntry {
  id: string;
  tenantId: string;
  serviceId: string;
  resourceId: string | null;
  /** The window the customer would take a slot in; ISO with the tenant's offset. */
  windowStart: string;
  windowEnd: string;
  client: { name: string; email: string | null; phone: string | null };
  sessionId: string | null;
  status: WaitlistStatus;
  createdAt: string;
}

export interface JoinWaitlistInput {
  tenantId: string;
  serviceId: string;
  resourceId?: string | undefined;
  /** ISO instants or dates ("2026-12-01", tenant zone) bounding when the customer could come. */
  windowStart: string;
  windowEnd: string;
  client: { name: string; email?: string | undefined; phone?: string | undefined };
  sessionId?: string | undefined;
}
