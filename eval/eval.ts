/**
 * `npm run eval`: runs ../shared/eval/dev.jsonl (or --set FILE) against ../shared/corpus/articles and
 * prints the metrics of ../shared/eval/README.md. Each item runs through the engine exactly as
 * `brief --json` / `ask --json` would, in one process so the index is built once.
 */
import { readFile } from 'node:fs/promises';
import path from 'node:path';
import { parseArgs } from 'node:util';
import { parseLlmConfig } from '../src/config.ts';
import type { AbstractiveWriter } from '../src/engine/engine.ts';
import { openEngine } from '../src/engine/open.ts';
import type { Briefing } from '../src/engine/result.ts';
import { loadPrompts } from '../src/engine/summarize/llm/prompts.ts';
import { createWriter, writerFromConfig } from '../src/engine/summarize/llm/writer.ts';
import { FakeOpenAI } from '../tests/helpers/fake-openai.ts';
import { type BulletLabel, render, simulate } from './simulated-model.ts';

const { values } = parseArgs({
  options: {
    set: { type: 'string', default: '../shared/eval/dev.jsonl' },
    corpus: { type: 'string', default: '../shared/corpus/articles' },
    topics: { type: 'string', default: 'data/topics.json' },
    synonyms: { type: 'string', default: 'data/synonyms.json' },
    json: { type: 'boolean', default: false },
    verbose: { type: 'boolean', short: 'v', default: false },
    /** Abstractive answers from the simulated model (eval/simulated-model.ts) on a loopback server. */
    'llm-sim': { type: 'boolean', default: false },
    /** Abstractive answers from the endpoint the OPENAI_* settings name. */
    llm: { type: 'boolean', default: false },
  },
});

interface Item {
  id: string;
  kind: 'ask' | 'brief';
  category?: string;
  query: string;
  relevant: string[];
  /** Relevant documents that carry the newest state (current items and briefs). */
  recent?: string[];
  key_facts: string[];
  expect?: string;
}

const items: Item[] = (
  await readFile(values.set, 'utf8').catch(() => {
    console.error(
      `cannot read ${values.set}: the evaluation set lives in ../shared/eval (clone shared/ beside the project)`,
    );
    process.exit(2);
  })
)
  .split('\n')
  .filter((l) => l.trim() !== '')
  .map((l) => JSON.parse(l) as Item);

/** What the model wrote and what verification kept, by bullet label (simulated) or all as one. */
const labels = new Map<string, { label: BulletLabel; truth: number[] }>();
const bulletKey = (t: string) =>
  t
    .replace(/\s*\[\d+\]/g, '')
    .replace(/^[-*•]\s*/, '')
    .replace(/\s+/g, ' ')
    .trim();
const llmStats = {
  answers: 0,
  fallbacks: new Map<string, number>(),
  byLabel: new Map<string, { written: number; kept: number; keptRightSource: number }>(),
};
/** `rightSource`: every kept citation is a passage the bullet was written from (known for simulated bullets). */
const count = (label: string, kept: boolean, rightSource?: boolean) => {
  const entry = llmStats.byLabel.get(label) ?? { written: 0, kept: 0, keptRightSource: 0 };
  entry.written++;
  if (kept) entry.kept++;
  if (kept && rightSource) entry.keptRightSource++;
  llmStats.byLabel.set(label, entry);
};

let model: FakeOpenAI | undefined;
let inner: AbstractiveWriter | undefined;
if (values['llm-sim']) {
  model = await FakeOpenAI.start();
  model.fallback = (request) => {
    const answer = simulate(request);
    for (const b of answer.bullets) labels.set(bulletKey(b.text), { label: b.label, truth: b.truth });
    return { content: render(answer) };
  };
  inner = createWriter(
    {
      apiKey: 'simulated',
      baseURL: model.baseURL,
      model: 'simulated',
      timeoutMs: 20_000,
      maxConcurrency: 4,
      contextTokens: 8192,
      keepUnsupported: false,
    },
    await loadPrompts('prompts', ['brief', 'ask']),
  );
} else if (values.llm) {
  inner = await writerFromConfig(parseLlmConfig(process.env));
  if (inner === undefined) {
    console.error('--llm needs OPENAI_API_KEY (and OPENAI_BASE_URL, OPENAI_MODEL for other servers)');
    process.exit(2);
  }
}
const writer: AbstractiveWriter | undefined = inner && {
  label: inner.label,
  promptRef: (kind) => inner.promptRef(kind),
  async write(kind, query, passages) {
    const outcome = await inner.write(kind, query, passages);
    if (!outcome.ok) return outcome;
    for (const b of outcome.verdict.kept) {
      const known = labels.get(bulletKey(b.text));
      count(known?.label ?? 'model', true, known && b.citations.every((c) => known.truth.includes(c)));
    }
    for (const b of outcome.verdict.dropped) count(labels.get(bulletKey(b.text))?.label ?? 'model', false);
    return outcome;
  },
};

