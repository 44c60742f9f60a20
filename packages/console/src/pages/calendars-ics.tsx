// ICS feeds on the Calendars page (issue 18 item 4): per resource, the feed of its bookings at a
// secret URL (shown once with a copy button, then only since when it is active; revocable), and
// outside ICS URLs read as busy time (only their host shown back, with their last fetch and error).
import { useState } from 'preact/hooks';
import { mutate, query } from '../api.js';
import { Field, FormError } from '../ui/field.js';
import { useAction, useLoad } from '../ui/use-load.js';

interface IcsImport {
  id: string;
  host: string;
  fetchedAt: string | null;
  succeededAt: string | null;
  failingSince: string | null;
  lastError: string | null;
}

interface IcsResource {
  id: string;
  name: string;
  feedActiveSince: string | null;
  imports: IcsImport[];
}

interface IcsList {
  isAvailable: boolean;
  canImport: boolean;
  resources: IcsResource[];
}

const when = (iso: string) => new Date(iso).toLocaleString();

/** An outside feed's state in words: fetched or not, failing since when and why. */
export function describeImport(feed: IcsImport): string {
  if (feed.failingSince) return `Failing since ${when(feed.failingSince)}: ${feed.lastError ?? 'unknown error'}${feed.succeededAt ? ` (last good copy ${when(feed.succeededAt)})` : ''}`;
  if (feed.succeededAt) return `Busy time read ${when(feed.succeededAt)}`;
  return 'Not fetched yet';
}

/** The feed URL, shown once: selectable text and a copy button (the clipboard may be refused; the text stays). */
function NewFeedUrl({ resourceId, resourceName, url }: { resourceId: string; resourceName: string; url: string }) {
  const [copied, setCopied] = useState<string | null>(null);
  async function copy() {
    try {
      await navigator.clipboard.writeText(url);
      setCopied('Copied.');
    } catch {
      setCopied('Copying was refused: select the address and copy it.');
    }
  }
  return (
    <div class="new-secret">
      <label for={`feed-url-${resourceId}`}>Feed address for {resourceName} (shown only now)</label>
      <input id={`feed-url-${resourceId}`} readOnly value={url} onFocus={(event) => event.currentTarget.select()} />
      <button type="button" onClick={copy} aria-label={`Copy the feed address for ${resourceName}`}>
        Copy
      </button>{' '}
      <span role="status">{copied}</span>
    </div>
  );
}

function FeedRow({ resource, onChanged }: { resource: IcsResource; onChanged: (message: string) => void }) {
  const action = useAction();
  const [url, setUrl] = useState<string | null>(null);
  async function create() {
    const created = await action.run(() => mutate<{ url: string }>('console.ics.createFeed', { resourceId: resource.id }));
    if (!created) return;
    setUrl(created.url);
    onChanged(`A new feed address for ${resource.name} is ready${resource.feedActiveSince ? '; the old one no longer works' : ''}.`);
  }
  async function revoke() {
    const done = await action.run(() => mutate<{ outcome: string }>('console.ics.revokeFeed', { resourceId: resource.id }));
    if (!done) return;
    setUrl(null);
    onChanged(`The feed address for ${resource.name} was revoked.`);
  }
  return (
    <li class="calendar">
      <strong>Bookings feed</strong> <span>{resource.feedActiveSince ? `Active since ${when(resource.feedActiveSince)}` : 'No feed address'}</span>{' '}
      <button type="button" onClick={create} disabled={action.isBusy} aria-label={`${resource.feedActiveSince ? 'New feed address' : 'Create feed address'} for ${resource.name}`}>
        {resource.feedActiveSince ? 'New feed address' : 'Create feed address'}
      </button>{' '}
      {resource.feedActiveSince && (
        <button type="button" class="secondary" onClick={revoke} disabled={action.isBusy} aria-label={`Revoke the feed address for ${resource.name}`}>
          Revoke
        </button>
      )}
      {url && <NewFeedUrl resourceId={resource.id} resourceName={resource.name} url={url} />}
      <FormError error={action.error} fields={[]} />
    </li>
  );
}

function ImportRow({ resource, feed, onChanged }: { resource: IcsResource; feed: IcsImport; onChanged: (message: string) => void }) {
  const action = useAction();
  async function refresh() {
    const fetched = await action.run(() => mutate<IcsImport>('console.ics.refreshImport', { id: feed.id }));
    if (fetched) onChanged(`${fetched.host} for ${resource.name}: ${describeImport(fetched)}.`);
  }
  async function remove() {
    const done = await action.run(() => mutate<{ outcome: string }>('console.ics.removeImport', { id: feed.id }));
    if (done) onChanged(`${feed.host} was removed from ${resource.name}; its busy time no longer counts.`);
  }
  const label = `${feed.host} for ${resource.name}`;
  return (
    <li class={`calendar ${feed.failingSince ? 'error' : 'connected'}`}>
      <strong>{feed.host}</strong> <span>{describeImport(feed)}</span>{' '}
      <button type="button" onClick={refresh} disabled={action.isBusy} aria-label={`Fetch now: ${label}`}>
        Fetch now
      </button>{' '}
      <button type="button" class="secondary" onClick={remove} disabled={action.isBusy} aria-label={`Remove ${label}`}>
        Remove
      </button>
      <FormError error={action.error} fields={[]} />
    </li>
  );
}

function AddImportForm({ resource, onChanged }: { resource: IcsResource; onChanged: (message: string) => void }) {
  const action = useAction();
  const [url, setUrl] = useState('');
  async function add(event: Event) {
    event.preventDefault();
    const added = await action.run(() => mutate<IcsImport>('console.ics.addImport', { resourceId: resource.id, url }));
    if (!added) return;
    setUrl('');
    onChanged(`${added.host} added to ${resource.name}; use “Fetch now” or wait for the next refresh.`);
  }
  return (
    <form class="inline-form" onSubmit={add} aria-label={`Add an outside calendar to ${resource.name}`}>
      <Field label={`Outside calendar address (ICS) for ${resource.name}`} field="url" type="url" value={url} onValue={setUrl} error={action.error} required hint="Its events block this resource’s times. Only the host is shown afterwards." />
      <button type="submit" disabled={action.isBusy}>
        Add
      </button>
      <FormError error={action.error} fields={['url']} />
    </form>
  );
}

/** The ICS part of the Calendars page: one panel per resource. */
export function IcsFeeds() {
  const list = useLoad(() => query<IcsList>('console.ics.list'), []);
  const [message, setMessage] = useState<string | null>(null);
  const changed = (text: string) => {
    setMessage(text);
    list.reload();
  };
  const data = list.data;
  if (!data) return list.error ? <p role="alert">{list.error.message}</p> : <p class="loading">Loading ICS feeds…</p>;
  if (!data.isAvailable) return <p>ICS feeds are not set up on this server.</p>;
  return (
    <>
      <p role="status">{message}</p>
      {data.resources.map((resource) => (
        <section class="panel" key={resource.id} aria-label={`ICS feeds for ${resource.name}`}>
          <h3>{resource.name}</h3>
          <ul class="cards">
            <FeedRow resource={resource} onChanged={changed} />
            {resource.imports.map((feed) => (
              <ImportRow key={feed.id} resource={resource} feed={feed} onChanged={changed} />
            ))}
          </ul>
          {data.canImport ? <AddImportForm resource={resource} onChanged={changed} /> : <p class="hint">Outside calendars need GOMOMO_ENCRYPTION_KEYS on this server.</p>}
        </section>
      ))}
    </>
  );
}
