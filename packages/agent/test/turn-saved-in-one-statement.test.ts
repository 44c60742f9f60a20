// A turn is saved by one statement between its BEGIN and COMMIT: the hand-off check, the messages,
// the session, and the outcomes the turn queued for the audit log, appended last (policy's
// `gomomo_audit_append_batch`). Each outcome was a round trip of its own (issue 15). The outcomes
// still commit with the turn, after the decisions the policy appended when it allowed each call.
import { createBookingEngine, createPool, type Pool } from '@gomomo/core';
import { createPolicyEngine, verifyAuditChain } from '@gomomo/policy';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createReceptionist } from '../src/index.js';
import { appointments, createWorld, type World } from './support.js';

let world: World;
let pool: Pool;
/** Each statement this file's receptionist sent: its name, or its text. */
const sent: string[] = [];

beforeAll(async () => {
  world = await createWorld();
  pool = createPool(world.db.url, { max: 4 });
  pool.on('connect', (client) => {
    const query = client.query.bind(client) as (...args: unknown[]) => unknown;
    client.query = ((...args: unknown[]) => {
      const statement = args[0] as { name?: string; text?: string } | string;
      sent.push(typeof statement === 'string' ? statement : (statement.name ?? statement.text ?? ''));
      return query(...args);
    }) as typeof client.query;
  });
});
afterAll(async () => {
  await pool.end();
  await world.db.drop();
});

describe('saving a turn', () => {
  it("appends the turn's outcomes in the statement that saves it", async () => {
    const engine = createBookingEngine({ pool, clock: world.clock });
    const receptionist = createReceptionist({ pool, engine, policy: createPolicyEngine({ pool, clock: world.clock }), clock: world.clock });
    const say = (text: string) => receptionist.handleTurn({ tenantId: world.tenant.id, sessionId: 'saved-once', channel: 'web', text });
    await say('I would like a follow-up next Tuesday after 3');
    await say('1');
    await say('Ana Silva, ana@example.com');
    const before = sent.length;
    await say('yes');
    expect(await appointments(world)).toHaveLength(1);
    const statements = sent.slice(before);
    const save = statements.findIndex((statement) => statement.includes('handoff_lock'));
    expect(statements[save]).toMatch(/gomomo_audit_append_batch/);
    expect(statements[save - 1]).toMatch(/^BEGIN/);
    expect(statements[save + 1]).toBe('COMMIT');
    expect(statements.filter((statement) => /gomomo_audit_append_v2|gomomo_audit_append_in/.test(statement))).toEqual([]);
    // The booking's decision (appended when the policy allowed it), then its outcome (with the turn).
    const { rows } = await world.pool.query<{ tool: string; outcome: string }>(
      `SELECT tool, outcome FROM audit_log WHERE tenant_id = $1 AND session_id = $2 AND tool = 'confirm_booking' ORDER BY seq`,
      [world.tenant.id, 'saved-once'],
    );
    expect(rows.map((row) => row.outcome)).toEqual(['allowed', 'succeeded']);
    expect((await verifyAuditChain(world.pool, world.tenant.id)).ok).toBe(true);
  });
});
