import type { BookingInfo, ChatMessage } from '../types.js';

/** What a host page can listen to with `gomomo('on', name, fn)`. */
export interface WidgetEvents {
  ready: undefined;
  open: undefined;
  close: undefined;
  message: ChatMessage;
  booking: BookingInfo;
  error: { problem: string };
}

export type WidgetEventName = keyof WidgetEvents;
type Listener<K extends WidgetEventName> = (payload: WidgetEvents[K]) => void;

export interface Emitter {
  on<K extends WidgetEventName>(name: K, listener: Listener<K>): () => void;
  emit<K extends WidgetEventName>(name: K, payload: WidgetEvents[K]): void;
}

/** A tiny typed emitter; a listener that throws is reported, never allowed to break the widget. */
export function createEmitter(): Emitter {
  const listeners = new Map<string, Set<(payload: unknown) => void>>();
  return {
    on(name, listener) {
      const set = listeners.get(name) ?? new Set();
      set.add(listener as (payload: unknown) => void);
      listeners.set(name, set);
      return () => set.delete(listener as (payload: unknown) => void);
    },
    emit(name, payload) {
      for (const listener of listeners.get(name) ?? []) {
        try {
          listener(payload);
        } catch (error) {
          console.error('gomomo: an event listener threw', error);
        }
      }
    },
  };
}
