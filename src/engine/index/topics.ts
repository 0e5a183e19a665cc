import { readFile } from 'node:fs/promises';
import { z } from 'zod';
import { slugify } from '../text.ts';
import { UPPER } from './scan.ts';
import { isStopWord, type Token, terms, tokenize } from './tokenize.ts';

/** A curated topic of `data/topics.json`. */
export const topicSchema = z.object({
  slug: z.string().regex(/^[a-z0-9]+(?:-[a-z0-9]+)*$/, 'a slug is lower-case words joined by hyphens'),
  name: z.string().min(1),
  /** Names and spelling variants, matched case-insensitively as whole phrases. */
  aliases: z.array(z.string().min(1)).default([]),
  /** Abbreviations (KH, HTS): matched only in capitals, and only in articles that show the topic's context. */
  acronyms: z.array(z.string().regex(/^[A-Z0-9.-]+$/, 'an acronym is written in capitals')).default([]),
  /** What the topic is: a person's name counts as an answer to "who" questions. Default "other". */
  kind: z.enum(['person', 'group', 'place', 'event', 'other']).default('other'),
  /** Words that show an article is about this topic; they let its acronyms count there. */
  context: z.array(z.string().min(1)).default([]),
});
export type TopicDefinition = z.infer<typeof topicSchema>;

export const topicsFileSchema = z.object({ topics: z.array(topicSchema) }).superRefine((file, ctx) => {
  const seen = new Map<string, string>();
  file.topics.forEach((t, i) => {
    for (const key of [t.slug, ...t.aliases.map(slugify), ...t.acronyms.map(slugify)]) {
      const owner = seen.get(key);
      if (owner !== undefined && owner !== t.slug) {
        ctx.addIssue({
          code: 'custom',
          path: ['topics', i],
          message: `"${key}" names both "${owner}" and "${t.slug}"; each alias must belong to one topic`,
        });
      }
      seen.set(key, t.slug);
    }
  });
});

/** A topic a briefing can be about: curated, or discovered as a frequent name in the corpus. */
export interface Topic {
  slug: string;
  name: string;
  aliases: string[];
  curated: boolean;
  /** Articles that mention it. */
  articles: number;
}

/** A curated data file (topics, synonyms) that cannot be read or does not validate. */
export class DataFileError extends Error {
  override name = 'DataFileError';
}

/** Reads and validates a topics file; every problem is listed in one error. */
export async function loadTopics(file: string): Promise<TopicDefinition[]> {
  return (await readJsonFile(file, topicsFileSchema, 'topics')).topics;
}

