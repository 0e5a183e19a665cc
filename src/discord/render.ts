/**
 * Pure renderers: engine results in, Discord message payloads out, every one within Discord's limits.
 * User-typed text is stripped of control characters and markdown before it is echoed.
 */
import type { APIEmbed } from 'discord.js';
import type { Digest } from '../daily/digest.ts';
import type { CorpusStats } from '../engine/engine.ts';
import type { ReloadReport } from '../engine/library.ts';
import { rejectionPlace } from '../engine/open.ts';
import type { Briefing, SearchResult, Source, TopicList } from '../engine/result.ts';
import {
  bulletDate,
  bulletParts,
  bulletSpeaker,
  correctionLine,
  digestCounts,
  quietLine,
  shortVersion,
} from '../render/format.ts';
import { type EmbedPlan, packEmbeds } from './pack.ts';

/** One Discord message: what `reply`, `editReply` and `followUp` take (components are added by callers). */
export interface MessagePayload {
  content?: string;
  embeds: APIEmbed[];
}

const COLOR = { answered: 0x2f6fdd, none: 0x8a8f98, error: 0xd9534f } as const;

/** Control characters out, markdown and mention syntax neutralised: safe to echo inside an embed. */
export function sanitize(text: string): string {
  return (
    text
      // Invisible joiners and marks (soft hyphen, Arabic letter mark, word joiner and its kin, BOM) go
      // without a trace: they sit inside words, where a space would split the word.
      .replace(/[\u00ad\u061c\u180e\u2060-\u2064\ufeff]/g, '')
      // biome-ignore lint/suspicious/noControlCharactersInRegex: stripping control characters is the point
      .replace(/[\u0000-\u001f\u007f-\u009f\u200b-\u200f\u202a-\u202e\u2066-\u2069]/g, ' ')
      .replace(/([\\*_`~|>[\]])/g, '\\$1')
      .replace(/@/g, '@\u200b')
      .replace(/\s+/g, ' ')
      .trim()
  );
}

const citationMarks = (ns: readonly number[]) => ns.map((n) => `[${n}]`).join('');

/** Only http(s) links become markdown links; anything else is shown as plain text. */
function safeUrl(url: string | null): string | undefined {
  if (url === null) return undefined;
  try {
    const u = new URL(url);
    return u.protocol === 'http:' || u.protocol === 'https:' ? u.href.replace(/\)/g, '%29') : undefined;
  } catch {
    return undefined;
  }
}

/** "2024-12-03 · corpus 9cc44c97 · cached · generated 14:05 UTC" */
export function briefingFooter(b: Briefing): string {
  // ISO dates compare as strings: the last in sorted order is the newest.
  const newest =
    b.sources
      .map((s) => s.date)
      .sort()
      .at(-1) ?? '';
  const parts = [`corpus ${shortVersion(b.corpusVersion)}`];
  if (b.asOf !== undefined) parts.push(`as of ${b.asOf}`);
  else if (newest !== '') parts.push(`sources up to ${newest}`);
  if (b.generatedBy !== 'extractive') parts.push(b.generatedBy);
  if (b.cached) parts.push(`cached · generated ${b.generatedAt.slice(11, 16)} UTC`);
  return parts.join(' · ');
}

function sourcesGroup(sources: readonly Source[]): EmbedPlan['groups'][number] {
  return {
    name: 'Sources',
    lines: sources.map((s) => {
      const name = sanitize(s.title).slice(0, 200) || s.articleId;
      const url = safeUrl(s.url);
      const label = url === undefined ? name : `[${name}](${url})`;
      return `[${s.n}] ${label} — ${[s.publisher ? sanitize(s.publisher) : undefined, s.date].filter(Boolean).join(', ')}`;
    }),
  };
}

/** " — John Kirby, …" after a bullet; sanitised apart from its leading space, which sanitising would trim. */
function speakerSuffix(bullet: Parameters<typeof bulletSpeaker>[0]): string {
  const who = bulletSpeaker(bullet);
  return who === '' ? '' : ` ${sanitize(who.trim())}`;
}

/** The daily post: topics with their bullets, a counts line, one source list; several messages when long. */
export function renderDigest(d: Digest, note?: string): MessagePayload[] {
  const title = `Daily brief — ${d.date}`;
  const footer = `corpus ${shortVersion(d.corpusVersion)}${d.generatedBy === 'extractive' ? '' : ` · ${d.generatedBy}`}`;
  if (d.sections.length === 0) {
    const lines = [
      ...(note ? [`*${sanitize(note)}*`] : []),
      `Nothing new in the corpus ${sanitize(d.describe.replace(/^new /, ''))} (newest article ${d.newest}).`,
      ...(d.quiet !== undefined && d.newArticles > 0 ? [sanitize(quietLine(d.quiet))] : []),
    ];
    return packEmbeds({ title, color: COLOR.none, lines, groups: [], footer }).map((embeds) => ({ embeds }));
  }
  const lines = [...(note ? [`*${sanitize(note)}*`] : []), sanitize(digestCounts(d))];
  for (const section of d.sections) {
    lines.push('', `**${sanitize(section.topic.name)}**`);
    for (const b of section.bullets)
      lines.push(`• ${bulletDate(b)}${sanitize(b.text)} ${citationMarks(b.citations)}${speakerSuffix(b)}`);
  }
  if (d.quiet !== undefined) lines.push('', sanitize(quietLine(d.quiet)));
  return packEmbeds({ title, color: COLOR.answered, lines, groups: [sourcesGroup(d.sources)], footer }).map(
    (embeds) => ({ embeds }),
  );
}

/** A reload report: counts, version, the first rejected files with their reasons. */
export function renderReload(r: ReloadReport): MessagePayload[] {
  if (!r.ok) {
    return packEmbeds({
      title: 'Reload refused — the corpus in service is unchanged',
      color: COLOR.error,
      lines: [
        sanitize(r.error ?? ''),
        `Still serving ${r.articles} articles, corpus ${shortVersion(r.corpusVersion)}.`,
      ],
      groups: [],
      footer: `${r.ms} ms`,
    }).map((embeds) => ({ embeds }));
  }
  const lines = [
    `**${r.articles}** articles: **${r.added}** added, **${r.changed}** changed, **${r.removed}** removed, ${r.unchanged} unchanged.`,
    `${r.rejected.length} rejected, ${r.duplicates} duplicates merged.`,
    ...(r.warning ? [`⚠ ${sanitize(r.warning)}`] : []),
    r.previousVersion === undefined || r.previousVersion === r.corpusVersion
      ? `Corpus ${shortVersion(r.corpusVersion)}${r.previousVersion === r.corpusVersion ? ' (unchanged)' : ''}.`
      : `Corpus ${shortVersion(r.previousVersion)} → ${shortVersion(r.corpusVersion)}.`,
  ];
  const groups: EmbedPlan['groups'] =
    r.rejected.length === 0
      ? []
      : [
          {
            name: 'Rejected',
            lines: r.rejected.map((x) => `\`${sanitize(rejectionPlace(x))}\` ${sanitize(x.reason)}`),
          },
        ];
  return packEmbeds({
    title: 'Corpus reloaded',
    color: COLOR.answered,
    lines,
    groups,
    footer: `${(r.ms / 1000).toFixed(1)} s`,
  }).map((embeds) => ({ embeds }));
}

/** A time as a Discord timestamp: each reader sees it in their own time zone. */
export function discordTime(at: Date): string {
  return `<t:${Math.floor(at.getTime() / 1000)}:f>`;
}

/** A short notice (status, settings, confirmations): title and lines. */
export function renderNotice(title: string, lines: readonly string[]): MessagePayload {
  const [embeds] = packEmbeds({ title, color: COLOR.answered, lines: [...lines], groups: [] });
  return { embeds: embeds! };
}

/** A briefing or answer as one or more messages; extra messages carry the rest of the sources. */
export function renderBriefing(b: Briefing): MessagePayload[] {
  const title = b.kind === 'brief' ? `Briefing: ${b.topic?.name ?? b.query}` : `Q: ${b.query}`;
  if (b.status === 'no_sources') {
    const plan: EmbedPlan = {
      title: sanitize(title),
      color: COLOR.none,
      lines: [
        'The corpus has nothing on this, so there is no briefing rather than a guess.',
        ...(b.reason ? [sanitize(b.reason)] : []),
        'Try other words, a topic from `/topics`, or a wider date range.',
      ],
      groups: [],
      footer: briefingFooter(b),
    };
    return packEmbeds(plan).map((embeds) => ({ embeds }));
  }
  const corrected = correctionLine(b);
  const lines = [
    ...(corrected === undefined ? [] : [`*${sanitize(corrected)}*`]),
    ...bulletParts(b).flatMap((part) => [
      ...(part.heading === undefined ? [] : [`**${part.heading}**`]),
      ...part.bullets.map(
        (bullet) =>
          `• ${bulletDate(bullet)}${sanitize(bullet.text)} ${citationMarks(bullet.citations)}${speakerSuffix(bullet)}`,
      ),
    ]),
  ];
  const groups: EmbedPlan['groups'] = [];
  if (b.keyDates.length > 0) {
    groups.push({
      name: 'Key dates',
      lines: b.keyDates.map((k) => `**${k.date}** ${sanitize(k.text)} [${k.citation}]`),
    });
  }
  groups.push(sourcesGroup(b.sources));
  return packEmbeds({
    title: sanitize(title),
    color: COLOR.answered,
    lines,
    groups,
    footer: briefingFooter(b),
  }).map((embeds) => ({ embeds }));
}

export function renderSearch(r: SearchResult): MessagePayload[] {
  const lines =
    r.results.length === 0
      ? ['No article matches. Try fewer or other words.']
      : r.results.map(
          (hit, i) => `**${i + 1}. ${sanitize(hit.title)}** (${hit.date})\n${sanitize(hit.snippet)}`,
        );
  return packEmbeds({
    title: `Search: ${sanitize(r.query)}`,
    color: COLOR.answered,
    lines,
    groups: [],
    footer: `${r.results.length} article${r.results.length === 1 ? '' : 's'}`,
  }).map((embeds) => ({ embeds }));
}

export function renderTopics(list: TopicList): MessagePayload[] {
  const line = (t: TopicList['topics'][number]) =>
    `**${sanitize(t.name)}** \`${t.slug}\` — ${t.articles} article${t.articles === 1 ? '' : 's'}`;
  const curated = list.topics.filter((t) => t.curated);
  const discovered = list.topics.filter((t) => !t.curated);
  return packEmbeds({
    title: 'Topics',
    color: COLOR.answered,
    lines: ['Use a slug or any alias with `/brief`.'],
    groups: [
      ...(curated.length ? [{ name: 'Curated', lines: curated.map(line) }] : []),
      ...(discovered.length ? [{ name: 'Found in the corpus', lines: discovered.map(line) }] : []),
    ],
    footer: `${list.topics.length} topics`,
  }).map((embeds) => ({ embeds }));
}

export function renderHelp(stats: CorpusStats): MessagePayload {
  const [embeds] = packEmbeds({
    title: 'Briefing bot',
    color: COLOR.answered,
    lines: [
      'Source-cited briefings from a corpus of news and analysis articles. Every bullet quotes or rests on a source you can check: `[n]` points to the numbered source list.',
      '',
      '`/brief topic:` a briefing on a topic (slug, alias or any words); `since:` limits it to recent sources (`2024-06-01`, `7d`, `6m`), and `since:last` to what is new since your own last briefing on it.',
      '`/ask question:` a cited answer, or an honest "the corpus has nothing on this".',
      '`/search query:` matching articles with dates and snippets.',
      '`/topics` the known topics with article counts.',
      'Admins: `/daily` (a briefing posted to a channel each day), `/reload` (new articles without a restart), `/status`.',
      '',
      'Answers are private to you unless you set `public:` to true, or press Share.',
    ],
    groups: [
      {
        name: 'Corpus',
        lines: [
          `${stats.articles} articles (${stats.passages} passages), ${stats.oldest} to ${stats.newest}`,
          `version ${shortVersion(stats.corpusVersion)}`,
        ],
      },
    ],
  });
  return { embeds: embeds! };
}

/** A short error message: what went wrong and, for unexpected failures, an id to quote in a report. */
export function renderError(message: string, errorId?: string): MessagePayload {
  const text = errorId === undefined ? message : `${message}\nError id: \`${errorId}\``;
  return { embeds: [{ color: COLOR.error, description: text.slice(0, 4000) }] };
}
