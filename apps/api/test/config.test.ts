import { describe, expect, it } from 'vitest';
import { ConfigError, loadConfig, sslOption } from '../src/config.js';

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

  it('requires ADMIN_SECRET in production', () => {
    expect(() => loadConfig({ NODE_ENV: 'production' })).toThrow('ADMIN_SECRET: is required in production');
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
