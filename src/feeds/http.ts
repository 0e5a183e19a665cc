/**
 * One polite HTTP GET with the limits untrusted servers need: the resolved address checked on every
 * hop (see address.ts), at most `maxRedirects` redirects and no loop, a deadline, a size cap counted
 * after decompression, gzip/deflate/br, and conditional headers. Built on node:http rather than fetch
 * because fetch cannot check the address a name resolves to before it connects.
 */
import { lookup as dnsLookup, type LookupAddress } from 'node:dns';
import http, { type IncomingHttpHeaders, type IncomingMessage } from 'node:http';
import https from 'node:https';
import type { LookupFunction } from 'node:net';
import { isIP } from 'node:net';
import zlib from 'node:zlib';
import { blockedReason } from './address.ts';

/** Why a fetch failed, for the feed's state and for `/feeds add`. */
export type FetchFailureKind =
  | 'bad_url'
  | 'blocked'
  | 'redirects'
  | 'too_large'
  | 'timeout'
  | 'network'
  | 'http';

export type FetchResult =
  | { ok: true; status: 200; url: string; body: Buffer; headers: IncomingHttpHeaders }
  | { ok: true; status: 304; url: string; headers: IncomingHttpHeaders }
  | {
      ok: false;
      kind: FetchFailureKind;
      message: string;
      status?: number;
      headers?: IncomingHttpHeaders;
    };

export interface FetchOptions {
  /** Sent as User-Agent: who is asking and where to read about it. */
  userAgent: string;
  accept: string;
  /** Stop reading past this many bytes (after decompression). */
  maxBytes: number;
  /** Default 5. */
  maxRedirects?: number;
  /** Deadline for the whole fetch, redirects included. */
  timeoutMs: number;
  /** Loopback and private addresses too (tests, intranets); link-local stays blocked. */
  allowPrivate: boolean;
  /** Conditional GET: the validators of the last 200. */
  etag?: string | undefined;
  lastModified?: string | undefined;
  signal?: AbortSignal | undefined;
}

class Blocked extends Error {}

/** A DNS lookup that refuses a name when any address it resolves to is blocked. */
function guardedLookup(allowPrivate: boolean): LookupFunction {
  return (hostname, options, callback) => {
    dnsLookup(hostname, { all: true, family: options.family ?? 0 }, (err, addresses: LookupAddress[]) => {
      if (err) return callback(err, '', 0);
      for (const a of addresses) {
        const why = blockedReason(a.address, allowPrivate);
        if (why !== undefined) return callback(new Blocked(`${hostname} resolves to ${why}`), '', 0);
      }
      if (options.all === true)
        return (callback as unknown as (e: null, a: LookupAddress[]) => void)(null, addresses);
      const first = addresses[0];
      if (first === undefined) return callback(new Error(`${hostname} has no address`), '', 0);
      callback(null, first.address, first.family);
    });
  };
}

export async function fetchUrl(url: string, options: FetchOptions): Promise<FetchResult> {
  const signals = [AbortSignal.timeout(options.timeoutMs), ...(options.signal ? [options.signal] : [])];
  const signal = AbortSignal.any(signals);
  const maxRedirects = options.maxRedirects ?? 5;
  const seen = new Set<string>();
  let current = url;
  for (let hop = 0; ; hop++) {
    let target: URL;
    try {
      target = new URL(current);
    } catch {
      return { ok: false, kind: 'bad_url', message: `"${current}" is not a URL` };
    }
    if (target.protocol !== 'http:' && target.protocol !== 'https:')
      return {
        ok: false,
        kind: 'bad_url',
        message: `only http and https URLs are fetched (got ${target.protocol})`,
      };
    if (target.username !== '' || target.password !== '')
      return { ok: false, kind: 'bad_url', message: 'URLs with a user name or password are not fetched' };
    target.hash = '';
    if (seen.has(target.href))
      return { ok: false, kind: 'redirects', message: `redirect loop: ${target.href} was already visited` };
    seen.add(target.href);
    const host = target.hostname.replace(/^\[|\]$/g, '');
    if (isIP(host) !== 0) {
      const why = blockedReason(host, options.allowPrivate);
      if (why !== undefined) return { ok: false, kind: 'blocked', message: `blocked address: ${why}` };
    }
    let response: IncomingMessage;
    try {
      response = await request(target, options, hop === 0, signal);
    } catch (err) {
      return failure(err, signal);
    }
    const status = response.statusCode ?? 0;
    if ([301, 302, 303, 307, 308].includes(status) && response.headers.location !== undefined) {
      response.resume();
      if (hop >= maxRedirects)
        return { ok: false, kind: 'redirects', message: `more than ${maxRedirects} redirects` };
      current = new URL(response.headers.location, target).href;
      continue;
    }
    if (status === 304) {
      response.resume();
      return { ok: true, status: 304, url: target.href, headers: response.headers };
    }
    if (status !== 200) {
      response.resume();
      return {
        ok: false,
        kind: 'http',
        status,
        headers: response.headers,
        message: `HTTP ${status}${response.statusMessage ? ` ${response.statusMessage}` : ''}`,
      };
    }
    try {
      const body = await readBody(response, options.maxBytes);
      return { ok: true, status: 200, url: target.href, body, headers: response.headers };
    } catch (err) {
      return failure(err, signal);
    }
  }
}