const { engine, corpus } = await openEngine({
  corpus: values.corpus,
  topicsFile: values.topics,
  synonymsFile: values.synonyms,
  ...(writer ? { writer } : {}),
});
const fold = (s: string): string =>
  s
    .replace(/[\u2018\u2019`]/g, "'")
    .replace(/[\u201C\u201D]/g, '"')
    .replace(/\s+/g, ' ')
    .trim()
    .toLowerCase();
const articleText = new Map(corpus.articles.map((a) => [a.id, fold(`${a.title}\n${a.text}`)]));
const reporterText = new Map(corpus.articles.map((a) => [a.id, reporterTurns(a.text).map(fold)]));

/**
 * The reporters' turns of a press-briefing transcript as ../shared/eval/README.md defines them: a paragraph
 * opening with `Q`, up to the next paragraph opening with a `NAME:` in capitals. Computed here from the
 * raw text on purpose, independently of the engine's own reader.
 */
function reporterTurns(text: string): string[] {
  const turns: string[] = [];
  let open: string[] | undefined;
  for (const paragraph of text.split(/\n\s*\n/)) {
    const p = paragraph.trim();
    if (/^Q(\s|:|\.)/.test(p)) {
      if (open) turns.push(open.join('\n\n'));
      open = [p];
    } else if (/^(?:[A-Z][A-Z.'’-]*\s){0,5}[A-Z][A-Z.'’-]+:/.test(p)) {
      if (open) turns.push(open.join('\n\n'));
      open = undefined;
    } else if (open) open.push(p);
  }
  if (open) turns.push(open.join('\n\n'));
  return turns;
}
/** Whether `text` (folded) lies inside one of the article's reporter turns. */
const fromReporter = (articleId: string, text: string): boolean => {
  const t = fold(text).replace(/\s*\[\d+\]/g, '');
  return t.length > 0 && (reporterText.get(articleId) ?? []).some((turn) => turn.includes(t));
};

interface Row {
  id: string;
  kind: string;
  category: string;
  /** Whether the item lists `recent` documents, and whether one of them was cited. */
  hasRecent: boolean;
  recentCited: boolean;
  bullets: number;
  reporterBullets: number;
  longBullets: number;
  answerable: boolean;
  status: string;
  cited: string[];
  rank: number;
  precision: number;
  quotes: number;
  verbatim: number;
  facts: number;
  factsFound: number;
  ms: number;
}
const rows: Row[] = [];
for (const item of items) {
  const started = performance.now();
  const result: Briefing =
    item.kind === 'brief' ? await engine.brief(item.query) : await engine.ask(item.query);
  const ms = performance.now() - started;
  if (writer !== undefined && result.status === 'answered') {
    const fallback = result.generatedBy.match(/^extractive \(fallback from \S+?: (.*)\)$/)?.[1];
    if (fallback === undefined) llmStats.answers++;
    else {
      const why = fallback.replace(/^\d+ bullets/, 'n bullets');
      llmStats.fallbacks.set(why, (llmStats.fallbacks.get(why) ?? 0) + 1);
    }
  }
  const cited: string[] = [];
  for (const s of [...result.sources].sort((a, b) => a.n - b.n))
    if (!cited.includes(s.articleId)) cited.push(s.articleId);
  const relevant = new Set(item.relevant);
  const rankIndex = cited.findIndex((id) => relevant.has(id));
  const top5 = cited.slice(0, 5);
  const bullets = fold(result.bullets.map((b) => b.text).join(' '));
  const sourceOf = new Map(result.sources.map((s) => [s.n, s]));
  const reporterBullets = result.bullets.filter((b) =>
    b.citations.some((n) => {
      const s = sourceOf.get(n);
      return s !== undefined && (fromReporter(s.articleId, b.text) || fromReporter(s.articleId, s.quote));
    }),
  ).length;
  rows.push({
    id: item.id,
    kind: item.kind,
    category: item.category ?? 'uncategorised',
    hasRecent: (item.recent ?? []).length > 0,
    recentCited: (item.recent ?? []).some((id) => cited.includes(id)),
    bullets: result.bullets.length,
    reporterBullets,
    longBullets: result.bullets.filter((b) => b.text.length > 500).length,
    answerable: item.expect !== 'no_sources',
    status: result.status,
    cited,
    rank: rankIndex < 0 ? 0 : rankIndex + 1,
    precision: top5.length === 0 ? 0 : top5.filter((id) => relevant.has(id)).length / top5.length,
    quotes: result.sources.length,
    verbatim: result.sources.filter((s) => articleText.get(s.articleId)?.includes(fold(s.quote))).length,
    facts: item.key_facts.length,
    factsFound: item.key_facts.filter((f) => bullets.includes(fold(f))).length,
    ms,
  });
  if (values.verbose) {
    const mark =
      item.expect === 'no_sources'
        ? result.status === 'no_sources'
          ? 'OK '
          : 'XX '
        : rankIndex >= 0 && rankIndex < 5
          ? 'OK '
          : 'XX ';
    console.log(
      `${mark}${item.id} ${item.kind} ${result.status} rank=${rankIndex + 1} facts=${item.key_facts.filter((f) => bullets.includes(fold(f))).length}/${item.key_facts.length} ${item.query.slice(0, 70)}`,
    );
    if (result.reason) console.log(`     reason: ${result.reason}`);
    console.log(
      `     cited: ${cited
        .slice(0, 6)
        .map((c) => (relevant.has(c) ? `*${c}` : c))
        .join(' ')}`,
    );
  }
}

const mean = (xs: number[]): number => (xs.length === 0 ? 0 : xs.reduce((a, b) => a + b, 0) / xs.length);
const ratio = (rs: Row[], part: (r: Row) => number, whole: (r: Row) => number): number =>
  rs.reduce((a, r) => a + part(r), 0) /
  Math.max(
    1,
    rs.reduce((a, r) => a + whole(r), 0),
  );
const hit5 = (r: Row) => (r.rank >= 1 && r.rank <= 5 ? 1 : 0);
/** Every metric of ../shared/eval/README.md over a set of rows; `undefined` where no row applies. */
function summarise(rs: Row[]) {
  const answerable = rs.filter((r) => r.answerable);
  const unanswerable = rs.filter((r) => !r.answerable);
  const ask = answerable.filter((r) => r.kind === 'ask');
  const brief = answerable.filter((r) => r.kind === 'brief');
  const withRecent = answerable.filter((r) => r.hasRecent);
  const over = <T>(xs: Row[], f: (xs: Row[]) => T): T | undefined => (xs.length === 0 ? undefined : f(xs));
  return {
    items: rs.length,
    recallAt5: over(answerable, (xs) => mean(xs.map(hit5))),
    askRecallAt5: over(ask, (xs) => mean(xs.map(hit5))),
    mrr: over(answerable, (xs) => mean(xs.map((r) => (r.rank === 0 ? 0 : 1 / r.rank)))),
    askMrr: over(ask, (xs) => mean(xs.map((r) => (r.rank === 0 ? 0 : 1 / r.rank)))),
    precision: over(answerable, (xs) => mean(xs.map((r) => r.precision))),
    briefPrecisionAt5: over(brief, (xs) => mean(xs.map((r) => r.precision))),
    recency: over(withRecent, (xs) => mean(xs.map((r) => (r.recentCited ? 1 : 0)))),
    briefRecency: over(
      withRecent.filter((r) => r.kind === 'brief'),
      (xs) => mean(xs.map((r) => (r.recentCited ? 1 : 0))),
    ),
    verbatim: over(
      rs.filter((r) => r.quotes > 0),
      (xs) =>
        ratio(
          xs,
          (r) => r.verbatim,
          (r) => r.quotes,
        ),
    ),
    abstention: over(unanswerable, (xs) => mean(xs.map((r) => (r.status === 'no_sources' ? 1 : 0)))),
    falseAbstention: over(answerable, (xs) => mean(xs.map((r) => (r.status === 'no_sources' ? 1 : 0)))),
    keyFactCoverage: over(answerable, (xs) =>
      ratio(
        xs,
        (r) => r.factsFound,
        (r) => r.facts,
      ),
    ),
    reporterBullets: rs.reduce((a, r) => a + r.reporterBullets, 0),
    longBullets: rs.reduce((a, r) => a + r.longBullets, 0),
    bullets: rs.reduce((a, r) => a + r.bullets, 0),
    medianMs: [...rs.map((r) => r.ms)].sort((a, b) => a - b)[Math.floor(rs.length / 2)] ?? 0,
  };
}
const metrics = summarise(rows);
const categories = [...new Set(rows.map((r) => r.category))];
const byCategory = Object.fromEntries(
  categories.map((c) => [c, summarise(rows.filter((r) => r.category === c))]),
);
const answerable = rows.filter((r) => r.answerable);
const unanswerable = rows.filter((r) => !r.answerable);
const ask = answerable.filter((r) => r.kind === 'ask');
const brief = answerable.filter((r) => r.kind === 'brief');
const written = [...llmStats.byLabel.values()].reduce((a, e) => a + e.written, 0);
const kept = [...llmStats.byLabel.values()].reduce((a, e) => a + e.kept, 0);
const llm =
  writer === undefined
    ? undefined
    : {
        model: writer.label,
        modelAnswers: llmStats.answers,
        fallbacks: Object.fromEntries(llmStats.fallbacks),
        bulletsWritten: written,
        bulletsKept: kept,
        keptShare: written === 0 ? 0 : kept / written,
        byLabel: Object.fromEntries(llmStats.byLabel),
      };
await model?.close();
if (values.json) {
  console.log(JSON.stringify({ set: path.basename(values.set), metrics, byCategory, llm, rows }, null, 2));
} else {
  const f = (x: number | undefined): string => (x === undefined ? '    -' : x.toFixed(3));
  console.log(
    `evaluation: ${path.basename(values.set)}, ${rows.length} items (${ask.length} ask, ${brief.length} brief, ${unanswerable.length} no_sources)`,
  );
  // One row per category, then all; '-' where a metric has no item of its kind in the row.
  const columns: [string, (m: ReturnType<typeof summarise>) => string][] = [
    ['items', (m) => String(m.items).padStart(5)],
    ['R@5', (m) => f(m.recallAt5)],
    ['MRR', (m) => f(m.mrr)],
    ['P@5br', (m) => f(m.briefPrecisionAt5)],
    ['recency', (m) => f(m.recency)],
    ['abstain', (m) => f(m.abstention)],
    ['falseAb', (m) => f(m.falseAbstention)],
    ['verbatim', (m) => f(m.verbatim)],
    ['facts', (m) => f(m.keyFactCoverage)],
    ['reporter', (m) => String(m.reporterBullets).padStart(5)],
    ['>500ch', (m) => String(m.longBullets).padStart(5)],
  ];
  console.log(`  ${'category'.padEnd(11)} ${columns.map(([h]) => h.padStart(8)).join(' ')}`);
  for (const [name, m] of [...Object.entries(byCategory), ['all', metrics] as const])
    console.log(`  ${name.padEnd(11)} ${columns.map(([, c]) => c(m).padStart(8)).join(' ')}`);
  console.log(
    `  ask: recall@5 ${f(metrics.askRecallAt5)}, MRR ${f(metrics.askMrr)}; brief recency ${f(metrics.briefRecency)}; precision ${f(metrics.precision)}`,
  );
  console.log(
    `  bullets ${metrics.bullets}, of them from a reporter's turn ${metrics.reporterBullets}, over 500 characters ${metrics.longBullets}`,
  );
  console.log(`  median latency    ${metrics.medianMs.toFixed(1)} ms per item`);
  if (llm !== undefined) {
    const share = (k: number, n: number) => `${k}/${n} (${n === 0 ? '-' : ((100 * k) / n).toFixed(0)}%)`;
    console.log(
      `  ${llm.model}: ${llm.modelAnswers} answers written by the model, ${rows.filter((r) => r.status === 'answered').length - llm.modelAnswers} fell back`,
    );
    for (const [why, n] of llmStats.fallbacks) console.log(`    fallback ×${n}: ${why}`);
    console.log(`  bullets kept      ${share(kept, written)}`);
    console.log('    (a faulty bullet is handled when dropped, or kept citing the passage it came from)');
    for (const [label, e] of [...llmStats.byLabel].sort()) {
      const faulty = label !== 'model' && !label.startsWith('faithful');
      const wrong = e.kept - e.keptRightSource;
      const outcome = faulty
        ? `handled ${share(e.written - wrong, e.written)}: dropped ${e.written - e.kept}, kept with the right source ${e.keptRightSource}`
        : `kept ${share(e.kept, e.written)}, citing the right source ${share(e.keptRightSource, e.kept)}`;
      console.log(
        `    ${label.padEnd(18)} ${label === 'model' ? `kept ${share(e.kept, e.written)}` : outcome}`,
      );
    }
  }
}
