/**
 * The daily digest: what is new in the corpus since the previous post, grouped by topic (the
 * configured ones first, then those the new articles cover most), each topic a few cited bullets,
 * with one numbered source list. Engine-level: the bot posts it, `npm run daily -- --preview` prints it.
 */
import { z } from 'zod';
import type { ArticleFilter, Engine } from '../engine/engine.ts';
import { sourceSchema, speakerSchema } from '../engine/result.ts';

const digestSectionSchema = z.object({
  topic: z.object({ slug: z.string(), name: z.string() }),
  bullets: z.array(
    z.object({
      text: z.string(),
      citations: z.array(z.number()),
      /** The cited source's date. */
      date: z.string().optional(),
      /** Who said it, where the bullet quotes a transcript. */
      speaker: speakerSchema.optional(),
    }),
  ),
});
export type DigestSection = z.infer<typeof digestSectionSchema>;

/** A digest as stored with an unfinished post, so that a restart sends the very same pages. */
export const digestSchema = z.object({
  /** The day the digest is for, YYYY-MM-DD in the guild's time zone. */
  date: z.string(),
  /** What "new" means here, e.g. "new since 2026-11-23". */
  describe: z.string(),
  /** Articles new by that measure. */
  newArticles: z.number(),
  sections: z.array(digestSectionSchema),
  sources: z.array(sourceSchema),
  /** Topics an admin put first that had nothing new (said, rather than silently left out). */
  quiet: z.array(z.string()).optional(),
  /** Newest article date in the corpus (said when nothing is new). */
  newest: z.string(),
  corpusVersion: z.string(),
  generatedBy: z.string(),
});
export type Digest = z.infer<typeof digestSchema>;

/** The previous post a digest continues from. */
export interface Previous {
  /** Its day (YYYY-MM-DD): articles dated after it are new. */
  date: string;
  /** When it was posted (ISO): articles first seen after it are new, whatever their date. */
  at: string;
}

/** Articles dated after the previous post's day, or first seen by this deployment after it was posted. */
export function newSince(
  previous: Previous,
  firstSeen: (articleId: string) => string | undefined,
): ArticleFilter {
  return {
    describe: `new since ${previous.date}`,
    keep: (a) => a.date > previous.date || (firstSeen(a.id) ?? '') > previous.at,
  };
}

export interface DigestOptions {
  date: string;
  only: ArticleFilter;
  /** Topics to cover first, in order (slugs or names). */
  topics?: readonly string[];
  /** Topics at most. Default 5. */
  maxSections?: number;
  /** Bullets per topic. Default 3. */
  bulletsPerSection?: number;
}

export async function buildDigest(engine: Engine, options: DigestOptions): Promise<Digest> {
  const maxSections = options.maxSections ?? 5;
  const stats = engine.stats();
  const newArticles = engine.index.articles.filter((a) => options.only.keep(a)).length;
  const digest: Digest = {
    date: options.date,
    describe: options.only.describe,
    newArticles,
    sections: [],
    sources: [],
    newest: stats.newest,
    corpusVersion: engine.corpusVersion,
    generatedBy: engine.generatedBy,
  };
  if (newArticles === 0) return digest;
  const configured = options.topics ?? [];
  const covered = engine.coverage(options.only, maxSections * 3).map((c) => c.slug);
  const seen = new Set<string>();
  const numbers = new Map<string, number>();
  const told: Set<string>[] = [];
  const quiet: string[] = [];
  for (const [i, wanted] of [...configured, ...covered].entries()) {
    const first = i < configured.length;
    // The topics an admin put first are always looked at; the others only while there is room.
    if (!first && digest.sections.length >= maxSections) break;
    const resolved = engine.resolveTopic(wanted);
    const slug = resolved.kind === 'free-text' ? resolved.text : resolved.topic.slug;
    const name = resolved.kind === 'free-text' ? wanted : resolved.topic.name;
    if (seen.has(slug)) continue;
    seen.add(slug);
    const brief = await engine.brief(wanted, { only: options.only, limit: options.bulletsPerSection ?? 3 });
    // A story belongs to the first topic that tells it: the same line under a second topic is a repeat.
    const fresh = brief.bullets.filter((b) => {
      const words = storyWords(b.text);
      if (told.some((t) => overlap(t, words) > 0.6)) return false;
      told.push(words);
      return true;
    });
    if (brief.status !== 'answered' || fresh.length === 0) {
      if (first) quiet.push(name);
      continue;
    }
    // One source list for the whole digest: an article keeps one number however often it is cited.
    const renumber = new Map<number, number>();
    for (const s of brief.sources) {
      let n = numbers.get(s.articleId);
      if (n === undefined) {
        n = digest.sources.length + 1;
        numbers.set(s.articleId, n);
        digest.sources.push({ ...s, n });
      }
      renumber.set(s.n, n);
    }
    digest.sections.push({
      topic: { slug, name: brief.topic?.name ?? name },
      bullets: fresh.map((b) => ({
        text: b.text,
        citations: [...new Set(b.citations.map((c) => renumber.get(c)!))],
        ...(b.date === undefined ? {} : { date: b.date }),
        ...(b.speaker === undefined ? {} : { speaker: b.speaker }),
      })),
    });
  }
  // Sources no kept bullet cites (a repeat's) leave the list; the rest are numbered again in order.
  const cited = new Set(digest.sections.flatMap((s) => s.bullets.flatMap((b) => b.citations)));
  const kept = digest.sources.filter((s) => cited.has(s.n));
  const final = new Map(kept.map((s, i) => [s.n, i + 1]));
  digest.sources = kept.map((s) => ({ ...s, n: final.get(s.n)! }));
  for (const section of digest.sections)
    for (const b of section.bullets) b.citations = b.citations.map((c) => final.get(c)!);
  if (quiet.length > 0) digest.quiet = quiet;
  return digest;
}

/** The words of a story line, for telling a repeat: lower case, four letters or more. */
function storyWords(text: string): Set<string> {
  return new Set(text.toLowerCase().match(/[a-z]{4,}/g) ?? []);
}

/** Share of the smaller set's words that the other holds. */
function overlap(a: ReadonlySet<string>, b: ReadonlySet<string>): number {
  const [small, large] = a.size <= b.size ? [a, b] : [b, a];
  if (small.size === 0) return 0;
  let common = 0;
  for (const w of small) if (large.has(w)) common++;
  return common / small.size;
}
