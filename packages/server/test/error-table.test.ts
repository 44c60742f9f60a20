import { readFileSync } from 'node:fs';
import { bookingErrorCodes, BookingError } from '@gomomo/core';
import { getHTTPStatusCodeFromError } from '@trpc/server/http';
import { TRPCError } from '@trpc/server';
import { describe, expect, it } from 'vitest';
import { agentErrorCodes } from '@gomomo/agent';
import { ChannelError, channelErrorCodes } from '@gomomo/channels';
import { agentErrorCodesMirror, channelErrorCodesMirror, errorTable, serverErrorCodes, ServerError, toPublicError } from '../src/index.js';

const allCodes = [...new Set([...bookingErrorCodes, ...agentErrorCodes, ...channelErrorCodes, ...serverErrorCodes])];
const readme = readFileSync(new URL('../README.md', import.meta.url), 'utf8');

describe('errorTable', () => {
  it('mirrors the agent\'s error codes exactly', () => {
    expect([...agentErrorCodesMirror].sort()).toEqual([...agentErrorCodes].sort());
  });

  it('mirrors channels\' error codes exactly', () => {
    expect([...channelErrorCodesMirror].sort()).toEqual([...channelErrorCodes].sort());
  });

  it.each(allCodes)('maps %s to a status, a tRPC code that means the same status, and a doc line', (code) => {
    const mapping = errorTable[code];
    expect(mapping).toBeDefined();
    expect(mapping.doc.length).toBeGreaterThan(10);
    expect(getHTTPStatusCodeFromError(new TRPCError({ code: mapping.trpc }))).toBe(mapping.http);
  });

  it.each(allCodes)('documents %s in the README', (code) => {
    expect(readme).toContain(`| \`${code}\` | ${errorTable[code].http} |`);
  });

  it('has no code that no package raises', () => {
    expect(Object.keys(errorTable).sort()).toEqual([...allCodes].sort());
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
