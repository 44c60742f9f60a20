import type { ApiError } from '../api.js';
import { Field, FormError } from './field.js';
import { Select } from './select.js';

export interface HoursInterval {
  weekday: number;
  opens: string;
  closes: string;
}

const weekdays = ['Monday', 'Tuesday', 'Wednesday', 'Thursday', 'Friday', 'Saturday', 'Sunday'];

/**
 * Weekly opening intervals, edited in place: the business's hours in Settings and a resource's own
 * hours use the same fields, so a server error names the same `hours.N.field` in both.
 * `whose` ends the remove buttons' labels ("Remove interval 2 of Dr. Ana") where a page lists several.
 */
export function HoursIntervals({ hours, onHours, error, whose }: { hours: HoursInterval[]; onHours: (hours: HoursInterval[]) => void; error: ApiError | null; whose?: string }) {
  const set = (index: number, patch: Partial<HoursInterval>) => onHours(hours.map((h, i) => (i === index ? { ...h, ...patch } : h)));
  return (
    <>
      {hours.map((h, i) => (
        <fieldset key={i} class="toolbar">
          <legend class="hint">Interval {i + 1}</legend>
          <Select label="Day" field={`hours.${i}.weekday`} value={String(h.weekday)} onValue={(v) => set(i, { weekday: Number(v) })} options={weekdays.map((d, w) => ({ value: String(w + 1), label: d }))} error={error} />
          <Field label="Opens" field={`hours.${i}.opens`} type="time" value={h.opens} onValue={(v) => set(i, { opens: v })} error={error} />
          <Field label="Closes" field={`hours.${i}.closes`} type="time" value={h.closes} onValue={(v) => set(i, { closes: v })} error={error} />
          <button type="button" class="link" onClick={() => onHours(hours.filter((_, j) => j !== i))} aria-label={`Remove interval ${i + 1}${whose ? ` of ${whose}` : ''}`}>
            Remove
          </button>
        </fieldset>
      ))}
      <FormError error={error} fields={['hours']} />
      <button type="button" class="secondary" onClick={() => onHours([...hours, { weekday: 1, opens: '09:00', closes: '17:00' }])}>
        Add interval
      </button>
    </>
  );
}
