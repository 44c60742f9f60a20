import * as crypto from 'node:crypto';
import { describe, expect, it, vi } from 'vitest';
import { verifyPostmarkAuthorization } from './postmark-webhook.js';

vi.mock('node:crypto', async (importOriginal) => {
  const original = await importOriginal<typeof crypto>();
  return { ...original, timingSafeEqual: vi.fn(original.timingSafeEqual) };
});

const basic = (user: string, password: string) => `Basic ${Buffer.from(`${user}:${password}`).toString('base64')}`;

describe('regression: the Postmark basic-auth compare exits early on a length mismatch', () => {
  it('compares in constant time whatever the length of the credentials sent', () => {
    const compare = vi.mocked(crypto.timingSafeEqual);
    compare.mockClear();
    for (const sent of [basic('postmark', 'x'), basic('postmark', 'postmark-password-but-longer'), 'Basic', basic('postmark', 'postmark-passwore')]) {
      expect(() => verifyPostmarkAuthorization(sent, 'postmark', 'postmark-password')).toThrow(/Basic credentials/);
    }
    // Every attempt reached the constant-time compare, the short and long ones too.
    expect(compare).toHaveBeenCalledTimes(4);
    expect(() => verifyPostmarkAuthorization(basic('postmark', 'postmark-password'), 'postmark', 'postmark-password')).not.toThrow();
  });
});
