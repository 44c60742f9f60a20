// Load: 50 concurrent calls × 10 turns against one API process on loopback (real HTTP, the <Gather>
// path, the real receptionist with its offline brain). Bounded: one scripted call per caller, no
// timing asserted. Checked after: each call's transcript is its own (no crossed or corrupted
// state), every booking belongs to the caller who made it, and no resource is double-booked.
import { createReceptionist } from '@gomomo/agent';
import { addPhoneNumber } from '@gomomo/channels';
import { createBookingEngine, createTenant, demoTenantInput, type Tenant } from '@gomomo/core';
import { ManualClock, createTestDatabase, type TestDatabase } from '@gomomo/core/testing';
import { createPolicyEngine } from '@gomomo/policy';
import Fastify, { type FastifyInstance } from 'fastify';
import twilio from 'twilio';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { gomomoHostOptions, gomomoPlugin } from '../src/index.js';
import { adminSecret } from './harness.js';

const authToken = 'voice-load-auth-token';
const publicBaseUrl = 'https://api.gomomo.test';
const clinicNumber = '+12025550160';
const calls = 50;
const clock = new ManualClock('2026-03-05T14:00:00Z');
let db: TestDatabase;
let tenant: Tenant;
let app: FastifyInstance;
let base = '';

beforeAll(async () => {
  db = await createTestDatabase();
  tenant = await createTenant(db.pool, { ...demoTenantInput, slug: 'voice-load-clinic', name: 'Harbor Dental', lookaheadDays: 60 });
  await addPhoneNumber(db.pool, { tenantId: tenant.id, number: clinicNumber, capabilities: ['voice'] });
  const engine = createBookingEngine({ pool: db.pool, clock });
  const receptionist = createReceptionist({ pool: db.pool, engine, policy: createPolicyEngine({ pool: db.pool, clock }), clock });
  app = Fastify({ logger: false, ...gomomoHostOptions() });
  await app.register(gomomoPlugin, { pool: db.pool, engine, clock, adminSecret, rateLimit: false, receptionist, publicBaseUrl, twilio: { authToken, replyMode: 'twiml', voice: { maxConcurrentCalls: calls } } });
  await app.listen({ host: '127.0.0.1', port: 0 });
  const address = app.server.address();
  base = `http://127.0.0.1:${typeof address === 'object' && address ? address.port : 0}`;
});

afterAll(async () => {
  await app?.close();
  await db?.drop();
});

async function post(path: string, params: Record<string, string>): Promise<string> {
  const signature = twilio.getExpectedTwilioSignature(authToken, `${publicBaseUrl}${path}`, params);
  const response = await fetch(`${base}${path}`, { method: 'POST', headers: { 'content-type': 'application/x-www-form-urlencoded', 'x-twilio-signature': signature }, body: new URLSearchParams(params) });
  const body = await response.text();
  if (response.status !== 200) throw new Error(`${path} answered ${response.status}: ${body}`);
  return body;
}

const days = ['Monday March 9', 'Tuesday March 10', 'Wednesday March 11', 'Thursday March 12', 'Friday March 13'];
const firstNames = ['Ana', 'Ben', 'Cleo', 'Dana', 'Eli', 'Fay', 'Gus', 'Hana', 'Ivo', 'Jo'];
const lastNames = ['Silva', 'Okafor', 'Novak', 'Reyes', 'Larsen'];
/** A name of words only (the receptionist reads names as words), distinct for each of the 50 callers. */
const nameOf = (index: number): string => `${firstNames[index % firstNames.length]} ${lastNames[Math.floor(index / firstNames.length) % lastNames.length]}`;

