/**
 * One poll of one feed: a conditional GET, the new and changed items written as articles, and the
 * feed's state moved on (validators, next poll, failures with exponential back-off, disabled after too
 * many in a row). Pure of files other than the articles it writes: the caller stores the state.
 */

import { type ArticleDraft, articlePath, writeArticle } from './articles.ts';
import type { HostQueue } from './hosts.ts';
import { extractArticle, type PageArticle } from './html.ts';
import { type FetchOptions, type FetchResult, fetchUrl, maxAgeMs, retryAfterMs } from './http.ts';
import { decode, type FeedItem, type ParsedFeed, parseFeedDocument } from './parse.ts';
import type { Subscription } from './subscriptions.ts';
import { type FeedState, intervalMs } from './subscriptions.ts';

/** How feeds are fetched; every figure has a default in {@link feedSettings}. */
export interface FeedSettings {
  userAgent: string;
  allowPrivate: boolean;
  /** Bytes of a feed document at most; default 5 MB. */
  maxFeedBytes: number;
  /** Bytes of a linked page at most; default 3 MB. */
  maxPageBytes: number;
  /** Per request, redirects included; default 20 s. */
  timeoutMs: number;
  /** Items read from one feed document at most; default 100. */
  maxItems: number;
  /** Back-off after the n-th failure in a row: base × 2ⁿ⁻¹, at most `maxBackoffMs`; default 10 min. */
  backoffBaseMs: number;
  /** Default 24 h. */
  maxBackoffMs: number;
  /** Consecutive failures that disable a feed; default 11 (as MonitoRSS). */
  disableAfter: number;
}

/** The User-Agent: the bot's name and, where `contactUrl` (FEEDS_CONTACT_URL) is set, where to read about it. */
export function userAgent(contactUrl: string | undefined): string {
  return `briefing-bot/0.1 (feed reader${contactUrl ? `; +${contactUrl}` : ''})`;
}

export function feedSettings(overrides: Partial<FeedSettings> = {}): FeedSettings {
  return {
    userAgent: userAgent(undefined),
    allowPrivate: false,
    maxFeedBytes: 5_000_000,
    maxPageBytes: 3_000_000,
    timeoutMs: 20_000,
    maxItems: 100,
    backoffBaseMs: 10 * 60_000,
    maxBackoffMs: 24 * 3_600_000,
    disableAfter: 11,
    ...overrides,
  };
}

export interface PollEnv {
  settings: FeedSettings;
  hosts: HostQueue;
  corpusDir: string;
  now: () => Date;
  signal?: AbortSignal;
}

const FEED_ACCEPT =
  'application/rss+xml, application/atom+xml, application/feed+json, application/json;q=0.9, application/xml;q=0.9, text/xml;q=0.8, */*;q=0.5';

export type FetchFeedOutcome =
  | {
      ok: true;
      notModified: false;
      feed: ParsedFeed;
      url: string;
      fetched: Extract<FetchResult, { status: 200 }>;
    }
  | { ok: true; notModified: true; fetched: Extract<FetchResult, { status: 304 }> }
  | { ok: false; message: string; kind: string; retryAfterMs?: number | undefined };

/** Fetches and parses a feed (conditionally, given validators). */
export async function fetchFeed(
  url: string,
  env: PollEnv,
  validators: { etag?: string | undefined; lastModified?: string | undefined } = {},
): Promise<FetchFeedOutcome> {
  const s = env.settings;
  const options: FetchOptions = {
    userAgent: s.userAgent,
    accept: FEED_ACCEPT,
    maxBytes: s.maxFeedBytes,
    timeoutMs: s.timeoutMs,
    allowPrivate: s.allowPrivate,
    etag: validators.etag,
    lastModified: validators.lastModified,
    signal: env.signal,
  };
  const fetched = await env.hosts.run(url, () => fetchUrl(url, options));
  if (!fetched.ok)
    return {
      ok: false,
      kind: fetched.kind,
      message: fetched.message,
      retryAfterMs: retryAfterMs(fetched.headers?.['retry-after'], env.now()),
    };
  if (fetched.status === 304) return { ok: true, notModified: true, fetched };
  const parsed = parseFeedDocument(fetched.body, fetched.headers['content-type'], fetched.url, {
    maxItems: s.maxItems,
  });
  if (!parsed.ok) return { ok: false, kind: 'not_a_feed', message: parsed.message };
  return { ok: true, notModified: false, feed: parsed.feed, url: fetched.url, fetched };
}

export interface PollResult {
  state: FeedState;
  outcome: 'ok' | 'not_modified' | 'failed';
  /** Article files (relative to the corpus) written for new items, and rewritten for changed ones. */
  added: string[];
  updated: string[];
  message?: string;
}

