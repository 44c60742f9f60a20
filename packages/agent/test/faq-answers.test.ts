import { updateService } from '@gomomo/core';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { createFaqEntry, createOpenAIBrain, deleteFaqEntry, isAgentError, listFaqEntries, updateFaqEntry } from '../src/index.js';
import { startFakeOpenAI, toolResults, type FakeOpenAI } from './fakes/openai-server.js';
import { conversation, createWorld, type World } from './support.js';

let offline: World;
let model: World;
let fake: FakeOpenAI;

async function writeAnswers(world: World): Promise<void> {
  const now = world.clock.now();
  const tenantId = world.tenant.id;
  await createFaqEntry(world.pool, { tenantId, now, question: 'Is there parking?', answer: 'Yes: free parking in the lot behind the building, entrance on Elm Street.' });
  await createFaqEntry(world.pool, { tenantId, now, question: 'Do you take insurance?', answer: 'We accept Aetna and Cigna; bring your insurance card to the first visit.' });
  await createFaqEntry(world.pool, { tenantId, now, question: 'How should I prepare for a consultation?', answer: 'Arrive 10 minutes early and bring a list of your medications.' });
  await createFaqEntry(world.pool, { tenantId, now, question: '¿Hay estacionamiento?', answer: 'Sí: estacionamiento gratuito detrás del edificio, entrada por la calle Elm.', language: 'es' });
}

beforeAll(async () => {
  fake = await startFakeOpenAI();
  [offline, model] = await Promise.all([createWorld(), createWorld({ brain: createOpenAIBrain({ apiKey: 'test-key', baseURL: fake.url, model: 'gpt-test', maxRetries: 0 }) })]);
  await Promise.all([writeAnswers(offline), writeAnswers(model)]);
  await updateService(offline.pool, { tenantId: offline.tenant.id, serviceId: offline.services.consultation, changeDeadlineHours: 24 });
});
afterAll(async () => {
  await offline.db.drop();
  await model.db.drop();
  await fake.close();
});
afterEach(() => {
  expect(fake.remaining()).toBe(0);
});

