// The script-tag entry (dist/widget.js). It reads its settings from the <script> tag's data
// attributes, replaces the snippet's queueing stub with the real `gomomo` function and replays
// what the page asked for before the bundle arrived. It defines no other global.
import { mountWidget, type WidgetHandle, type WidgetOptions } from './mount.js';

type Command = (handle: WidgetHandle, args: unknown[]) => unknown;

interface GomomoFunction {
  (name: string, ...args: unknown[]): unknown;
  q?: ArrayLike<unknown>[];
  loaded?: boolean;
}

const commands: Record<string, Command> = {
  open: (handle) => handle.open(),
  close: (handle) => handle.close(),
  toggle: (handle) => handle.toggle(),
  send: (handle, [text]) => handle.send(String(text)),
  identify: (handle, [contact]) => handle.identify((contact ?? {}) as Parameters<WidgetHandle['identify']>[0]),
  on: (handle, [name, listener]) => (typeof listener === 'function' ? handle.on(name as 'booking', listener as () => void) : undefined),
  destroy: (handle) => handle.destroy(),
};

function findScript(): HTMLScriptElement | null {
  const current = document.currentScript;
  if (current instanceof HTMLScriptElement) return current;
  return document.querySelector<HTMLScriptElement>('script[data-key][src*="widget"]');
}

/** Options from `data-*` attributes; `data-api` overrides the API origin (default: the script's own). */
function readOptions(script: HTMLScriptElement | null): Partial<WidgetOptions> {
  if (!script) return {};
  const data = script.dataset;
  const options: Partial<WidgetOptions> = {};
  const base = data.api ?? (script.src ? new URL(script.src, location.href).origin : undefined);
  if (base) options.baseUrl = base;
  if (data.key) options.apiKey = data.key;
  if (data.tenant) options.tenant = data.tenant;
  if (data.color) options.color = data.color;
  if (data.position === 'left' || data.position === 'right') options.position = data.position;
  if (data.greeting) options.greeting = data.greeting;
  if (data.title) options.title = data.title;
  if (data.language) options.language = data.language;
  if (data.open === 'true' || data.open === '') options.open = true;
  // The business turns speech on in its settings; the site may only veto it.
  if (data.speech === 'off' || data.speech === 'false') options.speech = false;
  return options;
}

function boot(): void {
  const existing = (window as { gomomo?: GomomoFunction }).gomomo;
  if (existing?.loaded) return; // Loaded twice (two tags, or tag + snippet): the first one wins.
  let options = readOptions(findScript());
  const queue: unknown[][] = Array.from(existing?.q ?? [], (call) => Array.from(call));
  let handle: WidgetHandle | undefined;

  function run(call: unknown[]): unknown {
    const [name, ...args] = call;
    if (name === 'init') {
      options = { ...options, ...(args[0] as Partial<WidgetOptions>) };
      return undefined;
    }
    if (!handle) return void queue.push(call);
    const command = commands[String(name)];
    if (!command) return console.warn(`gomomo: unknown command "${String(name)}"`);
    return command(handle, args);
  }

  const gomomo: GomomoFunction = (name, ...args) => run([name, ...args]);
  gomomo.loaded = true;
  (window as { gomomo?: GomomoFunction }).gomomo = gomomo;

  function start(): void {
    const calls = queue.splice(0);
    for (const call of calls.filter(([name]) => name === 'init')) run(call);
    if (!options.apiKey || !options.baseUrl) {
      console.warn('gomomo: missing data-key on the widget <script> tag (or gomomo("init", { apiKey, baseUrl }))');
      return;
    }
    handle = mountWidget(options as WidgetOptions);
    for (const call of calls.filter(([name]) => name !== 'init')) run(call);
  }

  if (document.body) start();
  else document.addEventListener('DOMContentLoaded', start, { once: true });
}

boot();
