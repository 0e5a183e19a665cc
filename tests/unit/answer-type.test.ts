import { describe, expect, it } from 'vitest';
import type { Article } from '../../src/engine/corpus/article.ts';
import { CorpusEngine } from '../../src/engine/engine.ts';
import { buildIndex } from '../../src/engine/index/build.ts';
import { tokenize } from '../../src/engine/index/tokenize.ts';
import { topicSchema } from '../../src/engine/index/topics.ts';
import { planQuery } from '../../src/engine/query.ts';
import { expectedAnswers, holdsAnswer } from '../../src/engine/summarize/answer-type.ts';
import { testArticle } from '../helpers/articles.ts';

const article = (id: string, date: string, text: string): Article =>
  testArticle({ id, date, title: `Current events ${date}`, text });

const ARTICLES = [
  article(
    'old',
    '2024-09-28',
    'Hezbollah leader Hassan Nasrallah is killed in Israeli airstrikes in Beirut.',
  ),
  article(
    'lead',
    '2026-06-04',
    'Secretary-General of Hezbollah Naim Qassem rejects a ceasefire without an Israeli withdrawal.',
  ),
  article(
    'news',
    '2026-08-05',
    'The Israel Defense Forces say they struck Hezbollah sites in southern Lebanon after ceasefire violations.',
  ),
  article('other', '2026-08-06', 'Iraqi parties are running out of time to form a government.'),
  article(
    'ship',
    '2026-05-10',
    "South Korea's investigation finds that two unidentified projectiles hit the cargo ship Hanbit Star; authorities continue investigating the type of weapon and the party responsible.",
  ),
  article(
    'tanker',
    '2026-05-12',
    "South Korea's investigation blames the Houthis for the projectiles that hit the tanker Sora Dawn.",
  ),
  // Other news, so that the group is as rare in this corpus as in a real one.
  ...['Basra', 'Mosul', 'Erbil', 'Kirkuk', 'Najaf', 'Karbala', 'Tikrit', 'Ramadi'].map((city, i) =>
    article(`city-${i}`, `2026-07-0${i + 1}`, `Flooding closes roads in ${city} after heavy rain.`),
  ),
];
// As in the bundled topics: Hezbollah is a curated group, so a question naming it is about it.
const HEZBOLLAH = topicSchema.parse({ slug: 'hezbollah', name: 'Hezbollah', kind: 'group' });
// The bundled synonyms' group for leading (data/synonyms.json).
const LEADING = [
  'lead',
  'leads',
  'leader',
  'leaders',
  'chief',
  'head',
  'run',
  'runs',
  'running',
  'heads',
  'headed',
];
const index = buildIndex(ARTICLES, [HEZBOLLAH], { synonyms: [LEADING] });

