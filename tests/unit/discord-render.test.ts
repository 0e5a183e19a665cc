import type { APIEmbed } from 'discord.js';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { chunkLines, embedChars, LIMITS, packEmbeds, splitLine } from '../../src/discord/pack.ts';
import { briefingFooter, renderBriefing, sanitize } from '../../src/discord/render.ts';
import type { Briefing } from '../../src/engine/result.ts';

function expectMessageWithinLimits(embeds: APIEmbed[]): void {
  expect(embeds.length).toBeGreaterThan(0);
  expect(embeds.length).toBeLessThanOrEqual(LIMITS.embedsPerMessage);
  expect(embeds.reduce((n, e) => n + embedChars(e), 0)).toBeLessThanOrEqual(LIMITS.messageEmbedChars);
  for (const e of embeds) {
    expect((e.title ?? '').length).toBeLessThanOrEqual(LIMITS.title);
    expect((e.description ?? '').length).toBeLessThanOrEqual(LIMITS.description);
    expect((e.fields ?? []).length).toBeLessThanOrEqual(LIMITS.fields);
    for (const f of e.fields ?? []) {
      expect(f.value.length).toBeLessThanOrEqual(LIMITS.fieldValue);
      expect(f.value.length).toBeGreaterThan(0);
      expect(f.name.length).toBeLessThanOrEqual(LIMITS.fieldName);
    }
  }
}

const words = fc
  .array(fc.stringMatching(/^[a-zA-Z0-9,.'’-]{1,14}$/), { minLength: 1, maxLength: 900 })
  .map((ws) => ws.join(' '));
const citations = fc.uniqueArray(fc.integer({ min: 1, max: 40 }), { minLength: 1, maxLength: 4 });

describe('packing text into Discord messages', () => {
  it('keeps every message within every limit, and every line whole and in order', () => {
    fc.assert(
      fc.property(
        fc.string({ maxLength: 400 }),
        fc.array(fc.string({ minLength: 1, maxLength: 900 }), { maxLength: 40 }),
        fc.array(
          fc.tuple(
            fc.string({ minLength: 1, maxLength: 300 }),
            fc.array(fc.string({ minLength: 1, maxLength: 1000 }), { maxLength: 60 }),
          ),
          { maxLength: 3 },
        ),
        (title, lines, groups) => {
          const clean = (s: string) => s.replace(/\n/g, ' ');
          const plan = {
            title,
            lines: lines.map(clean),
            groups: groups.map(([name, ls]) => ({ name, lines: ls.map(clean) })),
            footer: 'corpus 12345678 · sources up to 2024-12-03',
          };
          const messages = packEmbeds(plan);
          for (const m of messages) expectMessageWithinLimits(m);
          const embeds = messages.flat();
          const description = embeds.flatMap((e) => (e.description ? e.description.split('\n') : []));
          expect(description).toEqual(plan.lines);
          expect(embeds.at(-1)!.footer?.text).toBe(plan.footer);
        },
      ),
      { numRuns: 150 },
    );
  });

  it('splits a line too long for one embed at spaces and keeps its citations together', () => {
    fc.assert(
      fc.property(words, citations, fc.integer({ min: 60, max: 4096 }), (text, ns, max) => {
        const marks = ns.map((n) => `[${n}]`).join('');
        const pieces = splitLine(`${text} ${marks}`, max);
        for (const p of pieces) expect(p.length).toBeLessThanOrEqual(max);
        expect(pieces.at(-1)!.endsWith(marks)).toBe(true);
        expect(pieces.join(' ').replace(/\s+/g, ' ')).toBe(`${text} ${marks}`.replace(/\s+/g, ' '));
      }),
    );
  });

  it('joins short lines into as few chunks as fit', () => {
    expect(chunkLines(['a', 'b', 'c'], 3)).toEqual(['a\nb', 'c']);
    expect(chunkLines([], 10)).toEqual([]);
  });
});

function briefing(bullets: { text: string; citations: number[] }[], sourceCount: number): Briefing {
  return {
    kind: 'brief',
    query: 'houthis',
    status: 'answered',
    topic: { slug: 'houthis', name: 'Houthis', aliases: [] },
    bullets,
    keyDates: [],
    sources: Array.from({ length: sourceCount }, (_, i) => ({
      n: i + 1,
      articleId: `a${i}`,
      title: `A rather long article title number ${i} about the Red Sea and the shipping lanes `.repeat(3),
      date: `2024-0${(i % 9) + 1}-1${i % 10}`,
      publisher: 'Example Wire',
      url: i % 2 ? `https://example.org/${i}` : 'javascript:alert(1)',
      quote: 'q',
    })),
    corpusVersion: 'f'.repeat(64),
    generatedBy: 'extractive',
    cached: true,
    generatedAt: '2024-12-03T14:05:00.000Z',
  };
}

describe('rendering a briefing for Discord', () => {
  it('never cuts a citation, and every message fits, however long the briefing', () => {
    fc.assert(
      fc.property(
        fc.array(fc.record({ text: words, citations }), { minLength: 1, maxLength: 12 }),
        fc.integer({ min: 1, max: 40 }),
        (bullets, sourceCount) => {
          const pages = renderBriefing(briefing(bullets, sourceCount));
          for (const p of pages) expectMessageWithinLimits(p.embeds);
          const all = pages.flatMap((p) => p.embeds.map((e) => e.description ?? '')).join('\n');
          for (const b of bullets) expect(all).toContain(`${b.citations.map((n) => `[${n}]`).join('')}`);
          const sources = pages
            .flatMap((p) => p.embeds.flatMap((e) => e.fields ?? []))
            .map((f) => f.value)
            .join('\n');
          for (let n = 1; n <= sourceCount; n++) expect(sources).toMatch(new RegExp(`(^|\\n)\\[${n}\\] `));
        },
      ),
      { numRuns: 60 },
    );
  });

  it('links only http(s) sources and says when an answer came from the cache', () => {
    const [page] = renderBriefing(briefing([{ text: 'The Houthis fired missiles.', citations: [1, 2] }], 2));
    const sources = page!.embeds[0]!.fields!.find((f) => f.name === 'Sources')!.value;
    expect(sources).toContain('](https://example.org/1)');
    expect(sources).not.toContain('javascript:');
    expect(briefingFooter(briefing([], 1))).toBe(
      `corpus ffffffff · sources up to 2024-01-10 · cached · generated 14:05 UTC`,
    );
  });

  it('neutralises mentions, markdown and control characters in echoed text', () => {
    expect(sanitize('@everyone **bold** [x](http://e) \u0000hi\u202e')).toBe(
      '@\u200beveryone \\*\\*bold\\*\\* \\[x\\](http://e) hi',
    );
  });

  it('strips the invisible word joiner, Arabic letter mark and soft hyphen from echoed text', () => {
    expect(sanitize('Hou\u2060this\u061c in Ye\u00admen')).toBe('Houthis in Yemen');
  });
});
