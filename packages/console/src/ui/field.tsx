import { useId } from 'preact/hooks';
import type { ApiError } from '../api.js';

export interface FieldProps {
  type?: 'text' | 'email' | 'password' | 'number' | 'date' | 'time' | 'datetime-local' | 'url' | 'tel';
  autoComplete?: string;
  required?: boolean;
  placeholder?: string;
  min?: string | number;
  max?: string | number;
  label: string;
  /** The server's field name, to show its error next to this input. */
  field: string;
  value: string;
  onValue: (value: string) => void;
  error?: ApiError | null | undefined;
  hint?: string;
}

/**
 * A labelled input with its error right below it, tied together for screen readers
 * (`aria-invalid`, `aria-describedby`), as WCAG 3.3.1 asks of input errors.
 */
export function Field({ label, field, value, onValue, error, hint, type = 'text', ...input }: FieldProps) {
  const id = useId();
  const message = error?.fieldMessage(field);
  const described = [hint ? `${id}-hint` : '', message ? `${id}-error` : ''].filter(Boolean).join(' ');
  return (
    <div class="field">
      <label for={id}>{label}</label>
      {hint && (
        <span class="hint" id={`${id}-hint`}>
          {hint}
        </span>
      )}
      <input
        {...input}
        // Preact 11 types each input type separately; every type listed in FieldProps takes these attributes.
        type={type as 'text'}
        id={id}
        name={field}
        value={value}
        onInput={(event) => onValue(event.currentTarget.value)}
        aria-invalid={message ? 'true' : undefined}
        aria-describedby={described || undefined}
      />
      {message && (
        <span class="error" id={`${id}-error`}>
          {message}
        </span>
      )}
    </div>
  );
}

/** A form-level problem (one without a field of its own), announced when it appears. */
export function FormError({ error, fields = [] }: { error: ApiError | null | undefined; fields?: string[] }) {
  if (!error || fields.some((field) => error.fieldMessage(field))) return null;
  return (
    <p class="form-error" role="alert">
      {error.message}
    </p>
  );
}
