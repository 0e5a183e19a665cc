import { describe, expect, it } from 'vitest';
import type { Article } from '../../src/engine/corpus/article.ts';
import { CorpusEngine } from '../../src/engine/engine.ts';
import { buildIndex } from '../../src/engine/index/build.ts';
import { planQuery } from '../../src/engine/query.ts';
import { questionAnswered, withAnswers } from '../../src/engine/summarize/evidence.ts';
import { testArticle } from '../helpers/articles.ts';

const article = (id: string, date: string, title: string, publisher: string, text: string): Article =>
  testArticle({ id, date, title, publisher, text });

// A gaggle where the official's answer runs over several passages: only the first of them holds the
// reporter's question, and the answer itself never repeats the question's words.
const GAGGLE = article(
  'gaggle',
  '2024-03-15',
  'Press Gaggle by National Security Communications Advisor John Kirby',
  'The White House',
  [
    'MS. JEAN-PIERRE: Good afternoon. I will hand it to John Kirby for the top of the gaggle.',
    'MR. KIRBY: Good afternoon, everybody. I have a few things at the top on Ukraine.',
    'Q Critics say the Basra Power waiver that lets Iraq pay Iran for electricity puts money in the Iranian regime’s hands. Does it?',
    [
      'MR. KIRBY: Let me walk you through how this works, because there is a lot of misinformation out there.',
      'This was begun under the previous administration, and it is reviewed every three months.',
      'The point is to keep the lights on for ordinary families through the hot summer months.',
      'We review each of these renewals carefully with our partners in Baghdad and across the region.',
      'Our team briefs the relevant committees in Congress on every renewal before it happens.',
      'Nothing about the structure of the arrangement has changed since it was first put in place.',
      'None of that money goes to the mullahs; it can only pay vendors of humanitarian goods.',
    ].join(' '),
  ].join('\n\n'),
);

// A digest line that shares the question's words but is nobody's statement.
const DIGEST = article(
  'digest',
  '2024-03-16',
  'Current events, 16 March 2024',
  'News digest',
  'Critics in Congress say the Basra Power waiver for Iraqi electricity puts money in the hands of the Iranian regime.',
);

const OTHER = article(
  'other',
  '2024-03-10',
  'Iraq electricity imports',
  'News digest',
  'Iraq imports gas and electricity from Iran to supply its power grid during the summer.',
);

const engine = new CorpusEngine({
  index: buildIndex([GAGGLE, DIGEST, OTHER], []),
  corpusVersion: 'test',
  now: () => new Date('2024-04-01T00:00:00Z'),
});

describe('questions about what someone said', () => {
  it('reads the name a question frames a statement with as its speaker', () => {
    const index = buildIndex([GAGGLE, DIGEST, OTHER], []);
    const speakers = (q: string) => {
      const plan = planQuery(index, q);
      return (plan.speakers ?? []).map((i) => plan.concepts[i]!.text);
    };
    expect(speakers('Does the waiver put money in the regime’s hands, according to John Kirby?')).toEqual([
      'John Kirby',
    ]);
    expect(speakers('Did Kirby and Baghdad agree about the waiver?')).toEqual(['Kirby', 'Baghdad']);
    expect(speakers('What did Kirby say about the waiver?')).toEqual(['Kirby']);
    expect(speakers('Who pays for electricity in Iraq?')).toEqual([]);
    // "According to" names the speaker alone; an act to come is no statement; "agreement" is no verb.
    expect(speakers('According to Kirby, will Baghdad respond to the waiver?')).toEqual(['Kirby']);
    expect(speakers('Will Baghdad respond to the waiver?')).toEqual([]);
    expect(speakers('What did the Baghdad agreement on the waiver cover?')).toEqual([]);
  });

  it('a capital that grammar asks for is not a name', () => {
    const index = buildIndex([GAGGLE, DIGEST, OTHER], []);
    const plan = planQuery(index, 'Critics of the waiver: what did Kirby answer them?');
    const word = (text: string) => plan.concepts.find((c) => c.text === text);
    expect(word('Critics')).toMatchObject({ kind: 'word', name: false });
    expect(word('Kirby')).toMatchObject({ kind: 'word', name: true });
  });

  it("reads each passage of an official's long answer with the question it answers", () => {
    const index = buildIndex([GAGGLE, DIGEST, OTHER], []);
    const text = GAGGLE.text;
    const passageOf = (words: string) => {
      const at = text.indexOf(words);
      const p = [...index.passageArticle.keys()].find(
        (p) => index.passageArticle[p] === 0 && index.passageStart[p]! <= at && at < index.passageEnd[p]!,
      );
      return p!;
    };
    const last = passageOf('None of that money');
    // The answer's last sentences are a passage of their own, without the question …
    expect(text.slice(index.passageStart[last], index.passageEnd[last])).not.toMatch(/Does it\?/);
    // … yet they are read as the answer to it.
    expect(questionAnswered(index, last)).toMatch(/^Critics say the Basra Power waiver .* Does it\?$/);
    // The official's opening remarks answer no question.
    expect(questionAnswered(index, passageOf('a few things at the top'))).toBe('');
  });

  it("brings the official's answer after a retrieved question, and not the exchanges after it", () => {
    const three = article(
      'three',
      '2024-01-29',
      'Press Briefing by National Security Communications Advisor John Kirby',
      'The White House',
      [
        'MR. KIRBY: Good afternoon. I will take your questions.',
        'Q Will the United States respond to the Tower 22 attack, and when?',
        'MR. KIRBY: We will respond at a time and in a manner of our choosing.',
        'Q On the hostages in Gaza: is there any progress in the talks this week?',
        'MR. KIRBY: The talks are constructive, and we are working hard on a deal.',
        'Q And on the Red Sea: are more shipping companies rerouting around Africa?',
        'MR. KIRBY: Several companies have rerouted, and we understand why they did.',
      ].join('\n\n'),
    );
    const index = buildIndex([three], []);
    const passageOf = (words: string) =>
      [...index.passageArticle.keys()].find((p) => {
        const at = three.text.indexOf(words);
        return index.passageStart[p]! <= at && at < index.passageEnd[p]!;
      })!;
    const tower = passageOf('Tower 22 attack');
    const taken = withAnswers(index, [{ passage: tower, score: 1 }]).map((p) => p.passage);
    expect(taken).toContain(passageOf('We will respond'));
    expect(taken).not.toContain(passageOf('hostages in Gaza'));
    expect(taken).not.toContain(passageOf('Red Sea'));
  });

  it("answers in the official's words, never the reporter's premise nor another source's account", async () => {
    const a = await engine.ask(
      'According to Kirby, does the Basra Power waiver for Iraqi electricity put money in the Iranian regime’s hands?',
    );
    expect(a.status).toBe('answered');
    expect(a.bullets.length).toBeGreaterThan(0);
    for (const b of a.bullets) {
      expect(GAGGLE.text).toContain(b.text);
      expect(b.text).not.toMatch(/Critics/);
    }
    expect(new Set(a.sources.map((s) => s.articleId))).toEqual(new Set(['gaggle']));
    expect(a.sources.every((s) => s.speaker?.name?.includes('Kirby') === true)).toBe(true);
  });
});
