import { describe, expect, it } from 'vitest';
import { questionParts } from '../../src/engine/ask.ts';

describe('a two-part question', () => {
  it('lends its first part’s names and time to a second part that leans on them', () => {
    expect(
      questionParts('Who killed Hassan Nasrallah in September 2024, and whose funeral did he attend?'),
    ).toEqual([
      'Who killed Hassan Nasrallah in September 2024',
      'whose funeral did he attend (Hassan Nasrallah, September 2024)?',
    ]);
    // Ellipsis: "how has Riyadh responded" (to the Houthi blockade) names no time of its own.
    expect(
      questionParts(
        'Are the Houthis still enforcing their naval blockade of Saudi Arabia, and how has Riyadh responded?',
      )[1],
    ).toBe('how has Riyadh responded (Houthis, Saudi Arabia)?');
  });

  it('lends nothing to a second part with names and a time of its own, and dates its month by the first', () => {
    expect(
      questionParts(
        'Which Indian-flagged ship was sunk off Hodeidah in August 2026, and why had India told its sailors to avoid Hormuz transits in July?',
      ),
    ).toEqual([
      'Which Indian-flagged ship was sunk off Hodeidah in August 2026',
      'why had India told its sailors to avoid Hormuz transits in July 2026?',
    ]);
  });

  it('dates a month without its year as the one nearest the first part’s time', () => {
    expect(
      questionParts(
        'Which tanker did the Houthis seize in November 2023, and how did the US respond in January?',
      )[1],
    ).toBe('how did the US respond in January 2024?');
  });

  it('still lends its names where the second part speaks of them ("does it still control Aden")', () => {
    expect(
      questionParts(
        "Who leads Yemen's Southern Transitional Council in 2025, and does it still control Aden in March 2026?",
      )[1],
    ).toBe("does it still control Aden in March 2026 (Yemen's Southern Transitional Council)?");
  });

  it('never lends its question word as a name, nor reads the verb "may" as a month', () => {
    expect(
      questionParts('Which Indian ship was sunk in August 2026, and what happened to the crew?')[1],
    ).toBe('what happened to the crew (Indian, August 2026)?');
    expect(questionParts('What happened in May 2024, and what may happen next?')[1]).toBe(
      'what may happen next (May 2024)?',
    );
  });
});

describe('a two-part question whose second part asks when', () => {
  it('does not bound it by the first part’s time: when is what it asks', () => {
    expect(
      questionParts(
        'How many hostages did Hamas release under the October 2025 ceasefire, and when did Hamas agree to move to its second phase?',
      )[1],
    ).toBe('when did Hamas agree to move to its second phase?');
  });
});
