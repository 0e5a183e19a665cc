import type { CandidateSentence } from '../../src/engine/summarize/evidence.ts';

/** A candidate sentence with plain defaults (an event, whole, unspoken, 0.8 of the query), and `fields` over them. */
export function testCandidate(
  fields: Partial<CandidateSentence> & Pick<CandidateSentence, 'article' | 'passage' | 'start' | 'end'>,
): CandidateSentence {
  return {
    terms: new Set(),
    coverage: 0.8,
    ownCoverage: 0.8,
    day: 0,
    event: true,
    dependent: false,
    passageScore: 10,
    question: false,
    fragment: false,
    spoken: false,
    speaker: undefined,
    voiced: false,
    allNames: true,
    ...fields,
  };
}
