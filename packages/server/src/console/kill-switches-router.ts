import type { Clock, Pool } from '@gomomo/core';
import { withTenant } from '@gomomo/core';
import { autonomousActions, createPolicyEngine, type PolicyEngine } from '@gomomo/policy';
import { z } from 'zod';
import { depsOf } from '../trpc/context.js';
import { router } from '../trpc/init.js';
import { ownerProcedure, staffProcedure } from './auth.js';
import { auditStaffChange } from './staff-store.js';

// One policy engine per pool, for its kill-switch management (the agent and autonomy build their own to decide).
const engines = new WeakMap<Pool, PolicyEngine>();
function policyOf(pool: Pool, clock: Clock): PolicyEngine {
  let engine = engines.get(pool);
  if (!engine) engines.set(pool, (engine = createPolicyEngine({ pool, clock })));
  return engine;
}

/** The switches the console offers: every autonomous action, and all of them at once. */
export const killSwitchFamilies = ['*', ...autonomousActions] as const;

/**
 * Kill switches for each autonomous action (policy's `policy_kill_switches`): on, the policy
 * denies that action for the business until an owner turns it off. Changes are audited.
 */
export const consoleKillSwitchesRouter = router({
  list: staffProcedure.query(async ({ ctx }) => {
    const switches = await policyOf(depsOf(ctx).pool, depsOf(ctx).clock).listKillSwitches(ctx.tenantId);
    return killSwitchFamilies.map((family) => {
      const found = switches.find((s) => s.family === family);
      return { family, isOn: found?.enabled ?? false, reason: found?.reason ?? '', changedAt: found?.changedAt ?? null };
    });
  }),
  set: ownerProcedure
    .input(z.object({ family: z.enum(killSwitchFamilies), isOn: z.boolean(), reason: z.string().trim().max(200).optional() }))
    .mutation(async ({ ctx, input }) => {
      const { pool, clock } = depsOf(ctx);
      const result = await policyOf(pool, clock).setKillSwitch(ctx.tenantId, input.family, { enabled: input.isOn, by: `staff:${ctx.staffId}`, ...(input.reason ? { reason: input.reason } : {}) });
      await withTenant(pool, ctx.tenantId, (client) => auditStaffChange(client, { tenantId: ctx.tenantId, actorStaffId: ctx.staffId, action: 'settings.kill_switch', details: { family: input.family, isOn: input.isOn }, now: clock.now() }), {
        isolation: 'read committed',
      });
      return { family: result.family, isOn: result.enabled, reason: result.reason, changedAt: result.changedAt };
    }),
});
