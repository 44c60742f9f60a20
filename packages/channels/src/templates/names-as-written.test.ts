import { namesAsWritten } from '@gomomo/core/testing';
import { describe, expect, it } from 'vitest';
import { buildIcs } from '../ics/build-ics.js';
import { formatSmsReply } from '../sms/format/format-reply.js';
import { smsEncoding } from '../sms/format/segments.js';
import { toSmsText } from '../sms/format/plain-text.js';
import { escapeHtml, renderEmail } from './email-templates.js';
import { isGsm7 } from './gsm7.js';
import { renderSms } from './sms-templates.js';
import { locales, type TemplateData } from './types.js';

const base: TemplateData = {
  businessName: 'Demo Clinic',
  clientName: 'Ana López',
  serviceName: 'Consultation',
  start: '2026-12-05T15:00:00-05:00',
  end: '2026-12-05T15:30:00-05:00',
  timeZone: 'America/New_York',
  reference: 'GM-7K3Q9',
};

// SMS turns a typographic apostrophe into GSM-7's own ("D’Souza" → "D'Souza"): still an
// apostrophe, and one character that would not force UCS-2 on its own. Letters are never touched.
const inSms = (name: string): string => name.replace(/\u2019/g, "'");

/** An .ics content line unfolded and unescaped (RFC 5545 §3.1, §3.3.11). */
function icsValue(ics: string, property: string): string {
  const unfolded = ics.replace(/\r\n /g, '');
  const line = unfolded.split('\r\n').find((l) => l.startsWith(`${property}:`))!;
  return line.slice(property.length + 1).replace(/\\([,;\\])/g, '$1').replace(/\\n/g, '\n');
}

// Issue 12, "names lose their letters": every channel keeps a name's letters as written; a name
// GSM-7 cannot carry sends the SMS as UCS-2 instead of being transliterated.
describe('names are kept as written', () => {
  it.each(namesAsWritten)('SMS: a reply to "$kept" keeps the name (UCS-2 when needed)', ({ kept }) => {
    const text = toSmsText(`To confirm: Consultation on Mon, Mar 9, 9:00 AM for ${kept} (guest@example.com). Shall I book it?`);
    expect(text).toContain(`for ${inSms(kept)} (`);
    expect(smsEncoding(text)).toBe(isGsm7(inSms(kept)) ? 'GSM-7' : 'UCS-2');
    expect(formatSmsReply({ reply: `Thanks, ${kept}!`, events: [] } as unknown as Parameters<typeof formatSmsReply>[0])).toContain(inSms(kept));
  });

  it.each(namesAsWritten)('SMS templates keep a business named "$kept"', ({ kept }) => {
    for (const locale of locales) expect(renderSms('confirmation', locale, { ...base, businessName: kept })).toContain(inSms(kept));
  });

  it.each(namesAsWritten)('email: "$kept" in the greeting, text and HTML', ({ kept }) => {
    for (const locale of locales) {
      const email = renderEmail('confirmation', locale, { ...base, clientName: kept, businessName: `Clínica ${kept}` });
      expect(email.text).toContain(kept);
      expect(email.html).toContain(escapeHtml(kept));
    }
  });

  it.each(namesAsWritten)('.ics: "$kept" in summary, description and location', ({ kept }) => {
    const ics = buildIcs({ uid: 'u1@gomomo', start: base.start, end: base.end, summary: `Consultation — ${kept}`, description: `Booking for ${kept}, ref GM-7K3Q9`, location: kept, stamp: new Date('2026-12-01T00:00:00Z') });
    expect(icsValue(ics, 'SUMMARY')).toBe(`Consultation — ${kept}`);
    expect(icsValue(ics, 'DESCRIPTION')).toBe(`Booking for ${kept}, ref GM-7K3Q9`);
    expect(icsValue(ics, 'LOCATION')).toBe(kept);
  });
});