class TooLarge extends Error {}

function request(target: URL, options: FetchOptions, first: boolean, signal: AbortSignal) {
  const headers: Record<string, string> = {
    'user-agent': options.userAgent,
    accept: options.accept,
    'accept-encoding': 'gzip, deflate, br',
  };
  // Validators belong to the URL they came from: only the first hop carries them.
  if (first && options.etag) headers['if-none-match'] = options.etag;
  if (first && options.lastModified) headers['if-modified-since'] = options.lastModified;
  const lib = target.protocol === 'https:' ? https : http;
  return new Promise<IncomingMessage>((resolve, reject) => {
    const req = lib.request(target, {
      method: 'GET',
      headers,
      signal,
      agent: false,
      lookup: guardedLookup(options.allowPrivate),
    });
    req.on('response', resolve);
    req.on('error', reject);
    req.end();
  });
}

async function readBody(response: IncomingMessage, maxBytes: number): Promise<Buffer> {
  const declared = Number(response.headers['content-length']);
  if (Number.isFinite(declared) && declared > maxBytes) {
    response.destroy();
    throw new TooLarge(`declared ${declared} bytes`);
  }
  const encoding = String(response.headers['content-encoding'] ?? '')
    .toLowerCase()
    .trim();
  const decoded =
    encoding === 'gzip' || encoding === 'x-gzip'
      ? response.pipe(zlib.createGunzip())
      : encoding === 'deflate'
        ? response.pipe(zlib.createInflate())
        : encoding === 'br'
          ? response.pipe(zlib.createBrotliDecompress())
          : response;
  if (decoded !== response) response.on('error', (err) => decoded.destroy(err));
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const chunk of decoded as AsyncIterable<Buffer>) {
    size += chunk.length;
    // Counted after decompression: a small gzip bomb is as large as what it expands to.
    if (size > maxBytes) {
      response.destroy();
      throw new TooLarge(`over ${maxBytes} bytes`);
    }
    chunks.push(chunk);
  }
  return Buffer.concat(chunks);
}

function failure(err: unknown, signal: AbortSignal): FetchResult {
  if (err instanceof Blocked)
    return { ok: false, kind: 'blocked', message: `blocked address: ${err.message}` };
  if (err instanceof TooLarge) return { ok: false, kind: 'too_large', message: `too large: ${err.message}` };
  if (signal.aborted) return { ok: false, kind: 'timeout', message: 'timed out' };
  const message = err instanceof Error ? err.message : String(err);
  // node:http wraps a lookup error: find the Blocked cause.
  if (err instanceof Error && err.cause instanceof Blocked)
    return { ok: false, kind: 'blocked', message: `blocked address: ${err.cause.message}` };
  return { ok: false, kind: 'network', message: `not reachable: ${message}` };
}

/** `Retry-After` as milliseconds from `now`: seconds or an HTTP date; undefined when absent or unreadable. */
export function retryAfterMs(value: string | string[] | undefined, now: Date): number | undefined {
  const v = Array.isArray(value) ? value[0] : value;
  if (v === undefined || v.trim() === '') return undefined;
  if (/^\d+$/.test(v.trim())) return Number(v.trim()) * 1000;
  const at = Date.parse(v);
  return Number.isNaN(at) ? undefined : Math.max(0, at - now.getTime());
}

/** `Cache-Control: max-age` in milliseconds (s-maxage is for shared caches, which this is not). */
export function maxAgeMs(value: string | string[] | undefined): number | undefined {
  const v = Array.isArray(value) ? value.join(',') : value;
  const m = v === undefined ? null : /(?:^|,)\s*max-age\s*=\s*"?(\d+)"?/i.exec(v);
  return m === null ? undefined : Number(m[1]) * 1000;
}
