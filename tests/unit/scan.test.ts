import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { CAPITAL, SpanTable, scanTokens, spanHash, UPPER } from '../../src/engine/index/scan.ts';

// The specification the character scanner implements, as a regular expression.
const REFERENCE = /(?:\p{Lu}\.){2,}|\p{L}{1,3}-\p{N}+\p{L}?|[\p{L}\p{N}]+(?:['\u2019\u02BC][\p{L}]+)*/gu;

function reference(text: string): [number, number][] {
  return [...text.matchAll(REFERENCE)].map((m) => [m.index, m.index + m[0].length]);
}

function scanned(text: string): [number, number][] {
  const out: [number, number][] = [];
  scanTokens(text, 0, text.length, (s, e) => out.push([s, e]));
  return out;
}

// Pieces that exercise every branch: acronyms, designators, apostrophes, accents, hyphens, digits.
const piece = fc.constantFrom(
  'U.S.',
  'U.N',
  'K-1',
  'Kh-101',
  'F-15E',
  'ABCD-1',
  "Kata'ib",
  'Iran\u2019s',
  'al-Asgari',
  'Deir ez-Zor',
  'Qaani',
  'Ça',
  'é',
  '2024',
  '15-20',
  ' ',
  ' ',
  '. ',
  ', ',
  '—',
  '"',
  "'",
  '-',
  '(credit: X)',
  'Ω',
  'ß',
);
const text = fc.array(piece, { maxLength: 30 }).map((ps) => ps.join(''));

describe('character scanner', () => {
  it('finds exactly the tokens of the reference pattern', () => {
    fc.assert(
      fc.property(fc.oneof(text, fc.string(), fc.string({ unit: 'grapheme' })), (t) => {
        // Astral-plane characters are separators for the scanner by design; keep to the BMP here.
        const bmp = t.replace(/[\uD800-\uDFFF]/g, ' ');
        expect(scanned(bmp)).toEqual(reference(bmp));
      }),
      { numRuns: 2000 },
    );
  });

  it('hands each token the hash of its own characters, however it was scanned', () => {
    fc.assert(
      fc.property(text, (t) => {
        scanTokens(t, 0, t.length, (s, e, _flags, hash) => {
          expect(hash).toBe(spanHash(t, s, e));
        });
        // And a hash tells different spans apart (no accidental constant).
        expect(spanHash('Qaani', 0, 5)).not.toBe(spanHash('Qaany', 0, 5));
      }),
      { numRuns: 1000 },
    );
  });

  it('flags capitals and words written in capitals', () => {
    const flags: Record<string, number> = {};
    const t = 'KH and Kh-101, F-15E, U.S., Iran, iran, K-1';
    scanTokens(t, 0, t.length, (s, e, f) => {
      flags[t.slice(s, e)] = f;
    });
    expect(flags).toEqual({
      KH: CAPITAL | UPPER,
      and: 0,
      'Kh-101': CAPITAL,
      'F-15E': CAPITAL | UPPER,
      'U.S.': CAPITAL | UPPER,
      Iran: CAPITAL,
      iran: 0,
      'K-1': CAPITAL,
    });
  });
});

describe('span table', () => {
  it('gives one id per distinct span and makes each value once', () => {
    fc.assert(
      fc.property(fc.array(fc.string({ maxLength: 6 }), { maxLength: 3000 }), (words) => {
        const table = new SpanTable();
        const made: string[] = [];
        const text = words.join('|');
        let at = 0;
        const ids = words.map((w) => {
          const id = table.intern(text, at, at + w.length, (raw) => {
            made.push(raw);
            return made.length - 1;
          });
          at += w.length + 1;
          return id;
        });
        expect(new Set(made).size).toBe(made.length);
        expect(ids.map((id) => made[id])).toEqual(words);
      }),
      { numRuns: 100 },
    );
  });
});
