import type { ProblemKind } from '../state/state.js';

interface ErrorLike {
  name?: string;
  message?: string;
  data?: { code?: string; httpStatus?: number } | null;
  cause?: unknown;
}

const codeProblems: Record<string, ProblemKind> = {
  FORBIDDEN: 'forbidden',
  UNAUTHORIZED: 'unauthorized',
  TOO_MANY_REQUESTS: 'rate_limited',
  RATE_LIMITED: 'rate_limited',
};

/**
 * Turns a failed call into what the visitor is told. tRPC errors carry the server's code in
 * `data`; an error without `data` never got an answer we could read (offline, or CORS refused).
 */
export function classifyProblem(error: unknown): ProblemKind {
  const err = (error ?? {}) as ErrorLike;
  const code = err.data?.code;
  if (code && code in codeProblems) return codeProblems[code]!;
  const status = err.data?.httpStatus;
  if (status === 401) return 'unauthorized';
  if (status === 403) return 'forbidden';
  if (status === 429) return 'rate_limited';
  if (!err.data) return 'network';
  return 'generic';
}
