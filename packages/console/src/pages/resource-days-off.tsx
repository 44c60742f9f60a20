// One resource's own closed days and special hours (a staff member's day off) on the Staff & rooms
// page: on those dates they replace the weekly hours and the business's own dates for that resource.
import { useState } from 'preact/hooks';
import { mutate, query } from '../api.js';
import { DateOverrideRows, toOverrideRows, toOverrides, type StoredDateOverride } from '../ui/date-overrides.js';
import { useAction, useLoad } from '../ui/use-load.js';
import type { StaffResource } from './catalog.js';

function DaysOffForm({ resource, saved, onSaved }: { resource: StaffResource; saved: StoredDateOverride[]; onSaved: () => void }) {
  const [days, setDays] = useState(toOverrideRows(saved));
  const action = useAction();
  async function save(event: Event) {
    event.preventDefault();
    if (await action.run(() => mutate('console.catalog.saveResourceOverrides', { resourceId: resource.id, overrides: toOverrides(days) }))) onSaved();
  }
  return (
    <form onSubmit={save} aria-label={`Days off of ${resource.name}`}>
      <h3>Days off and special hours</h3>
      <p class="hint">Leave both times empty for a day off. On these dates {resource.name} follows only this list.</p>
      <DateOverrideRows rows={days} onRows={setDays} error={action.error} whose={resource.name} />{' '}
      <button type="submit" disabled={action.isBusy}>
        Save dates
      </button>
    </form>
  );
}

/** Loads the resource's dates, then the form (keyed by what was saved, so a save shows the stored list). */
export function ResourceDaysOff({ resource, onSaved }: { resource: StaffResource; onSaved: () => void }) {
  const stored = useLoad(() => query<StoredDateOverride[]>('console.catalog.resourceOverrides', { resourceId: resource.id }), [resource.id]);
  if (!stored.data) return stored.error ? <p role="alert">{stored.error.message}</p> : <p class="loading">Loading days off…</p>;
  const saved = () => {
    stored.reload();
    onSaved();
  };
  return <DaysOffForm key={JSON.stringify(stored.data)} resource={resource} saved={stored.data} onSaved={saved} />;
}
