import { useEffect, useRef, useState } from 'preact/hooks';
import type { WidgetState } from '../state/state.js';
import { useWidget } from './context.js';
import { MessageList } from './messages.js';
import { ForgetDevice } from './device.js';
import { MicButton } from './speech.js';

function Toasts({ state }: { state: WidgetState }) {
  const { controller, t } = useWidget();
  return (
    <div class="tw" role="alert">
      {state.toasts.map((toast) => (
        <div class="to" key={toast.id}>
          <p>{t(toast.key)}</p>
          <button type="button" aria-label={t('dismiss')} onClick={() => controller.dispatch({ type: 'dismissToast', id: toast.id })}>
            ×
          </button>
        </div>
      ))}
    </div>
  );
}

function Composer({ state }: { state: WidgetState }) {
  const { controller, t } = useWidget();
  const [text, setText] = useState('');
  const input = useRef<HTMLInputElement>(null);
  useEffect(() => input.current?.focus(), []);
  return (
    <form
      class="fm"
      onSubmit={(event) => {
        event.preventDefault();
        if (!text.trim() || state.isPending) return;
        void controller.send(text);
        setText('');
      }}
    >
      <input
        ref={input}
        type="text"
        value={text}
        maxLength={2000}
        autoComplete="off"
        aria-label={t('inputLabel')}
        placeholder={t('placeholder')}
        onInput={(event) => setText((event.target as HTMLInputElement).value)}
      />
      <MicButton isDisabled={state.isPending} isSpeechOn={state.isSpeechOn === true} />
      <button type="submit" disabled={state.isPending || !text.trim()} aria-label={t('send')}>
        ➤
      </button>
    </form>
  );
}

export interface PanelProps {
  id: string;
  state: WidgetState;
  title: string;
  greeting: string;
}

/** The open chat: a non-modal dialog, so the host page stays usable beside it. Escape closes it. */
export function Panel({ id, state, title, greeting }: PanelProps) {
  const { controller, t } = useWidget();
  const list = useRef<HTMLDivElement>(null);
  const lastCount = state.messages.length + state.cards.length + (state.isPending ? 1 : 0);
  useEffect(() => {
    const element = list.current?.querySelector('.m');
    if (element) element.scrollTop = element.scrollHeight;
  }, [lastCount, state.status, state.streaming]);
  return (
    <div
      class="p"
      id={id}
      role="dialog"
      aria-modal="false"
      aria-label={title}
      ref={list}
      onKeyDown={(event) => {
        if (event.key === 'Escape') controller.close();
      }}
    >
      <div class="h">
        <div>
          <h2>{title}</h2>
          <p>{t('automated')}</p>
        </div>
        <ForgetDevice state={state} />
        <button type="button" class="x" aria-label={t('close')} onClick={() => controller.close()}>
          ×
        </button>
      </div>
      {state.blocked && (
        <p class="n" role="alert">
          {t(`error.${state.blocked}`)}
        </p>
      )}
      <MessageList state={state} greeting={greeting} />
      <Toasts state={state} />
      {!state.blocked && <Composer state={state} />}
    </div>
  );
}
