import { randomInt } from 'node:crypto';

/** Read aloud and typed from an SMS: no 0/O, 1/I/L to confuse. 31 symbols → 28.6 million codes. */
export const referenceAlphabet = '23456789ABCDEFGHJKMNPQRSTUVWXYZ';

/** A fresh "GM-XXXXX" code from a cryptographic source, so references cannot be guessed in order. */
export function generateReference(): string {
  let code = '';
  for (let i = 0; i < 5; i++) code += referenceAlphabet[randomInt(referenceAlphabet.length)];
  return `GM-${code}`;
}