describe('answer types', () => {
  it('reads "who is running X" as asking for a leader: now, unless the question is in the past', () => {
    for (const q of [
      'Who is running Hezbollah these days?',
      'Who leads Hamas now?',
      'Who is currently heading the Quds Force?',
      'Who is the new leader of Hezbollah?',
      "Who is Iran's supreme leader at this point?",
      'Who is the current supreme leader of Iran?',
    ])
      expect(expectedAnswers(q)).toEqual(['current-leader']);
    expect(expectedAnswers('Who was the leader of Hezbollah in 2020?')).toEqual(['leader']);
    expect(expectedAnswers("Who was Hezbollah's secretary-general in 2010?")).toEqual(['leader']);
    expect(expectedAnswers('Who were the soldiers killed at Tower 22?')).toEqual(['person']);
  });

  it('a leader of a country may be named by its demonym ("Iranian supreme leader …" leads Iran)', () => {
    const iran = buildIndex(
      [
        testArticle({
          id: 'a',
          date: '2026-06-01',
          text: 'Israel strikes Iran and Iraq. Talks with Iran resume in Oman.',
        }),
        testArticle({
          id: 'b',
          date: '2026-06-04',
          text: 'Iranian supreme leader Mojtaba Khamenei declares victory.',
        }),
      ],
      [],
    );
    const asked = new Set(tokenize("Who is Iran's supreme leader now?").map((t) => t.term));
    const holds = (text: string) => holdsAnswer(iran, 'current-leader', text, asked);
    expect(holds('Iranian supreme leader Mojtaba Khamenei declares victory.')).toBe(true);
    expect(holds("Strikes hit former supreme leader Ali Khamenei's compound in Tehran.")).toBe(false);
  });

  it('a leader is a person named in a leading role, not any name', () => {
    const asked = new Set(tokenize('Who is running Hezbollah these days?').map((t) => t.term));
    const holds = (text: string) => holdsAnswer(index, 'leader', text, asked);
    expect(holds('Secretary-General of Hezbollah Naim Qassem rejects a ceasefire.')).toBe(true);
    expect(holds('The Israel Defense Forces say they struck Hezbollah sites.')).toBe(false);
    expect(holds('Naim Qassem rejects a ceasefire.')).toBe(false);
    expect(holds("Hezbollah's Secretary-General Naim Qassem rejects a ceasefire.")).toBe(true);
    expect(holds('Hezbollah political leader Naim Qassem meets the Iranian foreign minister.')).toBe(true);
    // A role of someone else is not the subject's leader, on either side of it.
    expect(holds('Hezbollah condemned President Donald Trump.')).toBe(false);
    expect(holds('Israeli Prime Minister Benjamin Netanyahu threatens Hezbollah.')).toBe(false);
    expect(holds('The president, Donald Trump, re-designated Hezbollah.')).toBe(false);
    expect(holds('President Donald Trump re-designates Hezbollah as a terrorist organization.')).toBe(false);
    // "Head" as a verb is no role.
    expect(holds('Two tankers, Xin Long Yang and Rodos, head for the Suez Canal instead.')).toBe(false);
    // Who leads now is not told by a leader's death; who led then may be.
    const killed = 'Hezbollah leader Hassan Nasrallah is killed in Israeli airstrikes in Beirut.';
    expect(holdsAnswer(index, 'current-leader', killed, asked)).toBe(false);
    expect(holds(killed)).toBe(true);
    expect(
      holdsAnswer(
        index,
        'current-leader',
        'Secretary-General of Hezbollah Naim Qassem rejects a ceasefire.',
        asked,
      ),
    ).toBe(true);
  });

  it('a day of a month is a date, not the count a "how many" asks for', () => {
    const asked = new Set(tokenize('How many targets did the strikes hit?').map((t) => t.term));
    const holds = (text: string) => holdsAnswer(index, 'count', text, asked);
    expect(holds('January 10, 2024: The Houthis launched a large missile attack.')).toBe(false);
    expect(holds('On 11 January the strikes destroyed multiple targets.')).toBe(false);
    expect(holds('The strikes hit 60 targets at 16 locations.')).toBe(true);
    expect(holds('The strikes hit eight targets.')).toBe(true);
    expect(holds('The strike on Jan. 10 hit the port.')).toBe(false);
    // A length of time is no count of troops, unless the question counts time.
    expect(holds('The US will withdraw its troops, ending its 12-year presence in the country.')).toBe(false);
    expect(holds('The strikes went on for three days.')).toBe(false);
    const days = new Set(tokenize('How many days did the pause last?').map((t) => t.term));
    expect(holdsAnswer(index, 'count', 'The pause lasted for a 12-day period.', days)).toBe(true);
    // "may" the verb is no month.
    expect(holds('At least 12 may have been hit in the strikes.')).toBe(true);
  });

  it('a number a source expects is not the count a "how many" asks for, unless it asks what was expected', () => {
    const asked = new Set(tokenize('How many mourners turned out for the funeral?').map((t) => t.term));
    const holds = (text: string) => holdsAnswer(index, 'count', text, asked);
    expect(holds('The funeral is expected to draw millions of mourners.')).toBe(false);
    expect(holds('Organisers say the crowd could reach 100,000 people.')).toBe(false);
    expect(holds('Hundreds of thousands of mourners attend the funeral in Tehran.')).toBe(true);
    expect(holds('About 50,000 mourners turned out, police said.')).toBe(true);
    const expecting = new Set(
      tokenize('How many mourners was the funeral expected to draw?').map((t) => t.term),
    );
    expect(
      holdsAnswer(index, 'count', 'The funeral is expected to draw millions of mourners.', expecting),
    ).toBe(true);
  });

  it('a question about now is not bounded by the date that says when its subject began', () => {
    const plan = planQuery(index, 'Is Hezbollah still led by the leader first chosen in 2024?');
    expect(plan.wantsRecent).toBe(true);
    expect(plan.window).toBeUndefined();
    expect(
      planQuery(index, 'Is the ban on Hezbollah imposed in March 2019 still in force?').window,
    ).toBeUndefined();
    // The same date bounds a question about that time.
    expect(planQuery(index, 'Who led Hezbollah in 2024?').window).toBeDefined();
  });

  it('a run of capitals that opens with "The" names an institution, not a person', () => {
    const asked = new Set(tokenize('Who ran the company?').map((t) => t.term));
    expect(holdsAnswer(index, 'person', 'The Basra Oil Company said so.', asked)).toBe(false);
    expect(holdsAnswer(index, 'person', 'Company head Ali Hassan Jaber said so.', asked)).toBe(true);
  });

  it('"who did X blame" asks for the party blamed, which a sentence must lay the blame on', () => {
    const q = "Who did South Korea's investigation blame for the projectiles that hit the Hanbit Star?";
    expect(expectedAnswers(q)).toEqual(['blamed']);
    expect(expectedAnswers('Who was blamed for the drone attacks on the gas field?')).toEqual(['blamed']);
    // "Which group did X blame" already asks for an actor.
    expect(expectedAnswers('Which umbrella group did the US blame for the drone strike?')).toEqual(['actor']);
    const asked = new Set(tokenize(q).map((t) => t.term));
    const holds = (text: string) => holdsAnswer(index, 'blamed', text, asked);
    expect(holds('Authorities continue investigating the type of weapon and the party responsible.')).toBe(
      false,
    );
    expect(holds("South Korea's ocean ministry says the ship was damaged in an explosion on May 4.")).toBe(
      false,
    );
    expect(holds('South Korea blamed Iran for the attack on the ship.')).toBe(true);
    expect(holds('The investigation attributed the strike to Iranian forces.')).toBe(true);
    expect(holds('Officials said Iran was responsible for the attack.')).toBe(true);
    expect(holds('Seoul held the Houthis responsible.')).toBe(true);
    // Who did it answers whom they blamed.
    expect(holds('Three soldiers are killed in a drone attack on the ship by Ansar Allah militants.')).toBe(
      true,
    );
  });

  it('answers a "who did X blame" question only from a line that blames someone', async () => {
    const engine = new CorpusEngine({ index, corpusVersion: 'test', now: () => new Date('2026-09-01') });
    const unsaid = await engine.ask(
      "Who did South Korea's investigation blame for the projectiles that hit the Hanbit Star?",
    );
    expect(unsaid.status).toBe('no_sources');
    const said = await engine.ask(
      "Who did South Korea's investigation blame for the projectiles that hit the Sora Dawn?",
    );
    expect(said.status).toBe('answered');
    expect(said.bullets[0]!.text).toMatch(/Houthis/);
  });

  it('answers who runs a group now from the newest line that names its leader, not the newest mention', async () => {
    const engine = new CorpusEngine({
      index,
      corpusVersion: 'test',
      now: () => new Date('2026-09-01T00:00:00Z'),
    });
    const a = await engine.ask('Who is running Hezbollah these days?');
    expect(a.status).toBe('answered');
    expect(a.bullets[0]!.text).toMatch(/Naim Qassem/);
  });
});
