import type { Contact, ChatMessage, TurnResult } from '../types.js';
import type { WidgetTransport } from '../transport/transport.js';
import { classifyProblem } from '../transport/problems.js';
import { createEmitter, type Emitter } from './emitter.js';
import { loadState, readStored, saveState, writeStored } from './persist.js';
import { reduce, type Action, type WidgetState } from './state.js';
import { startPush } from './push.js';

export interface ControllerOptions {
  transport: WidgetTransport;
  storage?: Storage;
  storageKey: string;
  now?: () => number;
}

/** The widget's behaviour without its looks: state, calls, push, timers and host events. */
export interface Controller {
  getState(): WidgetState;
  subscribe(listener: () => void): () => void;
  dispatch(action: Action): void;
  send(text: string): Promise<void>;
  /** Opens a waitlist offer link's token: the panel opens on a new conversation showing the offer. */
  openOffer(offerToken: string): Promise<void>;
  /** Reads the business's widget settings (speech). */
  loadConfig(): Promise<void>;
  /** The customer accepted "Remember me on this device". */
  rememberDevice(): Promise<void>;
  /** "Forget this device": the server revokes the token and the device keeps nothing of it. */
  forgetDevice(): Promise<void>;
  retry(messageId: string): Promise<void>;
  open(): void;
  close(): void;
  toggle(): void;
  identify(contact: Contact): void;
  events: Emitter;
  destroy(): void;
}

let counter = 0;
function nextId(prefix: string): string {
  counter += 1;
  return `${prefix}${Date.now().toString(36)}${counter}`;
}

/** How long before a hold lapses the visitor is warned (holds last minutes, so one is plenty). */
const holdWarningMs = 60_000;

