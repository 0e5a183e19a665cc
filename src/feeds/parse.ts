/**
 * A fetched feed document to items: RSS 0.9x/1.0/2.0, Atom and JSON Feed through feedsmith (over
 * fast-xml-parser with entity processing off). Untrusted input, so: the charset is read from the
 * response or the XML declaration, a document declaring entities is refused before parsing (a
 * "billion laughs" costs nothing), items are capped, HTML becomes text and links must be http(s).
 */
import { createHash } from 'node:crypto';
import { parseFeed } from 'feedsmith';
import { htmlToText, resolveUrl } from './html.ts';

/** One entry of a feed, reduced to what an article needs. */
export interface FeedItem {
  /** Identity across polls: `guid:…`, else `link:…`, else `hash:` of title and date. */
  key: string;
  title: string | null;
  /** Absolute http(s) link to the item's page. */
  url: string | null;
  /** ISO date-time as the feed gives it, when it gives a readable one. */
  date: string | null;
  author: string | null;
  text: string;
  /** True when the feed holds only a summary: the linked page should be read for the article. */
  summaryOnly: boolean;
  /** sha256 of what the feed says of the item: a change means the item was updated. */
  hash: string;
}

export interface ParsedFeed {
  format: 'rss' | 'atom' | 'rdf' | 'json';
  title: string | null;
  /** The feed's site, when it says. */
  link: string | null;
  /** Newest first when dated, capped at `maxItems`. */
  items: FeedItem[];
}

export type ParseOutcome = { ok: true; feed: ParsedFeed } | { ok: false; message: string };

export interface ParseLimits {
  /** Items kept at most (the newest). Default 100. */
  maxItems?: number;
  /** Characters of text kept per item. Default 200,000. */
  maxItemChars?: number;
}

/**
 * An item with no full-content field (content:encoded, Atom content, JSON content_*) and less text than
 * this is a summary of its linked page; RSS puts whole articles in <description> often enough that a
 * long description is kept as it is.
 */
const SUMMARY_CHARS = 600;

type Rec = Record<string, unknown>;
const rec = (v: unknown): Rec => (v !== null && typeof v === 'object' && !Array.isArray(v) ? (v as Rec) : {});
const arr = (v: unknown): unknown[] => (Array.isArray(v) ? v : v === undefined || v === null ? [] : [v]);
const str = (v: unknown): string | null => {
  if (typeof v === 'string') return v.trim() === '' ? null : v.trim();
  if (typeof v === 'number') return String(v);
  const value = rec(v).value;
  return typeof value === 'string' && value.trim() !== '' ? value.trim() : null;
};

