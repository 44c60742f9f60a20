// One outbox worker process for the benchmark: drains against the fakes until nothing is open.
import { createOutboxSender, createPostmarkTransport, createTwilioTransport } from '@gomomo/channels';
import { createPool } from '@gomomo/core';
import { createFakeTwilioHttpClient } from '../../channels/test/fakes/fake-twilio.js';

const env = process.env;
const pool = createPool(env.DATABASE_URL!, { max: 34 });
const sender = createOutboxSender({
  pool,
  transports: {
    email: createPostmarkTransport({ serverToken: env.POSTMARK_TOKEN!, from: 'Bench <b@example.com>', requestHost: env.POSTMARK_HOST!, useHttps: false }),
    sms: createTwilioTransport({ accountSid: env.TWILIO_SID!, authToken: env.TWILIO_TOKEN!, from: '+15550000000', httpClient: createFakeTwilioHttpClient(env.TWILIO_URL!) }),
  },
  batchSize: 100,
  concurrency: 32,
  smsRateLimit: { max: 1000, windowMs: 60_000 },
});
for (;;) {
  await sender.drain();
  const { rows } = await pool.query<{ open: number }>(`SELECT count(*)::int AS open FROM notification_outbox WHERE status IN ('pending', 'sending', 'failed', 'rate_limited')`);
  if (rows[0]!.open === 0) break;
  await new Promise((resolve) => setTimeout(resolve, 20));
}
await pool.end();
