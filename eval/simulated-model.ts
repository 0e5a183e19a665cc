/**
 * A simulated chat model for `npm run eval -- --llm-sim`: it reads the numbered sources of a request
 * the way a model would and writes paraphrased bullets over them, and on purpose makes the mistakes
 * real models make at fixed rates (a citation number that was not given, the wrong source, a changed
 * number or an invented name, a generic claim the sources do not make), in JSON, fenced JSON or prose.
 * Every bullet is labelled, so the evaluation can count how many faithful bullets the verifier keeps
 * and how many faulty ones it drops. Deterministic: the randomness is seeded by the request.
 */
import { terms } from '../src/engine/index/tokenize.ts';
import { type ChatRequest, passagesOf } from '../tests/helpers/fake-openai.ts';

export type BulletLabel =
  | 'faithful'
  | 'faithful-reworded'
  | 'faithful-combined'
  | 'uncited-number'
  | 'wrong-source'
  | 'changed-fact'
  | 'generic-claim';

export const FAULTS: readonly BulletLabel[] = [
  'uncited-number',
  'wrong-source',
  'changed-fact',
  'generic-claim',
];

/** Share of bullets given each fault; the rest are faithful. */
const FAULT_RATE: Record<string, number> = {
  'uncited-number': 0.08,
  'wrong-source': 0.08,
  'changed-fact': 0.08,
  'generic-claim': 0.06,
};

/** Word swaps a paraphrasing model typically makes. */
const SWAPS: [RegExp, string][] = [
  [/\bsaid\b/g, 'stated'],
  [/\btold\b/g, 'informed'],
  [/\battacks\b/g, 'strikes'],
  [/\battack\b/g, 'strike'],
  [/\bannounced\b/g, 'declared'],
  [/\bofficials\b/g, 'authorities'],
  [/\babout\b/g, 'roughly'],
  [/\bhowever\b/gi, 'yet'],
  [/\bbecause\b/g, 'since'],
  [/\balso\b/g, 'additionally'],
  [/\bmore than\b/g, 'over'],
  [/\bcontinue\b/g, 'carry on'],
];

/** A heavier rewording: what a fluent model does to everyday news vocabulary. */
const REWORDS: [RegExp, string][] = [
  [/\bkilled\b/g, 'left dead'],
  [/\bwounded\b/g, 'injured'],
  [/\bgroup\b/g, 'organisation'],
  [/\bgroups\b/g, 'organisations'],
  [/\bforces\b/g, 'troops'],
  [/\bpresident\b/gi, 'leader'],
  [/\bgovernment\b/g, 'administration'],
  [/\bsupport\b/g, 'backing'],
  [/\bcountry\b/g, 'nation'],
  [/\bwar\b/g, 'conflict'],
  [/\bsaid\b/g, 'argued'],
  [/\bmilitary\b/g, 'armed forces'],
  [/\bresponse\b/g, 'reaction'],
  [/\bpeople\b/g, 'individuals'],
  [/\bbegan\b/g, 'started'],
  [/\blarge\b/g, 'major'],
  [/\bincluding\b/g, 'among them'],
  [/\bwhich\b/g, 'that'],
  [/\bwould\b/g, 'was set to'],
  [/\bafter\b/g, 'following'],
];

/** The rewording plus a framing clause, as fluent models add. */
export function reword(sentence: string, random: () => number): string {
  let s = paraphrase(sentence);
  for (const [pattern, swap] of REWORDS) s = s.replace(pattern, swap);
  const frames = ['Reports indicate that ', 'Notably, ', 'In a significant development, '];
  const frame = frames[Math.floor(random() * frames.length)]!;
  return frame + s.charAt(0).toLowerCase() + s.slice(1);
}

const GENERIC = [
  'This development signals a broader regional escalation that observers expect to intensify over the coming months.',
  'Analysts widely regard the episode as a turning point for deterrence and for the credibility of the wider alliance.',
  'The situation remains fluid, and further diplomatic consequences appear likely in the near term.',
];

/** Names a model might invent; one absent from the sources is used. */
const INVENTED_NAMES = ['Kirkuk', 'Erdogan', 'Brussels', 'Mosul', 'Macron', 'Ankara'];

