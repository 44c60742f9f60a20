import { withTenant } from '../db/transaction.js';
import type { EngineContext } from '../engine/context.js';
import { BookingError } from '../errors.js';
import { parseInput } from '../validation/parse.js';
import { appointmentSelect, toAppointment, type AppointmentRow } from './rows.js';
import { listAppointmentsInputSchema } from './schemas.js';
import type { Appointment, ListAppointmentsInput } from './types.js';

interface Position {
  startsAt: Date;
  id: string;
}

/** The cursor is opaque to callers: base64url of the last row's (start, id), the keyset sort key. */
export function encodeCursor(position: Position): string {
  return Buffer.from(JSON.stringify([position.startsAt.toISOString(), position.id])).toString('base64url');
}

export function decodeCursor(cursor: string): Position {
  try {
    const [startsAt, id] = JSON.parse(Buffer.from(cursor, 'base64url').toString('utf8')) as unknown[];
    const date = new Date(String(startsAt));
    if (typeof startsAt !== 'string' || Number.isNaN(date.getTime()) || typeof id !== 'string' || !/^[0-9a-f-]{36}$/i.test(id)) throw new Error('bad shape');
    return { startsAt: date, id };
  } catch (cause) {
    throw new BookingError('VALIDATION', 'cursor: is not a cursor from a previous page', { field: 'cursor', cause });
  }
}

/**
 * A page of the tenant's bookings in start order, optionally within [from, to) and of one status.
 * Keyset pagination (start, id): pages stay stable and cheap however deep, unlike OFFSET.
 */
export async function listAppointments(ctx: EngineContext, input: ListAppointmentsInput): Promise<{ appointments: Appointment[]; nextCursor: string | null }> {
  const data = parseInput(listAppointmentsInputSchema, input);
  const after = data.cursor === undefined ? null : decodeCursor(data.cursor);
  if (data.from && data.to && data.to <= data.from) throw new BookingError('VALIDATION', 'to: must be after from', { field: 'to' });
  return withTenant(
    ctx.pool,
    data.tenantId,
    async (client) => {
      const { rows } = await client.query<AppointmentRow>(
        `${appointmentSelect}
          WHERE a.tenant_id = $1
            AND ($2::timestamptz IS NULL OR a.starts_at >= $2)
            AND ($3::timestamptz IS NULL OR a.starts_at < $3)
            AND ($4::text IS NULL OR a.status = $4)
            AND ($5::timestamptz IS NULL OR (a.starts_at, a.id) > ($5, $6::uuid))
          ORDER BY a.starts_at, a.id
          LIMIT $7`,
        [data.tenantId, data.from ?? null, data.to ?? null, data.status ?? null, after?.startsAt ?? null, after?.id ?? null, data.limit + 1],
      );
      const page = rows.slice(0, data.limit);
      const last = page[page.length - 1];
      return { appointments: page.map(toAppointment), nextCursor: rows.length > data.limit && last ? encodeCursor(last) : null };
    },
    { isolation: 'read committed' },
  );
}
