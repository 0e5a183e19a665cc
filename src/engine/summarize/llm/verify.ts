/**
 * Checks each model bullet against the passages it cites before anyone sees it: citations that were
 * not given are removed, and a bullet whose names, numbers or dates appear in none of its cited
 * passages, or whose words mostly do not, is dropped. Pure: strings in, verdicts out.
 */

import { MONTH_NAMES } from '../../dates.ts';
import { isStopWord, terms } from '../../index/tokenize.ts';

export interface VerifiedBullet {
  text: string;
  /** Passage numbers (1-based, as given to the model) that support it. */
  citations: number[];
  /** When the settings keep unsupported bullets: why this one is not supported. */
  unsupported?: string;
}

export interface Verdict {
  kept: VerifiedBullet[];
  dropped: { text: string; reason: string }[];
  /** Citation numbers removed from kept bullets (not given, or sharing nothing with the bullet). */
  stripped: number;
  /** Bullets whose citations were moved to the given passage that supports them far better. */
  repointed: number;
}

/** Share of a bullet's content words that must occur in its cited passages. */
export const MIN_OVERLAP = 0.6;
/**
 * How much better another given passage must support a bullet (share of its words, and all its names and
 * numbers) than the passages it cites for the citation to be moved there: a model that cites the source
 * next to the right one is common, and pointing the reader at the right source beats both the wrong one
 * and dropping a true statement.
 */
export const REPOINT_MARGIN = 0.25;

/**
 * Sentences that address a model rather than report news ("ignore previous instructions", "you are
 * now…"): they support nothing, so a bullet that obeys one has no source.
 */
const INSTRUCTION =
  /\b(?:ignore|disregard|forget)\b[^.!?\n]{0,40}\b(?:instructions?|rules?|prompts?|above)\b|\byou are now\b|\bsystem prompt\b|\b(?:assistant|AI|language model|chatbot)s?\b[^.!?\n]{0,30}\b(?:must|should|will)\b/i;

function supportText(passage: string): string {
  return passage
    .split(/(?<=[.!?])\s+/)
    .filter((s) => !INSTRUCTION.test(s))
    .join(' ');
}

const fold = (s: string) =>
  s
    .normalize('NFKD')
    .replace(/[\u0300-\u036f]/g, '')
    .replace(/[\u2018\u2019`]/g, "'")
    .toLowerCase();

/** Names, numbers and dates: the claims a bullet must not make up. */
export function specificClaims(text: string): string[] {
  const claims = new Set<string>();
  for (const m of text.matchAll(/\d[\d,.]*\d|\d/g)) claims.add(m[0].replace(/,/g, ''));
  const months = new Set(MONTH_NAMES.map((m) => m.toLowerCase()));
  // Capitalised words not at the start of the bullet, and not month names (dates are checked as numbers).
  for (const m of text.matchAll(/(?<=[\s(“"'-])(\p{Lu}[\p{L}'’-]+)/gu)) {
    const word = fold(m[1]!).replace(/['’]s$/, '');
    if (!months.has(word) && !isStopWord(word)) claims.add(word);
  }
  return [...claims];
}

function contentTerms(text: string): string[] {
  return terms(text).filter((t) => t.length > 1 && !isStopWord(t));
}

export function verifyBullets(
  bullets: readonly { text: string; citations: readonly number[] }[],
  passages: readonly string[],
  options: { keepUnsupported?: boolean } = {},
): Verdict {
  const support = passages.map(supportText);
  const supportFolded = support.map((p) => fold(p).replace(/(\d),(\d)/g, '$1$2'));
  const supportTerms = support.map((p) => new Set(contentTerms(p)));
  const verdict: Verdict = { kept: [], dropped: [], stripped: 0, repointed: 0 };
  for (const bullet of bullets) {
    const text = bullet.text.replace(/\s*\[\d+\]/g, '').trim();
    const words = contentTerms(text);
    if (text === '' || words.length === 0) {
      verdict.dropped.push({ text, reason: 'empty' });
      continue;
    }
    const given = [...new Set(bullet.citations)].filter(
      (n) => Number.isInteger(n) && n >= 1 && n <= passages.length,
    );
    verdict.stripped += new Set(bullet.citations).size - given.length;
    // A citation must share something with the bullet; one that shares nothing is removed.
    const citations = given.filter((n) => words.some((w) => supportTerms[n - 1]!.has(w)));
    verdict.stripped += given.length - citations.length;
    let reason: string | undefined;
    if (citations.length === 0)
      reason = given.length === 0 ? 'no valid citation' : 'cited passages share nothing with it';
    else {
      const claims = specificClaims(text);
      const support = (ns: readonly number[]) => {
        const cited = ns.map((n) => supportFolded[n - 1]!).join('\n');
        const citedTerms = new Set(ns.flatMap((n) => [...supportTerms[n - 1]!]));
        return {
          missing: claims.filter((c) => !cited.includes(c)),
          overlap: words.filter((w) => citedTerms.has(w)).length / words.length,
        };
      };
      let { missing, overlap } = support(citations);
      const better = passages
        .map((_, i) => ({ n: i + 1, ...support([i + 1]) }))
        .filter((c) => !citations.includes(c.n) && c.missing.length === 0 && c.overlap >= MIN_OVERLAP)
        .sort((a, b) => b.overlap - a.overlap)[0];
      // Far better, or complete where the cited passage is not: "the state funeral of Khamenei" cites the
      // report of the state funeral, not the one of arrangements for "the funeral".
      if (
        better !== undefined &&
        (better.overlap >= overlap + REPOINT_MARGIN || (better.overlap === 1 && overlap < 1))
      ) {
        citations.splice(0, citations.length, better.n);
        ({ missing, overlap } = better);
        verdict.repointed++;
      }
      if (missing.length > 0) reason = `not in its sources: ${missing.slice(0, 3).join(', ')}`;
      else if (overlap < MIN_OVERLAP)
        reason = `only ${Math.round(overlap * 100)}% of its words are in its sources`;
    }
    if (reason === undefined) verdict.kept.push({ text, citations });
    else if (options.keepUnsupported && citations.length > 0)
      verdict.kept.push({ text, citations, unsupported: reason });
    else verdict.dropped.push({ text, reason });
  }
  return verdict;
}
