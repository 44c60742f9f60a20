import { describe, expect, it } from 'vitest';
import { WireError } from '../transport/wire.js';
import type { WidgetTransport } from '../transport/transport.js';
import { createController } from './controller.js';

function memoryStorage(items = new Map<string, string>()): Storage {
  return {
    get length() {
      return items.size;
    },
    clear: () => items.clear(),
    getItem: (key) => items.get(key) ?? null,
    key: (index) => [...items.keys()][index] ?? null,
    removeItem: (key) => void items.delete(key),
    setItem: (key, value) => void items.set(key, String(value)),
  };
}

const staleToken = `gms_${'s'.repeat(43)}`;
const freshToken = `gms_${'f'.repeat(43)}`;

describe('createController', () => {
  it('starts a new conversation when the server no longer knows the stored one, and keeps the new token', async () => {
    const sent: (string | undefined)[] = [];
    const transport: WidgetTransport = {
      async send({ sessionToken, text }) {
        sent.push(sessionToken);
        if (sessionToken === staleToken) throw new WireError('No conversation matches this session', { code: 'SESSION_NOT_FOUND', httpStatus: 404 });
        return { reply: `You said ${text}`, events: [], sessionToken: freshToken };
      },
      history: () => Promise.resolve([]),
      eventsSince: () => Promise.resolve([]),
      subscribe: () => () => undefined,
      isOriginRefused: () => Promise.resolve(false),
    };
    const storage = memoryStorage();
    storage.setItem('k', JSON.stringify({ v: 2, isOpen: true, sessionToken: staleToken, messages: [] }));
    const controller = createController({ transport, storage, storageKey: 'k' });
    await controller.send('hello');
    expect(sent).toEqual([staleToken, undefined]);
    expect(controller.getState()).toMatchObject({ sessionToken: freshToken });
    expect(controller.getState().messages.at(-1)).toMatchObject({ role: 'assistant', text: 'You said hello' });
    expect(JSON.parse(storage.getItem('k')!)).toMatchObject({ sessionToken: freshToken });
    controller.destroy();
  });

  it('does not start over on any other failure', async () => {
    let calls = 0;
    const transport: WidgetTransport = {
      async send() {
        calls += 1;
        throw new WireError('Too many requests', { code: 'RATE_LIMITED', httpStatus: 429 });
      },
      history: () => Promise.resolve([]),
      eventsSince: () => Promise.resolve([]),
      subscribe: () => () => undefined,
      isOriginRefused: () => Promise.resolve(false),
    };
    const storage = memoryStorage();
    storage.setItem('k', JSON.stringify({ v: 2, isOpen: true, sessionToken: staleToken, messages: [] }));
    const controller = createController({ transport, storage, storageKey: 'k' });
    await controller.send('hello');
    expect(calls).toBe(1);
    expect(controller.getState().sessionToken).toBe(staleToken);
    controller.destroy();
  });

  it('opens an offer link on a new conversation that replaces the stored one, and says so when the link is spent', async () => {
    const opened: string[] = [];
    const transport: WidgetTransport = {
      send: () => Promise.reject(new Error('not used')),
      async openOffer(offerToken) {
        opened.push(offerToken);
        if (opened.length > 1) throw new WireError('This offer link is unknown, already used or expired', { code: 'NOT_FOUND', httpStatus: 404 });
        return { reply: 'To confirm: Consultation on Wed, Dec 2, 10:00 AM for Bea (bea@example.com). Shall I book it?', events: [], sessionToken: freshToken };
      },
      history: () => Promise.resolve([]),
      eventsSince: () => Promise.resolve([]),
      subscribe: () => () => undefined,
      isOriginRefused: () => Promise.resolve(false),
    };
    const storage = memoryStorage();
    storage.setItem('k', JSON.stringify({ v: 2, isOpen: false, sessionToken: staleToken, messages: [{ id: 'u1', role: 'user', text: 'old chat' }] }));
    const controller = createController({ transport, storage, storageKey: 'k' });
    await controller.openOffer(`gmo_${'o'.repeat(43)}`);
    expect(controller.getState()).toMatchObject({ isOpen: true, isPending: false, sessionToken: freshToken });
    expect(controller.getState().messages.map((m) => m.text)).toEqual(['To confirm: Consultation on Wed, Dec 2, 10:00 AM for Bea (bea@example.com). Shall I book it?']);
    expect(JSON.parse(storage.getItem('k')!)).toMatchObject({ sessionToken: freshToken });
    await controller.openOffer(`gmo_${'o'.repeat(43)}`);
    expect(controller.getState().toasts.map((t) => t.key)).toEqual(['error.offerGone']);
    expect(controller.getState().sessionToken).toBe(freshToken);
    controller.destroy();
  });

  it('presents a remembered device only when a conversation starts, and drops it when the server refuses it', async () => {
    const deviceToken = `gmd_${'d'.repeat(43)}`;
    const calls: { sessionToken?: string; deviceToken?: string }[] = [];
    const transport: WidgetTransport = {
      async send({ sessionToken, deviceToken: device }) {
        calls.push({ ...(sessionToken ? { sessionToken } : {}), ...(device ? { deviceToken: device } : {}) });
        return { reply: 'Hi', events: [], sessionToken: freshToken, ...(calls.length === 2 ? { device: 'refused' as const } : {}) };
      },
      history: () => Promise.resolve([]),
      eventsSince: () => Promise.resolve([]),
      subscribe: () => () => undefined,
      isOriginRefused: () => Promise.resolve(false),
    };
    const storage = memoryStorage();
    storage.setItem('k:device', deviceToken);
    const controller = createController({ transport, storage, storageKey: 'k' });
    expect(controller.getState().device).toBe('remembered');
    await controller.send('hello');
    await controller.send('again');
    expect(calls).toEqual([{ deviceToken }, { sessionToken: freshToken }]);
    // The second answer refused the device (as a new conversation's would): nothing of it is kept.
    expect(storage.getItem('k:device')).toBeNull();
    expect(controller.getState().device).toBeUndefined();
  });

  it('remembers the device on the customer\'s yes, and forgets it here even when the server cannot be reached', async () => {
    const deviceToken = `gmd_${'r'.repeat(43)}`;
    const forgotten: string[] = [];
    const transport: WidgetTransport = {
      send: async () => ({ reply: 'Proven', events: [], sessionToken: freshToken, device: 'offer' }),
      rememberDevice: async (sessionToken) => (sessionToken === freshToken ? deviceToken : ''),
      forgetDevice: async (token) => {
        forgotten.push(token);
        throw new WireError('Network error');
      },
      history: () => Promise.resolve([]),
      eventsSince: () => Promise.resolve([]),
      subscribe: () => () => undefined,
      isOriginRefused: () => Promise.resolve(false),
    };
    const storage = memoryStorage();
    const controller = createController({ transport, storage, storageKey: 'k' });
    await controller.send('123456');
    expect(controller.getState().device).toBe('offer');
    await controller.rememberDevice();
    expect(controller.getState().device).toBe('remembered');
    expect(storage.getItem('k:device')).toBe(deviceToken);
    await controller.forgetDevice();
    expect(forgotten).toEqual([deviceToken]);
    expect(storage.getItem('k:device')).toBeNull();
    expect(controller.getState().device).toBeUndefined();
  });

  it('remembers the device once when the customer clicks twice, with no error shown', async () => {
    const asked: string[] = [];
    const transport: WidgetTransport = {
      send: async () => ({ reply: 'Proven', events: [], sessionToken: freshToken, device: 'offer' }),
      rememberDevice: async (sessionToken) => {
        asked.push(sessionToken);
        if (asked.length > 1) throw new WireError('Cannot remember this device: this conversation already has a remembered device', { code: 'FORBIDDEN', httpStatus: 403 });
        return `gmd_${'t'.repeat(43)}`;
      },
      history: () => Promise.resolve([]),
      eventsSince: () => Promise.resolve([]),
      subscribe: () => () => undefined,
      isOriginRefused: () => Promise.resolve(false),
    };
    const controller = createController({ transport, storage: memoryStorage(), storageKey: 'k' });
    await controller.send('123456');
    await Promise.all([controller.rememberDevice(), controller.rememberDevice()]);
    await controller.rememberDevice();
    expect(asked).toEqual([freshToken]);
    expect(controller.getState().device).toBe('remembered');
    expect(controller.getState().toasts).toEqual([]);
  });

  it('opens a call\'s "text me a link" on the call\'s conversation: what was said above the held slot\'s question', async () => {
    const transport: WidgetTransport = {
      send: () => Promise.reject(new Error('not used')),
      openOffer: () =>
        Promise.resolve({
          reply: 'Just to be sure: shall I book Consultation on Tue, Dec 1, 10:30 AM? Please answer yes or no.',
          events: [],
          sessionToken: `gms_${'c'.repeat(43)}`,
          history: [
            { id: 0, role: 'user', content: 'I would like a consultation on Tuesday morning' },
            { id: 1, role: 'assistant', content: "I'm holding Tue, Dec 1, 10:30 AM for Consultation for you." },
          ],
        }),
      history: () => Promise.resolve([]),
      eventsSince: () => Promise.resolve([]),
      subscribe: () => () => undefined,
      isOriginRefused: () => Promise.resolve(false),
    };
    const controller = createController({ transport, storage: memoryStorage(), storageKey: 'k' });
    await controller.openOffer(`gmo_${'h'.repeat(43)}`);
    expect(controller.getState().messages.map((m) => [m.role, m.text])).toEqual([
      ['user', 'I would like a consultation on Tuesday morning'],
      ['assistant', "I'm holding Tue, Dec 1, 10:30 AM for Consultation for you."],
      ['assistant', 'Just to be sure: shall I book Consultation on Tue, Dec 1, 10:30 AM? Please answer yes or no.'],
    ]);
    controller.destroy();
  });
});
