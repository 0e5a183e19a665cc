/**
 * The daily digest: what is new in the corpus since the previous post, grouped by topic (the
 * configured ones first, then those the new articles cover most), each topic a few cited bullets,
 * with one numbered source list. Engine-level: the bot posts it, `npm run daily -- --preview` prints it.
 */
import { z } from 'zod';
import type { ArticleFilter, Engine } from '../engine/engine.ts';
import { sourceSchema } from '../engine/result.ts';

const digestSectionSchema = z.object({
  topic: z.object({ slug: z.string(), name: z.string() }),
  bullets: z.array(z.object({ text: z.string(), citations: z.array(z.number()) })),
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
  for (const wanted of [...configured, ...covered]) {
    if (digest.sections.length >= maxSections) break;
    const resolved = engine.resolveTopic(wanted);
    const slug = resolved.kind === 'free-text' ? resolved.text : resolved.topic.slug;
    if (seen.has(slug)) continue;
    seen.add(slug);
    const brief = await engine.brief(wanted, { only: options.only, limit: options.bulletsPerSection ?? 3 });
    if (brief.status !== 'answered') continue;
    // One source list for the whole digest: the same quote from the same article keeps one number.
    const renumber = new Map<number, number>();
    for (const s of brief.sources) {
      const key = `${s.articleId}\u0000${s.quote}`;
      let n = numbers.get(key);
      if (n === undefined) {
        n = digest.sources.length + 1;
        numbers.set(key, n);
        digest.sources.push({ ...s, n });
      }
      renumber.set(s.n, n);
    }
    digest.sections.push({
      topic: { slug, name: brief.topic?.name ?? (resolved.kind === 'free-text' ? wanted : slug) },
      bullets: brief.bullets.map((b) => ({
        text: b.text,
        citations: b.citations.map((c) => renumber.get(c)!),
      })),
    });
  }
  return digest;
}
