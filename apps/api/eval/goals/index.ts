import type { Goal } from '../goal.js';
import { adversarialGoals } from './adversarial.js';
import { bookGoals } from './book.js';
import { handoffGoals } from './handoff.js';
import { faqGoals } from './faq.js';
import { identityGoals } from './identity.js';
import { intakeGoals } from './intake.js';
import { returningGoals } from './returning.js';
import { cancelGoals, rescheduleGoals } from './manage.js';
import { spanishGoals } from './spanish.js';
import { informationGoals, waitlistGoals } from './waitlist-info.js';

/** Every scripted goal of `pnpm eval`. */
export const goals: Goal[] = [...bookGoals, ...rescheduleGoals, ...cancelGoals, ...waitlistGoals, ...informationGoals, ...spanishGoals, ...adversarialGoals, ...handoffGoals, ...faqGoals, ...identityGoals, ...intakeGoals, ...returningGoals];
