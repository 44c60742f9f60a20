// "Sign this customer out of remembered devices" (issue 20 item 2), where staff see a customer: a
// conversation in the inbox or a booking. The server finds the customer's email and phone itself.
import { useState } from 'preact/hooks';
import { mutate } from '../api.js';
import { FormError } from '../ui/field.js';
import { useAction } from '../ui/use-load.js';

export interface ForgetDevicesProps {
  /** The booking or the conversation whose customer is signed out. */
  customer: { reference: string } | { sessionId: string };
  /** Who, for the button’s accessible name ("Sign out of remembered devices: Ana (AB12CD)"). */
  who: string;
  class?: string;
}

export function ForgetDevicesButton({ customer, who, class: className = 'secondary' }: ForgetDevicesProps) {
  const action = useAction();
  const [result, setResult] = useState<string | null>(null);
  async function forget() {
    setResult(null);
    const done = await action.run(() => mutate<{ revoked: number }>('console.customers.forgetDevices', customer));
    if (done) setResult(done.revoked === 0 ? 'No remembered device to sign out.' : `Signed out of ${done.revoked} remembered device${done.revoked === 1 ? '' : 's'}.`);
  }
  return (
    <span class="forget-devices">
      <button type="button" class={className} disabled={action.isBusy} onClick={() => void forget()} aria-label={`Sign out of remembered devices: ${who}`}>
        Sign out of remembered devices
      </button>{' '}
      <span role="status">{result}</span>
      <FormError error={action.error} fields={[]} />
    </span>
  );
}
