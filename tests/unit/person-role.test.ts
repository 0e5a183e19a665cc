import { describe, expect, it } from 'vitest';
import { buildIndex } from '../../src/engine/index/build.ts';
import { tokenize } from '../../src/engine/index/tokenize.ts';
import { holdsAnswer } from '../../src/engine/summarize/answer-type.ts';
import { askedRole } from '../../src/engine/summarize/person-role.ts';
import { testArticle } from '../helpers/articles.ts';

const index = buildIndex(
  [testArticle({ id: 'a', date: '2024-01-01', title: 'Current events', text: 'Flooding closes roads.' })],
  [],
);
const person = (question: string, text: string) =>
  holdsAnswer(index, 'person', text, new Set(tokenize(question).map((t) => t.term)), question);

describe('a person asked for in a role', () => {
  it('reads the role a question asks a person in', () => {
    expect([...askedRole('What were the names of the British aid workers killed in the strike?')!]).toEqual([
      'aid',
      'worker',
    ]);
    expect(askedRole('What is the name of the hitman charged in the plot?')!.has('hitman')).toBe(true);
    expect(askedRole('Which Hamas commanders did the army say it killed?')!.has('command')).toBe(true);
    expect([...askedRole('Name the three senior commanders detained in the raid.')!]).toEqual([
      'senior',
      'command',
    ]);
    expect(askedRole('Who leads the group now?')).toBeUndefined();
  });

  it('a name in another role, far from the asked one, is not the answer', () => {
    const q = 'What were the names of the aid workers killed in the convoy strike?';
    expect(
      person(
        q,
        'I spoke with my friend Chef Jose Andres, the founder of the charity, to convey my deepest condolences for the deaths of these courageous aid workers.',
      ),
    ).toBe(false);
    expect(person(q, 'The aid workers killed were Saif Abu Taha and Damian Sobol.')).toBe(true);
    // Without a role in the question, any name still counts.
    expect(person('Who was behind the convoy strike?', 'Chef Jose Andres spoke today.')).toBe(true);
  });

  it('a name the sentence denies the role is not the answer', () => {
    const q = 'Who was the new suspect police arrested for the murder?';
    expect(person(q, 'Per-Olof Svensson is no longer a suspect and has been released.')).toBe(false);
    expect(person(q, "Police say Per-Olof Svensson isn't a suspect any more.")).toBe(false);
    expect(person(q, 'Police name the new suspect as Mijailo Mijailovic.')).toBe(true);
    // A "not" near the role denies nothing when the role is not what it denies.
    expect(
      person(
        'Who was the suspect in the golf course shooting?',
        'Police named the suspect as Ryan Wesley Routh; investigators have not said whether the suspect had accomplices.',
      ),
    ).toBe(true);
  });

  it('a capitalised run after "in" is a place, not a person', () => {
    const q = 'What is the name of the hitman charged in the plot?';
    expect(person(q, 'The alleged hitman, arrested late last year in New York, appears in court.')).toBe(
      false,
    );
    expect(person(q, 'The alleged hitman, Carlisle Rivera, appears in court.')).toBe(true);
    // "At" aims at people as often as it places things.
    expect(
      person(
        'Who was the target of the drone attack on Caesarea?',
        'The drone attack on Caesarea was aimed at Benjamin Netanyahu, the intended target, officials said.',
      ),
    ).toBe(true);
  });

  it('an office fills the role of an official, and title and surname name a person where the role is written', () => {
    // "Official" is what no source calls its director: any office written with the name gives the role.
    const official = 'Which OFAC official went to Dubai to warn companies about sanctions evasion?';
    expect(
      person(official, 'Our Director of OFAC, Andrea Gacki, was just in UAE and met companies in Dubai.'),
    ).toBe(true);
    // An honorific is no office, and an office elsewhere is not OFAC's.
    expect(person(official, 'Mr. Andrea Gacki met companies in Dubai.')).toBe(false);
    expect(person(official, 'National Security Advisor Jake Sullivan met companies in Dubai.')).toBe(false);
    // Whose official it is, in all its words: "House Speaker Nancy Pelosi" is no White House official.
    expect(
      person(
        'Which White House official did the families of the hostages meet?',
        'The families of the hostages met House Speaker Nancy Pelosi on Monday.',
      ),
    ).toBe(false);
    // A bare "official" says of nothing: the word itself must be written (titled names are everywhere).
    expect(
      person('Which official flew to Dubai?', 'National Security Advisor Jake Sullivan visited Dubai.'),
    ).toBe(false);
    // Title and surname alone name a person when the title is the role asked.
    const general = 'Which general was the CENTCOM chief coordinating with Israel?';
    expect(person(general, 'General Kurilla was able to meet, as well, with Israeli leaders.')).toBe(true);
    // Under another title, where the role is written beside it.
    expect(
      person(
        'Who was the CENTCOM commander coordinating with Israel?',
        'And, of course, CENTCOM Commander, General Kurilla, is in the region.',
      ),
    ).toBe(true);
    // Not under another title without the role, nor without a role asked: "President Biden" is in every
    // other sentence.
    expect(person(general, 'President Biden was able to meet, as well, with Israeli leaders.')).toBe(false);
    expect(person('Who coordinated with Israel?', 'President Biden coordinated closely.')).toBe(false);
    // Nor an institution the title is part of.
    expect(person(general, 'Delegates of the UN General Assembly voted on the resolution.')).toBe(false);
  });
});
