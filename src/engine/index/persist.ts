import { createHash } from 'node:crypto';
import { mkdir, readdir, readFile, rename, rm, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { crc32 } from 'node:zlib';
import type { Article } from '../corpus/article.ts';
import { compareIds } from '../corpus/load.ts';
import {
  type IndexOptions,
  PASSAGE_ARRAYS,
  type Postings,
  type SearchIndex,
  synonymMap,
  type TopicMentions,
} from './build.ts';
import { NameCounter } from './discover.ts';
import type { Speaker } from './speakers.ts';
import { AliasMatcher, type Topic, type TopicDefinition } from './topics.ts';
import { withRoom } from './typed.ts';
import { indexProblem } from './validate.ts';

/**
 * The index on disk: a JSON header, then its typed arrays back to back (8-byte aligned), each copied out
 * once as it is read, with room to grow for those an extension appends to (see `appended` in typed.ts).
 * Postings are saved as they are, their recent entries (`Postings.recent`) beside them. Articles are
 * not stored: the caller has loaded the corpus anyway, to know its version. A file whose key does not match (other corpus, topics, synonyms, options or
 * format) is never used. An extended index (`extendIndex`) holds its articles in the order they were
 * added, not in the corpus's order, so the file says which corpus article each of its articles is; and it
 * keeps the name counts, so that an index read back can be extended in turn. The first 8 bytes are the header's length and a CRC-32 of everything after
 * them: a flipped byte anywhere (header or arrays) makes the file damaged, never a wrong answer.
 */
/** The one place the on-disk format's version lives (it is part of every index key). */
export const INDEX_FORMAT = 10; // 2: term streams as variable-length bytes; 3: CRC-32 of the whole file; 4: turns, speakers, list items; 5: discovered topics are names, variants grouped with aliases; 6: article order and name counts (extensible); 7: speakers' offices from their introduction; 8: postings' recent entries saved beside the lists; 9: capitals the stemmer cut are no acronym; 10: a speaker's title is an office, not a handover, and a name stops before the title's next words
const MAGIC = 'BRIEFIDX';
/** Saved for postings without recent entries: no start at all. */
const NONE: Postings = { start: new Uint32Array(0), ids: new Uint32Array(0), tfs: new Uint8Array(0) };

const ARRAYS = [
  ...PASSAGE_ARRAYS,
  'articlePassageStart',
  'passageLength',
  'titleLength',
  'tokens',
  'tokenStart',
] as const;
type ArrayName = (typeof ARRAYS)[number];

type Typed = Uint32Array | Int32Array | Uint8Array;
const KINDS = { u32: Uint32Array, i32: Int32Array, u8: Uint8Array } as const;
type Kind = keyof typeof KINDS;

function kindOf(a: Typed): Kind {
  return a instanceof Int32Array ? 'i32' : a instanceof Uint8Array ? 'u8' : 'u32';
}

interface Header {
  magic: string;
  format: number;
  key: string;
  scalars: { avgPassageLength: number; avgTitleLength: number; newestDay: number };
  termText: string[];
  topics: Topic[];
  speakers: Speaker[];
  articleCounts: number[];
  /** The name counts' keys and displays (their numbers are arrays). */
  names: { keys: string[]; displays: string[] };
  arrays: { kind: Kind; length: number }[];
}

/** What a persisted index depends on besides the corpus: any change to these makes a new key. */
export function indexKey(
  corpusVersion: string,
  definitions: readonly TopicDefinition[],
  options: IndexOptions,
): string {
  return createHash('sha256')
    .update(JSON.stringify([INDEX_FORMAT, corpusVersion, definitions, options]))
    .digest('hex');
}

/** For each article of the index, its place in the corpus's order (by id). */
function corpusOrder(articles: readonly Article[]): Uint32Array {
  const sorted = articles.map((a, i) => ({ id: a.id, i })).sort(compareIds);
  const order = new Uint32Array(articles.length);
  sorted.forEach(({ i }, rank) => {
    order[i] = rank;
  });
  return order;
}

function flatten(index: SearchIndex, names: ReturnType<NameCounter['toStored']>): Typed[] {
  const out: Typed[] = ARRAYS.map((name) => index[name]);
  out.push(corpusOrder(index.articles), names.stats, names.capitals);
  // The recent entries as they are (no start at all for none): laying them out whole here would copy
  // the postings on the thread that answers, after every extension.
  for (const p of [index.body, index.title, index.body.recent ?? NONE, index.title.recent ?? NONE])
    out.push(p.start, p.ids, p.tfs);
  for (const m of index.topicMentions) out.push(m.passages, m.counts, m.titleArticles);
  return out;
}

/** Writes the index to `file` (atomically: a temporary file, then a rename). */
export async function saveIndex(index: SearchIndex, key: string, file: string): Promise<void> {
  const names = index.names.toStored();
  const arrays = flatten(index, names);
  const header: Header = {
    magic: MAGIC,
    format: INDEX_FORMAT,
    key,
    scalars: {
      avgPassageLength: index.avgPassageLength,
      avgTitleLength: index.avgTitleLength,
      newestDay: index.newestDay,
    },
    termText: index.termText,
    topics: index.topics,
    speakers: index.speakers,
    articleCounts: index.topicMentions.map((m) => m.articleCount),
    names: { keys: names.keys, displays: names.displays },
    arrays: arrays.map((a) => ({ kind: kindOf(a), length: a.length })),
  };
  const head = Buffer.from(JSON.stringify(header), 'utf8');
  const parts: Buffer[] = [];
  const prefix = Buffer.alloc(8);
  prefix.writeUInt32LE(head.length, 0);
  parts.push(prefix, head);
  let offset = 8 + head.length;
  for (const a of arrays) {
    const pad = (8 - (offset % 8)) % 8;
    if (pad > 0) parts.push(Buffer.alloc(pad));
    offset += pad;
    parts.push(Buffer.from(a.buffer, a.byteOffset, a.byteLength));
    offset += a.byteLength;
  }
  let checksum = 0;
  // Empty parts are skipped: Node 20's crc32 returns 0, not the running value, for an empty input.
  for (const part of parts.slice(1)) if (part.length > 0) checksum = crc32(part, checksum);
  prefix.writeUInt32LE(checksum, 4);
  await mkdir(path.dirname(file), { recursive: true });
  const temporary = `${file}.${process.pid}.tmp`;
  try {
    await writeFile(temporary, parts);
    await rename(temporary, file);
  } catch (err) {
    // A half-written temporary file would otherwise stay until the disk is full.
    await rm(temporary, { force: true });
    throw err;
  }
}

const TEMPORARY = /\.idx\.(\d+)\.tmp$/;

/**
 * Removes temporary files left in an index cache directory by processes that died while writing (a
 * kill, a crash, a full disk). A file whose writer is still running is left alone. Returns the names removed.
 */
export async function sweepTemporaryFiles(dir: string): Promise<string[]> {
  let names: string[];
  try {
    names = await readdir(dir);
  } catch {
    return [];
  }
  const stale = names.filter((name) => {
    const pid = Number(TEMPORARY.exec(name)?.[1] ?? Number.NaN);
    return Number.isInteger(pid) && pid !== process.pid && !processAlive(pid);
  });
  await Promise.all(stale.map((name) => rm(path.join(dir, name), { force: true })));
  return stale;
}

function processAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (err) {
    // EPERM: it exists but belongs to someone else.
    return (err as NodeJS.ErrnoException).code === 'EPERM';
  }
}

