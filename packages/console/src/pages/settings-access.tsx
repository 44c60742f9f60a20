// Settings about who and what may reach the business: origins, API keys, phone numbers, staff.
import { useState } from 'preact/hooks';
import { mutate, query } from '../api.js';
import { useMe } from '../session.js';
import { Field, FormError } from '../ui/field.js';
import { Select } from '../ui/select.js';
import { useAction, useLoad } from '../ui/use-load.js';

export function OriginsSection({ origins, onSaved }: { origins: string[]; onSaved: () => void }) {
  const [text, setText] = useState(origins.join('\n'));
  const action = useAction();
  async function save(event: Event) {
    event.preventDefault();
    const allowedOrigins = text.split(/\s+/).filter(Boolean);
    if (await action.run(() => mutate('console.settings.saveOrigins', { allowedOrigins }))) onSaved();
  }
  const message = action.error?.fieldMessage('allowedOrigins');
  return (
    <form class="panel" onSubmit={save} aria-labelledby="origins-title">
      <h2 id="origins-title">Allowed origins</h2>
      <div class="field">
        <label for="origins">Websites that may show the chat widget (one per line, e.g. https://www.example.com)</label>
        <textarea id="origins" rows={3} value={text} onInput={(e) => setText(e.currentTarget.value)} aria-invalid={message ? 'true' : undefined} aria-describedby={message ? 'origins-error' : undefined} />
        {message && (
          <span class="error" id="origins-error">
            {message}
          </span>
        )}
      </div>
      <FormError error={action.error} fields={['allowedOrigins']} />
      <button type="submit" disabled={action.isBusy}>
        Save origins
      </button>
    </form>
  );
}

interface ApiKey {
  id: string;
  kind: string;
  name: string;
  masked: string;
  createdAt: string;
  lastUsedAt: string | null;
  revokedAt: string | null;
}

export function KeysSection() {
  const keys = useLoad(() => query<ApiKey[]>('console.settings.keys'), []);
  const [kind, setKind] = useState('secret');
  const [name, setName] = useState('');
  const [created, setCreated] = useState<string | null>(null);
  const action = useAction();
  async function create(event: Event) {
    event.preventDefault();
    const key = await action.run(() => mutate<{ key: string }>('console.settings.createKey', { kind, ...(name ? { name } : {}) }));
    if (key) {
      setCreated(key.key);
      keys.reload();
    }
  }
  async function revoke(id: string) {
    if (await action.run(() => mutate('console.settings.revokeKey', { keyId: id }))) keys.reload();
  }
  return (
    <section class="panel" aria-labelledby="keys-title">
      <h2 id="keys-title">API keys</h2>
      <div class="table-wrap">
        <table>
          <thead>
            <tr>
              <th scope="col">Key</th>
              <th scope="col">Kind</th>
              <th scope="col">Name</th>
              <th scope="col">Last used</th>
              <th scope="col">
                <span class="hint">Action</span>
              </th>
            </tr>
          </thead>
          <tbody>
            {(keys.data ?? []).map((k) => (
              <tr key={k.id}>
                <td>{k.masked}</td>
                <td>{k.kind}</td>
                <td>{k.name}</td>
                <td>{k.lastUsedAt ?? 'never'}</td>
                <td>
                  {k.revokedAt ? (
                    'revoked'
                  ) : (
                    <button type="button" class="secondary" onClick={() => void revoke(k.id)} aria-label={`Revoke ${k.masked}`}>
                      Revoke
                    </button>
                  )}
                </td>
              </tr>
            ))}
          </tbody>
        </table>
      </div>
      <form class="toolbar" onSubmit={create} aria-label="Create an API key">
        <Select label="Kind" field="kind" value={kind} onValue={setKind} options={[{ value: 'secret', label: 'Secret (servers)' }, { value: 'publishable', label: 'Publishable (widget)' }]} error={action.error} />
        <Field label="Name" field="name" value={name} onValue={setName} error={action.error} />
        <button type="submit" disabled={action.isBusy}>
          Create key
        </button>
      </form>
      {created && (
        <p role="status">
          New key (shown once, copy it now): <code>{created}</code>
        </p>
      )}
      <FormError error={action.error} fields={['kind', 'name']} />
    </section>
  );
}

export function PhoneNumbersSection() {
  const numbers = useLoad(() => query<{ number: string; label: string }[]>('console.settings.phoneNumbers'), []);
  const [number, setNumber] = useState('');
  const [label, setLabel] = useState('');
  const action = useAction();
  async function add(event: Event) {
    event.preventDefault();
    if (await action.run(() => mutate('console.settings.addPhoneNumber', { number, ...(label ? { label } : {}) }))) {
      setNumber('');
      numbers.reload();
    }
  }
  return (
    <section class="panel" aria-labelledby="numbers-title">
      <h2 id="numbers-title">Phone numbers</h2>
      <ul>
        {(numbers.data ?? []).map((n) => (
          <li key={n.number}>
            {n.number} {n.label}
          </li>
        ))}
      </ul>
      <form class="toolbar" onSubmit={add} aria-label="Add a phone number">
        <Field label="Number (E.164)" field="number" type="tel" value={number} onValue={setNumber} error={action.error} />
        <Field label="Label" field="label" value={label} onValue={setLabel} error={action.error} />
        <button type="submit" disabled={action.isBusy}>
          Add number
        </button>
      </form>
      <FormError error={action.error} fields={['number', 'label']} />
    </section>
  );
}

interface Member {
  id: string;
  email: string;
  name: string;
  role: 'owner' | 'staff';
  disabledAt: string | null;
}

export function StaffSection() {
  const me = useMe();
  const staff = useLoad(() => query<Member[]>('console.settings.staff'), []);
  const [email, setEmail] = useState('');
  const [role, setRole] = useState('staff');
  const [invited, setInvited] = useState<string | null>(null);
  const action = useAction();
  async function invite(event: Event) {
    event.preventDefault();
    if (await action.run(() => mutate('console.auth.invite', { email, role }))) {
      setInvited(email);
      setEmail('');
    }
  }
  async function update(member: Member, patch: { role?: string; isDisabled?: boolean }) {
    if (await action.run(() => mutate('console.settings.updateStaff', { staffId: member.id, ...patch }))) staff.reload();
  }
  return (
    <section class="panel" aria-labelledby="staff-title">
      <h2 id="staff-title">Staff</h2>
      <ul>
        {(staff.data ?? []).map((m) => (
          <li key={m.id}>
            {m.name || m.email} ({m.email}) — {m.role}
            {m.disabledAt ? ', disabled' : ''}{' '}
            {m.id !== me.staffId && (
              <>
                <button type="button" class="link" onClick={() => void update(m, { role: m.role === 'owner' ? 'staff' : 'owner' })}>
                  Make {m.role === 'owner' ? 'staff' : 'owner'}
                </button>
                <button type="button" class="link" onClick={() => void update(m, { isDisabled: !m.disabledAt })}>
                  {m.disabledAt ? 'Enable' : 'Disable'}
                </button>
              </>
            )}
          </li>
        ))}
      </ul>
      <form class="toolbar" onSubmit={invite} aria-label="Invite a team member">
        <Field label="Email" field="email" type="email" value={email} onValue={setEmail} error={action.error} />
        <Select label="Role" field="role" value={role} onValue={setRole} options={[{ value: 'staff', label: 'Staff' }, { value: 'owner', label: 'Owner' }]} error={action.error} />
        <button type="submit" disabled={action.isBusy}>
          Send invitation
        </button>
      </form>
      {invited && <p role="status">Invitation sent to {invited}.</p>}
      <FormError error={action.error} fields={['email', 'role']} />
    </section>
  );
}
