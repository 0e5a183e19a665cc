import { describe, expect, it } from 'vitest';
import type { Article } from '../../src/engine/corpus/article.ts';
import { CorpusEngine } from '../../src/engine/engine.ts';
import { buildIndex } from '../../src/engine/index/build.ts';
import { tokenize } from '../../src/engine/index/tokenize.ts';
import { type AnswerType, expectedAnswers, holdsAnswer } from '../../src/engine/summarize/answer-type.ts';
import { askedActs } from '../../src/engine/summarize/told-facts.ts';
import { testArticle } from '../helpers/articles.ts';

const article = (id: string, date: string, text: string): Article =>
  testArticle({ id, date, title: `Current events ${date}`, text });

const ARTICLES = [
  article(
    'digest',
    '2004-10-31',
    [
      'Mateo Larrabure is elected the next president of Uruguay.',
      'Ukraine holds a presidential election; Yanukovich wins 40% of the vote.',
    ].join('\n'),
  ),
  article(
    'storm',
    '2022-08-29',
    'Supporters of the cleric Ramon Etxeberria storm the Republican Palace in Montevideo.\nFlooding closes roads in Salto.',
  ),
  article(
    'storm-why',
    '2022-08-30',
    'Supporters of the cleric Ramon Etxeberria storm the parliament in Montevideo after he announces his withdrawal from politics.',
  ),
  article('obit', '2024-07-26', 'Tomas Irigoyen dedicated his life to the pursuit of peace.'),
  article(
    'meeting',
    '2026-02-04',
    'The First Lady met with released hostage Inigo Sarasola in the White House today.',
  ),
  article(
    'verdict',
    '2025-07-31',
    'Ander Zubiri is found guilty at Montevideo District Court of involvement in a war crime in which a pilot was burned alive.',
  ),
  article(
    'sentence',
    '2025-08-02',
    'Iker Olano is sentenced to life in prison at Salto District Court for the murder of a pilot.',
  ),
  ...['Basra', 'Mosul', 'Erbil', 'Kirkuk', 'Najaf', 'Karbala'].map((city, i) =>
    article(`city-${i}`, `2026-07-0${i + 1}`, `Flooding closes roads in ${city} after heavy rain.`),
  ),
];
const index = buildIndex(ARTICLES, []);

const holds = (type: AnswerType, question: string, text: string) =>
  holdsAnswer(index, type, text, new Set(tokenize(question).map((t) => t.term)));

