import { describe, expect, it } from 'vitest';
import { createRedactingLogger } from './logger.js';
import { isPersonalField, redact } from './redact.js';

describe('redact', () => {
  it('replaces known personal fields wherever they nest, including unicode names', () => {
    const input = {
      bookingId: 'b-1',
      client: { name: 'Zoë Ångström-Łukasz', client_email: 'zoe@example.com', clientPhone: '+15551234567' },
      attendees: [{ fullName: '山田 太郎', notes: 'allergic to latex' }],
    };
    expect(redact(input)).toEqual({
      bookingId: 'b-1',
      client: { name: '[redacted]', client_email: '[redacted]', clientPhone: '[redacted]' },
      attendees: [{ fullName: '[redacted]', notes: '[redacted]' }],
    });
  });

  it('redacts contacts inside free-text fields that are not known personal fields', () => {
    expect(redact({ message: 'reach me at ann+x@example.org or +44 20 7946 0958', count: 3 })).toEqual({
      message: 'reach me at [email] or [phone]',
      count: 3,
    });
  });

  it('keeps ids, times, references and numbers that are not personal', () => {
    const input = { startsAt: '2026-12-01T15:00:00Z', reference: 'GM-7K3Q9', priceCents: 8000, serviceId: '3f2b1c9e-8d7a-4b6c-9e5f-1a2b3c4d5e6f' };
    expect(redact(input)).toEqual(input);
  });

  it('replaces a personal field holding an object as a whole, and leaves empty values empty', () => {
    expect(redact({ name: { first: 'Ann', last: 'Lee' }, email: null, notes: '' })).toEqual({ name: '[redacted]', email: null, notes: '' });
  });

  it('does not mutate its input and survives cycles', () => {
    const input: Record<string, unknown> = { email: 'a@b.co' };
    input.self = input;
    const output = redact(input) as Record<string, unknown>;
    expect(input.email).toBe('a@b.co');
    expect(output).toEqual({ email: '[redacted]', self: '[circular]' });
  });

  it.each([
    ['client_email', true],
    ['Client-Email', true],
    ['clientKey', true],
    ['NOTES', true],
    ['serviceName', false],
    ['emailSent', false],
    ['phoneVerified', false],
  ])('treats field %s as personal: %s', (key, expected) => {
    expect(isPersonalField(key)).toBe(expected);
  });
});

describe('createRedactingLogger', () => {
  it('redacts objects, messages, errors and child bindings before they reach the target', () => {
    const lines: unknown[][] = [];
    const bindings: unknown[] = [];
    const target = {
      info: (...args: unknown[]) => lines.push(['info', ...args]),
      error: (...args: unknown[]) => lines.push(['error', ...args]),
      child: (fields: Record<string, unknown>) => {
        bindings.push(fields);
        return target;
      },
    };
    const log = createRedactingLogger(target);
    log.info({ clientEmail: 'a@b.co', slot: '2026-12-01T15:00:00Z' }, 'held for +15551234567');
    log.error(new Error('no reply from bob@example.com'));
    log.child({ phone: '+15551234567' }).info('child line');
    log.debug('dropped: the target has no debug');
    expect(lines[0]).toEqual(['info', { clientEmail: '[redacted]', slot: '2026-12-01T15:00:00Z' }, 'held for [phone]']);
    expect((lines[1]![1] as Error).message).toBe('no reply from [email]');
    expect(lines[2]).toEqual(['info', 'child line']);
    expect(lines).toHaveLength(3);
    expect(bindings).toEqual([{ phone: '[redacted]' }]);
  });
});
