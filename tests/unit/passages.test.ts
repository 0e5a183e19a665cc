import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import type { Article } from '../../src/engine/corpus/article.ts';
import { loadCorpus } from '../../src/engine/corpus/load.ts';
import { isWholeSentence, layoutArticle } from '../../src/engine/index/passages.ts';
import { normaliseBody, splitSentences } from '../../src/engine/text.ts';
import { FIXTURE_CORPUS } from '../helpers/fixtures.ts';

const article = (text: string): Article => ({
  id: 'a',
  title: 't',
  date: '2024-01-01',
  publisher: null,
  url: null,
  tags: [],
  text: normaliseBody(text),
  origin: 'a.txt',
});

const word = fc.constantFrom(
  'Iraq',
  'militia',
  'strike',
  'said',
  'the',
  'U.S.',
  'Gen.',
  'forces',
  'drone',
  '2024',
);
const sentence = fc
  .array(word, { minLength: 1, maxLength: 14 })
  .map((ws) => `${ws.join(' ')}.`.replace(/^./, (c) => c.toUpperCase()));
const paragraph = fc.array(sentence, { minLength: 1, maxLength: 8 }).map((ss) => ss.join(' '));
const block = fc.oneof(paragraph, paragraph, fc.constantFrom('Threatening Israel', 'Background'));
const body = fc.array(block, { minLength: 1, maxLength: 10 }).map((bs) => bs.join('\n\n'));

describe('passages', () => {
  it('cover the citable sentences in order, 1 to 5 at a time, never crossing a section', () => {
    fc.assert(
      fc.property(body, (text) => {
        const a = article(text);
        const layout = layoutArticle(a);
        let next = 0;
        for (const p of layout.passages) {
          expect(p.firstSentence).toBe(next);
          const size = p.lastSentence - p.firstSentence;
          expect(size).toBeGreaterThanOrEqual(1);
          expect(size).toBeLessThanOrEqual(5);
          for (let s = p.firstSentence; s < p.lastSentence; s++)
            expect(layout.sentences[s]!.section).toBe(p.section);
          expect(a.text.slice(p.start, p.end).length).toBeGreaterThan(0);
          next = p.lastSentence;
        }
        expect(next).toBe(layout.sentences.length);
      }),
      { numRuns: 300 },
    );
  });

  it('keep sentence offsets inside the text and trimmed', () => {
    fc.assert(
      fc.property(body, (text) => {
        const t = normaliseBody(text);
        for (const s of splitSentences(t)) {
          const piece = t.slice(s.start, s.end);
          expect(piece).toBe(piece.trim());
          expect(piece.length).toBeGreaterThan(0);
        }
      }),
    );
  });

  it('do not split after abbreviations and initials', () => {
    const t = 'Maj.-Gen. Qassem Soleimani met U.S. officials. John F. Kennedy was not there.';
    expect(splitSentences(t).map((s) => t.slice(s.start, s.end))).toEqual([
      'Maj.-Gen. Qassem Soleimani met U.S. officials.',
      'John F. Kennedy was not there.',
    ]);
  });

  it('quote list items without their markers, and flag fragments', () => {
    const a = article(
      '- BIDEN: Removed the designation.\n(ii) has criticized efforts to counter it; or\nSee 8 U.S.C. 1189 for details.',
    );
    const quotes = layoutArticle(a).sentences.map((s) => a.text.slice(s.start, s.end));
    expect(quotes).toEqual([
      'BIDEN: Removed the designation.',
      'has criticized efforts to counter it; or',
      'See 8 U.S.C. 1189 for details.',
    ]);
    expect(quotes.map(isWholeSentence)).toEqual([true, false, true]);
  });

  it('keep the seed subheading as a section and leave the photo caption out', async () => {
    const { articles } = await loadCorpus(`${FIXTURE_CORPUS}/000_9cc44c973fce500b.txt`);
    const seed = articles[0]!;
    const layout = layoutArticle(seed);
    expect(layout.sections).toEqual(['', 'Threatening Israel']);
    const sentences = layout.sentences.map((s) => seed.text.slice(s.start, s.end));
    expect(sentences.some((s) => s.includes('(credit:'))).toBe(false);
    expect(seed.text).toContain('(credit: REUTERS/THAIER AL-SUDANI)');
    expect(sentences.some((s) => s === 'Threatening Israel')).toBe(false);
  });
});

/** The normalisation as first written, without its shortcuts: the specification the fast paths must match. */
function referenceBody(s: string): string {
  const inline = (line: string): string =>
    line
      .replace(/[\u2018\u2019\u201A\u201B\u2032\u02BC]/g, "'")
      .replace(/[\u201C\u201D\u201E\u201F\u2033]/g, '"')
      .replace(/[\u00A0\u2000-\u200B\u202F\u205F\u3000\t\f\v]/g, ' ')
      .replace(/[\u00AD\uFEFF]/g, '')
      .replace(/ {2,}/g, ' ');
  const paragraphs: string[] = [];
  let current: string[] = [];
  for (const raw of s.replace(/\r\n?/g, '\n').split('\n')) {
    const line = inline(raw).trim();
    if (line === '') {
      if (current.length > 0) paragraphs.push(current.join('\n'));
      current = [];
    } else current.push(line);
  }
  if (current.length > 0) paragraphs.push(current.join('\n'));
  return paragraphs.map(referenceRepair).join('\n\n');
}

