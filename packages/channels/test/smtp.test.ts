// The SMTP transport against a real SMTP listener on localhost (smtp-server), through nodemailer and
// the outbox sender: success with the .ics attached, 5xx permanent, 4xx retried, bad credentials.
import { createTestDatabase, ManualClock, type TestDatabase } from '@gomomo/core/testing';
import type { AddressInfo } from 'node:net';
import { SMTPServer, type SMTPServerAddress } from 'smtp-server';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createSmtpTransport } from '../src/email/smtp.js';
import { createOutboxSender } from '../src/outbox/sender.js';
import { makeTenant, queue, rowOf } from './helpers.js';

interface Received {
  from: string;
  to: string[];
  raw: string;
}

let db: TestDatabase;
let server: SMTPServer;
let port: number;
const received: Received[] = [];

function smtpError(message: string, responseCode: number): Error {
  return Object.assign(new Error(message), { responseCode });
}

beforeAll(async () => {
  db = await createTestDatabase();
  server = new SMTPServer({
    // Plain SMTP on localhost: no STARTTLS certificate to trust, AUTH allowed without TLS.
    disabledCommands: ['STARTTLS'],
    allowInsecureAuth: true,
    logger: false,
    onAuth(auth, _session, callback) {
      if (auth.username === 'clinic' && auth.password === 's3cret') return callback(null, { user: 'clinic' });
      return callback(smtpError('Invalid username or password', 535));
    },
    onRcptTo(address: SMTPServerAddress, _session, callback) {
      if (address.address.startsWith('nobody@')) return callback(smtpError('No such mailbox', 550));
      if (address.address.startsWith('busy@')) return callback(smtpError('Mailbox busy, try later', 451));
      return callback();
    },
    onData(stream, session, callback) {
      const chunks: Buffer[] = [];
      stream.on('data', (chunk: Buffer) => chunks.push(chunk));
      stream.on('end', () => {
        const envelope = session.envelope;
        received.push({ from: envelope.mailFrom ? envelope.mailFrom.address : '', to: envelope.rcptTo.map((r) => r.address), raw: Buffer.concat(chunks).toString('utf8') });
        callback();
      });
    },
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  port = (server.server.address() as AddressInfo).port;
});

afterAll(async () => {
  await new Promise<void>((resolve) => server?.close(() => resolve()));
  await db?.drop();
});

function senderWith(url: string) {
  return createOutboxSender({ pool: db.pool, clock: new ManualClock('2026-12-01T15:00:00Z'), retryBaseMs: 30_000, transports: { email: createSmtpTransport({ url, from: 'Clinic <hi@example.com>', timeoutMs: 2000 }) } });
}

describe('SMTP transport', () => {
  it('delivers the email with its .ics attachment to a real SMTP server, authenticated', async () => {
    const tenantId = await makeTenant(db.pool);
    const id = await queue(db.pool, {
      tenantId,
      channel: 'email',
      recipient: 'ana@example.com',
      subject: 'Confirmed: haircut',
      idempotencyKey: 'appt-1:confirmation:email',
      attachments: [{ filename: 'invite.ics', contentType: 'text/calendar; charset=utf-8; method=PUBLISH', content: 'BEGIN:VCALENDAR\r\nEND:VCALENDAR\r\n' }],
      sendAt: new Date('2026-12-01T15:00:00Z'),
    });
    expect(await senderWith(`smtp://clinic:s3cret@127.0.0.1:${port}`).drain()).toMatchObject({ sent: 1 });
    const row = await rowOf(db.pool, id);
    expect(row).toMatchObject({ status: 'sent', provider: 'smtp' });
    const mail = received.find((m) => m.to.includes('ana@example.com'))!;
    expect(mail.from).toBe('hi@example.com');
    expect(mail.raw).toContain('Subject: Confirmed: haircut');
    expect(mail.raw).toContain('X-Gomomo-Idempotency-Key: appt-1:confirmation:email');
    expect(mail.raw).toMatch(/filename="?invite\.ics"?/);
    expect(mail.raw).toContain(row.providerMessageId!.replace(/[<>]/g, ''));
  });

  it.each([
    ['a 550 rejected mailbox fails permanently', 'nobody@example.com', `smtp://clinic:s3cret@127.0.0.1:PORT`, 'permanently_failed'],
    ['a 451 busy mailbox is retried later', 'busy@example.com', `smtp://clinic:s3cret@127.0.0.1:PORT`, 'failed'],
    ['wrong credentials (535) fail permanently', 'bo@example.com', `smtp://clinic:wrong@127.0.0.1:PORT`, 'permanently_failed'],
  ])('%s', async (_, recipient, url, status) => {
    const tenantId = await makeTenant(db.pool);
    const id = await queue(db.pool, { tenantId, channel: 'email', recipient, sendAt: new Date('2026-12-01T15:00:00Z') });
    await senderWith(url.replace('PORT', String(port))).drainOnce();
    const row = await rowOf(db.pool, id);
    expect(row.status).toBe(status);
    expect(row.lastError).toMatch(/^SMTP: /);
    expect(received.some((m) => m.to.includes(recipient))).toBe(false);
  });
});
