// GSM 03.38 default alphabet and its extension table (3GPP TS 23.038 §6.2.1). A message made only of
// these characters travels in 7-bit encoding: 160 characters per single SMS. One character outside
// it switches the whole message to UCS-2, 70 characters per SMS, so we replace typography where we
// can — but never the letters of a name.
const basic =
  '@£$¥èéùìòÇ\nØø\rÅåΔ_ΦΓΛΩΠΨΣΘΞÆæßÉ !"#¤%&\'()*+,-./0123456789:;<=>?¡ABCDEFGHIJKLMNOPQRSTUVWXYZÄÖÑÜ§¿abcdefghijklmnopqrstuvwxyzäöñüà';
/** Extension characters cost two septets each (escape + character). */
const extension = '^{}\\[~]|€\f';

const basicSet = new Set(basic);
const extensionSet = new Set(extension);

/** Replacements for common characters outside GSM-7 that have an obvious look-alike inside it. */
const lookAlikes: Record<string, string> = {
  '\u2018': "'",
  '\u2019': "'",
  '\u201C': '"',
  '\u201D': '"',
  '\u2013': '-',
  '\u2014': '-',
  '\u2026': '...',
  '\u00A0': ' ',
  '\u00B7': '.',
};

/** True when every character of `text` is in the GSM-7 default alphabet or its extension. */
export function isGsm7(text: string): boolean {
  for (const char of text) if (!basicSet.has(char) && !extensionSet.has(char)) return false;
  return true;
}

/** Length in septets (extension characters count twice), i.e. what the 160 limit applies to. */
export function countGsm7Septets(text: string): number {
  let count = 0;
  for (const char of text) count += extensionSet.has(char) ? 2 : 1;
  return count;
}

/** How far `toGsm7` may go. */
export interface ToGsm7Options {
  /**
   * Also drop accents GSM-7 lacks (á → a). Only for our own fixed words (a Spanish weekday, "sáb"):
   * never for names, which are kept as written; a name with letters outside GSM-7 sends the whole
   * message as UCS-2 instead. Default false.
   */
  foldAccents?: boolean | undefined;
}

/**
 * Rewrites typographic characters outside GSM-7 into their GSM-7 look-alikes (quotes, dashes,
 * ellipsis, odd spaces). Letters are kept as written, so "José Núñez" stays José Núñez and the
 * message goes as UCS-2; only `foldAccents` (for our own words, never names) drops accents.
 */
export function toGsm7(text: string, options: ToGsm7Options = {}): string {
  let out = '';
  for (const char of text) {
    if (basicSet.has(char) || extensionSet.has(char)) {
      out += char;
      continue;
    }
    const lookAlike = lookAlikes[char];
    if (lookAlike !== undefined) {
      out += lookAlike;
      continue;
    }
    if (!options.foldAccents) {
      out += char;
      continue;
    }
    const stripped = char.normalize('NFD').replace(/\p{Mn}/gu, '');
    out += stripped !== char && isGsm7(stripped) ? stripped : char;
  }
  return out;
}

/** Characters one SMS segment can hold for this text: 160 in GSM-7, 70 in UCS-2. */
export function singleSegmentLimit(text: string): number {
  return isGsm7(text) ? 160 : 70;
}

/** Length in the unit the carrier counts: septets for GSM-7, UTF-16 code units for UCS-2. */
export function measureSms(text: string): number {
  return isGsm7(text) ? countGsm7Septets(text) : text.length;
}
