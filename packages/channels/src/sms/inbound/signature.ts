// Twilio's request validator alone, not the whole SDK (which is ~18 MB resident).
import { validateRequest } from 'twilio/lib/webhooks/webhooks.js';

export interface VerifySignatureInput {
  authToken: string;
  publicBaseUrl: string;
  /** Path and query as received. */
  url: string;
  headers: Record<string, string | string[] | undefined>;
  params: Record<string, unknown>;
}

function readHeader(headers: VerifySignatureInput['headers'], name: string): string | undefined {
  // Header names are case-insensitive (RFC 9110 §5.1), and Node lower-cases them, but a caller's
  // own object may not.
  const key = Object.keys(headers).find((candidate) => candidate.toLowerCase() === name);
  const value = key === undefined ? undefined : headers[key];
  return Array.isArray(value) ? value[0] : value;
}

/** The URL Twilio requested: the public base (never the Host header, which a proxy rewrites) plus the path. */
export function publicUrlOf(publicBaseUrl: string, url: string): string {
  return `${publicBaseUrl.replace(/\/+$/, '')}${url.startsWith('/') ? url : `/${url}`}`;
}

/**
 * Checks `X-Twilio-Signature` with the Twilio SDK (HMAC-SHA1 of the URL and the sorted form
 * parameters, keyed by the auth token; the SDK also tries the URL with and without a default port).
 */
export function isTwilioSignatureValid(input: VerifySignatureInput): boolean {
  const signature = readHeader(input.headers, 'x-twilio-signature');
  if (!signature) return false;
  return validateRequest(input.authToken, signature, publicUrlOf(input.publicBaseUrl, input.url), input.params);
}
