import { createToolRegistry, defineTool, type ToolRegistry } from '@gomomo/policy';
import { orchestratorToolSpecs } from '../tools/schemas.js';

/** The channels one message of a tool goes out on; each has its own policy action `notify.<channel>`. */
export type DeliveryChannel = 'email' | 'sms' | 'push';

function buildRegistry(actionOf: (name: string, action: string) => string): ToolRegistry {
  return createToolRegistry(
    'orchestrator',
    Object.entries(orchestratorToolSpecs).map(([name, spec]) => defineTool({ name, description: spec.description, args: spec.args, action: actionOf(name, spec.action), irreversible: false })),
  );
}

/**
 * The closed orchestrator registry: a tool call is authorised once for what the tool does
 * (`reminder.schedule`, `followup.send`, `waitlist.offer`, `calendar.sync`, `staff.escalate`).
 * Tools that only send messages (confirmation, notices, reminders) are authorised per message
 * instead, through `deliveryRegistries`.
 */
export const orchestratorRegistry: ToolRegistry = buildRegistry((_, action) => action);

/**
 * The same tools, names and schemas, seen from one delivery channel: every message a tool sends is
 * authorised as `notify.email`, `notify.sms` or `notify.push`, so policy's per-channel kill switches
 * (`notify`, `notify.sms`, …) stop exactly that channel.
 */
export const deliveryRegistries: Record<DeliveryChannel, ToolRegistry> = {
  email: buildRegistry(() => 'notify.email'),
  sms: buildRegistry(() => 'notify.sms'),
  push: buildRegistry(() => 'notify.push'),
};
