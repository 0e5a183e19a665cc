/**
 * The engine in service and its reloads. A reload reads the corpus and topics again, builds a new
 * engine beside the old one and swaps it in with one assignment: every request takes `current()` once,
 * so requests in flight finish on the engine they started with and none fails. A reload that finds
 * nothing usable (no valid article, a broken topics file) keeps the old engine and says why.
 */
import { createHash } from 'node:crypto';
import { z } from 'zod';
import { UserError } from '../errors.ts';
import type { Rejection } from './corpus/article.ts';
import type { Corpus } from './corpus/load.ts';
import type { Engine } from './engine.ts';
import type { OpenedEngine, Reopen } from './open.ts';

/** What one load changed, compared with the previous one. */
export interface ReloadReport {
  ok: boolean;
  /** Why the reload was refused (ok false): the old corpus stays in service. */
  error?: string;
  /** A problem that did not stop the reload. */
  warning?: string;
  /**
   * Whether this thread built the index, read it ready-made (from the index cache, or built by the
   * worker), or extended the index in service with the articles the corpus gained (a feed poll's reload).
   */
  index?: 'built' | 'cache' | 'extended';
  at: string;
  /** Who asked: a Discord user tag, `watch`, `cli`, `start-up`. */
  by: string;
  ms: number;
  articles: number;
  added: number;
  changed: number;
  removed: number;
  unchanged: number;
  rejected: Rejection[];
  duplicates: number;
  corpusVersion: string;
  previousVersion: string | undefined;
}

/** Per article: a hash of what it says, and when this deployment first saw it (ISO time). */
export const manifestSchema = z.record(z.string(), z.object({ h: z.string(), seen: z.string() }));
export type Manifest = z.infer<typeof manifestSchema>;

const articleHash = (a: Corpus['articles'][number]) =>
  createHash('sha1')
    .update(`${a.title}\u0000${a.date}\u0000${a.url ?? ''}\u0000${a.text}`)
    .digest('base64url');

const FIRST_LOAD = '1970-01-01T00:00:00.000Z';

/** The new manifest for a corpus, keeping first-seen times of articles the previous one knew. */
export function diffCorpus(
  corpus: Corpus,
  previous: Manifest | undefined,
  now: Date,
  hashOf: (a: Corpus['articles'][number]) => string = articleHash,
): { manifest: Manifest; added: number; changed: number; removed: number; unchanged: number } {
  const manifest: Manifest = {};
  let added = 0;
  let changed = 0;
  let unchanged = 0;
  const at = now.toISOString();
  for (const a of corpus.articles) {
    const h = hashOf(a);
    const before = previous?.[a.id];
    if (before === undefined) added++;
    else if (before.h === h) unchanged++;
    else changed++;
    // A changed article counts as new for "what is new since": its content is.
    // The first corpus a deployment sees is its starting point, not news: first seen "ever".
    const seen =
      previous === undefined ? FIRST_LOAD : before !== undefined && before.h === h ? before.seen : at;
    manifest[a.id] = { h, seen };
  }
  const removed = previous === undefined ? 0 : Object.keys(previous).filter((id) => !(id in manifest)).length;
  return { manifest, added, changed, removed, unchanged };
}

export interface LibraryOptions {
  /**
   * Opens an engine from the files as they are now (the same options as at start-up). On a reload it is
   * given the index in service, to extend when the corpus only gained articles, and `prebuild`.
   */
  open: (reopen?: Reopen) => Promise<OpenedEngine>;
  /**
   * For a reload that cannot extend the index in service (not the first load): builds the index off this
   * thread so that `open` only reads it. A failure is not an error: `open` then builds it here.
   */
  prebuild?: () => Promise<unknown>;
  /** Where the manifest is kept between reloads and restarts; in memory only when omitted. */
  manifestStore?: {
    load(): Promise<Manifest | undefined>;
    save(manifest: Manifest): Promise<void>;
  };
  now?: () => Date;
  /** Wrap each engine once it is open (tests use it to slow it down). */
  wrap?: (engine: Engine) => Engine;
}

