import { describe, expect, it } from 'vitest';
import { buildIndex, extendIndex, type SearchIndex } from '../../src/engine/index/build.ts';
import { tokenize } from '../../src/engine/index/tokenize.ts';
import { planQuery } from '../../src/engine/query.ts';
import { candidateSentences, indexedSentences } from '../../src/engine/summarize/evidence.ts';
import { testArticle } from '../helpers/articles.ts';

// Text that tokenises in every way the scanner knows: capitals, acronyms a stemmer cuts, possessives,
// accents, dotted abbreviations, hyphenated codes, numbers and a transcript's turns.
const TEXTS = [
  "Kata'ib Hezbollah's drones struck the U.S. base at Tower 22 on Jan. 28, 2024. Three soldiers died.",
  'MR. KIRBY: The IRIS Dena sank. F-16s and MQ-9 drones flew 1,200 km over Deir ez-Zor.\n\nQ: Why?',
  'Şeyh Maqsoud, São Paulo and Qassem’s office — all named. HTS (Hayat Tahrir al-Sham) took Aleppo.',
];
const articles = TEXTS.map((text, i) => testArticle({ id: `a${i}`, date: `2024-0${i + 1}-01`, text }));

/** Each sentence's tokens as tokenising its text gives them, with their ids in the vocabulary. */
function tokenised(index: SearchIndex, passage: number) {
  const text = index.articles[index.passageArticle[passage]!]!.text;
  const out = [];
  for (let s = index.passageFirstSentence[passage]!; s < index.passageLastSentence[passage]!; s++) {
    const toks = tokenize(text.slice(index.sentenceStart[s], index.sentenceEnd[s]));
    out.push({ toks, ids: toks.map((t) => index.vocabulary.get(t.term) ?? -1) });
  }
  return out;
}

describe("a passage's sentences read from the index's term stream", () => {
  it('are the tokens that tokenising their text gives, in a built and in an extended index', () => {
    const built = buildIndex(articles.slice(0, 2), []);
    const extended = extendIndex(built, articles.slice(2));
    for (const index of [built, extended]) {
      expect(index.passageArticle.length).toBeGreaterThan(2);
      for (let p = 0; p < index.passageArticle.length; p++)
        expect(indexedSentences(index, p)).toEqual(tokenised(index, p));
    }
  });

  it('are not used where the stream does not line up with the text: the sentences are tokenised instead', () => {
    const index = buildIndex(articles, []);
    // Passage 0 read with the term stream of the last passage, as a stale or damaged index would give it.
    const last = index.passageArticle.length - 1;
    const tokenStart = index.tokenStart.slice();
    tokenStart[1] = tokenStart[0]! + (index.tokenStart[last + 1]! - index.tokenStart[last]!);
    const damaged = { ...index, tokenStart };
    expect(indexedSentences(damaged, 0)).toBeUndefined();
    const plan = planQuery(index, 'Tower 22 drones');
    const weights = plan.concepts.map(() => 1);
    const terms = (i: SearchIndex) =>
      candidateSentences(i, plan, weights, [{ passage: 0, score: 1 }]).map((c) => [...c.terms]);
    expect(terms(damaged)).toEqual(terms(index));
    expect(terms(index).flat()).toContain('tower');
  });
});
