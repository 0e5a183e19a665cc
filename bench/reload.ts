/**
 * The bench's reload row: a feed poll as the bot makes it, end to end. Each poll writes
 * {@link POLL_ARTICLES} new article files into the corpus directory and calls the library's reload (the
 * one the poller calls), which loads the corpus and extends the index in service; timed until the reload
 * returns, when the new articles are answerable. Polls alternate between reading every file again (as
 * every reload did before the file cache) and reusing the previous load's unchanged files.
 */
import { cp, mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { FILE_TIME_MARGIN_MS } from '../src/engine/corpus/load.ts';
import { Library } from '../src/engine/library.ts';
import { openEngine, type Reopen } from '../src/engine/open.ts';
import { synthetic } from './synthetic.ts';

/** New articles per feed poll. */
export const POLL_ARTICLES = 20;
/** Polls of each kind. */
export const RELOAD_RUNS = 5;

export interface Spread {
  median: number;
  min: number;
  max: number;
}

/** Write-and-reload times of the polls of each kind, with the files each kind read. */
export interface ReloadRow {
  articles: number;
  /** Every corpus file read and parsed again. */
  full: Spread & { filesRead: number };
  /** The previous load's unchanged files reused. */
  cached: Spread & { filesRead: number };
}

export function spread(xs: readonly number[]): Spread {
  const s = [...xs].sort((a, b) => a - b);
  return {
    median: Math.round(s[Math.floor(s.length / 2)]!),
    min: Math.round(s[0]!),
    max: Math.round(s.at(-1)!),
  };
}

/** The reload row over a copy of `source` (a corpus directory), with `topicsFile`. */
export async function measureReload(source: string, topicsFile: string): Promise<ReloadRow> {
  const dir = await mkdtemp(path.join(tmpdir(), 'bench-reload-'));
  try {
    await cp(source, dir, { recursive: true });
    const copied = Date.now();
    let reuse = true;
    let filesRead = 0;
    const library = new Library({
      open: async (reopen) => {
        let given: Reopen | undefined = reopen;
        if (!reuse && reopen !== undefined) {
          given = { ...reopen };
          delete given.previousCorpus;
        }
        const opened = await openEngine({ corpus: dir, topicsFile }, given);
        filesRead = opened.corpus.files?.read ?? 0;
        return opened;
      },
    });
    await library.reload('start-up');
    const feed = synthetic(POLL_ARTICLES * (2 * RELOAD_RUNS + 1), undefined, 99);
    await mkdir(path.join(dir, 'feeds'), { recursive: true });
    let next = 0;
    let wrote = Date.now();
    const poll = async (): Promise<number> => {
      // The bot polls every 10 minutes: the previous poll's files have settled past the margin by the
      // next one (which reads them once more, as they were written just before the load that read them).
      await sleep(Math.max(0, wrote + FILE_TIME_MARGIN_MS + 200 - Date.now()));
      globalThis.gc?.();
      const started = performance.now();
      for (const a of feed.slice(next, next + POLL_ARTICLES)) {
        const record = { id: `feeds/item-${next}`, title: a.title, date: '2026-11-28', source: a.publisher };
        await writeFile(
          path.join(dir, 'feeds', `item-${next++}.json`),
          JSON.stringify({ ...record, text: a.text }),
        );
      }
      wrote = Date.now();
      const report = await library.reload('feeds');
      const ms = performance.now() - started;
      if (report.index !== 'extended' || report.added !== POLL_ARTICLES)
        throw new Error(`a poll's reload did not extend the index: ${JSON.stringify(report)}`);
      return ms;
    };
    // The bot's corpus files are old: the copy's settle past the margin, then a first poll reads them once more.
    wrote = copied;
    await poll();
    const full: number[] = [];
    const cached: number[] = [];
    const read = { full: 0, cached: 0 };
    for (let run = 0; run < 2 * RELOAD_RUNS; run++) {
      reuse = run % 2 === 1;
      (reuse ? cached : full).push(await poll());
      read[reuse ? 'cached' : 'full'] = filesRead;
    }
    const probe = library.current().search(feed.at(-1)!.title);
    if (!probe.results.some((r) => r.articleId === `feeds/item-${next - 1}`))
      throw new Error('a new article is not found after the reload');
    return {
      articles: POLL_ARTICLES,
      full: { ...spread(full), filesRead: read.full },
      cached: { ...spread(cached), filesRead: read.cached },
    };
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
}
