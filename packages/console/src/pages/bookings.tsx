import { useEffect, useState } from 'preact/hooks';
import { mutate, query, type ApiError } from '../api.js';
import { navigate } from '../router.js';
import { useMe } from '../session.js';
import { Field, FormError } from '../ui/field.js';
import { addDays, dateIn, dayLabel, timeIn } from '../ui/format.js';
import { Checkbox, Select } from '../ui/select.js';
import { useAction, useLoad } from '../ui/use-load.js';
import { ForgetDevicesButton } from './forget-devices.js';
import { useLive } from './live.js';
import type { ConsolePage, PageProps } from './page.js';

interface GridBooking {
  reference: string;
  start: string;
  end: string;
  status: 'booked' | 'cancelled';
  serviceId: string;
  serviceName: string;
  resourceId: string;
  resourceName: string;
  client: { name: string; email: string | null; phone: string | null };
  channel: string;
}

interface Grid {
  from: string;
  days: 1 | 7;
  timeZone: string;
  today: string;
  resources: { id: string; name: string }[];
  services: { id: string; name: string; durationMinutes: number; resourceIds: string[] }[];
  bookings: GridBooking[];
}

/** Open slots of a service on a date, as a select; empty until both are chosen. */
function SlotPicker({ serviceId, date, value, onValue, error }: { serviceId: string; date: string; value: string; onValue: (start: string) => void; error?: ApiError | null }) {
  const me = useMe();
  const slots = useLoad(() => (serviceId && date ? query<{ start: string }[]>('console.bookings.slots', { serviceId, date }) : Promise.resolve([])), [serviceId, date]);
  const options = (slots.data ?? []).map((slot) => ({ value: slot.start, label: timeIn(slot.start, me.tenant.timeZone) }));
  useEffect(() => {
    if (options.length > 0 && !options.some((o) => o.value === value)) onValue(options[0]!.value);
  }, [slots.data]);
  if (slots.isLoading && !slots.data) return <p class="hint">Loading open times…</p>;
  if (options.length === 0) return <p class="hint">No open times that day.</p>;
  return <Select label="Time" field="start" value={value} onValue={onValue} options={options} error={error} />;
}

function NewBooking({ grid, onDone }: { grid: Grid; onDone: () => void }) {
  const [serviceId, setServiceId] = useState(grid.services[0]?.id ?? '');
  const [date, setDate] = useState(grid.from);
  const [start, setStart] = useState('');
  const [name, setName] = useState('');
  const [email, setEmail] = useState('');
  const [phone, setPhone] = useState('');
  const action = useAction();
  async function submit(event: Event) {
    event.preventDefault();
    const created = await action.run(() =>
      mutate('console.bookings.create', { serviceId, start, client: { name, ...(email ? { email } : {}), ...(phone ? { phone } : {}) } }),
    );
    if (created) onDone();
  }
  return (
    <form class="panel" onSubmit={submit} aria-labelledby="new-booking">
      <h2 id="new-booking">New booking for a caller</h2>
      <Select label="Service" field="serviceId" value={serviceId} onValue={setServiceId} options={grid.services.map((s) => ({ value: s.id, label: s.name }))} error={action.error} />
      <Field label="Date" field="date" type="date" value={date} onValue={setDate} />
      <SlotPicker serviceId={serviceId} date={date} value={start} onValue={setStart} error={action.error} />
      <Field label="Caller's name" field="client.name" value={name} onValue={setName} error={action.error} required />
      <Field label="Email" field="client.email" type="email" value={email} onValue={setEmail} error={action.error} />
      <Field label="Phone" field="client.phone" type="tel" value={phone} onValue={setPhone} error={action.error} hint="E.164, e.g. +12125550123" />
      <FormError error={action.error} fields={['serviceId', 'start', 'client']} />
      <button type="submit" disabled={action.isBusy || !start}>
        Book
      </button>{' '}
      <button type="button" class="secondary" onClick={onDone}>
        Close
      </button>
    </form>
  );
}

function ChangeBooking({ booking, mode, onDone }: { booking: GridBooking; mode: 'move' | 'cancel'; onDone: () => void }) {
  const me = useMe();
  const [date, setDate] = useState(dateIn(booking.start, me.tenant.timeZone));
  const [start, setStart] = useState('');
  const [reason, setReason] = useState('');
  const [isOverride, setOverride] = useState(false);
  const action = useAction();
  async function submit(event: Event) {
    event.preventDefault();
    const overrideDeadline = isOverride || undefined;
    const done =
      mode === 'move'
        ? await action.run(() => mutate('console.bookings.move', { reference: booking.reference, newStart: start, overrideDeadline }))
        : await action.run(() => mutate('console.bookings.cancel', { reference: booking.reference, ...(reason ? { reason } : {}), overrideDeadline }));
    if (done) onDone();
  }
  const title = `${mode === 'move' ? 'Move' : 'Cancel'} ${booking.reference} (${booking.client.name}, ${timeIn(booking.start, me.tenant.timeZone)})`;
  return (
    <form class="panel" onSubmit={submit} aria-label={title}>
      <h2>{title}</h2>
      {mode === 'move' ? (
        <>
          <Field label="New date" field="date" type="date" value={date} onValue={setDate} />
          <SlotPicker serviceId={booking.serviceId} date={date} value={start} onValue={setStart} error={action.error} />
        </>
      ) : (
        <Field label="Reason (optional)" field="reason" value={reason} onValue={setReason} error={action.error} />
      )}
      <Checkbox label="Override the change deadline (recorded in the audit log)" checked={isOverride} onChecked={setOverride} />
      <FormError error={action.error} fields={['newStart', 'reason']} />
      <button type="submit" disabled={action.isBusy || (mode === 'move' && !start)}>
        {mode === 'move' ? 'Move booking' : 'Cancel booking'}
      </button>{' '}
      <button type="button" class="secondary" onClick={onDone}>
        Keep as is
      </button>
    </form>
  );
}

