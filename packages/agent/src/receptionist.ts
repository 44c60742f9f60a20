import { channels, type DevicePort, type ReceptionistPort } from '@gomomo/contracts';
import { createCatalogCache, readOpeningHours, readTenant, recordEvent, systemClock, withTenant, type BookingEngine, type Clock, type PendingOffer, type Pool, type Service } from '@gomomo/core';
import type { PolicyEngine } from '@gomomo/policy';
import { z } from 'zod';
import { createOfflineBrain } from './brains/offline/offline-brain.js';
import type { Brain, BrainReply, OpeningHours } from './brains/types.js';
import { openTurn } from './conversations/open-turn.js';
import { redeemOfferLink } from './conversations/offer-links.js';
import { findConversation, startConversation, type FoundConversation, type StartedConversation } from './conversations/session-tokens.js';
import { findRecordedReferences, readHistory, releaseTurn, saveTurn, type NewMessage, type SavedTurn, type Session } from './conversations/store.js';
import { AgentError } from './errors.js';
import { correctClaims, createLedger, findReferences, unbackedReferences } from './executor/claim-check.js';
import { createToolExecutor } from './executor/executor.js';
import { createReplyStream, type ReplyStream } from './executor/reply-stream.js';
import { defaultLookupLimits } from './executor/lookup-attempts.js';
import { defaultCodeLimits, type CodeLimits, type CodeSender } from './identity/codes.js';
import { contactOfArgs, needsCode } from './identity/requirement.js';
import { canRememberDevice, forgetDevice, openWithDevice, rememberDevice, revokeCustomerDevices } from './identity/devices.js';
import { findReturningCustomer } from './customers/returning.js';
import type { ToolScope, ToolTiming } from './executor/types.js';
import { formatSlotLabel } from './format/time.js';
import { detectPersonRequest, type HandoffLanguage } from './handoff/asks-for-person.js';
import { markNeedsStaff, type HandoffReason } from './handoff/mark-needs-staff.js';
import { describeWhatHappensNext } from './handoff/what-happens-next.js';
import { defaultHoldQuota, type HoldQuotaSettings } from './tools/hold-quota.js';
import { createPolicyGate, type PolicyGate } from './policy/gate.js';
import type { ChatChannel, ConversationMessage, TurnEvent, TurnInput, TurnResult } from './types.js';

export interface ReceptionistConfig {
  /** BOOKING_FAR_DATE_CONFIRM_DAYS: holding a slot further ahead needs the customer's explicit yes. Default 30; 0 disables. */
  farDateConfirmDays?: number | undefined;
  /** Tool rounds a model may take in one turn before it must answer. Default 6. */
  maxToolRounds?: number | undefined;
  /**
   * Turns of one conversation run one at a time. A turn's claim on its conversation lapses after
   * this long if it is never given back (the process died mid-turn). Default 120 000 ms: longer
   * than any model turn with its retries.
   */
  turnLeaseMs?: number | undefined;
  /** How long the tenant and its services read at a turn's start are reused by later turns. Default 1000 ms; 0 disables. */
  catalogCacheMs?: number | undefined;
  /**
   * Failed booking lookups (unknown reference, contact that does not match) allowed per reference,
   * per contact and per client address within `lookupWindowMs`, across conversations. Default 3.
   */
  lookupMaxFailures?: number | undefined;
  /** The window of `lookupMaxFailures`, in ms. Default 3 600 000 (one hour). */
  lookupWindowMs?: number | undefined;
  /** Hold rationing per client address and for anonymous conversations (tenants override it in `settings.holdQuota`). Default `defaultHoldQuota`. */
  holdQuota?: Partial<HoldQuotaSettings> | undefined;
  /** One-time codes: lifetime, tries, codes per contact and per client address an hour. Default `defaultCodeLimits`. */
  codeLimits?: Partial<CodeLimits> | undefined;
}

