// Intake questions per service and the customer's answers (issue 20 item 3). A tenant defines the
// questions; the receptionist asks them after the slot is held and before the summary; answers are
// kept against that hold, so the appointment confirmed from it has them; staff read and edit them.
import { DateTime } from 'luxon';
import { z } from 'zod';
import type { Pool, Queryable } from '../db/pool.js';
import { withTenant } from '../db/transaction.js';
import { BookingError } from '../errors.js';
import { parseInput } from '../validation/parse.js';

export const intakeKinds = ['text', 'choice', 'yes_no', 'date'] as const;
export type IntakeKind = (typeof intakeKinds)[number];

const promptSchema = z
  .object({ en: z.string().trim().min(1).max(300).optional(), es: z.string().trim().min(1).max(300).optional() })
  .strict()
  .refine((p) => p.en !== undefined || p.es !== undefined, { message: 'needs the question in at least one language (en or es)' });

/** One question as a tenant writes it. */
export const intakeQuestionSchema = z
  .object({
    key: z.string().regex(/^[a-z][a-z0-9_]{0,39}$/, 'must be 1–40 characters of a-z, 0-9 and _, starting with a letter'),
    kind: z.enum(intakeKinds, { message: 'must be text, choice, yes_no or date' }),
    required: z.boolean(),
    prompt: promptSchema,
    choices: z.array(z.string().trim().min(1).max(100)).max(20).optional(),
  })
  .strict()
  .superRefine((q, ctx) => {
    if (q.kind === 'choice' && (q.choices?.length ?? 0) < 2) ctx.addIssue({ code: 'custom', path: ['choices'], message: 'a choice question needs at least two choices' });
    if (q.kind !== 'choice' && q.choices?.length) ctx.addIssue({ code: 'custom', path: ['choices'], message: `only a choice question has choices, not ${q.kind}` });
  });

export type IntakeQuestionInput = z.input<typeof intakeQuestionSchema>;

/** A stored question, in the order it is asked. */
export interface IntakeQuestion {
  key: string;
  kind: IntakeKind;
  required: boolean;
  prompt: { en?: string | undefined; es?: string | undefined };
  choices: string[];
}

const setQuestionsSchema = z.object({
  tenantId: z.uuid(),
  serviceId: z.uuid({ message: 'must be a UUID' }),
  questions: z
    .array(intakeQuestionSchema)
    .max(20, 'at most 20 questions per service')
    .refine((qs) => new Set(qs.map((q) => q.key)).size === qs.length, { message: 'each question needs its own key' }),
});

/** Replaces a service's questions (an empty list removes them). `VALIDATION` names the field; an unknown service is `NOT_FOUND`. */
export async function setIntakeQuestions(pool: Pool, input: { tenantId: string; serviceId: string; questions: IntakeQuestionInput[] }): Promise<IntakeQuestion[]> {
  const data = parseInput(setQuestionsSchema, input);
  return withTenant(pool, data.tenantId, async (client) => {
    const { rowCount } = await client.query('SELECT 1 FROM services WHERE tenant_id = $1 AND id = $2 AND is_active', [data.tenantId, data.serviceId]);
    if (rowCount === 0) throw new BookingError('NOT_FOUND', `Service ${data.serviceId} does not exist`, { field: 'serviceId' });
    await client.query('DELETE FROM service_intake_questions WHERE tenant_id = $1 AND service_id = $2', [data.tenantId, data.serviceId]);
    for (const [position, q] of data.questions.entries()) {
      await client.query(
        `INSERT INTO service_intake_questions (tenant_id, service_id, key, position, kind, is_required, prompt, choices)
         VALUES ($1, $2, $3, $4, $5, $6, $7, $8)`,
        [data.tenantId, data.serviceId, q.key, position, q.kind, q.required, JSON.stringify(q.prompt), JSON.stringify(q.choices ?? [])],
      );
    }
    return readIntakeQuestions(client, { tenantId: data.tenantId, serviceId: data.serviceId });
  });
}

