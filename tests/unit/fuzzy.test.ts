import { describe, expect, it } from 'vitest';
import { damerau } from '../../src/engine/index/fuzzy.ts';

/** The textbook optimal-string-alignment distance, without a limit. */
function reference(a: string, b: string): number {
  const d = Array.from({ length: a.length + 1 }, (_, i) =>
    Array.from({ length: b.length + 1 }, (_, j) => (i === 0 ? j : j === 0 ? i : 0)),
  );
  for (let i = 1; i <= a.length; i++)
    for (let j = 1; j <= b.length; j++) {
      const row = d[i]!;
      row[j] = Math.min(
        d[i - 1]![j]! + 1,
        row[j - 1]! + 1,
        d[i - 1]![j - 1]! + (a[i - 1] === b[j - 1] ? 0 : 1),
      );
      if (i > 1 && j > 1 && a[i - 1] === b[j - 2] && a[i - 2] === b[j - 1])
        row[j] = Math.min(row[j]!, d[i - 2]![j - 2]! + 1);
    }
  return d[a.length]![b.length]!;
}

describe('edit distance between a typed word and a corpus term', () => {
  it('counts a transposition as one edit and gives up past its limit', () => {
    expect(damerau('nasralla', 'nasrallah', 2)).toBe(1);
    expect(damerau('kittelson', 'kittleson', 2)).toBe(1);
    expect(damerau('hezbolah', 'hizballah', 2)).toBe(3);
    expect(damerau('', 'abc', 5)).toBe(3);
  });

  it('agrees with the textbook distance on random words of every length, reusing its rows', () => {
    let seed = 42;
    const rand = () => {
      seed = (seed * 1103515245 + 12345) % 2 ** 31;
      return seed / 2 ** 31;
    };
    const word = () =>
      Array.from({ length: Math.floor(rand() * 14) }, () => 'abcde'[Math.floor(rand() * 5)]).join('');
    for (let k = 0; k < 3000; k++) {
      const [a, b] = [word(), word()];
      const limit = Math.floor(rand() * 4);
      const exact = reference(a, b);
      if (exact <= limit) expect(damerau(a, b, limit)).toBe(exact);
      else expect(damerau(a, b, limit)).toBeGreaterThan(limit);
    }
    // A word longer than any before it still gets a whole table.
    const long = 'x'.repeat(200);
    expect(damerau(long, `${long}y`, 2)).toBe(1);
  });
});
