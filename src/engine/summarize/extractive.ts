import { type CandidateSentence, similarity } from './evidence.ts';

/** Options of {@link selectSentences}. */
export interface SelectOptions {
  /** How many sentences at most. */
  max: number;
  /** MMR trade-off between relevance (1) and novelty (0). Default 0.7. */
  lambda?: number;
  /** At most this many sentences from one article. Default 2. */
  perArticle?: number;
  /** Sentences scoring below this share of the best are not used. Default 0.25. */
  floor?: number;
  /**
   * Score factor for a sentence that leans on the one before ("However, …", "They …"). Default 1: an
   * answer may need it; a briefing's bullets stand alone, so `brief` lowers it.
   */
  dependentPenalty?: number;
  /**
   * Score factor for a sentence that reports no development (a view, praise, a promise). Default 1: an
   * answer may be a statement; a briefing leads with events, so `brief` lowers it.
   */
  viewPenalty?: number;
}

/** A bullet must say something on its own: "KH is one of the participants." does not. */
const MIN_BULLET_TERMS = 5;

/** The relevance of a sentence: its passage's score, scaled by how much of the query it holds itself. */
export function sentenceScore(c: CandidateSentence, dependentPenalty = 1, viewPenalty = 1): number {
  return (
    c.passageScore *
    (0.35 + c.coverage) *
    (c.spoken ? SPOKEN_PENALTY : 1) *
    (c.dependent ? dependentPenalty : 1) *
    (c.event ? 1 : viewPenalty)
  );
}

/** Spoken filler makes a weak bullet; such a sentence is kept only when nothing plainer says as much. */
const SPOKEN_PENALTY = 0.6;

/**
 * Picks sentences by maximal marginal relevance: each next pick is the most relevant sentence that is
 * least like those already picked, so a briefing does not say the same thing twice.
 */
export function selectSentences(
  candidates: readonly CandidateSentence[],
  options: SelectOptions,
): CandidateSentence[] {
  const lambda = options.lambda ?? 0.7;
  const perArticle = options.perArticle ?? 2;
  // Questions (a reporter's "Q ... ?") state nothing, and fragments read badly: neither is a bullet. They
  // are left out before the floor is set, so that one of them cannot push every eligible sentence below it.
  const scored = candidates
    .filter((c) => c.terms.size >= MIN_BULLET_TERMS && !c.question && !c.fragment)
    .map((c) => ({ c, score: sentenceScore(c, options.dependentPenalty, options.viewPenalty) }));
  const best = Math.max(0, ...scored.map((s) => s.score));
  const pool = scored.filter((s) => s.score >= best * (options.floor ?? 0.25));
  const chosen: CandidateSentence[] = [];
  const fromArticle = new Map<number, number>();
  while (chosen.length < options.max && pool.length > 0) {
    let pick = -1;
    let pickValue = Number.NEGATIVE_INFINITY;
    pool.forEach((s, i) => {
      if ((fromArticle.get(s.c.article) ?? 0) >= perArticle) return;
      const redundancy = Math.max(0, ...chosen.map((c) => similarity(c.terms, s.c.terms)));
      const value = lambda * (s.score / (best || 1)) - (1 - lambda) * redundancy;
      if (value > pickValue) {
        pick = i;
        pickValue = value;
      }
    });
    if (pick < 0) break;
    const [taken] = pool.splice(pick, 1);
    const redundancy = Math.max(0, ...chosen.map((c) => similarity(c.terms, taken!.c.terms)));
    if (redundancy > 0.6) continue; // a near-repeat of a chosen sentence (the same digest line twice)
    chosen.push(taken!.c);
    fromArticle.set(taken!.c.article, (fromArticle.get(taken!.c.article) ?? 0) + 1);
  }
  return chosen;
}
