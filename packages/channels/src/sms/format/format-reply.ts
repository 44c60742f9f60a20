import { z } from 'zod';
import { countSmsSegments, fitSmsSegments } from './segments.js';
import { toSmsText } from './plain-text.js';

/** The most parts one SMS reply may take; longer replies are shortened. */
export const maxReplySegments = 3;

const slotsEventSchema = z.object({
  type: z.literal('slots'),
  slots: z.array(z.object({ start: z.string(), label: z.string().min(1) })),
});

export interface FormatSmsReplyInput {
  /** The receptionist's reply, possibly with markdown. */
  reply: string;
  /** The turn's events; a `slots` event becomes a numbered list when the reply lacks one. */
  events?: readonly unknown[] | undefined;
  /** Default 3. */
  maxSegments?: number | undefined;
}

/** The last slots the turn offered: the list a customer's "2" refers to. */
function findOfferedSlots(events: readonly unknown[]): Array<{ label: string }> {
  for (let i = events.length - 1; i >= 0; i--) {
    const parsed = slotsEventSchema.safeParse(events[i]);
    if (parsed.success) return parsed.data.slots;
  }
  return [];
}

function numberedList(slots: Array<{ label: string }>): string {
  return slots.map((slot, index) => `${index + 1}. ${toSmsText(slot.label)}`).join('\n');
}

/** True when the reply already lists every slot (the offline brain writes its own numbered list). */
function listsEverySlot(text: string, slots: Array<{ label: string }>): boolean {
  return slots.every((slot) => text.includes(toSmsText(slot.label)));
}

/**
 * A receptionist reply written for SMS: plain text in GSM-7 where possible, offered slots as a
 * numbered list the customer can answer with "2", at most `maxSegments` parts. When the list makes
 * the reply too long, the list loses its last entries first (the numbers of the rest stay right, as
 * the conversation numbers slots in the order offered), then the text is shortened.
 *
 * @example formatSmsReply({ reply: 'Here are **some** times:', events: [{ type: 'slots', slots }] })
 * // → 'Here are some times:\n1. Tue Dec 1, 3:00 PM\n2. …\nReply with the number you want.'
 */
export function formatSmsReply(input: FormatSmsReplyInput): string {
  const maxSegments = input.maxSegments ?? maxReplySegments;
  const text = toSmsText(input.reply);
  const slots = findOfferedSlots(input.events ?? []);
  if (slots.length === 0 || listsEverySlot(text, slots)) return fitSmsSegments(text, maxSegments);
  for (let count = slots.length; count >= 1; count--) {
    const body = [text, numberedList(slots.slice(0, count)), 'Reply with the number you want.'].filter(Boolean).join('\n');
    if (countSmsSegments(body) <= maxSegments) return body;
  }
  return fitSmsSegments(`${text}\n${numberedList(slots.slice(0, 1))}`, maxSegments);
}
