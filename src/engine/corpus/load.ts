import { createHash } from 'node:crypto';
import { type BigIntStats, type Dirent, statSync } from 'node:fs';
import { readdir, readFile, stat } from 'node:fs/promises';
import path from 'node:path';
import { normaliseBody, normaliseInline, splitSentences } from '../text.ts';
import { type Article, type LoadReport, type RawArticle, rawArticleSchema } from './article.ts';
import { mergeDuplicates } from './duplicates.ts';
import { ARTICLE_EXTENSIONS, type ArticleExtension, parseFile } from './parse.ts';

/** A loaded corpus: its articles in a stable order, the load report, and its content hash. */
export interface Corpus {
  articles: Article[];
  report: LoadReport;
  /** sha256 (hex) over every article's id and content: any change to any article changes it. */
  corpusVersion: string;
  /** Each article's own sha256 ({@link hashArticle}), parallel to `articles`: what a reload compares. */
  hashes: string[];
  /** What each file gave, for the next load to reuse (see {@link loadCorpus}). Default none: all is read. */
  files?: FileCache;
}

/** Thrown when the corpus path does not exist: the caller decides what that means for its user. */
export class CorpusPathError extends Error {
  override name = 'CorpusPathError';
}

const MAX_TITLE = 120;

type Where = { file: string; line?: number };
/** One record of a file before the corpus-wide checks (ids, copies): its article, or why it was rejected. */
type FileRecord = { where: Where; article: Article } | { where: Where; reason: string };

/** A file as one load read it: what the file system said of it then, and its records. */
interface FileRead {
  rel: string;
  size: bigint;
  mtimeNs: bigint;
  ctimeNs: bigint;
  ino: bigint;
  dev: bigint;
  /** The clock (ns since the epoch) when the load that read it started. */
  loadStartedNs: bigint;
  records: FileRecord[];
}

/** The files a load read, by path, with the hashes of their articles; and how many it read or reused. */
export interface FileCache {
  /** By the file's path as listed (under the corpus root given). */
  byPath: Map<string, FileRead>;
  /** {@link hashArticle} of each article once computed: reused articles are not hashed again. */
  hashes: WeakMap<Article, string>;
  /** Files this load read and parsed. */
  read: number;
  /** Files this load took from the previous load's cache. */
  reused: number;
}

/**
 * How recent a file's modification may be, relative to the start of the load that read it, for its
 * records to be reused. File times are coarse (1 s on ext3 and HFS+, 2 s on FAT, a kernel tick on
 * ext4), so a file rewritten with the same size just after it was read can keep its times: a file
 * changed this close to (or after) the load is read again by the next one, which costs one re-read of
 * a feed poll's new files.
 */
export const FILE_TIME_MARGIN_MS = 3000;

/** Stateless between calls: `decode` without `stream` starts afresh each time. */
const DECODER = new TextDecoder('utf-8', { fatal: true });

/**
 * Loads every article under `root` (a directory, searched recursively, or one file). Bad files and
 * records never stop the load: each is skipped and listed in the report with file, line and reason.
 *
 * With `previous`, a file whose path, size, inode, modification and change times are what they were when
 * `previous` read it (and were not within {@link FILE_TIME_MARGIN_MS} of that load) is not read again:
 * its records are reused. The corpus-wide checks (ids, copies) run over every file's records as a full
 * load would, so the result is the same as a fresh load's.
 */
