import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestDatabase, ManualClock, type TestDatabase } from '../testing/index.js';
import { createBookingEngine, type BookingEngine } from '../engine/engine.js';
import { at, createBookingTenant, testNow, type BookingTenant } from '../../test/fixtures.js';
import { assertIntakeComplete, saveIntakeAnswer, setIntakeQuestions } from './intake.js';

let db: TestDatabase;
let engine: BookingEngine;
let t: BookingTenant;

beforeAll(async () => {
  db = await createTestDatabase();
  engine = createBookingEngine({ pool: db.pool, clock: new ManualClock(testNow) });
  t = await createBookingTenant(db.pool, 'intake-complete-clinic');
  await setIntakeQuestions(db.pool, {
    tenantId: t.tenant.id,
    serviceId: t.consult.id,
    questions: [
      { key: 'first_visit', kind: 'yes_no', required: true, prompt: { en: 'Is this your first visit?', es: '¿Es su primera visita?' } },
      { key: 'notes', kind: 'text', required: false, prompt: { en: 'Anything we should know?' } },
    ],
  });
});
afterAll(async () => db.drop());

describe('assertIntakeComplete', () => {
  it('refuses a hold whose required questions are unanswered, naming them, until they are answered', async () => {
    const hold = await engine.hold({ tenantId: t.tenant.id, serviceId: t.consult.id, start: at('2026-12-03 09:00'), sessionId: 'chat-a' });
    const check = { tenantId: t.tenant.id, holdId: hold.id, sessionId: 'chat-a' };
    await expect(assertIntakeComplete(db.pool, check)).rejects.toMatchObject({
      code: 'INTAKE_INCOMPLETE',
      field: 'holdId',
      message: `Hold ${hold.id}: required intake questions not answered: first_visit ("Is this your first visit?")`,
      details: { missing: [{ key: 'first_visit', question: 'Is this your first visit?' }] },
    });
    await expect(assertIntakeComplete(db.pool, { ...check, language: 'es' })).rejects.toMatchObject({ details: { missing: [{ key: 'first_visit', question: '¿Es su primera visita?' }] } });
    await saveIntakeAnswer(db.pool, { ...check, questionKey: 'first_visit', answer: 'no', now: new Date(testNow) });
    await expect(assertIntakeComplete(db.pool, check)).resolves.toBeUndefined();
  });

  it('lets a service without required questions through, and leaves another session’s hold to the confirm', async () => {
    const plain = await engine.hold({ tenantId: t.tenant.id, serviceId: t.buffered.id, start: at('2026-12-03 11:00'), sessionId: 'chat-b' });
    await expect(assertIntakeComplete(db.pool, { tenantId: t.tenant.id, holdId: plain.id, sessionId: 'chat-b' })).resolves.toBeUndefined();
    const other = await engine.hold({ tenantId: t.tenant.id, serviceId: t.consult.id, start: at('2026-12-03 13:00'), sessionId: 'chat-c' });
    await expect(assertIntakeComplete(db.pool, { tenantId: t.tenant.id, holdId: other.id, sessionId: 'chat-d' })).resolves.toBeUndefined();
  });

  it('names the field of a malformed hold id', async () => {
    await expect(assertIntakeComplete(db.pool, { tenantId: t.tenant.id, holdId: 'nope', sessionId: 'chat-a' })).rejects.toMatchObject({ code: 'VALIDATION', field: 'holdId' });
  });
});
