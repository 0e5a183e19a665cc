import { describe, expect, it } from 'vitest';
import { renderBriefing as renderDiscord } from '../../src/discord/render.ts';
import type { Article } from '../../src/engine/corpus/article.ts';
import { CorpusEngine } from '../../src/engine/engine.ts';
import { buildIndex } from '../../src/engine/index/build.ts';
import { renderBriefing as renderText } from '../../src/render/text.ts';
import { testArticle } from '../helpers/articles.ts';

const article = (id: string, date: string, title: string, text: string): Article =>
  testArticle({ id, date, title, text, publisher: 'The White House', url: `https://example.org/${id}` });

const corpus = [
  article(
    'briefing',
    '2024-01-29',
    'Press Briefing by Press Secretary Karine Jean-Pierre and NSC Coordinator for Strategic Communications John Kirby',
    [
      'MS. JEAN-PIERRE: Good afternoon. Admiral Kirby is here to talk about the drone attack in Jordan.',
      'Q More than 30 U.S. service members have been wounded in militia drone attacks on Tower 22 this year. Who carried out the drone attack on Tower 22?',
      'MR. KIRBY: The drone attack on Tower 22 was carried out by Iran-backed militants of the Islamic Resistance in Iraq.',
      'We will respond to the Tower 22 drone attack at a time and in a manner of our choosing.',
    ].join('\n\n'),
  ),
  article(
    'digest',
    '2024-02-03',
    'Airstrikes in Iraq and Syria',
    'The United States strikes 85 targets in Iraq and Syria in response to the Tower 22 drone attack.\nIn Lebanon, an unrelated storm floods the coastal road north of Beirut.',
  ),
];

describe('answers as an analyst reads them', () => {
  const engine = new CorpusEngine({
    index: buildIndex(corpus, []),
    corpusVersion: 'test',
    now: () => new Date('2024-02-10T00:00:00Z'),
  });

  it("never quotes a reporter's premise, and names the official who said what is quoted", async () => {
    const answer = await engine.ask('Who carried out the drone attack on Tower 22?');
    expect(answer.status).toBe('answered');
    const texts = answer.bullets.map((b) => b.text).join('\n');
    expect(texts).not.toMatch(/More than 30/);
    const kirby = answer.bullets.find((b) => b.text.includes('Islamic Resistance in Iraq'))!;
    expect(kirby.speaker).toEqual({
      role: 'official',
      name: 'John Kirby',
      title: 'NSC Coordinator for Strategic Communications',
    });
    expect(kirby.date).toBe('2024-01-29');
    const text = renderText(answer);
    expect(text).toMatch(
      /• 2024-01-29 · The drone attack on Tower 22 was carried out .+ \[\d\] — John Kirby, NSC/,
    );
    expect(text).not.toMatch(/More than 30/);
    const discord = JSON.stringify(renderDiscord(answer));
    expect(discord).toMatch(/John Kirby, NSC Coordinator/);
    expect(discord).not.toMatch(/More than 30/);
  });

  it('says which spelling it searched for when a name was typed another way', async () => {
    const answer = await engine.ask('Who carried out the drone attack on Towr 22?');
    expect(answer.corrections).toEqual([{ from: 'Towr', to: 'Tower' }]);
    expect(renderText(answer)).toMatch(/Showing results for Who carried out the drone attack on Tower 22\?/);
  });

  it('briefs newest first under Latest, each bullet dated', async () => {
    const brief = await engine.brief('tower 22');
    expect(brief.status).toBe('answered');
    expect(brief.asOf).toBe('2024-02-03');
    expect(brief.bullets[0]!.part).toBe('latest');
    expect(brief.bullets[0]!.date).toBe('2024-02-03');
    const dates = brief.bullets.map((b) => b.date!);
    expect(dates).toEqual([...dates].sort().reverse());
    const text = renderText(brief);
    expect(text).toMatch(/\nLatest\n {2}• 2024-02-03 · The United States strikes 85 targets/);
  });
});
