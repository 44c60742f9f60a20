import { randomBytes } from 'node:crypto';
import { createBookingEngine, createTenant, parseEncryptionKeys, readExternalBusy, withTenant, type BookingEngine } from '@gomomo/core';
import { createTestDatabase, ManualClock, type TestDatabase } from '@gomomo/core/testing';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startFakeIcsServer, type FakeIcsServer } from '../../../test/fakes/fake-ics-server.js';
import { createCalendarProvider } from '../../calendars/provider.js';
import { isChannelError } from '../../errors.js';
import { fetchIcs } from './fetch-ics.js';
import { addIcsImport, listIcsImports, refreshDueIcsImports, refreshIcsImport, removeIcsImport } from './imports.js';

let db: TestDatabase;
let feeds: FakeIcsServer;
let engine: BookingEngine;
const now = new Date('2026-12-01T12:00:00.000Z');
const keyring = parseEncryptionKeys(`k1:${randomBytes(32).toString('base64')}`);
const deps = () => ({ pool: db.pool, keyring, allowLoopback: true });

// Her Tuesday lunch: weekly at noon New York time, not on 8 December, moved to 15:00 on the 15th;
// a "free" focus block and a cancelled meeting that must not block; a day off on the 24th.
const weeklyLunch = [
  'BEGIN:VCALENDAR',
  'VERSION:2.0',
  'PRODID:-//Example//Calendar//EN',
  'BEGIN:VEVENT',
  'UID:lunch@example.com',
  'DTSTAMP:20261101T000000Z',
  'DTSTART;TZID=America/New_York:20261201T120000',
  'DTEND;TZID=America/New_York:20261201T130000',
  'RRULE:FREQ=WEEKLY',
  'EXDATE;TZID=America/New_York:20261208T120000',
  'SUMMARY:Lunch with the accountant',
  'END:VEVENT',
  'BEGIN:VEVENT',
  'UID:lunch@example.com',
  'DTSTAMP:20261101T000000Z',
  'RECURRENCE-ID;TZID=America/New_York:20261215T120000',
  'DTSTART;TZID=America/New_York:20261215T150000',
  'DTEND;TZID=America/New_York:20261215T160000',
  'SUMMARY:Lunch (late)',
  'END:VEVENT',
  'BEGIN:VEVENT',
  'UID:focus@example.com',
  'DTSTAMP:20261101T000000Z',
  'DTSTART:20261203T140000Z',
  'DTEND:20261203T150000Z',
  'TRANSP:TRANSPARENT',
  'END:VEVENT',
  'BEGIN:VEVENT',
  'UID:cancelled@example.com',
  'DTSTAMP:20261101T000000Z',
  'DTSTART:20261203T160000Z',
  'DTEND:20261203T170000Z',
  'STATUS:CANCELLED',
  'END:VEVENT',
  'BEGIN:VEVENT',
  'UID:dayoff@example.com',
  'DTSTAMP:20261101T000000Z',
  'DTSTART;VALUE=DATE:20261224',
  'DTEND;VALUE=DATE:20261225',
  'END:VEVENT',
  'END:VCALENDAR',
  '',
].join('\r\n');

beforeAll(async () => {
  db = await createTestDatabase();
  feeds = await startFakeIcsServer();
  engine = createBookingEngine({ pool: db.pool, clock: new ManualClock(now.toISOString()) });
  feeds.routes.set('/lunch.ics', { ics: weeklyLunch, contentType: 'application/octet-stream' });
});
afterAll(async () => {
  await feeds?.close();
  await db?.drop();
});

async function clinic(): Promise<{ tenantId: string; resourceId: string; serviceId: string }> {
  const slug = `ics-${randomBytes(4).toString('hex')}`;
  const tenant = await createTenant(db.pool, {
    name: slug,
    slug,
    timeZone: 'America/New_York',
    lookaheadDays: 60,
    minNoticeMinutes: 0,
    services: [{ name: 'Visit', durationMinutes: 60 }],
    hours: [1, 2, 3, 4, 5, 6, 7].map((weekday) => ({ weekday, opens: '08:00', closes: '18:00' })),
  });
  const { rows } = await db.pool.query<{ resourceId: string; serviceId: string }>(
    'SELECT r.id AS "resourceId", s.id AS "serviceId" FROM resources r JOIN services s ON s.tenant_id = r.tenant_id WHERE r.tenant_id = $1',
    [tenant.id],
  );
  return { tenantId: tenant.id, ...rows[0]! };
}