export async function loadCorpus(
  root: string,
  previous?: Pick<Corpus, 'files'>,
  /** The clock (ms since the epoch) the files' times are compared with. Default `Date.now`. */
  clock: () => number = Date.now,
): Promise<Corpus> {
  const loadStartedNs = BigInt(Math.floor(clock())) * 1_000_000n;
  const info = await stat(root).catch(() => null);
  if (info === null) throw new CorpusPathError(`corpus path not found: ${root}`);
  const base = info.isDirectory() ? root : path.dirname(root);
  const unlisted: { dir: string; reason: string }[] = [];
  const files = info.isDirectory() ? await listArticleFiles(root, unlisted) : [root];
  const report: LoadReport = { files: files.length, loaded: 0, rejected: [], duplicates: [] };
  for (const { dir, reason } of unlisted)
    report.rejected.push({ file: path.relative(base, dir).split(path.sep).join('/'), reason });
  const articles: Article[] = [];
  const byId = new Map<string, Article>();
  /** Normalised text → the slot in `articles` of its first record. */
  const byText = new Map<string, number>();
  /** Slot → every record with that text, when there is more than one. */
  const copies = new Map<number, Article[]>();
  const cache: FileCache = {
    byPath: new Map(),
    hashes: previous?.files?.hashes ?? new WeakMap(),
    read: 0,
    reused: 0,
  };

  const stats = await statAll(files);
  const prefix = base.endsWith(path.sep) ? base : base + path.sep;
  for (const [at, file] of files.entries()) {
    // A reload that reuses every file has no read to wait on: the thread that answers is let go now
    // and then, as the stats are taken.
    if (at > 0 && at % STAT_SLICE === 0) await new Promise<void>((resolve) => setImmediate(resolve));
    const rel = (file.startsWith(prefix) ? file.slice(prefix.length) : path.relative(base, file))
      .split(path.sep)
      .join('/');
    const ext = path.extname(file).toLowerCase() as ArticleExtension;
    if (!ARTICLE_EXTENSIONS.includes(ext)) {
      report.rejected.push({
        file: rel,
        reason: `unsupported file type "${ext}" (use .txt, .md, .json or .jsonl)`,
      });
      continue;
    }
    const now = stats[at] ?? null;
    const before = previous?.files?.byPath.get(file);
    let records: FileRecord[];
    if (now !== null && before !== undefined && unchanged(before, now, rel)) {
      records = before.records;
      cache.byPath.set(file, before);
      cache.reused++;
    } else {
      const read = await readRecords(file, ext, rel);
      records = read.records;
      cache.read++;
      // A file that could not be read (no permission, gone) is tried again by the next load.
      if (now !== null && read.cacheable) {
        const { size, mtimeNs, ctimeNs, ino, dev } = now;
        cache.byPath.set(file, { rel, size, mtimeNs, ctimeNs, ino, dev, loadStartedNs, records });
      }
    }
    for (const record of records) {
      if (!('article' in record)) {
        report.rejected.push({ ...record.where, reason: record.reason });
        continue;
      }
      const { article, where } = record;
      const clash = byId.get(article.id);
      if (clash !== undefined) {
        report.rejected.push({
          ...where,
          reason: `duplicate id "${article.id}" (first loaded from ${clash.origin})`,
        });
        continue;
      }
      // A merged copy's id stays taken: whichever copy survives, no other record may reuse its id.
      byId.set(article.id, article);
      const same = byText.get(article.text);
      if (same !== undefined) {
        copies.set(same, [...(copies.get(same) ?? [articles[same]!]), article]);
        continue;
      }
      byText.set(article.text, articles.length);
      articles.push(article);
    }
  }
  // The survivor is chosen once every copy is known, so it never depends on which file came first.
  for (const [slot, group] of copies) {
    const { kept, merges } = mergeDuplicates(group);
    articles[slot] = kept;
    report.duplicates.push(...merges);
  }
  articles.sort(compareIds);
  report.loaded = articles.length;
  const hashes = articles.map((a) => {
    let h = cache.hashes.get(a);
    if (h === undefined) {
      h = hashArticle(a);
      cache.hashes.set(a, h);
    }
    return h;
  });
  return { articles, report, corpusVersion: hashCorpus(hashes), hashes, files: cache };
}

/** Files stat'ed between two yields to the event loop: some 5 ms. */
const STAT_SLICE = 1000;

/**
 * Each file's times and size, null when it cannot be stat'ed (its read then says why). Synchronous, in
 * slices with a yield between: about 5 µs a file on this machine against 20–30 µs through the thread
 * pool (100k files, some five weeks of feed items, in 0.5 s rather than 2–3 s), and the thread that
 * answers is never held for long.
 */
async function statAll(files: readonly string[]): Promise<(BigIntStats | null)[]> {
  const out: (BigIntStats | null)[] = [];
  for (const [i, file] of files.entries()) {
    if (i > 0 && i % STAT_SLICE === 0) await new Promise((resolve) => setImmediate(resolve));
    try {
      out.push(statSync(file, { bigint: true, throwIfNoEntry: false }) ?? null);
    } catch {
      out.push(null);
    }
  }
  return out;
}

/** Whether a file is as it was when `before` was read, and was last changed well before that load. */
function unchanged(before: FileRead, now: BigIntStats, rel: string): boolean {
  const settled = before.loadStartedNs - BigInt(FILE_TIME_MARGIN_MS) * 1_000_000n;
  return (
    before.rel === rel &&
    before.size === now.size &&
    before.mtimeNs === now.mtimeNs &&
    before.ctimeNs === now.ctimeNs &&
    before.ino === now.ino &&
    before.dev === now.dev &&
    before.mtimeNs < settled &&
    before.ctimeNs < settled
  );
}