/** A service's questions in the caller's transaction, in order. */
export async function readIntakeQuestions(client: Queryable, input: { tenantId: string; serviceId: string }): Promise<IntakeQuestion[]> {
  const { rows } = await client.query<IntakeQuestion>(
    `SELECT key, kind, is_required AS required, prompt, choices FROM service_intake_questions
      WHERE tenant_id = $1 AND service_id = $2 ORDER BY position`,
    [input.tenantId, input.serviceId],
  );
  return rows;
}

/** A service's questions, in order. */
export function listIntakeQuestions(pool: Pool, input: { tenantId: string; serviceId: string }): Promise<IntakeQuestion[]> {
  return withTenant(pool, input.tenantId, (client) => readIntakeQuestions(client, input), { isolation: 'read committed' });
}

// \b is ASCII-only: "sí" needs a letter-aware end.
const yesWords = /^(y|yes|yeah|yep|sure|correct|s[ií]|claro)(?!\p{L})/iu;
const noWords = /^(n|no|nope|not really|none|nada|ninguno)(?!\p{L})/iu;

/**
 * Checks an answer against its question and returns the stored form: a choice as the tenant wrote
 * it, yes/no as "yes" or "no", a date as YYYY-MM-DD. `skip` is an empty answer to an optional
 * question. An error says what a good answer looks like (the receptionist asks again with it).
 */
export function validateIntakeAnswer(question: IntakeQuestion, raw: string): { ok: true; value: string | null } | { ok: false; message: string } {
  const text = raw.trim();
  if (text === '' || /^(skip|pass|omitir)$/i.test(text)) {
    return question.required ? { ok: false, message: 'This question needs an answer.' } : { ok: true, value: null };
  }
  if (text.length > 1000) return { ok: false, message: 'Please keep the answer under 1000 characters.' };
  switch (question.kind) {
    case 'text':
      return { ok: true, value: text };
    case 'yes_no':
      if (yesWords.test(text)) return { ok: true, value: 'yes' };
      if (noWords.test(text)) return { ok: true, value: 'no' };
      return { ok: false, message: 'Please answer yes or no.' };
    case 'choice': {
      const byNumber = /^\d+$/.test(text) ? question.choices[Number(text) - 1] : undefined;
      const chosen = byNumber ?? question.choices.find((c) => c.toLowerCase() === text.toLowerCase()) ?? question.choices.find((c) => text.toLowerCase().includes(c.toLowerCase()));
      return chosen ? { ok: true, value: chosen } : { ok: false, message: `Please choose one of: ${question.choices.join(', ')}.` };
    }
    case 'date': {
      const formats = ['yyyy-MM-dd', 'M/d/yyyy', 'd.M.yyyy', 'MMMM d, yyyy', 'MMMM d yyyy', 'd MMMM yyyy'];
      for (const format of formats) {
        const date = DateTime.fromFormat(text, format, { locale: 'en' });
        if (date.isValid) return { ok: true, value: date.toISODate()! };
      }
      return { ok: false, message: 'Please give a date like 1990-04-23.' };
    }
  }
}

/**
 * Stores the customer's answer for a hold of their conversation (only an active hold of that
 * session: an answer cannot be written onto someone else's booking). `VALIDATION` says what a good answer is.
 */
