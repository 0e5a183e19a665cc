import type { Digest } from '../daily/digest.ts';
import type { Rejection } from '../engine/corpus/article.ts';
import type { Corpus } from '../engine/corpus/load.ts';
import type { ReloadReport } from '../engine/library.ts';
import { rejectionPlace } from '../engine/open.ts';
import type { Briefing, SearchResult, TopicList } from '../engine/result.ts';
import type { RememberedBriefing } from '../state/since-last.ts';
import {
  asOfText,
  bulletDate,
  bulletParts,
  bulletSpeaker,
  correctionLine,
  digestCounts,
  quietLine,
  shortVersion,
} from './format.ts';

/** What a corpus load skipped: counts, then the first rejected files with their reasons. */
export function renderCorpusProblems(corpus: Corpus, maxRejected = 10): string {
  const { rejected, duplicates } = corpus.report;
  return (
    `corpus: ${corpus.articles.length} articles loaded, ${rejected.length} rejected, ${duplicates.length} duplicates merged\n` +
    rejected
      .slice(0, maxRejected)
      .map((r) => `${renderRejected(r)}\n`)
      .join('')
  );
}

/**
 * Text from outside (a file name, a reason quoting it) made safe for a terminal: control bytes (an
 * escape sequence, a newline), bidi overrides and invisible marks are shown as `\xNN` / `\uNNNN`
 * instead of acting on the terminal or splitting the line.
 */
export function terminalSafe(text: string): string {
  return text.replace(
    // biome-ignore lint/suspicious/noControlCharactersInRegex: escaping control characters is the point
    /[\u0000-\u001f\u007f-\u009f\u00ad\u061c\u200b-\u200f\u202a-\u202e\u2060-\u2069\ufeff]/g,
    (c) => {
      const code = c.charCodeAt(0);
      return code <= 0xff
        ? `\\x${code.toString(16).padStart(2, '0')}`
        : `\\u${code.toString(16).padStart(4, '0')}`;
    },
  );
}

/** A rejected article as one terminal line. */
export function renderRejected(r: Rejection): string {
  return `  rejected ${terminalSafe(rejectionPlace(r))}: ${terminalSafe(r.reason)}`;
}

/** A briefing or answer as terminal text: bullets with `[n]` citations, key dates, then the sources. */
export function renderBriefing(b: Briefing): string {
  const heading = b.kind === 'brief' ? `Briefing: ${b.topic?.name ?? b.query}` : `Q: ${b.query}`;
  if (b.status === 'no_sources') return `${heading}\n\n${b.reason ?? 'The corpus has nothing on this.'}\n`;
  // biome-ignore lint/complexity/useMathMinMax: ISO date strings, which Math.max cannot compare.
  const newest = b.sources.reduce((m, s) => (s.date > m ? s.date : m), '');
  const asOf = asOfText(b);
  const lines = [`${heading}   (${b.sources.length} sources, ${asOf ?? `up to ${newest}`})`];
  const corrected = correctionLine(b);
  if (corrected !== undefined) lines.push(corrected);
  for (const part of bulletParts(b)) {
    lines.push('', ...(part.heading === undefined ? [] : [part.heading]));
    for (const bullet of part.bullets) {
      const marks = bullet.citations.map((n) => `[${n}]`).join('');
      lines.push(`  • ${bulletDate(bullet)}${bullet.text} ${marks}${bulletSpeaker(bullet)}`);
    }
  }
  if (b.keyDates.length > 0) {
    lines.push('', `Key dates: ${b.keyDates.map((k) => `${k.date} ${k.text} [${k.citation}]`).join(' · ')}`);
  }
  lines.push('', 'Sources');
  for (const s of b.sources) {
    lines.push(`  [${s.n}] ${s.title} — ${s.publisher ?? 'unknown publisher'}, ${s.date}`);
    if (s.url !== null) lines.push(`      ${s.url}`);
  }
  lines.push('', `corpus ${shortVersion(b.corpusVersion)} · ${b.generatedBy}${b.cached ? ' · cached' : ''}`);
  return `${lines.join('\n')}\n`;
}

