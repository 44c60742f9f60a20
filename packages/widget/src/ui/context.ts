import { createContext } from 'preact';
import { useContext, useEffect, useState } from 'preact/hooks';
import type { Translate } from '../i18n/strings.js';
import type { Controller } from '../state/controller.js';
import type { WidgetState } from '../state/state.js';

export interface WidgetContext {
  controller: Controller;
  t: Translate;
  language: string;
  /** Host of the API, for .ics UIDs. */
  domain: string;
  now: () => number;
  /** False when the site vetoes speech (`data-speech="off"`); the business's setting decides otherwise. */
  speech?: boolean;
}

export const Widget = createContext<WidgetContext>(undefined as unknown as WidgetContext);

export function useWidget(): WidgetContext {
  return useContext(Widget);
}

/** Re-renders on every state change of the controller. */
export function useWidgetState(): WidgetState {
  const { controller } = useWidget();
  const [state, setState] = useState(controller.getState());
  useEffect(() => {
    setState(controller.getState());
    return controller.subscribe(() => setState(controller.getState()));
  }, [controller]);
  return state;
}
