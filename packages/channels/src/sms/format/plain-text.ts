import { toGsm7 } from '../../templates/gsm7.js';

// Characters toGsm7 leaves alone that a model or a locale-aware formatter produces often. Each one
// would switch a whole reply to UCS-2 (70 instead of 160 characters per SMS): twice the cost for
// one bullet or one narrow no-break space before "PM".
const lookAlikes: Record<string, string> = {
  '\u2022': '-', // •
  '\u25CF': '-', // ●
  '\u2010': '-',
  '\u2011': '-',
  '\u2012': '-',
  '\u2015': '-',
  '\u2212': '-', // minus sign
  '\u2032': "'", // prime
  '\u2033': '"',
  '\u201A': ',',
  '\u201E': '"',
  '\u00AB': '"',
  '\u00BB': '"',
  '\u2039': "'",
  '\u203A': "'",
  '\u202F': ' ', // narrow no-break space (ICU puts it before AM/PM)
  '\u2009': ' ',
  '\u2007': ' ',
  '\t': ' ',
  '\u2192': '->',
  '\u00D7': 'x',
};
const zeroWidth = /[\u200B-\u200D\u2060\uFEFF]/g;

/**
 * Markdown turned into plain text: SMS shows asterisks and brackets literally. Links keep their
 * address ("Book here (https://…)"), bullets become "- ", emphasis and headings lose their marks.
 */
export function stripMarkdown(text: string): string {
  return text
    .replace(/```[a-z]*\n?([\s\S]*?)```/g, '$1')
    .replace(/`([^`\n]+)`/g, '$1')
    .replace(/!?\[([^\]\n]+)\]\(([^)\s]+)\)/g, (_match, label: string, url: string) => (label === url ? url : `${label} (${url})`))
    .replace(/^[ \t]{0,3}#{1,6}[ \t]+/gm, '')
    .replace(/^[ \t]{0,3}>[ \t]?/gm, '')
    .replace(/^[ \t]*([-*_])([ \t]*\1){2,}[ \t]*$/gm, '')
    .replace(/^([ \t]*)[*+•][ \t]+/gm, '$1- ')
    .replace(/(\*\*\*|___)(\S(?:[^\n]*?\S)?)\1/g, '$2')
    .replace(/(\*\*|__)(\S(?:[^\n]*?\S)?)\1/g, '$2')
    .replace(/(^|[\s(])\*(\S(?:[^*\n]*?\S)?)\*(?=[\s).,!?:;]|$)/gm, '$1$2')
    .replace(/(^|[\s(])_(\S(?:[^_\n]*?\S)?)_(?=[\s).,!?:;]|$)/gm, '$1$2');
}

/**
 * Text made ready for an SMS: no markdown, characters outside GSM-7 replaced by their nearest
 * GSM-7 look-alike where one exists (curly quotes, dashes, bullets, odd spaces), trailing spaces and
 * runs of blank lines removed. Characters with no look-alike (emoji, CJK) are kept.
 */
export function toSmsText(text: string): string {
  let out = '';
  for (const char of stripMarkdown(text.replace(/\r\n?/g, '\n').replace(zeroWidth, ''))) out += lookAlikes[char] ?? char;
  return toGsm7(out)
    .replace(/[ ]+$/gm, '')
    .replace(/[ ]{2,}/g, ' ')
    .replace(/\n{3,}/g, '\n\n')
    .trim();
}
