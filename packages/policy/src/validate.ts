import type { z } from 'zod';
import { PolicyError } from './errors.js';

/** Parses with `schema`; a failure becomes one `VALIDATION` error naming the first bad field by its path. */
export function parsePolicyInput<S extends z.ZodType>(schema: S, input: unknown, prefix = ''): z.output<S> {
  const result = schema.safeParse(input);
  if (result.success) return result.data;
  const issues = result.error.issues.map((issue) => ({ field: [prefix, ...issue.path.map(String)].filter(Boolean).join('.') || '(input)', message: issue.message }));
  const first = issues[0]!;
  const more = issues.length > 1 ? ` (and ${issues.length - 1} more)` : '';
  throw new PolicyError('VALIDATION', `${first.field}: ${first.message}${more}`, { field: first.field, details: { issues } });
}
