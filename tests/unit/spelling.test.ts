import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import type { Article } from '../../src/engine/corpus/article.ts';
import { CorpusEngine } from '../../src/engine/engine.ts';
import { buildIndex } from '../../src/engine/index/build.ts';
import { planQuery } from '../../src/engine/query.ts';
import { skeleton } from '../../src/engine/spelling.ts';
import { testArticle } from '../helpers/articles.ts';

const article = (id: string, date: string, title: string, text: string): Article =>
  testArticle({ id, date, title, text });

const engine = new CorpusEngine({
  index: buildIndex(
    [
      article(
        'a',
        '2024-12-23',
        'Israel and Hamas',
        'Israeli Defense Minister Israel Katz publicly admits for the first time that Israel killed Ismail Haniyeh in Tehran.',
      ),
      article(
        'b',
        '2025-06-16',
        'Iran strikes',
        'Israel strikes buildings in Tehran belonging to the Islamic Republic of Iran Broadcasting, knocking it off-air.',
      ),
      article(
        'c',
        '2022-07-15',
        'Red Sea security',
        'They welcomed the newly established Combined Task Force 153, focused on maritime security in the Red Sea.',
      ),
      article(
        'd',
        '2019-10-09',
        'Turkish offensive',
        'Women at the Al-Hawl refugee camp riot and burn their tents. A hall and a hill near Hasakah are shelled.',
      ),
      article(
        'e',
        '2023-11-25',
        'Lebanon border',
        'A UNIFIL patrol is hit by gunfire near Aitaroun. The United Nations Interim Force in Lebanon (UNIFIL) condemned the incident.',
      ),
      article(
        'f',
        '2026-06-25',
        'Lebanon coalition',
        'France and Italy agree to form a coalition to support Lebanon after the United Nations Interim Force in Lebanon ends its mission on 31 December 2026.',
      ),
      article(
        'g',
        '2026-07-30',
        'Russian strikes',
        'An armed Russian cruise missile enters Polish airspace near Lublin. Farmers near Lublin burn straw.',
      ),
      article(
        'h',
        '2024-11-15',
        'Gaza protests',
        'The ice cream company sues its parent company for silencing its statements on Gaza. Protesters rally in Mosul.',
      ),
    ],
    [],
  ),
  corpusVersion: 'test',
  now: () => new Date('2025-07-01T00:00:00Z'),
});

