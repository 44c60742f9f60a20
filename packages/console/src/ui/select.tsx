import { useId } from 'preact/hooks';
import type { ApiError } from '../api.js';

export interface SelectProps {
  label: string;
  field: string;
  value: string;
  onValue: (value: string) => void;
  options: { value: string; label: string }[];
  error?: ApiError | null | undefined;
}

/** A labelled select with its error below it, like `Field`. */
export function Select({ label, field, value, onValue, options, error }: SelectProps) {
  const id = useId();
  const message = error?.fieldMessage(field);
  return (
    <div class="field">
      <label for={id}>{label}</label>
      <select id={id} name={field} value={value} onChange={(event) => onValue(event.currentTarget.value)} aria-invalid={message ? 'true' : undefined} aria-describedby={message ? `${id}-error` : undefined}>
        {options.map((option) => (
          <option key={option.value} value={option.value}>
            {option.label}
          </option>
        ))}
      </select>
      {message && (
        <span class="error" id={`${id}-error`}>
          {message}
        </span>
      )}
    </div>
  );
}

/** A labelled checkbox. */
export function Checkbox({ label, checked, onChecked }: { label: string; checked: boolean; onChecked: (checked: boolean) => void }) {
  const id = useId();
  return (
    <div class="field check">
      <label for={id}>
        <input id={id} type="checkbox" checked={checked} onChange={(event) => onChecked(event.currentTarget.checked)} /> {label}
      </label>
    </div>
  );
}
