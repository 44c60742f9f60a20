import type { Locale, TemplateData } from '@gomomo/channels';
import type { PoolClient } from '@gomomo/core';

/** An appointment with what its messages mention, read inside the tool's transaction. */
export interface AppointmentView {
  id: string;
  tenantId: string;
  reference: string;
  start: string;
  end: string;
  status: 'booked' | 'cancelled';
  /** Core's change sequence: moves on every change of time, resource or status. */
  changeSeq: number;
  clientName: string;
  clientEmail: string | null;
  clientPhone: string | null;
  sessionId: string | null;
  serviceName: string;
  resourceName: string;
  businessName: string;
  timeZone: string;
  locale: Locale;
}

/** The tenant's message language: `settings.locale` ('en' or 'es'), English otherwise. */
export function localeOf(settings: Record<string, unknown> | null | undefined): Locale {
  return settings?.locale === 'es' ? 'es' : 'en';
}

export async function loadAppointment(client: PoolClient, tenantId: string, appointmentId: string): Promise<AppointmentView | null> {
  const { rows } = await client.query<Omit<AppointmentView, 'start' | 'end' | 'locale'> & { start: Date; end: Date; settings: Record<string, unknown> }>(
    `SELECT a.id, a.tenant_id AS "tenantId", a.reference, a.starts_at AS start, a.ends_at AS "end", a.status, a.change_seq AS "changeSeq",
            a.client_name AS "clientName", a.client_email AS "clientEmail", a.client_phone AS "clientPhone", a.session_id AS "sessionId",
            s.name AS "serviceName", r.name AS "resourceName", t.name AS "businessName", t.time_zone AS "timeZone", t.settings
       FROM appointments a
       JOIN services s ON s.tenant_id = a.tenant_id AND s.id = a.service_id
       JOIN resources r ON r.tenant_id = a.tenant_id AND r.id = a.resource_id
       JOIN tenants t ON t.id = a.tenant_id
      WHERE a.tenant_id = $1 AND a.id = $2`,
    [tenantId, appointmentId],
  );
  const row = rows[0];
  if (!row) return null;
  const { settings, start, end, ...rest } = row;
  return { ...rest, start: start.toISOString(), end: end.toISOString(), locale: localeOf(settings) };
}

export function templateDataOf(appointment: AppointmentView): TemplateData {
  return {
    businessName: appointment.businessName,
    clientName: appointment.clientName,
    serviceName: appointment.serviceName,
    resourceName: appointment.resourceName,
    start: appointment.start,
    end: appointment.end,
    timeZone: appointment.timeZone,
    reference: appointment.reference,
  };
}
