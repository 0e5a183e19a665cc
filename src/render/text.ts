import type { Briefing, SearchResult, TopicList } from '../engine/result.ts';
import type { RememberedBriefing } from '../state/since-last.ts';

/** A briefing or answer as terminal text: bullets with `[n]` citations, key dates, then the sources. */
export function renderBriefing(b: Briefing): string {
  const heading = b.kind === 'brief' ? `Briefing: ${b.topic?.name ?? b.query}` : `Q: ${b.query}`;
  if (b.status === 'no_sources') return `${heading}\n\n${b.reason ?? 'The corpus has nothing on this.'}\n`;
  // biome-ignore lint/complexity/useMathMinMax: ISO date strings, which Math.max cannot compare.
  const newest = b.sources.reduce((m, s) => (s.date > m ? s.date : m), '');
  const lines = [`${heading}   (${b.sources.length} sources, up to ${newest})`, ''];
  for (const bullet of b.bullets)
    lines.push(`  • ${bullet.text} ${bullet.citations.map((n) => `[${n}]`).join('')}`);
  if (b.keyDates.length > 0) {
    lines.push('', `Key dates: ${b.keyDates.map((k) => `${k.date} ${k.text} [${k.citation}]`).join(' · ')}`);
  }
  lines.push('', 'Sources');
  for (const s of b.sources) {
    lines.push(`  [${s.n}] ${s.title} — ${s.publisher ?? 'unknown publisher'}, ${s.date}`);
    if (s.url !== null) lines.push(`      ${s.url}`);
  }
  lines.push('', `corpus ${b.corpusVersion.slice(0, 12)} · ${b.generatedBy}${b.cached ? ' · cached' : ''}`);
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
