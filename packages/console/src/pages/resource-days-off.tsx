// One resource's own closed days and special hours (a staff member's day off) on the Staff & rooms
// page: on those dates they replace the weekly hours and the business's own dates for that resource.
import { useState } from 'preact/hooks';
import { mutate, query } from '../api.js';
import { Field, FormError } from '../ui/field.js';
import { useAction, useLoad } from '../ui/use-load.js';
import type { StaffResource } from './catalog.js';

interface DayOverride {
  date: string;
  opens: string;
  closes: string;
  reason: string;
}

type StoredOverride = { date: string; opens: string | null; closes: string | null; reason: string };

function DaysOffForm({ resource, saved, onSaved }: { resource: StaffResource; saved: StoredOverride[]; onSaved: () => void }) {
  const [days, setDays] = useState<DayOverride[]>(saved.map((o) => ({ ...o, opens: o.opens ?? '', closes: o.closes ?? '' })));
  const action = useAction();
  const set = (index: number, patch: Partial<DayOverride>) => setDays(days.map((d, i) => (i === index ? { ...d, ...patch } : d)));
  async function save(event: Event) {
    event.preventDefault();
    const overrides = days.map((d) => ({ date: d.date, reason: d.reason, ...(d.opens || d.closes ? { opens: d.opens, closes: d.closes } : {}) }));
    if (await action.run(() => mutate('console.catalog.saveResourceOverrides', { resourceId: resource.id, overrides }))) onSaved();
  }
  return (
    <form onSubmit={save} aria-label={`Days off of ${resource.name}`}>
      <h3>Days off and special hours</h3>
      <p class="hint">Leave both times empty for a day off. On these dates {resource.name} follows only this list.</p>
      {days.map((d, i) => (
        <fieldset key={i} class="toolbar">
          <legend class="hint">Date {i + 1}</legend>
          <Field label="Date" field={`overrides.${i}.date`} type="date" value={d.date} onValue={(v) => set(i, { date: v })} error={action.error} />
          <Field label="Opens" field={`overrides.${i}.opens`} type="time" value={d.opens} onValue={(v) => set(i, { opens: v })} error={action.error} />
          <Field label="Closes" field={`overrides.${i}.closes`} type="time" value={d.closes} onValue={(v) => set(i, { closes: v })} error={action.error} />
          <Field label="Reason" field={`overrides.${i}.reason`} value={d.reason} onValue={(v) => set(i, { reason: v })} error={action.error} />
          <button type="button" class="link" onClick={() => setDays(days.filter((_, j) => j !== i))} aria-label={`Remove date ${i + 1} of ${resource.name}`}>
            Remove
          </button>
        </fieldset>
      ))}
      <FormError error={action.error} fields={['overrides']} />
      <button type="button" class="secondary" onClick={() => setDays([...days, { date: '', opens: '', closes: '', reason: '' }])}>
        Add date
      </button>{' '}
      <button type="submit" disabled={action.isBusy}>
        Save dates
      </button>
    </form>
  );
}

/** Loads the resource's dates, then the form (keyed by what was saved, so a save shows the stored list). */
export function ResourceDaysOff({ resource, onSaved }: { resource: StaffResource; onSaved: () => void }) {
  const stored = useLoad(() => query<StoredOverride[]>('console.catalog.resourceOverrides', { resourceId: resource.id }), [resource.id]);
  if (!stored.data) return stored.error ? <p role="alert">{stored.error.message}</p> : <p class="loading">Loading days off…</p>;
  const saved = () => {
    stored.reload();
    onSaved();
  };
  return <DaysOffForm key={JSON.stringify(stored.data)} resource={resource} saved={stored.data} onSaved={saved} />;
}
