import { describe, expect, it } from 'vitest';
import { bookingReferenceSchema, emailSchema, errorCodesOf, errorRegistry, GomomoError, isGomomoError, isSessionTokenFormat, phoneSchema } from './index.js';

class CoreError extends GomomoError<'core'> {
  override readonly name = 'CoreError';
}

describe('error registry', () => {
  it('gives each package its own codes, so one code can mean different things in two packages', () => {
    expect(errorCodesOf('core')).toContain('NOT_FOUND');
    expect(errorCodesOf('channels')).toContain('NOT_FOUND');
    expect(errorRegistry.core.NOT_FOUND).not.toBe(errorRegistry.channels.NOT_FOUND);
  });

  it('matches a registered error by shape and package, not by class', () => {
    const error = new CoreError({ package: 'core', code: 'SLOT_UNAVAILABLE' }, 'taken');
    expect(isGomomoError(error)).toBe(true);
    expect(isGomomoError(error, 'core')).toBe(true);
    expect(isGomomoError(error, 'agent')).toBe(false);
    const copy = Object.assign(new Error('from a second copy'), { package: 'core', code: 'BUSY' });
    expect(isGomomoError(copy, 'core')).toBe(true);
  });

  it('refuses a code its package does not register', () => {
    expect(isGomomoError(Object.assign(new Error('x'), { package: 'core', code: 'SIGNATURE' }))).toBe(false);
    expect(isGomomoError(Object.assign(new Error('x'), { package: 'nobody', code: 'VALIDATION' }))).toBe(false);
    expect(isGomomoError({ package: 'core', code: 'BUSY' })).toBe(false);
  });
});

describe('shared schemas', () => {
  it('forgives case and spaces in a booking reference but keeps one length limit', () => {
    expect(bookingReferenceSchema.parse(' gm-7k3q9 ')).toBe('GM-7K3Q9');
    expect(bookingReferenceSchema.safeParse(`GM-7K3Q9${' '.repeat(20)}`).success).toBe(false);
  });

  it('accepts E.164 phones and bounded emails only', () => {
    expect(phoneSchema.safeParse('+15551234567').success).toBe(true);
    expect(phoneSchema.safeParse('555-1234').success).toBe(false);
    expect(emailSchema.safeParse(`${'a'.repeat(250)}@x.io`).success).toBe(false);
  });

  it('recognises the session token format', () => {
    expect(isSessionTokenFormat(`gms_${'A'.repeat(43)}`)).toBe(true);
    expect(isSessionTokenFormat(`gmt_${'A'.repeat(43)}`)).toBe(false);
  });
});
