/**
 * What every front end (terminal, Discord) writes the same way: a corpus version, a day, a digest's
 * counts line. Markup (Discord's bold, code spans) stays with each front end; these are plain text.
 */
import type { Digest } from '../daily/digest.ts';
import { speakerLine } from '../engine/index/speakers.ts';
import type { Briefing } from '../engine/result.ts';

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

/** The line saying which of the topics an admin put first had nothing new. */
export function quietLine(quiet: readonly string[]): string {
  return `Nothing new on ${quiet.join(', ')}.`;
}

/** What the front ends need of a bullet to show its date and speaker (a briefing's or a digest's). */
type Bullet = Pick<Briefing['bullets'][number], 'date' | 'speaker'>;

/** A briefing's bullets in their parts: "Latest" then "Background" for a brief, one unnamed part otherwise. */
export function bulletParts(
  b: Briefing,
): { heading: string | undefined; bullets: Briefing['bullets'][number][] }[] {
  const latest = b.bullets.filter((x) => x.part === 'latest');
  const background = b.bullets.filter((x) => x.part === 'background');
  if (
    latest.length + background.length !== b.bullets.length ||
    (latest.length === 0 && background.length === 0)
  )
    return [{ heading: undefined, bullets: b.bullets }];
  return [
    ...(latest.length > 0 ? [{ heading: 'Latest', bullets: latest }] : []),
    ...(background.length > 0 ? [{ heading: 'Background', bullets: background }] : []),
  ];
}

/** The date a bullet's evidence is from, as its line starts: "2026-06-04 · ". */
export function bulletDate(bullet: Bullet): string {
  return bullet.date === undefined ? '' : `${bullet.date} · `;
}

/** Who said a bullet, as its line ends: " — John Kirby, NSC Coordinator…" (nothing for a reporter or no one). */
export function bulletSpeaker(bullet: Bullet): string {
  if (bullet.speaker === undefined || bullet.speaker.role === 'reporter') return '';
  const who = speakerLine(bullet.speaker);
  return who === undefined ? '' : ` — ${who}`;
}

/** "Showing results for Kataib Hezbollah (not "Hizbolah")" when the query was read with other spellings. */
export function correctionLine(b: Briefing): string | undefined {
  if (b.corrections === undefined || b.corrections.length === 0) return undefined;
  let shown = b.query;
  for (const c of b.corrections) shown = shown.split(c.from).join(c.to);
  const typed = b.corrections.map((c) => `"${c.from}"`).join(', ');
  return `Showing results for ${shown} (read ${typed} as the sources spell ${b.corrections.length === 1 ? 'it' : 'them'})`;
}

/** "as of 2026-08-09": the date of the newest evidence, for a briefing or a question about now. */
export function asOfText(b: Briefing): string | undefined {
  return b.asOf === undefined ? undefined : `as of ${b.asOf}`;
}
