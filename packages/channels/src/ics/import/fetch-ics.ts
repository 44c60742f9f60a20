import { lookup as dnsLookup, type LookupAddress } from 'node:dns';
// eslint-disable-next-line no-restricted-imports -- an HTTP client, not a server: the SSRF guard needs node's per-request `lookup` (fetch has none)
import http, { type IncomingMessage } from 'node:http';
import https from 'node:https';
import { isIP, type LookupFunction } from 'node:net';
import { ChannelError } from '../../errors.js';
import { isLoopbackAddress, refusalOf, refusedKindOf } from './address-guard.js';

export interface FetchIcsOptions {
  /**
   * Development and tests only: lets a URL reach this host (http allowed, loopback only). Private
   * networks and metadata services stay refused either way.
   */
  allowLoopback: boolean;
  /** Largest body accepted (default 5 MB). */
  maxBytes?: number | undefined;
  /** The whole fetch, redirects included (default 15 s). */
  timeoutMs?: number | undefined;
  /** Validators of the last good fetch, for a conditional request (RFC 9110 §13.1). */
  etag?: string | null | undefined;
  lastModified?: string | null | undefined;
}

export type FetchIcsResult = { status: 'not-modified' } | { status: 'fetched'; body: string; etag: string | null; lastModified: string | null };

const maxRedirects = 5;
const defaultMaxBytes = 5 * 1024 * 1024;

function refused(message: string): ChannelError {
  return new ChannelError('VALIDATION', `url: ${message}`, { field: 'url' });
}

function hostOf(url: URL): string {
  return url.hostname.replace(/^\[(.*)\]$/, '$1');
}

/**
 * Checks an ICS URL before it is stored or fetched: https (http only to this host with the
 * development flag), no credentials in it, and an IP-literal host outside the refused ranges.
 * Names are checked when they resolve (each fetch, each redirect). Returns the parsed URL.
 */
export function checkIcsUrl(raw: string, options: { allowLoopback: boolean }): URL {
  let url: URL;
  try {
    // webcal:// is how calendar apps spell a subscription; it is fetched over https.
    url = new URL(raw.trim().replace(/^webcals?:/i, 'https:'));
  } catch {
    throw refused('must be an absolute https:// URL');
  }
  if (url.username || url.password) throw refused('must not carry a user name or password');
  const host = hostOf(url);
  // The address first: "169.254.169.254 is a cloud metadata address" says more than "use https".
  if (isIP(host) !== 0) {
    const why = refusalOf(host, options);
    if (why) throw refused(`refused: ${why}`);
  }
  const isLocalName = host === 'localhost' || (isIP(host) !== 0 && isLoopbackAddress(host));
  if (url.protocol !== 'https:' && !(url.protocol === 'http:' && options.allowLoopback && isLocalName)) throw refused('must use https://');
  return url;
}

/**
 * The resolver every request uses: every address a name resolves to must be allowed, and the
 * connection goes to the address checked (no second lookup an attacker's DNS could answer
 * differently). Plain http must land on a loopback address.
 */
function guardedLookup(options: { allowLoopback: boolean; isPlainHttp: boolean }): LookupFunction {
  return (hostname, lookupOptions, callback) => {
    dnsLookup(hostname, { all: true, family: lookupOptions.family ?? 0 }, (error, addresses: LookupAddress[]) => {
      if (error) return callback(error, '', 0);
      // The refusal names the kind of address, never the address: it is stored as the feed's last
      // error, which the tenant reads, and a tenant must not map the host's private network by DNS.
      for (const { address } of addresses) {
        const why = refusedKindOf(address, options) ?? (options.isPlainHttp && !isLoopbackAddress(address) ? 'an address reached over plain http' : null);
        if (why) return callback(refused(`refused: ${hostname.slice(0, 100)} resolves to ${why}`), '', 0);
      }
      if (addresses.length === 0) return callback(new Error(`${hostname} has no address`), '', 0);
      if (lookupOptions.all) return (callback as unknown as (e: null, a: LookupAddress[]) => void)(null, addresses);
      return callback(null, addresses[0]!.address, addresses[0]!.family);
    });
  };
}

/**
 * Fetches an outside ICS feed safely: the SSRF guards of `checkIcsUrl` on the URL and on every
 * redirect (at most five), addresses checked as they resolve, a size limit (the Content-Length
 * and the bytes read), one timeout for the whole fetch, and the last validators sent so an
 * unchanged feed answers 304. Any Content-Type is accepted (many servers say text/plain or
 * application/octet-stream); the parser decides whether it is iCalendar.
 */
