import { spawnSync } from 'node:child_process';
import { cpSync, mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import type { Article } from '../../src/engine/corpus/article.ts';
import { mergeDuplicates, urlTitleMatch } from '../../src/engine/corpus/duplicates.ts';
import { loadCorpus } from '../../src/engine/corpus/load.ts';
import { parseTxt } from '../../src/engine/corpus/parse.ts';
import { BAD_CORPUS, FIXTURE_CORPUS, FIXTURES } from '../helpers/fixtures.ts';

describe('corpus loader', () => {
  it('reads every format: seed txt, header txt, markdown front matter, JSON array and JSONL', async () => {
    const { articles, report } = await loadCorpus(FIXTURE_CORPUS);
    expect(report.rejected).toEqual([]);
    expect(articles.map((a) => a.id).sort()).toEqual(
      [
        '000_9cc44c973fce500b',
        'briefing-2024-06-10',
        'header',
        'lebanon-1',
        'nested/houthis',
        'records#2',
        'tower-1',
        'tower-2',
      ].sort(),
    );
  });

  it('reads the seed article as it is: the date run into the body and a derived title', async () => {
    const { articles } = await loadCorpus(FIXTURE_CORPUS);
    const seed = articles.find((a) => a.id === '000_9cc44c973fce500b')!;
    expect(seed.date).toBe('2024-12-03');
    expect(seed.text.startsWith('One of the most important of the Iranian-backed militias')).toBe(true);
    expect(seed.title.startsWith('One of the most important')).toBe(true);
    expect(seed.title.length).toBeLessThanOrEqual(120);
    expect(seed.text).not.toMatch(/[\u201c\u201d\u2019]/); // quotes normalised
  });

  it('takes title, source and url from a Key: value header and from YAML front matter', async () => {
    const { articles } = await loadCorpus(FIXTURE_CORPUS);
    const header = articles.find((a) => a.id === 'header')!;
    expect(header).toMatchObject({
      title: 'Strikes near Albukamal',
      date: '2021-02-26',
      publisher: 'Test Wire',
      url: 'https://example.test/albukamal',
    });
    const md = articles.find((a) => a.id === 'nested/houthis')!;
    expect(md).toMatchObject({ title: 'Houthi attacks in the Red Sea', tags: ['yemen', 'shipping'] });
  });

  it('derives ids of records without one from the file and line', async () => {
    const { articles } = await loadCorpus(FIXTURE_CORPUS);
    expect(articles.find((a) => a.id === 'records#2')?.title).toBe('No id here');
  });

  it('skips every bad file or record with file, line and reason, and loads the rest', async () => {
    const { articles, report } = await loadCorpus(BAD_CORPUS);
    expect(articles.map((a) => a.id)).toEqual(['ok-1']);
    const reasons = Object.fromEntries(
      report.rejected.map((r) => [`${r.file}${r.line ? `:${r.line}` : ''}`, r.reason]),
    );
    expect(reasons['empty.txt']).toMatch(/no text/);
    expect(reasons['bad-date.md']).toMatch(/not a real calendar date/);
    expect(reasons['nodate.txt:1']).toMatch(/date/);
    expect(reasons['mixed.jsonl:2']).toMatch(/not valid JSON/);
    expect(reasons['mixed.jsonl:3']).toMatch(/duplicate id "ok-1"/);
    expect(reasons['latin1.txt']).toMatch(/UTF-8/);
    expect(reasons['broken.json']).toMatch(/not valid JSON/);
    expect(reasons['notes.csv']).toMatch(/unsupported file type/);
    expect(report.duplicates).toEqual([
      {
        articleId: 'copy',
        mergedInto: 'ok-1',
        origin: 'mixed.jsonl:4',
        reason: 'same text as "ok-1", which is dated earlier (2024-03-01, not 2024-03-03)',
      },
    ]);
  });

  it('gives a corpus version that changes when any article changes', async () => {
    const a = await loadCorpus(FIXTURE_CORPUS);
    const b = await loadCorpus(FIXTURE_CORPUS);
    expect(a.corpusVersion).toBe(b.corpusVersion);
    const c = await loadCorpus(`${FIXTURE_CORPUS}/list.json`);
    expect(c.corpusVersion).not.toBe(a.corpusVersion);
  });

  it('reports a missing corpus path as such', async () => {
    await expect(loadCorpus(`${FIXTURE_CORPUS}/nope`)).rejects.toThrow(/corpus path not found/);
  });

  it('parses the seed opening with leading spaces', () => {
    const r = parseTxt('   date 2024-12-03 Body text.');
    expect(r).toEqual({ ok: true, fields: { date: '2024-12-03', text: 'Body text.' } });
  });
});

describe('corpus loader, one directory too deep to read', () => {
  it('reports the directory as one rejected path (ENAMETOOLONG) and loads the rest', async () => {
    const root = mkdtempSync(path.join(tmpdir(), 'deep-corpus-'));
    cpSync(FIXTURE_CORPUS, root, { recursive: true });
    // Made one level at a time from inside (each mkdir's own path is short): 20 names of 250
    // characters are past Linux's 4096-byte PATH_MAX, so reading the deepest ones fails.
    const name = 'd'.repeat(250);
    const made = spawnSync('sh', [
      '-c',
      `cd "$1" && for i in $(seq 20); do mkdir "$2" && cd -P "$2" || exit 1; done`,
      'sh',
      root,
      name,
    ]);
    expect(made.status, String(made.stderr)).toBe(0);
    try {
      const { articles, report } = await loadCorpus(root);
      expect(articles.map((a) => a.id)).toContain('nested/houthis');
      expect(articles).toHaveLength((await loadCorpus(FIXTURE_CORPUS)).articles.length);
      const deep = report.rejected.filter((r) => r.file.startsWith(name));
      expect(deep).toHaveLength(1);
      expect(deep[0]!.reason).toMatch(/^directory unreadable: ENAMETOOLONG/);
    } finally {
      // rm walks a tree of any depth; Node's rmSync is bounded by the same path limit.
      spawnSync('rm', ['-rf', root]);
    }
  });
});

describe('duplicate records', () => {
  const DUPLICATES = `${FIXTURES}duplicates`;

  it('keep one copy whole: the kept URL belongs to the kept title', async () => {
    const { articles } = await loadCorpus(DUPLICATES);
    expect(articles).toHaveLength(1);
    expect(articles[0]).toMatchObject({
      id: 'houthis-a',
      title:
        'Fact Sheet: President Donald J. Trump Re-designates the Houthis as a Foreign Terrorist Organization',
      date: '2025-01-22',
      publisher: 'The White House (Briefing Room)',
      url: 'https://www.whitehouse.gov/fact-sheets/2025/01/fact-sheet-president-donald-j-trump-re-designates-the-houthis-as-a-foreign-terrorist-organization/',
    });
  });

  it('report every dropped copy with where it came from and why the other was kept', async () => {
    const { report } = await loadCorpus(DUPLICATES);
    const byId = Object.fromEntries(report.duplicates.map((d) => [d.articleId, d]));
    expect(Object.keys(byId).sort()).toEqual(['houthis-b', 'houthis-repost']);
    expect(byId['houthis-b']).toMatchObject({ mergedInto: 'houthis-a', origin: 'factsheets.jsonl:1' });
    expect(byId['houthis-b']!.reason).toMatch(/URL matches its title better/);
    expect(byId['houthis-repost']!.reason).toMatch(/dated earlier \(2025-01-22, not 2025-01-23\)/);
  });

  it('choose the same survivor whatever order the copies are read in', () => {
    const copy = (id: string, date: string, title: string, url: string | null): Article => ({
      id,
      title,
      date,
      url,
      publisher: null,
      tags: [],
      text: 'Same text.',
      origin: `${id}.txt`,
    });
    const copies = [
      copy('c', '2024-01-02', 'Strikes in Syria', 'https://example.test/strikes-in-syria'),
      copy('b', '2024-01-02', 'Strikes in Syria', 'https://example.test/unrelated-page'),
      copy('a', '2024-01-03', 'Strikes in Syria', 'https://example.test/strikes-in-syria'),
      copy('d', '2024-01-02', 'Strikes in Syria', 'https://example.test/strikes-in-syria'),
    ];
    fc.assert(
      fc.property(fc.shuffledSubarray(copies, { minLength: 4, maxLength: 4 }), (order) => {
        expect(mergeDuplicates(order).kept.id).toBe('c');
      }),
    );
  });
});

describe('urlTitleMatch', () => {
  it('is the share of the title words the URL slug holds', () => {
    const title = 'Addressing Threats to the United States by the Government of Iran';
    expect(
      urlTitleMatch({
        title,
        url: 'https://www.whitehouse.gov/presidential-actions/2026/02/addressing-threats-to-the-united-states-by-the-government-of-iran/',
      }),
    ).toBe(1);
    expect(urlTitleMatch({ title, url: 'https://example.test/2026/02/modifying-duties-on-russia/' })).toBe(0);
    expect(urlTitleMatch({ title, url: null })).toBe(0);
  });
});
