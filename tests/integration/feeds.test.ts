import { mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loadCorpus } from '../../src/engine/corpus/load.ts';
import { blockedReason } from '../../src/feeds/address.ts';
import { HostQueue } from '../../src/feeds/hosts.ts';
import { fetchUrl } from '../../src/feeds/http.ts';
import { parseFeedDocument } from '../../src/feeds/parse.ts';
import { feedSettings, type PollEnv, pollFeed } from '../../src/feeds/poll.ts';
import { emptyState, type Subscription } from '../../src/feeds/subscriptions.ts';
import { type FeedServer, feedFixture, serve, startFeedServer } from '../helpers/feed-server.ts';

const parse = (name: string, type = 'application/rss+xml', url = 'https://feeds.example/feed') =>
  parseFeedDocument(feedFixture(name), type, url);

describe('feed parsing', () => {
  it('reads RSS 2.0 with content:encoded as full text, scripts dropped, newest first', () => {
    const r = parse('rss2.xml');
    if (!r.ok) throw new Error(r.message);
    expect(r.feed.format).toBe('rss');
    expect(r.feed.title).toBe('Gulf Maritime Watch');
    const [first, second, third] = r.feed.items;
    expect(first?.title).toBe('Houthi drones target tanker in the Bab el-Mandeb strait');
    expect(first?.key).toBe('guid:gmw-2025-0114');
    expect(first?.author).toBe('Amira Haddad');
    expect(first?.date).toBe('2025-01-14T09:30:00.000Z');
    expect(first?.summaryOnly).toBe(false);
    expect(first?.text).toContain('Zephyr Dawn');
    expect(first?.text).not.toContain('alert');
    expect(first?.text.split('\n\n')).toHaveLength(2);
    expect(second?.title).toBe('Escort convoys resume & insurers cut premiums');
    // No guid and no link: identity is a hash of title and date.
    expect(third?.key).toMatch(/^hash:[0-9a-f]{32}$/);
    expect(third?.text).toBe(
      'The Port of Aden reopened berth four to container traffic on Sunday after repairs to its cranes were completed.',
    );
  });

  it('resolves Atom links against xml:base, the entry’s own base first', () => {
    const r = parse('atom.xml', 'application/atom+xml', 'https://analysis.example/blog/feed.atom');
    if (!r.ok) throw new Error(r.message);
    expect(r.feed.title).toBe('Levant Analysis');
    expect(r.feed.link).toBe('https://analysis.example/');
    expect(r.feed.items.map((i) => i.url)).toEqual([
      'https://analysis.example/blog/posts/tower-22-anniversary',
      'https://analysis.example/notes/crossings',
    ]);
    expect(r.feed.items[0]?.title).toBe('Militia statements after the Tower 22 anniversary');
    expect(r.feed.items[0]?.key).toBe('guid:tag:analysis.example,2025:post-41');
    expect(r.feed.items[1]?.text).toContain('Al-Qaim border crossing');
  });

  it('reads JSON Feed 1.1', () => {
    const r = parse('feed.json', 'application/feed+json');
    if (!r.ok) throw new Error(r.message);
    expect(r.feed.format).toBe('json');
    expect(r.feed.items[0]).toMatchObject({
      key: 'guid:st-9001',
      title: 'Treasury designates Houthi procurement network',
      url: 'https://sanctions.example/notes/9001',
      date: '2025-01-16T19:00:00.000Z',
      author: 'Desk',
    });
  });

  it('decodes a feed declared ISO-8859-1', () => {
    const r = parse('latin1.xml', 'application/rss+xml');
    if (!r.ok) throw new Error(r.message);
    expect(r.feed.items[0]?.title).toBe('Déclaration du ministère');
    expect(r.feed.items[0]?.text).toContain('sécurité régionale');
  });

  it('says a malformed document or an HTML page is not a feed', () => {
    const malformed = parse('malformed.xml');
    expect(malformed.ok).toBe(false);
    if (!malformed.ok) expect(malformed.message).toMatch(/^not a feed/);
    const page = parse('drawdown-page.html', 'text/html');
    expect(page.ok).toBe(false);
  });

  it('refuses a billion-laughs document without expanding it', () => {
    const r = parse('billion-laughs.xml');
    expect(r).toEqual({
      ok: false,
      message: 'the document declares XML entities, which feeds never need: refused as unsafe',
    });
  });

  it('caps the items kept, newest first', () => {
    const items = Array.from(
      { length: 500 },
      (_, i) =>
        `<item><title>Item ${i}</title><link>https://x.example/${i}</link><pubDate>${new Date(Date.UTC(2024, 0, 1) + i * 3_600_000).toUTCString()}</pubDate><description>d</description></item>`,
    ).join('');
    const r = parseFeedDocument(
      Buffer.from(`<rss version="2.0"><channel><title>Many</title>${items}</channel></rss>`),
      undefined,
      'https://x.example/feed',
      { maxItems: 20 },
    );
    if (!r.ok) throw new Error(r.message);
    expect(r.feed.items).toHaveLength(20);
    expect(r.feed.items[0]?.title).toBe('Item 499');
  });
});

