import { z } from 'zod';

/** A calendar date `YYYY-MM-DD` that exists (2024-02-30 is rejected). */
export const isoDate = z
  .string()
  .regex(/^\d{4}-\d{2}-\d{2}$/, 'expected a date as YYYY-MM-DD')
  .refine((s) => {
    const d = new Date(`${s}T00:00:00Z`);
    return !Number.isNaN(d.getTime()) && d.toISOString().startsWith(s);
  }, 'not a real calendar date');

/** Dates arrive as `2024-12-03`, full ISO timestamps, or YAML dates; all become `YYYY-MM-DD`. */
const looseDate = z.preprocess((v) => {
  if (v instanceof Date && !Number.isNaN(v.getTime())) return v.toISOString().slice(0, 10);
  if (typeof v === 'string') {
    const m = /^\s*(\d{4}-\d{2}-\d{2})(?:[T ][\d:.]+(?:Z|[+-]\d{2}:?\d{2})?)?\s*$/.exec(v);
    return m ? m[1] : v.trim();
  }
  return v;
}, isoDate);

const optionalText = z
  .string()
  .trim()
  .transform((s) => (s === '' ? undefined : s))
  .optional()
  .nullable()
  .transform((s) => s ?? undefined);

/** An article as it appears in a source file, before cleaning. */
export const rawArticleSchema = z.object({
  id: z.union([z.string().trim().min(1), z.number().int().transform(String)]).optional(),
  title: optionalText,
  date: looseDate,
  source: optionalText,
  publisher: optionalText,
  url: optionalText,
  tags: z
    .union([z.array(z.string()), z.string().transform((s) => s.split(',').map((t) => t.trim()))])
    .optional(),
  text: z.string().refine((s) => s.trim().length > 0, 'the article has no text'),
});
export type RawArticle = z.infer<typeof rawArticleSchema>;

/** A loaded, cleaned article. `text` is normalised; every offset in the index points into it. */
export interface Article {
  /** Stable id: the record's `id`, or the file's path relative to the corpus root without extension. */
  id: string;
  title: string;
  /** Publication date, `YYYY-MM-DD`. */
  date: string;
  publisher: string | null;
  url: string | null;
  tags: string[];
  text: string;
  /** Where it was loaded from, relative to the corpus root (with `:line` for JSONL records). */
  origin: string;
}

/** Why a file or record was not loaded. */
export interface Rejection {
  file: string;
  line?: number;
  reason: string;
}

/** A record dropped because another with the same normalised text was kept whole (see `mergeDuplicates`). */
export interface DuplicateMerge {
  /** The dropped record. */
  articleId: string;
  /** The record kept in its place. */
  mergedInto: string;
  /** Where the dropped record was loaded from. */
  origin: string;
  /** Why the other copy was kept: an earlier date, a URL that matches its title better, or the smaller id. */
  reason: string;
}

/** What a load did: counts, every rejected file or record with its reason, and merged duplicates. */
export interface LoadReport {
  files: number;
  loaded: number;
  rejected: Rejection[];
  duplicates: DuplicateMerge[];
}
