import { useLayoutEffect, useRef } from 'preact/hooks';
import { useWidget, useWidgetState } from './context.js';
import { Panel } from './panel.js';

export interface AppProps {
  title?: string;
  greeting?: string;
  position: 'left' | 'right';
  color?: string;
}

const panelId = 'gomomo-panel';

/** Launcher and panel. Focus moves into the panel on open and back to the launcher on close. */
export function App({ title, greeting, position, color }: AppProps) {
  const { controller, t } = useWidget();
  const state = useWidgetState();
  const launcher = useRef<HTMLButtonElement>(null);
  const wasOpen = useRef(state.isOpen);
  useLayoutEffect(() => {
    if (wasOpen.current && !state.isOpen) launcher.current?.focus();
    wasOpen.current = state.isOpen;
  }, [state.isOpen]);
  return (
    <div class={position === 'left' ? 'r left' : 'r'} style={color ? { '--gm-color': color } : undefined} data-state={state.isOpen ? 'open' : 'closed'}>
      <button
        ref={launcher}
        type="button"
        class="l"
        aria-label={state.isOpen ? t('close') : t('open')}
        aria-expanded={state.isOpen}
        aria-controls={panelId}
        onClick={() => controller.toggle()}
      >
        <svg viewBox="0 0 24 24" aria-hidden="true">
          {state.isOpen ? <path d="M18.3 5.7 12 12l6.3 6.3-1.4 1.4L10.6 13.4 4.3 19.7 2.9 18.3 9.2 12 2.9 5.7l1.4-1.4 6.3 6.3 6.3-6.3z" /> : <path d="M4 3h16a2 2 0 0 1 2 2v11a2 2 0 0 1-2 2H8l-5 4V5a2 2 0 0 1 2-2z" />}
        </svg>
      </button>
      {state.isOpen && <Panel id={panelId} state={state} title={title ?? t('title')} greeting={greeting ?? t('greeting')} />}
    </div>
  );
}