/** A briefing since the last one: its note first, or the line saying nothing new came. */
export function renderRemembered(r: RememberedBriefing): string {
  if (r.kind === 'nothing-new') return `Briefing: ${r.topicName}\n\n${r.reason}\n`;
  return `${r.note === undefined ? '' : `${r.note}\n\n`}${renderBriefing(r.briefing)}`;
}

export function renderSearch(r: SearchResult): string {
  if (r.results.length === 0) return `No article matches "${r.query}".\n`;
  const lines = r.results.map(
    (x, i) =>
      `${String(i + 1).padStart(2)}. ${x.date}  ${x.title}  (${x.articleId}, score ${x.score})\n      ${x.snippet}`,
  );
  return `${lines.join('\n')}\n`;
}

export function renderTopics(t: TopicList): string {
  const width = Math.max(4, ...t.topics.map((x) => x.slug.length));
  const lines = t.topics.map(
    (x) =>
      `${x.slug.padEnd(width)}  ${String(x.articles).padStart(5)}  ${x.curated ? 'curated   ' : 'discovered'}  ${x.name}`,
  );
  return `${'slug'.padEnd(width)}  ${'arts'.padStart(5)}  kind        name\n${lines.join('\n')}\n`;
}

/** A digest as terminal text. */
export function renderDigest(d: Digest, note?: string): string {
  const lines = [`Daily brief — ${d.date}`];
  if (note) lines.push(note);
  if (d.newArticles === 0 || d.sections.length === 0) {
    lines.push(`Nothing new in the corpus (${d.describe.replace(/^new /, '')}; newest article ${d.newest}).`);
    if (d.quiet !== undefined && d.newArticles > 0) lines.push(quietLine(d.quiet));
    return lines.join('\n');
  }
  lines.push(digestCounts(d), '');
  for (const s of d.sections) {
    lines.push(s.topic.name);
    for (const b of s.bullets)
      lines.push(
        `  • ${bulletDate(b)}${b.text} ${b.citations.map((c) => `[${c}]`).join('')}${bulletSpeaker(b)}`,
      );
    lines.push('');
  }
  if (d.quiet !== undefined) lines.push(quietLine(d.quiet), '');
  lines.push('Sources');
  for (const s of d.sources)
    lines.push(
      `  [${s.n}] ${s.title} — ${[s.publisher, s.date].filter(Boolean).join(', ')}${s.url ? `\n      ${s.url}` : ''}`,
    );
  return lines.join('\n');
}

/** A reload report as terminal lines (Discord renders the same facts in `renderReload`). */
export function renderReloadReport(r: ReloadReport, maxRejected = 10): string[] {
  const lines: string[] = [];
  if (!r.ok) {
    lines.push(
      `Reload refused — the corpus in service is unchanged (${r.articles} articles, version ${shortVersion(r.corpusVersion)}).`,
    );
    lines.push(`Why: ${terminalSafe(r.error ?? '')}`);
    return lines;
  }
  lines.push(
    `Loaded ${r.articles} articles in ${(r.ms / 1000).toFixed(1)} s: ${r.added} added, ${r.changed} changed, ${r.removed} removed, ${r.unchanged} unchanged; ${r.rejected.length} rejected, ${r.duplicates} duplicates merged.`,
  );
  lines.push(
    r.previousVersion === undefined || r.previousVersion === r.corpusVersion
      ? `Corpus version ${shortVersion(r.corpusVersion)}${r.previousVersion === r.corpusVersion ? ' (unchanged)' : ''}.`
      : `Corpus version ${shortVersion(r.previousVersion)} → ${shortVersion(r.corpusVersion)}.`,
  );
  if (r.warning) lines.push(`Warning: ${terminalSafe(r.warning)}.`);
  for (const x of r.rejected.slice(0, maxRejected)) lines.push(renderRejected(x));
  if (r.rejected.length > maxRejected) lines.push(`  … and ${r.rejected.length - maxRejected} more rejected`);
  return lines;
}
