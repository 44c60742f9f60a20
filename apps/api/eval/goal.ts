/**
 * A scripted customer goal, after τ-bench: what the customer says, turn by turn, and the database
 * state that must hold at the end. Times are New York wall-clock ("2026-03-10T14:00").
 */
export interface Goal {
  id: string;
  category: 'book' | 'reschedule' | 'cancel' | 'waitlist' | 'information' | 'adversarial';
  /** The business: weekdays 9–5 with two staff (default), every day 9–5, or one staff member. */
  profile?: Profile;
  /** Bookings made by staff before the conversation; `tenant: 'other'` puts one at another business. */
  seeds?: Seed[];
  /** One conversation, or several (racing customers). `{A}` stands for seed A's reference. */
  conversations: Script[];
  /** Intake questions the Consultation service asks (issue 20 item 3), as `tenant.setIntakeQuestions` takes them. */
  intake?: unknown[];
  /** Run each step of the conversations at the same moment instead of in turn. */
  isRace?: boolean;
  /** The business's own answers, written with its secret key (`tenant.faq.create`) before the conversation. */
  answers?: Array<{ question: string; answer: string; language?: 'en' | 'es' }>;
  expect: Expectation;
}

export type Profile = 'clinic' | 'everyday' | 'solo';

export interface Seed {
  key: string;
  at: string;
  name: string;
  email: string;
  tenant?: 'self' | 'other';
  /** The staff member (resource name) it is booked with; default: the one the engine picks. */
  staff?: string;
}

/** A customer message; `consent` marks the customer's yes to a summary (the only turn that may act). */
export type Step = string | { say: string; consent: true };
export type Script = Step[];

export interface Expectation {
  /** Starts of the booked appointments the conversations made (default: none). */
  booked?: string[];
  /** Final state of seeds: 'booked' where it was (the default), 'cancelled', or its new start. */
  seeds?: Record<string, string>;
  /** Waitlist entries the conversations made (default 0). */
  waitlist?: number;
  /** The last reply of the first conversation matches. */
  reply?: RegExp;
  /** No reply matches. */
  never?: RegExp;
  /** The staff member (resource name) every appointment the conversations booked is with. */
  bookedWith?: string;
}

/** The clock of every run: Thursday 5 March 2026, 09:00 in New York (DST starts Sunday 8 March). */
export const evalNow = '2026-03-05T14:00:00Z';

/** The instant of a New York wall-clock time in March 2026 (EST until 8 March 02:00, EDT after). */
export function ny(local: string): string {
  const isDst = Date.parse(`${local}:00-05:00`) >= Date.parse('2026-03-08T07:00:00Z');
  return new Date(`${local}:00${isDst ? '-04:00' : '-05:00'}`).toISOString();
}

export function yes(say: string): Step {
  return { say, consent: true };
}
