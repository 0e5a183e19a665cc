import { existsSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { CorpusEngine } from '../../src/engine/engine.ts';
import { buildIndex } from '../../src/engine/index/build.ts';
import { loadTopics } from '../../src/engine/index/topics.ts';
import { openEngine } from '../../src/engine/open.ts';
import { testArticle } from '../helpers/articles.ts';
import { SHARED_CORPUS, SYNONYMS, TOPICS } from '../helpers/fixtures.ts';

const definitions = await loadTopics(TOPICS);
const day = (n: number) => `2024-01-${String(n).padStart(2, '0')}`;

// A corpus where a ship's name is also two everyday words, a war's name appears only in digest
// headings, and "IRIS" (an Iranian ship prefix) would stem to the acronym of the Islamic Resistance in Iraq.
const ARTICLES = [
  testArticle({
    id: 'seized',
    date: day(2),
    text: 'The Houthis seized the cargo ship Galaxy Leader in the Red Sea and took its crew hostage.',
  }),
  testArticle({
    id: 'crew',
    date: day(5),
    text: 'The crew of the Galaxy Leader remain held in Yemen, the shipping company said on Friday.',
  }),
  ...[3, 4, 6, 7].map((n) =>
    testArticle({
      id: `noise-${n}`,
      date: day(n),
      text: `Astronomers imaged a distant galaxy ${n} billion light years away. The opposition leader praised the telescope team in parliament.`,
    }),
  ),
  ...[8, 9].map((n) =>
    testArticle({
      id: `war-${n}`,
      date: day(n),
      title: `Middle Eastern crisis › Hundred-Hour War — Armed conflicts and attacks (${day(n)})`,
      text: `Israel strikes air defence sites near Tehran on day ${n} of the fighting, and Iran fires ballistic missiles at Tel Aviv.`,
    }),
  ),
  ...[10, 11, 12].map((n) =>
    testArticle({
      id: `hundred-${n}`,
      date: day(n),
      text: `A hundred people flee in the first hour of a war between rival clans in a remote district.`,
    }),
  ),
  testArticle({
    id: 'iri',
    date: day(13),
    text: 'The Islamic Resistance in Iraq claims a drone attack on a U.S. base in Syria. IRI statements name the base.',
  }),
  testArticle({
    id: 'iris',
    date: day(20),
    text: 'U.S. forces sink the IRIS Jamaran, an Iranian frigate, off Chabahar, and the IRIS Sahand near Bandar Abbas.',
  }),
  testArticle({
    id: 'marib',
    date: day(21),
    title: 'Yemen: fighting in the north',
    text: 'Houthi attacks in Marib kill eight government soldiers, as the group presses its offensive on the city.',
  }),
  testArticle({
    id: 'mary',
    date: day(22),
    title: 'Briefing',
    text: 'Our next question will go to Mary with ABC News.',
  }),
  testArticle({
    id: 'mary-2',
    date: day(23),
    title: 'Briefing',
    text: 'Mary asked about the Marine deployment to the region.',
  }),
  testArticle({
    id: 'hodeidah',
    date: day(24),
    title: 'Red Sea ports',
    text: 'Strikes hit the port of Hodeidah, which the Houthis use to import fuel.',
  }),
  testArticle({
    id: 'talks-1',
    date: day(25),
    title: 'Diplomacy',
    text: 'Iran and the United States hold nuclear talks in Muscat, with Oman mediating between them.',
  }),
  testArticle({
    id: 'talks-apart',
    date: day(26),
    title: 'Diplomacy',
    text: 'Talks between Iran and the agency on inspections at its nuclear sites will continue next week in Vienna.',
  }),
];

const engine = new CorpusEngine({ index: buildIndex(ARTICLES, definitions), corpusVersion: 'test' });
const cited = async (topic: string) => (await engine.brief(topic)).sources.map((s) => s.articleId);

describe('brief on free text', () => {
  it('reads lower-case words the corpus writes as a name as that name: "galaxy leader" is the ship', async () => {
    const ids = await cited('galaxy leader');
    expect(new Set(ids)).toEqual(new Set(['seized', 'crew']));
  });

  it('finds a name the corpus writes only in digest headings ("hundred-hour-war")', async () => {
    const ids = await cited('hundred-hour-war');
    expect(ids.length).toBeGreaterThan(0);
    expect(ids.every((id) => id.startsWith('war-'))).toBe(true);
  });

  it('reads a name typed in lower case as that name: "marib" is not "Mary", "hodeida" is "Hodeidah"', async () => {
    expect(await cited('marib')).toEqual(['marib']);
    expect(await cited('hodeida')).toEqual(['hodeidah']);
  });

  it('keeps lower-case words the corpus writes in lower case to their words: "nuclear talks" is no name', async () => {
    const ids = await cited('nuclear talks');
    expect(ids).toContain('talks-apart');
  });

  it('answers a question about a name only headings use from the passages under them', async () => {
    const answer = await engine.ask('What happened in the Hundred-Hour War?');
    expect(answer.status).toBe('answered');
    expect(answer.sources.every((src) => src.articleId.startsWith('war-'))).toBe(true);
  });

  it('keeps a curated acronym off capitals the stemmer cut: the IRIS frigates are not the IRI', async () => {
    const ids = await cited('islamic-resistance-in-iraq');
    expect(ids).toContain('iri');
    expect(ids).not.toContain('iris');
  });
});

describe('the latest coverage of free text of several words', () => {
  const corpus = new CorpusEngine({
    index: buildIndex(
      [
        testArticle({
          id: 'sanctions-lifted',
          date: '2025-12-05',
          title: 'Syria',
          text: 'The United States lifts most of its sanctions on Syria, ending a program begun in 2004.',
        }),
        testArticle({
          id: 'sanctions-2023',
          date: '2023-02-10',
          title: 'Syria',
          text: 'The Treasury eases sanctions on Syria for earthquake relief for six months.',
        }),
        testArticle({
          id: 'syria-latest',
          date: '2026-08-22',
          title: 'Syria',
          text: 'An Israeli drone strikes a vehicle in southern Syria, killing two fighters.',
        }),
        testArticle({
          id: 'civil-war-2019',
          date: '2019-07-01',
          title: 'Yemen',
          text: 'The civil war in Yemen enters its fifth year as talks in Stockholm stall.',
        }),
        testArticle({
          id: 'yemen-latest',
          date: '2026-08-07',
          title: 'Yemen',
          text: 'Houthi attacks in Yemen kill eight government soldiers near the front line.',
        }),
      ],
      definitions,
    ),
    corpusVersion: 'test',
  });
  const latest = async (topic: string) => {
    const b = await corpus.brief(topic);
    return b.sources.find((s) => s.n === b.bullets[0]?.citations[0])?.articleId;
  };

  it('is the newest passage holding all its words ("syria sanctions" is not the latest on Syria)', async () => {
    expect(await latest('syria sanctions')).toBe('sanctions-lifted');
  });

  it("is the anchor's own when its words fell out of use years before ('yemen civil war')", async () => {
    expect(await latest('yemen civil war')).toBe('yemen-latest');
  });
});

describe('brief on free text naming a thing of a known topic', () => {
  // The pier was Gaza's (every passage naming it names Gaza), but Gaza's news runs on long after it.
  const gaza = [
    ...[1, 2, 3].map((n) =>
      testArticle({
        id: `pier-${n}`,
        date: `2024-0${n + 3}-10`,
        title: 'Gaza aid',
        text: `The U.S. military's temporary pier off Gaza delivers ${n * 100} tonnes of aid, the Pentagon says.`,
      }),
    ),
    ...[1, 2, 3, 4, 5, 6].map((n) =>
      testArticle({
        id: `gaza-${n}`,
        date: `2026-0${n}-15`,
        title: 'Gaza',
        text: `Israeli airstrikes kill ${n + 3} people in Gaza City, the Gaza health ministry says.`,
      }),
    ),
  ];
  // A hospital of many, named by a word only its own reports hold; the words typed are no name as written.
  const hospitals = [
    ...[1, 2, 3].map((n) =>
      testArticle({
        id: `ahli-${n}`,
        date: `2023-10-${10 + n}`,
        title: 'Hospital blast',
        text: `Reports on the blast at the Al-Ahli Arab Hospital ${['say', 'add', 'confirm'][n - 1]} that hundreds sheltered there.`,
      }),
    ),
    ...[1, 2, 3].map((n) =>
      testArticle({
        id: `hospital-${n}`,
        date: `2016-08-1${n}`,
        title: 'Aleppo',
        text: `An airstrike hits a children's hospital near Aleppo, killing ${n} nurses.`,
      }),
    ),
  ];
  const corpus = new CorpusEngine({
    index: buildIndex([...gaza, ...hospitals], definitions),
    corpusVersion: 'test',
  });

  it('keeps to the passages naming the thing where its words are no written name ("al-ahli hospital")', async () => {
    const ids = (await corpus.brief('al-ahli hospital')).sources.map((s) => s.articleId);
    expect(new Set(ids)).toEqual(new Set(['ahli-1', 'ahli-2', 'ahli-3']));
  });

  it('keeps to the passages naming the thing, and its latest is the thing’s own ("gaza pier")', async () => {
    const answer = await corpus.brief('gaza pier');
    const ids = answer.sources.map((s) => s.articleId);
    expect(ids.length).toBeGreaterThan(0);
    expect(ids.every((id) => id.startsWith('pier-'))).toBe(true);
    expect(answer.bullets[0]!.date).toBe('2024-06-10');
  });

  it('still briefs on the topic where words only qualify it ("gaza airstrikes")', async () => {
    const ids = (await corpus.brief('gaza airstrikes')).sources.map((s) => s.articleId);
    expect(ids).toContain('gaza-6');
  });
});

describe.runIf(existsSync(SHARED_CORPUS))('the latest part of a briefing (evaluation corpus)', () => {
  it('leads with the newest news on the topic, though it is one line of a long digest on other wars', async () => {
    // The Houthis' newest news (2026-08-09, Mokha) is a line of a digest headed "Gaza peace plan"; their
    // own digests are weeks older.
    const { engine: shared } = await openEngine({
      corpus: SHARED_CORPUS,
      topicsFile: TOPICS,
      synonymsFile: SYNONYMS,
    });
    const answer = await shared.brief('houthis');
    expect(answer.bullets[0]!.part).toBe('latest');
    expect(answer.bullets[0]!.date).toBe('2026-08-09');
  }, 60_000);
});
