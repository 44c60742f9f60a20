import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { adminSecret, createHarness, trpcData, trpcError, type Harness, type TestTenant } from '../harness.js';

// Issue 13: "19 × HTTP 500 in about 1,400 malformed requests": NUL bytes in text fields reached
// Postgres, which refuses them. Every such field now answers 400 naming the field.

let h: Harness;
let a: TestTenant;

beforeAll(async () => {
  h = await createHarness({ withReceptionist: true });
  a = await h.onboard('nul-a', 'https://a.example');
});
afterAll(() => h.close());

describe('regression: NUL bytes in text fields reach Postgres (HTTP 500)', () => {
  let hour = 14;
  const holdAndConfirm = async (client: Record<string, unknown>, notes?: string) => {
    hour += 1;
    const start = `2026-12-02T${String(hour).padStart(2, '0')}:00:00Z`;
    const hold = trpcData<{ id: string }>(await h.call('bookings.hold', { serviceId: a.serviceId, start, sessionId: 'nul-session-1' }, { key: a.secretKey }));
    return h.call('bookings.confirm', { holdId: hold.id, sessionId: 'nul-session-1', client, ...(notes === undefined ? {} : { notes }) }, { key: a.secretKey });
  };

  const cases: { name: string; field: string; send: () => ReturnType<Harness['call']> }[] = [
    { name: 'client.name', field: 'client.name', send: () => holdAndConfirm({ name: 'Ann\u0000 Lee' }) },
    { name: 'notes', field: 'notes', send: () => holdAndConfirm({ name: 'Ann Lee' }, 'ring\u0000 twice') },
    {
      name: 'waitlist name',
      field: 'client.name',
      send: () => h.call('waitlist.join', { serviceId: a.serviceId, windowStart: '2026-12-03', windowEnd: '2026-12-04', client: { name: 'B\u0000b', email: 'b@example.com' } }, { key: a.secretKey }),
    },
    { name: 'tenant name', field: 'name', send: () => h.call('admin.createTenant', { name: 'Evil\u0000 Clinic', slug: 'evil-nul' }, { key: adminSecret }) },
    { name: 'key name', field: 'name', send: () => h.call('admin.createKey', { tenantId: a.id, kind: 'secret', name: 'ci\u0000' }, { key: adminSecret }) },
    { name: 'phone-number label', field: 'label', send: () => h.call('admin.addPhoneNumber', { tenantId: a.id, number: '+15550001111', label: 'desk\u0000' }, { key: adminSecret }) },
    { name: 'settings key', field: 'settings.a\u0000b', send: () => h.call('tenant.update', { settings: { 'a\u0000b': 1 } }, { key: a.secretKey }) },
    { name: 'settings value', field: 'settings.greeting', send: () => h.call('tenant.update', { settings: { greeting: 'hi\u0000' } }, { key: a.secretKey }) },
    { name: 'chat text', field: 'text', send: () => h.call('chat.send', { text: 'yes\u0000' }, { key: a.secretKey }) },
    { name: 'a lone surrogate', field: 'text', send: () => h.call('chat.send', { text: 'hello \ud800' }, { key: a.secretKey }) },
    { name: 'a bell in a name', field: 'client.name', send: () => holdAndConfirm({ name: 'Ann\u0007' }) },
    { name: 'a line break in a name', field: 'client.name', send: () => holdAndConfirm({ name: 'Ann\nLee' }) },
  ];

  for (const { name, field, send } of cases) {
    it(`refuses ${name} with a control character with 400 naming ${JSON.stringify(field)}`, async () => {
      const response = await send();
      expect(response.statusCode, response.body).toBe(400);
      expect(trpcError(response).fields?.[0]?.field).toBe(field);
    });
  }

  it('keeps tab and line breaks in chat text', async () => {
    const response = await h.call('chat.send', { text: 'Hello\n\tdo you open on Saturday?' }, { key: a.secretKey });
    expect(response.statusCode, response.body).toBe(200);
  });

  it('refuses NUL on REST too, in the one error shape', async () => {
    const response = await h.app.inject({
      method: 'POST',
      url: '/api/v1/chat/messages',
      headers: { authorization: `Bearer ${a.secretKey}`, 'content-type': 'application/json' },
      payload: JSON.stringify({ text: 'yes\u0000' }),
    });
    expect(response.statusCode).toBe(400);
    expect(response.json()).toMatchObject({ error: { code: 'VALIDATION', fields: [{ field: 'text' }] } });
  });
});

describe('regression: an out-of-range date in an availability query becomes NaN (HTTP 500)', () => {
  for (const [from, to] of [
    ['+275760-09-13', '+275760-09-13'],
    ['2026-12-01', '275760-09-13'],
    ['-271821-04-20T00:00:00Z', '2026-12-02'],
    ['0001-01-01', '0001-01-02'],
  ]) {
    it(`answers 400 naming the field for ${from} → ${to}`, async () => {
      const response = await h.call('availability.get', { serviceId: a.serviceId, from, to }, { key: a.secretKey });
      expect(response.statusCode, response.body).toBe(400);
      expect(['from', 'to']).toContain(trpcError(response).fields?.[0]?.field);
    });
  }

  it('answers 400 for an out-of-range waitlist window and booking instant', async () => {
    const waitlist = await h.call('waitlist.join', { serviceId: a.serviceId, windowStart: '2026-12-03', windowEnd: '275760-09-13', client: { name: 'Bob', email: 'b@example.com' } }, { key: a.secretKey });
    expect(waitlist.statusCode, waitlist.body).toBe(400);
    const hold = await h.call('bookings.hold', { serviceId: a.serviceId, start: '+275760-09-13T00:00:00Z', sessionId: 'nul-session-2' }, { key: a.secretKey });
    expect(hold.statusCode, hold.body).toBe(400);
  });
});