describe('names that survive spelling', () => {
  it('reads transliteration variants as one name', () => {
    for (const [a, b] of [
      ['haniya', 'haniyeh'],
      ['araqchi', 'araghchi'],
      ['khafagi', 'khafaji'],
      ['halbusi', 'halbousi'],
      ['tishreen', 'tishrin'],
    ])
      expect(skeleton(a!)).toBe(skeleton(b!));
    expect(skeleton('marawi')).not.toBe(skeleton('mosul'));
  });

  it('a key never depends on case or marks', () => {
    fc.assert(
      fc.property(fc.stringMatching(/^[a-z]{1,12}$/), (w) => {
        expect(skeleton(w.toUpperCase())).toBe(skeleton(w));
      }),
    );
  });

  it('answers a name spelled as the sources do not, and says how it read it', async () => {
    const a = await engine.ask('Who publicly admitted to killing Ismail Haniya?');
    expect(a.status).toBe('answered');
    expect(a.corrections).toEqual([{ from: 'Haniya', to: 'Haniyeh' }]);
    expect(a.bullets[0]!.text).toMatch(/Israel Katz/);
  });

  it('reads a short name behind an Arabic article as the sound-alike the corpus writes behind it', async () => {
    const answer = await engine.ask('What happened at the al-Hol camp?');
    expect(answer.status).toBe('answered');
    expect(answer.corrections).toEqual([{ from: 'Hol', to: 'Hawl' }]);
    expect(answer.sources[0]?.articleId).toBe('d');
  });

  it('reads a mistyped asking word as that word, not as a name the corpus lacks', async () => {
    const a = await engine.ask('Wat happend to Ismail Haniyeh?');
    expect(a.status).toBe('answered');
    expect(a.sources[0]?.articleId).toBe('a');
    // A capitalised word inside a question stays a name, however close to an asking word ("Hasm" is no "has").
    expect((await engine.ask('What did Hasm say about Ismail Haniyeh?')).status).toBe('no_sources');
    // Only asking words: a word the corpus lacks a typo away from another function word ("raid", "said")
    // is as likely a real word.
    expect(planQuery(engine.index, 'What raid hit Tehran?').unknown).toContain('raid');
  });

  it("reads an inflected English word the corpus lacks as the asker's wording, not as a misspelt name", async () => {
    for (const [question, source] of [
      ['What strayed into Polish airspace near Lublin?', 'g'],
      ['Which ice cream company sued its parent company for muzzling its statements on Gaza?', 'h'],
    ] as const) {
      const plan = planQuery(engine.index, question);
      // Not "straw", not "Mosul"; and no missing subject that no passage could hold.
      expect(plan.corrections).toEqual([]);
      expect(plan.unknown).toEqual([]);
      const a = await engine.ask(question);
      expect(a.status).toBe('answered');
      expect(a.sources[0]?.articleId).toBe(source);
    }
    // Where the text writes nothing in capitals, case tells no name from a word: a slug is read as before.
    expect(planQuery(engine.index, 'strayed').corrections).toEqual([{ from: 'strayed', to: 'straw' }]);
  });

  it('still respells a misspelt common verb ("attaked", "kiled"), but only to a common word', () => {
    const common = buildIndex(
      [
        ...Array.from({ length: 25 }, (_, n) =>
          testArticle({
            id: `f${n}`,
            date: '2024-01-01',
            text: `Militias attacked a base near Erbil on day ${n}, and ${n} fighters were killed.`,
          }),
        ),
        testArticle({ id: 'straw', date: '2024-01-02', text: 'A straw poll in Ohio favours the governor.' }),
      ],
      [],
    );
    expect(planQuery(common, 'Was the base attaked by the Militias?').corrections).toEqual([
      { from: 'attaked', to: 'attack' },
    ]);
    expect(planQuery(common, 'How many were kiled near Erbil?').corrections).toEqual([
      { from: 'kiled', to: 'kill' },
    ]);
    // A rare word is no likelier than the asker's own word: "strayed" stays as typed.
    expect(planQuery(common, 'What strayed near Erbil?').corrections).toEqual([]);
  });

  it("tells equally close names apart by the question's other words", async () => {
    const names = new CorpusEngine({
      index: buildIndex(
        [
          article('guests', '2024-05-02', 'Guests', 'The guests were Efrain Cardona and Maria Lopez.'),
          article('more', '2024-05-03', 'Guests', 'Later that week Efrain Cardona spoke again.'),
          article(
            'syria',
            '2022-10-13',
            'Syria',
            'Tahrir al-Sham captures the city of Afrin and the town of Jindires.',
          ),
        ],
        [],
      ),
      corpusVersion: 'test',
      now: () => new Date('2025-01-01T00:00:00Z'),
    });
    // "Efrain" is as close to "Efrin" as "Afrin", and used more; "Afrin" is written with "Jindires".
    expect(planQuery(names.index, 'Who captured Efrin and Jindires?').corrections).toEqual([
      { from: 'Efrin', to: 'Afrin' },
    ]);
    expect(planQuery(names.index, 'Whom did Efrin meet?').corrections).toEqual([
      { from: 'Efrin', to: 'Efrain' },
    ]);
  });

  it('respells a whole name as one the corpus writes, comparing the words as written', async () => {
    const names = new CorpusEngine({
      index: buildIndex(
        [
          article(
            'beirut',
            '2024-09-21',
            'Lebanon',
            'Hezbollah confirms that commander Ahmed Wahbi was killed in the Beirut strike.',
          ),
          article('site', '2024-09-22', 'News', 'The group posted the notice on its web site.'),
        ],
        [],
      ),
      corpusVersion: 'test',
      now: () => new Date('2025-01-01T00:00:00Z'),
    });
    // The stemmer indexes "Ahmed" as "ahm", which sounds like no "Ahmad"; the name as written does.
    const a = await names.ask('Was Ahmad Wehbe killed in the Beirut strike?');
    expect(a.status).toBe('answered');
    expect(a.corrections).toEqual(
      expect.arrayContaining([
        { from: 'Ahmad', to: 'Ahmed' },
        { from: 'Wehbe', to: 'Wahbi' },
      ]),
    );
    expect(a.sources[0]?.articleId).toBe('beirut');
  });

  it('quotes a name the corpus lacks as the user typed it, not as it was respelled', async () => {
    const a = await engine.ask('What happened at the Hasakeh Dam?');
    expect(a.status).toBe('no_sources');
    expect(a.reason).toBe('The corpus never mentions "Hasakeh Dam".');
    expect(a.corrections).toBeUndefined();
  });

  it('does not turn a name the corpus lacks into a shorter one it has', async () => {
    const a = await engine.ask('What triggered the siege of Marawi?');
    expect(a.status).toBe('no_sources');
  });
});