async function offered(c: { tenantId: string; serviceId: string }, day: string): Promise<string[]> {
  const availability = await engine.getAvailability({ tenantId: c.tenantId, serviceId: c.serviceId, from: day, to: day });
  return availability.slots.map((slot) => slot.start.slice(11, 16));
}

async function busyOf(c: { tenantId: string; resourceId: string }): Promise<string[]> {
  const busy = await withTenant(db.pool, c.tenantId, (client) => readExternalBusy(client, { tenantId: c.tenantId, resourceIds: [c.resourceId], range: { start: 0, end: Date.parse('2030-01-01') } }));
  return (busy.get(c.resourceId) ?? []).map((b) => `${new Date(b.start).toISOString()}/${new Date(b.end).toISOString()}`);
}

describe('busy time from an outside ICS feed', () => {
  it('expands a weekly event with an exception and an override: the slots it covers are not offered and the hold is refused', async () => {
    const c = await clinic();
    const feed = await addIcsImport(deps(), { ...c, url: `${feeds.url}/lunch.ics` });
    expect(await refreshIcsImport(deps(), { tenantId: c.tenantId, importId: feed.id, now })).toMatchObject({ outcome: 'synced' });
    const busy = await busyOf(c);
    expect(busy.slice(0, 4)).toEqual([
      '2026-12-01T17:00:00.000Z/2026-12-01T18:00:00.000Z',
      '2026-12-15T20:00:00.000Z/2026-12-15T21:00:00.000Z',
      '2026-12-22T17:00:00.000Z/2026-12-22T18:00:00.000Z',
      '2026-12-24T05:00:00.000Z/2026-12-25T05:00:00.000Z',
    ]);
    // Weekly to the booking horizon (60 days) and a week past it, no further.
    expect(busy.at(-1)).toBe('2027-02-02T17:00:00.000Z/2027-02-02T18:00:00.000Z');

    expect(await offered(c, '2026-12-22')).not.toEqual(expect.arrayContaining(['11:15', '12:00', '12:45']));
    expect(await offered(c, '2026-12-22')).toEqual(expect.arrayContaining(['11:00', '13:00']));
    expect(await offered(c, '2026-12-08')).toContain('12:00');
    expect(await offered(c, '2026-12-15')).toContain('12:00');
    expect(await offered(c, '2026-12-15')).not.toContain('15:00');
    expect(await offered(c, '2026-12-03')).toEqual(expect.arrayContaining(['09:00', '11:00']));
    expect(await offered(c, '2026-12-24')).toEqual([]);

    const refused = await engine.hold({ ...c, start: '2026-12-22T12:00:00-05:00', sessionId: 'chat-ics' }).catch((error: unknown) => error);
    expect(refused).toMatchObject({ code: 'SLOT_UNAVAILABLE' });
    await expect(engine.hold({ ...c, start: '2026-12-08T12:00:00-05:00', sessionId: 'chat-ics' })).resolves.toMatchObject({ status: 'active' });
  });

  it('sends the ETag back and keeps the busy time when the feed answers 304 Not Modified', async () => {
    const c = await clinic();
    const feed = await addIcsImport(deps(), { ...c, url: `${feeds.url}/lunch.ics` });
    await refreshIcsImport(deps(), { tenantId: c.tenantId, importId: feed.id, now });
    const before = await busyOf(c);
    expect(await refreshIcsImport(deps(), { tenantId: c.tenantId, importId: feed.id, now: new Date(now.getTime() + 900_000) })).toEqual({ outcome: 'not-modified' });
    expect(feeds.requests.at(-1)).toMatch(/^\/lunch\.ics "[0-9a-f]{16}"$/);
    expect(await busyOf(c)).toEqual(before);
  });

  it('keeps the last good busy time while a feed fails, then drops it and reports to staff once', async () => {
    const c = await clinic();
    feeds.routes.set('/flaky.ics', { ics: weeklyLunch });
    const feed = await addIcsImport(deps(), { ...c, url: `${feeds.url}/flaky.ics` });
    await refreshIcsImport(deps(), { tenantId: c.tenantId, importId: feed.id, now });
    const good = await busyOf(c);
    feeds.routes.set('/flaky.ics', { status: 503 });
    const later = (hours: number) => new Date(now.getTime() + hours * 3_600_000);
    expect(await refreshIcsImport(deps(), { tenantId: c.tenantId, importId: feed.id, now: later(1) })).toMatchObject({ outcome: 'failing', error: expect.stringContaining('503') });
    expect(await refreshIcsImport(deps(), { tenantId: c.tenantId, importId: feed.id, now: later(20) })).toMatchObject({ outcome: 'failing' });
    expect(await busyOf(c)).toEqual(good);

    const gaveUp = await refreshDueIcsImports(deps(), later(26));
    expect(gaveUp).toContainEqual({ tenantId: c.tenantId, resourceId: c.resourceId, reason: expect.stringContaining('503') });
    expect(await busyOf(c)).toEqual([]);
    expect(await refreshIcsImport(deps(), { tenantId: c.tenantId, importId: feed.id, now: later(27) })).toMatchObject({ outcome: 'failing' });

    feeds.routes.set('/flaky.ics', { ics: weeklyLunch });
    expect(await refreshIcsImport(deps(), { tenantId: c.tenantId, importId: feed.id, now: later(28) })).toMatchObject({ outcome: 'synced' });
    expect((await listIcsImports(db.pool, c.tenantId))[0]).toMatchObject({ failingSince: null, lastError: '' });
  });

  it("runs in the worker's minute job: due feeds only, and one failing past its bound is reported as a failing feed", async () => {
    const c = await clinic();
    feeds.routes.set('/minute.ics', { ics: weeklyLunch });
    const feed = await addIcsImport(deps(), { ...c, url: `${feeds.url}/minute.ics` });
    const provider = createCalendarProvider({ pool: db.pool, clock: new ManualClock(now.toISOString()), keyring, ics: { allowLoopback: true, refreshIntervalMs: 15 * 60_000, keepLastGoodMs: 3_600_000 } });
    const at = (minutes: number) => new Date(now.getTime() + minutes * 60_000);
    const fetchesOf = () => feeds.requests.filter((r) => r.startsWith('/minute.ics')).length;

    expect(await provider.refreshBusy(at(0))).toEqual([]);
    expect(await busyOf(c)).not.toEqual([]);
    expect(fetchesOf()).toBe(1);
    await provider.refreshBusy(at(5));
    expect(fetchesOf()).toBe(1);

    feeds.routes.set('/minute.ics', { status: 500 });
    expect(await provider.refreshBusy(at(16))).toEqual([]);
    const reported = await provider.refreshBusy(at(16 + 61));
    expect(reported).toEqual([{ tenantId: c.tenantId, resourceId: c.resourceId, reason: expect.stringContaining('500'), kind: 'ics_feed_failing' }]);
    expect(await busyOf(c)).toEqual([]);
    await removeIcsImport(db.pool, { tenantId: c.tenantId, importId: feed.id });
  });

  it('never shows the stored URL, and removing a feed clears its busy time', async () => {
    const c = await clinic();
    const secretPath = `/private-${randomBytes(8).toString('hex')}/basic.ics`;
    feeds.routes.set(secretPath, { ics: weeklyLunch });
    const feed = await addIcsImport(deps(), { ...c, url: `${feeds.url}${secretPath}` });
    await refreshIcsImport(deps(), { tenantId: c.tenantId, importId: feed.id, now });
    const listed = await listIcsImports(db.pool, c.tenantId);
    expect(JSON.stringify(listed)).not.toContain('private-');
    const { rows } = await db.pool.query<{ dump: string }>('SELECT (SELECT string_agg(i::text, \' \') FROM ics_imports i) || (SELECT string_agg(s::text, \' \') FROM secrets s) AS dump');
    expect(rows[0]!.dump).not.toContain('private-');
    expect(await removeIcsImport(db.pool, { tenantId: c.tenantId, importId: feed.id })).toBe(true);
    expect(await busyOf(c)).toEqual([]);
    expect(await removeIcsImport(db.pool, { tenantId: c.tenantId, importId: feed.id })).toBe(false);
  });
});

