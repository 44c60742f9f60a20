import { useState } from 'preact/hooks';
import { mutate, query } from '../api.js';
import { Field, FormError } from '../ui/field.js';
import { useAction, useLoad } from '../ui/use-load.js';

interface QuietHours {
  sendFrom: string;
  sendUntil: string;
}

/** The window in which reminders, follow-ups and offers may go out by SMS (confirmations go at once). */
export function QuietHoursSection() {
  const saved = useLoad(() => query<QuietHours>('console.quietHours.get'), []);
  return saved.data ? <QuietHoursForm saved={saved.data} /> : <p class="loading">{saved.error?.message ?? 'Loading quiet hours…'}</p>;
}

function QuietHoursForm({ saved }: { saved: QuietHours }) {
  const [sendFrom, setFrom] = useState(saved.sendFrom);
  const [sendUntil, setUntil] = useState(saved.sendUntil);
  const [isDone, setDone] = useState(false);
  const action = useAction();
  async function save(event: Event) {
    event.preventDefault();
    setDone(false);
    setDone((await action.run(() => mutate('console.quietHours.set', { sendFrom, sendUntil }))) !== undefined);
  }
  return (
    <form class="panel" onSubmit={save} aria-labelledby="quiet-title">
      <h2 id="quiet-title">Quiet hours</h2>
      <p class="hint">
        Reminders, follow-ups and waitlist offers by SMS go out only inside this window, on the customer’s clock; outside it they wait. Confirmations of something the customer just did go at once.
      </p>
      <div class="toolbar">
        <Field label="Send from" field="sendFrom" type="time" value={sendFrom} onValue={setFrom} error={action.error} />
        <Field label="Send until" field="sendUntil" type="time" value={sendUntil} onValue={setUntil} error={action.error} />
      </div>
      <FormError error={action.error} fields={['sendFrom', 'sendUntil']} />
      <button type="submit" disabled={action.isBusy}>
        Save quiet hours
      </button>
      {isDone && <p role="status">Quiet hours saved.</p>}
    </form>
  );
}
