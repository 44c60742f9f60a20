// Speech in the widget (issue 20, item 6), for businesses that turn it on: the visitor speaks a
// message through the browser's SpeechRecognition and hears the reply through speechSynthesis.
// Where the browser has no recognition (Firefox, most embedded views) there is no button at all,
// rather than one that fails when pressed.
import { useEffect, useRef, useState } from 'preact/hooks';
import { useWidget, useWidgetState } from './context.js';

interface Recognition {
  lang: string;
  interimResults: boolean;
  onresult: ((event: { results: ArrayLike<ArrayLike<{ transcript: string }>> }) => void) | null;
  onend: (() => void) | null;
  onerror: (() => void) | null;
  start(): void;
  stop(): void;
}

type RecognitionConstructor = new () => Recognition;

/** The browser's recognition constructor (standard or Chrome's prefixed one), if any. */
function findRecognition(): RecognitionConstructor | undefined {
  const w = window as unknown as { SpeechRecognition?: RecognitionConstructor; webkitSpeechRecognition?: RecognitionConstructor };
  return w.SpeechRecognition ?? w.webkitSpeechRecognition;
}

/** Speaks a reply in the conversation's language; silent where the browser cannot. */
function speak(text: string, language: string): void {
  if (typeof speechSynthesis === 'undefined' || typeof SpeechSynthesisUtterance === 'undefined') return;
  const utterance = new SpeechSynthesisUtterance(text);
  utterance.lang = language;
  speechSynthesis.cancel();
  speechSynthesis.speak(utterance);
}

/**
 * The microphone button: present only when the business turned speech on (its `settings.widget.speech`,
 * read by `widget.config`), the site did not veto it (`data-speech="off"`) and the browser can listen.
 */
export function MicButton({ isDisabled, isSpeechOn }: { isDisabled: boolean; isSpeechOn: boolean }) {
  const { controller, t, language, speech } = useWidget();
  const state = useWidgetState();
  const [isListening, setListening] = useState(false);
  // The reply to a spoken message is spoken too; a typed one stays quiet.
  const spokenAt = useRef<number | undefined>(undefined);
  const Recognition = isSpeechOn && speech !== false ? findRecognition() : undefined;

  useEffect(() => {
    const last = state.messages.at(-1);
    if (spokenAt.current === undefined || state.isPending || last?.role !== 'assistant') return;
    spokenAt.current = undefined;
    speak(last.text, language);
  }, [state.messages.length, state.isPending]);

  if (!Recognition) return null;
  return (
    <button
      type="button"
      class={isListening ? 'mic on' : 'mic'}
      aria-label={t('speak')}
      aria-pressed={isListening}
      disabled={isDisabled}
      onClick={() => {
        const recognition = new Recognition();
        recognition.lang = language;
        recognition.interimResults = false;
        recognition.onresult = (event) => {
          const transcript = event.results[0]?.[0]?.transcript.trim();
          if (!transcript) return;
          spokenAt.current = state.messages.length;
          void controller.send(transcript);
        };
        recognition.onend = () => setListening(false);
        recognition.onerror = () => setListening(false);
        setListening(true);
        recognition.start();
      }}
    >
      <svg viewBox="0 0 24 24" aria-hidden="true">
        <path d="M12 14a3 3 0 0 0 3-3V5a3 3 0 0 0-6 0v6a3 3 0 0 0 3 3zm5-3a5 5 0 0 1-10 0H5a7 7 0 0 0 6 6.9V21h2v-3.1a7 7 0 0 0 6-6.9z" />
      </svg>
    </button>
  );
}
