/**
 * What every front end (terminal, Discord) writes the same way: a corpus version, a day, a digest's
 * counts line. Markup (Discord's bold, code spans) stays with each front end; these are plain text.
 */
import type { Digest } from '../daily/digest.ts';

/**
 * A corpus version as people see it: its first 8 hex digits, as a git short hash. Enough to tell two
 * corpora apart in a footer or a report; the full version is in the JSON output.
 */
export function shortVersion(corpusVersion: string): string {
  return corpusVersion.slice(0, 8);
}

/** The day (YYYY-MM-DD, UTC) of an ISO time or a date. */
export function isoDay(at: string | Date): string {
  return (typeof at === 'string' ? at : at.toISOString()).slice(0, 10);
}

/** The counts line of a digest. */
export function digestCounts(d: Digest): string {
  const plural = (n: number, word: string) => `${n} ${word}${n === 1 ? '' : 's'}`;
  return `${plural(d.newArticles, 'article')} ${d.describe} · ${plural(d.sections.length, 'topic')} · ${plural(d.sources.length, 'source')}`;
}
