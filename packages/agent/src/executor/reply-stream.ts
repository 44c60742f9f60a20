import type { TurnEvent } from '../types.js';
import { isClaimFree, type TurnLedger } from './claim-check.js';

// The same sentence split as correctClaims, so every sentence released early is one it keeps.
const sentencePattern = /[^.!?\n]+[.!?…]*\s*|\n+/g;

/** A reply written piece by piece, released to the customer sentence by sentence. */
export interface ReplyStream {
  /** A piece of the reply as the brain writes it. */
  write(delta: string): void;
  /** Everything written so far, as written. */
  written(): string;
  /** The turn's checked reply: sends what the customer has not yet seen of it. */
  finish(reply: string): void;
  /** Sends nothing more, not even at `finish` (staff took the conversation over mid-turn). */
  stop(): void;
}

/**
 * Streams a reply under the claim check. A complete sentence that claims nothing is sent as soon as
 * it is written; the first sentence that claims an outcome (or names a reference nothing backs) is
 * held, with everything after it, until the whole reply has been checked, and then the rest of the
 * checked reply is sent. What was sent is therefore always the start of the checked reply: released
 * sentences carry no claim, so correctClaims keeps them, and trailing white space is sent only with
 * the words that follow it (correctClaims trims the reply it rebuilds).
 *
 * After `signal` fires nothing more is sent. A reply that does not start with what was sent (it
 * cannot, short of a bug) is not patched up: the turn's `reply` stays the authority.
 */
export function createReplyStream(context: { ledger: TurnLedger; userText: string; emit: (event: TurnEvent) => void; signal?: AbortSignal | undefined }): ReplyStream {
  let text = '';
  /** How far into `text` sentences have been released (or skipped as leading white space). */
  let decided = 0;
  let sent = '';
  let gap = '';
  let isHeld = false;
  let isStopped = false;
  const isAborted = () => isStopped || context.signal?.aborted === true;

  function send(delta: string): void {
    if (delta === '' || isAborted()) return;
    sent += delta;
    context.emit({ type: 'text', delta });
  }

  function release(): void {
    if (sent === '') {
      const lead = /^\s*/.exec(text.slice(decided))![0].length;
      decided += lead;
    }
    const sentences = text.slice(decided).match(sentencePattern) ?? [];
    // The last sentence may still grow, unless it already ends in a stop (or a line break) and white space.
    const last = sentences.at(-1);
    const complete = last !== undefined && /([.!?]\s|\n)\s*$/.test(last) ? sentences : sentences.slice(0, -1);
    for (const sentence of complete) {
      if (!isClaimFree(sentence, context)) {
        isHeld = true;
        return;
      }
      const words = sentence.trimEnd();
      send(gap + words);
      gap = sentence.slice(words.length);
      decided += sentence.length;
    }
  }

  return {
    write(delta) {
      text += delta;
      if (!isHeld && !isAborted()) release();
    },
    written: () => text,
    finish(reply) {
      // A brain that wrote nothing (the offline one) sends its reply whole, with no text events.
      if (text === '' || !reply.startsWith(sent)) return;
      send(reply.slice(sent.length));
    },
    stop() {
      isStopped = true;
    },
  };
}
