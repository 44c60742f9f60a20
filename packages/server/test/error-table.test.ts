import { readdirSync, readFileSync } from 'node:fs';
import { apiErrorPackages, errorCodesOf, errorRegistry, type ApiErrorPackage } from '@gomomo/contracts';
import { BookingError } from '@gomomo/core';
import { getHTTPStatusCodeFromError } from '@trpc/server/http';
import { TRPCError } from '@trpc/server';
import { describe, expect, it } from 'vitest';
import { ChannelError } from '@gomomo/channels';
import { errorTable, ServerError, toPublicError } from '../src/index.js';

// The catalogue, checked both ways as Fastify checks its error list: every code the registry lets an
// API package raise has a status and a README row, and every README row is a code something raises.
const packagesDir = new URL('../../', import.meta.url);
const readme = readFileSync(new URL('../README.md', import.meta.url), 'utf8');
const readmeRows = [...readme.matchAll(/^\| `([A-Z_]+)` \| (\d{3}) \|/gm)].map((match) => ({ code: match[1]!, http: Number(match[2]) }));
const apiCodes = [...new Set(apiErrorPackages.flatMap((pkg) => errorCodesOf(pkg)))];

/** Every non-test source file of a package, except the error table itself (which names every code). */
function sourceOf(pkg: ApiErrorPackage): string {
  const dir = new URL(`${pkg}/src/`, packagesDir);
  return readdirSync(dir, { recursive: true, encoding: 'utf8' })
    .filter((file) => file.endsWith('.ts') && !file.endsWith('.test.ts') && !file.endsWith('error-table.ts'))
    .map((file) => readFileSync(new URL(file, dir), 'utf8'))
    .join('\n');
}

const sources = Object.fromEntries(apiErrorPackages.map((pkg) => [pkg, sourceOf(pkg)])) as Record<ApiErrorPackage, string>;

describe('errorTable', () => {
  it('pins the number of public error codes (a new one needs a status, a README row and this number)', () => {
    expect(Object.keys(errorTable)).toHaveLength(32);
    expect(readmeRows).toHaveLength(32);
  });

  it.each(apiCodes)('maps %s to a status, a tRPC code that means the same status, and a doc line', (code) => {
    const mapping = errorTable[code];
    expect(mapping).toBeDefined();
    expect(mapping.doc.length).toBeGreaterThan(10);
    expect(getHTTPStatusCodeFromError(new TRPCError({ code: mapping.trpc }))).toBe(mapping.http);
  });

  it.each(apiCodes)('documents %s in the README with its status', (code) => {
    expect(readme).toContain(`| \`${code}\` | ${errorTable[code].http} |`);
  });

  it('has no code that no package registers', () => {
    expect(Object.keys(errorTable).sort()).toEqual([...apiCodes].sort());
  });

  it.each(readmeRows)('README row $code is a registered code with the status the table gives it', ({ code, http }) => {
    expect(apiCodes).toContain(code);
    expect(errorTable[code as keyof typeof errorTable].http).toBe(http);
  });

  it.each(apiErrorPackages.flatMap((pkg) => errorCodesOf(pkg).map((code) => [pkg, code] as const)))('%s raises %s somewhere in its source', (pkg, code) => {
    expect(errorRegistry[pkg]).toHaveProperty(code);
    expect(sources[pkg]).toContain(`'${code}'`);
  });
});

describe('toPublicError', () => {
  it('keeps a validation error\'s field list', () => {
    const error = new BookingError('VALIDATION', 'start: bad', { field: 'start', details: { issues: [{ field: 'start', message: 'bad' }] } });
    expect(toPublicError(error)).toEqual({ code: 'VALIDATION', message: 'start: bad', status: 400, fields: [{ field: 'start', message: 'bad' }] });
  });

  it('passes Retry-After of a rate limit through', () => {
    expect(toPublicError(new ServerError('RATE_LIMITED', 'slow down', { retryAfter: 7 }))).toMatchObject({ status: 429, retryAfter: 7 });
  });

  it.each([
    [new ChannelError('SIGNATURE', 'Twilio status callback: X-Twilio-Signature does not match'), 403, 'SIGNATURE'],
    [new ChannelError('NOT_FOUND', 'no message SM1'), 404, 'NOT_FOUND'],
    [new ChannelError('TRANSIENT', 'provider timed out'), 503, 'TRANSIENT'],
  ])('maps channels\' %s to its status', (error, status, code) => {
    expect(toPublicError(error)).toMatchObject({ status, code });
  });

  it('keeps the field of a channel validation error', () => {
    const error = new ChannelError('VALIDATION', 'number: must be an E.164 phone number', { field: 'number' });
    expect(toPublicError(error)).toEqual({ code: 'VALIDATION', message: error.message, status: 400, fields: [{ field: 'number', message: error.message }] });
  });

  it('hides the message of an unexpected error', () => {
    expect(toPublicError(new Error('password=hunter2'))).toEqual({ code: 'INTERNAL', message: 'Internal error', status: 500 });
  });
});
