// The voice channel's own overhead on a real Postgres, one API process on loopback, offline brain:
// - turn_overhead_p50_ms / p99_ms: ConversationRelay prompt sent → first reply text received;
// - webhook_p99_ms: one <Gather> turn webhook, request → TwiML answer;
// - concurrent_calls: calls in flight at once; errors: failed turns or webhooks.
// Prints ONE JSON line. Uses BENCH_DATABASE_URL when set, else a throwaway embedded Postgres.
import { createReceptionist } from '@gomomo/agent';
import { addPhoneNumber } from '@gomomo/channels';
import { createBookingEngine, createPool, createTenant, demoTenantInput, migrate, type Clock } from '@gomomo/core';
import { openScratchDatabase } from '@gomomo/core/testing';
import { createPolicyEngine } from '@gomomo/policy';
import Fastify from 'fastify';
import twilio from 'twilio';
import WebSocket from 'ws';
import { gomomoHostOptions, gomomoPlugin } from '../src/index.js';

const concurrentCalls = Number(process.env.BENCH_VOICE_CALLS ?? 20);
const turnsPerCall = Number(process.env.BENCH_VOICE_TURNS ?? 10);
const authToken = 'bench-voice-auth-token';
const publicBaseUrl = 'https://api.gomomo.test';
const clinicNumber = '+12025550170';
const prompts = ['what are your hours?', 'what services do you offer?', 'what are your hours on Friday?', 'thank you'];

function percentile(values: number[], p: number): number {
  const sorted = [...values].sort((a, b) => a - b);
  const index = Math.min(sorted.length - 1, Math.ceil((p / 100) * sorted.length) - 1);
  return Math.round((sorted[Math.max(0, index)] ?? 0) * 100) / 100;
}

async function main(): Promise<void> {
  const scratch = process.env.BENCH_DATABASE_URL ? null : await openScratchDatabase({ label: 'voice', poolSize: 1 });
  const pool = createPool(process.env.BENCH_DATABASE_URL ?? scratch!.url, { max: 20 });
  let errors = 0;
  try {
    await migrate(pool);
    const now = new Date('2026-03-05T14:00:00Z');
    const clock: Clock = { now: () => now };
    const tenant = await createTenant(pool, { ...demoTenantInput, slug: `bench-voice-${Date.now()}`, lookaheadDays: 60 });
    await addPhoneNumber(pool, { tenantId: tenant.id, number: clinicNumber, capabilities: ['voice'] }).catch(() => undefined);
    const engine = createBookingEngine({ pool, clock });
    const receptionist = createReceptionist({ pool, engine, policy: createPolicyEngine({ pool, clock }), clock });
    const start = async (transport: 'gather' | 'relay') => {
      const app = Fastify({ logger: false, ...gomomoHostOptions() });
      await app.register(gomomoPlugin, { pool, engine, clock, adminSecret: 'bench-admin-secret-0123456789', rateLimit: false, receptionist, publicBaseUrl, twilio: { authToken, replyMode: 'twiml', voice: { transport, maxConcurrentCalls: 10_000 } } });
      await app.listen({ host: '127.0.0.1', port: 0 });
      const address = app.server.address();
      return { app, port: typeof address === 'object' && address ? address.port : 0 };
    };
    const relayServer = await start('relay');
    const gatherServer = await start('gather');

    const overheads: number[] = [];
    const webhooks: number[] = [];
    let sid = 0;
    const nextSid = (): string => `CA${(++sid).toString(16).padStart(32, '0')}`;

    async function post(port: number, path: string, params: Record<string, string>): Promise<void> {
      const signature = twilio.getExpectedTwilioSignature(authToken, `${publicBaseUrl}${path}`, params);
      const response = await fetch(`http://127.0.0.1:${port}${path}`, { method: 'POST', headers: { 'content-type': 'application/x-www-form-urlencoded', 'x-twilio-signature': signature }, body: new URLSearchParams(params) });
      await response.text();
      if (response.status !== 200) throw new Error(`${path} answered ${response.status}`);
    }

    async function relayCall(index: number): Promise<void> {
      const callSid = nextSid();
      const from = `+1202557${String(1000 + index).padStart(4, '0')}`;
      await post(relayServer.port, '/twilio/voice', { CallSid: callSid, From: from, To: clinicNumber, CallStatus: 'ringing' });
      const signature = twilio.getExpectedTwilioSignature(authToken, `${publicBaseUrl.replace(/^http/, 'ws')}/twilio/voice/relay`, {});
      const socket = new WebSocket(`ws://127.0.0.1:${relayServer.port}/twilio/voice/relay`, { headers: { 'x-twilio-signature': signature } });
      await new Promise<void>((resolve, reject) => {
        socket.once('open', () => resolve());
        socket.once('error', reject);
      });
      socket.send(JSON.stringify({ type: 'setup', callSid, from, to: clinicNumber }));
      for (let turn = 0; turn < turnsPerCall; turn++) {
        const sent = performance.now();
        let first = 0;
        await new Promise<void>((resolve) => {
          const onMessage = (data: WebSocket.RawData): void => {
            const message = JSON.parse(data.toString()) as { type: string; last?: boolean };
            if (message.type !== 'text') return;
            if (!first) first = performance.now();
            if (message.last) {
              socket.off('message', onMessage);
              resolve();
            }
          };
          socket.on('message', onMessage);
          socket.send(JSON.stringify({ type: 'prompt', voicePrompt: prompts[turn % prompts.length], lang: 'en-US', last: true }));
        });
        overheads.push(first - sent);
      }
      socket.close();
    }

    async function gatherCall(index: number): Promise<void> {
      const callSid = nextSid();
      const params = { CallSid: callSid, From: `+1202558${String(1000 + index).padStart(4, '0')}`, To: clinicNumber };
      await post(gatherServer.port, '/twilio/voice', { ...params, CallStatus: 'ringing' });
      for (let turn = 0; turn < turnsPerCall; turn++) {
        const sent = performance.now();
        await post(gatherServer.port, '/twilio/voice/gather', { ...params, CallStatus: 'in-progress', SpeechResult: prompts[turn % prompts.length]!, Confidence: '0.9' });
        webhooks.push(performance.now() - sent);
      }
    }

    // Warm-up: one call each (connections, JIT, caches), not measured.
    await relayCall(9000).catch(() => undefined);
    await gatherCall(9000).catch(() => undefined);
    overheads.length = 0;
    webhooks.length = 0;

    const guard = (work: Promise<void>): Promise<void> => work.catch(() => void (errors += 1));
    await Promise.all(Array.from({ length: concurrentCalls }, (_, index) => guard(relayCall(index))));
    await Promise.all(Array.from({ length: concurrentCalls }, (_, index) => guard(gatherCall(index))));
    await relayServer.app.close();
    await gatherServer.app.close();

    console.log(
      JSON.stringify({
        turn_overhead_p50_ms: percentile(overheads, 50),
        turn_overhead_p99_ms: percentile(overheads, 99),
        webhook_p99_ms: percentile(webhooks, 99),
        concurrent_calls: concurrentCalls,
        turns_per_call: turnsPerCall,
        turns: overheads.length + webhooks.length,
        errors,
      }),
    );
  } finally {
    await pool.end();
    await scratch?.close();
  }
}

await main();
