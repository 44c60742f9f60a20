import { useState } from 'preact/hooks';
import { mutate, query } from '../api.js';
import { useMe } from '../session.js';
import { FormError } from '../ui/field.js';
import { dateTimeIn } from '../ui/format.js';
import { Select } from '../ui/select.js';
import { useAction, useLoad } from '../ui/use-load.js';
import type { ConsolePage } from './page.js';

interface Message {
  id: string;
  channel: 'email' | 'sms';
  template: string;
  recipient: string;
  subject: string | null;
  status: string;
  attempts: number;
  lastError: string | null;
  provider: string | null;
  providerMessageId: string | null;
  createdAt: string;
}

const statuses = ['pending', 'sending', 'sent', 'delivered', 'failed', 'permanently_failed', 'undelivered', 'rate_limited', 'suppressed', 'opted_out', 'obsolete'];
const retryable = new Set(['failed', 'permanently_failed', 'undelivered']);

function Messages() {
  const me = useMe();
  const [status, setStatus] = useState('');
  const list = useLoad(() => query<Message[]>('console.messages.list', status ? { status } : {}), [status]);
  const action = useAction();
  async function retry(id: string) {
    if (await action.run(() => mutate('console.messages.retry', { messageId: id }))) list.reload();
  }
  return (
    <>
      <div class="toolbar">
        <Select label="Status" field="status" value={status} onValue={setStatus} options={[{ value: '', label: 'All' }, ...statuses.map((s) => ({ value: s, label: s.replace('_', ' ') }))]} />
      </div>
      <FormError error={action.error ?? list.error} />
      {list.data && list.data.length === 0 && <p>No messages.</p>}
      {list.data && list.data.length > 0 && (
        <div class="table-wrap">
          <table>
            <caption class="hint">Email and SMS the receptionist sent or queued, newest first</caption>
            <thead>
              <tr>
                <th scope="col">Created</th>
                <th scope="col">To</th>
                <th scope="col">Message</th>
                <th scope="col">Status</th>
                <th scope="col">Provider id</th>
                <th scope="col">Error</th>
                <th scope="col">
                  <span class="hint">Action</span>
                </th>
              </tr>
            </thead>
            <tbody>
              {list.data.map((m) => (
                <tr key={m.id}>
                  <td>{dateTimeIn(m.createdAt, me.tenant.timeZone)}</td>
                  <td>
                    {m.channel}: {m.recipient}
                  </td>
                  <td>{m.subject ?? m.template}</td>
                  <td class={`status-${m.status}`}>{m.status.replace('_', ' ')}</td>
                  <td>{m.providerMessageId ?? '—'}</td>
                  <td>{m.lastError ?? ''}</td>
                  <td>
                    {retryable.has(m.status) && (
                      <button type="button" class="secondary" onClick={() => void retry(m.id)} aria-label={`Retry the message to ${m.recipient}`}>
                        Retry
                      </button>
                    )}
                  </td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      )}
    </>
  );
}

export const messagesPage: ConsolePage = { path: 'messages', title: 'Messages', component: Messages };
