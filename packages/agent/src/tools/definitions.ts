// The registry of chat tools, built from one descriptor per tool (tools/<tool>.ts). Every map here
// is typed by the tool name union, so adding a tool is one file plus its line in `chatTools`, and a
// descriptor missing a part (a guardrail above all) does not compile.
import { z } from 'zod';
import type { TurnStatus } from '../types.js';
import { answerQuestionTool } from './answer-question.js';
import { cancelBookingTool } from './cancel-booking.js';
import { checkAvailabilityTool } from './check-availability.js';
import { confirmBookingTool } from './confirm-booking.js';
import type { ChatToolDescriptor, ContactRole, Refusal } from './descriptor.js';
import { holdSlotTool } from './hold-slot.js';
import { joinWaitlistTool } from './join-waitlist.js';
import { listServicesTool } from './list-services.js';
import { lookupBookingTool } from './lookup-booking.js';
import { rescheduleBookingTool } from './reschedule-booking.js';
import { sendCodeTool } from './send-code.js';
import { verifyCodeTool } from './verify-code.js';
import { listIntakeTool } from './list-intake.js';
import { answerIntakeTool } from './answer-intake.js';
import { customerProfileTool } from './customer-profile.js';
import type { ToolContext, ToolFailure } from './tool-context.js';
import type { ConsentAction } from '../consent/decide-consent.js';

/** The closed set of chat tools, in the order a model sees them. */
const chatTools = [
  listServicesTool,
  checkAvailabilityTool,
  holdSlotTool,
  confirmBookingTool,
  lookupBookingTool,
  rescheduleBookingTool,
  cancelBookingTool,
  joinWaitlistTool,
  answerQuestionTool,
  sendCodeTool,
  verifyCodeTool,
  listIntakeTool,
  answerIntakeTool,
  customerProfileTool,
] as const;

type AnyChatTool = (typeof chatTools)[number];
export type ChatToolName = AnyChatTool['name'];
type DescriptorOf<N extends ChatToolName> = Extract<AnyChatTool, { name: N }>;
export type ChatToolArgs<N extends ChatToolName> = z.output<DescriptorOf<N>['args']>;

/** Every descriptor by its name: the one exhaustive map the others are read from. */
export const chatToolDescriptors = Object.fromEntries(chatTools.map((tool) => [tool.name, tool])) as { [N in ChatToolName]: DescriptorOf<N> };

/** The descriptor of a name a model sent, or undefined for a tool that does not exist. */
export function findChatTool(name: string): ChatToolDescriptor | undefined {
  return Object.hasOwn(chatToolDescriptors, name) ? (chatToolDescriptors[name as ChatToolName] as ChatToolDescriptor) : undefined;
}

// Each tool's own entry, seen through one signature: the maps below are exhaustive by type (a
// mapped type over ChatToolName), and the executor calls them with arguments parsed by the same schema.
function descriptorOf<N extends ChatToolName>(tool: N): ChatToolDescriptor<N, z.ZodType<ChatToolArgs<N>>> {
  return chatToolDescriptors[tool] as unknown as ChatToolDescriptor<N, z.ZodType<ChatToolArgs<N>>>;
}

export const chatToolArgs = Object.fromEntries(chatTools.map((tool) => [tool.name, tool.args])) as { [N in ChatToolName]: DescriptorOf<N>['args'] };

/** The status a live indicator shows while a tool runs. */
export const toolStatus = Object.fromEntries(chatTools.map((tool) => [tool.name, tool.status])) as Record<ChatToolName, TurnStatus>;

/** Runs a tool's handler (the engine call), once parsing, policy and guardrails let it through. */
export function runHandler<N extends ChatToolName>(tool: N, args: ChatToolArgs<N>, context: ToolContext): Promise<Record<string, unknown>> {
  return descriptorOf(tool).handler(args, context);
}

/**
 * The guardrails in code, run after the policy allowed a call and before the engine sees it: the
 * tool's own, from its descriptor, which must name one (`{ none: reason }` is written out), so
 * there is no default that lets a new tool through. Consent is not checked here (see
 * tools/descriptor.ts, Reversibility). A refusal the model can explain, or null to let the call through.
 */
export function checkGuardrails<N extends ChatToolName>(tool: N, args: ChatToolArgs<N>, context: ToolContext): Refusal | null {
  const guardrail = descriptorOf(tool).guardrail;
  return 'check' in guardrail ? guardrail.check(args, context) : null;
}

/** An engine failure of a tool in words the model can explain. */
export function describeToolFailure(tool: ChatToolName, error: unknown): ToolFailure {
  return chatToolDescriptors[tool].failure(error);
}

/** The summary line of a successful call for an apology, or undefined for a tool that changes nothing to report. */
export function summarizeToolResult(tool: string, data: Record<string, unknown>): string | undefined {
  const summary = findChatTool(tool)?.summary;
  return summary && 'line' in summary ? summary.line(data) : undefined;
}

/** The action a customer must consent to before the tool runs, from its reversibility; undefined for a reversible or unknown tool. */
export function consentActionOf(tool: string): ConsentAction | undefined {
  const reversibility = findChatTool(tool)?.reversibility;
  return reversibility?.irreversible ? reversibility.consent : undefined;
}

/** What the customer's contact is to a tool (see ContactRole); undefined for a tool that does not exist. */
export function contactRoleOf(tool: string): ContactRole | undefined {
  return findChatTool(tool)?.contact;
}

/** Whether a tool changes an existing booking (the policy then gets core's change-window decision). */
export function isBookingChange(tool: string): tool is ChatToolName {
  return findChatTool(tool)?.changesBooking === true;
}

/** A customer-facing tool: its policy action and what the model is told about it. */
export interface ChatToolSpec<N extends ChatToolName = ChatToolName> {
  name: N;
  action: string;
  irreversible: boolean;
  description: string;
  args: (typeof chatToolArgs)[N];
}

/** The closed set of chat tools, in the order a model sees them (the policy registry is built from these). */
export const chatToolSpecs: ReadonlyArray<ChatToolSpec> = chatTools.map((tool) => ({
  name: tool.name,
  action: tool.action,
  irreversible: tool.reversibility.irreversible,
  description: tool.description,
  args: tool.args,
}));

export const chatToolNames: ChatToolName[] = chatTools.map((tool) => tool.name);

/** OpenAI-style function definitions (JSON Schema) generated from the same zod schemas the executor parses with. */
export function toFunctionDefinitions(): Array<{ type: 'function'; function: { name: string; description: string; parameters: Record<string, unknown> } }> {
  return chatToolSpecs.map((tool) => {
    const { $schema: _schema, ...parameters } = z.toJSONSchema(tool.args, { io: 'input' }) as Record<string, unknown>;
    return { type: 'function' as const, function: { name: tool.name, description: tool.description, parameters } };
  });
}
