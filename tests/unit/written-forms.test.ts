import { describe, expect, it } from 'vitest';
import { CorpusEngine } from '../../src/engine/engine.ts';
import { buildIndex } from '../../src/engine/index/build.ts';
import { planQuery } from '../../src/engine/query.ts';
import { testArticle } from '../helpers/articles.ts';

const engine = new CorpusEngine({
  index: buildIndex(
    [
      testArticle({
        id: 'field',
        date: '2026-01-18',
        title: 'Deir ez-Zor',
        text: 'Government forces seize control of the Omar field, the largest oil field in the country, after the militia withdraws.',
      }),
      testArticle({
        id: 'field2',
        date: '2025-03-02',
        title: 'Energy',
        text: 'Workers return to an oil field near the river. A new oilfield road opens as war planes fly over.',
      }),
      testArticle({
        id: 'truce',
        date: '2024-11-27',
        title: 'Lebanon',
        text: 'A ceasefire between the two sides takes effect at dawn. Residents return south.',
      }),
      testArticle({
        id: 'truce2',
        date: '2024-12-02',
        title: 'Lebanon',
        text: 'The ceasefire holds despite a strike near the border.',
      }),
      testArticle({
        id: 'fire',
        date: '2024-12-05',
        title: 'Forest',
        text: 'Crews cease work as the fire spreads near the ridge.',
      }),
      testArticle({
        id: 'aumf',
        date: '2025-06-22',
        title: 'What they are saying',
        text: 'Rep. Mike Lawler: "The President acted within his authority under the 2001 and 2002 AUMF."',
      }),
      testArticle({
        id: 'iraq',
        date: '2024-04-15',
        title: 'Iraq',
        text: 'The Iraqi Security Forces (ISF) take over the base. The ISF hold the airport road.',
      }),
      testArticle({
        id: 'command',
        date: '2024-02-10',
        title: 'Red Sea',
        text: 'U.S. Central Command (CENTCOM) forces strike radar sites in Yemen. Central Command says the sites threatened ships.',
      }),
      testArticle({
        id: 'money',
        date: '2024-02-23',
        title: 'Gaggle',
        text: 'The supplemental has about two and a half billion dollars for CENTCOM operations against the Houthis.',
      }),
      testArticle({
        id: 'nsc',
        date: '2024-03-01',
        title: 'Briefing',
        text: 'A National Security Council (NSC) spokesman briefs reporters. The NSC meets on Friday.',
      }),
      testArticle({
        id: 'tariff',
        date: '2024-03-02',
        title: 'Trade',
        text: 'Goods under the Harmonized Tariff Schedule (HTS) heading 8471 pay the duty. HTS codes change.',
      }),
      testArticle({
        id: 'hts',
        date: '2024-12-08',
        title: 'Syria',
        text: 'Hayat Tahrir al-Sham (HTS) fighters enter Damascus. HTS leaders speak.',
      }),
      testArticle({
        id: 'entry',
        date: '2025-01-03',
        title: 'Travel',
        text: 'Egypt bans the entry of Syrians from all countries, except for holders of residency permits.',
      }),
      testArticle({
        id: 'police',
        date: '2024-04-16',
        title: 'Police',
        text: 'The MPD reports a quiet night. Officers of the MPD patrol the park.',
      }),
    ],
    [],
  ),
  corpusVersion: 'test',
  now: () => new Date('2026-08-10T00:00:00Z'),
});

