// Before a tool that changes something, the receptionist reads who answers the conversation, so a
// turn that started before a staff take-over does not act after it. That read was a tenant
// transaction of its own (BEGIN, the read, COMMIT: three of a hold turn's round trips); it is one
// statement now (`gomomo_agent_handoff`, migration 0171), which enters the tenant itself. So are the
// hold quota's read before a hold and its record of who asked after it (`gomomo_agent_hold_counts`,
// `gomomo_agent_record_hold_origin`, migration 0172), which were transactions of four and three.
import { createTenant, demoTenantInput } from '@gomomo/core';
import { recordStatements } from '@gomomo/core/testing';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createStaffDesk } from '../src/index.js';
import { readHandoff } from '../src/conversations/store.js';
import { activeHolds, conversation, createWorld, type World } from './support.js';

let world: World;
beforeAll(async () => {
  world = await createWorld();
});
afterAll(async () => {
  await world.db.drop();
});

describe('the hand-off check before a tool acts', () => {
  it('is one statement, and the hold it allows is made', async () => {
    const chat = conversation(world, 'check-once');
    await chat.say('I would like a follow-up next Tuesday after 3');
    const { names, statements } = await recordStatements(world.pool, () => chat.say('1'));
    expect(names.filter((name) => name === 'gomomo_agent_handoff')).toHaveLength(1);
    expect(statements.filter((statement) => /^SELECT handoff FROM agent_sessions WHERE id = \$1/.test(statement))).toEqual([]);
    expect(names.filter((name) => name === 'gomomo_agent_hold_counts')).toHaveLength(1);
    expect(names.filter((name) => name === 'gomomo_agent_record_hold_origin')).toHaveLength(1);
    expect(statements.filter((statement) => statement.includes('agent_hold_origins'))).toEqual([]);
    const holds = await activeHolds(world, 'check-once');
    expect(holds).toHaveLength(1);
    const { rows: origins } = await world.pool.query<{ session_id: string; is_verified: boolean }>('SELECT session_id, is_verified FROM agent_hold_origins WHERE hold_id = $1', [holds[0]!.id]);
    expect(origins).toEqual([{ session_id: 'check-once', is_verified: false }]);
  });

  it('reads the conversation of its own tenant only', async () => {
    await conversation(world, 'held-by-staff').say('Hello');
    await createStaffDesk({ pool: world.pool, clock: world.clock }).takeOver({ tenantId: world.tenant.id, sessionId: 'held-by-staff', staffId: 'staff-sam' });
    expect(await readHandoff(world.pool, { tenantId: world.tenant.id, id: 'held-by-staff' })).toBe('staff');
    // Another business on the same database, naming this conversation, reads nothing.
    const stranger = await createTenant(world.pool, { ...demoTenantInput, slug: `stranger-${Math.random().toString(36).slice(2, 8)}` });
    expect(await readHandoff(world.pool, { tenantId: stranger.id, id: 'held-by-staff' })).toBeNull();
  });
});
