import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import type { Article } from '../../src/engine/corpus/article.ts';
import { buildIndex } from '../../src/engine/index/build.ts';
import { isDemonym, Places } from '../../src/engine/index/discover.ts';
import { groupVariants, type NameCandidate } from '../../src/engine/index/variants.ts';
import { normaliseBody } from '../../src/engine/text.ts';

const article = (id: string, text: string): Article => ({
  id,
  title: `Briefing ${id}`,
  date: '2024-01-01',
  publisher: null,
  url: null,
  tags: [],
  text: normaliseBody(text),
  origin: `${id}.txt`,
});

/** A press briefing as the White House prints one: a heading, speaker labels, a reporter called on. */
const briefing = (n: number): Article =>
  article(
    `briefing-${n}`,
    [
      'THE WHITE HOUSE',
      'MS. JEAN-PIERRE: Good afternoon. Press Secretary Karine Jean-Pierre and NSC spokesman John Kirby are here.',
      'Q Is the President going to Cairo? Hey, can we ask about Egypt and the talks in Cairo?',
      'MR. KIRBY: President Biden spoke with President Sisi of Egypt today about hostages held in Gaza.',
      'Go ahead, Patsy.',
      'Q Thank you, Karine. Do you expect Joe Biden to meet Benjamin Netanyahu in Washington?',
      'MS. JEAN-PIERRE: Patsy, we will see. In January, Mr. Biden told Russian officials that Russia must stop.',
      'The Russian strikes continued. Joseph R. Biden Jr. signed the order on Monday.',
      'JOSEPH R. BIDEN JR.',
    ].join('\n\n'),
  );

const discovered = (articles: Article[]) =>
  buildIndex(articles, [], { discoverMinArticles: 2 }).topics.filter((t) => !t.curated);

describe('discovered topics', () => {
  const topics = discovered([1, 2, 3].map(briefing));
  const names = topics.map((t) => t.name);

  it('are names, never function words, interjections or sentence-initial words', () => {
    for (const junk of ['Is', 'Hey', 'Can', 'Do', 'Go', 'Good', 'Thank', 'The', 'In', 'January', 'Monday'])
      expect(names).not.toContain(junk);
  });

  it('leave out headings, speaker labels and signatures written in capitals', () => {
    expect(names.filter((n) => n === n.toUpperCase() && n.includes(' '))).toEqual([]);
    expect(names).not.toContain('WHITE HOUSE');
  });

  it('leave out a first name that the room uses to call on someone', () => {
    expect(names).not.toContain('Patsy');
    expect(names).not.toContain('Karine');
  });

  it('leave out the adjective of a place and keep the place', () => {
    expect(names).toContain('Russia');
    expect(names).not.toContain('Russian');
  });

  it('are one topic per person, named in full, with the other spellings as aliases', () => {
    const biden = topics.filter((t) => /Biden/.test(t.name) || t.aliases.some((a) => /Biden/.test(a)));
    expect(biden).toHaveLength(1);
    expect(biden[0]!.name).toBe('Joe Biden');
    expect(biden[0]!.aliases).toEqual(expect.arrayContaining(['Biden', 'Joseph R. Biden']));
  });

  it('name a person without the title and country written around them', () => {
    expect(names).toContain('Sisi');
    expect(names).not.toContain('Sisi of Egypt');
  });
});

describe('groupVariants', () => {
  const name = (display: string, articles: number, titled = 0, capitalUses = articles): NameCandidate => ({
    display,
    articles,
    titled,
    capitalUses,
  });

  it('joins a surname alone to the full name of the person a title shows it to be', () => {
    const groups = groupVariants([
      name('Biden', 283, 996, 1247),
      name('Joe Biden', 69),
      name('Joseph R. Biden', 40),
      name('Hunter Biden', 5),
    ]);
    expect(groups).toEqual([
      { name: 'Joe Biden', aliases: ['Biden', 'Joseph R. Biden'], articles: 283 },
      { name: 'Hunter Biden', aliases: [], articles: 5 },
    ]);
  });

  it('gives a surname to the person whose full name comes after a title, not to a place', () => {
    const groups = groupVariants([
      name('Bandar Abbas', 11),
      name('Mahmoud Abbas', 10, 4),
      name('Abbas', 19, 12, 30),
    ]);
    expect(groups.find((g) => g.name === 'Mahmoud Abbas')?.aliases).toEqual(['Abbas']);
    expect(groups.find((g) => g.name === 'Bandar Abbas')?.aliases).toEqual([]);
  });

  it('founds no person on a surname seldom written after a title', () => {
    const groups = groupVariants([name('Mexico', 54, 1, 400), name('New Mexico', 12)]);
    expect(groups.map((g) => g.name)).toEqual(['Mexico', 'New Mexico']);
  });

  it('drops a bare given name when that person is known by their full name', () => {
    const groups = groupVariants([name('Jake Sullivan', 90), name('Sullivan', 50, 20), name('Jake', 40)]);
    expect(groups).toEqual([{ name: 'Jake Sullivan', aliases: ['Sullivan'], articles: 90 }]);
  });

  it('puts every spelling in at most one topic', () => {
    const pool = [
      name('Biden', 283, 996, 1247),
      name('Joe Biden', 69),
      name('President Joe Biden', 20, 20),
      name('Joseph R. Biden', 40),
      name('Jill Biden', 12),
      name('Karine Jean-Pierre', 80, 3),
      name('Karine', 82),
      name('Jean-Pierre', 30, 25),
      name('Middle East', 272),
      name('Netanyahu of Israel', 13, 13),
      name('Gaza City', 54),
      name('City', 3),
    ];
    fc.assert(
      fc.property(fc.shuffledSubarray(pool), (candidates) => {
        const sorted = [...candidates].sort((a, b) => b.articles - a.articles);
        const spellings = groupVariants(sorted).flatMap((g) => [g.name, ...g.aliases]);
        expect(new Set(spellings).size).toBe(spellings.length);
      }),
    );
  });
});

describe('isDemonym', () => {
  const places = new Places(
    new Set(['russia', 'china', 'egypt', 'jordan', 'jordanian', 'iran', 'afghanistan', 'somalia', 'qatar']),
  );

  it('knows the adjective or people of a known place', () => {
    for (const w of ['Russian', 'Chinese', 'Egyptian', 'Qataris', 'Afghan', 'Somali'])
      expect(isDemonym(w, places)).toBe(true);
  });

  it('keeps places that merely end like one', () => {
    for (const w of ['Jordan', 'Iran', 'Oman', 'Pakistan', 'Sudan']) expect(isDemonym(w, places)).toBe(false);
  });
});