describe('compound words written apart or together', () => {
  it('reads a compound the corpus writes as two words as those words too', async () => {
    const plan = planQuery(engine.index, 'Who took the largest oilfield after the militia withdraws?');
    const field = plan.concepts.find((c) => c.text === 'oilfield');
    expect(field?.kind === 'word' && field.expansion?.map((t) => engine.index.termText[t])).toEqual([
      'oil',
      'field',
    ]);
    const a = await engine.ask('Who took control of the largest oilfield after the militia withdraws?');
    expect(a.status).toBe('answered');
    expect(a.sources[0]?.articleId).toBe('field');
  });

  it('reads a compound the corpus never writes as its two words', () => {
    const plan = planQuery(engine.index, 'Which warplanes fly over the oil field?');
    expect(plan.unknown).toEqual([]);
    expect(plan.concepts.some((c) => c.kind === 'phrase' && c.text === 'warplanes')).toBe(true);
  });

  it('reads two words the corpus writes as one as that word', () => {
    for (const q of ['When did the cease-fire take effect?', 'When did the cease fire take effect?']) {
      const plan = planQuery(engine.index, q);
      const words = plan.concepts.flatMap((c) => (c.kind === 'word' ? [engine.index.termText[c.term]] : []));
      expect(words).toContain('ceasefir');
      expect(words).not.toContain('fire');
    }
  });
});

describe('names spelled out that the corpus writes as an acronym', () => {
  it('reads the words as the acronym', async () => {
    const q =
      'Who said the strikes were covered by the 2001 and 2002 authorizations for use of military force?';
    const plan = planQuery(engine.index, q);
    const aumf = plan.concepts.find((c) => c.kind === 'word' && engine.index.termText[c.term] === 'aumf');
    expect(aumf?.text).toBe('authorizations for use of military force');
    const a = await engine.ask(q);
    expect(a.status).toBe('answered');
    expect(a.sources[0]?.articleId).toBe('aumf');
  });

  it('leaves words alone where the corpus spells the acronym out as other words', () => {
    const plan = planQuery(engine.index, 'Who leads the International Stabilization Force?');
    expect(plan.concepts.some((c) => c.kind === 'word' && engine.index.termText[c.term] === 'isf')).toBe(
      false,
    );
  });

  it('reads an acronym clipped from its words both ways, where the corpus spells it out so', async () => {
    const plan = planQuery(
      engine.index,
      'What does the supplemental have for Central Command operations against the Houthis?',
    );
    expect(plan.concepts.some((c) => c.kind === 'word' && engine.index.termText[c.term] === 'centcom')).toBe(
      true,
    );
    const a = await engine.ask(
      'What does the supplemental have for Central Command operations against the Houthis?',
    );
    expect(a.sources[0]?.articleId).toBe('money');
    const radar = planQuery(engine.index, 'Which radar sites did CENTCOM strike in Yemen?');
    const centcom = radar.concepts.find((c) => c.text === 'CENTCOM');
    expect(centcom?.kind === 'word' && centcom.expansion?.map((t) => engine.index.termText[t])).toEqual([
      'central',
      'command',
    ]);
  });

  it('reads no acronym into part of a longer name, nor into an acronym of two names', () => {
    const acronym = (q: string, a: string) =>
      planQuery(engine.index, q).concepts.some(
        (c) => c.kind === 'word' && engine.index.termText[c.term] === a,
      );
    expect(acronym('What did the National Security Council decide?', 'nsc')).toBe(true);
    expect(acronym('What did the Supreme National Security Council decide?', 'nsc')).toBe(false);
    expect(acronym('Which goods does the Harmonized Tariff Schedule list?', 'hts')).toBe(false);
  });

  it('reads no acronym into words that tell of an event', () => {
    const plan = planQuery(engine.index, 'How many people died in the park?');
    expect(plan.concepts.some((c) => c.kind === 'word' && engine.index.termText[c.term] === 'mpd')).toBe(
      false,
    );
  });
});

describe('idioms of questions', () => {
  it("reads 'shut its doors to' as the ban sources report", async () => {
    const plan = planQuery(engine.index, 'Which country shut its doors to Syrians from all countries?');
    expect(plan.concepts.some((c) => c.kind === 'word' && c.text.startsWith('ban'))).toBe(true);
    expect(plan.concepts.some((c) => c.text === 'doors')).toBe(false);
  });
});
