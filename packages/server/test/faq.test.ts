// Issue 20 item 4 through the API: a business manages its own answers with its secret key, and the
// receptionist answers customers from them (publishable key, chat).
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createHarness, trpcData, trpcError, type Harness, type TestTenant } from './harness.js';

let h: Harness;
let t: TestTenant;

beforeAll(async () => {
  h = await createHarness({ withReceptionist: true });
  t = await h.onboard('faq-clinic', 'https://faq.example');
});
afterAll(async () => {
  await h.close();
});

interface Entry {
  id: string;
  question: string;
  answer: string;
  language: string | null;
}

describe('tenant.faq', () => {
  it('creates, lists, updates and deletes answers with the secret key', async () => {
    const created = trpcData<Entry>(await h.call('tenant.faq.create', { question: 'Is there parking?', answer: 'Free parking behind the building.' }, { key: t.secretKey }));
    expect(created).toMatchObject({ question: 'Is there parking?', language: null });
    expect(trpcData<Entry[]>(await h.call('tenant.faq.list', undefined, { key: t.secretKey })).map((e) => e.id)).toEqual([created.id]);
    const updated = trpcData<Entry>(await h.call('tenant.faq.update', { id: created.id, question: 'Is there parking?', answer: 'Free parking behind the building, entrance on Elm Street.', language: 'en' }, { key: t.secretKey }));
    expect(updated).toMatchObject({ answer: 'Free parking behind the building, entrance on Elm Street.', language: 'en' });
    const turn = trpcData<{ reply: string }>(await h.call('chat.send', { text: 'Where can I park?' }, { key: t.publishableKey, origin: t.origin }));
    expect(turn.reply).toMatch(/^Free parking behind the building, entrance on Elm Street\./);
    expect(trpcData(await h.call('tenant.faq.delete', { id: created.id }, { key: t.secretKey }))).toEqual({ deleted: true });
    const again = await h.call('tenant.faq.delete', { id: created.id }, { key: t.secretKey });
    expect(again.statusCode).toBe(404);
    expect(trpcError(again)).toMatchObject({ code: 'NOT_FOUND' });
  });

  it.each([
    ['an empty question', { question: ' ', answer: 'x' }, 'question'],
    ['a missing answer', { question: 'Parking?' }, 'answer'],
    ['an unknown language', { question: 'Parking?', answer: 'Yes', language: 'fr' }, 'language'],
    ['an answer past 4000 characters', { question: 'Parking?', answer: 'x'.repeat(4001) }, 'answer'],
  ])('refuses %s with a 400 naming the field', async (_label, input, field) => {
    const response = await h.call('tenant.faq.create', input, { key: t.secretKey });
    expect(response.statusCode).toBe(400);
    expect(trpcError(response)).toMatchObject({ code: 'VALIDATION', fields: [expect.objectContaining({ field })] });
  });

  it('refuses the publishable key: answers are managed with the secret key only', async () => {
    const response = await h.call('tenant.faq.create', { question: 'Parking?', answer: 'Yes' }, { key: t.publishableKey, origin: t.origin });
    expect(response.statusCode).toBe(403);
  });

  it('answers 404 for an id that is not the tenant’s, and 400 for one that is no UUID', async () => {
    expect((await h.call('tenant.faq.update', { id: '00000000-0000-4000-8000-000000000000', question: 'q', answer: 'a' }, { key: t.secretKey })).statusCode).toBe(404);
    const bad = await h.call('tenant.faq.delete', { id: 'nope' }, { key: t.secretKey });
    expect(bad.statusCode).toBe(400);
    expect(trpcError(bad)).toMatchObject({ fields: [expect.objectContaining({ field: 'id' })] });
  });
});