export interface ReceptionistOptions {
  pool: Pool;
  engine: BookingEngine;
  policy: PolicyEngine;
  /** Default: the offline brain. */
  brain?: Brain | undefined;
  clock?: Clock | undefined;
  config?: ReceptionistConfig | undefined;
  /** Time split of every tool call (for benchmarks and metrics). */
  onToolTiming?: ((timing: ToolTiming) => void) | undefined;
  /**
   * Delivers one-time codes (the server wires it to the channels outbox). With one, moving and
   * cancelling a booking need a code by default (tenant `settings.identityCodes`); without one, no
   * code can be sent and none is required.
   */
  codeSender?: CodeSender | undefined;
  /** Told about every failure the customer only saw an apology for (for logs and alerts). */
  onError?: ((error: unknown, context: { tenantId: string; sessionId: string }) => void) | undefined;
}

/** The receptionist every channel talks to: one turn in, one reply (and live events) out. Implements `@gomomo/contracts`' port. */
export interface Receptionist extends ReceptionistPort {
  handleTurn(input: TurnInput): Promise<TurnResult>;
  /** What the customer saw of a conversation (their words and the replies), oldest first. */
  getHistory(input: { tenantId: string; sessionId: string; limit?: number }): Promise<ConversationMessage[]>;
  /** Starts a conversation and issues its bearer token (shown once; only its hash is kept). */
  startConversation(input: { tenantId: string; channel: ChatChannel }): Promise<StartedConversation>;
  /** The tenant's conversation with this token or id; null for unknown and other tenants' alike. */
  findConversation(input: { tenantId: string; token?: string | undefined; sessionId?: string | undefined }): Promise<FoundConversation | null>;
  /**
   * Opens a waitlist offer's link: spends its token, starts a web conversation holding the offer and
   * answers with the offer's summary, so the customer's yes books it. Null when the token is unknown,
   * spent, lapsed or another tenant's.
   */
  openOffer(input: OpenOfferInput): Promise<OpenedOffer | null>;
  /** "Remember me on this device" (identity/devices.ts). */
  devices: DevicePort;
}

/** An opened offer link: the opening turn, the conversation's token and, for a call's handoff link, what was said before. */
export type OpenedOffer = TurnResult &
  StartedConversation & {
    /** The call's conversation before the link was opened (customer and receptionist lines, oldest first); empty for a waitlist offer. */
    history: Array<Pick<ConversationMessage, 'role' | 'content' | 'createdAt'>>;
  };

/** What `openOffer` needs: the link's token, and the turn's context as for `handleTurn`. */
export type OpenOfferInput = { tenantId: string; offerToken: string } & Pick<TurnInput, 'clientAddress' | 'onEvent'>;

// The customer's side of the opening turn: what opening the link says, so the brain (offline or a
// model) presents the offer it finds held for the conversation.
const openOfferText = "I'd like the time you're holding for me.";

const turnSchema = z.object({
  tenantId: z.uuid({ message: 'must be a UUID' }),
  sessionId: z.string().min(1, 'must not be empty').max(200, 'must be at most 200 characters'),
  channel: z.enum(channels, { message: 'must be web, sms or voice' }),
  text: z.string().trim().min(1, 'must not be empty').max(4000, 'must be at most 4000 characters'),
});

function validate(input: TurnInput): void {
  const result = turnSchema.safeParse(input);
  if (result.success) return;
  const issue = result.error.issues[0]!;
  const field = issue.path.join('.') || '(input)';
  throw new AgentError('VALIDATION', `${field}: ${issue.message}`, { field });
}

/** A service's published details, as facts the claim check lets a reply state. */
function describeServiceFacts(service: Service): string {
  const price = service.priceCents === null ? '' : ` ${(service.priceCents / 100).toFixed(2)} ${service.currency ?? 'USD'}`;
  return `${service.name}: ${service.durationMinutes} minutes${price}. ${service.description ?? ''}`;
}

const apology = "I'm sorry, I'm having trouble right now and couldn't finish that. Nothing was booked or changed. Please try again in a moment.";