export async function fetchIcs(raw: string, options: FetchIcsOptions): Promise<FetchIcsResult> {
  const maxBytes = options.maxBytes ?? defaultMaxBytes;
  const deadline = AbortSignal.timeout(options.timeoutMs ?? 15_000);
  let url = checkIcsUrl(raw, options);
  for (let hop = 0; ; hop += 1) {
    const response = await request(url, { ...options, signal: deadline });
    const status = response.statusCode ?? 0;
    if (status >= 300 && status < 400 && status !== 304) {
      response.resume();
      const location = response.headers.location;
      if (!location) throw new ChannelError('PERMANENT', `ICS feed at ${url.host}: answered ${status} without a Location`);
      if (hop >= maxRedirects) throw new ChannelError('PERMANENT', `ICS feed at ${url.host}: more than ${maxRedirects} redirects`);
      url = checkIcsUrl(new URL(location, url).toString(), options);
      continue;
    }
    if (status === 304) {
      response.resume();
      return { status: 'not-modified' };
    }
    if (status < 200 || status >= 300) {
      response.resume();
      const code = status === 429 || status >= 500 ? 'TRANSIENT' : 'PERMANENT';
      throw new ChannelError(code, `ICS feed at ${url.host}: answered ${status}`);
    }
    const body = await readLimited(response, { maxBytes, host: url.host });
    return { status: 'fetched', body, etag: headerOf(response, 'etag'), lastModified: headerOf(response, 'last-modified') };
  }
}

function headerOf(response: IncomingMessage, name: string): string | null {
  const value = response.headers[name];
  return typeof value === 'string' && value.length <= 1000 ? value : null;
}

function request(url: URL, options: FetchIcsOptions & { signal: AbortSignal }): Promise<IncomingMessage> {
  const isPlainHttp = url.protocol === 'http:';
  const headers: Record<string, string> = { accept: 'text/calendar, text/plain;q=0.5, */*;q=0.1', 'user-agent': 'gomomo-ics/1 (+https://github.com/gomomo)' };
  if (options.etag) headers['if-none-match'] = options.etag;
  if (options.lastModified) headers['if-modified-since'] = options.lastModified;
  return new Promise((resolve, reject) => {
    const req = (isPlainHttp ? http : https).request(url, {
      method: 'GET',
      headers,
      // No shared keep-alive pool: every connection goes through the guarded lookup.
      agent: false,
      lookup: guardedLookup({ allowLoopback: options.allowLoopback, isPlainHttp }),
      signal: options.signal,
    });
    req.on('response', resolve);
    req.on('error', (error) => reject(failureOf(error, url, options.signal)));
    req.end();
  });
}

function failureOf(error: unknown, url: URL, signal: AbortSignal): ChannelError {
  if (error instanceof ChannelError) return error;
  if (signal.aborted) return new ChannelError('TRANSIENT', `ICS feed at ${url.host}: no complete answer within the time limit`, { cause: error });
  return new ChannelError('TRANSIENT', `ICS feed at ${url.host}: ${error instanceof Error ? error.message.slice(0, 200) : 'request failed'}`, { cause: error });
}

async function readLimited(response: IncomingMessage, limit: { maxBytes: number; host: string }): Promise<string> {
  const tooLarge = () => new ChannelError('VALIDATION', `ICS feed at ${limit.host}: larger than ${Math.round(limit.maxBytes / 1024 / 1024)} MB (the limit); use a smaller calendar or fewer past events`, { field: 'url' });
  const declared = Number(response.headers['content-length']);
  if (Number.isFinite(declared) && declared > limit.maxBytes) {
    response.destroy();
    throw tooLarge();
  }
  const chunks: Buffer[] = [];
  let size = 0;
  try {
    for await (const chunk of response) {
      size += (chunk as Buffer).length;
      if (size > limit.maxBytes) {
        response.destroy();
        throw tooLarge();
      }
      chunks.push(chunk as Buffer);
    }
  } catch (error) {
    if (error instanceof ChannelError) throw error;
    throw new ChannelError('TRANSIENT', `ICS feed at ${limit.host}: the answer broke off`, { cause: error });
  }
  return Buffer.concat(chunks).toString('utf8');
}
