import { useId, useState } from 'preact/hooks';
import { mutate } from '../api.js';
import { useMe } from '../session.js';
import { Field, FormError } from '../ui/field.js';
import { HoursIntervals } from '../ui/hours-intervals.js';
import { SlotPreviewFields } from '../ui/slot-preview.js';
import { Checkbox, Select } from '../ui/select.js';
import { useAction, useLoad } from '../ui/use-load.js';
import { loadCatalog, OwnerOnly, type Catalog, type Hours, type StaffResource } from './catalog.js';
import type { ConsolePage } from './page.js';
import { ResourceDaysOff } from './resource-days-off.js';

const kinds = [
  { value: 'staff', label: 'Staff member' },
  { value: 'room', label: 'Room' },
  { value: 'equipment', label: 'Equipment' },
];

function EditResource({ resource, onSaved }: { resource: StaffResource; onSaved: () => void }) {
  const [name, setName] = useState(resource.name);
  const [kind, setKind] = useState<string>(resource.kind);
  const [isActive, setActive] = useState(resource.isActive);
  const action = useAction();
  async function save(event: Event) {
    event.preventDefault();
    if (await action.run(() => mutate('console.catalog.editResource', { resourceId: resource.id, name, kind, isActive }))) onSaved();
  }
  return (
    <form onSubmit={save} aria-label={`Edit ${resource.name}`}>
      <div class="toolbar">
        <Field label="Name" field="name" value={name} onValue={setName} error={action.error} />
        <Select label="Kind" field="kind" value={kind} onValue={setKind} options={kinds} error={action.error} />
      </div>
      <Checkbox label="Takes bookings" checked={isActive} onChecked={setActive} />
      <p class="hint">
        Never deleted: turning this off stops new bookings{resource.upcomingBookings > 0 ? `; its ${resource.upcomingBookings} upcoming booking(s) stay booked.` : '.'}
      </p>
      <FormError error={action.error} fields={['name', 'kind', 'isActive']} />
      <button type="submit" disabled={action.isBusy}>
        Save {resource.name}
      </button>
    </form>
  );
}

/** Which services the resource can do: one checkbox per service, saved together. */
function ResourceServices({ resource, catalog, onSaved }: { resource: StaffResource; catalog: Catalog; onSaved: () => void }) {
  const [serviceIds, setServiceIds] = useState(() => catalog.services.filter((s) => s.resourceIds.includes(resource.id)).map((s) => s.id));
  const action = useAction();
  const errorId = useId();
  const message = action.error?.fieldMessage('serviceIds');
  async function save(event: Event) {
    event.preventDefault();
    if (await action.run(() => mutate('console.catalog.setResourceServices', { resourceId: resource.id, serviceIds }))) onSaved();
  }
  return (
    <form onSubmit={save} aria-label={`Services ${resource.name} can do`}>
      <fieldset aria-describedby={message ? errorId : undefined}>
        <legend>Services {resource.name} can do</legend>
        {catalog.services.map((s) => (
          <Checkbox key={s.id} label={s.name} checked={serviceIds.includes(s.id)} onChecked={(on) => setServiceIds(on ? [...serviceIds, s.id] : serviceIds.filter((id) => id !== s.id))} />
        ))}
        {message && (
          <span class="error" id={errorId}>
            {message}
          </span>
        )}
      </fieldset>
      <FormError error={action.error} fields={['serviceIds']} />
      <button type="submit" disabled={action.isBusy}>
        Save services
      </button>
    </form>
  );
}

/** The resource's own weekly hours; none: it follows the business's opening hours. */
function ResourceHours({ resource, onSaved }: { resource: StaffResource; onSaved: () => void }) {
  const [hours, setHours] = useState<Hours[]>(resource.hours);
  const action = useAction();
  async function save(event: Event) {
    event.preventDefault();
    if (await action.run(() => mutate('console.catalog.editResource', { resourceId: resource.id, hours }))) onSaved();
  }
  return (
    <form onSubmit={save} aria-label={`Hours of ${resource.name}`}>
      <h3>Own hours</h3>
      {hours.length === 0 && <p class="hint">None: {resource.name} works the business’s opening hours.</p>}
      <HoursIntervals hours={hours} onHours={setHours} error={action.error} whose={resource.name} />{' '}
      <button type="submit" disabled={action.isBusy}>
        Save hours
      </button>
    </form>
  );
}

/** The open slots of one resource for a service on a date, with the saved settings. */
function ResourcePreview({ resource, catalog, version }: { resource: StaffResource; catalog: Catalog; version: number }) {
  const services = catalog.services.filter((s) => s.isActive && s.resourceIds.includes(resource.id));
  if (services.length === 0) return <p class="hint">{resource.name} does no active service yet.</p>;
  return (
    <section aria-label={`Slot preview of ${resource.name}`}>
      <h3>Slot preview</h3>
      <SlotPreviewFields services={services} resourceId={resource.id} version={version} testId={`slots-${resource.name}`} />
    </section>
  );
}

function CreateResource({ onSaved }: { onSaved: () => void }) {
  const [name, setName] = useState('');
  const [kind, setKind] = useState('staff');
  const action = useAction();
  async function create(event: Event) {
    event.preventDefault();
    if (await action.run(() => mutate('console.catalog.createResource', { name, kind }))) {
      setName('');
      onSaved();
    }
  }
  return (
    <form class="panel" onSubmit={create} aria-labelledby="new-resource-title">
      <h2 id="new-resource-title">New staff member or room</h2>
      <p class="hint">It can do every service that names no one; tick the others on it below once created.</p>
      <div class="toolbar">
        <Field label="Name" field="name" value={name} onValue={setName} error={action.error} />
        <Select label="Kind" field="kind" value={kind} onValue={setKind} options={kinds} error={action.error} />
      </div>
      <FormError error={action.error} fields={['name', 'kind']} />
      <button type="submit" disabled={action.isBusy}>
        Add
      </button>
    </form>
  );
}

function ResourcesPage() {
  const isOwner = useMe().role === 'owner';
  const catalog = useLoad(loadCatalog, []);
  const [version, setVersion] = useState(0);
  const saved = () => {
    setVersion((v) => v + 1);
    catalog.reload();
  };
  const data = catalog.data;
  if (!data) return catalog.error ? <p role="alert">{catalog.error.message}</p> : <p class="loading">Loading staff and rooms…</p>;
  return (
    <>
      {data.resources.map((r) => (
        <details key={r.id} class="panel">
          <summary>
            {r.name} · {kinds.find((k) => k.value === r.kind)?.label}
            {r.isActive ? '' : ' · takes no bookings'}
          </summary>
          <OwnerOnly>
            <EditResource resource={r} onSaved={saved} />
            {/* Keyed by the number of services: a service created elsewhere appears as a checkbox. */}
            <ResourceServices key={`${r.id}-${data.services.length}`} resource={r} catalog={data} onSaved={saved} />
            <ResourceHours resource={r} onSaved={saved} />
            <ResourceDaysOff resource={r} onSaved={saved} />
          </OwnerOnly>
          <ResourcePreview resource={r} catalog={data} version={version} />
        </details>
      ))}
      {isOwner && <CreateResource onSaved={saved} />}
    </>
  );
}

export const resourcesPage: ConsolePage = { path: 'resources', title: 'Staff & rooms', component: ResourcesPage };
