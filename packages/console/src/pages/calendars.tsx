// Calendars (issue 18 in the console): an owner connects each resource's Google or Microsoft 365
// calendar, sees whether it still works, and disconnects it. Connecting leaves the console for the
// provider's consent page; the provider's callback brings the browser back to `#/calendars/connected/<provider>`.
// Below them, the ICS feeds (calendars-ics.tsx).
import { useState } from 'preact/hooks';
import { mutate, query } from '../api.js';
import { FormError } from '../ui/field.js';
import { useAction, useLoad } from '../ui/use-load.js';
import { IcsFeeds } from './calendars-ics.js';
import type { ConsolePage, PageProps } from './page.js';

type Provider = 'google' | 'microsoft';

interface Connection {
  provider: Provider;
  calendarId: string;
  status: 'connected' | 'error' | 'revoked';
  lastError: string | null;
  syncedAt: string | null;
}

interface CalendarList {
  providers: Provider[];
  resources: { id: string; name: string; connections: Connection[] }[];
}

const providerNames: Record<Provider, string> = { google: 'Google Calendar', microsoft: 'Microsoft 365' };

function describe(connection: Connection | undefined): string {
  if (!connection) return 'Not connected';
  if (connection.status === 'revoked') return `Access was revoked${connection.lastError ? ` (${connection.lastError})` : ''}: connect it again`;
  if (connection.status === 'error') return `Connected, but the last sync failed: ${connection.lastError ?? 'unknown error'}`;
  return `Connected (${connection.calendarId})${connection.syncedAt ? `, synced ${new Date(connection.syncedAt).toLocaleString()}` : ''}`;
}

function ConnectionRow({ resource, provider, connection, onChanged }: { resource: { id: string; name: string }; provider: Provider; connection: Connection | undefined; onChanged: (message: string) => void }) {
  const action = useAction();
  const label = `${providerNames[provider]} for ${resource.name}`;
  async function connect() {
    const started = await action.run(() => mutate<{ authorizationUrl: string }>('console.calendars.connect', { resourceId: resource.id, provider }));
    // To the provider's consent page; its callback brings the browser back here.
    if (started) window.location.assign(started.authorizationUrl);
  }
  async function disconnect() {
    const done = await action.run(() => mutate<{ outcome: string; revokedAtProvider: boolean }>('console.calendars.disconnect', { resourceId: resource.id, provider }));
    if (done) onChanged(done.outcome === 'disconnected' ? `${label} disconnected${done.revokedAtProvider ? '' : ' (remove the app’s access in your account too)'}.` : `${label} was not connected.`);
  }
  return (
    <li class={`calendar ${connection?.status ?? 'none'}`}>
      <strong>{providerNames[provider]}</strong> <span>{describe(connection)}</span>{' '}
      {connection?.status !== 'connected' && (
        <button type="button" onClick={connect} disabled={action.isBusy} aria-label={`Connect ${label}`}>
          {connection ? 'Connect again' : 'Connect'}
        </button>
      )}{' '}
      {connection && (
        <button type="button" class="secondary" onClick={disconnect} disabled={action.isBusy} aria-label={`Disconnect ${label}`}>
          Disconnect
        </button>
      )}
      <FormError error={action.error} fields={[]} />
    </li>
  );
}

function Calendars({ params }: PageProps) {
  const list = useLoad(() => query<CalendarList>('console.calendars.list'), []);
  const connected = params[0] === 'connected' && (params[1] === 'google' || params[1] === 'microsoft') ? params[1] : null;
  const [message, setMessage] = useState<string | null>(connected ? `${providerNames[connected]} connected.` : null);
  const changed = (text: string) => {
    setMessage(text);
    list.reload();
  };
  const data = list.data;
  if (!data) return list.error ? <p role="alert">{list.error.message}</p> : <p class="loading">Loading calendars…</p>;
  return (
    <>
      <p role="status">{message}</p>
      <p class="hint">A connected calendar’s events block that resource’s times, and bookings are written into it.</p>
      {data.providers.length === 0 ? (
        <p>No calendar provider is set up on this server (GOOGLE_CLIENT_ID or MICROSOFT_CLIENT_ID, with GOMOMO_ENCRYPTION_KEYS).</p>
      ) : (
        data.resources.map((resource) => (
          <section class="panel" key={resource.id} aria-labelledby={`calendar-${resource.id}`}>
            <h2 id={`calendar-${resource.id}`}>{resource.name}</h2>
            <ul class="cards">
              {data.providers.map((provider) => (
                <ConnectionRow key={provider} resource={resource} provider={provider} connection={resource.connections.find((c) => c.provider === provider)} onChanged={changed} />
              ))}
            </ul>
          </section>
        ))
      )}
      <h2>ICS feeds</h2>
      <p class="hint">Give a calendar app a resource’s bookings as a feed address, or let an outside calendar’s events (any ICS address) block its times.</p>
      <IcsFeeds />
    </>
  );
}

export const calendarsPage: ConsolePage = { path: 'calendars', title: 'Calendars', isOwnerOnly: true, component: Calendars };
