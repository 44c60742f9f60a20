import { describe, expect, it } from 'vitest';
import { ConfigError, inApiDatabaseConcurrency, loadConfig, parseTrustProxy, sslOption } from '../src/config.js';

describe('loadConfig', () => {
  it('starts with no configuration at all (embedded Postgres, offline brain, port 3000)', () => {
    const config = loadConfig({});
    expect(config).toMatchObject({ PORT: 3000, HOST: '0.0.0.0', LOG_LEVEL: 'info', BOOKING_FAR_DATE_CONFIRM_DAYS: 30 });
    expect(config.DATABASE_URL).toBeUndefined();
  });

  it('names every bad variable in one message', () => {
    const env = { PORT: 'abc', DATABASE_URL: 'mysql://x', ADMIN_SECRET: 'short', PUBLIC_BASE_URL: 'nope', LOG_LEVEL: 'loud', BOOKING_FAR_DATE_CONFIRM_DAYS: '0' };
    const error = (() => {
      try {
        loadConfig(env);
      } catch (caught) {
        return caught as ConfigError;
      }
      throw new Error('expected a ConfigError');
    })();
    expect(error).toBeInstanceOf(ConfigError);
    for (const name of Object.keys(env)) expect(error.message).toContain(`${name}:`);
  });

  it('names bad autonomy and delivery variables too', () => {
    const env = { AUTONOMY_ENABLED: 'maybe', WORKER_CONCURRENCY: '-1', TWILIO_ACCOUNT_SID: 'AC123', TWILIO_FROM_NUMBER: '555-1234', POSTMARK_WEBHOOK_PASSWORD: 'short', SMS_REPLY_MODE: 'carrier-pigeon' };
    const message = (() => {
      try {
        loadConfig(env);
      } catch (caught) {
        return (caught as ConfigError).message;
      }
      throw new Error('expected a ConfigError');
    })();
    for (const name of Object.keys(env)) expect(message).toContain(`${name}:`);
  });

  it.each([
    [{ TWILIO_ACCOUNT_SID: `AC${'a'.repeat(32)}` }, 'TWILIO_AUTH_TOKEN: is required with TWILIO_ACCOUNT_SID'],
    [{ TWILIO_ACCOUNT_SID: `AC${'a'.repeat(32)}`, TWILIO_AUTH_TOKEN: 'token' }, 'TWILIO_FROM_NUMBER: is required with TWILIO_ACCOUNT_SID'],
    [{ POSTMARK_WEBHOOK_USERNAME: 'postmark' }, 'POSTMARK_WEBHOOK_PASSWORD: set both'],
    [{ POSTMARK_SERVER_TOKEN: 'x', SMTP_URL: 'smtp://localhost:25' }, 'SMTP_URL: set POSTMARK_SERVER_TOKEN or SMTP_URL, not both'],
  ])('checks variables that go together: %o', (env, problem) => {
    expect(() => loadConfig(env)).toThrow(problem);
  });

  it('reads the autonomy settings through @gomomo/autonomy\'s own helper (on by default, log transports)', () => {
    expect(loadConfig({}).autonomy).toMatchObject({ enabled: true, runSender: true, delivery: { email: { provider: 'log' }, sms: { provider: 'log' } } });
    const twilio = loadConfig({ AUTONOMY_ENABLED: 'false', TWILIO_ACCOUNT_SID: `AC${'a'.repeat(32)}`, TWILIO_AUTH_TOKEN: 'token', TWILIO_FROM_NUMBER: '+15550100000' });
    expect(twilio.autonomy).toMatchObject({ enabled: false, delivery: { sms: { provider: 'twilio', from: '+15550100000' } } });
  });

  it('requires ADMIN_SECRET in production', () => {
    expect(() => loadConfig({ NODE_ENV: 'production' })).toThrow('ADMIN_SECRET: is required in production');
  });

  it('requires GOMOMO_AUDIT_KEY in production, and at least 32 characters anywhere', () => {
    expect(() => loadConfig({ NODE_ENV: 'production', ADMIN_SECRET: 'a'.repeat(16) })).toThrow('GOMOMO_AUDIT_KEY: is required in production');
    expect(() => loadConfig({ GOMOMO_AUDIT_KEY: 'short' })).toThrow('GOMOMO_AUDIT_KEY: must be at least 32 characters');
    expect(loadConfig({ NODE_ENV: 'production', ADMIN_SECRET: 'a'.repeat(16), GOMOMO_AUDIT_KEY: 'k'.repeat(32) }).GOMOMO_AUDIT_KEY).toBe('k'.repeat(32));
  });

  it.each([
    ['true', true],
    ['no-verify', { rejectUnauthorized: false }],
    ['false', false],
    [undefined, undefined],
  ] as const)('maps DATABASE_SSL=%s to pg\'s ssl option', (value, expected) => {
    expect(sslOption(loadConfig(value === undefined ? {} : { DATABASE_SSL: value }))).toEqual(expected);
  });
});

describe('the worker in the API process', () => {
  it('takes half the cores for database-only jobs (at least one), where a worker process of its own takes them all', () => {
    const config = loadConfig({});
    expect([1, 2, 3, 4, 8].map((cores) => inApiDatabaseConcurrency(config, cores))).toEqual([1, 1, 1, 2, 4]);
    // The worker process (pnpm worker) keeps autonomy's default: the cores, at least two.
    expect(config.autonomy.databaseConcurrency).toBeGreaterThanOrEqual(2);
  });

  it('takes WORKER_DATABASE_CONCURRENCY when it is set', () => {
    const config = loadConfig({ WORKER_DATABASE_CONCURRENCY: '3' });
    expect(inApiDatabaseConcurrency(config, 2)).toBe(3);
    expect(config.autonomy.databaseConcurrency).toBe(3);
  });
});

describe('TRUST_PROXY', () => {
  it('is off by default and reads a hop count or a list of proxy addresses/CIDRs', () => {
    expect(parseTrustProxy(loadConfig({}).TRUST_PROXY)).toBe(false);
    expect(parseTrustProxy('off')).toBe(false);
    const oneHop = parseTrustProxy('1') as (address: string, hop: number) => boolean;
    expect([oneHop('10.0.0.1', 0), oneHop('203.0.113.9', 1)]).toEqual([true, false]);
    expect(parseTrustProxy('10.0.0.0/8, 127.0.0.1,::1')).toEqual(['10.0.0.0/8', '127.0.0.1', '::1']);
  });

  it('names a value that is none of those', () => {
    for (const value of ['true', 'everyone', '10.0.0.0/33', '1.2.3']) expect(() => loadConfig({ TRUST_PROXY: value })).toThrow('TRUST_PROXY:');
  });
});
