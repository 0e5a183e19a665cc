import { readFile } from 'node:fs/promises';
import { z } from 'zod';
import { slugify } from '../text.ts';
import { isStopWord, type Token, terms } from './tokenize.ts';

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
  seq: string[];
  topic: number;
  acronym: boolean;
}

/**
 * Finds topic aliases in token sequences. At each position the longest alias wins, so
 * "Kataib Hezbollah" is one mention of kataib-hezbollah and never a mention of Lebanese Hezbollah.
 */
export class AliasMatcher {
  private readonly byFirst = new Map<string, CompiledAlias[]>();
  readonly contextTerms: Set<string>[];

  constructor(readonly definitions: readonly TopicDefinition[]) {
    definitions.forEach((t, topic) => {
      const add = (text: string, acronym: boolean): void => {
        const seq = terms(text);
        if (seq.length === 0) return;
        const list = this.byFirst.get(seq[0]!) ?? [];
        list.push({ seq, topic, acronym });
        list.sort((a, b) => b.seq.length - a.seq.length);
        this.byFirst.set(seq[0]!, list);
      };
      add(t.name, false);
      for (const a of t.aliases) add(a, false);
      for (const a of t.acronyms) add(a, true);
    });
    this.contextTerms = definitions.map(
      (t) => new Set(t.context.flatMap((c) => terms(c)).filter((term) => !isStopWord(term))),
    );
  }

  /** All alias matches in `tokens`, left to right, non-overlapping. */
  match(tokens: readonly Token[]): AliasMatch[] {
    const out: AliasMatch[] = [];
    for (let i = 0; i < tokens.length; ) {
      const found = this.longestAt(tokens, i);
      if (found === undefined) {
        i++;
        continue;
      }
      out.push({ topic: found.topic, start: i, length: found.seq.length, acronym: found.acronym });
      i += found.seq.length;
    }
    return out;
  }

  private longestAt(tokens: readonly Token[], i: number): CompiledAlias | undefined {
    const candidates = this.byFirst.get(tokens[i]!.term);
    if (candidates === undefined) return undefined;
    outer: for (const c of candidates) {
      if (i + c.seq.length > tokens.length) continue;
      for (let k = 0; k < c.seq.length; k++) {
        const tok = tokens[i + k]!;
        if (tok.term !== c.seq[k] || (c.acronym && !tok.upper)) continue outer;
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
