import { describe, expect, it } from 'vitest';
import { isChannelError } from '../errors.js';
import { nextAllowedSendTime, readQuietHours } from './quiet-hours.js';
import { recipientTimeZone } from './recipient-zone.js';
import { smsSendTime } from './send-window.js';

const ny = 'America/New_York';

describe('nextAllowedSendTime', () => {
  it.each([
    ['inside the window, sends now', '2026-03-04T15:00:00Z', '2026-03-04T15:00:00.000Z'],
    ['at 08:00 exactly, sends now', '2026-03-04T13:00:00Z', '2026-03-04T13:00:00.000Z'],
    ['at 20:59, sends now', '2026-03-05T01:59:00Z', '2026-03-05T01:59:00.000Z'],
    ['at 21:00, holds until 08:00 the next day', '2026-03-05T02:00:00Z', '2026-03-05T13:00:00.000Z'],
    ['at 02:30, holds until 08:00 the same day', '2026-03-04T07:30:00Z', '2026-03-04T13:00:00.000Z'],
    ['overnight into spring-forward, 08:00 is EDT', '2026-03-08T03:00:00Z', '2026-03-08T12:00:00.000Z'],
    ['overnight into fall-back, 08:00 is EST', '2026-11-01T04:30:00Z', '2026-11-01T13:00:00.000Z'],
  ])('in New York %s', (_rule, now, expected) => {
    expect(nextAllowedSendTime({ now: new Date(now), timeZone: ny, isTransactional: false }).toISOString()).toBe(expected);
  });

  it('sends a transactional message at once, even at 03:00', () => {
    const now = new Date('2026-03-04T08:00:00Z');
    expect(nextAllowedSendTime({ now, timeZone: ny, isTransactional: true })).toEqual(now);
  });

  it("follows the recipient's zone, not the server's", () => {
    // 22:00 UTC is 07:00 the next morning in Tokyo: held one hour.
    expect(nextAllowedSendTime({ now: new Date('2026-03-04T22:00:00Z'), timeZone: 'Asia/Tokyo', isTransactional: false }).toISOString()).toBe('2026-03-04T23:00:00.000Z');
  });

  it('applies a tenant window that runs past midnight', () => {
    const quietHours = { sendFrom: '10:00', sendUntil: '01:00' };
    const at = (iso: string) => nextAllowedSendTime({ now: new Date(iso), timeZone: 'UTC', quietHours, isTransactional: false }).toISOString();
    expect(at('2026-03-04T00:30:00Z')).toBe('2026-03-04T00:30:00.000Z');
    expect(at('2026-03-04T01:00:00Z')).toBe('2026-03-04T10:00:00.000Z');
    expect(at('2026-03-04T23:00:00Z')).toBe('2026-03-04T23:00:00.000Z');
  });

  it.each([
    [{ sendFrom: '8:00', sendUntil: '21:00' }, 'quietHours.sendFrom'],
    [{ sendFrom: '08:00', sendUntil: '24:00' }, 'quietHours.sendUntil'],
    [{ sendFrom: '08:00', sendUntil: '08:00' }, 'quietHours.sendUntil'],
  ])('rejects the window %j naming %s', (quietHours, field) => {
    const call = () => nextAllowedSendTime({ now: new Date(), timeZone: ny, quietHours, isTransactional: false });
    expect(call).toThrow(expect.objectContaining({ code: 'VALIDATION', field }));
  });

  it('rejects an unknown time zone naming timeZone', () => {
    try {
      nextAllowedSendTime({ now: new Date(), timeZone: 'Mars/Olympus', isTransactional: false });
      expect.unreachable();
    } catch (error) {
      expect(isChannelError(error, 'VALIDATION') && error.field).toBe('timeZone');
    }
  });
});

describe('readQuietHours', () => {
  it('defaults to 08:00-21:00', () => {
    expect(readQuietHours({})).toEqual({ sendFrom: '08:00', sendUntil: '21:00' });
  });

  it("reads the tenant's own window from settings.sms.quietHours", () => {
    expect(readQuietHours({ sms: { quietHours: { sendFrom: '09:30', sendUntil: '20:00' } } })).toEqual({ sendFrom: '09:30', sendUntil: '20:00' });
  });

  it('refuses a malformed window instead of sending at night', () => {
    expect(() => readQuietHours({ sms: { quietHours: { sendFrom: 'morning' } } })).toThrow(expect.objectContaining({ field: 'settings.sms.quietHours.sendFrom' }));
  });
});

describe('recipientTimeZone', () => {
  it.each([
    ['+447700900123', 'Europe/London'],
    ['+353851234567', 'Europe/Dublin'],
    ['+819012345678', 'Asia/Tokyo'],
    ['+12125550123', ny],
    ['+61412345678', ny],
  ])('gives %s the zone %s for a New York tenant', (phone, zone) => {
    expect(recipientTimeZone({ phone, tenantTimeZone: ny })).toBe(zone);
  });
});

describe('smsSendTime', () => {
  const tenant = { timeZone: ny, settings: { sms: { quietHours: { sendFrom: '09:00', sendUntil: '20:00' } } } };

  it("holds a follow-up until the tenant's window opens on the recipient's clock", () => {
    // 08:30 in New York: before this tenant's 09:00.
    expect(smsSendTime({ now: new Date('2026-03-04T13:30:00Z'), tenant, phone: '+12125550123', isTransactional: false }).toISOString()).toBe('2026-03-04T14:00:00.000Z');
    // The same instant is 13:30 in London: inside the window for a UK number.
    expect(smsSendTime({ now: new Date('2026-03-04T13:30:00Z'), tenant, phone: '+447700900123', isTransactional: false }).toISOString()).toBe('2026-03-04T13:30:00.000Z');
  });

  it('sends a confirmation at once', () => {
    const now = new Date('2026-03-04T05:00:00Z');
    expect(smsSendTime({ now, tenant, phone: '+12125550123', isTransactional: true })).toEqual(now);
  });
});