/** What reading an index file found. */
export type IndexRead =
  | { status: 'loaded'; index: SearchIndex }
  /** No file, or one built for another corpus, topics, options or format. */
  | { status: 'absent' }
  /** The file is corrupt or inconsistent: it should be deleted. */
  | { status: 'damaged'; reason: string };

/**
 * Reads an index written by {@link saveIndex} for these articles. The checksum is verified and every
 * bound the retrieval loops follow is validated before the index is returned.
 */
export async function loadIndex(
  file: string,
  key: string,
  articles: Article[],
  definitions: readonly TopicDefinition[],
  options: IndexOptions,
): Promise<IndexRead> {
  let buffer: Buffer;
  try {
    buffer = await readFile(file);
  } catch {
    return { status: 'absent' };
  }
  try {
    return decode(buffer, key, articles, definitions, options);
  } catch (err) {
    return { status: 'damaged', reason: `unreadable: ${(err as Error).message}` };
  }
}

function decode(
  buffer: Buffer,
  key: string,
  articles: Article[],
  definitions: readonly TopicDefinition[],
  options: IndexOptions,
): IndexRead {
  if (buffer.length < 8) return { status: 'damaged', reason: 'truncated' };
  if (crc32(buffer.subarray(8)) !== buffer.readUInt32LE(4))
    return { status: 'damaged', reason: 'checksum mismatch' };
  const headLength = buffer.readUInt32LE(0);
  const header = JSON.parse(buffer.subarray(8, 8 + headLength).toString('utf8')) as Header;
  if (header.magic !== MAGIC) return { status: 'damaged', reason: 'not an index file' };
  if (header.format !== INDEX_FORMAT || header.key !== key) return { status: 'absent' };
  let offset = 8 + headLength;
  const expected = ARRAYS.length + 15 + 3 * header.articleCounts.length;
  if (header.arrays.length !== expected) return { status: 'damaged', reason: 'wrong number of arrays' };
  const sizes = header.arrays.map(({ kind, length }) => {
    offset += (8 - (offset % 8)) % 8;
    const at = offset;
    offset += length * KINDS[kind].BYTES_PER_ELEMENT;
    return at;
  });
  if (offset !== buffer.length) return { status: 'damaged', reason: 'size does not match its header' };
  // Each array copied out of the file (whose buffer may start anywhere in Node's pool), the ones an
  // extension appends to with room to grow in place (see `appended` in typed.ts).
  const growing = growingArrays(header.articleCounts.length);
  const arrays = header.arrays.map(({ kind, length }, i) => {
    const Ctor = KINDS[kind];
    const bytes = length * Ctor.BYTES_PER_ELEMENT;
    const copy = growing.has(i) ? withRoom<Typed>(Ctor, length) : new Ctor(length);
    new Uint8Array(copy.buffer, 0, bytes).set(buffer.subarray(sizes[i]!, sizes[i]! + bytes));
    return copy;
  });
  const take = <T extends Typed>(): T => arrays.shift() as T;
  const fields = Object.fromEntries(ARRAYS.map((name) => [name, take()])) as Pick<SearchIndex, ArrayName>;
  const order = take<Uint32Array>();
  const names = NameCounter.fromStored({
    ...header.names,
    stats: take<Uint32Array>(),
    capitals: take<Uint32Array>(),
  });
  if (names === undefined) return { status: 'damaged', reason: 'name counts do not hold together' };
  const ordered = inOrder(articles, order);
  if (ordered === undefined) return { status: 'damaged', reason: 'article order is not a permutation' };
  const postings = (): Postings => ({ start: take(), ids: take(), tfs: take() });
  const body = postings();
  const title = postings();
  for (const [lists, recent] of [
    [body, postings()],
    [title, postings()],
  ] as const)
    if (recent.start.length > 0) lists.recent = recent;
  const topicMentions: TopicMentions[] = header.articleCounts.map((articleCount) => ({
    passages: take<Uint32Array>(),
    counts: take<Uint8Array>(),
    titleArticles: take<Uint32Array>(),
    articleCount,
  }));
  const stored = {
    articles: ordered,
    ...fields,
    ...header.scalars,
    termText: header.termText,
    body,
    title,
    topics: header.topics,
    speakers: header.speakers,
    topicMentions,
  };
  const problem = indexProblem(stored, ordered);
  if (problem !== undefined) return { status: 'damaged', reason: problem };
  const vocabulary = new Map(header.termText.map((t, i) => [t, i]));
  return {
    status: 'loaded',
    index: {
      ...stored,
      vocabulary,
      matcher: new AliasMatcher(definitions),
      synonyms: synonymMap(options.synonyms ?? [], vocabulary),
      names,
      options,
    },
  };
}

/** The places in the file's list of arrays of those that extensions append to. */
function growingArrays(topics: number): Set<number> {
  const growing = new Set(ARRAYS.map((_, i) => i));
  const body = ARRAYS.length + 3; // after the article order and the two arrays of name counts
  growing.add(body).add(body + 3); // the starts of the body's and the titles' postings (their recent entries follow)
  // Each topic's mentions: passages, counts and title articles.
  for (let t = 0; t < topics * 3; t++) growing.add(body + 12 + t);
  return growing;
}

/** `articles` (in the corpus's order) in the index's order, or undefined when `order` is no permutation. */
function inOrder(articles: readonly Article[], order: Uint32Array): Article[] | undefined {
  if (order.length !== articles.length) return undefined;
  const seen = new Uint8Array(articles.length);
  const out: Article[] = [];
  for (const i of order) {
    if (i >= articles.length || seen[i] === 1) return undefined;
    seen[i] = 1;
    out.push(articles[i]!);
  }
  return out;
}