async function readTenantOpeningHours(pool: Pool, tenantId: string): Promise<OpeningHours[]> {
  return withTenant(pool, tenantId, (client) => readOpeningHours(client, tenantId), { isolation: 'read committed' });
}

/**
 * The claim check's corrections go to the audit log: a model that claims actions it never took is
 * worth knowing about. Only the dropped sentences are kept, redacted.
 */
function recordCorrection(gate: PolicyGate, scope: ToolScope, input: { original: string; corrected: string[] }): void {
  gate.record(scope, {
    action: 'reply.claim_check',
    outcome: 'denied',
    reason: `reply claimed ${input.corrected.join(', ')} without a matching successful tool call this turn; corrected`,
    details: { corrected: input.corrected, original: gate.redact(input.original.slice(0, 1000)) },
  });
}

/**
 * A turn that failed after it opened: its outcomes still reach the audit log (in their own
 * transaction), and the conversation's lease is given back so the next turn need not wait it out.
 */
async function abandonTurn(deps: { gate: PolicyGate; pool: Pool }, turn: { scope: ToolScope; session: Session }): Promise<void> {
  const { scope, session } = turn;
  await withTenant(deps.pool, scope.tenant.id, (client) => deps.gate.writeAudits(client, scope), { isolation: 'read committed' }).catch(() => undefined);
  scope.audits.length = 0;
  await releaseTurn(deps.pool, session).catch(() => undefined);
}

/**
 * Builds the receptionist. Each turn: bind the session to its tenant, let the brain answer through
 * the guarded executor, check the reply for claims no tool backs, and store the turn in one
 * transaction. A provider outage becomes an apology to the customer, never a stack trace.
 */