/** The artifact repair without its shortcuts: every pattern tried on every paragraph. */
function referenceRepair(paragraph: string): string {
  const fragment = String.raw`[\p{L}\p{N}][\p{L}\p{N}'-]*- ?`;
  let out = paragraph.replace(/(?<=\p{Ll})-\n(?!(?:and|or|nor|to)\b)(?=\p{Ll})/gu, '');
  for (let before = ''; before !== out; ) {
    before = out;
    out = out
      .replace(
        new RegExp(
          String.raw`(?<=(?:^|[\s("'])(\p{L}+) |^|[\s("'])${fragment}[–—](?: (?=\S)|(?=[^\s–—]))(?:\1 )?`,
          'gimu',
        ),
        '',
      )
      .replace(new RegExp(String.raw`(?<=^|[\s("'])${fragment}(?=[–—]$)`, 'gmu'), '');
  }
  return out;
}

describe('normaliseBody', () => {
  it('returns what the reference normalisation returns, clean input or not', () => {
    // Plain text that is already clean, with now and then one of the things the normalisation changes
    // (mostly one at a time, so each shortcut is tried on its own).
    const piece = fc.oneof(
      { arbitrary: fc.constantFrom('word', 'Two words.', '\n', '\n\n'), weight: 12 },
      {
        arbitrary: fc.constantFrom(
          ' ',
          '  ',
          '\n\n\n',
          '\r\n',
          '\r',
          '\t',
          '\u00A0',
          '\u2028',
          '\u00AD',
          '\uFEFF',
          'Kata\u2019ib',
          '\u201Cq\u201D',
          'ami- \u2014 ',
          ' ami- \u2014',
          'po- \u2013',
          '-\n',
          'mili-\ntias',
          'pre- and post-war',
          '- ',
          '10-20',
        ),
        weight: 1,
      },
    );
    fc.assert(
      fc.property(fc.array(piece, { maxLength: 12 }), (pieces) => {
        const text = pieces.join('');
        expect(normaliseBody(text)).toBe(referenceBody(text));
      }),
      { numRuns: 5000 },
    );
  });

  it('drops a false start before a dash, keeping the words around it', () => {
    expect(normaliseBody("one of the IRGC's Iran-aligned ami- — militias in Iraq")).toBe(
      "one of the IRGC's Iran-aligned militias in Iraq",
    );
    expect(normaliseBody('programs that tax po- –taxpayers, pardon me')).toBe(
      'programs that tax taxpayers, pardon me',
    );
    expect(normaliseBody('with Sherwood-Ran- — Sherwood-Randall')).toBe('with Sherwood-Randall');
    expect(normaliseBody('the Bi- — pardon- — me')).toBe('the me');
  });

  it('drops the word a speaker repeats when restarting after a false start', () => {
    expect(normaliseBody('MR. KIRBY: I can- – I cannot confirm')).toBe('MR. KIRBY: I cannot confirm');
    expect(normaliseBody('The Pre- — the Vice President met')).toBe('The Vice President met');
    expect(normaliseBody('briefed on it in 19- — in 2016')).toBe('briefed on it in 2016');
  });

  it('keeps the dash of a speaker cut off mid-word', () => {
    expect(normaliseBody('that was s- —\n\nMR. KIRBY: Well —')).toBe('that was —\n\nMR. KIRBY: Well —');
  });

  it('joins a word hyphenated across a line break', () => {
    expect(normaliseBody('Iran-aligned mili-\ntias in Iraq')).toBe('Iran-aligned militias in Iraq');
  });

  it('leaves suspended compounds, list items, ranges and spaced dashes as written', () => {
    const clean = [
      'pre- and post-war planning, 10-20 drones',
      '- Iran-aligned militias',
      'we — we do look forward',
      'for pre-\nand post-war Syria',
    ].join('\n\n');
    expect(normaliseBody(clean)).toBe(clean);
  });

  it('returns a body it has normalised as it is', () => {
    const piece = fc.constantFrom(
      'word',
      ' ',
      '\n',
      '\n\n',
      'ami-',
      '- ',
      '\u2014',
      '\u2013',
      'I ',
      '-\n',
      '(',
      'a',
    );
    fc.assert(
      fc.property(fc.array(piece, { maxLength: 14 }), (pieces) => {
        const once = normaliseBody(pieces.join(''));
        expect(normaliseBody(once)).toBe(once);
      }),
      { numRuns: 5000 },
    );
  });
});