describe('SSRF guards on outside ICS URLs', () => {
  it.each([
    ['a private address (10.x)', 'https://10.1.2.3/cal.ics', /private, link-local or reserved/],
    ['the metadata service', 'https://169.254.169.254/latest/meta-data/', /metadata/],
    ['IPv6 loopback', 'https://[::1]/cal.ics', /loopback/],
    ['IPv4 loopback', 'https://127.0.0.1/cal.ics', /loopback/],
    ['loopback spelled in hex', 'https://0x7f000001/cal.ics', /loopback/],
    ['the metadata service spelled as one number', 'https://2852039166/latest/', /metadata/],
    ['carrier-grade NAT', 'https://100.64.0.1/cal.ics', /private, link-local or reserved/],
    ['IPv6 unique-local', 'https://[fd00::1]/cal.ics', /private, link-local or reserved/],
    ['IPv6 link-local', 'https://[fe80::1]/cal.ics', /private, link-local or reserved/],
    ['an IPv4-mapped private address', 'https://[::ffff:192.168.1.10]/cal.ics', /private/],
    // Prefixes that carry an IPv4 address inside an IPv6 one, which a translator or relay delivers to it.
    ['a private address behind the local-use NAT64 prefix', 'https://[64:ff9b:1::a00:1]/cal.ics', /private, link-local or reserved/],
    ['a private address inside 6to4', 'https://[2002:a00:1::1]/cal.ics', /private, link-local or reserved/],
    ['a Teredo address', 'https://[2001:0:a00:1::1]/cal.ics', /private, link-local or reserved/],
    ['loopback as an IPv4-compatible address', 'https://[::127.0.0.1]/cal.ics', /private, link-local or reserved/],
    ['an IPv4-translated private address', 'https://[::ffff:0:a00:1]/cal.ics', /private, link-local or reserved/],
    ['an IPv6 site-local address', 'https://[fec0::1]/cal.ics', /private, link-local or reserved/],
    ['plain http', 'http://calendar.example.com/cal.ics', /must use https/],
    ['credentials in the URL', 'https://user:pw@calendar.example.com/cal.ics', /user name or password/],
    ['a name that resolves to loopback', 'https://localhost:1/cal.ics', /^url: refused: localhost resolves to a loopback address$/],
  ])('refuses %s without the development flag', async (_name, url, message) => {
    const error = await fetchIcs(url, { allowLoopback: false }).catch((e: unknown) => e);
    expect(isChannelError(error, 'VALIDATION')).toBe(true);
    expect((error as Error).message).toMatch(message);
  });

  it("shows a tenant the kind of address a refused feed's name resolves to, never the address", async () => {
    const c = await clinic();
    const feed = await addIcsImport({ ...deps(), allowLoopback: false }, { ...c, url: 'https://localhost:1/cal.ics' });
    await refreshIcsImport({ ...deps(), allowLoopback: false }, { tenantId: c.tenantId, importId: feed.id, now });
    const [listed] = await listIcsImports(db.pool, c.tenantId);
    expect(listed!.lastError).toMatch(/localhost resolves to a loopback address/);
    expect(listed!.lastError).not.toMatch(/127\.0\.0\.1|::1/);
  });

  it('refuses registering such a URL with a 4xx-mapped error naming the field', async () => {
    const c = await clinic();
    const error = await addIcsImport({ ...deps(), allowLoopback: false }, { ...c, url: 'https://169.254.169.254/latest/' }).catch((e: unknown) => e);
    expect(error).toMatchObject({ code: 'VALIDATION', field: 'url' });
    expect(await listIcsImports(db.pool, c.tenantId)).toEqual([]);
  });

  it.each([
    ['a private address', 'http://10.0.0.1/cal.ics', /private/],
    ['the metadata service', 'http://169.254.169.254/latest/meta-data/', /metadata/],
  ])('refuses a redirect to %s even with the development flag', async (_name, target, message) => {
    feeds.routes.set('/moved.ics', { redirect: target });
    const error = await fetchIcs(`${feeds.url}/moved.ics`, { allowLoopback: true }).catch((e: unknown) => e);
    expect(isChannelError(error, 'VALIDATION')).toBe(true);
    expect((error as Error).message).toMatch(message);
  });

  it('refuses an oversized feed with a clear error, reading no further than the limit', async () => {
    feeds.routes.set('/huge.ics', { bytes: 6 * 1024 * 1024 });
    const error = await fetchIcs(`${feeds.url}/huge.ics`, { allowLoopback: true }).catch((e: unknown) => e);
    expect(isChannelError(error, 'VALIDATION')).toBe(true);
    expect((error as Error).message).toMatch(/larger than 5 MB/);
  });

  it('gives up on a server that stalls mid-answer, as a failure to retry', async () => {
    feeds.routes.set('/stalled.ics', { hang: true });
    const error = await fetchIcs(`${feeds.url}/stalled.ics`, { allowLoopback: true, timeoutMs: 300 }).catch((e: unknown) => e);
    expect(isChannelError(error, 'TRANSIENT')).toBe(true);
  });

  it('follows a redirect to an allowed address and reads any content type', async () => {
    feeds.routes.set('/old.ics', { redirect: `${feeds.url}/lunch.ics` });
    await expect(fetchIcs(`${feeds.url}/old.ics`, { allowLoopback: true })).resolves.toMatchObject({ status: 'fetched', body: expect.stringContaining('BEGIN:VCALENDAR') });
  });
});
