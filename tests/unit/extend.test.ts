import { existsSync } from 'node:fs';
import { cp, readFile, rm, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { isDeepStrictEqual } from 'node:util';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import type { Article } from '../../src/engine/corpus/article.ts';
import { loadCorpus } from '../../src/engine/corpus/load.ts';
import { CorpusEngine } from '../../src/engine/engine.ts';
import { folded } from '../../src/engine/index/append.ts';
import { buildIndex, extendIndex, type SearchIndex } from '../../src/engine/index/build.ts';
import { indexKey, loadIndex, saveIndex } from '../../src/engine/index/persist.ts';
import { loadSynonyms, loadTopics } from '../../src/engine/index/topics.ts';
import { Library } from '../../src/engine/library.ts';
import { openEngine } from '../../src/engine/open.ts';
import type { Briefing } from '../../src/engine/result.ts';
import { FIXTURE_CORPUS, SHARED_CORPUS, SYNONYMS, TOPICS, tempDir } from '../helpers/fixtures.ts';

const corpus = await loadCorpus(FIXTURE_CORPUS);
const topics = await loadTopics(TOPICS);
const options = { synonyms: await loadSynonyms(SYNONYMS) };
const now = () => new Date('2024-12-31T00:00:00Z');

/**
 * Every field of an index but the objects that are equal by construction (matcher) or by content (names),
 * its postings laid out whole (an extension keeps its recent entries beside the others).
 */
function comparable(index: SearchIndex): Record<string, unknown> {
  const { matcher: _matcher, names, ...rest } = index;
  const counts = [...names.names].map(([key, s]) => [key, { ...s, lastArticle: 0 }]);
  return {
    ...rest,
    body: folded(index.body),
    title: folded(index.title),
    names: counts,
    lowerCase: index.termText.map((_, id) => names.lowerCaseUses(id, 0)),
  };
}

/** The keys on which two indexes differ (none when they are the same index). */
function differences(a: SearchIndex, b: SearchIndex): string[] {
  const x = comparable(a);
  const y = comparable(b);
  return Object.keys(x).filter((k) => !isDeepStrictEqual(x[k], y[k]));
}

const article = (id: string, title: string, date: string, text: string): Article => ({
  id,
  title,
  date,
  publisher: 'Test Wire',
  url: null,
  tags: [],
  text,
  origin: `${id}.txt`,
});

/** The articles cited by an answer, in citation order, at most five. */
function top5(result: Briefing): string[] {
  const cited: string[] = [];
  for (const s of [...result.sources].sort((a, b) => a.n - b.n))
    if (!cited.includes(s.articleId)) cited.push(s.articleId);
  return cited.slice(0, 5);
}

describe('extendIndex', () => {
  it('gives, array for array, the index a full build over the old articles followed by the new ones gives', () => {
    const cut = Math.floor(corpus.articles.length * 0.7);
    const base = buildIndex(corpus.articles.slice(0, cut), topics, options);
    const extended = extendIndex(base, corpus.articles.slice(cut));
    expect(differences(extended, buildIndex(corpus.articles, topics, options))).toEqual([]);
  });

  it('can be extended again, and leaves the index it extends as it was', () => {
    const articles = corpus.articles;
    const base = buildIndex(articles.slice(0, 3), topics, options);
    const once = extendIndex(base, articles.slice(3, 5));
    const twice = extendIndex(once, articles.slice(5));
    expect(differences(twice, buildIndex(articles, topics, options))).toEqual([]);
    expect(differences(base, buildIndex(articles.slice(0, 3), topics, options))).toEqual([]);
    expect(differences(once, buildIndex(articles.slice(0, 5), topics, options))).toEqual([]);
  });

  it('discovers a name that only the new articles make common enough, with the display a full build gives', () => {
    const text = (n: number) =>
      `Officials said Zorava Mendelt met the envoy on day ${n}. Reporters asked about the talks. Zorava Mendelt declined to comment.`;
    const old = [
      article('a1', 'Talks resume', '2024-05-01', text(1)),
      article('a2', 'Talks continue', '2024-05-02', text(2)),
    ];
    const added = [article('a3', 'Talks end', '2024-05-03', text(3))];
    const settings = { ...options, discoverMinArticles: 3 };
    const base = buildIndex(old, topics, settings);
    expect(base.topics.some((t) => t.name === 'Zorava Mendelt')).toBe(false);
    const extended = extendIndex(base, added);
    expect(extended.topics.find((t) => t.name === 'Zorava Mendelt')).toMatchObject({ articles: 3 });
    expect(differences(extended, buildIndex([...old, ...added], topics, settings))).toEqual([]);
  });

  it('equals a full build over the same order for any order of the articles and any cuts', () => {
    // The fixture corpus plus small articles that share names, so that discovery has something to count.
    const extra = [1, 2, 3, 4].map((n) =>
      article(
        `x${n}`,
        `Envoy talks ${n}`,
        `2024-06-0${n}`,
        `Zorava Mendelt met the envoy in Aden on day ${n}. Ms. Mendelt said the Houthis had agreed to talk.`,
      ),
    );
    const pool = [...corpus.articles, ...extra];
    const settings = { ...options, discoverMinArticles: 2 };
    fc.assert(
      fc.property(
        fc.shuffledSubarray(pool, { minLength: 2 }),
        fc.array(fc.nat(), { minLength: 1, maxLength: 3 }),
        (articles, cuts) => {
          const at = [...new Set(cuts.map((c) => 1 + (c % (articles.length - 1))))].sort((a, b) => a - b);
          let index = buildIndex(articles.slice(0, at[0]), topics, settings);
          at.forEach((from, i) => {
            index = extendIndex(index, articles.slice(from, at[i + 1] ?? articles.length));
          });
          expect(differences(index, buildIndex(articles, topics, settings))).toEqual([]);
        },
      ),
      { numRuns: 25 },
    );
  });

  it('extends an index read back from its file exactly as the one it was saved from', async () => {
    const cut = corpus.articles.length - 2;
    const base = buildIndex(corpus.articles.slice(0, cut), topics, options);
    const older = { ...corpus, articles: corpus.articles.slice(0, cut) };
    const key = indexKey('older', topics, options);
    const file = path.join(tempDir('extend'), 'base.idx');
    await saveIndex(base, key, file);
    const read = await loadIndex(file, key, older.articles, topics, options);
    if (read.status !== 'loaded') throw new Error(`not loaded: ${JSON.stringify(read)}`);
    const added = corpus.articles.slice(cut);
    expect(differences(extendIndex(read.index, added), extendIndex(base, added))).toEqual([]);
  });
});

describe('extendIndex, growing in place', () => {
  const short = (n: number): Article =>
    article(
      `z${n}`,
      `Port update ${n}`,
      `2024-12-${String(n).padStart(2, '0')}`,
      `The Houthis said the port of Hodeidah reopened on day ${n}. Shipping firms said traffic in the Red Sea stayed low.`,
    );
  const withShort = (...ns: number[]) => [...corpus.articles, ...ns.map(short)];
  const question = 'Is the port of Hodeidah open?';

  it('writes successive extensions into the room of the arrays, leaving each index before it as it was', () => {
    const chain = [buildIndex(corpus.articles, topics, options)];
    for (let n = 1; n <= 4; n++) chain.push(extendIndex(chain.at(-1)!, [short(n)]));
    for (let i = 2; i < chain.length; i++) {
      // Longer views of the same buffers, not copies; the postings' lists shared, the new entries beside them.
      for (const name of [
        'tokens',
        'tokenStart',
        'sentenceStart',
        'passageArticle',
        'articlePassageStart',
      ] as const)
        expect(chain[i]![name].buffer).toBe(chain[i - 1]![name].buffer);
      expect(chain[i]!.body.ids).toBe(chain[0]!.body.ids);
      expect(chain[i]!.body.recent).toBeDefined();
    }
    chain.forEach((index, n) => {
      const added = Array.from({ length: n }, (_, i) => i + 1);
      expect(differences(index, buildIndex(withShort(...added), topics, options))).toEqual([]);
    });
  });

  it('copies when an index in service is extended a second time: both extensions and the index answer as full builds', async () => {
    const base = extendIndex(buildIndex(corpus.articles, topics, options), [short(1)]);
    const served = new CorpusEngine({ index: base, corpusVersion: corpus.corpusVersion, now });
    const before = await served.ask(question);
    const first = extendIndex(base, [short(2)]);
    const second = extendIndex(base, [short(3)]);
    expect(second.tokens.buffer).not.toBe(first.tokens.buffer);
    expect(differences(first, buildIndex(withShort(1, 2), topics, options))).toEqual([]);
    expect(differences(second, buildIndex(withShort(1, 3), topics, options))).toEqual([]);
    expect(differences(base, buildIndex(withShort(1), topics, options))).toEqual([]);
    expect(await served.ask(question)).toEqual(before);
    const rebuilt = new CorpusEngine({
      index: buildIndex(withShort(1, 2), topics, options),
      corpusVersion: corpus.corpusVersion,
      now,
    });
    const extended = new CorpusEngine({ index: first, corpusVersion: corpus.corpusVersion, now });
    expect(await extended.ask(question)).toEqual(await rebuilt.ask(question));
    expect(await extended.brief('houthis')).toEqual(await rebuilt.brief('houthis'));
  });

  it('lays the postings out whole again once the recent entries pass an eighth of them', () => {
    // Short articles first, so that the first add little beside the lists.
    const copies = corpus.articles
      .map((a) => ({ ...a, id: `copy/${a.id}` }))
      .sort((a, b) => a.text.length - b.text.length);
    let index = buildIndex(corpus.articles, topics, options);
    const states: boolean[] = [];
    let n = 0;
    while (n < copies.length && !(states.includes(true) && states.at(-1) === false)) {
      index = extendIndex(index, [copies[n++]!]);
      states.push(index.body.recent !== undefined);
    }
    // Beside the lists first, then merged into them.
    expect(states.indexOf(true)).toBeGreaterThanOrEqual(0);
    expect(states.at(-1)).toBe(false);
    expect(
      differences(index, buildIndex([...corpus.articles, ...copies.slice(0, n)], topics, options)),
    ).toEqual([]);
  });

  it('saves an index with recent postings as they are, and reads it back answering the same', async () => {
    const extended = extendIndex(buildIndex(corpus.articles, topics, options), [short(1), short(2)]);
    expect(extended.body.recent).toBeDefined();
    const articles = withShort(1, 2);
    const key = indexKey('extended', topics, options);
    const file = path.join(tempDir('extend'), 'extended.idx');
    await saveIndex(extended, key, file);
    const read = await loadIndex(file, key, articles, topics, options);
    if (read.status !== 'loaded') throw new Error(`not loaded: ${JSON.stringify(read)}`);
    expect(read.index.body.recent).toEqual(extended.body.recent);
    expect(differences(read.index, buildIndex(articles, topics, options))).toEqual([]);
    const a = new CorpusEngine({ index: extended, corpusVersion: corpus.corpusVersion, now });
    const b = new CorpusEngine({ index: read.index, corpusVersion: corpus.corpusVersion, now });
    expect(await b.ask(question)).toEqual(await a.ask(question));
    // And it is extended in turn as the index it was saved from.
    expect(differences(extendIndex(read.index, [short(3)]), extendIndex(extended, [short(3)]))).toEqual([]);
  });

  it('extends an index read back from its file in place', async () => {
    const key = indexKey('base', topics, options);
    const file = path.join(tempDir('extend'), 'base.idx');
    await saveIndex(buildIndex(corpus.articles, topics, options), key, file);
    const read = await loadIndex(file, key, corpus.articles, topics, options);
    if (read.status !== 'loaded') throw new Error(`not loaded: ${JSON.stringify(read)}`);
    const extended = extendIndex(read.index, [short(1)]);
    expect(extended.tokens.buffer).toBe(read.index.tokens.buffer);
    expect(extended.topicMentions[0]!.passages.buffer).toBe(read.index.topicMentions[0]!.passages.buffer);
    expect(differences(extended, buildIndex(withShort(1), topics, options))).toEqual([]);
  });
});

describe('an extended index in the index cache', () => {
  it('keeps its own article order, so that a restart reading it answers as the index in service', async () => {
    // The corpus sorts by id; put the new articles first in that order, so the extension reorders.
    const first = corpus.articles.slice(0, 2);
    const rest = corpus.articles.slice(2);
    const extended = extendIndex(buildIndex(rest, topics, options), first);
    expect(extended.articles.map((a) => a.id)).not.toEqual(corpus.articles.map((a) => a.id));
    const key = indexKey(corpus.corpusVersion, topics, options);
    const file = path.join(tempDir('extend'), 'x.idx');
    await saveIndex(extended, key, file);
    const read = await loadIndex(file, key, corpus.articles, topics, options);
    if (read.status !== 'loaded') throw new Error(`not loaded: ${JSON.stringify(read)}`);
    expect(differences(read.index, extended)).toEqual([]);
    const a = new CorpusEngine({ index: extended, corpusVersion: corpus.corpusVersion, now });
    const b = new CorpusEngine({ index: read.index, corpusVersion: corpus.corpusVersion, now });
    for (const q of ['How many U.S. service members did the drone attack on Tower 22 kill?', 'Red Sea'])
      expect(await b.ask(q)).toEqual(await a.ask(q));
    for (const t of ['kh', 'houthis']) expect(await b.brief(t)).toEqual(await a.brief(t));
  });
});

describe('reload', () => {
  const newArticle = [
    'Title: Port of Hodeidah reopens',
    'Date: 2024-12-20',
    'Source: Test Wire',
    '',
    'The Houthis said the port of Hodeidah reopened after repairs. Shipping firms said traffic in the Red Sea stayed low.',
    '',
  ].join('\n');

  async function scratchCorpus(): Promise<{ dir: string; files: Parameters<typeof openEngine>[0] }> {
    const dir = tempDir('extend');
    await cp(FIXTURE_CORPUS, path.join(dir, 'corpus'), { recursive: true });
    const files = {
      corpus: path.join(dir, 'corpus'),
      topicsFile: TOPICS,
      synonymsFile: SYNONYMS,
      indexCache: path.join(dir, 'index'),
      now,
    };
    return { dir, files };
  }

  it('extends the index in service when the corpus only gained an article, answering as a rebuild does', async () => {
    const { files } = await scratchCorpus();
    const first = await openEngine(files);
    await writeFile(path.join(files.corpus, 'hodeidah.txt'), newArticle);
    let prebuilt = 0;
    const prebuild = async () => {
      prebuilt++;
    };
    const second = await openEngine(files, { previous: first.engine.index, prebuild });
    expect(second.indexFrom).toBe('extended');
    expect(prebuilt).toBe(0);
    // Answerable before it is saved; the write follows.
    expect(await second.saving).toEqual([]);
    const { indexCache: _none, ...uncached } = files;
    const rebuilt = await openEngine(uncached);
    for (const q of ['Is the port of Hodeidah open?', 'Red Sea shipping', 'Tower 22'])
      expect(await second.engine.ask(q)).toEqual(await rebuilt.engine.ask(q));
    for (const t of ['houthis', 'red-sea'])
      expect(await second.engine.brief(t)).toEqual(await rebuilt.engine.brief(t));
    // Saved under its content's key: a cold start reads it and answers the same.
    const cold = await openEngine(files);
    expect(cold.indexFrom).toBe('cache');
    expect(cold.engine.index.articles.map((a) => a.id)).toEqual(
      second.engine.index.articles.map((a) => a.id),
    );
    expect(await cold.engine.ask('Is the port of Hodeidah open?')).toEqual(
      await second.engine.ask('Is the port of Hodeidah open?'),
    );
  });

  it('leaves laying the postings out whole to the prebuild step past maxLayoutPassages, extending until then', async () => {
    const { files } = await scratchCorpus();
    const limited = { ...files, maxLayoutPassages: 0 };
    let prebuilt = 0;
    const prebuild = async () => {
      prebuilt++;
    };
    const first = await openEngine(limited);
    await writeFile(path.join(files.corpus, 'hodeidah.txt'), newArticle);
    const second = await openEngine(limited, { previous: first.engine.index, prebuild });
    expect([second.indexFrom, prebuilt]).toEqual(['extended', 0]);
    expect(second.engine.index.body.recent).toBeDefined();
    await second.saving;
    // An article with more words than an eighth of the corpus's postings: its extension is the one that lays them out.
    const report = Array.from(
      { length: 300 },
      (_, i) => `Delegation ${i} from district${i} discussed irrigation${i} and harvest${i} budgets.`,
    ).join(' ');
    await writeFile(
      path.join(files.corpus, 'long.txt'),
      `Title: District budgets\nDate: 2024-12-21\nSource: Test Wire\n\n${report}\n`,
    );
    const { indexCache: _none, ...uncached } = files;
    const here = await openEngine(uncached, { previous: second.engine.index, prebuild });
    expect([here.indexFrom, prebuilt, here.engine.index.body.recent]).toEqual(['extended', 0, undefined]);
    const third = await openEngine(limited, { previous: second.engine.index, prebuild });
    expect([third.indexFrom, prebuilt]).toEqual(['built', 1]);
    expect(await third.engine.ask('Is the port of Hodeidah open?')).toEqual(
      await here.engine.ask('Is the port of Hodeidah open?'),
    );
  });

  it('rebuilds, through the prebuild step, when an article was changed or removed', async () => {
    const { files } = await scratchCorpus();
    const first = await openEngine(files);
    const header = path.join(files.corpus, 'header.txt');
    await writeFile(
      header,
      `${await readFile(header, 'utf8')}\nOne more sentence was added to this article.\n`,
    );
    let prebuilt = 0;
    const prebuild = async () => {
      prebuilt++;
    };
    const changed = await openEngine(files, { previous: first.engine.index, prebuild });
    expect([changed.indexFrom, prebuilt]).toEqual(['built', 1]);
    await rm(header);
    const removed = await openEngine(files, { previous: changed.engine.index, prebuild });
    expect([removed.indexFrom, prebuilt]).toEqual(['built', 2]);
  });

  it('reports an add-only reload of the library as extended, and a change as rebuilt', async () => {
    const { files } = await scratchCorpus();
    const library = new Library({ open: (reopen) => openEngine(files, reopen) });
    await library.reload('start-up');
    await writeFile(path.join(files.corpus, 'hodeidah.txt'), newArticle);
    const report = await library.reload('test');
    expect(report).toMatchObject({ ok: true, index: 'extended', added: 1, changed: 0, removed: 0 });
    expect(library.current().index.articles.at(-1)?.title).toBe('Port of Hodeidah reopens');
    // The library compares article hashes: a changed article is seen, and the index rebuilt.
    const header = path.join(files.corpus, 'header.txt');
    await writeFile(
      header,
      `${await readFile(header, 'utf8')}\nOne more sentence was added to this article.\n`,
    );
    expect(await library.reload('test')).toMatchObject({ ok: true, index: 'built', changed: 1, added: 0 });
  });
});

describe.runIf(existsSync(SHARED_CORPUS))('answers after an incremental add (evaluation set)', () => {
  it('cites the same top-5 sources as a full build after adding the newest 10 % of articles', async () => {
    const shared = await loadCorpus(SHARED_CORPUS);
    const items = (await readFile(path.join(SHARED_CORPUS, '../../eval/dev.jsonl'), 'utf8'))
      .split('\n')
      .filter((l) => l.trim() !== '')
      .map((l) => JSON.parse(l) as { id: string; kind: 'ask' | 'brief'; query: string });
    const byDate = [...shared.articles].sort((a, b) =>
      a.date < b.date ? -1 : a.date > b.date ? 1 : a.id < b.id ? -1 : 1,
    );
    const newest = new Set(byDate.slice(Math.floor(byDate.length * 0.9)).map((a) => a.id));
    const older = shared.articles.filter((a) => !newest.has(a.id));
    const added = shared.articles.filter((a) => newest.has(a.id));
    const extended = extendIndex(buildIndex(older, topics, options), added);
    const full = buildIndex(shared.articles, topics, options);
    // Same content, other numbering: the full build has the corpus's (id) order.
    expect(extended.articles.map((a) => a.id)).not.toEqual(full.articles.map((a) => a.id));
    const a = new CorpusEngine({ index: full, corpusVersion: shared.corpusVersion, now });
    const b = new CorpusEngine({ index: extended, corpusVersion: shared.corpusVersion, now });
    const differing: string[] = [];
    for (const item of items) {
      const run = (e: CorpusEngine) => (item.kind === 'brief' ? e.brief(item.query) : e.ask(item.query));
      if (!isDeepStrictEqual(top5(await run(b)), top5(await run(a)))) differing.push(item.id);
    }
    expect(items.length).toBeGreaterThan(100);
    expect(differing).toEqual([]);
  }, 300_000);
});
