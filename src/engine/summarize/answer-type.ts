import type { SearchIndex } from '../index/build.ts';
import { type Token, tokenize } from '../index/tokenize.ts';

/**
 * What kind of fact a question asks for, where its wording says so. A passage that shares the
 * question's names and places but not this kind of fact does not answer it: "What were the names of
 * the three soldiers killed at Tower 22?" is not answered by "three soldiers were killed at Tower 22".
 */
export type AnswerType = 'person' | 'count';

const PERSON =
  /\b(?:names?\s+of|name\s+the|who\s+(?:were|are)\s+the|which\s+(?:[\w'-]+\s+){0,3}?(?:commanders?|leaders?|officials?|ministers?|generals?|soldiers?|spokes(?:man|woman|person)|persons?|people|journalists?))\b/i;
const COUNT = /\bhow\s+(?:many|much)\b/i;

export function expectedAnswers(question: string): AnswerType[] {
  const types: AnswerType[] = [];
  if (PERSON.test(question)) types.push('person');
  if (COUNT.test(question)) types.push('count');
  return types;
}

// Words that make a capitalised run the name of an institution, place or date rather than a person.
const NOT_PERSON = new Set(
  (
    'states united nations house white forces force department council ministry army navy corps party movement ' +
    'brigades brigade organization organisation republic kingdom union guard guards resistance islamic news press ' +
    'office committee agency command base airbase air province city gulf sea strait river east west north south ' +
    'middle international national security government administration court university day street square ' +
    'january february march april may june july august september october november december monday tuesday ' +
    'wednesday thursday friday saturday sunday mr mrs ms q president secretary minister general prime vice ' +
    'ambassador senator spokesperson coordinator director adviser advisor deputy chief the and of for in on ' +
    'eastern western northern southern central governorate district region county airport airforce port ' +
    'crisis war conflict attack attacks strike strikes operation ceasefire talks summit'
  ).split(' '),
);
const CONNECTORS = new Set(['al', 'el', 'bin', 'ibn', 'abu', 'abd', 'de', 'van', 'von']);
const NUMBER_WORDS = new Set(
  (
    'two three four five six seven eight nine ten eleven twelve thirteen fourteen fifteen sixteen seventeen ' +
    'eighteen nineteen twenty thirty forty fifty sixty seventy eighty ninety hundred hundreds thousand ' +
    'thousands million millions billion billions dozen dozens'
  ).split(' '),
);

/** True when `text` holds the kind of fact asked for, beyond what the question itself says. */
export function holdsAnswer(
  index: SearchIndex,
  type: AnswerType,
  text: string,
  questionTerms: Set<string>,
): boolean {
  const tokens = tokenize(text);
  return type === 'person'
    ? hasPersonName(index, text, tokens, questionTerms)
    : hasCount(text, tokens, questionTerms);
}

function hasPersonName(
  index: SearchIndex,
  text: string,
  tokens: readonly Token[],
  asked: Set<string>,
): boolean {
  const raw = (t: Token): string => text.slice(t.start, t.end).toLowerCase();
  // A curated person ("Abu Mahdi al-Muhandis") counts; other curated topics (groups, places) do not.
  const topicTokens = new Uint8Array(tokens.length);
  for (const m of index.matcher.match(tokens)) {
    const definition = index.matcher.definitions[m.topic]!;
    const words = tokens.slice(m.start, m.start + m.length);
    if (definition.kind === 'person' && !words.some((w) => asked.has(w.term))) return true;
    topicTokens.fill(1, m.start, m.start + m.length);
  }
  let run: Token[] = [];
  const flush = (): boolean => {
    const words = run.filter((t) => !CONNECTORS.has(raw(t)));
    const found =
      words.length >= 2 && !run.some((t) => NOT_PERSON.has(raw(t)) || asked.has(t.term) || t.upper);
    run = [];
    return found;
  };
  for (let i = 0; i < tokens.length; i++) {
    const t = tokens[i]!;
    const prev = tokens[i - 1];
    const joined = prev !== undefined && /^[ -]$/.test(text.slice(prev.end, t.start));
    const nameWord =
      (t.capital || (CONNECTORS.has(raw(t)) && tokens[i + 1]?.capital === true)) && topicTokens[i] === 0;
    if (nameWord && (run.length === 0 || joined)) {
      run.push(t);
      continue;
    }
    if (flush()) return true;
    if (nameWord) run.push(t);
  }
  return flush();
}

function hasCount(text: string, tokens: readonly Token[], asked: Set<string>): boolean {
  for (const t of tokens) {
    const word = text.slice(t.start, t.end).toLowerCase();
    if (asked.has(t.term)) continue;
    if (NUMBER_WORDS.has(word)) return true;
    // Years and designators (F-15, K-1) are not counts.
    if (/^\d[\d,.]*$/.test(word) && !/^(?:19|20)\d\d$/.test(word)) return true;
  }
  return /\$\s?\d/.test(text);
}