describe('the business’s own answers, offline', () => {
  it.each([
    ['Is there parking?', /^Yes: free parking in the lot behind the building, entrance on Elm Street\./],
    ['where can I park my car?', /free parking in the lot behind the building/],
    ['Do you accept insurance?', /We accept Aetna and Cigna/],
    ['How do I prepare for my consultation?', /Arrive 10 minutes early/],
    ["What's your cancellation policy?", /You can cancel or move an appointment here in the chat — Consultation: up to 24 hours before it starts; Extended session: until it starts; Follow-up: until it starts\./],
  ])('answers "%s" from the tenant’s text', async (question, expected) => {
    const turn = await conversation(offline, `faq-${question.replace(/\W+/g, '-')}`).say(question);
    expect(turn.reply).toMatch(expected);
    expect(turn.reply).not.toMatch(/To be clear/);
  });

  it('says honestly when the business wrote nothing about it', async () => {
    const turn = await conversation(offline, 'faq-unknown').say('Do you allow dogs in the waiting room?');
    expect(turn.reply).toMatch(/^I'm sorry, I don't have an answer to that/);
    // The lookup is a tool call like any other: allowed by the policy, audited.
    const { rows } = await offline.pool.query(`SELECT action, outcome FROM audit_log WHERE session_id = 'faq-unknown' ORDER BY seq`);
    expect(rows).toEqual([
      { action: 'faq.answer', outcome: 'allowed' },
      { action: 'faq.answer', outcome: 'succeeded' },
    ]);
  });

  it('answers in Spanish from the Spanish entry, and says it does not know in Spanish', async () => {
    const answered = await conversation(offline, 'faq-es').say('¿Tienen estacionamiento?');
    expect(answered.reply).toMatch(/^Sí: estacionamiento gratuito detrás del edificio/);
    const unknown = await conversation(offline, 'faq-es-unknown').say('¿Se puede ir con perros?');
    expect(unknown.reply).toMatch(/^Lo siento, no tengo una respuesta para eso/);
  });

  it('leaves booking questions to the booking flow', async () => {
    const turn = await conversation(offline, 'faq-book').say('Can I book a consultation?');
    expect(turn.reply).not.toMatch(/don't have an answer/);
  });
});

describe('the business’s own answers, with a model', () => {
  it('answers from what answer_question returned', async () => {
    fake.play(
      { toolCalls: [{ name: 'answer_question', arguments: { question: 'parking?' } }] },
      { reply: 'Yes, there is free parking in the lot behind the building, entrance on Elm Street.' },
    );
    const turn = await conversation(model, 'faq-model').say('Where do I park?');
    expect(toolResults(fake.requests.at(-1)!)[0]).toMatchObject({ ok: true, data: { answers: [expect.objectContaining({ answer: expect.stringMatching(/free parking/) })] } });
    expect(turn.reply).toBe('Yes, there is free parking in the lot behind the building, entrance on Elm Street.');
  });

  it('corrects a price or a policy the business never wrote (a false claim)', async () => {
    fake.play(
      { toolCalls: [{ name: 'answer_question', arguments: { question: 'price of whitening?' } }] },
      { reply: 'Teeth whitening costs $199. We also offer a full refund if you are not happy. Anything else?' },
    );
    const turn = await conversation(model, 'faq-model-liar').say('How much is whitening?');
    expect(turn.reply).toBe("Anything else? To be clear: I can only tell you what the business has written down, and I don't have an answer to that.");
    const { rows } = await model.pool.query(`SELECT details FROM audit_log WHERE session_id = 'faq-model-liar' AND action = 'reply.claim_check'`);
    expect(rows).toEqual([{ details: expect.objectContaining({ corrected: ['fact'] }) }]);
  });

  it('keeps an honest "I don\'t know"', async () => {
    fake.play({ toolCalls: [{ name: 'answer_question', arguments: { question: 'dogs allowed?' } }] }, { reply: "I'm sorry, I don't know whether dogs are allowed. Please ask the team." });
    const turn = await conversation(model, 'faq-model-unknown').say('Can I bring my dog?');
    expect(toolResults(fake.requests.at(-1)!)[0]).toMatchObject({ ok: true, data: { answers: [] } });
    expect(turn.reply).toBe("I'm sorry, I don't know whether dogs are allowed. Please ask the team.");
  });
});

describe('managing the answers', () => {
  it('lists, updates and deletes, and names the field of bad input', async () => {
    const tenantId = offline.tenant.id;
    const now = offline.clock.now();
    const created = await createFaqEntry(offline.pool, { tenantId, now, question: 'Wi-Fi?', answer: 'Network "clinic-guest", no password.' });
    expect((await listFaqEntries(offline.pool, tenantId)).map((e) => e.question)).toContain('Wi-Fi?');
    expect(await updateFaqEntry(offline.pool, { tenantId, id: created.id, now, question: 'Is there Wi-Fi?', answer: 'Yes.', language: 'en' })).toMatchObject({ question: 'Is there Wi-Fi?', language: 'en' });
    // Another tenant's entry is not there at all.
    expect(await updateFaqEntry(model.pool, { tenantId: model.tenant.id, id: created.id, now, question: 'x', answer: 'y' })).toBeNull();
    expect(await deleteFaqEntry(offline.pool, { tenantId, id: created.id })).toBe(true);
    expect(await deleteFaqEntry(offline.pool, { tenantId, id: created.id })).toBe(false);
    const error = await createFaqEntry(offline.pool, { tenantId, now, question: '  ', answer: 'x' }).catch((e: unknown) => e);
    expect(isAgentError(error, 'VALIDATION') && error.field).toBe('question');
    const language = await createFaqEntry(offline.pool, { tenantId, now, question: 'q', answer: 'a', language: 'fr' as 'en' }).catch((e: unknown) => e);
    expect(isAgentError(language, 'VALIDATION') && language.message).toBe('language: must be en or es (or null for every language)');
  });
});
