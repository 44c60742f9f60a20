// A question about the services is answered from the services the turn opened with (the catalog
// cache's, or read in the turn's opening transaction), not from a read of the tool's own: that read
// was three of a services turn's seventeen round trips (issue 15). A hold still checks its service
// itself, so a list a moment old can offer nothing that is not there.
import { createBookingEngine, createService } from '@gomomo/core';
import { recordStatements } from '@gomomo/core/testing';
import { createPolicyEngine } from '@gomomo/policy';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createReceptionist, type Receptionist } from '../src/index.js';
import { createWorld, type World } from './support.js';

let world: World;

/** A receptionist on the world's pool, with its own catalog cache. */
function receptionistWith(catalogCacheMs: number): Receptionist {
  const engine = createBookingEngine({ pool: world.pool, clock: world.clock });
  return createReceptionist({ pool: world.pool, engine, policy: createPolicyEngine({ pool: world.pool, clock: world.clock }), clock: world.clock, config: { catalogCacheMs } });
}

/** The names of the statements a turn sent. */
async function namesOf(turn: () => Promise<unknown>): Promise<(string | undefined)[]> {
  return (await recordStatements(world.pool, turn)).names;
}

/** How often a turn sent core's services read (`gomomo_read_services`). */
async function servicesReadsOf(turn: () => Promise<unknown>): Promise<number> {
  return (await namesOf(turn)).filter((name) => name === 'gomomo_read_services').length;
}

beforeAll(async () => {
  world = await createWorld();
});
afterAll(async () => {
  await world.db.drop();
});

describe('the services a turn tells the customer about', () => {
  it('lists the services without reading them again once the catalog is known', async () => {
    const receptionist = receptionistWith(60_000);
    const say = (text: string) => receptionist.handleTurn({ tenantId: world.tenant.id, sessionId: 'services-known', channel: 'web', text });
    expect(await servicesReadsOf(() => say('Hello'))).toBe(1);
    let reply = '';
    expect(await servicesReadsOf(async () => (reply = (await say('What services do you offer?')).reply))).toBe(0);
    expect(reply).toMatch(/Consultation/);
    expect(reply).toMatch(/Follow-up/);
    expect(reply).toMatch(/Extended session/);
  });

  it('answers the cancellation policy from the same services', async () => {
    const receptionist = receptionistWith(60_000);
    const say = (text: string) => receptionist.handleTurn({ tenantId: world.tenant.id, sessionId: 'policy-known', channel: 'web', text });
    await say('Hello');
    let reply = '';
    const names = await namesOf(async () => (reply = (await say("What's your cancellation policy?")).reply));
    expect(names.filter((name) => name === 'gomomo_read_services')).toHaveLength(0);
    expect(reply).toMatch(/Consultation: /);
    // The business's own answers are read in one statement that enters the tenant itself (migration 0174).
    expect(names.filter((name) => name === 'gomomo_agent_faq_entries')).toHaveLength(1);
  });

  it('lists a service staff added before the turn when the catalog is read at every turn', async () => {
    const receptionist = receptionistWith(0);
    const say = (text: string) => receptionist.handleTurn({ tenantId: world.tenant.id, sessionId: 'services-fresh', channel: 'web', text });
    expect((await say('What services do you offer?')).reply).not.toMatch(/Massage/);
    await createService(world.pool, { tenantId: world.tenant.id, service: { name: 'Massage', durationMinutes: 60 } });
    // The turn's opening transaction reads the services once; the answer uses that read.
    let reply = '';
    expect(await servicesReadsOf(async () => (reply = (await say('What services do you offer?')).reply))).toBe(1);
    expect(reply).toMatch(/Massage/);
  });
});