export const synonymsFileSchema = z.object({
  note: z.string().optional(),
  groups: z.array(
    z
      .array(z.string().regex(/^[\p{L}\p{N}'-]+$/u, 'a synonym is one word'))
      .min(2, 'a group needs two words or more'),
  ),
});

/** Reads and validates a synonyms file: groups of single words that stand for one another in queries. */
export async function loadSynonyms(file: string): Promise<string[][]> {
  return (await readJsonFile(file, synonymsFileSchema, 'synonyms')).groups;
}

/** Reads a JSON data file and validates it, listing every problem in one {@link DataFileError}. */
async function readJsonFile<T>(file: string, schema: z.ZodType<T>, what: string): Promise<T> {
  let raw: unknown;
  try {
    raw = JSON.parse(await readFile(file, 'utf8'));
  } catch (err) {
    throw new DataFileError(`cannot read ${what} file ${file}: ${(err as Error).message}`);
  }
  const parsed = schema.safeParse(raw);
  if (!parsed.success) {
    const problems = parsed.error.issues.map((i) => `  - ${i.path.join('.')}: ${i.message}`).join('\n');
    throw new DataFileError(`${what} file ${file} is invalid:\n${problems}`);
  }
  return parsed.data;
}

/** One alias occurrence: topic `topic` spans tokens `[start, start + length)`. */
export interface AliasMatch {
  topic: number;
  start: number;
  length: number;
  acronym: boolean;
}

interface CompiledAlias {
  /** The alias's terms as alias-term ids (see {@link AliasMatcher.aliasTerm}). */
  seq: number[];
  topic: number;
  acronym: boolean;
  /**
   * For an acronym, its tokens' {@link UPPER} and {@link STEMMED} flags as written: "ISIS" is itself read
   * "isi", so it matches "ISIS" (cut the same way) and never "ISI"; "IRI" never matches "IRIS".
   */
  written: number[];
}

/**
 * Bit of a token's flags beside {@link UPPER}: a word in capitals the stemmer cut short ("IRIS", the
 * Iranian ship prefix, is read "iri"; see {@link Token.stemmed}). It is no acronym: "IRI" never matches it.
 */
export const STEMMED = 4;

/**
 * Finds topic aliases in token sequences. At each position the longest alias wins, so
 * "Kataib Hezbollah" is one mention of kataib-hezbollah and never a mention of Lebanese Hezbollah.
 * Matching runs over small integer ids of the terms that occur in aliases (every other term is -1), so
 * the index build can match whole passages without a string lookup or an object per token.
 */
export class AliasMatcher {
  private readonly termIds = new Map<string, number>();
  /** Per alias-term id: the aliases starting with it, longest first. */
  private readonly byFirst: (CompiledAlias[] | undefined)[] = [];
  readonly contextTerms: Set<string>[];

  constructor(readonly definitions: readonly TopicDefinition[]) {
    definitions.forEach((t, topic) => {
      const add = (text: string, acronym: boolean): void => {
        const toks = tokenize(text);
        const seq = toks.map((t) => this.intern(t.term));
        if (seq.length === 0) return;
        const written = toks.map((t) => UPPER | (t.stemmed ? STEMMED : 0));
        const list = this.byFirst[seq[0]!] ?? [];
        list.push({ seq, topic, acronym, written });
        list.sort((a, b) => b.seq.length - a.seq.length);
        this.byFirst[seq[0]!] = list;
      };
      add(t.name, false);
      for (const a of t.aliases) add(a, false);
      for (const a of t.acronyms) add(a, true);
    });
    this.contextTerms = definitions.map(
      (t) => new Set(t.context.flatMap((c) => terms(c)).filter((term) => !isStopWord(term))),
    );
  }

  private intern(term: string): number {
    let id = this.termIds.get(term);
    if (id === undefined) {
      id = this.termIds.size;
      this.termIds.set(term, id);
    }
    return id;
  }

  /** The alias-term id of an index term, or -1 when no alias uses it. */
  aliasTerm(term: string): number {
    return this.termIds.get(term) ?? -1;
  }

  /** All alias matches in `tokens`, left to right, non-overlapping. */
  match(tokens: readonly Token[]): AliasMatch[] {
    return this.matchIds(
      tokens.map((t) => this.aliasTerm(t.term)),
      tokens.map((t) => (t.upper ? UPPER : 0) | (t.stemmed ? STEMMED : 0)),
      0,
      tokens.length,
    );
  }

  /**
   * All alias matches in tokens `[from, to)` given as alias-term ids, with `flags[i]` holding {@link UPPER}
   * where token i is written in capitals. Match starts count from `from`.
   */
  matchIds(ids: ArrayLike<number>, flags: ArrayLike<number>, from: number, to: number): AliasMatch[] {
    const out: AliasMatch[] = [];
    for (let i = from; i < to; ) {
      const id = ids[i]!;
      const found = id < 0 ? undefined : this.longestAt(ids, flags, i, to, id);
      if (found === undefined) {
        i++;
        continue;
      }
      out.push({ topic: found.topic, start: i - from, length: found.seq.length, acronym: found.acronym });
      i += found.seq.length;
    }
    return out;
  }

  private longestAt(
    ids: ArrayLike<number>,
    flags: ArrayLike<number>,
    i: number,
    to: number,
    first: number,
  ): CompiledAlias | undefined {
    const candidates = this.byFirst[first];
    if (candidates === undefined) return undefined;
    outer: for (const c of candidates) {
      if (i + c.seq.length > to) continue;
      for (let k = 0; k < c.seq.length; k++) {
        if (ids[i + k] !== c.seq[k] || (c.acronym && (flags[i + k]! & (UPPER | STEMMED)) !== c.written[k]))
          continue outer;
      }
      // "KH" in "Kh-101" is a missile name: a designator with digits is one token, so it never matches.
      return c;
    }
    return undefined;
  }

  /** The curated topic whose slug, name, alias or acronym slugifies to `slug`. */
  resolveSlug(slug: string): number | undefined {
    const key = slugify(slug);
    const index = this.definitions.findIndex(
      (t) =>
        t.slug === key ||
        slugify(t.name) === key ||
        t.aliases.some((a) => slugify(a) === key) ||
        t.acronyms.some((a) => slugify(a) === key),
    );
    return index < 0 ? undefined : index;
  }
}

/** The public shape of a curated topic. */
export function curatedTopic(t: TopicDefinition, articles: number): Topic {
  return { slug: t.slug, name: t.name, aliases: [...t.aliases, ...t.acronyms], curated: true, articles };
}