export async function saveIntakeAnswer(pool: Pool, input: { tenantId: string; holdId: string; sessionId: string; questionKey: string; answer: string; now: Date }): Promise<{ key: string; value: string | null }> {
  return withTenant(pool, input.tenantId, async (client) => {
    const { rows } = await client.query<{ serviceId: string }>(
      `SELECT service_id AS "serviceId" FROM holds WHERE tenant_id = $1 AND id = $2 AND session_id = $3 AND status = 'active'`,
      [input.tenantId, input.holdId, input.sessionId],
    );
    if (!rows[0]) throw new BookingError('HOLD_NOT_ACTIVE', `Hold ${input.holdId} is not an active hold of this conversation`, { field: 'holdId' });
    const question = (await readIntakeQuestions(client, { tenantId: input.tenantId, serviceId: rows[0].serviceId })).find((q) => q.key === input.questionKey);
    if (!question) throw new BookingError('VALIDATION', `questionKey: no question "${input.questionKey}" for this service`, { field: 'questionKey' });
    const checked = validateIntakeAnswer(question, input.answer);
    if (!checked.ok) throw new BookingError('VALIDATION', `answer: ${checked.message}`, { field: 'answer' });
    if (checked.value === null) {
      await client.query('DELETE FROM intake_answers WHERE tenant_id = $1 AND hold_id = $2 AND question_key = $3', [input.tenantId, input.holdId, question.key]);
    } else {
      await client.query(
        `INSERT INTO intake_answers (tenant_id, hold_id, question_key, answer, answered_at, answered_by) VALUES ($1, $2, $3, $4, $5, 'customer')
         ON CONFLICT (tenant_id, hold_id, question_key) DO UPDATE SET answer = EXCLUDED.answer, answered_at = EXCLUDED.answered_at, answered_by = 'customer'`,
        [input.tenantId, input.holdId, question.key, checked.value, input.now],
      );
    }
    return { key: question.key, value: checked.value };
  }, { isolation: 'read committed' });
}

const intakeCheckSchema = z.object({
  tenantId: z.uuid(),
  holdId: z.uuid({ message: 'must be a UUID' }),
  sessionId: z.string().min(1, 'must not be empty'),
  language: z.enum(['en', 'es']).optional(),
});

/** A required question not yet answered for a hold, as the customer is asked it. */
export interface MissingIntake {
  key: string;
  question: string;
}

/**
 * Refuses to go on while a hold of this conversation lacks an answer to a required question of
 * its service: `INTAKE_INCOMPLETE` names each one (message and `details.missing`). Called before a
 * confirm, so no path that books a held slot — a model that skips the questions included — books
 * one without them. A hold that is not this session's live hold passes: the confirm refuses it.
 */
export async function assertIntakeComplete(pool: Pool, input: { tenantId: string; holdId: string; sessionId: string; language?: 'en' | 'es' | undefined }): Promise<void> {
  const data = parseInput(intakeCheckSchema, input);
  const missing = await withTenant(pool, data.tenantId, (client) => findMissingIntake(client, data), { isolation: 'read committed' });
  if (missing.length === 0) return;
  const named = missing.map((m) => `${m.key} ("${m.question}")`).join(', ');
  throw new BookingError('INTAKE_INCOMPLETE', `Hold ${input.holdId}: required intake questions not answered: ${named}`, { field: 'holdId', details: { missing } });
}

async function findMissingIntake(client: Queryable, input: { tenantId: string; holdId: string; sessionId: string; language?: 'en' | 'es' | undefined }): Promise<MissingIntake[]> {
  const { rows } = await client.query<{ serviceId: string }>(
    `SELECT service_id AS "serviceId" FROM holds WHERE tenant_id = $1 AND id = $2 AND session_id = $3 AND status = 'active'`,
    [input.tenantId, input.holdId, input.sessionId],
  );
  if (!rows[0]) return [];
  const required = (await readIntakeQuestions(client, { tenantId: input.tenantId, serviceId: rows[0].serviceId })).filter((q) => q.required);
  if (required.length === 0) return [];
  const answered = await client.query<{ key: string }>('SELECT question_key AS key FROM intake_answers WHERE tenant_id = $1 AND hold_id = $2', [input.tenantId, input.holdId]);
  const keys = new Set(answered.rows.map((r) => r.key));
  const language = input.language ?? 'en';
  return required.filter((q) => !keys.has(q.key)).map((q) => ({ key: q.key, question: q.prompt[language] ?? q.prompt.en ?? q.prompt.es ?? q.key }));
}

