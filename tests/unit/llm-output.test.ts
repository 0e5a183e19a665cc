import { describe, expect, it } from 'vitest';
import { parseModelAnswer } from '../../src/engine/summarize/llm/output.ts';
import { parsePrompt } from '../../src/engine/summarize/llm/prompts.ts';
import { specificClaims, verifyBullets } from '../../src/engine/summarize/llm/verify.ts';

const PASSAGES = [
  'Kataib Hezbollah threatened Saudi Arabia with drones on 12 May 2024. The group has about 10,000 fighters.',
  'The White House condemned the Tower 22 attack, which killed three U.S. soldiers in Jordan.',
];

describe('reading a model answer', () => {
  it('reads JSON, fenced JSON, JSON inside prose, and prose with [n] markers', () => {
    const json = '{"bullets":[{"text":"A.","citations":[1]}]}';
    expect(parseModelAnswer(json)?.route).toBe('json');
    expect(parseModelAnswer(`\`\`\`json\n${json}\n\`\`\``)?.route).toBe('fenced');
    expect(parseModelAnswer(`Sure! ${json} Hope this helps.`)?.route).toBe('embedded');
    const prose = parseModelAnswer('- Three soldiers died [2].\n- The group threatened Saudi Arabia [1][2].');
    expect(prose?.route).toBe('prose');
    expect(prose?.answer.bullets).toEqual([
      { text: 'Three soldiers died.', citations: [2] },
      { text: 'The group threatened Saudi Arabia.', citations: [1, 2] },
    ]);
    expect(parseModelAnswer('I cannot help with that.')).toBeUndefined();
  });
});

describe('verifying bullets against their cited passages', () => {
  it('keeps a supported bullet and strips a citation that was not given', () => {
    const v = verifyBullets(
      [{ text: 'Kataib Hezbollah threatened Saudi Arabia with drones.', citations: [1, 7] }],
      PASSAGES,
    );
    expect(v.kept).toEqual([
      { text: 'Kataib Hezbollah threatened Saudi Arabia with drones.', citations: [1] },
    ]);
    expect(v.stripped).toBe(1);
  });

  it('strips a cited passage that shares nothing with the bullet', () => {
    const v = verifyBullets(
      [{ text: 'Three U.S. soldiers were killed at Tower 22.', citations: [1, 2] }],
      PASSAGES,
    );
    expect(v.kept[0]!.citations).toEqual([2]);
  });

  it('moves a citation to the given passage that supports the bullet far better, and only then', () => {
    const near = [
      'Iraqi forces raided the headquarters of the Iranian-backed Kataib Hezbollah and detained its commanders.',
      'United States aircraft struck depots of the Iranian-backed Kataib Hezbollah militia near Qaim.',
    ];
    const wrong = verifyBullets(
      [{ text: 'United States aircraft struck Kataib Hezbollah depots near Qaim.', citations: [1] }],
      near,
    );
    expect(wrong.kept).toEqual([
      { text: 'United States aircraft struck Kataib Hezbollah depots near Qaim.', citations: [2] },
    ]);
    expect(wrong.repointed).toBe(1);
    // Cited right, or both passages equally good: the model's citation stands.
    const right = verifyBullets(
      [{ text: 'Iraqi forces raided the Kataib Hezbollah headquarters.', citations: [1] }],
      near,
    );
    expect(right.kept[0]!.citations).toEqual([1]);
    expect(right.repointed).toBe(0);
    const both = verifyBullets([{ text: 'Kataib Hezbollah is Iranian-backed.', citations: [2] }], near);
    expect(both.kept[0]!.citations).toEqual([2]);
  });

  it('moves a citation to the passage that supports every word where the cited one misses some', () => {
    const funeral = [
      'The state funeral of former supreme leader Ali Khamenei begins in Tehran as his body lies in state.',
      'The Iranian foreign minister arrives in Baghdad to discuss the funeral of former supreme leader Ali Khamenei.',
    ];
    const v = verifyBullets(
      [{ text: 'The state funeral of former supreme leader Ali Khamenei.', citations: [2] }],
      funeral,
    );
    expect(v.kept[0]!.citations).toEqual([1]);
    expect(v.repointed).toBe(1);
  });

  it('drops a bullet whose number, name or date is not in its sources', () => {
    const wrongNumber = verifyBullets(
      [{ text: 'The group has about 20,000 fighters.', citations: [1] }],
      PASSAGES,
    );
    expect(wrongNumber.dropped[0]!.reason).toMatch(/not in its sources: 20000/);
    const wrongName = verifyBullets(
      [{ text: 'Kataib Hezbollah threatened Kuwait with drones.', citations: [1] }],
      PASSAGES,
    );
    expect(wrongName.dropped[0]!.reason).toMatch(/kuwait/);
    const wrongSource = verifyBullets(
      [{ text: 'Kataib Hezbollah threatened Saudi Arabia.', citations: [2] }],
      PASSAGES,
    );
    expect(wrongSource.kept).toEqual([]);
  });

  it('drops a bullet with no valid citation, or marks it when told to keep unsupported bullets', () => {
    expect(verifyBullets([{ text: 'Drones were used.', citations: [] }], PASSAGES).dropped[0]!.reason).toBe(
      'no valid citation',
    );
    const marked = verifyBullets(
      [{ text: 'The group has about 20,000 fighters.', citations: [1] }],
      PASSAGES,
      {
        keepUnsupported: true,
      },
    );
    expect(marked.kept[0]!.unsupported).toMatch(/20000/);
  });

  it('counts numbers and capitalised names as claims, not sentence-initial words or months', () => {
    expect(specificClaims('The attack in January killed 3 soldiers near Tower 22 in Jordan.').sort()).toEqual(
      ['22', '3', 'jordan', 'tower'].sort(),
    );
  });
});

describe('prompt templates', () => {
  const good = '---\nid: ask\nversion: 2\n---\n## system\nRules.\n## user\nQ: {{query}}\n{{sources}}\n';

  it('reads front matter and sections, with defaults for model settings', () => {
    const p = parsePrompt(good, 'ask.md');
    expect(p.ref).toBe('ask@2');
    expect(p.temperature).toBe(0.2);
    expect(p.user).toContain('{{sources}}');
  });

  it('says what is wrong with a broken template', () => {
    expect(() => parsePrompt('## system\nx', 'a.md')).toThrow(/no front matter/);
    expect(() => parsePrompt(good.replace('version: 2', 'version: two'), 'a.md')).toThrow(/version/);
    expect(() => parsePrompt(good.replace('{{sources}}', ''), 'a.md')).toThrow(
      /must contain \{\{sources\}\}/,
    );
  });
});
