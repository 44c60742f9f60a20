// Before a tool that changes something, the receptionist reads who answers the conversation, so a
// turn that started before a staff take-over does not act after it. That read was a tenant
// transaction of its own (BEGIN, the read, COMMIT: three of a hold turn's round trips); it is one
// statement now (`gomomo_agent_handoff`, migration 0171), which enters the tenant itself. So are the
// hold quota's read before a hold and its record of who asked after it (`gomomo_agent_hold_counts`,
// `gomomo_agent_record_hold_origin`, migration 0172), which were transactions of four and three.
import { createBookingEngine, createPool, createTenant, demoTenantInput, type Pool } from '@gomomo/core';
import { createPolicyEngine } from '@gomomo/policy';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createReceptionist, createStaffDesk } from '../src/index.js';
import { readHandoff } from '../src/conversations/store.js';
import { activeHolds, createWorld, type World } from './support.js';

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

describe('the hand-off check before a tool acts', () => {
  it('is one statement, and the hold it allows is made', async () => {
    const engine = createBookingEngine({ pool, clock: world.clock });
    const receptionist = createReceptionist({ pool, engine, policy: createPolicyEngine({ pool, clock: world.clock }), clock: world.clock });
    const say = (text: string) => receptionist.handleTurn({ tenantId: world.tenant.id, sessionId: 'check-once', channel: 'web', text });
    await say('I would like a follow-up next Tuesday after 3');
    const before = sent.length;
    await say('1');
    const turn = sent.slice(before);
    expect(turn.filter((statement) => statement === 'gomomo_agent_handoff')).toHaveLength(1);
    expect(turn.filter((statement) => /^SELECT handoff FROM agent_sessions WHERE id = \$1/.test(statement))).toEqual([]);
    expect(turn.filter((statement) => statement === 'gomomo_agent_hold_counts')).toHaveLength(1);
    expect(turn.filter((statement) => statement === 'gomomo_agent_record_hold_origin')).toHaveLength(1);
    expect(turn.filter((statement) => statement.includes('agent_hold_origins'))).toEqual([]);
    const holds = await activeHolds(world, 'check-once');
    expect(holds).toHaveLength(1);
    const { rows: origins } = await world.pool.query<{ session_id: string; is_verified: boolean }>('SELECT session_id, is_verified FROM agent_hold_origins WHERE hold_id = $1', [holds[0]!.id]);
    expect(origins).toEqual([{ session_id: 'check-once', is_verified: false }]);
  });

  it('reads the conversation of its own tenant only', async () => {
    await world.receptionist.handleTurn({ tenantId: world.tenant.id, sessionId: 'held-by-staff', channel: 'web', text: 'Hello' });
    await createStaffDesk({ pool: world.pool, clock: world.clock }).takeOver({ tenantId: world.tenant.id, sessionId: 'held-by-staff', staffId: 'staff-sam' });
    expect(await readHandoff(world.pool, { tenantId: world.tenant.id, id: 'held-by-staff' })).toBe('staff');
    // Another business on the same database, naming this conversation, reads nothing.
    const stranger = await createTenant(world.pool, { ...demoTenantInput, slug: `stranger-${Math.random().toString(36).slice(2, 8)}` });
    expect(await readHandoff(world.pool, { tenantId: stranger.id, id: 'held-by-staff' })).toBeNull();
  });
});
