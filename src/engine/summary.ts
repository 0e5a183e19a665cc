/**
 * From chosen sentences to an answer: the offline (extractive) summary, or with an LLM writer an
 * abstractive one over the passage set the writer sees, verified, falling back to the offline summary
 * when too little survives verification.
 */
import { type BriefingBase, compose, composeWritten, type Timeline } from './citations.ts';
import type { EngineContext } from './context.ts';
import { type SearchIndex, sentenceFlags, sentenceSpeaker } from './index/build.ts';
import { SENTENCE_REPORTER } from './index/passages.ts';
import { speakerLine } from './index/speakers.ts';
import type { Briefing } from './result.ts';
import type { ScoredPassage } from './retrieve.ts';
import { type CandidateSentence, withLeads } from './summarize/evidence.ts';
import type { LlmPassage } from './summarize/llm/writer.ts';

/** How much an LLM writer is shown and must keep. */
export interface WritingOptions {
  /**
   * Passages handed to the model at most.
   * @default { brief: 8, ask: 6 } — a briefing spans more articles than an answer; both fit a small context.
   */
  passages: { brief: number; ask: number };
  /**
   * Bullets that must survive verification (or all the offline summary had, if fewer), else the
   * offline summary is used. @default { brief: 2, ask: 1 } — a one-bullet briefing is not a briefing.
   */
  minKept: { brief: number; ask: number };
}

export const DEFAULT_WRITING: WritingOptions = {
  passages: { brief: 8, ask: 6 },
  minKept: { brief: 2, ask: 1 },
};

/**
 * The offline summary, or with an LLM writer an abstractive one over the same evidence: the passages of
 * the chosen sentences first, then the next best retrieved. Too little verified → the offline summary,
 * saying so in `generatedBy`.
 */
export async function summarise(
  ctx: EngineContext,
  base: BriefingBase,
  query: string,
  picked: readonly CandidateSentence[],
  retrieved: readonly ScoredPassage[],
  timeline: Timeline,
  options: WritingOptions = DEFAULT_WRITING,
): Promise<Briefing> {
  // A sentence leaning on the one before is quoted with it.
  const chosen = withLeads(picked);
  const writer = ctx.writer;
  if (writer === undefined) return compose(ctx, base, chosen, timeline);
  const kind = base.kind;
  const ids = writerPassageIds(chosen, retrieved, options.passages[kind]);
  const parts = new Map(chosen.map((c) => [c.passage, c.part]));
  const outcome = await writer.write(kind, query, llmPassages(ctx.index, ids, parts));
  const minimum = Math.min(options.minKept[kind], chosen.length);
  if (!outcome.ok || outcome.verdict.kept.length < minimum) {
    const why = outcome.ok ? `${outcome.verdict.kept.length} bullets survived verification` : outcome.reason;
    writer.fellBack?.(kind, outcome.ok ? 'unverified' : 'model_failed');
    return {
      ...compose(ctx, base, chosen, timeline),
      generatedBy: `extractive (fallback from ${writer.label}: ${why})`,
    };
  }
  return composeWritten(
    ctx,
    base,
    ids,
    withQuotedGaps(ctx.index, ids, chosen, outcome.verdict.kept),
    timeline,
  );
}

/**
 * The verified model bullets, then, where verification dropped the bullet of a chosen sentence's passage,
 * that sentence quoted as the offline summary would (up to as many bullets as the offline summary has): a
 * faulty model bullet must not cost the reader the evidence it was written from, often the newest.
 */
export function withQuotedGaps(
  index: SearchIndex,
  ids: readonly number[],
  chosen: readonly CandidateSentence[],
  kept: readonly { text: string; citations: number[]; unsupported?: string }[],
): { text: string; citations: number[]; unsupported?: string }[] {
  const cited = new Set(kept.flatMap((b) => b.citations.map((n) => ids[n - 1])));
  const out = [...kept];
  for (const c of chosen) {
    if (out.length >= chosen.length) break;
    // A passage the model was not shown (past its passage limit) cannot be cited by number.
    if (cited.has(c.passage) || !ids.includes(c.passage)) continue;
    cited.add(c.passage);
    out.push({
      text: index.articles[c.article]!.text.slice(c.start, c.end),
      citations: [ids.indexOf(c.passage) + 1],
    });
  }
  return out;
}

/** The passages a writer sees, in order: those of the chosen sentences, then the next best retrieved. */
export function writerPassageIds(
  chosen: readonly CandidateSentence[],
  retrieved: readonly ScoredPassage[],
  max: number,
): number[] {
  return [...new Set([...chosen.map((c) => c.passage), ...retrieved.map((p) => p.passage)])].slice(0, max);
}

/**
 * Each passage as a model sees it: its date, its speaker, its part of a briefing, and the reporter's
 * question it answers set apart from what the source itself says (the only text a bullet may rest on).
 */
function llmPassages(
  index: SearchIndex,
  ids: readonly number[],
  parts: ReadonlyMap<number, CandidateSentence['part']>,
): LlmPassage[] {
  return ids.map((p) => {
    const article = index.articles[index.passageArticle[p]!]!;
    const said: string[] = [];
    const asked: string[] = [];
    let speaker: string | undefined;
    for (let s = index.passageFirstSentence[p]!; s < index.passageLastSentence[p]!; s++) {
      const sentence = article.text.slice(index.sentenceStart[s]!, index.sentenceEnd[s]!);
      if ((sentenceFlags(index, s) & SENTENCE_REPORTER) !== 0) {
        asked.push(sentence);
        continue;
      }
      said.push(sentence);
      const who = sentenceSpeaker(index, s);
      speaker ??= who === undefined ? undefined : speakerLine(who);
    }
    const part = parts.get(p);
    return {
      title: article.title,
      date: article.date,
      publisher: article.publisher,
      // Whole passages read best; a transcript's passage is rebuilt from its sentences without the question.
      text:
        asked.length === 0
          ? article.text.slice(index.passageStart[p]!, index.passageEnd[p]!)
          : said.join(' '),
      ...(speaker === undefined ? {} : { speaker }),
      ...(asked.length === 0 ? {} : { question: asked.join(' ') }),
      ...(part === undefined ? {} : { part }),
    };
  });
}