/** Decodes and parses a feed document fetched from `url`. */
export function parseFeedDocument(
  body: Buffer,
  contentType: string | undefined,
  url: string,
  limits: ParseLimits = {},
): ParseOutcome {
  const text = decode(body, contentType);
  // Entities are never needed in a feed and are the whole of the billion-laughs and XXE attacks:
  // refuse the document rather than trust any parser's expansion limits.
  if (/<!ENTITY/i.test(text.slice(0, 65_536)) || /<!DOCTYPE[^>]*\[/i.test(text.slice(0, 65_536)))
    return {
      ok: false,
      message: 'the document declares XML entities, which feeds never need: refused as unsafe',
    };
  let parsed: { format: string; feed: unknown };
  try {
    parsed = parseFeed(text.replace(/^\uFEFF/, '')) as { format: string; feed: unknown };
  } catch (err) {
    const why = err instanceof Error ? err.message : String(err);
    return { ok: false, message: `not a feed (RSS, Atom or JSON Feed): ${why}` };
  }
  const feed = rec(parsed.feed);
  const format = parsed.format as ParsedFeed['format'];
  const base = resolveUrl(str(rec(feed.xml).base) ?? '', url) ?? url;
  const raw =
    format === 'atom'
      ? arr(feed.entries).map((e) => atomItem(rec(e), base))
      : format === 'json'
        ? arr(feed.items).map((e) => jsonItem(rec(e), base))
        : arr(feed.items).map((e) => rssItem(rec(e), base));
  const maxChars = limits.maxItemChars ?? 200_000;
  const items = raw
    .filter((i) => i.title !== null || i.text !== '' || i.url !== null)
    .map((i) => finish({ ...i, text: i.text.slice(0, maxChars) }));
  // Newest first; undated items keep their place after the dated ones (feeds list newest first anyway).
  const dated = items.map((item, n) => ({
    item,
    n,
    t: item.date === null ? Number.NaN : Date.parse(item.date),
  }));
  dated.sort((a, b) => {
    const an = Number.isNaN(a.t);
    const bn = Number.isNaN(b.t);
    if (an || bn) return an === bn ? a.n - b.n : an ? 1 : -1;
    return b.t - a.t || a.n - b.n;
  });
  const link =
    format === 'atom'
      ? pickLink(arr(feed.links), base)
      : resolveUrl(str(format === 'json' ? feed.home_page_url : feed.link) ?? '', base);
  return {
    ok: true,
    feed: {
      format,
      title: plain(str(feed.title)),
      link,
      items: dated.slice(0, limits.maxItems ?? 100).map((d) => d.item),
    },
  };
}

type Draft = Omit<FeedItem, 'key' | 'hash'> & { guid: string | null };

function rssItem(item: Rec, base: string): Draft {
  const full = str(rec(item.content).encoded);
  const description = str(item.description);
  const text = htmlToText(full ?? description ?? '');
  const url = resolveUrl(str(item.link) ?? '', base);
  const dc = rec(item.dc);
  return {
    guid: str(rec(item.guid).value ?? item.guid) ?? str(rec(item.rdf).about),
    title: plain(str(item.title)),
    url,
    date: isoDate(str(item.pubDate) ?? str(arr(dc.dates)[0]) ?? str(dc.date)),
    author: str(arr(dc.creators)[0]) ?? str(item.author),
    text,
    summaryOnly: url !== null && full === null && text.length < SUMMARY_CHARS,
  };
}

function atomItem(entry: Rec, feedBase: string): Draft {
  const base = resolveUrl(str(rec(entry.xml).base) ?? '', feedBase) ?? feedBase;
  const content = rec(entry.content);
  const body = str(content) ?? null;
  const summary = str(entry.summary);
  const asText = (v: string | null, type: unknown) => (v === null ? '' : type === 'text' ? v : htmlToText(v));
  const text = body !== null ? asText(body, content.type) : asText(summary, rec(entry.summary).type);
  const url = pickLink(arr(entry.links), base);
  return {
    guid: str(entry.id),
    title: plain(str(entry.title)),
    url,
    date: isoDate(str(entry.published) ?? str(entry.updated)),
    author: str(rec(arr(entry.authors)[0]).name),
    text,
    summaryOnly: url !== null && body === null && text.length < SUMMARY_CHARS,
  };
}

function jsonItem(item: Rec, base: string): Draft {
  const html = str(item.content_html);
  const plainText = str(item.content_text);
  const text = html !== null ? htmlToText(html) : (plainText ?? htmlToText(str(item.summary) ?? ''));
  const url = resolveUrl(str(item.url) ?? str(item.external_url) ?? '', base);
  return {
    guid: str(item.id),
    title: plain(str(item.title)),
    url,
    date: isoDate(str(item.date_published) ?? str(item.date_modified)),
    author: str(rec(arr(item.authors)[0]).name) ?? str(rec(item.author).name),
    text,
    summaryOnly: url !== null && html === null && plainText === null && text.length < SUMMARY_CHARS,
  };
}

/** The `alternate` link (or the first without a rel), resolved against the entry's base. */
function pickLink(links: unknown[], base: string): string | null {
  const all = links.map(rec);
  const chosen =
    all.find((l) => l.rel === 'alternate' && (l.type === undefined || String(l.type).includes('html'))) ??
    all.find((l) => l.rel === undefined || l.rel === 'alternate');
  return chosen === undefined ? null : resolveUrl(str(chosen.href) ?? '', base);
}

function finish(d: Draft): FeedItem {
  const key =
    d.guid !== null
      ? `guid:${d.guid}`
      : d.url !== null
        ? `link:${d.url}`
        : `hash:${sha256(`${d.title ?? ''}\u0000${d.date ?? ''}`).slice(0, 32)}`;
  const hash = sha256([d.title ?? '', d.url ?? '', d.date ?? '', d.author ?? '', d.text].join('\u0000'));
  const { guid: _guid, ...item } = d;
  return { ...item, key, hash };
}

/** Titles are sometimes HTML ("A &amp; B", "<b>x</b>"): plain text on one line. */
function plain(v: string | null): string | null {
  if (v === null) return null;
  const text = htmlToText(v).replace(/\s+/g, ' ').trim();
  return text === '' ? null : text;
}

/** A date the feed gives (RFC 822, ISO 8601, a bare day) as ISO, or null when unreadable. */
export function isoDate(v: string | null): string | null {
  if (v === null) return null;
  const t = Date.parse(v);
  return Number.isNaN(t) ? null : new Date(t).toISOString();
}

/**
 * The document as text: the charset the response names, else the XML declaration's, else UTF-8
 * (a BOM wins over both, as in browsers).
 */
export function decode(body: Buffer, contentType: string | undefined): string {
  if (body[0] === 0xef && body[1] === 0xbb && body[2] === 0xbf) return new TextDecoder('utf-8').decode(body);
  const declared =
    /charset\s*=\s*"?([\w.:-]+)/i.exec(contentType ?? '')?.[1] ??
    /^<\?xml[^>]*encoding\s*=\s*["']([\w.:-]+)["']/i.exec(body.subarray(0, 200).toString('latin1'))?.[1] ??
    'utf-8';
  try {
    return new TextDecoder(declared.toLowerCase()).decode(body);
  } catch {
    return new TextDecoder('utf-8').decode(body);
  }
}

function sha256(s: string): string {
  return createHash('sha256').update(s).digest('hex');
}
