/**
 * `npm run bench [-- --sizes 1000,10000,100000] [--json]`: index build time, resident memory, and
 * latency percentiles of retrieval (search) and `brief` (retrieval + summary, no cache) on deterministic
 * synthetic corpora of ~700-word articles (written as JSONL first and loaded like any corpus), and on the
 * real corpus in ../shared when it is there. Memory is the peak RSS of loading the corpus and building its
 * index. Each size runs in a fresh process for a clean RSS: the script re-invokes itself. Then the
 * answer cache per backend (see cache.ts); `--no-cache` skips that.
 *
 * The ingest row is a feed poll's reload: 20 new articles become answerable by extending the index in
 * service (the reload's check that nothing was removed or changed, then `extendIndex`), against the
 * full build above; median of 5 successive polls, each extending the index the one before made (as the
 * bot does), in a fresh process that has read the corpus and its saved index as a restarted bot would,
 * with that process's peak RSS.
 *
 * The reload row is the same poll end to end, as the bot makes it (see reload.ts): 20 new article files
 * written into a copy of the corpus directory and the library's reload, in a fresh process, with every
 * file read again and with the previous load's unchanged files reused. `--reload-only` measures just
 * that row for each size (`--per-file`: over a corpus of one file per article, as feeds write them).
 */
import { execFileSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import { compareIds, hashArticle, loadCorpus } from '../src/engine/corpus/load.ts';
import { CorpusEngine } from '../src/engine/engine.ts';
import { buildIndex, extendIndex, type SearchIndex } from '../src/engine/index/build.ts';
import { indexKey, loadIndex, saveIndex } from '../src/engine/index/persist.ts';
import { loadTopics, type TopicDefinition } from '../src/engine/index/topics.ts';
import { extensionOf } from '../src/engine/open.ts';
import { planQuery } from '../src/engine/query.ts';
import { retrieve } from '../src/engine/retrieve.ts';
import { measureCache } from './cache.ts';
import { measureReload, RELOAD_RUNS, type ReloadRow } from './reload.ts';
import { NAMES, prng, synthetic } from './synthetic.ts';

const { values } = parseArgs({
  allowNegative: true,
  options: {
    sizes: { type: 'string', default: '1000,10000' },
    real: { type: 'string', default: '../shared/corpus/articles' },
    json: { type: 'boolean', default: false },
    one: { type: 'string' },
    corpus: { type: 'string' },
    restart: { type: 'string' },
    ingest: { type: 'string' },
    reload: { type: 'string' },
    'reload-only': { type: 'boolean', default: false },
    'per-file': { type: 'boolean', default: false },
    queries: { type: 'string', default: '200' },
    cache: { type: 'boolean', default: true },
  },
});
const TOPICS = fileURLToPath(new URL('../data/topics.json', import.meta.url));

interface Row {
  corpus: string;
  articles: number;
  passages: number;
  /** Reading and cleaning the corpus files. */
  loadMs: number;
  buildMs: number;
  /** Start-up with a persisted index: load the corpus from disk and read the saved index. */
  startMs: number;
  /** Peak resident memory while loading the corpus and building the index. */
  rssMB: number;
  retrieve: Percentiles;
  search: Percentiles;
  brief: Percentiles;
  /** The first `brief` in the process, before the one compiled code serves the rest (not in `brief`). */
  briefFirstMs: number;
  /** `brief` on free text of several words (no curated topic): read as a name or as words, latest measured apart. */
  briefFree: Percentiles;
  ingest: Ingest;
  reload: ReloadRow;
}
/** A feed poll's reload on this corpus: {@link INGESTED} new articles made answerable by extension. */
interface Ingest {
  articles: number;
  /** Median, fastest and slowest of the polls: the check that only articles were added, then the extension. */
  ms: { median: number; min: number; max: number };
  /** Of which the check (every article in service compared with the one read again). */
  checkMs: number;
  /** Resident memory after reading the corpus and its saved index, and the process's peak after the runs. */
  rssBeforeMB: number;
  rssPeakMB: number;
  /** Writing the extended index to the index cache, which a reload does after the swap (one run). */
  saveMs: number;
}
interface Percentiles {
  p50: number;
  p95: number;
  p99: number;
}

/**
 * Writes a synthetic corpus as JSONL shards of 10k articles (one file of 100k would pass V8's largest
 * string), or with `perFile` as one JSON file per article in folders of 1,000 (as feeds write theirs).
 */
async function writeSynthetic(count: number, dir: string, perFile = false): Promise<void> {
  const articles = synthetic(count);
  await mkdir(dir, { recursive: true });
  if (perFile) {
    for (const [i, a] of articles.entries()) {
      const folder = path.join(dir, `part-${Math.floor(i / 1000)}`);
      if (i % 1000 === 0) await mkdir(folder);
      const record = { id: a.id, title: a.title, date: a.date, source: a.publisher, text: a.text };
      await writeFile(path.join(folder, `${i}.json`), JSON.stringify(record));
    }
    return;
  }
  for (let i = 0; i < articles.length; i += 10_000) {
    const lines = articles
      .slice(i, i + 10_000)
      .map((a) =>
        JSON.stringify({ id: a.id, title: a.title, date: a.date, source: a.publisher, text: a.text }),
      );
    await writeFile(path.join(dir, `shard-${i / 10_000}.jsonl`), `${lines.join('\n')}\n`);
  }
}

/**
 * Saves the index, then times what a restart does, in a fresh process (so the corpus already in this one
 * does not weigh on it): load the corpus from disk and read the saved index. Then, in another fresh
 * process over the same saved index, a feed poll's ingest.
 */
async function startUp(
  corpus: string,
  topics: TopicDefinition[],
  index: SearchIndex,
  version: string,
): Promise<{ startMs: number; ingest: Ingest }> {
  const dir = await mkdtemp(path.join(tmpdir(), 'bench-index-'));
  try {
    const file = path.join(dir, 'index.idx');
    await saveIndex(index, indexKey(version, topics, {}), file);
    const child = (mode: string) =>
      execFileSync(
        process.execPath,
        ['--expose-gc', '--import', 'tsx', fileURLToPath(import.meta.url), mode, file, '--corpus', corpus],
        { encoding: 'utf8' },
      );
    const startMs = Number(child('--restart'));
    return { startMs, ingest: JSON.parse(child('--ingest')) as Ingest };
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
}

const copy = (s: string): string => Buffer.from(s, 'utf8').toString('utf8');

/** New articles per feed poll in the ingest row. */
const INGESTED = 20;
const INGEST_RUNS = 5;

/**
 * The ingest itself (`--ingest <index file> --corpus <dir>`): the bot's state after a restart (corpus and
 * saved index read), then the reload of a corpus that gained {@link INGESTED} articles; prints an {@link Ingest}.
 */
async function ingest(file: string, corpus: string): Promise<Ingest> {
  const topics = await loadTopics(TOPICS);
  const loaded = await loadCorpus(corpus);
  const read = await loadIndex(file, indexKey(loaded.corpusVersion, topics, {}), loaded.articles, topics, {});
  if (read.status !== 'loaded') throw new Error('the saved index did not load');
  // Feed items: other articles over the corpus's vocabulary, with ids that sort among the old ones.
  const added = synthetic(INGESTED * INGEST_RUNS, undefined, 99).map((a, i) => ({
    ...a,
    id: `feeds/bench/item-${i}`,
    date: '2026-11-28',
  }));
  // The reload reads every file again: equal articles, but other strings (compared in full by the check).
  const old = loaded.articles.map((a) => ({ ...a, title: copy(a.title), text: copy(a.text) }));
  // Hashed by loadCorpus in a real reload, outside what is timed here.
  const hashOf = new Map([...old, ...added].map((a) => [a.id, hashArticle(a)]));
  const hashes = new Map(loaded.articles.map((a, i) => [a.id, loaded.hashes[i]!]));
  globalThis.gc?.();
  const rssBeforeMB = Math.round(process.memoryUsage().rss / 1e6);
  const ms: number[] = [];
  const checks: number[] = [];
  let extended = read.index;
  for (let run = 0; run < INGEST_RUNS; run++) {
    const articles = [...old, ...added.slice(0, INGESTED * (run + 1))].sort(compareIds);
    const reread = { articles, hashes: articles.map((a) => hashOf.get(a.id)!) };
    globalThis.gc?.();
    const started = performance.now();
    const current = extensionOf(extended, reread, topics, {}, hashes);
    if (current === undefined) throw new Error('the reload was not seen as adding articles only');
    checks.push(performance.now() - started);
    extended = { ...extendIndex(extended, current.slice(extended.articles.length)), articles: current };
    ms.push(performance.now() - started);
    for (const a of current) hashes.set(a.id, hashOf.get(a.id)!);
  }
  const rssPeakMB = Math.round((process.resourceUsage().maxRSS * 1024) / 1e6);
  const saved = `${file}.extended`;
  const saveStarted = performance.now();
  await saveIndex(extended, 'bench', saved);
  const saveMs = Math.round(performance.now() - saveStarted);
  await rm(saved, { force: true });
  // Answerable: a search for a new article's words finds it.
  const engine = new CorpusEngine({ index: extended, corpusVersion: 'bench' });
  for (const probe of [added[0]!, added.at(-1)!]) {
    const found = engine.search(probe.title).results.some((r) => r.articleId === probe.id);
    if (!found) throw new Error('a new article is not found after the ingest');
  }
  const sorted = [...ms].sort((a, b) => a - b);
  return {
    articles: INGESTED,
    ms: {
      median: Math.round(sorted[Math.floor(sorted.length / 2)]!),
      min: Math.round(sorted[0]!),
      max: Math.round(sorted.at(-1)!),
    },
    checkMs: Math.round([...checks].sort((a, b) => a - b)[Math.floor(checks.length / 2)]!),
    rssBeforeMB,
    rssPeakMB,
    saveMs,
  };
}

/** The restart itself (`--restart <index file> --corpus <dir>`): prints its time in ms. */
async function restart(file: string, corpus: string): Promise<number> {
  const topics = await loadTopics(TOPICS);
  const t = performance.now();
  const loaded = await loadCorpus(corpus);
  const read = await loadIndex(file, indexKey(loaded.corpusVersion, topics, {}), loaded.articles, topics, {});
  if (read.status !== 'loaded') throw new Error('the saved index did not load');
  return performance.now() - t;
}

function percentiles(xs: number[]): Percentiles {
  const s = [...xs].sort((a, b) => a - b);
  const at = (q: number): number =>
    Math.round(s[Math.min(s.length - 1, Math.floor(q * s.length))]! * 1000) / 1000;
  return { p50: at(0.5), p95: at(0.95), p99: at(0.99) };
}

/** Measures one corpus in this process: `corpus` is a directory or file to load, as the bot would. */
async function measure(name: string, corpus: string): Promise<Row> {
  const topics = await loadTopics(TOPICS);
  const loadStarted = performance.now();
  const { articles, corpusVersion } = await loadCorpus(corpus);
  const loadMs = performance.now() - loadStarted;
  globalThis.gc?.();
  const started = performance.now();
  const index = buildIndex(articles, topics);
  const buildMs = performance.now() - started;
  // Peak resident memory of the process so far: loading the corpus and building its index.
  const rssMB = Math.round((process.resourceUsage().maxRSS * 1024) / 1e6);
  const { startMs, ingest } = await startUp(corpus, topics, index, corpusVersion);
  const reload = reloadInChild(corpus);
  const engine = new CorpusEngine({ index, corpusVersion: 'bench' });
  const queryCount = Number(values.queries);
  const terms = index.termText.filter((t) => t.length > 4);
  const questions = (seed: number, count: number): string[] => {
    const rand = prng(seed);
    return Array.from({ length: count }, (_, i) => {
      const name = NAMES[i % NAMES.length]!;
      const extra = Array.from(
        { length: 1 + Math.floor(rand() * 4) },
        () => terms[Math.floor(rand() * terms.length)],
      );
      return `What did ${name} do about ${extra.join(' ')} in January 2024?`;
    });
  };
  const queries = questions(7, queryCount);
  const slugs = [
    'kataib-hezbollah',
    'houthis',
    'hezbollah',
    'deir-ez-zor',
    'hts',
    'tower-22',
    'albukamal',
    'red-sea',
  ];
  // Other questions of the same kind compile the code the timed ones run (a running bot's state), without
  // filling the per-word caches of query analysis for the timed questions' own words.
  for (const q of questions(8, 100)) engine.search(q);
  // retrieve: query analysis + ranked passages (the index's own work); search adds snippets per article.
  const retrieveMs: number[] = [];
  for (const q of queries) {
    const t = performance.now();
    retrieve(index, planQuery(index, q), {}, 50);
    retrieveMs.push(performance.now() - t);
  }
  const searchMs: number[] = [];
  for (const q of queries) {
    const t = performance.now();
    engine.search(q);
    searchMs.push(performance.now() - t);
  }
  const freeTexts = ['houthis red sea', 'hezbollah baghdad', 'militia drone attacks', 'iran nuclear talks'];
  // The first brief compiles the code every later one runs: it is shown apart. Then each kind of brief is
  // run twice before timing, as the searches were above, so that the percentiles are a running bot's.
  const first = performance.now();
  await engine.brief(slugs[0]!);
  const briefFirstMs = performance.now() - first;
  for (let i = 0; i < 2; i++) for (const s of [...slugs, ...freeTexts]) await engine.brief(s);
  const briefMs: number[] = [];
  for (let i = 0; i < queryCount; i++) {
    const t = performance.now();
    await engine.brief(slugs[i % slugs.length]!);
    briefMs.push(performance.now() - t);
  }
  const briefFreeMs: number[] = [];
  for (let i = 0; i < queryCount; i++) {
    const t = performance.now();
    await engine.brief(freeTexts[i % freeTexts.length]!);
    briefFreeMs.push(performance.now() - t);
  }
  return {
    corpus: name === 'real' ? 'real (../shared)' : `synthetic ${name}`,
    articles: articles.length,
    passages: index.passageArticle.length,
    loadMs: Math.round(loadMs),
    buildMs: Math.round(buildMs),
    startMs: Math.round(startMs),
    rssMB,
    retrieve: percentiles(retrieveMs),
    search: percentiles(searchMs),
    brief: percentiles(briefMs),
    briefFirstMs: Math.round(briefFirstMs),
    briefFree: percentiles(briefFreeMs),
    ingest,
    reload,
  };
}

/** The reload row in a fresh process (see reload.ts). */
function reloadInChild(corpus: string): ReloadRow {
  const out = execFileSync(
    process.execPath,
    ['--expose-gc', '--import', 'tsx', fileURLToPath(import.meta.url), '--reload', corpus],
    { encoding: 'utf8' },
  );
  return JSON.parse(out) as ReloadRow;
}

function printReload(r: ReloadRow): void {
  console.log(
    `${''.padEnd(18)} reload +${r.articles} files written and reloaded: ${r.cached.median} ms reusing unchanged files (${r.cached.min}–${r.cached.max}, ${r.cached.filesRead} files read) vs ${r.full.median} ms reading every file (${r.full.min}–${r.full.max}, ${r.full.filesRead} files); median of ${RELOAD_RUNS} polls each`,
  );
}

if (values.restart !== undefined) {
  process.stdout.write(String(await restart(values.restart, values.corpus ?? values.real)));
} else if (values.ingest !== undefined) {
  process.stdout.write(JSON.stringify(await ingest(values.ingest, values.corpus ?? values.real)));
} else if (values.reload !== undefined) {
  process.stdout.write(JSON.stringify(await measureReload(values.reload, TOPICS)));
} else if (values['reload-only']) {
  for (const size of values.sizes.split(',').filter((s) => s.trim() !== '')) {
    const scratch = await mkdtemp(path.join(tmpdir(), 'bench-corpus-'));
    try {
      await writeSynthetic(Number(size), scratch, values['per-file']);
      const row = reloadInChild(scratch);
      if (values.json) console.log(JSON.stringify({ size: Number(size), reload: row }));
      else {
        console.log(`synthetic ${size}`);
        printReload(row);
      }
    } finally {
      await rm(scratch, { recursive: true, force: true });
    }
  }
} else if (values.one !== undefined) {
  process.stdout.write(JSON.stringify(await measure(values.one, values.corpus ?? values.real)));
} else {
  const names = values.sizes.split(',').filter((s) => s.trim() !== '');
  if (existsSync(values.real)) names.push('real');
  else console.error(`(real corpus not found at ${values.real}: skipped)`);
  const results: Row[] = [];
  for (const name of names) {
    // Synthetic corpora are written to disk first, so the measured process loads its corpus as the bot does.
    const scratch = name === 'real' ? undefined : await mkdtemp(path.join(tmpdir(), 'bench-corpus-'));
    if (scratch !== undefined) await writeSynthetic(Number(name), scratch);
    let out: string;
    try {
      out = execFileSync(
        process.execPath,
        [
          '--expose-gc',
          '--import',
          'tsx',
          fileURLToPath(import.meta.url),
          '--one',
          name,
          '--corpus',
          scratch ?? values.real,
          '--queries',
          values.queries,
        ],
        { encoding: 'utf8', maxBuffer: 1 << 24 },
      );
    } finally {
      if (scratch !== undefined) await rm(scratch, { recursive: true, force: true });
    }
    const row = JSON.parse(out) as Row;
    results.push(row);
    if (!values.json) {
      const p = (x: Percentiles): string => `${x.p50} / ${x.p95} / ${x.p99}`;
      console.log(
        `${row.corpus.padEnd(18)} ${String(row.articles).padStart(7)} art ${String(row.passages).padStart(8)} pass  load ${String(row.loadMs).padStart(6)} ms  build ${String(row.buildMs).padStart(6)} ms  start ${String(row.startMs).padStart(5)} ms  rss ${String(row.rssMB).padStart(5)} MB  retrieve p50/95/99 ${p(row.retrieve)} ms  search ${p(row.search)} ms  brief ${p(row.brief)} ms (first ${row.briefFirstMs})  free text ${p(row.briefFree)} ms`,
      );
      const i = row.ingest;
      console.log(
        `${''.padEnd(18)} ingest +${i.articles} articles: answerable in ${i.ms.median} ms (median of ${INGEST_RUNS} successive polls, ${i.ms.min}–${i.ms.max}; check ${i.checkMs} ms) vs full build ${row.buildMs} ms  rss ${i.rssBeforeMB} MB → peak ${i.rssPeakMB} MB  then saved in ${i.saveMs} ms`,
      );
      printReload(row.reload);
    }
  }
  // Cache figures on the real corpus (its topics give ~100 distinct briefings), else on the bundled one.
  const cache = values.cache
    ? await measureCache(
        existsSync(values.real) ? values.real : fileURLToPath(new URL('../data/articles', import.meta.url)),
      )
    : [];
  if (!values.json) {
    for (const row of cache) {
      console.log(
        `cache ${row.backend.padEnd(7)} brief hit p50/95 ${row.hit.p50} / ${row.hit.p95} ms  miss p50/95 ${row.miss.p50} / ${row.miss.p95} ms  hit is ${row.speedup}x faster`,
      );
    }
  }
  if (values.json) console.log(JSON.stringify({ results, cache }, null, 2));
}
