import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import type { Article } from '../../src/engine/corpus/article.ts';
import {
  layoutArticle,
  MAX_QUOTE_CHARS,
  SENTENCE_REPORTER,
  SENTENCE_TOO_LONG,
} from '../../src/engine/index/passages.ts';
import { speakerFor, speakerLine } from '../../src/engine/index/speakers.ts';
import { normaliseBody } from '../../src/engine/text.ts';

const article = (text: string, title = 't'): Article => ({
  id: 'a',
  title,
  date: '2024-01-30',
  publisher: null,
  url: null,
  tags: [],
  text: normaliseBody(text),
  origin: 'a.txt',
});

const BRIEFING = article(
  [
    'The briefing began in the James S. Brady Press Briefing Room.',
    'MS. JEAN-PIERRE: Good afternoon, everyone. The President met his national security team today.',
    'Q Thank you. More than 30 U.S. service members have been killed in attacks on U.S. troops. Will you respond to the Tower 22 attack?',
    'MR. KIRBY: We will respond at a time and in a manner of our choosing.',
    'That response could be tiered, and it will be sustained over time.',
    'Q And who carried it out?',
    'SENIOR ADMINISTRATION OFFICIAL: The attack was carried out by Kataib Hezbollah militants.',
  ].join('\n\n'),
  'Press Briefing by Press Secretary Karine Jean-Pierre and NSC Coordinator for Strategic Communications John Kirby',
);

const quoteOf = (a: Article, s: { start: number; end: number }) => a.text.slice(s.start, s.end);

describe('reader: transcripts', () => {
  const layout = layoutArticle(BRIEFING);
  const said = (fragment: string) => layout.sentences.find((s) => quoteOf(BRIEFING, s).includes(fragment))!;

  it("marks a reporter's question and its premise as the reporter's, and nothing else", () => {
    const reporter = layout.sentences
      .filter((s) => (s.flags & SENTENCE_REPORTER) !== 0)
      .map((s) => quoteOf(BRIEFING, s));
    expect(reporter).toEqual([
      'Thank you.',
      'More than 30 U.S. service members have been killed in attacks on U.S. troops.',
      'Will you respond to the Tower 22 attack?',
      'And who carried it out?',
    ]);
  });

  it('names the officials from the document title, and a turn runs until the next opener', () => {
    const kirby = layout.speakers[said('sustained over time').speaker]!;
    expect(kirby).toEqual({
      role: 'official',
      name: 'John Kirby',
      title: 'NSC Coordinator for Strategic Communications',
    });
    expect(speakerLine(layout.speakers[said('national security team').speaker]!)).toBe(
      'Karine Jean-Pierre, Press Secretary',
    );
    expect(speakerLine(layout.speakers[said('Kataib Hezbollah militants').speaker]!)).toBe(
      'a senior administration official',
    );
    expect(said('briefing began').speaker).toBe(-1);
  });

  it('gives a rank-and-surname speaker the office the document introduces them with', () => {
    const call = article(
      [
        'MR. KIRBY: Thanks, everybody. And with that, I will turn it over to Lieutenant General Sims, the Director of the Joint Staff, for more detail.',
        'LIEUTENANT GENERAL SIMS: Thank you, John. The bombers flew from the United States.',
        'Q Why bombers?',
        'LIEUTENANT GENERAL SIMS: We can strike anywhere in the world at a time of our choosing.',
      ].join('\n\n'),
      'On-the-Record Press Call on U.S. Military Operations',
    );
    const laid = layoutArticle(call);
    const sentence = laid.sentences.find((s) => call.text.slice(s.start, s.end).startsWith('We can strike'))!;
    expect(speakerLine(laid.speakers[sentence.speaker]!)).toBe(
      'Lieutenant General Sims, Director of the Joint Staff',
    );
    // An address ("Thank you, Secretary Blinken, President Biden and I …") is no office.
    const remarks = article(
      [
        'SECRETARY BLINKEN: Thank you. Secretary Blinken, President Biden and I agree on this.',
        'PRIME MINISTER LAPID: Prime Minister Lapid, Israel and the United States stand together.',
      ].join('\n\n'),
      'Remarks',
    );
    const said = layoutArticle(remarks);
    expect(said.speakers.map((sp) => speakerLine(sp))).toEqual(['Secretary Blinken', 'Prime Minister Lapid']);
  });

  it('never takes the words a host hands over with for a title ("I\'ll turn it over to John Kirby")', () => {
    const gaggle = article(
      [
        "MS. JEAN-PIERRE: Good afternoon. I'll turn it over to John Kirby.",
        'MR. KIRBY: Thanks, Karine. The attacks were carried out by the umbrella group.',
      ].join('\n\n'),
      'Press Gaggle',
    );
    const laid = layoutArticle(gaggle);
    const sentence = laid.sentences.find((s) => gaggle.text.slice(s.start, s.end).startsWith('The attacks'))!;
    expect(speakerLine(laid.speakers[sentence.speaker]!)).toBe('John Kirby');
  });

  it('names "THE PRESIDENT" from the title without the title\'s next words', () => {
    expect(
      speakerLine(
        speakerFor('THE PRESIDENT', 'Remarks by President Biden Announcing Cessation of Hostilities', ''),
      ),
    ).toBe('President Biden');
    expect(
      speakerLine(
        speakerFor('THE PRESIDENT', 'Remarks by President Joe Biden Before Marine One Departure', ''),
      ),
    ).toBe('President Joe Biden');
  });

  it('quotes what was said without the speaker label', () => {
    expect(quoteOf(BRIEFING, said('We will respond'))).toBe(
      'We will respond at a time and in a manner of our choosing.',
    );
  });

  it('never lets a passage cross from one answer into the next question', () => {
    for (const p of layout.passages) {
      const turns = layout.sentences.slice(p.firstSentence, p.lastSentence);
      for (let i = 1; i < turns.length; i++) {
        const [before, after] = [turns[i - 1]!, turns[i]!];
        if (before.turn === after.turn) continue;
        // Only a question into its answer (one exchange) may share a passage.
        expect(before.flags & SENTENCE_REPORTER).toBe(SENTENCE_REPORTER);
        expect(after.flags & SENTENCE_REPORTER).toBe(0);
      }
    }
  });

  it('reads a document without turns as before: no speakers', () => {
    const plain = layoutArticle(
      article('The militia said: nothing. MR. X was not there.\n\nAnother paragraph here.'),
    );
    expect(plain.speakers).toEqual([]);
    expect(plain.sentences.every((s) => s.speaker === -1 && s.flags === 0)).toBe(true);
  });
});

