import { initTRPC, TRPCError } from '@trpc/server';
import type { GomomoMeta } from './meta.js';
import { errorTable } from '../errors/error-table.js';
import { toPublicError } from '../errors/to-public-error.js';
import type { RequestContext } from './context.js';
import { BookingError } from '@gomomo/core';
import { findTextProblem } from '../http/text-guard.js';

/**
 * tRPC's wire format needs a numeric JSON-RPC `code` at `error.code`, so on /trpc the gomomo error
 * (`{ code, message, fields }`) travels as `error.data` next to tRPC's own fields; REST and plain
 * HTTP responses carry it as `{ error: { code, message, fields } }`.
 */
export const t = initTRPC
  .context<RequestContext>()
  .meta<GomomoMeta>()
  .create({
    errorFormatter({ shape, error }) {
      const mapped = toPublicError(error);
      return {
        code: shape.code,
        message: mapped.message,
        data: { code: mapped.code, httpStatus: mapped.status, path: shape.data.path, ...(mapped.fields ? { fields: mapped.fields } : {}) },
      };
    },
    sse: {
      // Proxies drop idle connections; a comment line every 15 s keeps the stream open.
      ping: { enabled: true, intervalMs: 15_000 },
      client: { reconnectAfterInactivityMs: 40_000 },
    },
  });

/**
 * The first middleware of every procedure: whatever a procedure throws (core, agent, our own,
 * zod input errors) leaves as a TRPCError whose tRPC code comes from the one error table, so the
 * HTTP status always matches the table.
 */
const mapErrors = t.middleware(async ({ next }) => {
  const result = await next();
  if (result.ok) return result;
  const mapped = toPublicError(result.error);
  if (mapped.code === 'INTERNAL') throw result.error;
  throw new TRPCError({ code: errorTable[mapped.code].trpc, message: mapped.message, cause: result.error.cause ?? result.error });
});

/**
 * Refuses text Postgres would refuse (NUL, lone surrogates) or that has no place in a name (control
 * characters) before any procedure sees it, with a 400 naming the field, for every procedure and
 * both transports (REST calls the same procedures).
 */
const guardText = t.middleware(async ({ getRawInput, next }) => {
  const problem = findTextProblem(await getRawInput());
  if (problem) throw new BookingError('VALIDATION', `${problem.field}: ${problem.message}`, { field: problem.field, details: { issues: [problem] } });
  return next();
});

export const router = t.router;
export const baseProcedure = t.procedure.use(mapErrors).use(guardText);
