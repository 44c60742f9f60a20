// A turn is saved by one statement between its BEGIN and COMMIT: the hand-off check, the messages,
// the session, and the outcomes the turn queued for the audit log, appended last (policy's
// `gomomo_audit_append_batch`). Each outcome was a round trip of its own (issue 15). The outcomes
// still commit with the turn, after the decisions the policy appended when it allowed each call.
import { recordStatements } from '@gomomo/core/testing';
import { verifyAuditChain } from '@gomomo/policy';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { appointments, conversation, createWorld, type World } from './support.js';

let world: World;
beforeAll(async () => {
  world = await createWorld();
});
afterAll(async () => {
  await world.db.drop();
});

describe('saving a turn', () => {
  it("appends the turn's outcomes in the statement that saves it", async () => {
    const chat = conversation(world, 'saved-once');
    await chat.say('I would like a follow-up next Tuesday after 3');
    await chat.say('1');
    await chat.say('Ana Silva, ana@example.com');
    const { statements } = await recordStatements(world.pool, () => chat.say('yes'));
    expect(await appointments(world)).toHaveLength(1);
    const save = statements.findIndex((statement) => statement.includes('handoff_lock'));
    expect(statements[save]).toMatch(/gomomo_audit_append_batch/);
    expect(statements[save - 1]).toMatch(/^BEGIN/);
    expect(statements[save + 1]).toBe('COMMIT');
    expect(statements.filter((statement) => /gomomo_audit_append_v2/.test(statement))).toEqual([]);
    // The booking's decision (appended when the policy allowed it), then its outcome (with the turn).
    const { rows } = await world.pool.query<{ tool: string; outcome: string }>(
      `SELECT tool, outcome FROM audit_log WHERE tenant_id = $1 AND session_id = $2 AND tool = 'confirm_booking' ORDER BY seq`,
      [world.tenant.id, 'saved-once'],
    );
    expect(rows.map((row) => row.outcome)).toEqual(['allowed', 'succeeded']);
    expect((await verifyAuditChain(world.pool, world.tenant.id)).ok).toBe(true);
  });
});