export async function pollFeed(sub: Subscription, previous: FeedState, env: PollEnv): Promise<PollResult> {
  const now = env.now();
  const state: FeedState = { ...previous, items: { ...previous.items }, lastPoll: now.toISOString() };
  const result = await fetchFeed(sub.url, env, { etag: previous.etag, lastModified: previous.lastModified });
  if (!result.ok) return failed(state, result.message, now, env.settings, result.retryAfterMs);
  const headers = result.fetched.headers;
  state.lastSuccess = now.toISOString();
  state.failures = 0;
  delete state.lastError;
  // Cache-Control: max-age says the document will not change sooner; never poll more often than asked.
  const wait = Math.max(
    intervalMs(sub),
    Math.min(maxAgeMs(headers['cache-control']) ?? 0, env.settings.maxBackoffMs),
  );
  state.nextPoll = new Date(now.getTime() + wait).toISOString();
  if (result.notModified) return { state, outcome: 'not_modified', added: [], updated: [] };
  state.etag = first(headers.etag);
  state.lastModified = first(headers['last-modified']);
  if (state.etag === undefined) delete state.etag;
  if (state.lastModified === undefined) delete state.lastModified;
  if (result.feed.title !== null) state.title = result.feed.title;
  const added: string[] = [];
  const updated: string[] = [];
  // Oldest first, so that files and first-seen times follow publication order.
  for (const item of [...result.feed.items].reverse()) {
    const seen = state.items[item.key];
    if (seen !== undefined && seen.hash === item.hash) continue;
    const draft = await toDraft(item, sub, result.feed, env);
    if (draft === null) continue;
    const rel = seen?.file ?? articlePath(env.corpusDir, draft);
    await writeArticle(env.corpusDir, rel, draft);
    state.items[item.key] = { file: rel, hash: item.hash, at: now.toISOString() };
    (seen === undefined ? added : updated).push(rel);
  }
  forgetOldItems(state, new Set(result.feed.items.map((i) => i.key)));
  return { state, outcome: 'ok', added, updated };
}

/**
 * Items remembered per feed at most. Past it the oldest that the document no longer lists are
 * forgotten: a feed that republished one of them would have it written again, as a new file.
 */
const MAX_REMEMBERED = 5000;

function forgetOldItems(state: FeedState, listed: ReadonlySet<string>): void {
  const keys = Object.keys(state.items);
  if (keys.length <= MAX_REMEMBERED) return;
  const old = keys
    .filter((k) => !listed.has(k))
    .sort((a, b) => (state.items[a]!.at < state.items[b]!.at ? -1 : 1))
    .slice(0, keys.length - MAX_REMEMBERED);
  for (const k of old) delete state.items[k];
}

function failed(
  state: FeedState,
  message: string,
  now: Date,
  s: FeedSettings,
  retryAfter: number | undefined,
): PollResult {
  state.failures = (state.failures ?? 0) + 1;
  state.lastError = { at: now.toISOString(), message };
  const backoff = Math.min(s.backoffBaseMs * 2 ** (state.failures - 1), s.maxBackoffMs);
  // Retry-After (429, 503) can only push the next attempt later, never sooner than the back-off.
  const wait = Math.max(backoff, Math.min(retryAfter ?? 0, s.maxBackoffMs));
  state.nextPoll = new Date(now.getTime() + wait).toISOString();
  if (state.failures >= s.disableAfter && state.disabled === undefined)
    state.disabled = {
      at: now.toISOString(),
      reason: `${state.failures} failures in a row; the last: ${message}`,
    };
  return { state, outcome: 'failed', added: [], updated: [], message };
}

/** The article an item becomes; a summary-only item's linked page is read for the full text. */
async function toDraft(
  item: FeedItem,
  sub: Subscription,
  feed: ParsedFeed,
  env: PollEnv,
): Promise<ArticleDraft | null> {
  let page: PageArticle | null = null;
  if (item.summaryOnly && item.url !== null) page = await readPage(item.url, env);
  const usePage = page !== null && page.text.length > item.text.length;
  const text = usePage ? page!.text : item.text;
  const title = item.title ?? page?.title ?? null;
  if (text.trim() === '' && title === null) return null;
  const date = (item.date ?? isoOrNull(page?.date) ?? env.now().toISOString()).slice(0, 10);
  return {
    title: title ?? text.slice(0, 80),
    date,
    source: page?.publisher ?? feed.title ?? null,
    url: page?.canonicalUrl ?? item.url,
    feed: sub.name,
    tags: sub.topics,
    author: item.author ?? page?.byline ?? null,
    // An item with a title only still makes a (short) article: the title is its one sentence.
    text: text.trim() === '' ? title! : text,
  };
}

/** The article of a linked page, or null (a page that fails never fails its feed). */
async function readPage(url: string, env: PollEnv): Promise<PageArticle | null> {
  const s = env.settings;
  const fetched = await env.hosts.run(url, () =>
    fetchUrl(url, {
      userAgent: s.userAgent,
      accept: 'text/html,application/xhtml+xml;q=0.9,*/*;q=0.5',
      maxBytes: s.maxPageBytes,
      timeoutMs: s.timeoutMs,
      allowPrivate: s.allowPrivate,
      signal: env.signal,
    }),
  );
  if (!fetched.ok || fetched.status !== 200) return null;
  const type = String(fetched.headers['content-type'] ?? 'text/html');
  if (!/html/i.test(type)) return null;
  try {
    return extractArticle(decode(fetched.body, type), fetched.url);
  } catch {
    return null;
  }
}

function isoOrNull(v: string | null | undefined): string | null {
  if (v === null || v === undefined) return null;
  const t = Date.parse(v);
  return Number.isNaN(t) ? null : new Date(t).toISOString();
}

function first(v: string | string[] | undefined): string | undefined {
  return Array.isArray(v) ? v[0] : v;
}
