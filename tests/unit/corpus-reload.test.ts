import { execFileSync } from 'node:child_process';
import { cp, readFile, rename, rm, stat, utimes, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { type Corpus, FILE_TIME_MARGIN_MS, loadCorpus } from '../../src/engine/corpus/load.ts';
import { Library } from '../../src/engine/library.ts';
import { openEngine, type Reopen } from '../../src/engine/open.ts';
import { FIXTURE_CORPUS, TOPICS, tempDir } from '../helpers/fixtures.ts';

/** What a load gives its callers, without the file cache that only the next load reads. */
const result = ({ articles, report, corpusVersion, hashes }: Corpus) => ({
  articles,
  report,
  corpusVersion,
  hashes,
});

/** A clock an hour ahead: every file written by the test has settled by then. */
const later = () => Date.now() + 3_600_000;

const line = (id: string, text: string) =>
  JSON.stringify({ id, title: id, date: '2024-11-02', source: 'Feed', text });

async function scratch(): Promise<string> {
  const dir = tempDir('corpus-reload');
  await cp(FIXTURE_CORPUS, dir, { recursive: true });
  return dir;
}

describe('corpus reload from the previous load', () => {
  it('gives what a fresh load gives after files are added, changed, fixed, grown and deleted', async () => {
    const dir = await scratch();
    const houthis = await readFile(path.join(dir, 'nested/houthis.md'), 'utf8');
    const houthisText = houthis.split('---').at(-1)!.trim();
    await writeFile(path.join(dir, 'broken.json'), '{"title": "Half a record", "date": ');
    await writeFile(path.join(dir, 'feed.jsonl'), `${line('feed-1', 'Aleppo airport closed on Monday.')}\n`);
    await writeFile(path.join(dir, 'same-size.json'), line('same-size', 'Tanker hit near Aden: crew safe.'));
    await writeFile(path.join(dir, 'doomed.json'), line('doomed', 'A report that is deleted later on.'));
    const first = await loadCorpus(dir, undefined, later);
    expect(first.report.rejected.map((r) => r.file)).toContain('broken.json');

    // Added: a new article, and a copy of an unchanged file's text (a duplicate across old and new).
    await writeFile(path.join(dir, 'new.json'), line('new', 'The Red Sea route reopened for shipping.'));
    await writeFile(path.join(dir, 'copy.json'), line('copy', houthisText));
    // Changed: same size, other content, a new modification time.
    const sameSize = path.join(dir, 'same-size.json');
    await writeFile(sameSize, line('same-size', 'Tanker hit near Adan: crew lost.'));
    const { mtime } = await stat(sameSize);
    await utimes(sameSize, mtime, new Date(mtime.getTime() + 1000));
    // Fixed: rejected before, valid now. Grown: a JSONL file gains lines (one a clash of ids).
    await writeFile(path.join(dir, 'broken.json'), line('fixed', 'Half a record, now whole.'));
    await writeFile(
      path.join(dir, 'feed.jsonl'),
      [
        line('feed-1', 'Aleppo airport closed on Monday.'),
        line('feed-2', 'Aleppo airport reopened on Friday.'),
        line('new', 'Another record under a taken id.'),
      ].join('\n'),
    );
    await rm(path.join(dir, 'doomed.json'));

    const cached = await loadCorpus(dir, first, later);
    const fresh = await loadCorpus(dir);
    expect(result(cached)).toEqual(result(fresh));
    expect(cached.files).toMatchObject({ read: 5, reused: first.files!.read - 4 });
    expect(cached.report.duplicates.map((d) => d.articleId).sort()).toContain('copy');
    expect(cached.articles.map((a) => a.id)).toEqual(expect.arrayContaining(['fixed', 'feed-2', 'new']));
    expect(cached.articles.map((a) => a.id)).not.toContain('doomed');
    expect(cached.articles.find((a) => a.id === 'same-size')?.text).toBe('Tanker hit near Adan: crew lost.');

    // And again, with nothing changed: every file reused, the same corpus.
    const again = await loadCorpus(dir, cached, later);
    expect(result(again)).toEqual(result(fresh));
    expect(again.files).toMatchObject({ read: 0, reused: cached.files!.read + cached.files!.reused });
  });

  it('reads again a file changed close to the previous load, whose times may not show a rewrite', async () => {
    const dir = await scratch();
    const file = path.join(dir, 'recent.json');
    await writeFile(file, line('recent', 'Version one of this short report.'));
    // With the real clock the file was written within the margin of the load: it is not trusted yet.
    const first = await loadCorpus(dir);
    const { atime, mtime } = await stat(file);
    // Rewritten with the same size, and its modification time put back as a coarse file system keeps it.
    await writeFile(file, line('recent', 'Version two of this short report.'));
    await utimes(file, atime, mtime);
    const second = await loadCorpus(dir, first);
    expect(second.files!.reused).toBe(0);
    expect(second.articles.find((a) => a.id === 'recent')?.text).toBe('Version two of this short report.');
    expect(result(second)).toEqual(result(await loadCorpus(dir)));
  });

  it('trusts a file once its times are older than the margin before the load that read it', async () => {
    const dir = await scratch();
    const file = path.join(dir, 'settled.json');
    await writeFile(file, line('settled', 'A report written well before.'));
    const start = Date.now();
    const at = (ms: number) => () => start + ms;
    // Read at the file's own time: too close to trust; read again a margin later: trusted from then on.
    const close = await loadCorpus(dir, undefined, at(0));
    const reread = await loadCorpus(dir, close, at(FILE_TIME_MARGIN_MS + 1000));
    expect(reread.files).toMatchObject({ reused: 0 });
    const reused = await loadCorpus(dir, reread, at(FILE_TIME_MARGIN_MS + 2000));
    expect(reused.files).toMatchObject({ read: 0 });
    // A modification time in the future (a clock set wrong, a copy from another machine) is never trusted.
    const future = new Date(Date.now() + 86_400_000);
    await utimes(file, future, future);
    const ahead = await loadCorpus(dir, reused, later);
    const stillAhead = await loadCorpus(dir, ahead, later);
    expect(stillAhead.files!.byPath.has(file)).toBe(true);
    expect([ahead.files!.read, stillAhead.files!.read]).toEqual([1, 1]);
  });

  it('is given the previous load by the library on a reload, and none on the first load', async () => {
    const dir = await scratch();
    const given: (Reopen | undefined)[] = [];
    const library = new Library({
      open: (reopen) => {
        given.push(reopen);
        return openEngine({ corpus: dir, topicsFile: TOPICS }, reopen);
      },
    });
    await library.reload('start-up');
    await writeFile(path.join(dir, 'hodeidah.json'), line('hodeidah', 'Port of Hodeidah reopens.'));
    const report = await library.reload('feeds');
    expect(report).toMatchObject({ ok: true, index: 'extended', added: 1, changed: 0, removed: 0 });
    expect(given[0]).toBeUndefined();
    expect(given[1]?.previousCorpus?.files?.byPath.size).toBeGreaterThan(0);
    expect(library.current().search('Hodeidah').results[0]?.articleId).toBe('hodeidah');
  });
});

describe('a file changed behind the same size and modification time', () => {
  /** Sets a file's mtime to the nanosecond, as touch -r, rsync -t and cp -p do (fs.utimes cannot). */
  const setMtime = (file: string, ns: bigint) =>
    execFileSync('touch', [
      '-m',
      '-d',
      `@${ns / 1_000_000_000n}.${String(ns % 1_000_000_000n).padStart(9, '0')}`,
      file,
    ]);
  const line = (id: string, text: string) => JSON.stringify({ id, date: '2024-11-02', text });

  it('is read again when rewritten in place with its times put back (rsync -t, cp -p)', async () => {
    const dir = tempDir('reload-mtime');
    const file = path.join(dir, 'a.json');
    await writeFile(file, line('a', 'Ten people were hurt.'));
    const first = await loadCorpus(dir, undefined, later);
    const { mtimeNs } = await stat(file, { bigint: true });
    await writeFile(file, line('a', 'Ten people were shot.'));
    setMtime(file, mtimeNs);
    const second = await loadCorpus(dir, first, later);
    expect(second.articles[0]!.text).toBe('Ten people were shot.');
  });

  it('is read again when another file of the same size and times is renamed over it (an editor saving)', async () => {
    const dir = tempDir('reload-rename');
    const file = path.join(dir, 'a.json');
    await writeFile(file, line('a', 'Ten people were hurt.'));
    const first = await loadCorpus(dir, undefined, later);
    const { mtimeNs } = await stat(file, { bigint: true });
    const aside = path.join(dir, '.a.json.tmp');
    await writeFile(aside, line('a', 'Ten people were shot.'));
    setMtime(aside, mtimeNs);
    await rename(aside, file);
    const second = await loadCorpus(dir, first, later);
    expect(second.articles[0]!.text).toBe('Ten people were shot.');
  });
});
