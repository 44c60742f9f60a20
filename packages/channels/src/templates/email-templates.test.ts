import { describe, expect, it } from 'vitest';
import { renderEmail } from './email-templates.js';
import { locales, templateNames, type TemplateData } from './types.js';

const data: TemplateData = {
  businessName: 'Demo <Clinic>',
  clientName: 'Ana "Annie" López',
  serviceName: 'Cleaning & check-up',
  start: '2026-12-01T15:00:00-05:00',
  end: '2026-12-01T15:30:00-05:00',
  timeZone: 'America/New_York',
  reference: 'GM-7K3Q9',
  previousStart: '2026-11-30T10:00:00-05:00',
  expiresAt: '2026-12-01T10:15:00-05:00',
};

describe('renderEmail', () => {
  it.each(templateNames.flatMap((template) => locales.map((locale) => ({ template, locale }))))(
    'renders a subject, text and escaped HTML for $locale $template',
    ({ template, locale }) => {
      const email = renderEmail(template, locale, data);
      expect(email.subject.length).toBeGreaterThan(5);
      expect(email.text).toContain('Ana "Annie" López');
      expect(email.html).toContain('Demo &lt;Clinic&gt;');
      expect(email.html).not.toContain('<Clinic>');
      expect(email.html).toContain(`lang="${locale}"`);
    },
  );

  it('states the time in the tenant zone with its abbreviation', () => {
    expect(renderEmail('confirmation', 'en', data).text).toContain('Tuesday, December 1, 2026 at 3:00 PM EST');
  });
});
