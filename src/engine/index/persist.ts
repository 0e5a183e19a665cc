import { createHash } from 'node:crypto';
import { mkdir, readFile, rename, writeFile } from 'node:fs/promises';
import path from 'node:path';
import type { Article } from '../corpus/article.ts';
import { type IndexOptions, type SearchIndex, synonymMap, type TopicMentions } from './build.ts';
import type { Speaker } from './speakers.ts';
import { AliasMatcher, type Topic, type TopicDefinition } from './topics.ts';

/**
 * The index on disk: a JSON header, then its typed arrays back to back (8-byte aligned, so they load as
 * views of one buffer without copying). Articles are not stored: the caller has loaded the corpus anyway,
 * to know its version. A file whose key does not match (other corpus, topics, synonyms, options or
 * format) is never used.
 */
const FORMAT = 3; // 2: term streams as variable-length bytes, tfs and topic counts as bytes; 3: turns, speakers, list items
const MAGIC = 'BRIEFIDX';

type ArrayName =
  | 'passageArticle'
  | 'passageDay'
  | 'passageStart'
  | 'passageEnd'
  | 'passageFirstSentence'
  | 'passageLastSentence'
  | 'sentenceStart'
  | 'sentenceEnd'
  | 'sentenceInfo'
  | 'articlePassageStart'
  | 'passageLength'
  | 'titleLength'
  | 'tokens'
  | 'tokenStart';
const ARRAYS: ArrayName[] = [
  'passageArticle',
  'passageDay',
  'passageStart',
  'passageEnd',
  'passageFirstSentence',
  'passageLastSentence',
  'sentenceStart',
  'sentenceEnd',
  'sentenceInfo',
  'articlePassageStart',
  'passageLength',
  'titleLength',
  'tokens',
  'tokenStart',
];

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
  arrays: { kind: Kind; length: number }[];
}

/** What a persisted index depends on besides the corpus: any change to these makes a new key. */
export function indexKey(
  corpusVersion: string,
  definitions: readonly TopicDefinition[],
  options: IndexOptions,
): string {
  return createHash('sha256')
    .update(JSON.stringify([FORMAT, corpusVersion, definitions, options]))
    .digest('hex');
}

function flatten(index: SearchIndex): Typed[] {
  const out: Typed[] = ARRAYS.map((name) => index[name]);
  out.push(
    index.body.start,
    index.body.ids,
    index.body.tfs,
    index.title.start,
    index.title.ids,
    index.title.tfs,
  );
  for (const m of index.topicMentions) out.push(m.passages, m.counts, Uint32Array.from(m.titleArticles));
  return out;
}

/** Writes the index to `file` (atomically: a temporary file, then a rename). */
export async function saveIndex(index: SearchIndex, key: string, file: string): Promise<void> {
  const arrays = flatten(index);
  const header: Header = {
    magic: MAGIC,
    format: FORMAT,
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
  await mkdir(path.dirname(file), { recursive: true });
  const temporary = `${file}.${process.pid}.tmp`;
  await writeFile(temporary, parts);
  await rename(temporary, file);
}

/**
 * Reads an index written by {@link saveIndex} for these articles, or returns undefined when the file is
 * missing, damaged, or was built from anything else (its key differs).
 */
export async function loadIndex(
  file: string,
  key: string,
  articles: Article[],
  definitions: readonly TopicDefinition[],
  options: IndexOptions,
): Promise<SearchIndex | undefined> {
  let buffer: Buffer;
  try {
    buffer = await readFile(file);
  } catch {
    return undefined;
  }
  try {
    const headLength = buffer.readUInt32LE(0);
    const header = JSON.parse(buffer.subarray(8, 8 + headLength).toString('utf8')) as Header;
    if (header.magic !== MAGIC || header.format !== FORMAT || header.key !== key) return undefined;
    // Copy into an 8-byte-aligned buffer: Node's file buffers may start anywhere in their pool.
    const aligned = new ArrayBuffer(buffer.length);
    new Uint8Array(aligned).set(buffer);
    let offset = 8 + headLength;
    const arrays = header.arrays.map(({ kind, length }) => {
      offset += (8 - (offset % 8)) % 8;
      const Ctor = KINDS[kind];
      const view = new Ctor(aligned, offset, length);
      offset += view.byteLength;
      return view;
    });
    if (offset !== buffer.length) return undefined;
    const take = <T extends Typed>(): T => arrays.shift() as T;
    const fields = Object.fromEntries(ARRAYS.map((name) => [name, take()])) as Pick<SearchIndex, ArrayName>;
    const body = { start: take<Uint32Array>(), ids: take<Uint32Array>(), tfs: take<Uint8Array>() };
    const title = { start: take<Uint32Array>(), ids: take<Uint32Array>(), tfs: take<Uint8Array>() };
    const topicMentions: TopicMentions[] = header.articleCounts.map((articleCount) => {
      const passages = take<Uint32Array>();
      const counts = take<Uint8Array>();
      const titleArticles = new Set(take<Uint32Array>());
      const passagesPerArticle = new Map<number, number>();
      for (const p of passages) {
        const a = fields.passageArticle[p]!;
        passagesPerArticle.set(a, (passagesPerArticle.get(a) ?? 0) + 1);
      }
      return { passages, counts, titleArticles, articleCount, passagesPerArticle };
    });
    const vocabulary = new Map(header.termText.map((t, i) => [t, i]));
    return {
      articles,
      ...fields,
      ...header.scalars,
      vocabulary,
      termText: header.termText,
      body,
      title,
      matcher: new AliasMatcher(definitions),
      topics: header.topics,
      speakers: header.speakers,
      topicMentions,
      synonyms: synonymMap(options.synonyms ?? [], vocabulary),
    };
  } catch {
    return undefined;
  }
}
