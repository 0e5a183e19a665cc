/**
 * HTML from feeds and pages reduced to text: parsed by linkedom (a DOM without a browser: no script
 * runs, nothing is loaded), scripts, styles and embedded frames dropped, blocks as paragraphs.
 * Article pages go through @mozilla/readability first, which finds the article among navigation.
 */
import { Readability } from '@mozilla/readability';
import { parseHTML } from 'linkedom';

const SKIP = new Set([
  'SCRIPT',
  'STYLE',
  'NOSCRIPT',
  'TEMPLATE',
  'IFRAME',
  'OBJECT',
  'EMBED',
  'SVG',
  'HEAD',
  'FORM',
  'BUTTON',
]);
const BLOCK = new Set([
  'P',
  'DIV',
  'SECTION',
  'ARTICLE',
  'BLOCKQUOTE',
  'PRE',
  'UL',
  'OL',
  'LI',
  'TABLE',
  'TR',
  'H1',
  'H2',
  'H3',
  'H4',
  'H5',
  'H6',
  'HEADER',
  'FOOTER',
  'ASIDE',
  'FIGURE',
  'FIGCAPTION',
  'DL',
  'DT',
  'DD',
  'HR',
  'MAIN',
]);

interface DomNode {
  nodeType: number;
  nodeName: string;
  textContent: string | null;
  childNodes: ArrayLike<DomNode>;
}

/** Text of an HTML fragment: paragraphs separated by blank lines, runs of spaces collapsed. */
export function htmlToText(html: string): string {
  if (!/[<&]/.test(html)) return tidy(html);
  const { document } = parseHTML(`<!doctype html><html><body>${html}</body></html>`);
  return nodeText(document.body as unknown as DomNode);
}

function nodeText(root: DomNode): string {
  const parts: string[] = [];
  const walk = (node: DomNode) => {
    if (node.nodeType === 3) {
      parts.push(node.textContent ?? '');
      return;
    }
    if (node.nodeType !== 1) return;
    const name = node.nodeName.toUpperCase();
    if (SKIP.has(name)) return;
    if (name === 'BR') {
      parts.push('\n');
      return;
    }
    const block = BLOCK.has(name);
    if (block) parts.push('\n\n');
    for (let i = 0; i < node.childNodes.length; i++) walk(node.childNodes[i]!);
    if (block) parts.push('\n\n');
  };
  walk(root);
  return tidy(parts.join(''));
}

function tidy(text: string): string {
  return text
    .replace(/\r\n?/g, '\n')
    .split(/\n[ \t\u00a0]*\n+/)
    .map((p) => p.replace(/[ \t\u00a0\n]+/g, ' ').trim())
    .filter((p) => p !== '')
    .join('\n\n');
}

/** What a linked article page yields. */
export interface PageArticle {
  title: string | null;
  byline: string | null;
  publisher: string | null;
  /** ISO date-time as the page states it, when it does. */
  date: string | null;
  /** `<link rel="canonical">`, resolved against the page's URL. */
  canonicalUrl: string | null;
  text: string;
}

/** The article in a page, or null when the page holds no readable article. */
export function extractArticle(html: string, pageUrl: string): PageArticle | null {
  const { document } = parseHTML(html);
  const meta = (selector: string) =>
    document.querySelector(selector)?.getAttribute('content')?.trim() || null;
  const canonicalHref = document.querySelector('link[rel="canonical"]')?.getAttribute('href') ?? null;
  const canonicalUrl = canonicalHref === null ? null : resolveUrl(canonicalHref, pageUrl);
  const date =
    meta('meta[property="article:published_time"]') ??
    meta('meta[name="date"]') ??
    document.querySelector('time[datetime]')?.getAttribute('datetime') ??
    null;
  // Readability's serializer gives the cleaned article's DOM; its text goes through the same walker.
  const parsed = new Readability(document as unknown as ConstructorParameters<typeof Readability>[0], {
    serializer: (node) => nodeText(node as unknown as DomNode),
  }).parse();
  const text = parsed?.content ?? '';
  if (parsed === null || text.trim() === '') return null;
  return {
    title: parsed.title?.trim() || null,
    byline: parsed.byline?.trim() || null,
    publisher: parsed.siteName?.trim() || meta('meta[property="og:site_name"]'),
    date: parsed.publishedTime?.trim() || date,
    canonicalUrl,
    text,
  };
}

/** `href` against `base`, only when the result is http(s); null otherwise. */
export function resolveUrl(href: string, base: string | undefined): string | null {
  if (href.trim() === '') return null;
  try {
    const u = new URL(href.trim(), base);
    return u.protocol === 'http:' || u.protocol === 'https:' ? u.href : null;
  } catch {
    return null;
  }
}
