import { describe, expect, it } from 'vitest';
import { CorpusEngine } from '../../src/engine/engine.ts';
import { buildIndex } from '../../src/engine/index/build.ts';
import { loadTopics } from '../../src/engine/index/topics.ts';
import { testArticle } from '../helpers/articles.ts';
import { TOPICS } from '../helpers/fixtures.ts';

const definitions = await loadTopics(TOPICS);

// Digest lines whose second sentence leans on the first: alone, it answers what the reader was not shown.
const ARTICLES = [
  testArticle({
    id: 'weapons',
    date: '2026-06-02',
    title: 'Iraq — Armed conflicts and attacks (2026-06-02)',
    text:
      'The U.S. Navy escorts two tankers through the Strait of Hormuz.\n\n' +
      'The Iran-backed militia groups Asaib Ahl al-Haq and Imam Ali Brigades say that they will hand their weapons to the Iraqi government. However, Kataib Hezbollah and Harakat Hezbollah al-Nujaba reject an offer and will keep theirs.',
  }),
  testArticle({
    id: 'qamishli',
    date: '2019-10-11',
    title: 'Syrian Civil War — Armed conflicts and attacks (2019-10-11)',
    text: 'A car bomb detonates in the Syrian city of Qamishli, killing three and injuring nine. The Islamic State claims responsibility for the attack.',
  }),
  testArticle({
    id: 'apart',
    date: '2024-02-03',
    title: 'Middle East — Armed conflicts and attacks (2024-02-03)',
    text: 'Israel strikes a building in Beirut.\n\nAlso, Kataib Hezbollah fires rockets at Camp Victory near Baghdad airport.',
  }),
  testArticle({
    id: 'filler',
    date: '2024-03-05',
    title: 'Press gaggle',
    text: 'Yeah. It was Kataib Hezbollah that fired the rockets at the base in Syria.',
  }),
  testArticle({
    id: 'older',
    date: '2020-10-11',
    text: 'Kataib Hezbollah announces a truce with United States forces in Iraq after months of rocket attacks on bases.',
  }),
];

const engine = new CorpusEngine({ index: buildIndex(ARTICLES, definitions), corpusVersion: 'test' });

describe('a sentence that leans on the one before', () => {
  it('is quoted with it in a briefing: "However, Kataib Hezbollah … keep theirs" says what it answers', async () => {
    const brief = await engine.brief('kataib-hezbollah');
    const bullet = brief.bullets.find((b) => b.text.includes('reject an offer'));
    expect(bullet?.text).toBe(
      'The Iran-backed militia groups Asaib Ahl al-Haq and Imam Ali Brigades say that they will hand their weapons to the Iraqi government. However, Kataib Hezbollah and Harakat Hezbollah al-Nujaba reject an offer and will keep theirs.',
    );
    // One bullet for the two sentences, never the first again on its own.
    expect(brief.bullets.filter((b) => b.text.includes('Asaib Ahl al-Haq'))).toHaveLength(1);
  });

  it('is quoted with it in an answer, and names the event it calls "the attack"', async () => {
    const answer = await engine.ask('Who claimed responsibility for the attack in Qamishli?');
    expect(answer.status).toBe('answered');
    expect(answer.bullets[0]!.text).toBe(
      'A car bomb detonates in the Syrian city of Qamishli, killing three and injuring nine. The Islamic State claims responsibility for the attack.',
    );
    expect(answer.bullets.filter((b) => b.text.includes('car bomb'))).toHaveLength(1);
  });

  it('is quoted alone when it opens its passage: the line before is another story', async () => {
    const brief = await engine.brief('kataib-hezbollah');
    const bullet = brief.bullets.find((b) => b.text.includes('Camp Victory'));
    expect(bullet?.text).toBe('Also, Kataib Hezbollah fires rockets at Camp Victory near Baghdad airport.');
  });

  it('is quoted alone where the sentence before is only filler ("Yeah.")', async () => {
    const brief = await engine.brief('kataib-hezbollah');
    const bullet = brief.bullets.find((b) => b.text.includes('fired the rockets'));
    expect(bullet?.text).toBe('It was Kataib Hezbollah that fired the rockets at the base in Syria.');
  });
});
