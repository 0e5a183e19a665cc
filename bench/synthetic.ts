/** The benchmark's synthetic corpus: deterministic ~700-word articles over a Zipf-like vocabulary, naming known groups and places. */
import type { Article } from '../src/engine/corpus/article.ts';
import { normaliseBody } from '../src/engine/text.ts';

/** Mulberry32: a small deterministic PRNG, so every run measures the same corpus. */
export function prng(seed: number): () => number {
  let a = seed;
  return () => {
    a = (a + 0x6d2b79f5) | 0;
    let t = Math.imul(a ^ (a >>> 15), 1 | a);
    t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t;
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

export const NAMES = [
  "Kata'ib Hezbollah",
  'Hezbollah',
  'the Houthis',
  'Deir ez-Zor',
  'the SDF',
  'Hayat Tahrir al-Sham',
  'Aleppo',
  'the Quds Force',
  'Baghdad',
  'Damascus',
  'Tower 22',
  'the Red Sea',
  'Albukamal',
  'the PMF',
  'Tehran',
];

/**
 * `count` articles over the vocabulary of `seed`; with `articleSeed`, other articles over the same
 * vocabulary (the bench's ingest row adds such articles to a corpus made with the default seed).
 */
export function synthetic(count: number, seed = 20241201, articleSeed?: number): Article[] {
  let rand = prng(seed);
  const syllables = [
    'ka',
    'ri',
    'mo',
    'ten',
    'sal',
    'dor',
    'vi',
    'lun',
    'ash',
    'ber',
    'qa',
    'zu',
    'nel',
    'fa',
  ];
  const vocab = Array.from({ length: 30_000 }, () => {
    let w = '';
    const n = 2 + Math.floor(rand() * 3);
    for (let i = 0; i < n; i++) w += syllables[Math.floor(rand() * syllables.length)];
    return w;
  });
  // Zipf-like: low ranks are far more frequent, as in real text.
  const word = (): string => vocab[Math.floor(vocab.length * rand() ** 3)]!;
  if (articleSeed !== undefined) rand = prng(articleSeed);
  const articles: Article[] = [];
  for (let i = 0; i < count; i++) {
    const paragraphs: string[] = [];
    let words = 0;
    while (words < 700) {
      const sentences: string[] = [];
      for (let s = 0; s < 3 + Math.floor(rand() * 3); s++) {
        const len = 10 + Math.floor(rand() * 18);
        const ws = Array.from({ length: len }, () =>
          rand() < 0.04 ? NAMES[Math.floor(rand() * NAMES.length)]! : word(),
        );
        words += len;
        sentences.push(`${ws.join(' ').replace(/^./, (c) => c.toUpperCase())}.`);
      }
      paragraphs.push(sentences.join(' '));
    }
    const y = 2015 + Math.floor(rand() * 11);
    const m = 1 + Math.floor(rand() * 12);
    const d = 1 + Math.floor(rand() * 28);
    articles.push({
      id: `syn-${i}`,
      title: `${word()} ${NAMES[i % NAMES.length]} ${word()} ${word()}`,
      date: `${y}-${String(m).padStart(2, '0')}-${String(d).padStart(2, '0')}`,
      publisher: 'Synthetic Wire',
      url: null,
      tags: [],
      text: normaliseBody(paragraphs.join('\n\n')),
      origin: `syn-${i}`,
    });
  }
  return articles;
}