describe('reader: lists and digests', () => {
  const TIMELINE = article(
    [
      'Here is only a partial record of the regime’s war on Americans:',
      `- November 1979: Iranian students seized the U.S. Embassy in Tehran, taking 66 Americans hostage. - April 1983: The Islamic Jihad carried out a suicide car bombing at the U.S. Embassy in Beirut, killing 17 Americans. - October 1983: Hezbollah terrorists killed 241 U.S. military personnel in a truck bombing at a Marine compound in Beirut. - January 2024: Iran-backed militants killed three U.S. soldiers at Tower 22 in Jordan; ${'more detail follows here, '.repeat(4)}and more.`,
    ].join('\n\n'),
  );

  it('splits an inline timeline into its dated items, each verbatim', () => {
    const quotes = layoutArticle(TIMELINE).sentences.map((s) => quoteOf(TIMELINE, s));
    expect(quotes).toContain(
      'April 1983: The Islamic Jihad carried out a suicide car bombing at the U.S. Embassy in Beirut, killing 17 Americans.',
    );
    expect(quotes.some((q) => q.startsWith('January 2024: Iran-backed militants killed three'))).toBe(true);
  });

  it('shows no sentence over the limit: longer ones are split or marked unquotable', () => {
    const run = article(`${'word '.repeat(120)}end.`);
    const [only] = layoutArticle(run).sentences;
    expect(only!.flags & SENTENCE_TOO_LONG).toBe(SENTENCE_TOO_LONG);
    for (const s of layoutArticle(TIMELINE).sentences) {
      if (s.end - s.start > MAX_QUOTE_CHARS) expect(s.flags & SENTENCE_TOO_LONG).toBe(SENTENCE_TOO_LONG);
    }
  });

  it('makes each story line of a digest a passage of its own', () => {
    const digest = article(
      [
        'An Iranian drone strikes the Crowne Plaza Hotel in Manama, Bahrain. No casualties are reported.',
        'A person is injured in a drone strike on Duqm port in Oman.',
        'Syrian president Ahmed al-Sharaa meets Gulf leaders in Riyadh.',
      ].join('\n'),
    );
    const layout = layoutArticle(digest);
    expect(layout.passages.map((p) => digest.text.slice(p.start, p.end))).toEqual(digest.text.split('\n'));
  });

  it('never loses or reorders characters: sentences are ordered, disjoint spans of the cleaned text', () => {
    const piece = fc.constantFrom(
      'Q Why now?',
      'MR. KIRBY: Because.',
      '- March 2024: A strike hit Aden.',
      'The group said; the army denied; talks resumed.',
      'A line\nanother line.',
      'Plain text here.',
      `${'long clause, '.repeat(40)}done.`,
    );
    fc.assert(
      fc.property(fc.array(piece, { minLength: 1, maxLength: 12 }), (parts) => {
        const a = article(parts.join('\n\n'));
        const { sentences } = layoutArticle(a);
        let at = 0;
        for (const s of sentences) {
          expect(s.start).toBeGreaterThanOrEqual(at);
          expect(s.end).toBeGreaterThan(s.start);
          // Between two sentences only labels, list markers, punctuation of a split and white space lie.
          at = s.end;
        }
        const kept = sentences.map((s) => quoteOf(a, s)).join(' ');
        const words = (x: string) =>
          x.split(/\s+/).filter((w) => /[a-z]{3}/i.test(w) && !/^[A-Z.]+:$/.test(w));
        expect(words(kept)).toEqual(words(a.text).filter((w) => w !== 'KIRBY:'));
      }),
    );
  });
});