function seeded(text: string): () => number {
  let h = 2166136261;
  for (let i = 0; i < text.length; i++) h = Math.imul(h ^ text.charCodeAt(i), 16777619);
  let state = h >>> 0;
  return () => {
    state = (state + 0x6d2b79f5) >>> 0;
    let t = state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

const decodeData = (s: string) => s.replace(/&lt;/g, '<').replace(/&gt;/g, '>').replace(/&amp;/g, '&');

function sentencesOf(passage: string): string[] {
  return decodeData(passage)
    .replace(/\s+/g, ' ')
    .split(/(?<=[.!?]["”’]?)\s+(?=["“‘]?\p{Lu})/u)
    .map((s) => s.trim())
    .filter((s) => s.split(' ').length >= 8);
}

/** The sentence of a passage a model would pick: most words of the question, else the first long one. */
function pickSentence(sentences: readonly string[], queryTerms: ReadonlySet<string>): string | undefined {
  let best: string | undefined;
  let bestScore = -1;
  for (const s of sentences) {
    const score = terms(s).filter((t) => queryTerms.has(t)).length;
    if (score > bestScore) [best, bestScore] = [s, score];
  }
  return best;
}

/** A light paraphrase: no quotes or asides, common word swaps, at most about 35 words. */
export function paraphrase(sentence: string): string {
  let s = sentence
    .replace(/^[A-Z][A-Z .'-]+:\s*/, '')
    .replace(/\s*\([^)]*\)/g, '')
    .replace(/["“”‘’]/g, '')
    .replace(/\s+(?:[—–]|--)\s*[^—–]*?\s*(?:[—–]|--)\s+/g, ' ');
  for (const [pattern, swap] of SWAPS) s = s.replace(pattern, swap);
  const words = s.split(' ');
  if (words.length > 35) {
    const cut = s.lastIndexOf(',', words.slice(0, 35).join(' ').length);
    s = cut > 40 ? s.slice(0, cut) : words.slice(0, 35).join(' ');
  }
  s = s.replace(/[,;:]?\s*$/, '').replace(/[.!?]?$/, '.');
  return s.charAt(0).toUpperCase() + s.slice(1);
}

function changeFact(text: string, sources: string, random: () => number): string {
  const number = text.match(/\b\d+\b/);
  if (number) return text.replace(number[0], String(Number(number[0]) * 2 + 3));
  const name = INVENTED_NAMES.find((n) => !sources.includes(n)) ?? 'Zanzibar';
  const clause = random() < 0.5 ? `, officials in ${name} said` : `, according to ${name}`;
  return text.replace(/\.$/, `${clause}.`);
}

export interface SimulatedBullet {
  text: string;
  citations: number[];
  label: BulletLabel;
  /** The passages the text was really written from. */
  truth: number[];
}

/** What the simulated model writes for one request: labelled bullets and the reply format. */
export function simulate(request: ChatRequest): {
  bullets: SimulatedBullet[];
  format: 'json' | 'fenced' | 'prose';
} {
  const passages = passagesOf(request);
  const user = request.messages.find((m) => m.role === 'user')?.content ?? '';
  const query = user.match(/^(?:Question|Write a briefing on): (.*)$/m)?.[1] ?? '';
  const queryTerms = new Set(terms(query));
  const random = seeded(user);
  const maxBullets = Number(request.messages[0]?.content.match(/at most (\d+) bullets/)?.[1] ?? 5);
  const all = [...passages.values()].join('\n');
  const bullets: SimulatedBullet[] = [];
  const numbers = [...passages.keys()];
  for (const n of numbers) {
    if (bullets.length >= maxBullets) break;
    const sentence = pickSentence(sentencesOf(passages.get(n)!), queryTerms);
    if (sentence === undefined) continue;
    let text = paraphrase(sentence);
    let citations = [n];
    let truth = [n];
    let label: BulletLabel = 'faithful';
    const roll = random();
    let edge = 0;
    for (const fault of FAULTS) {
      edge += FAULT_RATE[fault]!;
      if (roll < edge) {
        label = fault;
        break;
      }
    }
    if (label === 'uncited-number') citations = [numbers.length + 1 + Math.floor(random() * 3)];
    else if (label === 'wrong-source') {
      const others = numbers.filter((m) => m !== n);
      if (others.length === 0) label = 'faithful';
      else citations = [others[Math.floor(random() * others.length)]!];
    } else if (label === 'changed-fact') text = changeFact(text, all, random);
    else if (label === 'generic-claim') text = GENERIC[Math.floor(random() * GENERIC.length)]!;
    else if (random() < 0.3) {
      text = reword(sentence, random);
      label = 'faithful-reworded';
    } else if (random() < 0.2 && n < numbers.length) {
      // Two sources in one bullet, citing both.
      const second = pickSentence(sentencesOf(passages.get(n + 1)!), queryTerms);
      if (second !== undefined) {
        text = `${text.replace(/\.$/, '')}; ${paraphrase(second).replace(/^./, (c) => c.toLowerCase())}`;
        citations = [n, n + 1];
        truth = [n, n + 1];
        label = 'faithful-combined';
      }
    }
    bullets.push({ text, citations, label, truth });
  }
  const f = random();
  return { bullets, format: f < 0.8 ? 'json' : f < 0.9 ? 'fenced' : 'prose' };
}

/** The reply body for a simulated answer, in its format. */
export function render(answer: ReturnType<typeof simulate>): string {
  const json = JSON.stringify({
    bullets: answer.bullets.map(({ text, citations }) => ({ text, citations })),
  });
  if (answer.format === 'json') return json;
  if (answer.format === 'fenced') return `Here is the briefing:\n\`\`\`json\n${json}\n\`\`\``;
  return answer.bullets.map((b) => `- ${b.text} ${b.citations.map((c) => `[${c}]`).join('')}`).join('\n');
}
