// ICS feeds from the console (issue 18 item 4 in the Calendars page): an owner creates a
// resource's feed URL (shown once, then only "active since"), re-creates and revokes it, adds an
// outside ICS URL (only its host shown back), fetches it now and sees its busy time leave the slot
// list, sees a failing feed's error in words, and removes it. Same channels functions as the hosted
// app's /v1/ics routes; owner-only (the security walk), audited with the owner's id.
import { randomBytes } from 'node:crypto';
import { renderIcsSubscription } from '@gomomo/channels';
import { parseEncryptionKeys } from '@gomomo/core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startFakeIcsServer, type FakeIcsServer } from '../../../channels/test/fakes/fake-ics-server.js';
import { createHarness, trpcData, trpcError, type Harness, type TestTenant } from '../harness.js';
import { asStaff, createOwner, ownerPassword, signIn, type ConsoleSession } from './support.js';

let h: Harness;
let ics: FakeIcsServer;
let clinic: TestTenant;
let other: TestTenant;
let owner: ConsoleSession;
let otherOwner: ConsoleSession;
const keyring = parseEncryptionKeys(`k1:${randomBytes(32).toString('base64')}`);

/** Busy 10:00–11:00 in New York on Wednesday 2 December 2026. */
const dentistLunch = ['BEGIN:VCALENDAR', 'VERSION:2.0', 'PRODID:-//test//EN', 'BEGIN:VEVENT', 'UID:lunch-1@test', 'DTSTAMP:20261101T000000Z', 'DTSTART:20261202T150000Z', 'DTEND:20261202T160000Z', 'SUMMARY:Private', 'END:VEVENT', 'END:VCALENDAR', ''].join('\r\n');

type Listed = { isAvailable: boolean; canImport: boolean; resources: { id: string; name: string; feedActiveSince: string | null; imports: { id: string; host: string; succeededAt: string | null; failingSince: string | null; lastError: string | null }[] }[] };

beforeAll(async () => {
  ics = await startFakeIcsServer();
  h = await createHarness({ ics: { keyring, allowLoopback: true, feedUrlOf: (token) => `https://api.example.test/v1/ics/${token}.ics` } });
  clinic = await h.onboard('ics-console', 'https://clinic.example');
  other = await h.onboard('ics-console-other', 'https://other.example');
  await createOwner(h, clinic, 'owner@ics.example');
  await createOwner(h, other, 'owner@other.example');
  owner = await signIn(h, { tenant: 'ics-console', email: 'owner@ics.example', password: ownerPassword });
  otherOwner = await signIn(h, { tenant: 'ics-console-other', email: 'owner@other.example', password: ownerPassword });
});
afterAll(async () => {
  await h.close();
  await ics.close();
});

const list = async (session = owner) => trpcData<Listed>(await asStaff(h, session, 'console.ics.list'));
const tokenOf = (url: string) => /\/v1\/ics\/(ics_[A-Za-z0-9_-]{43})\.ics$/.exec(url)![1]!;
const render = (token: string) => renderIcsSubscription(h.db.pool, { token, now: h.clock.now() });