describe('feed addresses', () => {
  it('blocks loopback and private addresses unless allowed, and link-local and metadata always', () => {
    expect(blockedReason('127.0.0.1', false)).toMatch(/loopback or private/);
    expect(blockedReason('10.1.2.3', false)).toMatch(/loopback or private/);
    expect(blockedReason('::ffff:192.168.1.1', false)).toMatch(/loopback or private/);
    expect(blockedReason('::1', false)).toMatch(/loopback or private/);
    expect(blockedReason('93.184.216.34', false)).toBeUndefined();
    expect(blockedReason('127.0.0.1', true)).toBeUndefined();
    expect(blockedReason('169.254.169.254', true)).toMatch(/link-local or cloud-metadata/);
    expect(blockedReason('fe80::1', true)).toMatch(/link-local/);
  });
});

describe('fetching feeds', () => {
  let server: FeedServer;
  let corpus: string;
  const settings = feedSettings({
    allowPrivate: true,
    userAgent: 'briefing-bot-test (+https://example.test/briefing-bot)',
    disableAfter: 3,
    maxFeedBytes: 200_000,
  });
  const env = (): PollEnv => ({
    settings,
    hosts: new HostQueue(0),
    corpusDir: corpus,
    now: () => new Date('2025-01-20T12:00:00Z'),
  });
  const sub = (p: string, name = p.replace(/\W+/g, '')): Subscription => ({
    url: server.url(p),
    name,
    topics: ['houthis'],
    interval: '30m',
    enabled: true,
  });

  beforeAll(async () => {
    server = await startFeedServer();
    corpus = mkdtempSync(path.join(tmpdir(), 'feeds-corpus-'));
  });
  afterAll(async () => {
    await server.close();
    rmSync(corpus, { recursive: true, force: true });
  });

  it('sends a clear User-Agent, asks for compression, and reads a gzip body', async () => {
    server.route(
      '/gz.xml',
      serve(() => feedFixture('rss2.xml'), { gzip: true }),
    );
    const r = await fetchUrl(server.url('/gz.xml'), { ...settings, accept: '*/*', maxBytes: 200_000 });
    expect(r.ok && r.status === 200 && r.body.toString()).toContain('Gulf Maritime Watch');
    const req = server.requests.find((q) => q.path === '/gz.xml');
    expect(req?.headers['user-agent']).toBe('briefing-bot-test (+https://example.test/briefing-bot)');
    expect(req?.headers['accept-encoding']).toContain('br');
  });

  it('writes each new item once as an article the corpus loader reads, with its front matter', async () => {
    server.route(
      '/rss.xml',
      serve(() => feedFixture('rss2.xml'), { etag: '"v1"' }),
    );
    const first = await pollFeed(sub('/rss.xml', 'maritime'), emptyState(), env());
    expect(first.outcome).toBe('ok');
    expect(first.added).toEqual([
      'feeds/maritime/2025-01-12-port-of-aden-reopens-berth-four.md',
      'feeds/maritime/2025-01-13-escort-convoys-resume-insurers-cut-premiums.md',
      'feeds/maritime/2025-01-14-houthi-drones-target-tanker-in-the-bab-el-mandeb-strait.md',
    ]);
    const loaded = await loadCorpus(corpus);
    expect(loaded.report.rejected).toEqual([]);
    const article = loaded.articles.find((a) =>
      a.id.endsWith('houthi-drones-target-tanker-in-the-bab-el-mandeb-strait'),
    );
    expect(article).toMatchObject({
      title: 'Houthi drones target tanker in the Bab el-Mandeb strait',
      date: '2025-01-14',
      publisher: 'Gulf Maritime Watch',
      url: 'https://maritime.example/2025/01/houthi-drones-tanker',
      tags: ['houthis'],
    });
    // The same document again: a conditional GET, a 304, nothing written.
    const second = await pollFeed(sub('/rss.xml', 'maritime'), first.state, env());
    expect(second.outcome).toBe('not_modified');
    expect(server.requests.filter((q) => q.path === '/rss.xml').at(-1)?.headers['if-none-match']).toBe(
      '"v1"',
    );
    // Served again in full (no ETag this time): every item is known and unchanged.
    server.route(
      '/rss.xml',
      serve(() => feedFixture('rss2.xml')),
    );
    const third = await pollFeed(sub('/rss.xml', 'maritime'), first.state, env());
    expect(third.added).toEqual([]);
    expect(third.updated).toEqual([]);
    // One item's content changes: its file is rewritten, no new file appears.
    server.route(
      '/rss.xml',
      serve(() => feedFixture('rss2.xml').toString().replace('three drones', 'four drones')),
    );
    const fourth = await pollFeed(sub('/rss.xml', 'maritime'), third.state, env());
    expect(fourth.added).toEqual([]);
    expect(fourth.updated).toEqual([
      'feeds/maritime/2025-01-14-houthi-drones-target-tanker-in-the-bab-el-mandeb-strait.md',
    ]);
    expect(readdirSync(path.join(corpus, 'feeds/maritime'))).toHaveLength(3);
    expect(readFileSync(path.join(corpus, fourth.updated[0]!), 'utf8')).toContain('four drones');
  });

  it('reads the linked page of a summary-only item: its text, byline, publisher and canonical URL', async () => {
    server.route(
      '/wire.xml',
      serve(() => feedFixture('summary-only.xml')),
    );
    server.route(
      '/articles/drawdown-talks',
      serve(() => feedFixture('drawdown-page.html'), { type: 'text/html; charset=utf-8' }),
    );
    const r = await pollFeed(sub('/wire.xml', 'wire'), emptyState(), env());
    expect(r.added).toEqual(['feeds/wire/2025-01-17-coalition-drawdown-talks-stall.md']);
    const text = readFileSync(path.join(corpus, r.added[0]!), 'utf8');
    expect(text).toContain('source: "Wire Service"');
    expect(text).toContain(`url: "${server.url('/news/2025/01/17/coalition-drawdown-talks-stall')}"`);
    expect(text).toContain('author: "Lena Brandt"');
    expect(text).toContain('Ain al-Asad air base');
    expect(text).not.toContain('All rights reserved');
    expect(text).not.toContain('tracking');
  });

  it('polls no sooner than Cache-Control max-age asks, and never sooner than the interval', async () => {
    server.route(
      '/cached.json',
      serve(() => feedFixture('feed.json'), {
        type: 'application/feed+json',
        headers: { 'cache-control': 'public, max-age=7200' },
      }),
    );
    const r = await pollFeed(sub('/cached.json', 'sanctions'), emptyState(), env());
    expect(r.added).toEqual(['feeds/sanctions/2025-01-16-treasury-designates-houthi-procurement-network.md']);
    expect(r.state.nextPoll).toBe('2025-01-20T14:00:00.000Z');
    server.route(
      '/short.json',
      serve(() => feedFixture('feed.json'), {
        type: 'application/feed+json',
        headers: { 'cache-control': 'max-age=60' },
      }),
    );
    const short = await pollFeed(sub('/short.json', 'sanctions-short'), emptyState(), env());
    expect(short.state.nextPoll).toBe('2025-01-20T12:30:00.000Z');
  });

  it('writes Atom entries with their links resolved against xml:base', async () => {
    server.route(
      '/atom.xml',
      serve(() => feedFixture('atom.xml'), { type: 'application/atom+xml' }),
    );
    const r = await pollFeed(sub('/atom.xml', 'levant'), emptyState(), env());
    expect(r.added).toHaveLength(2);
    const text = readFileSync(
      path.join(corpus, 'feeds/levant/2025-01-15-militia-statements-after-the-tower-22-anniversary.md'),
      'utf8',
    );
    expect(text).toContain('url: "https://analysis.example/blog/posts/tower-22-anniversary"');
    expect(text).toContain('source: "Levant Analysis"');
    expect(text).toContain('author: "Omar Khalil"');
  });

  it('stops a redirect loop and too many redirects', async () => {
    server.route('/loop-a', (_req, res) => res.writeHead(302, { location: '/loop-b' }).end());
    server.route('/loop-b', (_req, res) => res.writeHead(301, { location: '/loop-a' }).end());
    const loop = await fetchUrl(server.url('/loop-a'), { ...settings, accept: '*/*', maxBytes: 1000 });
    expect(loop).toMatchObject({ ok: false, kind: 'redirects' });
    for (let i = 0; i < 8; i++)
      server.route(`/hop-${i}`, (_req, res) => res.writeHead(307, { location: `/hop-${i + 1}` }).end());
    const hops = await fetchUrl(server.url('/hop-0'), { ...settings, accept: '*/*', maxBytes: 1000 });
    expect(hops).toMatchObject({ ok: false, kind: 'redirects', message: 'more than 5 redirects' });
  });

  it('refuses a document over the size cap, gzip or not', async () => {
    const item = `<item><title>x</title><description>${'y'.repeat(10_000)}</description></item>`;
    const huge = `<rss version="2.0"><channel><title>Huge</title>${item.repeat(30)}</channel></rss>`;
    server.route(
      '/huge.xml',
      serve(() => huge),
    );
    server.route(
      '/huge.gz',
      serve(() => huge, { gzip: true }),
    );
    for (const p of ['/huge.xml', '/huge.gz']) {
      const r = await pollFeed(sub(p), emptyState(), env());
      expect(r.outcome).toBe('failed');
      expect(r.message).toMatch(/^too large/);
    }
  });

  it('waits as long as Retry-After asks after a 429', async () => {
    server.route('/busy.xml', (_req, res) => res.writeHead(429, { 'retry-after': '7200' }).end());
    const r = await pollFeed(sub('/busy.xml'), emptyState(), env());
    expect(r.outcome).toBe('failed');
    expect(r.state.lastError?.message).toBe('HTTP 429 Too Many Requests');
    expect(r.state.nextPoll).toBe('2025-01-20T14:00:00.000Z');
  });

  it('backs off 10 min × 2ⁿ on failures and disables the feed after N in a row, keeping the reason', async () => {
    server.route('/down.xml', (_req, res) => res.writeHead(500).end('oops'));
    let state = emptyState();
    const next: string[] = [];
    for (let i = 0; i < 3; i++) {
      const r = await pollFeed(sub('/down.xml'), state, env());
      state = r.state;
      next.push(state.nextPoll!);
    }
    expect(next).toEqual([
      '2025-01-20T12:10:00.000Z',
      '2025-01-20T12:20:00.000Z',
      '2025-01-20T12:40:00.000Z',
    ]);
    expect(state.failures).toBe(3);
    expect(state.disabled?.reason).toBe('3 failures in a row; the last: HTTP 500 Internal Server Error');
    // A success clears the count.
    server.route(
      '/down.xml',
      serve(() => feedFixture('rss2.xml')),
    );
    const ok = await pollFeed(sub('/down.xml'), { ...state, failures: 2 }, env());
    expect(ok.state.failures).toBe(0);
    expect(ok.state.lastError).toBeUndefined();
  });

  it('blocks a redirect to a link-local or metadata address even when private ones are allowed', async () => {
    server.route('/to-metadata', (_req, res) =>
      res.writeHead(302, { location: 'http://169.254.169.254/latest/meta-data/' }).end(),
    );
    const r = await pollFeed(sub('/to-metadata'), emptyState(), env());
    expect(r.outcome).toBe('failed');
    expect(r.message).toBe(
      'blocked address: 169.254.169.254 is a link-local or cloud-metadata address, never fetched',
    );
  });

  it('blocks a loopback feed and a redirect to one unless FEEDS_ALLOW_PRIVATE is set', async () => {
    const strict = { ...settings, allowPrivate: false, accept: '*/*', maxBytes: 1000 };
    expect(await fetchUrl(server.url('/rss.xml'), strict)).toMatchObject({ ok: false, kind: 'blocked' });
    // A name that resolves to loopback is caught after resolution.
    expect(await fetchUrl(`http://localhost:${new URL(server.origin).port}/rss.xml`, strict)).toMatchObject({
      ok: false,
      kind: 'blocked',
    });
  });

  it('refuses a billion-laughs feed served over HTTP', async () => {
    server.route(
      '/lol.xml',
      serve(() => feedFixture('billion-laughs.xml')),
    );
    const r = await pollFeed(sub('/lol.xml'), emptyState(), env());
    expect(r.outcome).toBe('failed');
    expect(r.message).toMatch(/declares XML entities/);
  });
});
