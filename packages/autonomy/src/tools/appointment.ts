import type { Locale, TemplateData } from '@gomomo/channels';
import { readAppointmentView, type PoolClient } from '@gomomo/core';

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

/** The appointment with its service, resource and tenant, read through core inside the tool's transaction. */
export async function loadAppointment(client: PoolClient, tenantId: string, appointmentId: string): Promise<AppointmentView | null> {
  const view = await readAppointmentView(client, { tenantId, appointmentId });
  if (!view) return null;
  const { tenantSettings, ...rest } = view;
  return { ...rest, locale: localeOf(tenantSettings) };
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
