// Issue 11 item 3: one descriptor per chat tool. The type system makes a missing part a compile
// error (the @ts-expect-error lines below fail `pnpm typecheck` if a part became optional); these
// tests check at run time that the registry built from the descriptors is whole and agrees with
// the policy registry it is built into.
import { readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { z } from 'zod';
import { describeFailure } from '../src/executor/failures.js';
import { createChatRegistry } from '../src/policy/gate.js';
import { chatToolDescriptors, chatToolNames, chatToolSpecs, consentActionOf, contactRoleOf, isBookingChange, summarizeToolResult, toolStatus } from '../src/tools/definitions.js';
import { defineChatTool, type ChatToolDescriptor } from '../src/tools/descriptor.js';
import { HoldQuotaExceeded } from '../src/tools/hold-quota.js';
import type { TurnStatus } from '../src/types.js';

const statuses: Record<TurnStatus, true> = { thinking: true, checking_availability: true, holding: true, booking: true, rescheduling: true, cancelling: true, joining_waitlist: true, idle: true };
const parts: Array<keyof ChatToolDescriptor> = ['name', 'action', 'reversibility', 'contact', 'changesBooking', 'description', 'args', 'guardrail', 'handler', 'status', 'failure', 'summary'];
const descriptors = Object.entries(chatToolDescriptors) as Array<[string, ChatToolDescriptor]>;

const complete = {
  name: 'example_tool',
  action: 'example.run',
  reversibility: { irreversible: false },
  contact: 'none',
  changesBooking: false,
  description: 'An example.',
  args: z.strictObject({}),
  guardrail: { none: 'an example' },
  handler: async () => ({}),
  status: 'thinking',
  failure: (error: unknown) => describeFailure('example_tool', error),
  summary: { none: 'an example' },
} satisfies ChatToolDescriptor;

describe('chat tool descriptors', () => {
  it('registers fourteen tools, each under its own name and in the order a model sees them', () => {
    expect(chatToolNames).toEqual(['list_services', 'check_availability', 'hold_slot', 'confirm_booking', 'lookup_booking', 'reschedule_booking', 'cancel_booking', 'join_waitlist', 'answer_question', 'send_code', 'verify_code', 'list_intake', 'answer_intake', 'customer_profile']);
    expect(Object.keys(chatToolDescriptors)).toEqual(chatToolNames);
    for (const [key, tool] of descriptors) expect(tool.name).toBe(key);
  });

  it.each(descriptors)('%s has every part', (_name, tool) => {
    for (const part of parts) expect(tool[part], part).toBeDefined();
    expect(tool.action).toMatch(/^[a-z]+\.[a-z_]+$/);
    expect(tool.description.length).toBeGreaterThan(20);
    expect(tool.args).toBeInstanceOf(z.ZodObject);
    expect(typeof tool.handler).toBe('function');
    expect(typeof tool.failure).toBe('function');
    expect(statuses[tool.status]).toBe(true);
    expect(toolStatus[tool.name as keyof typeof toolStatus]).toBe(tool.status);
    // A guardrail is a check, or "none" written out with its reason: never left to a default.
    if ('check' in tool.guardrail) expect(typeof tool.guardrail.check).toBe('function');
    else expect(tool.guardrail.none.length).toBeGreaterThan(10);
    if ('line' in tool.summary) expect(typeof tool.summary.line).toBe('function');
    else expect(tool.summary.none.length).toBeGreaterThan(10);
    if (tool.reversibility.irreversible) expect(['confirm', 'reschedule', 'cancel']).toContain(tool.reversibility.consent);
  });

  it('the policy registry is built from the descriptors: same names, actions and reversibility', () => {
    const registry = createChatRegistry();
    expect(registry.kind).toBe('chat');
    expect([...registry.names]).toEqual(chatToolNames);
    for (const [name, tool] of descriptors) {
      expect(registry.get(name)).toMatchObject({ name, action: tool.action, irreversible: tool.reversibility.irreversible, description: tool.description });
    }
    expect(chatToolSpecs.map((s) => s.irreversible)).toEqual(descriptors.map(([, t]) => t.reversibility.irreversible));
  });

  it('consent is read from the descriptor: exactly the irreversible tools need it, for their own action', () => {
    expect(Object.fromEntries(chatToolNames.map((name) => [name, consentActionOf(name)]))).toEqual({
      list_services: undefined,
      check_availability: undefined,
      hold_slot: undefined,
      confirm_booking: 'confirm',
      lookup_booking: undefined,
      reschedule_booking: 'reschedule',
      cancel_booking: 'cancel',
      join_waitlist: undefined,
    });
    expect(consentActionOf('drop_table')).toBeUndefined();
  });

  it('says per tool what the contact is to it and whether it changes a booking (the executor reads these)', () => {
    expect(Object.fromEntries(descriptors.map(([name, tool]) => [name, [tool.contact, tool.changesBooking]]))).toEqual({
      list_services: ['none', false],
      check_availability: ['none', false],
      hold_slot: ['none', false],
      confirm_booking: ['gives', false],
      lookup_booking: ['proves', false],
      reschedule_booking: ['proves', true],
      cancel_booking: ['proves', true],
      join_waitlist: ['gives', false],
      answer_question: ['none', false],
      send_code: ['proves', false],
      verify_code: ['none', false],
      list_intake: ['none', false],
      answer_intake: ['none', false],
      customer_profile: ['none', false],
    });
    expect(contactRoleOf('drop_table')).toBeUndefined();
    expect(isBookingChange('drop_table')).toBe(false);
  });

  it('regression: a new tool would pass the guardrails silently (no switch with a default is left)', () => {
    // At compile time: a descriptor without a guardrail, or an irreversible one without its consent action, is an error.
    const { guardrail: _guardrail, ...withoutGuardrail } = complete;
    // @ts-expect-error -- the guardrail is required; "none" must be written out with a reason
    defineChatTool(withoutGuardrail);
    // @ts-expect-error -- an irreversible tool must name the action the customer consents to
    defineChatTool({ ...complete, reversibility: { irreversible: true } });
    // @ts-expect-error -- every part is required, the summary line too
    defineChatTool({ ...complete, summary: undefined });
    // At run time: no guardrail code falls through to "let it pass".
    const dir = path.resolve(import.meta.dirname, '../src');
    const sources = readdirSync(dir, { recursive: true, encoding: 'utf8' }).filter((file) => file.endsWith('.ts') && !file.endsWith('.test.ts'));
    const fallThrough = sources.filter((file) => /default:\s*return null/.test(readFileSync(path.join(dir, file), 'utf8')));
    expect(fallThrough).toEqual([]);
  });

  it('words failures per tool: the hold quota as a guardrail, anything unexpected without internals', () => {
    const quota = new HoldQuotaExceeded('Too many holds.');
    expect(chatToolDescriptors.hold_slot.failure(quota)).toEqual({ code: 'GUARDRAIL', message: 'Too many holds.' });
    for (const [name, tool] of descriptors) {
      const failure = tool.failure(new Error('relation "appointments" does not exist'));
      expect(failure.code).toBe('FAILED');
      expect(failure.message).toContain(name);
      expect(failure.message).not.toContain('appointments');
    }
  });

  it('gives a summary line exactly for the tools that change something', () => {
    const data = { reference: 'GM-7K3Q9', serviceName: 'Haircut', label: 'Tue, Dec 1, 3:00 PM' };
    expect(Object.fromEntries(chatToolNames.map((name) => [name, summarizeToolResult(name, data)]))).toEqual({
      list_services: undefined,
      check_availability: undefined,
      hold_slot: undefined,
      confirm_booking: 'Your Haircut on Tue, Dec 1, 3:00 PM is booked (reference GM-7K3Q9).',
      lookup_booking: undefined,
      reschedule_booking: 'Your booking GM-7K3Q9 was moved to Tue, Dec 1, 3:00 PM.',
      cancel_booking: 'Your booking GM-7K3Q9 was cancelled.',
      join_waitlist: "You're on the waitlist.",
    });
  });
});
