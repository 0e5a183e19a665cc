import { describe, expect, it } from 'vitest';
import { CorpusEngine } from '../../src/engine/engine.ts';
import { buildIndex } from '../../src/engine/index/build.ts';
import { testArticle } from '../helpers/articles.ts';

const ARTICLES = [
  testArticle({
    id: 'kenya',
    date: '2024-10-18',
    text: "Kenya's National Assembly unanimously approves Kithure Kindiki as the new Deputy President following his nomination by President William Ruto. The High Court suspends the impeachment of his predecessor.",
  }),
  testArticle({
    id: 'qatar',
    date: '2024-05-10',
    text: "Qatar's emir suspends the National Assembly and some articles of the constitution, citing a political deadlock.",
  }),
  testArticle({
    id: 'kuwait',
    date: '2026-03-02',
    text: "Iranian drones strike Kuwait's international airport, injuring two workers.",
  }),
  testArticle({
    id: 'sharif',
    date: '2025-10-01',
    text: 'Pakistani Prime Minister Shehbaz Sharif welcomes the 20-point plan to end the war in Gaza.',
  }),
  testArticle({
    id: 'pakistan',
    date: '2025-10-02',
    text: 'Floods in Pakistan displace thousands; Pakistan asks for aid.',
  }),
  // Other news, so that the names above are of weight.
  ...Array.from({ length: 30 }, (_, n) =>
    testArticle({
      id: `markets-${n}`,
      date: '2024-02-01',
      text: `Markets in Paris closed higher on day ${n}.`,
    }),
  ),
];
const engine = new CorpusEngine({ index: buildIndex(ARTICLES, []), corpusVersion: 'owners' });

describe("a question about a name's office", () => {
  it("is not answered from another country's: Qatar's emir is no answer about Kuwait's", async () => {
    const a = await engine.ask("Why did Kuwait's emir suspend the National Assembly in 2024?");
    expect(a.status).toBe('no_sources');
  });

  it("is answered where the passage names the office's country by its demonym", async () => {
    const a = await engine.ask("What did Pakistan's prime minister say about the 20-point plan?");
    expect(a.status).toBe('answered');
    expect(a.sources[0]?.articleId).toBe('sharif');
  });

  it("is answered where the passage names the office's country", async () => {
    const a = await engine.ask("Whom did Kenya's president nominate as deputy president?");
    expect(a.status).toBe('answered');
    expect(a.sources[0]?.articleId).toBe('kenya');
  });
});
