// Issue 20 items 2 and 6 over HTTP, as the widget calls them: "Remember me on this device" (offered
// after a one-time code proved the contact, only where the tenant turned it on; a later conversation
// opened with the token starts proven; refused when revoked, foreign or from another origin) and the
// widget's speech setting read with the publishable key.
import type { CodeMessage } from '@gomomo/agent';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createHarness, trpcData, trpcError, type Harness, type TestTenant } from './harness.js';

let h: Harness;
let clinic: TestTenant;
let other: TestTenant;
const codes: CodeMessage[] = [];
const secondSite = 'https://second.example';

type Sent = { reply: string; sessionToken?: string; device?: string };

beforeAll(async () => {
  h = await createHarness({ withReceptionist: true, codeSender: async (_client, message) => void codes.push(message) });
  clinic = await h.onboard('device-clinic', 'https://clinic.example');
  other = await h.onboard('device-other', 'https://other.example');
  for (const tenant of [clinic, other]) {
    await h.call('tenant.update', { settings: { rememberDevice: { enabled: true }, widget: { speech: true } }, allowedOrigins: [tenant.origin, secondSite] }, { key: tenant.secretKey });
  }
});
afterAll(() => h.close());

let slot = 0;
async function seedBooking(email: string): Promise<string> {
  slot += 1;
  const start = `2026-12-0${2 + (slot % 3)}T${14 + Math.floor(slot / 3)}:00:00Z`;
  const hold = trpcData<{ id: string }>(await h.call('bookings.hold', { serviceId: clinic.serviceId, start, resourceId: clinic.resourceId, sessionId: `seed-session-${slot}` }, { key: clinic.secretKey }));
  return trpcData<{ reference: string }>(await h.call('bookings.confirm', { holdId: hold.id, sessionId: `seed-session-${slot}`, client: { name: 'Ana Device', email } }, { key: clinic.secretKey })).reference;
}

function send(text: string, options: { token?: string; deviceToken?: string; origin?: string; tenant?: TestTenant } = {}): Promise<Sent> {
  const tenant = options.tenant ?? clinic;
  return h
    .call('chat.send', { text, ...(options.deviceToken ? { deviceToken: options.deviceToken } : {}) }, { key: tenant.publishableKey, origin: options.origin ?? tenant.origin, headers: options.token ? { 'x-gomomo-session': options.token } : {} })
    .then((response) => trpcData<Sent>(response));
}

/** A widget conversation that proved `email` by code; resolves to its session token and the last turn's device hint. */
async function proveByCode(email: string): Promise<{ token: string; device?: string }> {
  const reference = await seedBooking(email);
  const first = await send(`cancel ${reference} ${email}`);
  const token = first.sessionToken!;
  expect(first.device).toBeUndefined();
  const proven = await send(codes.at(-1)!.code, { token });
  expect(proven.reply).toMatch(/Shall I cancel it\?/);
  return { token, ...(proven.device ? { device: proven.device } : {}) };
}

async function remember(sessionToken: string, origin = clinic.origin): Promise<string> {
  return trpcData<{ deviceToken: string }>(await h.call('devices.remember', {}, { key: clinic.publishableKey, origin, headers: { 'x-gomomo-session': sessionToken } })).deviceToken;
}

