import { describe, expect, it } from 'vitest';
import { isGsm7, measureSms, toGsm7 } from './gsm7.js';
import { renderSms } from './sms-templates.js';
import { locales, templateNames, type TemplateData } from './types.js';

const typical: TemplateData = {
  businessName: 'Demo Clinic',
  clientName: 'Ana López',
  serviceName: 'Initial consultation',
  start: '2026-12-05T15:00:00-05:00',
  end: '2026-12-05T15:30:00-05:00',
  timeZone: 'America/New_York',
  reference: 'GM-7K3Q9',
  expiresAt: '2026-12-01T15:15:00-05:00',
};

const longNames: TemplateData = {
  ...typical,
  businessName: 'Family Dental Practice of Mrs Martinez and Associates',
  serviceName: 'Deep cleaning with complete orthodontic review and x-rays',
};

// Names with letters GSM-7 lacks are kept as written: the SMS goes as UCS-2.
const accentedNames: TemplateData = {
  ...typical,
  businessName: 'Clínica Dental Familiar de la Señora Martínez y Asociados',
  serviceName: 'Limpieza profunda con revisión ortodóncica completa y radiografías',
};

// A Saturday: Spanish "sáb" carries an accent GSM-7 lacks, so transliteration is exercised.
const saturday: TemplateData = { ...typical, start: '2026-12-05T10:00:00-05:00' };

const singleSegmentCases = ['confirmation', 'reminder'].flatMap((template) =>
  locales.flatMap((locale) =>
    [
      ['typical data', typical],
      ['long business and service names', longNames],
      ['a Saturday', saturday],
    ].map(([label, data]) => ({ template, locale, label: label as string, data: data as TemplateData })),
  ),
);

describe('renderSms', () => {
  it.each(singleSegmentCases)('keeps the $locale $template SMS in one GSM-7 segment with $label', ({ template, locale, data }) => {
    const body = renderSms(template as 'confirmation' | 'reminder', locale, data);
    expect(isGsm7(body)).toBe(true);
    expect(measureSms(body)).toBeLessThanOrEqual(160);
    expect(body).toContain('GM-7K3Q9');
    expect(body).toContain('STOP');
  });

  it.each(templateNames.flatMap((template) => locales.map((locale) => ({ template, locale }))))(
    'renders the $locale $template SMS as GSM-7 within two segments',
    ({ template, locale }) => {
      const body = renderSms(template, locale, longNames);
      expect(isGsm7(body)).toBe(true);
      expect(measureSms(body)).toBeLessThanOrEqual(306);
    },
  );

  it.each(templateNames.flatMap((template) => locales.map((locale) => ({ template, locale }))))(
    'keeps accented names as written in the $locale $template SMS (UCS-2, one part more at most)',
    ({ template, locale }) => {
      const body = renderSms(template, locale, { ...typical, businessName: 'Clínica Núñez', serviceName: 'Revisión' });
      expect(body).toContain('Clínica Núñez');
      expect(body).toContain('Revisión');
      expect(isGsm7(body)).toBe(false);
      expect(measureSms(body)).toBeLessThanOrEqual(template === 'confirmation' || template === 'reminder' ? 134 : 201);
      const long = renderSms(template, locale, accentedNames);
      expect(long).toMatch(/^Clínica/);
      expect(measureSms(long)).toBeLessThanOrEqual(template === 'confirmation' || template === 'reminder' ? 134 : 201);
    },
  );

  it('shows the time in the tenant zone, not UTC', () => {
    expect(renderSms('confirmation', 'en', typical)).toContain('Sat Dec 5, 3:00 PM');
    expect(renderSms('confirmation', 'es', typical)).toContain('sab 5 dic, 15:00');
  });
});

describe('toGsm7', () => {
  it.each([
    ['“quoted” – dash…', '"quoted" - dash...'],
    ['plain text', 'plain text'],
    ['José Núñez, Zoë Ågren', 'José Núñez, Zoë Ågren'],
  ])('rewrites %j as %j', (input, expected) => {
    expect(toGsm7(input)).toBe(expected);
  });

  it('drops accents only when asked, for our own words', () => {
    expect(toGsm7('sáb á é í ó ú ñ', { foldAccents: true })).toBe('sab a é i o u ñ');
  });

  it('keeps characters with no GSM-7 equivalent, so the message falls back to UCS-2', () => {
    expect(isGsm7(toGsm7('王小明'))).toBe(false);
  });
});
