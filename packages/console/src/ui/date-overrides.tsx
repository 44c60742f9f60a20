import type { ApiError } from '../api.js';
import { Field, FormError } from './field.js';

/** A date override as the form edits it: empty times for a closed day. */
export interface DateOverrideRow {
  date: string;
  opens: string;
  closes: string;
  reason: string;
}

/** A stored override, as the server answers it: no times for a closed day. */
export interface StoredDateOverride {
  date: string;
  opens: string | null;
  closes: string | null;
  reason: string;
}

export const toOverrideRows = (stored: StoredDateOverride[]): DateOverrideRow[] => stored.map((o) => ({ ...o, opens: o.opens ?? '', closes: o.closes ?? '' }));

/** What the server takes: times only where the day is not closed. */
export const toOverrides = (rows: DateOverrideRow[]) => rows.map((o) => ({ date: o.date, reason: o.reason, ...(o.opens || o.closes ? { opens: o.opens, closes: o.closes } : {}) }));

/**
 * Closed days and special hours, edited in place: the business's dates in Settings and a resource's
 * days off use the same fields, so a server error names the same `overrides.N.field` in both.
 * `whose` ends the remove buttons' labels ("Remove date 2 of Dr. Ana") where a page lists several.
 */
export function DateOverrideRows({ rows, onRows, error, whose }: { rows: DateOverrideRow[]; onRows: (rows: DateOverrideRow[]) => void; error: ApiError | null; whose?: string }) {
  const set = (index: number, patch: Partial<DateOverrideRow>) => onRows(rows.map((o, i) => (i === index ? { ...o, ...patch } : o)));
  return (
    <>
      {rows.map((o, i) => (
        <fieldset key={i} class="toolbar">
          <legend class="hint">Date {i + 1}</legend>
          <Field label="Date" field={`overrides.${i}.date`} type="date" value={o.date} onValue={(v) => set(i, { date: v })} error={error} />
          <Field label="Opens" field={`overrides.${i}.opens`} type="time" value={o.opens} onValue={(v) => set(i, { opens: v })} error={error} />
          <Field label="Closes" field={`overrides.${i}.closes`} type="time" value={o.closes} onValue={(v) => set(i, { closes: v })} error={error} />
          <Field label="Reason" field={`overrides.${i}.reason`} value={o.reason} onValue={(v) => set(i, { reason: v })} error={error} />
          <button type="button" class="link" onClick={() => onRows(rows.filter((_, j) => j !== i))} aria-label={`Remove date ${i + 1}${whose ? ` of ${whose}` : ''}`}>
            Remove
          </button>
        </fieldset>
      ))}
      <FormError error={error} fields={['overrides']} />
      <button type="button" class="secondary" onClick={() => onRows([...rows, { date: '', opens: '', closes: '', reason: '' }])}>
        Add date
      </button>
    </>
  );
}
