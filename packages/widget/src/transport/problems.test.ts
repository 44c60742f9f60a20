import { describe, expect, it } from 'vitest';
import { classifyProblem } from './problems.js';

describe('classifyProblem', () => {
  it.each([
    [{ data: { code: 'FORBIDDEN', httpStatus: 403 } }, 'forbidden'],
    [{ data: { code: 'UNAUTHORIZED', httpStatus: 401 } }, 'unauthorized'],
    [{ data: { code: 'TOO_MANY_REQUESTS', httpStatus: 429 } }, 'rate_limited'],
    [{ data: { httpStatus: 403 } }, 'forbidden'],
    [{ data: { code: 'INTERNAL_SERVER_ERROR', httpStatus: 500 } }, 'generic'],
    [{ message: 'Failed to fetch', data: undefined }, 'network'],
    [new TypeError('Failed to fetch'), 'network'],
    [undefined, 'network'],
  ])('classifies %j as %s', (error, expected) => {
    expect(classifyProblem(error)).toBe(expected);
  });
});