/** One caller's ten turns: hours, a booking request, a pick, a name, the DTMF yes, and small talk. */
function scriptOf(index: number): Array<{ speech?: string; digits?: string }> {
  const day = days[index % days.length]!;
  const part = Math.floor(index / days.length) % 2 === 0 ? 'morning' : 'afternoon';
  return [
    { speech: 'what are your hours?' },
    { speech: `I would like to book a consultation on ${day} in the ${part}` },
    { digits: String((index % 2) + 1) },
    { speech: nameOf(index) },
    { digits: '1' },
    { speech: 'what services do you offer?' },
    {},
    { speech: 'what are your hours on Friday?' },
    { speech: 'thank you' },
    { speech: 'what are your hours?' },
  ];
}

async function runCall(index: number): Promise<string> {
  const callSid = `CA${(0xc0ffee000 + index).toString(16).padStart(32, '0')}`;
  const from = `+1202556${String(1000 + index).padStart(4, '0')}`;
  const params = { CallSid: callSid, AccountSid: `AC${'0'.repeat(32)}`, From: from, To: clinicNumber, Direction: 'inbound' };
  await post('/twilio/voice', { ...params, CallStatus: 'ringing' });
  for (const turn of scriptOf(index)) {
    await post('/twilio/voice/gather', {
      ...params,
      CallStatus: 'in-progress',
      ...(turn.speech ? { SpeechResult: turn.speech, Confidence: '0.9' } : {}),
      ...(turn.digits ? { Digits: turn.digits } : {}),
    });
  }
  return callSid;
}

describe('50 concurrent calls × 10 turns on one API process', () => {
  it('keeps every call to its own transcript and bookings, with no double booking', async () => {
    const sids = await Promise.all(Array.from({ length: calls }, (_, index) => runCall(index)));

    const { rows: turns } = await db.pool.query<{ call_sid: string; seq: number; heard: string }>('SELECT call_sid, seq, heard FROM voice_turns WHERE tenant_id = $1 ORDER BY call_sid, seq', [tenant.id]);
    for (const [index, sid] of sids.entries()) {
      const own = turns.filter((t) => t.call_sid === sid);
      expect(own.map((t) => t.seq)).toEqual([1, 2, 3, 4, 5, 6, 7, 8, 9, 10]);
      const expected = scriptOf(index).map((t) => (t.digits ? `${t.speech ?? ''}${t.speech ? ' ' : ''}[${t.digits}]` : (t.speech ?? '')));
      expect(own.map((t) => t.heard)).toEqual(expected);
    }

    // Each booking is in the conversation of the call whose caller gave that name.
    const { rows: booked } = await db.pool.query<{ call_sid: string; client_name: string; client_phone: string }>(
      `SELECT v.call_sid, a.client_name, a.client_phone FROM appointments a JOIN voice_calls v ON v.tenant_id = a.tenant_id AND v.session_id = a.session_id
        WHERE a.tenant_id = $1 AND a.status = 'booked'`,
      [tenant.id],
    );
    expect(booked.length).toBeGreaterThan(0);
    for (const row of booked) {
      const index = sids.indexOf(row.call_sid);
      expect(row.client_name).toBe(nameOf(index));
      expect(row.client_phone).toBe(`+1202556${String(1000 + index).padStart(4, '0')}`);
    }
    const { rows: perCall } = await db.pool.query<{ n: number }>(
      "SELECT count(*)::int AS n FROM appointments a JOIN voice_calls v ON v.session_id = a.session_id WHERE a.tenant_id = $1 AND a.status = 'booked' GROUP BY v.call_sid HAVING count(*) > 1",
      [tenant.id],
    );
    expect(perCall).toEqual([]);

    const { rows: overlaps } = await db.pool.query(
      `SELECT a.id FROM appointments a JOIN appointments b ON a.tenant_id = b.tenant_id AND a.resource_id = b.resource_id AND a.id < b.id
        AND tstzrange(a.starts_at, a.ends_at) && tstzrange(b.starts_at, b.ends_at)
        WHERE a.tenant_id = $1 AND a.status = 'booked' AND b.status = 'booked'`,
      [tenant.id],
    );
    expect(overlaps).toEqual([]);
  }, 300_000);
});