describe('acronyms the sources spell out', () => {
  it('reads IRIB as the words whose initials spell it near the question', async () => {
    const a = await engine.ask('What happened to IRIB in Tehran?');
    expect(a.status).toBe('answered');
    expect(a.corrections).toEqual([{ from: 'IRIB', to: 'Islamic Republic of Iran Broadcasting' }]);
  });

  it('reads an acronym the corpus holds as its spelled-out name too', async () => {
    const a = await engine.ask('When does UNIFIL end its mission?');
    expect(a.status).toBe('answered');
    expect(a.sources[0]?.articleId).toBe('f');
    expect(a.bullets[0]!.text).toMatch(/31 December 2026/);
  });

  it("reads an acronym that leaves out an inner word of its name (ITF: International Transport Workers' Federation)", async () => {
    const own = new CorpusEngine({
      index: buildIndex(
        [
          article(
            'itf',
            '2026-07-01',
            'Strait of Hormuz crisis',
            "The International Transport Workers' Federation will continue to designate the Strait of Hormuz as a warzone, which doubles the pay of mariners there.",
          ),
          article(
            'other',
            '2026-07-02',
            'Shipping',
            'Insurers raise war-risk premiums for tankers in the Strait of Hormuz as seafarers wait in port.',
          ),
        ],
        [],
      ),
      corpusVersion: 'itf',
    });
    const a = await own.ask('Is the ITF still treating Hormuz as a warzone?');
    expect(a.status).toBe('answered');
    expect(a.corrections).toEqual([{ from: 'ITF', to: "International Transport Workers' Federation" }]);
    expect(a.sources[0]?.articleId).toBe('itf');
  });

  it('reads an abbreviated title before a misspelt name as a title: the name alone is respelled, no initials make "FM"', async () => {
    const own = new CorpusEngine({
      index: buildIndex(
        [
          article(
            'visit',
            '2025-09-18',
            'Syria',
            'Syrian foreign minister Asaad al-Shaibani visits Washington to attend meetings with the World Bank.',
          ),
          article(
            'aleppo',
            '2025-10-06',
            'Aleppo',
            'Clashes with militias of the Syrian Democratic Forces in Sheikh Maqsood, Aleppo. Grades F, M and S apply.',
          ),
        ],
        [],
      ),
      corpusVersion: 'fm',
    });
    const a = await own.ask('Why did Syrian FM Asad al-Shaybani go to Washington?');
    expect(a.status).toBe('answered');
    expect(a.sources[0]?.articleId).toBe('visit');
    expect((a.corrections ?? []).map((c) => c.to)).toEqual(expect.arrayContaining(['Asaad', 'Shaibani']));
    expect((a.corrections ?? []).some((c) => c.from === 'FM')).toBe(false);
  });

  it('keeps the number of a designated acronym', async () => {
    const a = await engine.ask('What is CTF-153 focused on in the Red Sea?');
    expect(a.corrections).toEqual([{ from: 'CTF-153', to: 'Combined Task Force 153' }]);
    expect(a.bullets[0]!.text).toMatch(/Combined Task Force 153/);
  });
});