/** A file's records; `cacheable` false when the file could not be read (the next load tries again). */
async function readRecords(
  file: string,
  ext: ArticleExtension,
  rel: string,
): Promise<{ records: FileRecord[]; cacheable: boolean }> {
  let content: string;
  try {
    content = DECODER.decode(await readFile(file));
  } catch (err) {
    const reason =
      err instanceof TypeError
        ? 'not valid UTF-8 text: re-save the file as UTF-8'
        : err instanceof RangeError
          ? 'too large to read as one file (over ~500 MB): split it into several .jsonl files'
          : `unreadable: ${unreadable(err)}`;
    return { records: [{ where: { file: rel }, reason }], cacheable: err instanceof TypeError };
  }
  const parsedRecords = parseFile(ext, content);
  const single = parsedRecords.length === 1 && (ext === '.txt' || ext === '.md' || ext === '.json');
  const records: FileRecord[] = [];
  for (const record of parsedRecords) {
    const where: Where = { file: rel, ...(record.line === undefined ? {} : { line: record.line }) };
    if (!record.ok) {
      records.push({ where, reason: record.reason });
      continue;
    }
    const parsed = rawArticleSchema.safeParse(record.fields);
    if (!parsed.success) {
      const reason = parsed.error.issues
        .map((i) => `${i.path.length > 0 ? `${i.path.join('.')}: ` : ''}${i.message}`)
        .join('; ');
      records.push({ where, reason });
      continue;
    }
    const fallbackId = single
      ? rel.replace(/\.[^./]+$/, '')
      : `${rel.replace(/\.[^./]+$/, '')}#${record.line ?? (record.index ?? 0) + 1}`;
    const origin = record.line === undefined ? rel : `${rel}:${record.line}`;
    const article = toArticle(parsed.data, parsed.data.id ?? fallbackId, origin);
    if (article === null) {
      records.push({ where, reason: 'the article has no text after cleaning' });
      continue;
    }
    records.push({ where, article });
  }
  return { records, cacheable: true };
}

/** The corpus order: by id (code units, not locale), so that it never depends on the files' order. */
export function compareIds(a: { id: string }, b: { id: string }): number {
  return a.id < b.id ? -1 : a.id > b.id ? 1 : 0;
}

/** Builds a clean article from a validated record, or null when nothing is left of its text. */
export function toArticle(raw: RawArticle, id: string, origin: string): Article | null {
  const text = normaliseBody(raw.text);
  if (text === '') return null;
  const title = raw.title !== undefined ? normaliseInline(raw.title).trim() : deriveTitle(text);
  return {
    id,
    title,
    date: raw.date,
    publisher: raw.publisher ?? raw.source ?? null,
    url: raw.url ?? null,
    tags: (raw.tags ?? []).map((t) => t.trim()).filter((t) => t !== ''),
    text,
    origin,
  };
}

/** The first sentence, cut at a word boundary if long. */
export function deriveTitle(text: string): string {
  const first = splitSentences(text)[0];
  const sentence = first === undefined ? text : text.slice(first.start, first.end);
  if (sentence.length <= MAX_TITLE) return sentence;
  const cut = sentence.slice(0, MAX_TITLE - 1);
  return `${cut.slice(0, Math.max(cut.lastIndexOf(' '), 40))}…`;
}

export function hashArticle(a: Article): string {
  return createHash('sha256')
    .update([a.id, a.title, a.date, a.publisher ?? '', a.url ?? '', a.tags.join(','), a.text].join('\u0000'))
    .digest('hex');
}

/** The corpus version from its articles' hashes, in the corpus's order. */
export function hashCorpus(hashes: readonly string[]): string {
  const h = createHash('sha256');
  for (const a of hashes) h.update(a).update('\n');
  return h.digest('hex');
}

/**
 * The files under `dir`. A directory below it that cannot be read (a path over the system's limit,
 * ENAMETOOLONG; no permission) is one entry in `unlisted`, and the rest of the tree is still listed.
 */
async function listArticleFiles(
  dir: string,
  unlisted: { dir: string; reason: string }[],
  top = true,
): Promise<string[]> {
  const out: string[] = [];
  let entries: Dirent[];
  try {
    entries = await readdir(dir, { withFileTypes: true });
  } catch (err) {
    if (top) throw err;
    unlisted.push({ dir, reason: `directory unreadable: ${unreadable(err)}` });
    return out;
  }
  entries.sort((a, b) => (a.name < b.name ? -1 : 1));
  for (const entry of entries) {
    if (entry.name.startsWith('.')) continue;
    const full = path.join(dir, entry.name);
    if (entry.isDirectory()) out.push(...(await listArticleFiles(full, unlisted, false)));
    else if (entry.isFile()) out.push(full);
  }
  return out;
}

/** A file-system error in words, with its code (the path is already in the report's file column). */
function unreadable(err: unknown): string {
  const code = (err as NodeJS.ErrnoException).code;
  if (code === 'ENAMETOOLONG')
    return 'ENAMETOOLONG, the path is longer than the system allows: move it higher up';
  if (code === 'EACCES' || code === 'EPERM') return `${code}, no permission to read it`;
  return err instanceof Error ? err.message : String(err);
}
