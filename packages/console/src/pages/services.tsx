import { useState } from 'preact/hooks';
import { mutate } from '../api.js';
import { Field, FormError } from '../ui/field.js';
import { Checkbox } from '../ui/select.js';
import { useAction, useLoad } from '../ui/use-load.js';
import { useMe } from '../session.js';
import { loadCatalog, numberOf, OwnerOnly, type Catalog, type StaffService } from './catalog.js';
import type { ConsolePage } from './page.js';

const fieldNames = ['name', 'durationMinutes', 'bufferBeforeMinutes', 'bufferAfterMinutes', 'priceCents', 'currency', 'changeDeadlineHours', 'resources', 'isActive'];

/** The form's text boxes from a service (or a new one's defaults, as onboarding's schema has them). */
function draftOf(service?: StaffService) {
  return {
    name: service?.name ?? '',
    durationMinutes: String(service?.durationMinutes ?? 30),
    bufferBeforeMinutes: String(service?.bufferBeforeMinutes ?? 0),
    bufferAfterMinutes: String(service?.bufferAfterMinutes ?? 0),
    price: service?.priceCents == null ? '' : (service.priceCents / 100).toFixed(2),
    currency: service?.currency ?? 'USD',
    changeDeadlineHours: String(service?.changeDeadlineHours ?? 0),
    isActive: service?.isActive ?? true,
  };
}

type Draft = ReturnType<typeof draftOf>;

/** The API's body: numbers as numbers, the price in cents (empty: no price). */
function bodyOf(draft: Draft) {
  const hasPrice = draft.price.trim() !== '';
  return {
    name: draft.name,
    durationMinutes: numberOf(draft.durationMinutes),
    bufferBeforeMinutes: numberOf(draft.bufferBeforeMinutes),
    bufferAfterMinutes: numberOf(draft.bufferAfterMinutes),
    changeDeadlineHours: numberOf(draft.changeDeadlineHours),
    priceCents: hasPrice ? Math.round(numberOf(draft.price) * 100) : null,
    ...(hasPrice ? { currency: draft.currency.trim().toUpperCase() } : {}),
  };
}

function ServiceFields({ draft, set, error }: { draft: Draft; set: (patch: Partial<Draft>) => void; error: ReturnType<typeof useAction>['error'] }) {
  return (
    <>
      <Field label="Name" field="name" value={draft.name} onValue={(v) => set({ name: v })} error={error} />
      <div class="toolbar">
        <Field label="Duration (minutes)" field="durationMinutes" type="number" value={draft.durationMinutes} onValue={(v) => set({ durationMinutes: v })} error={error} />
        <Field label="Buffer before (minutes)" field="bufferBeforeMinutes" type="number" value={draft.bufferBeforeMinutes} onValue={(v) => set({ bufferBeforeMinutes: v })} error={error} />
        <Field label="Buffer after (minutes)" field="bufferAfterMinutes" type="number" value={draft.bufferAfterMinutes} onValue={(v) => set({ bufferAfterMinutes: v })} error={error} />
      </div>
      <div class="toolbar">
        <Field label="Price (empty: none)" field="priceCents" value={draft.price} onValue={(v) => set({ price: v })} error={error} hint="e.g. 45.00" />
        <Field label="Currency" field="currency" value={draft.currency} onValue={(v) => set({ currency: v })} error={error} />
        <Field label="No changes within (hours)" field="changeDeadlineHours" type="number" value={draft.changeDeadlineHours} onValue={(v) => set({ changeDeadlineHours: v })} error={error} />
      </div>
    </>
  );
}

function EditService({ service, catalog, onSaved }: { service: StaffService; catalog: Catalog; onSaved: () => void }) {
  const doers = service.isAnyResource ? 'anyone' : catalog.resources.filter((r) => service.resourceIds.includes(r.id)).map((r) => r.name).join(', ') || 'no one';
  const [draft, setDraft] = useState(() => draftOf(service));
  const set = (patch: Partial<Draft>) => setDraft({ ...draft, ...patch });
  const action = useAction();
  async function save(event: Event) {
    event.preventDefault();
    if (await action.run(() => mutate('console.catalog.editService', { serviceId: service.id, ...bodyOf(draft), isActive: draft.isActive }))) onSaved();
  }
  return (
    <details class="panel">
      <summary>
        {service.name} · {service.durationMinutes} min · by {doers}
        {service.isActive ? '' : ' · not offered'}
      </summary>
      <form onSubmit={save} aria-label={`Edit ${service.name}`}>
        <ServiceFields draft={draft} set={set} error={action.error} />
        <Checkbox label="Offered to customers" checked={draft.isActive} onChecked={(isActive) => set({ isActive })} />
        <p class="hint">
          Services are never deleted, so their bookings keep them. Turning this off only stops new bookings
          {service.upcomingBookings > 0 ? `; its ${service.upcomingBookings} upcoming booking(s) stay booked.` : '.'}
        </p>
        <FormError error={action.error} fields={fieldNames} />
        <button type="submit" disabled={action.isBusy}>
          Save {service.name}
        </button>
      </form>
    </details>
  );
}

function CreateService({ catalog, onSaved }: { catalog: Catalog; onSaved: () => void }) {
  const [draft, setDraft] = useState(() => draftOf());
  const [who, setWho] = useState<string[]>([]);
  const [created, setCreated] = useState('');
  const action = useAction();
  async function create(event: Event) {
    event.preventDefault();
    const { priceCents, ...rest } = bodyOf(draft);
    const body = { ...rest, ...(priceCents === null ? {} : { priceCents }), ...(who.length > 0 ? { resources: who } : {}) };
    if (await action.run(() => mutate('console.catalog.createService', body))) {
      setCreated(draft.name);
      setDraft(draftOf());
      setWho([]);
      onSaved();
    }
  }
  const active = catalog.resources.filter((r) => r.isActive);
  return (
    <form class="panel" onSubmit={create} aria-labelledby="new-service-title">
      <h2 id="new-service-title">New service</h2>
      <ServiceFields draft={draft} set={(patch) => setDraft({ ...draft, ...patch })} error={action.error} />
      <fieldset>
        <legend>Who can do it (none ticked: anyone)</legend>
        {active.map((r) => (
          <Checkbox key={r.id} label={r.name} checked={who.includes(r.name)} onChecked={(on) => setWho(on ? [...who, r.name] : who.filter((n) => n !== r.name))} />
        ))}
      </fieldset>
      <FormError error={action.error} fields={fieldNames} />
      <button type="submit" disabled={action.isBusy}>
        Create service
      </button>
      {created && <p role="status">Created {created}.</p>}
    </form>
  );
}

function ServicesPage() {
  const isOwner = useMe().role === 'owner';
  const catalog = useLoad(loadCatalog, []);
  const data = catalog.data;
  if (!data) return catalog.error ? <p role="alert">{catalog.error.message}</p> : <p class="loading">Loading services…</p>;
  return (
    <>
      <p class="hint">What customers can book. Buffers block the resource before and after, without showing as the appointment.</p>
      <OwnerOnly>
        {data.services.map((s) => (
          <EditService key={s.id} service={s} catalog={data} onSaved={catalog.reload} />
        ))}
      </OwnerOnly>
      {isOwner && <CreateService catalog={data} onSaved={catalog.reload} />}
    </>
  );
}

export const servicesPage: ConsolePage = { path: 'services', title: 'Services', component: ServicesPage };
