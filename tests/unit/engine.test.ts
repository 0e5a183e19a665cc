import { describe, expect, it } from 'vitest';
import { cachedEngine } from '../../src/cache/engine.ts';
import type { ResultCache } from '../../src/cache/types.ts';
import { CorpusEngine, type Engine } from '../../src/engine/engine.ts';
import { type Briefing, briefingSchema } from '../../src/engine/result.ts';
import { UserError } from '../../src/errors.ts';
import { fixtureEngineOnce } from '../helpers/fixtures.ts';

const engine = await fixtureEngineOnce();

function expectQuotesVerbatim(e: Engine, b: Briefing): void {
  for (const s of b.sources) {
    const article = e.index.articles.find((a) => a.id === s.articleId)!;
    expect(article.text).toContain(s.quote);
  }
  for (const bullet of b.bullets) {
    for (const n of bullet.citations) expect(b.sources.some((s) => s.n === n)).toBe(true);
  }
}

describe('brief', () => {
  it('cites the article each bullet came from, with exact quotes', async () => {
    const b = await engine.brief('houthis');
    expect(briefingSchema.parse(b)).toEqual(b);
    expect(b.status).toBe('answered');
    expect(b.topic?.slug).toBe('houthis');
    expect(b.sources.map((s) => s.articleId)).toContain('nested/houthis');
    const firstCited = new Map<number, string>();
    for (const bullet of b.bullets) {
      const source = b.sources.find((s) => s.n === bullet.citations[0])!;
      if (!firstCited.has(source.n)) firstCited.set(source.n, bullet.text);
      const article = engine.index.articles.find((a) => a.id === source.articleId)!;
      expect(article.text).toContain(bullet.text);
    }
    // A source quotes the sentence that first cited it; later bullets from its article are other sentences of it.
    for (const s of b.sources) expect(s.quote).toBe(firstCited.get(s.n));
    expectQuotesVerbatim(engine, b);
  });

  it('resolves an alias to its topic and never cites Lebanese Hezbollah for Kataib Hezbollah', async () => {
    const b = await engine.brief('KH');
    expect(b.topic?.slug).toBe('kataib-hezbollah');
    expect(b.sources.map((s) => s.articleId)).not.toContain('lebanon-1');
    expect(b.sources.map((s) => s.articleId)).toEqual(
      expect.arrayContaining(['000_9cc44c973fce500b', 'header']),
    );
  });

  it('gives 3 to 7 bullets and dated key dates, oldest first', async () => {
    const b = await engine.brief('kataib-hezbollah');
    expect(b.bullets.length).toBeGreaterThanOrEqual(3);
    expect(b.bullets.length).toBeLessThanOrEqual(7);
    const dates = b.keyDates.map((k) => k.date);
    expect(dates).toEqual([...dates].sort());
  });

  it('says the corpus has nothing on an unknown topic instead of an empty briefing', async () => {
    const b = await engine.brief('grand-ethiopian-renaissance-dam');
    expect(b.status).toBe('no_sources');
    expect(b.bullets).toEqual([]);
    expect(b.reason).toMatch(/nothing|never/i);
  });

  it('treats free text like a question: no briefing on a name the corpus never mentions', async () => {
    const b = await engine.brief('Khor Mor gas field');
    expect(b.status).toBe('no_sources');
    expect(b.reason).toMatch(/never mentions "Khor Mor"/);
  });

  it('applies --since as a hard filter', async () => {
    const b = await engine.brief('kataib-hezbollah', { since: '2024-06-01' });
    for (const s of b.sources) expect(s.date >= '2024-06-01').toBe(true);
  });
});

describe('ask', () => {
  it('answers from the passage that holds the answer', async () => {
    const b = await engine.ask('How many U.S. service members did the drone attack on Tower 22 kill?');
    expect(b.status).toBe('answered');
    expect(b.sources[0]?.articleId).toBe('tower-1');
    expect(b.bullets[0]?.text).toMatch(/killed three U\.S\. service members/);
    expectQuotesVerbatim(engine, b);
  });

  it('abstains when the question names something the corpus never mentions', async () => {
    const b = await engine.ask('What triggered the 2017 siege of Marawi in the Philippines?');
    expect(b.status).toBe('no_sources');
    expect(b.sources).toEqual([]);
    expect(b.reason).toMatch(/Marawi/);
  });

  it('abstains when a multi-word name of the question appears nowhere as written', async () => {
    // "Qatar" and "Hope" are both in the corpus, but never together.
    const b = await engine.ask('What did Qatar Hope say about the ceasefire talks?');
    expect(b.status).toBe('no_sources');
    expect(b.reason).toMatch(/never mentions "Qatar Hope"/);
  });

  it('abstains on a short question whose specific ask is missing, though its place is mentioned', async () => {
    const b = await engine.ask('What is the population of Cairo?');
    expect(b.status).toBe('no_sources');
    expect((await engine.ask('Where did the ceasefire talks resume?')).status).toBe('answered');
  });

  it('abstains when the passages lack the kind of fact asked for', async () => {
    // The corpus says three service members were killed, but never who they were.
    const b = await engine.ask('What were the names of the three service members killed at Tower 22?');
    expect(b.status).toBe('no_sources');
    const count = await engine.ask('How many service members were killed at Tower 22?');
    expect(count.status).toBe('answered');
  });

  it('rejects an empty or over-long question with a message saying how to fix it', async () => {
    await expect(engine.ask('   ')).rejects.toThrow(UserError);
    const long = await engine.ask('x'.repeat(2000)).catch((e: unknown) => e);
    expect(long).toBeInstanceOf(UserError);
    expect((long as UserError).id).toBe('query_too_long');
    expect((long as UserError).message).toMatch(/2000 characters.*limit is 500/);
  });

  it('rejects a bad date with what is wrong', async () => {
    await expect(engine.ask('Tower 22', { since: 'soon' })).rejects.toThrow(/--since: "soon" is not a date/);
    await expect(engine.ask('Tower 22', { since: '2024-05-01', until: '2024-01-01' })).rejects.toThrow(
      /swap/,
    );
  });
});

describe('search and topics', () => {
  it('lists matching articles best first with snippets', () => {
    const r = engine.search('Red Sea shipping');
    expect(r.results[0]?.articleId).toBe('nested/houthis');
    expect(r.results[0]?.snippet.length).toBeGreaterThan(0);
  });

  it('lists curated topics with article counts', () => {
    const t = engine.topics();
    const kh = t.topics.find((x) => x.slug === 'kataib-hezbollah')!;
    expect(kh.articles).toBe(2);
    expect(t.topics.every((x) => x.articles > 0)).toBe(true);
  });
});

describe('cache interface', () => {
  it('serves a stored answer marked cached, keyed by corpus version', async () => {
    const store = new Map<string, Briefing>();
    const cache: ResultCache = {
      get: async (k) => store.get(k),
      set: async (k, v) => {
        store.set(k, v);
      },
    };
    const a = cachedEngine(new CorpusEngine({ index: engine.index, corpusVersion: 'v1' }), cache);
    const first = await a.brief('houthis');
    const second = await a.brief('Ansar Allah');
    expect(first.cached).toBe(false);
    expect(second.cached).toBe(true);
    expect(second.bullets).toEqual(first.bullets);
    const b = cachedEngine(new CorpusEngine({ index: engine.index, corpusVersion: 'v2' }), cache);
    expect((await b.brief('houthis')).cached).toBe(false);
    expect(store.size).toBe(2);
  });
});
