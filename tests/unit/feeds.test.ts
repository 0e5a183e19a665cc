import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { rawArticleSchema } from '../../src/engine/corpus/article.ts';
import { parseMarkdown } from '../../src/engine/corpus/parse.ts';
import { renderArticle } from '../../src/feeds/articles.ts';
import { HostQueue } from '../../src/feeds/hosts.ts';
import { maxAgeMs, retryAfterMs } from '../../src/feeds/http.ts';
import { feedNameSchema, slugName } from '../../src/feeds/subscriptions.ts';

/** A promise and its resolver, so a test decides when a task ends. */
function gate() {
  let open!: () => void;
  const promise = new Promise<void>((resolve) => {
    open = resolve;
  });
  return { promise, open };
}

describe('the per-host queue', () => {
  it('runs one request at a time per host, and hosts independently', async () => {
    const queue = new HostQueue(0);
    const started: string[] = [];
    const a1 = gate();
    const first = queue.run('https://a.example/1', async () => {
      started.push('a1');
      await a1.promise;
    });
    const second = queue.run('https://a.example/2', async () => void started.push('a2'));
    const other = queue.run('https://b.example/1', async () => void started.push('b1'));
    await other;
    expect(started).toEqual(['a1', 'b1']);
    a1.open();
    await Promise.all([first, second]);
    expect(started).toEqual(['a1', 'b1', 'a2']);
  });

  it('goes on after a task fails', async () => {
    const queue = new HostQueue(0);
    await expect(queue.run('https://a.example/', () => Promise.reject(new Error('boom')))).rejects.toThrow(
      'boom',
    );
    await expect(queue.run('https://a.example/', async () => 'ok')).resolves.toBe('ok');
  });
});

describe('feed names and article files', () => {
  it('derives a valid feed name from any title', () => {
    fc.assert(
      fc.property(fc.string({ maxLength: 200 }), (title) => {
        expect(feedNameSchema.safeParse(slugName(title)).success).toBe(true);
      }),
    );
  });

  it('writes front matter the corpus loader reads back, whatever the title says', () => {
    fc.assert(
      fc.property(fc.string({ minLength: 1, maxLength: 120 }), (title) => {
        const md = renderArticle({
          title,
          date: '2025-01-14',
          source: 'Wire: "A" #1',
          url: 'https://x.example/a?b=1#c',
          feed: 'wire',
          tags: ['houthis', 'red sea'],
          author: null,
          text: 'One sentence of text.',
        });
        const parsed = parseMarkdown(md);
        expect(parsed.ok).toBe(true);
        if (!parsed.ok) return;
        const raw = rawArticleSchema.parse(parsed.fields);
        expect(raw.date).toBe('2025-01-14');
        expect(raw.source).toBe('Wire: "A" #1');
        expect(raw.tags).toEqual(['houthis', 'red sea']);
        expect(raw.title).toBe(title.trim() === '' ? undefined : title.trim());
      }),
    );
  });
});

describe('HTTP caching headers', () => {
  const now = new Date('2025-01-20T12:00:00Z');
  it('reads Retry-After as seconds or as a date', () => {
    expect(retryAfterMs('120', now)).toBe(120_000);
    expect(retryAfterMs('Mon, 20 Jan 2025 13:00:00 GMT', now)).toBe(3_600_000);
    expect(retryAfterMs('soon', now)).toBeUndefined();
    expect(retryAfterMs(undefined, now)).toBeUndefined();
  });
  it('reads Cache-Control max-age', () => {
    expect(maxAgeMs('public, max-age=3600')).toBe(3_600_000);
    expect(maxAgeMs('no-cache')).toBeUndefined();
  });
});
