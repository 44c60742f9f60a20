// The one-time code step of the offline brain (issue 20 item 1): before a booking found by its
// reference is shown or changed, the contact on it is proven with a code sent there. The flow that
// asked (move, cancel, check) goes on by itself once the code matches.
import { proofOf } from './find-by-phone.js';
import type { ToolResult } from '../../executor/types.js';
import type { Say } from './offer.js';
import { startFlow, type Ctx } from './state.js';

const codePattern = /(?<!\d)(\d{3})[\s-]?(\d{3})(?!\d)/;

/** The six digits of a code in a message ("123456", "123 456"), if there are any. */
export function findCode(text: string): string | undefined {
  const match = codePattern.exec(text);
  return match ? `${match[1]}${match[2]}` : undefined;
}

function wantsNewCode(text: string): boolean {
  return /\b(new|another|resend|send (it )?again|didn'?t (get|receive)|nuevo|otro|reenv)/i.test(text);
}

/** Sends a code to the contact the customer gave for the booking (the tool checks the pair first). */
export function sendCode(ctx: Ctx): Promise<ToolResult> {
  const { s, turn } = ctx;
  return turn.callTool('send_code', { reference: s.reference!, ...proofOf(ctx), language: s.lang ?? 'en' });
}

/** What to say after send_code succeeded; the next message is read as the code. */
export function describeSent(ctx: Ctx, data: Record<string, unknown>): string {
  const { s } = ctx;
  if (data.sent !== true) {
    startFlow(s, 'idle');
    return "I can't send another security code right now. Please try again later, or contact the business directly.";
  }
  s.step = 'code';
  const where = data.via === 'email' ? 'email address' : 'phone number';
  return `To keep your booking safe, I've sent a 6-digit code to the ${where} on booking ${s.reference!} (${String(data.to)}). Please type it here; it's valid for ${String(data.validMinutes)} minutes.`;
}

/**
 * Reads the customer's answer to "please type the code". Null once the code matched (the contact is
 * proven for the rest of the conversation and the flow goes on); otherwise what to say.
 */
export async function readCode(ctx: Ctx): Promise<Say> {
  const { s, turn } = ctx;
  const code = findCode(turn.text);
  if (!code) {
    if (wantsNewCode(turn.text)) {
      const sent = await sendCode(ctx);
      return sent.ok ? describeSent(ctx, sent.data) : "Sorry, I couldn't send a new code just now. Please try again in a moment.";
    }
    return 'Please type the 6-digit code I sent you, or say "send a new code".';
  }
  const result = await turn.callTool('verify_code', { oneTimeCode: code });
  if (!result.ok) return "Sorry, I couldn't check that code just now. Please type it again in a moment.";
  const d = result.data;
  if (d.proven === true) {
    s.step = null;
    return null;
  }
  if (d.reason === 'wrong') return `That code doesn't match. Please check it and try again (${String(d.triesLeft)} ${d.triesLeft === 1 ? 'try' : 'tries'} left).`;
  if (d.reason === 'expired') return 'That code has expired. Say "send a new code" and I\'ll send you another one.';
  startFlow(s, 'idle');
  return 'That code is locked after too many wrong tries, so I can\'t show or change the booking in this conversation. You can ask again later, or contact the business directly.';
}
