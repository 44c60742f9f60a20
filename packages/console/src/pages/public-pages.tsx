// The pages before a session: sign-in, the first owner (admin secret) and accepting an invitation.
import { useState } from 'preact/hooks';
import { mutate, setCsrfToken } from '../api.js';
import { navigate } from '../router.js';
import { Field, FormError } from '../ui/field.js';
import { useAction } from '../ui/use-load.js';

export function SignInPage({ onSignedIn }: { onSignedIn: () => void }) {
  const [tenant, setTenant] = useState(localStorage.getItem('gomomo-console-tenant') ?? '');
  const [email, setEmail] = useState('');
  const [password, setPassword] = useState('');
  const action = useAction();
  async function submit(event: Event) {
    event.preventDefault();
    const result = await action.run(() => mutate<{ csrfToken: string }>('console.auth.signIn', { tenant, email, password }));
    if (!result) return;
    localStorage.setItem('gomomo-console-tenant', tenant);
    setCsrfToken(result.csrfToken);
    onSignedIn();
  }
  return (
    <main id="main" class="public">
      <h1>Sign in to your console</h1>
      <form onSubmit={submit} noValidate>
        <Field label="Business" field="tenant" value={tenant} onValue={setTenant} error={action.error} autoComplete="organization" hint="Your business's short name, e.g. demo-clinic" required />
        <Field label="Email" field="email" type="email" value={email} onValue={setEmail} error={action.error} autoComplete="username" required />
        <Field label="Password" field="password" type="password" value={password} onValue={setPassword} error={action.error} autoComplete="current-password" required />
        <FormError error={action.error} fields={['tenant', 'email', 'password']} />
        <button type="submit" disabled={action.isBusy}>
          Sign in
        </button>
      </form>
      <p>
        Setting up a new business? <a href="#/first-owner">Create the first owner</a>.
      </p>
    </main>
  );
}

export function FirstOwnerPage() {
  const [adminSecret, setAdminSecret] = useState('');
  const [tenantId, setTenantId] = useState('');
  const [name, setName] = useState('');
  const [email, setEmail] = useState('');
  const [password, setPassword] = useState('');
  const [isDone, setDone] = useState(false);
  const action = useAction();
  async function submit(event: Event) {
    event.preventDefault();
    const result = await action.run(() => mutate('console.auth.createFirstOwner', { tenantId, name, email, password }, { authorization: `Bearer ${adminSecret}` }));
    if (result) setDone(true);
  }
  return (
    <main id="main" class="public">
      <h1>Create the first owner</h1>
      {isDone ? (
        <p role="status">
          The owner account is ready. <a href="#/">Sign in</a>.
        </p>
      ) : (
        <form onSubmit={submit} noValidate>
          <p>The operator's admin secret creates a business's first owner once; owners invite everyone else.</p>
          <Field label="Admin secret" field="adminSecret" type="password" value={adminSecret} onValue={setAdminSecret} error={action.error} autoComplete="off" required />
          <Field label="Business id" field="tenantId" value={tenantId} onValue={setTenantId} error={action.error} hint="The tenant id from onboarding (a UUID)" required />
          <Field label="Your name" field="name" value={name} onValue={setName} error={action.error} autoComplete="name" required />
          <Field label="Email" field="email" type="email" value={email} onValue={setEmail} error={action.error} autoComplete="username" required />
          <Field label="Password" field="password" type="password" value={password} onValue={setPassword} error={action.error} autoComplete="new-password" hint="At least 10 characters" required />
          <FormError error={action.error} fields={['tenantId', 'name', 'email', 'password']} />
          <button type="submit" disabled={action.isBusy}>
            Create owner
          </button>
        </form>
      )}
    </main>
  );
}

export function AcceptInvitePage({ token, onSignedIn }: { token: string; onSignedIn: () => void }) {
  const [name, setName] = useState('');
  const [password, setPassword] = useState('');
  const action = useAction();
  async function submit(event: Event) {
    event.preventDefault();
    const result = await action.run(() => mutate<{ csrfToken: string }>('console.auth.acceptInvite', { token, name, password }));
    if (!result) return;
    setCsrfToken(result.csrfToken);
    navigate('');
    onSignedIn();
  }
  return (
    <main id="main" class="public">
      <h1>Join your team</h1>
      <form onSubmit={submit} noValidate>
        <Field label="Your name" field="name" value={name} onValue={setName} error={action.error} autoComplete="name" required />
        <Field label="Choose a password" field="password" type="password" value={password} onValue={setPassword} error={action.error} autoComplete="new-password" hint="At least 10 characters" required />
        <FormError error={action.error} fields={['name', 'password']} />
        <button type="submit" disabled={action.isBusy}>
          Set password and sign in
        </button>
      </form>
    </main>
  );
}
