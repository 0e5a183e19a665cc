import { readFile, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { loadCorpus } from '../../src/engine/corpus/load.ts';
import { CorpusEngine } from '../../src/engine/engine.ts';
import { buildIndex } from '../../src/engine/index/build.ts';
import { indexKey, loadIndex, saveIndex } from '../../src/engine/index/persist.ts';
import { loadSynonyms, loadTopics } from '../../src/engine/index/topics.ts';
import { openEngine } from '../../src/engine/open.ts';
import { FIXTURE_CORPUS, SYNONYMS, TOPICS, tempDir } from '../helpers/fixtures.ts';

const corpus = await loadCorpus(FIXTURE_CORPUS);
const topics = await loadTopics(TOPICS);
const options = { synonyms: await loadSynonyms(SYNONYMS) };
const now = () => new Date('2024-12-31T00:00:00Z');

describe('persisted index', () => {
  it('answers exactly as the index it was saved from', async () => {
    const built = buildIndex(corpus.articles, topics, options);
    const key = indexKey(corpus.corpusVersion, topics, options);
    const file = path.join(tempDir('idx'), 'a.idx');
    await saveIndex(built, key, file);
    const loaded = await loadIndex(file, key, corpus.articles, topics, options);
    expect(loaded).toBeDefined();
    const a = new CorpusEngine({ index: built, corpusVersion: corpus.corpusVersion, now });
    const b = new CorpusEngine({ index: loaded!, corpusVersion: corpus.corpusVersion, now });
    for (const q of [
      'How many U.S. service members did the drone attack on Tower 22 kill?',
      'Qatar Hope',
      'Red Sea',
    ]) {
      expect(await b.ask(q)).toEqual(await a.ask(q));
      expect(b.search(q)).toEqual(a.search(q));
    }
    for (const t of ['kh', 'houthis', 'tower-22']) expect(await b.brief(t)).toEqual(await a.brief(t));
    expect(b.topics()).toEqual(a.topics());
  });

  it('is never used for another corpus, other topics, or when damaged', async () => {
    const built = buildIndex(corpus.articles, topics, options);
    const key = indexKey(corpus.corpusVersion, topics, options);
    const file = path.join(tempDir('idx'), 'a.idx');
    await saveIndex(built, key, file);
    expect(
      await loadIndex(file, indexKey('other-version', topics, options), corpus.articles, topics, options),
    ).toBe(undefined);
    expect(indexKey(corpus.corpusVersion, topics.slice(1), options)).not.toBe(key);
    const bytes = await readFile(file);
    await writeFile(file, bytes.subarray(0, bytes.length - 10));
    expect(await loadIndex(file, key, corpus.articles, topics, options)).toBeUndefined();
    expect(await loadIndex(`${file}.missing`, key, corpus.articles, topics, options)).toBeUndefined();
  });

  it('is written on the first open and read on the next', async () => {
    const dir = tempDir('idx');
    const open = () =>
      openEngine({ corpus: FIXTURE_CORPUS, topicsFile: TOPICS, synonymsFile: SYNONYMS, indexCache: dir });
    const first = await open();
    const second = await open();
    expect([first.indexFrom, second.indexFrom]).toEqual(['built', 'cache']);
    expect(second.warnings).toEqual([]);
    expect(await second.engine.brief('houthis', {})).toMatchObject({ status: 'answered' });
  });
});
