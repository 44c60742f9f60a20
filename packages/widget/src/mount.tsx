import { render } from 'preact';
import { createTranslator, resolveLanguage } from './i18n/strings.js';
import { takeOfferToken } from './offer-link.js';
import { createController, type Controller } from './state/controller.js';
import type { WidgetEventName, WidgetEvents } from './state/emitter.js';
import { createClientTransport } from './transport/client-transport.js';
import type { WidgetTransport } from './transport/transport.js';
import type { Contact } from './types.js';
import { App } from './ui/app.js';
import { Widget } from './ui/context.js';
import { styles } from './ui/styles.js';

export interface WidgetOptions {
  /** The API's origin, e.g. `https://api.gomomo.example`. */
  baseUrl: string;
  /** A publishable key (`pk_…`) whose tenant allows this page's origin. */
  apiKey: string;
  /** Names the stored conversation, so two businesses on one site keep separate chats. */
  tenant?: string;
  /** Accent colour (any CSS colour); hosts can also set `--gomomo-accent`. */
  color?: string;
  position?: 'left' | 'right';
  greeting?: string;
  title?: string;
  /** BCP 47 tag; default: the page's `<html lang>`, then the browser's language. */
  language?: string;
  /** Open the panel right away. */
  open?: boolean;
  /**
   * Speech in the widget: a microphone button (the browser's SpeechRecognition, where it exists)
   * and spoken replies to spoken messages (speechSynthesis). The business turns it on in its
   * settings (`settings.widget.speech`); `false` is the site's veto.
   */
  speech?: boolean;
  /** Where the widget's host element goes (default `document.body`). */
  container?: HTMLElement;
  /** Replaces the API connection (another backend, or a test). */
  transport?: WidgetTransport;
  /** Default `localStorage`; pass `null` to keep nothing across reloads. */
  storage?: Storage | null;
}

/** A mounted widget, driven by the host page. */
export interface WidgetHandle {
  open(): void;
  close(): void;
  toggle(): void;
  send(text: string): Promise<void>;
  /** Tells the receptionist who the visitor is, so it need not ask. */
  identify(contact: Contact): void;
  on<K extends WidgetEventName>(name: K, listener: (payload: WidgetEvents[K]) => void): () => void;
  destroy(): void;
}

function defaultStorage(): Storage | undefined {
  try {
    return window.localStorage;
  } catch {
    return undefined; // Access throws in sandboxed iframes and with cookies blocked.
  }
}

/**
 * Mounts the chat widget into a Shadow DOM on the current page.
 * @example mountWidget({ baseUrl: 'https://api.example', apiKey: 'pk_live_…', language: 'es' })
 */
export function mountWidget(options: WidgetOptions): WidgetHandle {
  // First of all, so the token leaves the address bar before anything else can read or keep it.
  const offerToken = takeOfferToken();
  const language = resolveLanguage(options.language ?? (document.documentElement.lang || navigator.language));
  const baseUrl = options.baseUrl.replace(/\/+$/, '');
  const transport = options.transport ?? createClientTransport({ baseUrl, apiKey: options.apiKey });
  const storage = options.storage === null ? undefined : (options.storage ?? defaultStorage());
  const controller: Controller = createController({ transport, storage, storageKey: `gomomo:${options.tenant ?? options.apiKey.slice(-12)}` });
  if (options.open) controller.open();

  const host = document.createElement('div');
  host.setAttribute('data-gomomo', '');
  const shadow = host.attachShadow({ mode: 'open' });
  const style = document.createElement('style');
  style.textContent = styles;
  shadow.appendChild(style);
  const root = document.createElement('div');
  shadow.appendChild(root);
  (options.container ?? document.body).appendChild(host);

  const context = { controller, t: createTranslator(language), language, domain: new URL(baseUrl).host, now: Date.now, speech: options.speech !== false };
  render(
    <Widget.Provider value={context}>
      <App title={options.title} greeting={options.greeting} position={options.position === 'left' ? 'left' : 'right'} color={options.color} />
    </Widget.Provider>,
    root,
  );
  controller.events.emit('ready', undefined);
  void controller.loadConfig();
  if (offerToken) void controller.openOffer(offerToken);

  return {
    open: () => controller.open(),
    close: () => controller.close(),
    toggle: () => controller.toggle(),
    send: (text) => controller.send(text),
    identify: (contact) => controller.identify(contact),
    on: (name, listener) => controller.events.on(name, listener),
    destroy() {
      render(null, root);
      controller.destroy();
      host.remove();
    },
  };
}