export function createController(options: ControllerOptions): Controller {
  const { transport, storage, storageKey } = options;
  const now = options.now ?? Date.now;
  const events = createEmitter();
  const listeners = new Set<() => void>();
  // The device token lives under its own key and is the only thing kept there: never the contact.
  const deviceKey = `${storageKey}:device`;
  let deviceToken = readStored(storage, deviceKey);
  let state: WidgetState = { ...loadState(storage, storageKey), ...(deviceToken ? { device: 'remembered' as const } : {}) };
  let contact: Contact | undefined;
  let stopPush: (() => void) | undefined;
  let holdTimer: ReturnType<typeof setTimeout> | undefined;

  function dispatch(action: Action): void {
    const previous = state;
    state = reduce(state, action);
    if (state === previous) return;
    saveState(storage, storageKey, state);
    if (state.sessionToken && state.sessionToken !== previous.sessionToken) connectPush(state.sessionToken);
    if (state.hold !== previous.hold) scheduleHoldWarning();
    for (const listener of listeners) listener();
  }

  function connectPush(sessionToken: string): void {
    stopPush?.();
    stopPush = startPush({ transport, sessionToken, getState: () => state, dispatch, nextId });
  }

  function scheduleHoldWarning(): void {
    if (holdTimer) clearTimeout(holdTimer);
    const hold = state.hold;
    if (!hold) return;
    const expiresAt = Date.parse(hold.expiresAt);
    const warnIn = Math.max(0, expiresAt - holdWarningMs - now());
    holdTimer = setTimeout(() => {
      if (state.hold?.holdId !== hold.holdId) return;
      const minutes = Math.max(1, Math.round((expiresAt - now()) / 60_000));
      dispatch({ type: 'card', card: { id: nextId('c'), key: 'push.holdExpiring', vars: { minutes } } });
    }, warnIn);
  }

  // A customer's name and email are context for the receptionist, sent once with the first message
  // after `identify`, so the agent need not ask for what the host site already knows.
  function withContact(text: string): string {
    if (!contact) return text;
    const known = [contact.name && `my name is ${contact.name}`, contact.email && `my email is ${contact.email}`, contact.phone && `my phone is ${contact.phone}`].filter(Boolean);
    contact = undefined;
    return known.length > 0 ? `${text}\n(${known.join(', ')})` : text;
  }

  function finishTurn(result: TurnResult): void {
    if (result.device === 'refused') dropDevice();
    const replyId = nextId('a');
    dispatch({ type: 'turn', result, replyId });
    const reply = state.messages.find((message) => message.id === replyId);
    if (reply) events.emit('message', reply);
    if (reply?.booking) events.emit('booking', reply.booking);
  }

  /**
   * Sends in the stored conversation. One the server no longer knows (closed, or from before
   * server-issued tokens) is dropped, and the message starts a new conversation instead.
   */
  async function sendInConversation(text: string): Promise<TurnResult> {
    const { sessionToken } = state;
    const device = deviceToken ? { deviceToken } : {};
    try {
      return await transport.send(sessionToken ? { sessionToken, text } : { text, ...device });
    } catch (error) {
      if (!sessionToken || (error as { data?: { code?: string } } | null)?.data?.code !== 'SESSION_NOT_FOUND') throw error;
      stopPush?.();
      stopPush = undefined;
      return transport.send({ text, ...device });
    }
  }

  /** Drops the device token here (the server refused it, or the customer asked to be forgotten). */
  function dropDevice(): void {
    deviceToken = undefined;
    writeStored(storage, deviceKey, undefined);
    dispatch({ type: 'device', device: undefined });
  }

  // The server remembers a conversation once: a second click while the first is on its way (or
  // after it) would only come back refused, as an error toast over a device that was remembered.
  let remembering: Promise<void> | null = null;
  function rememberDevice(): Promise<void> {
    remembering ??= rememberOnce().finally(() => {
      remembering = null;
    });
    return remembering;
  }

  async function rememberOnce(): Promise<void> {
    const { sessionToken } = state;
    if (!sessionToken || !transport.rememberDevice || state.device === 'remembered') return;
    try {
      deviceToken = await transport.rememberDevice(sessionToken);
      writeStored(storage, deviceKey, deviceToken);
      dispatch({ type: 'device', device: 'remembered' });
    } catch (error) {
      dispatch({ type: 'device', device: undefined });
      dispatch({ type: 'toast', toast: { id: nextId('t'), key: 'error.generic' } });
      events.emit('error', { problem: classifyProblem(error) });
    }
  }

  async function forgetDevice(): Promise<void> {
    const token = deviceToken;
    // Forgotten here first: the device keeps nothing even when the server cannot be reached.
    dropDevice();
    if (token) await transport.forgetDevice?.(token).catch(() => undefined);
  }

  async function send(text: string): Promise<void> {
    const trimmed = text.trim();
    if (!trimmed || state.isPending || state.blocked) return;
    const message: ChatMessage = { id: nextId('u'), role: 'user', text: trimmed };
    dispatch({ type: 'send', message });
    try {
      finishTurn(await sendInConversation(withContact(trimmed)));
    } catch (error) {
      let problem = classifyProblem(error);
      if (problem === 'network' && (await transport.isOriginRefused())) problem = 'forbidden';
      dispatch({ type: 'failed', messageId: message.id, problem, toastId: nextId('t') });
      events.emit('error', { problem });
    }
  }

  async function openOffer(offerToken: string): Promise<void> {
    if (!transport.openOffer) return;
    dispatch({ type: 'open' });
    events.emit('open', undefined);
    try {
      const result = await transport.openOffer(offerToken);
      // The offer's conversation replaces the stored one; a spent link leaves that one as it was.
      stopPush?.();
      stopPush = undefined;
      // A call's handoff link: what was said on the phone shows above the opening reply.
      const history = (result.history ?? []).map((entry): ChatMessage => ({ id: nextId(entry.role === 'user' ? 'u' : 'a'), role: entry.role, text: entry.content }));
      dispatch({ type: 'offer', history });
      finishTurn(result);
    } catch (error) {
      const problem = (error as { data?: { code?: string } } | null)?.data?.code === 'NOT_FOUND' ? 'offer_gone' : classifyProblem(error);
      dispatch({ type: 'failed', messageId: '', problem, toastId: nextId('t') });
      events.emit('error', { problem });
    }
  }

  if (state.sessionToken) connectPush(state.sessionToken);
  scheduleHoldWarning();

  return {
    getState: () => state,
    subscribe(listener) {
      listeners.add(listener);
      return () => listeners.delete(listener);
    },
    dispatch,
    send,
    openOffer,
    async loadConfig() {
      const config = await transport.config?.().catch(() => undefined);
      if (config) dispatch({ type: 'config', isSpeechOn: config.speech === true });
    },
    rememberDevice,
    forgetDevice,
    async retry(messageId) {
      const message = state.messages.find((candidate) => candidate.id === messageId);
      if (!message) return;
      dispatch({ type: 'retry', messageId });
      await send(message.text);
    },
    open() {
      if (state.isOpen) return;
      dispatch({ type: 'open' });
      events.emit('open', undefined);
    },
    close() {
      if (!state.isOpen) return;
      dispatch({ type: 'close' });
      events.emit('close', undefined);
    },
    toggle() {
      if (state.isOpen) this.close();
      else this.open();
    },
    identify(next) {
      contact = { ...contact, ...next };
    },
    events,
    destroy() {
      stopPush?.();
      if (holdTimer) clearTimeout(holdTimer);
      listeners.clear();
    },
  };
}