export function createReceptionist(options: ReceptionistOptions): Receptionist {
  const clock = options.clock ?? systemClock;
  const brain = options.brain ?? createOfflineBrain();
  const farDateConfirmDays = options.config?.farDateConfirmDays ?? 30;
  const maxToolRounds = options.config?.maxToolRounds ?? 6;
  const turnLeaseMs = options.config?.turnLeaseMs ?? 120_000;
  const catalogs = createCatalogCache(options.config?.catalogCacheMs ?? 1000);
  const gate = createPolicyGate({ policy: options.policy, now: () => clock.now() });
  const lookupLimits = { maxFailures: options.config?.lookupMaxFailures ?? defaultLookupLimits.maxFailures, windowMs: options.config?.lookupWindowMs ?? defaultLookupLimits.windowMs };
  const executor = createToolExecutor({ deps: { pool: options.pool, engine: options.engine, clock, farDateConfirmDays, lookupLimits, holdQuota: { ...defaultHoldQuota, ...options.config?.holdQuota }, codeSender: options.codeSender, codeLimits: { ...defaultCodeLimits, ...options.config?.codeLimits } }, gate, onTiming: options.onToolTiming });

  async function think(scope: ToolScope, input: TurnInput, read: { services: Service[]; pendingOffer: PendingOffer | null; isOpening: boolean; failures: { count: number }; stream: ReplyStream }): Promise<BrainReply> {
    const { services, pendingOffer, isOpening, failures, stream } = read;
    const session = scope.session;
    const history = brain.historyLimit > 0 ? await readHistory(options.pool, { tenantId: session.tenantId, sessionId: session.id, limit: brain.historyLimit, includeTools: true }) : [];
    const state = (session.state.brain ?? {}) as Record<string, unknown>;
    return brain.respond({
      tenant: scope.tenant,
      channel: scope.channel,
      text: input.text.trim(),
      now: clock.now(),
      history,
      state,
      contact: session.contact,
      verifiedContact: input.verifiedContact,
      offeredContact: input.offeredContact,
      farDateConfirmDays,
      maxToolRounds,
      callTool: async (name, args) => {
        const result = await executor.execute(scope, { name, args });
        // Staff took the conversation over mid-turn: whatever the model writes next reaches no one.
        if (!result.ok && result.guard === 'staff-holds') stream.stop();
        // A tool that failed inside (not a refusal or a taken slot) counts towards the hand-off.
        if (!result.ok && (result.code === 'FAILED' || result.code === 'BUSY')) failures.count += 1;
        return result;
      },
      emit: scope.emit,
      listServices: async () => services,
      readOpeningHours: () => readTenantOpeningHours(options.pool, scope.tenant.id),
      releaseHolds: () => executor.releaseHolds(scope),
      findUpcomingBookings: () => executor.findUpcomingBookings(scope),
      findReturningCustomer: (contact) => findReturningCustomer({ scope, deps: executor.deps, record: (entry) => gate.record(scope, entry) }, contactOfArgs(contact)),
      needsCode: (action, contact) => needsCode({ scope, deps: executor.deps }, { action, contact: contactOfArgs(contact) }),
      pendingOffer: pendingOffer ? { ...pendingOffer, label: formatSlotLabel(pendingOffer.start, scope.tenant.timeZone), isOpening } : undefined,
      write: stream.write,
      signal: input.signal,
    });
  }

  /** The claim check, with the conversation's record read only for references this turn did not back. */
  async function checkClaims(text: string, turn: { scope: ToolScope; input: TurnInput }): Promise<ReturnType<typeof correctClaims>> {
    const { scope, input } = turn;
    const unbacked = unbackedReferences(text, { ledger: scope.ledger, userText: input.text });
    const recorded = unbacked.length > 0 ? await findRecordedReferences(options.pool, { tenantId: scope.tenant.id, sessionId: scope.session.id, references: unbacked }) : [];
    return correctClaims(text, scope.ledger, { knownReferences: [...findReferences(input.text), ...recorded] });
  }

  /** The honest line about what happens next, from the tenant's weekly hours in its zone. */
  async function whatHappensNext(scope: ToolScope, language: HandoffLanguage): Promise<string> {
    const hours = await readTenantOpeningHours(options.pool, scope.tenant.id);
    return describeWhatHappensNext(hours, { now: clock.now(), timeZone: scope.tenant.timeZone, language });
  }

  /**
   * Saves a turn, and hands the conversation to a person in the same transaction when `handoff` says
   * so. An answer (`isAnswer`) is checked against the hand-off as it commits: a staff member who took
   * the conversation over while the turn ran silences it (saveTurn), and staff hear of the customer's
   * words as for a held turn.
   */
  async function save(scope: ToolScope, turn: { messages: NewMessage[]; handoff?: HandoffReason | undefined; isHeld?: boolean; isAnswer?: boolean }): Promise<SavedTurn> {
    const { session } = scope;
    // The outcomes queued so far ride the statement that saves the turn; a silenced turn's own
    // record follows them in the same transaction.
    const sealed = scope.audits.length;
    const saved = await saveTurn(options.pool, {
      session,
      messages: turn.messages,
      now: clock.now(),
      isAnswer: turn.isAnswer === true,
      audit: gate.auditBatch(scope),
      writeAfter: async (client, { isSilenced }) => {
        // Run again after a deadlock: nothing recorded by the attempt before is kept.
        scope.audits.length = sealed;
        if (turn.handoff && !isSilenced) await markNeedsStaff(client, { tenantId: session.tenantId, sessionId: session.id, channel: scope.channel, reason: turn.handoff, now: clock.now() });
        if (isSilenced) gate.record(scope, { action: 'conversation.hold', outcome: 'succeeded', reason: 'a staff member took this conversation over while the turn ran: its reply was dropped, not sent' });
        // Staff watching the conversation hear of the customer's words at once, whatever the channel.
        if (turn.isHeld || isSilenced) await recordEvent(client, { tenantId: session.tenantId, type: 'conversation.customer_wrote', sessionId: session.id, payload: { channel: scope.channel }, occurredAt: clock.now() });
        await gate.writeAudits(client, scope, sealed);
      },
    });
    scope.audits.length = 0;
    return saved;
  }

  /**
   * The turn the receptionist does not answer: the conversation needs staff or a staff member holds
   * it. The customer's words are stored (staff see them in the console); no brain, no tool.
   */
  async function holdTurn(scope: ToolScope, input: TurnInput): Promise<TurnResult> {
    gate.record(scope, { action: 'conversation.hold', outcome: 'succeeded', reason: `${scope.session.handoff === 'staff' ? 'a staff member holds' : 'waiting for staff on'} this conversation: stored for staff, no reply` });
    await save(scope, { messages: [{ role: 'user', content: input.text }], isHeld: true });
    return { reply: '', events: [], sessionId: scope.session.id };
  }

  /** The customer asked for a person: no brain, the honest line, and the conversation goes to staff. */
  async function handOff(scope: ToolScope, input: TurnInput, language: HandoffLanguage): Promise<TurnResult> {
    const reply = await whatHappensNext(scope, language);
    gate.record(scope, { action: 'conversation.handoff', outcome: 'succeeded', reason: 'the customer asked for a person' });
    scope.session.failureStreak = 0;
    const { isSilenced } = await save(scope, { messages: [{ role: 'user', content: input.text }, { role: 'assistant', content: reply }], handoff: 'asked', isAnswer: true });
    return { reply: isSilenced ? '' : reply, events: [], sessionId: scope.session.id };
  }

  async function runTurn(input: TurnInput, isOpening = false): Promise<TurnResult> {
    const events: TurnEvent[] = [];
    // A turn fails when the brain could not answer (an error event: a provider outage, a thrown
    // brain) or a tool failed inside; two failed turns in a row hand the conversation to a person.
    const failures = { count: 0 };
    const emit = (event: TurnEvent): void => {
      events.push(event);
      if (event.type === 'error') failures.count += 1;
      try {
        input.onEvent?.(event);
      } catch {
        // A failing listener (a closed socket) must not break the turn.
      }
    };
    const catalog = catalogs.get(input.tenantId);
    const opened = await openTurn(options.pool, { tenantId: input.tenantId, sessionId: input.sessionId, channel: input.channel, now: clock.now(), leaseMs: turnLeaseMs, catalog, verifiedPhone: input.verifiedContact?.phone });
    const { tenant, session, services, holds } = opened;
    if (!catalog) catalogs.set(tenant.id, { tenant, services });
    const scope: ToolScope = { tenant, services, session, channel: input.channel, userText: input.text, verifiedContact: input.verifiedContact, offeredContact: input.offeredContact, clientAddress: input.clientAddress, ledger: createLedger(), emit, holds, audits: [] };
    // The services' own details (prices above all) are the business's facts a reply may state (executor/fact-check.ts).
    scope.ledger.facts.push(...services.map(describeServiceFacts));
    try {
      if (session.handoff !== 'ai') return await holdTurn(scope, input);
      const asked = detectPersonRequest(input.text);
      if (asked) return await handOff(scope, input, asked.language);
      emit({ type: 'status', status: 'thinking' });
      let reply: BrainReply;
      const stream = createReplyStream({ ledger: scope.ledger, userText: input.text, emit, signal: input.signal });
      try {
        reply = await think(scope, input, { services, pendingOffer: opened.pendingOffer, isOpening, failures, stream });
      } catch (error) {
        options.onError?.(error, { tenantId: tenant.id, sessionId: session.id });
        emit({ type: 'error', message: error instanceof AgentError ? error.message : 'The assistant could not complete this turn.' });
        // Words already streamed stay said: the apology follows them.
        reply = { text: [stream.written().trim(), apology].filter(Boolean).join(' ') };
      }
      const checked = await checkClaims(reply.text, { scope, input });
      if (checked.corrected.length > 0) recordCorrection(gate, scope, { original: reply.text, corrected: checked.corrected });
      if (reply.state) session.state = { ...session.state, brain: reply.state };
      // The second failed turn in a row hands the conversation to a person, honestly.
      session.failureStreak = failures.count > 0 ? session.failureStreak + 1 : 0;
      const isHandedOff = session.failureStreak >= 2;
      let text = checked.reply;
      if (isHandedOff) {
        gate.record(scope, { action: 'conversation.handoff', outcome: 'succeeded', reason: `the receptionist failed ${session.failureStreak} turns in a row` });
        text = `${text} ${await whatHappensNext(scope, (session.state.brain as { lang?: string } | undefined)?.lang === 'es' ? 'es' : 'en')}`;
        session.failureStreak = 0;
      }
      const messages: NewMessage[] = [{ role: 'user', content: input.text }, ...(reply.messages ?? []), { role: 'assistant', content: text }];
      // Saved before the rest of the reply is sent: a reply staff silenced by taking over is never sent.
      const { isSilenced } = await save(scope, { messages, handoff: isHandedOff ? 'failures' : undefined, isAnswer: true });
      if (!isSilenced) stream.finish(text);
      emit({ type: 'status', status: 'idle' });
      return { reply: isSilenced ? '' : text, events, sessionId: session.id };
    } catch (error) {
      await abandonTurn({ gate, pool: options.pool }, { scope, session });
      throw error;
    }
  }

  // Turns of one conversation in this process wait for each other here, in arrival order, without
  // polling; the lease in the database (openTurn) covers turns arriving at other processes.
  const queues = new Map<string, Promise<unknown>>();
  function enqueue(input: TurnInput, isOpening = false): Promise<TurnResult> {
    const previous = queues.get(input.sessionId) ?? Promise.resolve();
    const turn = previous.catch(() => undefined).then(() => runTurn(input, isOpening));
    queues.set(input.sessionId, turn);
    const forget = (): void => {
      if (queues.get(input.sessionId) === turn) queues.delete(input.sessionId);
    };
    turn.then(forget, forget);
    return turn;
  }

  // Read fresh, not from the catalog cache: a tenant that turns remembering off stops the offers at once.
  async function readSettings(tenantId: string): Promise<Record<string, unknown>> {
    return withTenant(options.pool, tenantId, async (client) => (await readTenant(client, tenantId)).settings, { isolation: 'read committed' });
  }

  const devices: DevicePort = {
    async canRemember(input) {
      return canRememberDevice(options.pool, input);
    },
    async remember(input) {
      return rememberDevice(options.pool, { ...input, settings: await readSettings(input.tenantId), now: clock.now() });
    },
    async open(input) {
      return openWithDevice(options.pool, { ...input, settings: await readSettings(input.tenantId), now: clock.now() });
    },
    forget: (input) => forgetDevice(options.pool, { ...input, now: clock.now() }),
    async revokeForCustomer(input) {
      const contact = contactOfArgs(input);
      if (!contact) throw new AgentError('VALIDATION', 'email or phone: give the customer\'s email or phone (E.164)', { field: 'email' });
      return revokeCustomerDevices(options.pool, { tenantId: input.tenantId, contact, now: clock.now() });
    },
  };

  return {
    devices,
    async handleTurn(input) {
      validate(input);
      return enqueue(input);
    },
    getHistory(input) {
      return readHistory(options.pool, input);
    },
    startConversation(input) {
      return startConversation(options.pool, { ...input, now: clock.now() });
    },
    findConversation(input) {
      return findConversation(options.pool, input);
    },
    async openOffer(input) {
      const redeemed = await redeemOfferLink(options.pool, { tenantId: input.tenantId, offerToken: input.offerToken, now: clock.now() });
      if (!redeemed) return null;
      // Read before the opening turn, so the history is what the caller said and heard on the phone.
      const before = redeemed.isHandoff ? await readHistory(options.pool, { tenantId: input.tenantId, sessionId: redeemed.sessionId, limit: 100 }) : [];
      const result = await enqueue({ tenantId: input.tenantId, sessionId: redeemed.sessionId, channel: 'web', text: openOfferText, clientAddress: input.clientAddress, onEvent: input.onEvent }, true);
      const history = before.filter((m) => m.role !== 'tool').map((m) => ({ role: m.role, content: m.content, createdAt: m.createdAt }));
      return { ...result, token: redeemed.token, history };
    },
  };
}
