// Issue 15: sending one email took five round trips to Postgres: BEGIN, the claim, COMMIT, a read
// of the appointments the batch describes, and the recipient's gate, before the one that records
// the outcome. The claim is now one statement that also reads the appointments (core's
// `gomomo_appointment_state`) and an email's gate, which reserves nothing; an SMS's gate takes a
// rate slot, so it is still asked only once the message is known to go out. These tests pin the
// round trips, and that the verdicts read early still hold: a suppressed address gets nothing.
import { ManualClock, createTestDatabase, recordStatements, type TestDatabase } from '@gomomo/core/testing';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createPostmarkTransport } from '../../src/email/postmark.js';
import { recordConsent } from '../../src/outbox/consent.js';
import { createOutboxSender } from '../../src/outbox/sender.js';
import { suppressEmail } from '../../src/outbox/suppression.js';
import { createTwilioTransport } from '../../src/sms/outbound/twilio.js';
import { startFakePostmark, type FakePostmark } from '../fakes/fake-postmark.js';
import { startFakeTwilio, type FakeTwilio } from '../fakes/fake-twilio.js';
import { makeTenant, queue, rowOf } from '../helpers.js';

let db: TestDatabase;
let postmark: FakePostmark;
let twilio: FakeTwilio;
const clock = new ManualClock('2026-12-01T12:00:00Z');

beforeAll(async () => {
  db = await createTestDatabase();
  postmark = await startFakePostmark();
  twilio = await startFakeTwilio();
});

afterAll(async () => {
  await postmark?.close();
  await twilio?.close();
  await db?.drop();
});

function sender() {
  return createOutboxSender({
    pool: db.pool,
    clock,
    transports: {
      email: createPostmarkTransport({ serverToken: postmark.token, from: 'Clinic <hi@example.com>', requestHost: postmark.host, useHttps: false }),
      sms: createTwilioTransport({ accountSid: twilio.accountSid, authToken: twilio.authToken, from: '+15550000000', httpClient: twilio.httpClient }),
    },
  });
}

describe('the outbox sender', () => {
  it('sends an email in two round trips: the claim (with its gate) and the outcome', async () => {
    const tenantId = await makeTenant(db.pool);
    const id = await queue(db.pool, { tenantId, channel: 'email', recipient: 'ana@example.com' });
    const { result, statements } = await recordStatements(db.pool, () => sender().drainOnce());
    expect(result).toMatchObject({ claimed: 1, sent: 1 });
    expect(statements.map((sql) => sql.slice(0, 20))).toEqual(['WITH due AS ( SELECT', 'UPDATE notification_']);
    expect((await rowOf(db.pool, id)).status).toBe('sent');
  });

  it('still never emails a suppressed address, whether it bounced or its owner unsubscribed', async () => {
    const tenantId = await makeTenant(db.pool);
    await suppressEmail(db.pool, { tenantId, email: 'bounced@example.com', reason: 'hard_bounce' });
    await recordConsent(db.pool, { tenantId, channel: 'email', address: 'gone@example.com', status: 'opted_out', source: 'web', at: clock.now() });
    const bounced = await queue(db.pool, { tenantId, channel: 'email', recipient: 'bounced@example.com' });
    const gone = await queue(db.pool, { tenantId, channel: 'email', recipient: 'gone@example.com' });
    const { result, statements } = await recordStatements(db.pool, () => sender().drainOnce());
    expect(result).toMatchObject({ claimed: 2, sent: 0, suppressed: 2 });
    expect(statements).toHaveLength(2);
    expect([(await rowOf(db.pool, bounced)).status, (await rowOf(db.pool, gone)).status]).toEqual(['suppressed', 'suppressed']);
    expect(postmark.received.filter((m) => m.to === 'bounced@example.com' || m.to === 'gone@example.com')).toEqual([]);
  });

  it("asks an SMS's gate on its own, once the message is known to go out, so its rate slot is never spent on a message that does not", async () => {
    const tenantId = await makeTenant(db.pool);
    const id = await queue(db.pool, { tenantId, channel: 'sms', recipient: '+15550104444', isTransactional: true });
    const { result, statements } = await recordStatements(db.pool, () => sender().drainOnce());
    expect(result).toMatchObject({ claimed: 1, sent: 1 });
    expect(statements.map((sql) => sql.slice(0, 20))).toEqual(['WITH due AS ( SELECT', 'SELECT verdict, retr', 'UPDATE notification_']);
    expect((await rowOf(db.pool, id)).status).toBe('sent');
  });
});