describe('remember me on this device, over HTTP', () => {
  it('offers to remember once a code proved the contact, and a later visit with the token is greeted by name', async () => {
    const proven = await proveByCode('ana.http@example.com');
    expect(proven.device).toBe('offer');
    const deviceToken = await remember(proven.token);
    expect(deviceToken).toMatch(/^gmd_[A-Za-z0-9_-]{43}$/);
    const later = await send('Hi!', { deviceToken });
    expect(later.device).toBe('opened');
    expect(later.reply).toMatch(/^Welcome back, Ana!/);
  });

  it('refuses a token presented from another of the tenant\'s origins, and one presented to another tenant', async () => {
    const deviceToken = await remember((await proveByCode('bo.http@example.com')).token);
    const elsewhere = await send('Hi!', { deviceToken, origin: secondSite });
    expect(elsewhere.device).toBe('refused');
    expect(elsewhere.reply).not.toMatch(/Welcome back/);
    const foreign = await send('Hi!', { deviceToken, tenant: other });
    expect(foreign.device).toBe('refused');
    expect(foreign.reply).not.toMatch(/Welcome back/);
  });

  it('refuses a token after "forget this device", and after staff revoked all of the customer\'s devices', async () => {
    const forgotten = await remember((await proveByCode('cy.http@example.com')).token);
    expect(trpcData(await h.call('devices.forget', { deviceToken: forgotten }, { key: clinic.publishableKey, origin: clinic.origin }))).toEqual({ forgotten: true });
    expect((await send('Hi!', { deviceToken: forgotten })).device).toBe('refused');
    const revoked = await remember((await proveByCode('cy.http@example.com')).token);
    expect(trpcData(await h.call('devices.revokeForCustomer', { email: 'cy.http@example.com' }, { key: clinic.secretKey }))).toEqual({ revoked: 1 });
    expect((await send('Hi!', { deviceToken: revoked })).device).toBe('refused');
  });

  it('refuses to remember an unproven conversation (403), and a malformed token is a 400 naming the field', async () => {
    const stranger = await send('hello');
    const response = await h.call('devices.remember', {}, { key: clinic.publishableKey, origin: clinic.origin, headers: { 'x-gomomo-session': stranger.sessionToken! } });
    expect(response.statusCode).toBe(403);
    expect(trpcError(response).message).toMatch(/has not proven/);
    const bad = await h.call('chat.send', { text: 'hi', deviceToken: 'ana@example.com' }, { key: clinic.publishableKey, origin: clinic.origin });
    expect(bad.statusCode).toBe(400);
    expect(trpcError(bad).fields?.[0]?.field).toBe('deviceToken');
  });

  it('a conversation opened with a remembered device cannot mint a fresh device token', async () => {
    const deviceToken = await remember((await proveByCode('ed.http@example.com')).token);
    const opened = await send('Hi!', { deviceToken });
    expect(opened.device).toBe('opened');
    const minted = await h.call('devices.remember', {}, { key: clinic.publishableKey, origin: clinic.origin, headers: { 'x-gomomo-session': opened.sessionToken! } });
    expect(minted.statusCode).toBe(403);
    expect(trpcError(minted).message).toMatch(/already has a remembered device/);
    // So "forget this device" leaves no other token behind that opens the customer's conversations.
    await h.call('devices.forget', { deviceToken }, { key: clinic.publishableKey, origin: clinic.origin });
    expect((await send('Hi!', { deviceToken })).device).toBe('refused');
  });

  it("a remembered device proves only its own contact: another customer's booking typed in asks that customer for a code", async () => {
    h.clock.advance(3_600_000); // a fresh hour: one client address may have ten codes sent an hour
    const deviceToken = await remember((await proveByCode('gus.http@example.com')).token);
    const opened = await send('Hi!', { deviceToken });
    const reference = await seedBooking('hana.http@example.com');
    const sentBefore = codes.length;
    const asked = await send(`cancel ${reference} hana.http@example.com`, { token: opened.sessionToken! });
    expect(asked.reply).not.toMatch(/Shall I cancel it\?/);
    expect(codes.slice(sentBefore).map((c) => c.recipient)).toEqual(['hana.http@example.com']);
  });

  it('"forget this device" also ends the proof of a conversation the device opened before', async () => {
    h.clock.advance(3_600_000); // a fresh hour: one client address may have ten codes sent an hour
    const deviceToken = await remember((await proveByCode('ida.http@example.com')).token);
    const opened = await send('Hi!', { deviceToken });
    expect(opened.reply).toMatch(/^Welcome back/);
    const reference = await seedBooking('ida.http@example.com');
    await h.call('devices.forget', { deviceToken }, { key: clinic.publishableKey, origin: clinic.origin });
    const sentBefore = codes.length;
    const asked = await send(`cancel ${reference} ida.http@example.com`, { token: opened.sessionToken! });
    expect(asked.reply).not.toMatch(/Shall I cancel it\?/);
    expect(codes.slice(sentBefore).map((c) => c.recipient)).toEqual(['ida.http@example.com']);
  });

  it('remembering one conversation twice, even at once, makes one device', async () => {
    const { token } = await proveByCode('fay.http@example.com');
    const ask = () => h.call('devices.remember', {}, { key: clinic.publishableKey, origin: clinic.origin, headers: { 'x-gomomo-session': token } });
    const answers = await Promise.all([ask(), ask()]);
    expect(answers.map((a) => a.statusCode).sort()).toEqual([200, 403]);
    expect((await ask()).statusCode).toBe(403);
    expect(trpcData(await h.call('devices.revokeForCustomer', { email: 'fay.http@example.com' }, { key: clinic.secretKey }))).toEqual({ revoked: 1 });
  });

  it('makes no offer when the tenant has not turned remembering on', async () => {
    await h.call('tenant.update', { settings: { widget: { speech: true } } }, { key: clinic.secretKey });
    try {
      expect((await proveByCode('di.http@example.com')).device).toBeUndefined();
    } finally {
      await h.call('tenant.update', { settings: { rememberDevice: { enabled: true }, widget: { speech: true } } }, { key: clinic.secretKey });
    }
  });

  it('a device remembered before the business turned remembering off, or shortened its days, opens nothing', async () => {
    const deviceToken = await remember((await proveByCode('jo.http@example.com')).token);
    await h.call('tenant.update', { settings: { widget: { speech: true } } }, { key: clinic.secretKey });
    try {
      expect((await send('Hi!', { deviceToken })).device).toBe('refused');
    } finally {
      await h.call('tenant.update', { settings: { rememberDevice: { enabled: true }, widget: { speech: true } } }, { key: clinic.secretKey });
    }
    expect((await send('Hi!', { deviceToken })).device).toBe('opened');
    h.clock.advance(2 * 86_400_000); // last in this file to move the clock by days: later bookings would be in the past
    await h.call('tenant.update', { settings: { rememberDevice: { enabled: true, days: 1 }, widget: { speech: true } } }, { key: clinic.secretKey });
    try {
      expect((await send('Hi!', { deviceToken })).device).toBe('refused');
    } finally {
      await h.call('tenant.update', { settings: { rememberDevice: { enabled: true }, widget: { speech: true } } }, { key: clinic.secretKey });
    }
  });
});

describe('the widget configuration', () => {
  it('tells the widget whether the business turned speech on, to a publishable key from an allowed origin', async () => {
    expect(trpcData(await h.call('widget.config', undefined, { key: clinic.publishableKey, origin: clinic.origin }))).toEqual({ speech: true });
    await h.call('tenant.update', { settings: {} }, { key: other.secretKey });
    expect(trpcData(await h.call('widget.config', undefined, { key: other.publishableKey, origin: other.origin }))).toEqual({ speech: false });
    expect((await h.call('widget.config', undefined, { key: clinic.publishableKey, origin: 'https://evil.example' })).statusCode).toBe(403);
  });
});