describe('answer types told in set phrases', () => {
  it('reads when, how old, what share, why and what someone died of as kinds of fact', () => {
    expect(expectedAnswers('When did the pipeline reopen?')).toEqual(['date']);
    expect(expectedAnswers('On what date was the hostage released?')).toEqual(['date']);
    expect(expectedAnswers('In what year did the war end?')).toEqual(['date']);
    // "when" as a conjunction asks no date.
    expect(expectedAnswers('What happened when Israel bombed the broadcaster?')).toEqual([]);
    expect(expectedAnswers('how old was he?')).toEqual(['age']);
    expect(expectedAnswers('What share of the vote did he win?')).toEqual(['share']);
    expect(expectedAnswers('Why did the crowds storm the palace?')).toEqual(['reason']);
    // What someone gave as a reason is their statement, told in their own words.
    expect(expectedAnswers('What reason did the director give for using bombers?')).toEqual([]);
    expect(expectedAnswers('What did the envoy die of?')).toEqual(['cause']);
  });

  it('a date is a time the question does not already name, or the dated report of the event', () => {
    const q = 'When in August 2022 was the palace stormed?';
    expect(holds('date', q, 'The palace was stormed on August 29.')).toBe(true);
    expect(holds('date', q, 'Officials said in August 2022 that talks would go on.')).toBe(false);
    expect(holds('date', q, 'Officials said the palace would stay closed last week.')).toBe(true);
    expect(holds('date', q, 'Abu Ali al-Askari is killed in an airstrike in Baghdad.')).toBe(true);
    expect(holds('date', q, 'Officials hope the talks go well.')).toBe(false);
  });

  it('a dated report answers when it reports the act the question asks the date of', () => {
    const q = "On what date was Naim Qassem chosen as Hezbollah's secretary-general?";
    const told = (text: string) =>
      holdsAnswer(index, 'date', text, new Set(tokenize(q).map((t) => t.term)), q);
    // The digest line dates the act it reports: rejecting a ceasefire, not being chosen.
    expect(told('Secretary-General of Hezbollah Naim Qassem rejects a ceasefire without a withdrawal.')).toBe(
      false,
    );
    expect(told("Hezbollah's council has chosen Naim Qassem as secretary-general.")).toBe(true);
    // A time in the sentence tells when only if it is the act's own: he spoke on October 29.
    expect(told('Naim Qassem spoke on October 29.')).toBe(false);
    expect(told('Naim Qassem was chosen as secretary-general on October 29.')).toBe(true);
    // A question that words its event outside the news lines' acts ("locked up") is not held to it.
    const locked = 'When was the journalist Cecilia Sala locked up?';
    expect(
      holdsAnswer(
        index,
        'date',
        'Italian journalist Cecilia Sala is detained by Iranian authorities in Tehran.',
        new Set(tokenize(locked).map((t) => t.term)),
        locked,
      ),
    ).toBe(true);
  });

  it("a time dates the act asked only in the act's own clause", () => {
    const told = (q: string, text: string) =>
      holdsAnswer(index, 'date', text, new Set(tokenize(q).map((t) => t.term)), q);
    const designate =
      'On what date did the State Department designate the Brotherhood chapter a terrorist group?';
    expect(told(designate, 'The State Department designated the Brotherhood chapter on January 13.')).toBe(
      true,
    );
    expect(told(designate, 'On January 13, the State Department designated the chapter.')).toBe(true);
    // October 7 is the attack's date, told in a clause of its own.
    expect(
      told(
        designate,
        'A Brotherhood leader urged attacks on the same day that Hamas perpetrated the October 7 attack.',
      ),
    ).toBe(false);
    const released = 'On what date was Inigo Sarasola released from captivity?';
    expect(told(released, 'Hamas released Inigo Sarasola on Saturday.')).toBe(true);
    // "released hostage" names him by his release; "today" dates the meeting.
    expect(
      told(released, 'The First Lady met with released hostage Inigo Sarasola in the White House today.'),
    ).toBe(false);
    // An act the question only describes its subject by is not the act asked: the ceasefire's taking effect,
    // the rift's patching up are worded otherwise, and no act is held to.
    const none = (q: string) => askedActs(q, (terms) => terms).size;
    expect(none('When did the Israel-Hezbollah ceasefire agreed in November 2024 take effect?')).toBe(0);
    expect(none('When did Ottawa and Riyadh patch up the rift that began over the Khashoggi killing?')).toBe(
      0,
    );
    expect(none('When was Abu Ali al-Askari killed in Baghdad?')).toBe(1);
    // Without a time, a report of the act is still dated by its source.
    expect(told(released, 'Hamas releases Inigo Sarasola and two other hostages.')).toBe(true);
    // A timeline item's date heads its line: the colon opens what happened then.
    const hijack = 'When did Hezbollah hijack TWA Flight 847?';
    expect(
      told(hijack, 'June 1985: Iran-backed Hezbollah terrorists hijacked TWA Flight 847 on its way to Rome.'),
    ).toBe(true);
  });

  it('an age, a share and a cause of death are told in their own phrases', () => {
    expect(holds('age', 'How old was he?', 'Tomas Irigoyen, 73, died on Friday.')).toBe(true);
    expect(holds('age', 'How old was he?', 'The 73-year-old diplomat died.')).toBe(true);
    expect(holds('age', 'How old was he?', 'Tomas Irigoyen dedicated his life to peace.')).toBe(false);
    expect(holds('share', 'What share of the vote?', 'He wins 52.4% of the vote.')).toBe(true);
    expect(holds('share', 'What share of the vote?', 'He wins 52 percent.')).toBe(true);
    expect(holds('share', 'What share of the vote?', 'He is elected president.')).toBe(false);
    expect(holds('cause', 'What did he die of?', 'He died of cancer at his home.')).toBe(true);
    expect(holds('cause', 'What did he die of?', 'He dedicated his life to peace.')).toBe(false);
  });

  it("a court's penalty is asked by 'what sentence', and told by the penalty, not by the verdict", () => {
    const q = 'What prison sentence did Ander Zubiri get for the murder of the pilot?';
    expect(expectedAnswers(q)).toEqual(['penalty']);
    expect(expectedAnswers('What sentence did the warden receive?')).toEqual(['penalty']);
    expect(expectedAnswers('How long was the journalist jailed?')).toEqual(['penalty']);
    // A penalty a policy sets is a measure, not a court's sentence.
    expect(expectedAnswers('What economic penalty did the executive order create for buyers?')).toEqual([]);
    expect(holds('penalty', q, 'Ander Zubiri is found guilty at Montevideo District Court.')).toBe(false);
    expect(holds('penalty', q, 'Ander Zubiri is sentenced to life in prison.')).toBe(true);
    expect(holds('penalty', q, 'A court gives him 15 years in prison.')).toBe(true);
    expect(holds('penalty', q, 'He receives a 20-year sentence.')).toBe(true);
    expect(holds('penalty', q, 'He faces the death penalty.')).toBe(true);
  });

  it('a reason is a causal link from the event, not the event alone', () => {
    const q = 'Why did supporters storm the palace?';
    expect(holds('reason', q, 'Supporters storm the palace after the cleric quits politics.')).toBe(true);
    expect(holds('reason', q, 'Supporters storm the palace in protest at the nomination.')).toBe(true);
    expect(holds('reason', q, 'Citing fraud, supporters storm the palace.')).toBe(true);
    expect(holds('reason', q, 'Supporters storm the palace because of the vote.')).toBe(true);
    expect(holds('reason', q, 'Supporters of the cleric storm the Republican Palace in Baghdad.')).toBe(
      false,
    );
  });

  const engine = new CorpusEngine({ index, corpusVersion: 'test', now: () => new Date('2026-09-01') });

  it('does not answer what share someone won from the line that says only that they won', async () => {
    const a = await engine.ask(
      'What share of the vote did Mateo Larrabure win when he was elected president?',
    );
    expect(a.status).toBe('no_sources');
  });

  it('abstains when no passage tells the asked kind of fact, and answers when one does', async () => {
    expect((await engine.ask('How old was Tomas Irigoyen when he died?')).status).toBe('no_sources');
    expect((await engine.ask('What did Tomas Irigoyen die of?')).status).toBe('no_sources');
    const why = await engine.ask('Why did supporters of Ramon Etxeberria storm the parliament?');
    expect(why.status).toBe('answered');
    expect(why.bullets[0]!.text).toMatch(/withdrawal from politics/);
    const palace = await engine.ask('Why did supporters of Ramon Etxeberria storm the Republican Palace?');
    expect(palace.status).toBe('no_sources');
    // "Today" dates the meeting, not the release.
    const release = await engine.ask('When was Inigo Sarasola released?');
    expect(release.status).toBe('no_sources');
    // "Found guilty" tells the verdict, not the sentence.
    const verdict = await engine.ask('What sentence did Ander Zubiri get for the war crime?');
    expect(verdict.status).toBe('no_sources');
    const sentenced = await engine.ask('What sentence did Iker Olano receive for the murder of the pilot?');
    expect(sentenced.status).toBe('answered');
    expect(sentenced.bullets[0]!.text).toMatch(/life in prison/);
  });
});
