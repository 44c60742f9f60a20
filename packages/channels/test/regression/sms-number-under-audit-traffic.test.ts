// Issue 14: "registering an SMS number fails with a misleading 'already receives SMS' while the
// tenant has audit traffic" — the registration ran SERIALIZABLE, its audit append read a stale chain
// head and collided on the chain position, and every 23505 was reported as a taken number.
import { appendAudit } from '@gomomo/policy';
import { createTestDatabase, type TestDatabase } from '@gomomo/core/testing';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { isChannelError } from '../../src/errors.js';
import { addPhoneNumber, listPhoneNumbers } from '../../src/sms/inbound/phone-numbers.js';
import { makeTenant } from '../helpers.js';

let db: TestDatabase;
beforeAll(async () => {
  db = await createTestDatabase({ max: 16 });
});
afterAll(async () => db?.drop());

describe('regression: registering an SMS number fails while the tenant has audit traffic', () => {
  it('registers every number while the same tenant appends audit entries at the same time', async () => {
    const tenantId = await makeTenant(db.pool);
    const traffic = Array.from({ length: 40 }, (_, i) =>
      appendAudit(db.pool, { tenantId, actor: 'customer', channel: 'web', action: 'booking.hold', outcome: 'allowed', sessionId: `t-${i}` }),
    );
    const numbers = ['+15550109001', '+15550109002', '+15550109003', '+15550109004'];
    const added = numbers.map((number) => addPhoneNumber(db.pool, { tenantId, number }));
    await Promise.all([...traffic, ...added]);
    expect((await listPhoneNumbers(db.pool, tenantId)).map((n) => n.number).sort()).toEqual(numbers);
  });

  it('still says a number another tenant owns is taken, naming the field', async () => {
    const [first, second] = [await makeTenant(db.pool), await makeTenant(db.pool)];
    await addPhoneNumber(db.pool, { tenantId: first, number: '+15550109010' });
    const error = await addPhoneNumber(db.pool, { tenantId: second, number: '+15550109010' }).catch((e: unknown) => e);
    expect(isChannelError(error, 'VALIDATION') && error.field).toBe('number');
    expect(String(error)).toMatch(/already receives SMS/);
  });
});
