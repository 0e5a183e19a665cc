import { spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, rmdirSync } from 'node:fs';
import { mkdir, readdir, readFile, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { loadCorpus } from '../../src/engine/corpus/load.ts';
import { CorpusEngine } from '../../src/engine/engine.ts';
import { buildIndex } from '../../src/engine/index/build.ts';
import { indexKey, loadIndex, saveIndex, sweepTemporaryFiles } from '../../src/engine/index/persist.ts';
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
    if (loaded.status !== 'loaded') throw new Error(`not loaded: ${JSON.stringify(loaded)}`);
    const a = new CorpusEngine({ index: built, corpusVersion: corpus.corpusVersion, now });
    const b = new CorpusEngine({ index: loaded.index, corpusVersion: corpus.corpusVersion, now });
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
    ).toEqual({ status: 'absent' });
    expect(indexKey(corpus.corpusVersion, topics.slice(1), options)).not.toBe(key);
    const bytes = await readFile(file);
    await writeFile(file, bytes.subarray(0, bytes.length - 10));
    expect(await loadIndex(file, key, corpus.articles, topics, options)).toMatchObject({ status: 'damaged' });
    expect(await loadIndex(`${file}.missing`, key, corpus.articles, topics, options)).toEqual({
      status: 'absent',
    });
  });

  it('detects bytes flipped after the header (size unchanged), deletes the file, and rebuilds', async () => {
    const dir = tempDir('idx');
    const open = () =>
      openEngine({
        corpus: FIXTURE_CORPUS,
        topicsFile: TOPICS,
        synonymsFile: SYNONYMS,
        indexCache: dir,
        now,
      });
    const first = await open();
    const [name] = (await readdir(dir)).filter((f) => f.endsWith('.idx'));
    const file = path.join(dir, name!);
    const bytes = await readFile(file);
    const headerEnd = 8 + bytes.readUInt32LE(0);
    // The fault injection run's damage: up to 10,000 bytes after the header inverted in place.
    for (let i = headerEnd; i < Math.min(bytes.length, headerEnd + 10_000); i++) bytes[i] = bytes[i]! ^ 0xff;
    await writeFile(file, bytes);
    expect(await loadIndex(file, indexKeyOf(first), corpus.articles, topics, options)).toEqual({
      status: 'damaged',
      reason: 'checksum mismatch',
    });

    const second = await open();
    expect(second.indexFrom).toBe('built');
    expect(second.warnings).toEqual([expect.stringMatching(/damaged \(checksum mismatch\); deleted/)]);
    // Rebuilt and saved again: the third start reads a good file.
    const third = await open();
    expect(third.indexFrom).toBe('cache');
    for (const t of ['kh', 'houthis', 'tower-22'])
      expect(await third.engine.brief(t)).toEqual(await first.engine.brief(t));
  });

  it('rejects an intact file whose offsets would drive retrieval out of bounds', async () => {
    const built = buildIndex(corpus.articles, topics, options);
    const key = indexKey(corpus.corpusVersion, topics, options);
    const dir = tempDir('idx');
    // Mentions are looked up by binary search: out of order, they would miss.
    const mentions = built.topicMentions[0]!;
    const descending = { ...mentions, passages: Uint32Array.of(2, 1), counts: Uint8Array.of(1, 1) };
    const cases: [string, Parameters<typeof saveIndex>[0]][] = [
      ['body.start', { ...built, body: { ...built.body, start: bump(built.body.start, 3, 0xfffffff0) } }],
      ['tokenStart', { ...built, tokenStart: bump(built.tokenStart, 1, built.tokens.length + 5) }],
      ['articlePassageStart', { ...built, articlePassageStart: bump(built.articlePassageStart, 1, 1e9) }],
      ['title.ids', { ...built, title: { ...built.title, ids: bump(built.title.ids, 0, 1e6) } }],
      ['passage 0', { ...built, passageLastSentence: bump(built.passageLastSentence, 0, 1e7) }],
      // An extension's recent entries, saved beside the lists, are held to the same bounds.
      [
        'body.recent.ids',
        { ...built, body: { ...built.body, recent: { ...built.body, ids: bump(built.body.ids, 2, 1e6) } } },
      ],
      [
        'topic 0 passages are not in order',
        { ...built, topicMentions: [descending, ...built.topicMentions.slice(1)] },
      ],
    ];
    for (const [what, tampered] of cases) {
      const file = path.join(dir, `${what}.idx`);
      // saveIndex writes a valid checksum: only the bounds checks can catch these.
      await saveIndex(tampered, key, file);
      const read = await loadIndex(file, key, corpus.articles, topics, options);
      expect(read, what).toMatchObject({ status: 'damaged', reason: expect.stringContaining(what) });
    }
  });

  it('removes its temporary file when a write fails, and sweeps those of dead processes', async () => {
    const dir = tempDir('idx');
    const built = buildIndex(corpus.articles, topics, options);
    const key = indexKey(corpus.corpusVersion, topics, options);
    // A non-empty directory where the file should go: the final rename fails.
    const target = path.join(dir, 'taken.idx');
    await mkdir(path.join(target, 'inside'), { recursive: true });
    await expect(saveIndex(built, key, target)).rejects.toThrow();
    expect((await readdir(dir)).filter((f) => f.endsWith('.tmp'))).toEqual([]);

    // A process that has exited left a temporary file; a live one (this process) is writing another.
    const dead = spawnSync(process.execPath, ['-e', '0']).pid;
    await writeFile(path.join(dir, `x.idx.${dead}.tmp`), 'partial');
    await writeFile(path.join(dir, `y.idx.${process.pid}.tmp`), 'in progress');
    expect(await sweepTemporaryFiles(dir)).toEqual([`x.idx.${dead}.tmp`]);
    expect(existsSync(path.join(dir, `y.idx.${process.pid}.tmp`))).toBe(true);
  });

  it('leaves a full disk as it found it: a write that runs out of space removes what it wrote (real tmpfs)', async (ctx) => {
    // A real file system that fills up: a 16 KiB tmpfs, where this user may mount one (root); else skipped.
    const mountPoint = mkdtempSync(path.join(tmpdir(), 'idx-full-'));
    const mounted = spawnSync('mount', ['-t', 'tmpfs', '-o', 'size=16k', 'tmpfs', mountPoint]).status === 0;
    if (!mounted) {
      rmdirSync(mountPoint);
      ctx.skip();
    }
    try {
      const built = buildIndex(corpus.articles, topics, options);
      const key = indexKey(corpus.corpusVersion, topics, options);
      await expect(saveIndex(built, key, path.join(mountPoint, 'index.idx'))).rejects.toThrow(/ENOSPC/);
      expect(await readdir(mountPoint)).toEqual([]);
      // The space is free again: the next write of something that fits succeeds.
      await writeFile(path.join(mountPoint, 'fits'), Buffer.alloc(8 * 1024));
    } finally {
      spawnSync('umount', [mountPoint]);
      rmdirSync(mountPoint, { recursive: false });
    }
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

function indexKeyOf(opened: Awaited<ReturnType<typeof openEngine>>): string {
  return indexKey(opened.corpus.corpusVersion, topics, options);
}

/** A copy of `a` with `a[at] = value`. */
function bump(a: Uint32Array, at: number, value: number): Uint32Array {
  const copy = a.slice();
  copy[at] = value;
  return copy;
}
