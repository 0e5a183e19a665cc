import { writeFile } from 'node:fs/promises';
import path from 'node:path';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { tokenize } from '../../src/engine/index/tokenize.ts';
import { AliasMatcher, loadTopics } from '../../src/engine/index/topics.ts';
import { slugify } from '../../src/engine/text.ts';
import { TOPICS, tempDir } from '../helpers/fixtures.ts';

const definitions = await loadTopics(TOPICS);
const matcher = new AliasMatcher(definitions);
const slugOf = (text: string): string[] =>
  matcher.match(tokenize(text)).map((m) => definitions[m.topic]!.slug);

describe('topics', () => {
  it('resolve every spelling of Kataib Hezbollah, and the abbreviation KH, to one topic', () => {
    for (const s of ['kataib-hezbollah', "Kata'ib Hizballah", 'KH', 'kh', 'Hezbollah Brigades']) {
      expect(definitions[matcher.resolveSlug(s)!]!.slug).toBe('kataib-hezbollah');
    }
  });

  it('keep Kataib Hezbollah apart from Lebanese Hezbollah', () => {
    expect(slugOf("Kata'ib Hezbollah fired at U.S. troops while Hezbollah fired at Israel")).toEqual([
      'kataib-hezbollah',
      'united-states',
      'hezbollah',
      'israel',
    ]);
    // "used" stems to "us": only the acronym written in capitals is the United States.
    expect(slugOf('the facilities used by militias')).toEqual([]);
    expect(slugOf('Harakat Hezbollah al-Nujaba')).toEqual(['nujaba']);
  });

  it('match acronyms only when written in capitals, and never inside a designator like Kh-101', () => {
    expect(slugOf('KH claimed it')).toEqual(['kataib-hezbollah']);
    expect(slugOf('the kh said')).toEqual([]);
    expect(slugOf('Russia fired Kh-101 missiles')).toEqual([]);
  });

  it('never read a word in capitals that the stemmer cut as an acronym: IRIS (a ship prefix) is not IRI', () => {
    expect(slugOf('U.S. forces sink the IRIS Jamaran off Chabahar')).toEqual(['united-states']);
    expect(slugOf('IRI claimed it')).toEqual(['islamic-resistance-in-iraq']);
    // An acronym the stemmer cuts itself ("ISIS" is read "isi") still matches as written.
    expect(slugOf('ISIS claimed the attack')).toEqual(['isis']);
    // A plain word in capitals still matches its spelled-out alias ("HOUTHIS" is the Houthis).
    expect(slugOf('REVERSING THE REMOVAL OF THE HOUTHIS')).toEqual(['houthis']);
  });

  it('resolve the code name of an operation to the event the corpus names otherwise', () => {
    // The corpus never writes "Operation Peace Spring"; its digests are headed "2019 Turkish offensive
    // into north-eastern Syria". A brief asked by the code name must find them.
    for (const s of ['operation-peace-spring', 'Operation Peace Spring', 'peace spring']) {
      expect(definitions[matcher.resolveSlug(s)!]!.slug).toBe('turkish-offensive-2019');
    }
    expect(slugOf('the 2019 Turkish offensive into north-eastern Syria')).toEqual(['turkish-offensive-2019']);
    expect(definitions[matcher.resolveSlug('Operation Northern Arrows')!]!.slug).toBe(
      'israeli-invasion-of-lebanon-2024',
    );
    expect(definitions[matcher.resolveSlug('Deterrence of Aggression')!]!.slug).toBe(
      'syrian-opposition-offensives-2024',
    );
    expect(definitions[matcher.resolveSlug('Operation Rising Lion')!]!.slug).toBe('twelve-day-war');
    expect(definitions[matcher.resolveSlug('Al-Aqsa Flood')!]!.slug).toBe('october-7-attacks');
  });

  it('reject a topics file with every problem listed', async () => {
    const dir = tempDir('topics');
    const file = path.join(dir, 'topics.json');
    await writeFile(
      file,
      JSON.stringify({
        topics: [
          { slug: 'Bad Slug', name: 'x', aliases: [] },
          { slug: 'a', name: 'A', aliases: ['Same'] },
          { slug: 'b', name: 'B', aliases: ['same'], acronyms: ['lower'] },
        ],
      }),
    );
    const error = await loadTopics(file).catch((e: Error) => e);
    expect(error).toBeInstanceOf(Error);
    const message = (error as Error).message;
    expect(message).toMatch(/topics\.0\.slug/);
    expect(message).toMatch(/"same" names both "a" and "b"/);
    expect(message).toMatch(/acronym is written in capitals/);
  });

  it('slugify to lower-case words joined by single hyphens, idempotently', () => {
    fc.assert(
      fc.property(fc.string(), (s) => {
        const slug = slugify(s);
        expect(slug).toMatch(/^(?:[a-z0-9]+(?:-[a-z0-9]+)*)?$/);
        expect(slugify(slug)).toBe(slug);
      }),
    );
  });
});