describe('ICS feeds in the console', () => {
  it('shows a feed URL once, then only since when it is active; re-creating replaces it and revoking stops it', async () => {
    const first = trpcData<{ url: string }>(await asStaff(h, owner, 'console.ics.createFeed', { resourceId: clinic.resourceId }));
    expect(first.url).toMatch(/^https:\/\/api\.example\.test\/v1\/ics\/ics_[A-Za-z0-9_-]{43}\.ics$/);
    expect((await render(tokenOf(first.url)))?.ics).toMatch(/^BEGIN:VCALENDAR/);
    const listed = await list();
    expect(listed.resources.find((r) => r.id === clinic.resourceId)?.feedActiveSince).toEqual(expect.any(String));
    expect(JSON.stringify(listed)).not.toContain(tokenOf(first.url));

    const second = trpcData<{ url: string }>(await asStaff(h, owner, 'console.ics.createFeed', { resourceId: clinic.resourceId }));
    expect(await render(tokenOf(first.url))).toBeNull();
    expect(await render(tokenOf(second.url))).not.toBeNull();

    expect(trpcData(await asStaff(h, owner, 'console.ics.revokeFeed', { resourceId: clinic.resourceId }))).toEqual({ outcome: 'revoked' });
    expect(await render(tokenOf(second.url))).toBeNull();
    expect((await list()).resources.find((r) => r.id === clinic.resourceId)?.feedActiveSince).toBeNull();
    expect(trpcData(await asStaff(h, owner, 'console.ics.revokeFeed', { resourceId: clinic.resourceId }))).toEqual({ outcome: 'not_found' });

    const { rows } = await h.db.pool.query<{ action: string; details: Record<string, unknown> }>(`SELECT action, details FROM audit_log WHERE tenant_id = $1 AND action LIKE 'calendar.ics_feed%' ORDER BY occurred_at, id`, [clinic.id]);
    expect(rows.map((r) => [r.action, r.details.staffId])).toEqual([
      ['calendar.ics_feed_create', owner.staffId],
      ['calendar.ics_feed_create', owner.staffId],
      ['calendar.ics_feed_revoke', owner.staffId],
    ]);
    expect(JSON.stringify(rows)).not.toMatch(/ics_[A-Za-z0-9_-]{43}/);
  });

  it('adds an outside ICS URL, shows only its host, and its busy time removes the slot once fetched', async () => {
    ics.routes.set('/lunch.ics', { ics: dentistLunch });
    const slotAt = async () => trpcData<{ start: string }[]>(await asStaff(h, owner, 'console.bookings.slots', { serviceId: clinic.serviceId, date: '2026-12-02', resourceId: clinic.resourceId })).map((s) => s.start);
    expect(await slotAt()).toContain('2026-12-02T10:00:00.000-05:00');

    const url = `${ics.url}/lunch.ics?secret=s3cr3t`;
    const added = trpcData<{ id: string; host: string; succeededAt: string | null }>(await asStaff(h, owner, 'console.ics.addImport', { resourceId: clinic.resourceId, url }));
    expect(added.host).toBe(new URL(ics.url).host);
    expect(added.succeededAt).toBeNull();
    const fetched = trpcData<{ succeededAt: string | null; failingSince: string | null }>(await asStaff(h, owner, 'console.ics.refreshImport', { id: added.id }));
    expect(fetched.succeededAt).toEqual(expect.any(String));
    expect(fetched.failingSince).toBeNull();
    const slots = await slotAt();
    expect(slots).not.toContain('2026-12-02T10:00:00.000-05:00');
    expect(slots).not.toContain('2026-12-02T10:30:00.000-05:00');
    expect(slots).toContain('2026-12-02T11:00:00.000-05:00');

    const listed = await list();
    expect(listed.resources.find((r) => r.id === clinic.resourceId)?.imports.map((i) => i.host)).toEqual([new URL(ics.url).host]);
    expect(JSON.stringify(listed)).not.toContain('s3cr3t');
    const { rows } = await h.db.pool.query(`SELECT details FROM audit_log WHERE tenant_id = $1 AND action = 'calendar.ics_import_add'`, [clinic.id]);
    expect(JSON.stringify(rows)).not.toContain('s3cr3t');

    expect(trpcData(await asStaff(h, owner, 'console.ics.removeImport', { id: added.id }))).toEqual({ outcome: 'removed' });
    expect(await slotAt()).toContain('2026-12-02T10:00:00.000-05:00');
    expect((await list()).resources.find((r) => r.id === clinic.resourceId)?.imports).toEqual([]);
  });

  it('tells the owner in words when an outside feed fails', async () => {
    ics.routes.set('/broken.ics', { status: 500 });
    const added = trpcData<{ id: string }>(await asStaff(h, owner, 'console.ics.addImport', { resourceId: clinic.resourceId, url: `${ics.url}/broken.ics` }));
    const failing = trpcData<{ failingSince: string | null; lastError: string | null }>(await asStaff(h, owner, 'console.ics.refreshImport', { id: added.id }));
    expect(failing.failingSince).toEqual(expect.any(String));
    expect(failing.lastError).toMatch(/500/);
    trpcData(await asStaff(h, owner, 'console.ics.removeImport', { id: added.id }));
  });

  it('answers bad input with a 400 naming the field', async () => {
    const badResource = await asStaff(h, owner, 'console.ics.createFeed', { resourceId: 'chair-2' });
    expect(badResource.statusCode).toBe(400);
    expect(trpcError(badResource).fields?.[0]?.field).toBe('resourceId');
    const badUrl = await asStaff(h, owner, 'console.ics.addImport', { resourceId: clinic.resourceId, url: 'ftp://example.com/a.ics' });
    expect(badUrl.statusCode).toBe(400);
    expect(trpcError(badUrl).fields?.[0]?.field).toBe('url');
    const inside = await asStaff(h, owner, 'console.ics.addImport', { resourceId: clinic.resourceId, url: 'http://169.254.169.254/latest.ics' });
    expect(inside.statusCode).toBe(400);
    expect(trpcError(inside).fields?.[0]?.field).toBe('url');
  });

  it('refuses an outside feed with a 503 naming the setting when the server has no encryption key, and still makes feed addresses', async () => {
    const keyless = await createHarness({ ics: { keyring: parseEncryptionKeys(undefined), allowLoopback: true, feedUrlOf: (token) => `https://api.example.test/v1/ics/${token}.ics` } });
    try {
      const tenant = await keyless.onboard('ics-keyless', 'https://keyless.example');
      await createOwner(keyless, tenant, 'owner@keyless.example');
      const session = await signIn(keyless, { tenant: 'ics-keyless', email: 'owner@keyless.example', password: ownerPassword });
      expect(trpcData<{ canImport: boolean }>(await asStaff(keyless, session, 'console.ics.list')).canImport).toBe(false);
      const refused = await asStaff(keyless, session, 'console.ics.addImport', { resourceId: tenant.resourceId, url: `${ics.url}/lunch.ics` });
      expect(refused.statusCode).toBe(503);
      expect(trpcError(refused).message).toContain('GOMOMO_ENCRYPTION_KEYS');
      expect((await asStaff(keyless, session, 'console.ics.createFeed', { resourceId: tenant.resourceId })).statusCode).toBe(200);
    } finally {
      await keyless.close();
    }
  });

  it('never reaches another business’s resources or feeds', async () => {
    const foreign = await asStaff(h, otherOwner, 'console.ics.createFeed', { resourceId: clinic.resourceId });
    expect(foreign.statusCode).toBe(400);
    expect(trpcError(foreign).fields?.[0]?.field).toBe('resourceId');
    ics.routes.set('/mine.ics', { ics: dentistLunch });
    const mine = trpcData<{ id: string }>(await asStaff(h, owner, 'console.ics.addImport', { resourceId: clinic.resourceId, url: `${ics.url}/mine.ics` }));
    expect(trpcData(await asStaff(h, otherOwner, 'console.ics.removeImport', { id: mine.id }))).toEqual({ outcome: 'not_found' });
    expect((await asStaff(h, otherOwner, 'console.ics.refreshImport', { id: mine.id })).statusCode).toBe(404);
    expect(JSON.stringify(await list(otherOwner))).not.toContain(mine.id);
    expect((await list()).resources.find((r) => r.id === clinic.resourceId)?.imports.map((i) => i.id)).toEqual([mine.id]);
  });
});