export class Library {
  private engine: Engine | undefined;
  /** The article hashes of the corpus in service, by id: a reload compares them (see {@link Reopen}). */
  private hashes: ReadonlyMap<string, string> | undefined;
  /** The files the corpus in service was loaded from: a reload reads only those that changed. */
  private files: Pick<Corpus, 'files'> | undefined;
  private manifest: Manifest | undefined;
  /**
   * Manifest hashes by article: a reload reuses the articles of unchanged files (see {@link Reopen}), so
   * most are hashed once, not on every reload (hashing every article is most of a second at 100k).
   */
  private readonly manifestHashes = new WeakMap<Corpus['articles'][number], string>();
  private running: Promise<ReloadReport> | undefined;
  /** The last load or reload, successful or not. */
  last: ReloadReport | undefined;

  constructor(private readonly options: LibraryOptions) {}

  /** The engine in service. Take it once per request. */
  current(): Engine {
    if (this.engine === undefined) throw new Error('the library has not loaded a corpus yet');
    return this.engine;
  }

  /** The library's clock (first-seen times are on it; compare with it). */
  now(): Date {
    return (this.options.now ?? (() => new Date()))();
  }

  /** First-seen time of an article in this deployment (ISO), if known. */
  firstSeen(articleId: string): string | undefined {
    return this.manifest?.[articleId]?.seen;
  }

  /**
   * Loads the corpus and swaps the new engine in, or keeps the old one and reports why. Concurrent
   * calls share one load. The first load throws when nothing usable is found (there is no old engine).
   */
  reload(by: string): Promise<ReloadReport> {
    this.running ??= this.load(by).finally(() => {
      this.running = undefined;
    });
    return this.running;
  }

  private async load(by: string): Promise<ReloadReport> {
    const now = () => this.now();
    const started = performance.now();
    const at = now().toISOString();
    const previousVersion = this.engine?.corpusVersion;
    this.manifest ??= await this.options.manifestStore?.load();
    let opened: OpenedEngine;
    try {
      const prebuild = this.options.prebuild;
      opened = await this.options.open(
        this.engine === undefined
          ? undefined
          : {
              previous: this.engine.index,
              ...(this.hashes ? { previousHashes: this.hashes } : {}),
              ...(this.files ? { previousCorpus: this.files } : {}),
              ...(prebuild ? { prebuild } : {}),
            },
      );
    } catch (err) {
      if (this.engine === undefined || !(err instanceof UserError)) throw err;
      const report: ReloadReport = {
        ok: false,
        error: err.message,
        at,
        by,
        ms: Math.round(performance.now() - started),
        articles: this.engine.stats().articles,
        added: 0,
        changed: 0,
        removed: 0,
        unchanged: 0,
        rejected: [],
        duplicates: 0,
        corpusVersion: this.engine.corpusVersion,
        previousVersion,
      };
      this.last = report;
      return report;
    }
    const diff = diffCorpus(opened.corpus, this.manifest, now(), (a) => {
      let h = this.manifestHashes.get(a);
      if (h === undefined) {
        h = articleHash(a);
        this.manifestHashes.set(a, h);
      }
      return h;
    });
    const engine = this.options.wrap ? this.options.wrap(opened.engine) : opened.engine;
    // The swap: one assignment; requests that already took the old engine finish on it.
    this.engine = engine;
    this.hashes = new Map(opened.corpus.articles.map((a, i) => [a.id, opened.corpus.hashes[i]!]));
    this.files = opened.corpus.files ? { files: opened.corpus.files } : undefined;
    this.manifest = diff.manifest;
    let warning: string | undefined;
    // The extended index is saved after the swap; the reload ends once it is on disk (another process
    // told of this reload, or a restart, then reads it rather than extending or building again).
    const unsaved = await opened.saving;
    if (unsaved !== undefined && unsaved.length > 0) warning = unsaved.join('; ');
    try {
      await this.options.manifestStore?.save(diff.manifest);
    } catch (err) {
      // The new corpus is in service; only the next report's counts may be off.
      warning = `${warning === undefined ? '' : `${warning}; `}the manifest could not be saved (${(err as Error).message}): the next reload may count changes wrongly`;
    }
    const report: ReloadReport = {
      ok: true,
      at,
      by,
      ms: Math.round(performance.now() - started),
      articles: opened.corpus.articles.length,
      added: diff.added,
      changed: diff.changed,
      removed: diff.removed,
      unchanged: diff.unchanged,
      rejected: opened.corpus.report.rejected,
      duplicates: opened.corpus.report.duplicates.length,
      corpusVersion: engine.corpusVersion,
      previousVersion,
      index: opened.indexFrom,
      ...(warning ? { warning } : {}),
    };
    this.last = report;
    return report;
  }
}