function BookingCard({ booking, onChange }: { booking: GridBooking; onChange: (mode: 'move' | 'cancel') => void }) {
  const me = useMe();
  const isCancelled = booking.status === 'cancelled';
  return (
    <li class={`booking${isCancelled ? ' cancelled' : ''}`}>
      <strong>
        {timeIn(booking.start, me.tenant.timeZone)}–{timeIn(booking.end, me.tenant.timeZone)}
      </strong>{' '}
      {booking.client.name}
      <ul>
        <li>{booking.serviceName}</li>
        <li>
          {booking.status} · {booking.channel} · {booking.reference}
        </li>
      </ul>
      {!isCancelled && (
        <>
          <button type="button" class="link" onClick={() => onChange('move')} aria-label={`Move ${booking.reference}`}>
            Move
          </button>
          <button type="button" class="link" onClick={() => onChange('cancel')} aria-label={`Cancel ${booking.reference}`}>
            Cancel
          </button>
        </>
      )}
      {(booking.client.email || booking.client.phone) && <ForgetDevicesButton customer={{ reference: booking.reference }} who={`${booking.client.name} (${booking.reference})`} class="link" />}
    </li>
  );
}

function Bookings({ params }: PageProps) {
  const me = useMe();
  const days = params[0] === 'week' ? 7 : 1;
  const from = params[1];
  const grid = useLoad(() => query<Grid>('console.bookings.grid', { days, ...(from ? { from } : {}) }), [days, from]);
  const [isCreating, setCreating] = useState(false);
  const [change, setChange] = useState<{ booking: GridBooking; mode: 'move' | 'cancel' } | null>(null);
  // Bookings made on any channel (the widget, SMS, the API, another staff member) are pushed as they commit.
  useLive('console.bookings.events', grid.reload);
  const data = grid.data;
  if (!data) return grid.error ? <p role="alert">{grid.error.message}</p> : <p class="loading">Loading bookings…</p>;
  const go = (date: string) => navigate('bookings', days === 7 ? 'week' : 'day', date);
  const columns =
    days === 1
      ? data.resources.map((r) => ({ key: r.id, title: r.name, bookings: data.bookings.filter((b) => b.resourceId === r.id) }))
      : Array.from({ length: 7 }, (_, i) => addDays(data.from, i)).map((date) => ({ key: date, title: dayLabel(date), bookings: data.bookings.filter((b) => dateIn(b.start, me.tenant.timeZone) === date) }));
  const done = () => {
    setCreating(false);
    setChange(null);
    grid.reload();
  };
  return (
    <>
      <div class="toolbar">
        <button type="button" class="secondary" onClick={() => go(addDays(data.from, -days))}>
          Previous {days === 7 ? 'week' : 'day'}
        </button>
        <button type="button" class="secondary" onClick={() => go(data.today)}>
          Today
        </button>
        <button type="button" class="secondary" onClick={() => go(addDays(data.from, days))}>
          Next {days === 7 ? 'week' : 'day'}
        </button>
        <button type="button" class="secondary" onClick={() => navigate('bookings', days === 7 ? 'day' : 'week', data.from)}>
          {days === 7 ? 'Day view' : 'Week view'}
        </button>
        <button type="button" onClick={() => setCreating(true)}>
          New booking
        </button>
      </div>
      <p aria-live="polite">
        {days === 7 ? `Week of ${dayLabel(data.from)}` : dayLabel(data.from)} · times in {data.timeZone} · {data.bookings.filter((b) => b.status === 'booked').length} booked
      </p>
      {isCreating && <NewBooking grid={data} onDone={done} />}
      {change && <ChangeBooking booking={change.booking} mode={change.mode} onDone={done} />}
      <div class="grid">
        {columns.map((column) => (
          <section class="column" key={column.key} aria-label={column.title}>
            <h2>{column.title}</h2>
            {column.bookings.length === 0 ? (
              <p class="hint">No bookings.</p>
            ) : (
              <ul class="cards">
                {column.bookings.map((b) => (
                  <BookingCard key={b.reference} booking={b} onChange={(mode) => setChange({ booking: b, mode })} />
                ))}
              </ul>
            )}
          </section>
        ))}
      </div>
    </>
  );
}

export const bookingsPage: ConsolePage = { path: 'bookings', title: 'Bookings', component: Bookings };
