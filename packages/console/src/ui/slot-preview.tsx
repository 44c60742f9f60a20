import { useEffect, useState } from 'preact/hooks';
import { query } from '../api.js';
import { useMe } from '../session.js';
import { Field } from './field.js';
import { addDays, timeIn } from './format.js';
import { Select } from './select.js';
import { useLoad } from './use-load.js';

/**
 * A service, a date (tomorrow at first) and the open slots they give with the saved settings, read
 * again whenever `version` changes (after every save). The business's Settings page shows all of
 * its services; a resource's page shows the services it does, and only its own slots.
 */
export function SlotPreviewFields({ services, resourceId, version, testId }: { services: { id: string; name: string }[]; resourceId?: string; version: number; testId: string }) {
  const me = useMe();
  const [serviceId, setServiceId] = useState(services[0]?.id ?? '');
  const [date, setDate] = useState('');
  const today = useLoad(() => query<{ today: string }>('console.bookings.grid', { days: 1 }), []);
  useEffect(() => {
    if (!date && today.data) setDate(addDays(today.data.today, 1));
  }, [today.data]);
  // A service the list no longer has (turned off, or no longer done here) gives way to the first.
  const chosen = services.some((s) => s.id === serviceId) ? serviceId : (services[0]?.id ?? '');
  const slots = useLoad(
    () => (chosen && date ? query<{ start: string }[]>('console.bookings.slots', { serviceId: chosen, date, resourceId }) : Promise.resolve([])),
    [chosen, date, version],
  );
  return (
    <>
      <div class="toolbar">
        <Select label="Service" field="serviceId" value={chosen} onValue={setServiceId} options={services.map((s) => ({ value: s.id, label: s.name }))} />
        <Field label="Date" field="date" type="date" value={date} onValue={setDate} error={slots.error} />
      </div>
      <div aria-live="polite" data-testid={testId}>
        {slots.data && !slots.isLoading && (slots.data.length === 0 ? <p>No open slots on {date}.</p> : <p>{slots.data.length} open slots on {date}:</p>)}
        <ul class="slots">
          {(slots.data ?? []).map((s) => (
            <li key={s.start}>{timeIn(s.start, me.tenant.timeZone)}</li>
          ))}
        </ul>
      </div>
    </>
  );
}
