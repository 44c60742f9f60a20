import { hasTime, type Ctx } from './state.js';

// A question, as customers write them: a question mark, or an opening question word.
const questionPattern =
  /\?\s*$|^\s*(what|where|how|is there|are there|do you|does|can i|can you|should i|will i|which|who|why|when)\b|^\s*¿|^\s*(qu[eé]|d[oó]nde|c[oó]mo|cu[aá]nto|cu[aá]l|hay|aceptan|tienen|puedo|debo|se puede)\b/i;

// "What is your cancellation policy?" names the cancel intent but asks about the rules, not a booking.
const policyPattern = /\b(policy|policies|pol[ií]tica|how far in advance|deadline|plazo|antelaci[oó]n)\b/i;

// About the assistant itself, not the business: the help reply answers it.
const aboutAssistant = /\b(what can you do|can you help|help me|how does this work|are you (a )?(bot|robot|human|person|real)|qu[eé] puedes hacer|puedes ayudar|ay[uú]dame)\b/i;

const notKnown = {
  en: "I'm sorry, I don't have an answer to that — the business hasn't told me. I can book, reschedule or cancel an appointment, or tell you our hours and services.",
  es: 'Lo siento, no tengo una respuesta para eso: el negocio no me lo ha indicado. Puedo ayudarle a reservar, cambiar o cancelar una cita, o decirle nuestros horarios y servicios.',
};
const anythingElse = { en: 'Anything else I can help with?', es: '¿Puedo ayudarle en algo más?' };

/**
 * The business's own answers (issue 20, item 4), through the read-only `answer_question` tool, so
 * the answer is audited and backs the reply at the claim check. A question no booking step is
 * waiting for is looked up; a match is answered in the business's words; no match, while nothing
 * else would take the message, is said plainly. Null leaves the message to the other flows.
 */
export async function answerFromFaq(ctx: Ctx): Promise<string | null> {
  const { s, u, turn } = ctx;
  const text = turn.text;
  const asksPolicy = policyPattern.test(text);
  if (!questionPattern.test(text) || (u.intent && !asksPolicy)) return null;
  if (aboutAssistant.test(text) || u.isGreeting || u.isThanks || u.isInjection) return null;
  if (hasTime(ctx.time) || u.email || u.phone || u.reference || u.choice !== null || u.asksHours || u.asksIdentity) return null;
  // Mid-booking, a name or a yes is awaited: only a question clearly about something else is looked up.
  if (s.step === 'details' || s.step === 'confirm' || s.step === 'manage_confirm' || s.step === 'far_confirm') return null;
  const lang = s.lang ?? 'en';
  const result = await turn.callTool('answer_question', { question: text, language: lang });
  const answers = result.ok ? (result.data.answers as Array<{ answer: string }>) : [];
  if (answers.length > 0) return `${answers[0]!.answer} ${anythingElse[lang]}`;
  // Nothing written about it: other flows may still take "how much is a consultation?".
  if (s.flow !== 'idle' || u.service || u.asksServices) return null;
  return notKnown[lang];
}
