import { useState } from 'preact/hooks';
import { mutate, query } from '../api.js';
import { Field, FormError } from '../ui/field.js';
import { DateOverrideRows, toOverrideRows, toOverrides, type StoredDateOverride } from '../ui/date-overrides.js';
import { HoursIntervals } from '../ui/hours-intervals.js';
import { SlotPreviewFields } from '../ui/slot-preview.js';
import { useAction, useLoad } from '../ui/use-load.js';
import type { ConsolePage } from './page.js';
import { QuietHoursSection } from './settings-quiet-hours.js';
import { KeysSection, KillSwitchesSection, OriginsSection, PhoneNumbersSection, StaffSection } from './settings-access.js';

export interface Settings {
  name: string;
  timeZone: string;
  lookaheadDays: number;
  minNoticeMinutes: number;
  holdTtlSeconds: number;
  hours: { weekday: number; opens: string; closes: string }[];
  overrides: StoredDateOverride[];
  allowedOrigins: string[];
  services: { id: string; name: string; durationMinutes: number; bufferBeforeMinutes: number; bufferAfterMinutes: number; changeDeadlineHours: number }[];
  resources: { id: string; name: string }[];
}

function HoursSection({ settings, onSaved }: { settings: Settings; onSaved: () => void }) {
  const [hours, setHours] = useState(settings.hours);
  const action = useAction();
  async function save(event: Event) {
    event.preventDefault();
    if (await action.run(() => mutate('console.settings.saveHours', { hours }))) onSaved();
  }
  return (
    <form class="panel" onSubmit={save} aria-labelledby="hours-title">
      <h2 id="hours-title">Opening hours</h2>
      {hours.length === 0 && <p>Closed every day.</p>}
      <HoursIntervals hours={hours} onHours={setHours} error={action.error} />{' '}
      <button type="submit" disabled={action.isBusy}>
        Save hours
      </button>
    </form>
  );
}

function OverridesSection({ settings, onSaved }: { settings: Settings; onSaved: () => void }) {
  const [overrides, setOverrides] = useState(toOverrideRows(settings.overrides));
  const action = useAction();
  async function save(event: Event) {
    event.preventDefault();
    if (await action.run(() => mutate('console.settings.saveOverrides', { overrides: toOverrides(overrides) }))) onSaved();
  }
  return (
    <form class="panel" onSubmit={save} aria-labelledby="overrides-title">
      <h2 id="overrides-title">Closed days and special hours</h2>
      <p class="hint">Leave both times empty to close the whole day.</p>
      <DateOverrideRows rows={overrides} onRows={setOverrides} error={action.error} />{' '}
      <button type="submit" disabled={action.isBusy}>
        Save dates
      </button>
    </form>
  );
}

/** The slots a service offers on a date with the saved settings; refreshed after every save. */
function SlotPreview({ settings, version }: { settings: Settings; version: number }) {
  return (
    <section class="panel" aria-labelledby="preview-title">
      <h2 id="preview-title">Slot preview</h2>
      <SlotPreviewFields services={settings.services} version={version} testId="slot-preview" />
    </section>
  );
}

function BookingRulesSection({ settings, onSaved }: { settings: Settings; onSaved: () => void }) {
  const [lookaheadDays, setLookahead] = useState(String(settings.lookaheadDays));
  const [minNoticeMinutes, setNotice] = useState(String(settings.minNoticeMinutes));
  const [holdTtlSeconds, setHold] = useState(String(settings.holdTtlSeconds));
  const action = useAction();
  async function save(event: Event) {
    event.preventDefault();
    const body = { lookaheadDays: Number(lookaheadDays), minNoticeMinutes: Number(minNoticeMinutes), holdTtlSeconds: Number(holdTtlSeconds) };
    if (await action.run(() => mutate('console.settings.saveBooking', body))) onSaved();
  }
  return (
    <form class="panel" onSubmit={save} aria-labelledby="rules-title">
      <h2 id="rules-title">Booking rules</h2>
      <Field label="Book up to (days ahead)" field="lookaheadDays" type="number" value={lookaheadDays} onValue={setLookahead} error={action.error} />
      <Field label="Minimum notice (minutes)" field="minNoticeMinutes" type="number" value={minNoticeMinutes} onValue={setNotice} error={action.error} />
      <Field label="Hold a slot while booking (seconds)" field="holdTtlSeconds" type="number" value={holdTtlSeconds} onValue={setHold} error={action.error} />
      <FormError error={action.error} fields={['lookaheadDays', 'minNoticeMinutes', 'holdTtlSeconds']} />
      <button type="submit" disabled={action.isBusy}>
        Save rules
      </button>
    </form>
  );
}

function DeadlineRow({ service, onSaved }: { service: Settings['services'][number]; onSaved: () => void }) {
  const [hours, setHours] = useState(String(service.changeDeadlineHours));
  const action = useAction();
  async function save(event: Event) {
    event.preventDefault();
    if (await action.run(() => mutate('console.settings.saveService', { serviceId: service.id, changeDeadlineHours: Number(hours) }))) onSaved();
  }
  return (
    <form class="toolbar" onSubmit={save} aria-label={`Change deadline of ${service.name}`}>
      <Field label={`${service.name} (${service.durationMinutes} min): no changes within (hours)`} field="changeDeadlineHours" type="number" value={hours} onValue={setHours} error={action.error} />
      <button type="submit" disabled={action.isBusy}>
        Save
      </button>
      <FormError error={action.error} fields={['changeDeadlineHours']} />
    </form>
  );
}

function SettingsPage() {
  const settings = useLoad(() => query<Settings>('console.settings.get'), []);
  const [version, setVersion] = useState(0);
  const saved = () => {
    setVersion((v) => v + 1);
    settings.reload();
  };
  const data = settings.data;
  if (!data) return settings.error ? <p role="alert">{settings.error.message}</p> : <p class="loading">Loading settings…</p>;
  return (
    <>
      <p>
        {data.name} · {data.timeZone}
      </p>
      <HoursSection settings={data} onSaved={saved} />
      <SlotPreview settings={data} version={version} />
      <OverridesSection settings={data} onSaved={saved} />
      <BookingRulesSection settings={data} onSaved={saved} />
      <section class="panel" aria-labelledby="deadlines-title">
        <h2 id="deadlines-title">Change deadlines</h2>
        {data.services.map((s) => (
          <DeadlineRow key={s.id} service={s} onSaved={saved} />
        ))}
      </section>
      <KillSwitchesSection />
      <QuietHoursSection />
      <OriginsSection origins={data.allowedOrigins} onSaved={saved} />
      <KeysSection />
      <PhoneNumbersSection />
      <StaffSection />
    </>
  );
}

export const settingsPage: ConsolePage = { path: 'settings', title: 'Settings', isOwnerOnly: true, component: SettingsPage };
