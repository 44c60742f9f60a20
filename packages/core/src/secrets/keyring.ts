import { createCipheriv, createDecipheriv, randomBytes } from 'node:crypto';
import { inspect } from 'node:util';
import { BookingError } from '../errors.js';

/** The variable the keys come from (named in every message about them). */
export const encryptionKeysVariable = 'GOMOMO_ENCRYPTION_KEYS';

const keyIdPattern = /^[A-Za-z0-9_-]{1,32}$/;

/**
 * The deployment's encryption keys: the first one seals new values, every one can open. Key
 * material never leaves this object: it prints as its key ids only (logs, `JSON.stringify`).
 */
export interface Keyring {
  /** Key ids in the configured order; the first seals. Empty when no key is configured. */
  readonly ids: readonly string[];
  /** Whether a key with this id is configured. */
  has(keyId: string): boolean;
  /** Seals `plaintext` under the first key, bound to `context` (who it belongs to). */
  seal(plaintext: string, context: string): SealedValue;
  /** Opens a sealed value; `ENCRYPTION_KEY_MISSING` naming the key id when it is not configured. */
  open(sealed: SealedValue, context: string): string;
}

/** A value as stored: which key sealed it, its nonce, ciphertext and GCM tag. */
export interface SealedValue {
  keyId: string;
  nonce: Buffer;
  ciphertext: Buffer;
  tag: Buffer;
}

function invalid(message: string): BookingError {
  return new BookingError('VALIDATION', `${encryptionKeysVariable}: ${message}`, { field: encryptionKeysVariable });
}

/**
 * Parses `id:base64,id2:base64` (each key 32 random bytes, e.g. `openssl rand -base64 32`). There
 * is no default key: the system this project replaced kept its tokens under a hard-coded one.
 * `undefined` or blank gives an empty keyring, which can open and seal nothing.
 */
export function parseEncryptionKeys(value: string | undefined): Keyring {
  const keys = new Map<string, Buffer>();
  for (const entry of (value ?? '').split(',').map((part) => part.trim()).filter(Boolean)) {
    const colon = entry.indexOf(':');
    if (colon < 0) throw invalid('each key is written id:base64 (e.g. k2026:…), separated by commas');
    const id = entry.slice(0, colon);
    if (!keyIdPattern.test(id)) throw invalid(`key id "${id.slice(0, 40)}" must be 1-32 letters, digits, "-" or "_"`);
    if (keys.has(id)) throw invalid(`key id "${id}" is listed twice`);
    const material = entry.slice(colon + 1);
    const key = Buffer.from(material, 'base64');
    if (key.length !== 32 || !/^[A-Za-z0-9+/]+={0,2}$/.test(material)) throw invalid(`key "${id}" must be 32 bytes in base64 (openssl rand -base64 32)`);
    keys.set(id, key);
  }
  return createKeyring(keys);
}

function createKeyring(keys: Map<string, Buffer>): Keyring {
  const ids = [...keys.keys()];
  const keyring: Keyring = {
    ids,
    has: (keyId) => keys.has(keyId),
    seal(plaintext, context) {
      const keyId = ids[0];
      if (keyId === undefined) throw new BookingError('ENCRYPTION_KEY_MISSING', `No encryption key is configured: set ${encryptionKeysVariable} to store secrets`);
      // A random 96-bit nonce per value: with at most a few million values per key the collision
      // chance stays far below NIST SP 800-38D's 2^-32 bound (§8.3).
      const nonce = randomBytes(12);
      const cipher = createCipheriv('aes-256-gcm', keys.get(keyId)!, nonce);
      cipher.setAAD(Buffer.from(context, 'utf8'));
      const ciphertext = Buffer.concat([cipher.update(plaintext, 'utf8'), cipher.final()]);
      return { keyId, nonce, ciphertext, tag: cipher.getAuthTag() };
    },
    open(sealed, context) {
      const key = keys.get(sealed.keyId);
      if (!key) throw missingKeyError([sealed.keyId]);
      const decipher = createDecipheriv('aes-256-gcm', key, sealed.nonce);
      // The context (tenant and name) is authenticated data: a row copied under another tenant or
      // name fails its tag instead of decrypting there.
      decipher.setAAD(Buffer.from(context, 'utf8'));
      decipher.setAuthTag(sealed.tag);
      return Buffer.concat([decipher.update(sealed.ciphertext), decipher.final()]).toString('utf8');
    },
  };
  const printable = { ids };
  Object.defineProperty(keyring, 'toJSON', { value: () => printable });
  Object.defineProperty(keyring, inspect.custom, { value: () => `Keyring(${ids.join(', ') || 'empty'})` });
  return keyring;
}

/** The error a start, a read or the doctor gives when stored values need keys that are not configured. */
export function missingKeyError(keyIds: string[]): BookingError {
  const list = keyIds.map((id) => `"${id}"`).join(', ');
  return new BookingError(
    'ENCRYPTION_KEY_MISSING',
    `Stored secrets are encrypted under key ${keyIds.length === 1 ? 'id' : 'ids'} ${list}, which ${encryptionKeysVariable} does not contain: add ${keyIds.length === 1 ? 'it' : 'them'} back (id:base64, from your backup) before starting`,
    { details: { keyIds } },
  );
}
