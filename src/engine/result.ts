import { z } from 'zod';

/** Who said a quoted sentence, in a transcript: a role, and where the document gives them a name and a title. */
export const speakerSchema = z.object({
  role: z.enum(['reporter', 'official', 'unknown']),
  name: z.string().optional(),
  title: z.string().optional(),
});

/** A source a briefing cites: `n` is the number shown in `[n]`, `quote` an exact excerpt of the article. */
export const sourceSchema = z.object({
  n: z.number().int().positive(),
  articleId: z.string(),
  title: z.string(),
  date: z.string(),
  publisher: z.string().nullable(),
  url: z.string().nullable(),
  quote: z.string(),
  /** Who said the quote, where the source is a transcript. */
  speaker: speakerSchema.optional(),
});
export type Source = z.infer<typeof sourceSchema>;

export const bulletSchema = z.object({
  text: z.string(),
  /** Numbers of the sources the bullet rests on (`sources[].n`). */
  citations: z.array(z.number().int().positive()).min(1),
  /** Date of the (first) cited source, YYYY-MM-DD: evidence is as of a date. */
  date: z.string().optional(),
  /** Who said it, where the bullet quotes a transcript. */
  speaker: speakerSchema.optional(),
  /** In a briefing: what the newest coverage says (`latest`), or earlier developments (`background`). */
  part: z.enum(['latest', 'background']).optional(),
});
export type Bullet = z.infer<typeof bulletSchema>;

export const topicRefSchema = z.object({ slug: z.string(), name: z.string(), aliases: z.array(z.string()) });

export const keyDateSchema = z.object({
  date: z.string(),
  text: z.string(),
  citation: z.number().int().positive(),
});
export type KeyDate = z.infer<typeof keyDateSchema>;

/** The answer to `brief` and `ask`: the JSON contract shared by the CLI, Discord and the cache. */
export const briefingSchema = z.object({
  kind: z.enum(['brief', 'ask']),
  query: z.string(),
  status: z.enum(['answered', 'no_sources']),
  topic: topicRefSchema.optional(),
  bullets: z.array(bulletSchema),
  /** Dated events from the cited sources, oldest first (brief only; empty when the sources give no dates). */
  keyDates: z.array(keyDateSchema),
  sources: z.array(sourceSchema),
  /** Words of the query read as the corpus spells them: "showing results for …". */
  corrections: z.array(z.object({ from: z.string(), to: z.string() })).optional(),
  /** Date of the newest evidence, for a briefing or a question about the current state. */
  asOf: z.string().optional(),
  /** Why nothing was cited, when `status` is `no_sources`. */
  reason: z.string().optional(),
  /** Hash of the corpus the answer was built from. */
  corpusVersion: z.string(),
  /** `extractive` offline, `llm:<model>` when a model wrote it. */
  generatedBy: z.string(),
  cached: z.boolean(),
  /** ISO time the answer was built (earlier than now when it came from the cache). */
  generatedAt: z.string(),
});
export type Briefing = z.infer<typeof briefingSchema>;

export const searchResultSchema = z.object({
  query: z.string(),
  results: z.array(
    z.object({
      articleId: z.string(),
      title: z.string(),
      date: z.string(),
      score: z.number(),
      snippet: z.string(),
    }),
  ),
});
export type SearchResult = z.infer<typeof searchResultSchema>;

export const topicListSchema = z.object({
  topics: z.array(
    z.object({
      slug: z.string(),
      name: z.string(),
      aliases: z.array(z.string()),
      articles: z.number().int().nonnegative(),
      curated: z.boolean(),
    }),
  ),
});
export type TopicList = z.infer<typeof topicListSchema>;