/** One answered (or unanswered) question of an appointment, for staff. */
export interface IntakeAnswer {
  key: string;
  question: string;
  kind: IntakeKind;
  required: boolean;
  answer: string | null;
  answeredBy: string | null;
}

async function appointmentOf(client: Queryable, input: { tenantId: string; reference: string }): Promise<{ holdId: string | null; serviceId: string }> {
  const { rows } = await client.query<{ holdId: string | null; serviceId: string }>(
    'SELECT hold_id AS "holdId", service_id AS "serviceId" FROM appointments WHERE tenant_id = $1 AND reference = $2',
    [input.tenantId, input.reference.trim().toUpperCase()],
  );
  if (!rows[0]) throw new BookingError('NOT_FOUND', `No appointment ${input.reference}`, { field: 'reference' });
  return rows[0];
}

async function readAnswers(client: Queryable, input: { tenantId: string; reference: string }): Promise<IntakeAnswer[]> {
  const appointment = await appointmentOf(client, input);
  const questions = await readIntakeQuestions(client, { tenantId: input.tenantId, serviceId: appointment.serviceId });
  const { rows } = appointment.holdId
    ? await client.query<{ key: string; answer: string; by: string }>('SELECT question_key AS key, answer, answered_by AS by FROM intake_answers WHERE tenant_id = $1 AND hold_id = $2', [input.tenantId, appointment.holdId])
    : { rows: [] };
  return questions.map((q) => {
    const row = rows.find((r) => r.key === q.key);
    return { key: q.key, question: q.prompt.en ?? q.prompt.es ?? q.key, kind: q.kind, required: q.required, answer: row?.answer ?? null, answeredBy: row?.by ?? null };
  });
}

/** An appointment's intake answers for staff, by its reference, every question of its service listed. */
export function readIntakeAnswers(pool: Pool, input: { tenantId: string; reference: string }): Promise<IntakeAnswer[]> {
  return withTenant(pool, input.tenantId, (client) => readAnswers(client, input), { isolation: 'read committed' });
}

/** Staff correct an answer (validated like the customer's); resolves to all the appointment's answers. */
export async function updateIntakeAnswer(pool: Pool, input: { tenantId: string; reference: string; questionKey: string; answer: string; by: string; now: Date }): Promise<IntakeAnswer[]> {
  return withTenant(pool, input.tenantId, async (client) => {
    const appointment = await appointmentOf(client, input);
    if (!appointment.holdId) throw new BookingError('VALIDATION', 'reference: this appointment was not booked through a hold, so it has no intake', { field: 'reference' });
    const question = (await readIntakeQuestions(client, { tenantId: input.tenantId, serviceId: appointment.serviceId })).find((q) => q.key === input.questionKey);
    if (!question) throw new BookingError('VALIDATION', `questionKey: no question "${input.questionKey}" for this service`, { field: 'questionKey' });
    const checked = validateIntakeAnswer(question, input.answer);
    if (!checked.ok) throw new BookingError('VALIDATION', `answer: ${checked.message}`, { field: 'answer' });
    if (checked.value === null) {
      await client.query('DELETE FROM intake_answers WHERE tenant_id = $1 AND hold_id = $2 AND question_key = $3', [input.tenantId, appointment.holdId, question.key]);
    } else {
      await client.query(
        `INSERT INTO intake_answers (tenant_id, hold_id, question_key, answer, answered_at, answered_by) VALUES ($1, $2, $3, $4, $5, $6)
         ON CONFLICT (tenant_id, hold_id, question_key) DO UPDATE SET answer = EXCLUDED.answer, answered_at = EXCLUDED.answered_at, answered_by = EXCLUDED.answered_by`,
        [input.tenantId, appointment.holdId, question.key, checked.value, input.now, input.by.slice(0, 200)],
      );
    }
    return readAnswers(client, input);
  });
}
