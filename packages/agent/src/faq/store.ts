import { assertTenantId, withTenant, type Pool } from '@gomomo/core';
import { z } from 'zod';
import { AgentError } from '../errors.js';

/** One of the business's own answers, as the tenant wrote it. */
export interface FaqEntry {
  id: string;
  question: string;
  answer: string;
  /** The conversation language it serves; null for every language. */
  language: 'en' | 'es' | null;
  createdAt: string;
  updatedAt: string;
}

/** What a tenant writes: the question as customers ask it, and the answer in the business's words. */
export const faqEntryInputSchema = z.strictObject({
  question: z.string({ message: 'must be a string' }).trim().min(1, 'must not be empty').max(500, 'must be at most 500 characters'),
  answer: z.string({ message: 'must be a string' }).trim().min(1, 'must not be empty').max(4000, 'must be at most 4000 characters'),
  language: z.enum(['en', 'es'], { message: 'must be en or es (or null for every language)' }).nullish(),
});

export type FaqEntryInput = z.input<typeof faqEntryInputSchema>;

/** A tenant may keep this many entries: enough for a real FAQ, few enough to search per turn. */
export const maxFaqEntries = 200;

function parse<S extends z.ZodType>(schema: S, input: unknown): z.output<S> {
  const result = schema.safeParse(input);
  if (result.success) return result.data;
  const issue = result.error.issues[0]!;
  const field = issue.path.join('.') || '(input)';
  throw new AgentError('VALIDATION', `${field}: ${issue.message}`, { field });
}

const columns = `id, question, answer, language, created_at AS "createdAt", updated_at AS "updatedAt"`;

function toEntry(row: FaqEntry & { createdAt: Date | string; updatedAt: Date | string }): FaqEntry {
  return { ...row, createdAt: new Date(row.createdAt).toISOString(), updatedAt: new Date(row.updatedAt).toISOString() };
}

/**
 * The tenant's entries, oldest first: one statement that enters the tenant itself (migration 0174),
 * so Row-Level Security applies.
 */
export async function listFaqEntries(pool: Pool, tenantId: string): Promise<FaqEntry[]> {
  assertTenantId(tenantId);
  const { rows } = await pool.query<FaqEntry & { createdAt: Date; updatedAt: Date }>({
    name: 'gomomo_agent_faq_entries',
    text: `SELECT ${columns} FROM gomomo_agent_faq_entries($1)`,
    values: [tenantId],
  });
  return rows.map(toEntry);
}

/** Adds an entry; refuses past `maxFaqEntries` (the count is read in the same transaction). */
export async function createFaqEntry(pool: Pool, input: { tenantId: string; now: Date } & FaqEntryInput): Promise<FaqEntry> {
  const entry = parse(faqEntryInputSchema, { question: input.question, answer: input.answer, language: input.language });
  return withTenant(pool, input.tenantId, async (client) => {
    // Serialises concurrent creates of one tenant, so the limit holds.
    await client.query('SELECT pg_advisory_xact_lock(hashtext($1))', [`faq:${input.tenantId}`]);
    const { rows } = await client.query<{ n: number }>('SELECT count(*)::int AS n FROM agent_faq_entries WHERE tenant_id = $1', [input.tenantId]);
    if (rows[0]!.n >= maxFaqEntries) throw new AgentError('VALIDATION', `question: a business may keep at most ${maxFaqEntries} answers; remove one first`, { field: 'question' });
    const inserted = await client.query(
      `INSERT INTO agent_faq_entries (tenant_id, question, answer, language, created_at, updated_at) VALUES ($1, $2, $3, $4, $5, $5) RETURNING ${columns}`,
      [input.tenantId, entry.question, entry.answer, entry.language ?? null, input.now],
    );
    return toEntry(inserted.rows[0]);
  });
}

/** Rewrites an entry; null when the tenant has no entry with this id. */
export async function updateFaqEntry(pool: Pool, input: { tenantId: string; id: string; now: Date } & FaqEntryInput): Promise<FaqEntry | null> {
  const entry = parse(faqEntryInputSchema, { question: input.question, answer: input.answer, language: input.language });
  return withTenant(pool, input.tenantId, async (client) => {
    const { rows } = await client.query(
      `UPDATE agent_faq_entries SET question = $3, answer = $4, language = $5, updated_at = $6 WHERE tenant_id = $1 AND id = $2 RETURNING ${columns}`,
      [input.tenantId, input.id, entry.question, entry.answer, entry.language ?? null, input.now],
    );
    return rows[0] ? toEntry(rows[0]) : null;
  });
}

/** Removes an entry; false when the tenant has no entry with this id. */
export async function deleteFaqEntry(pool: Pool, input: { tenantId: string; id: string }): Promise<boolean> {
  return withTenant(pool, input.tenantId, async (client) => {
    const { rowCount } = await client.query('DELETE FROM agent_faq_entries WHERE tenant_id = $1 AND id = $2', [input.tenantId, input.id]);
    return (rowCount ?? 0) > 0;
  });
}
