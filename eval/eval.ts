/**
 * `npm run eval`: runs ../shared/eval/dev.jsonl (or --set FILE) against ../shared/corpus/articles and
 * prints the metrics of ../shared/eval/README.md. Each item runs through the engine exactly as
 * `brief --json` / `ask --json` would, in one process so the index is built once.
 */
import { readFile } from 'node:fs/promises';
import path from 'node:path';
import { parseArgs } from 'node:util';
import { openEngine } from '../src/engine/open.ts';
import type { Briefing } from '../src/engine/result.ts';

const { values } = parseArgs({
  options: {
    set: { type: 'string', default: '../shared/eval/dev.jsonl' },
    corpus: { type: 'string', default: '../shared/corpus/articles' },
    topics: { type: 'string', default: 'data/topics.json' },
    synonyms: { type: 'string', default: 'data/synonyms.json' },
    json: { type: 'boolean', default: false },
    verbose: { type: 'boolean', short: 'v', default: false },
  },
});

interface Item {
  id: string;
  kind: 'ask' | 'brief';
  query: string;
  relevant: string[];
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

const { engine, corpus } = await openEngine({
  corpus: values.corpus,
  topicsFile: values.topics,
  synonymsFile: values.synonyms,
});
const fold = (s: string): string =>
  s
    .replace(/[\u2018\u2019`]/g, "'")
    .replace(/[\u201C\u201D]/g, '"')
    .replace(/\s+/g, ' ')
    .trim()
    .toLowerCase();
const articleText = new Map(corpus.articles.map((a) => [a.id, fold(`${a.title}\n${a.text}`)]));

interface Row {
  id: string;
  kind: string;
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
  const cited: string[] = [];
  for (const s of [...result.sources].sort((a, b) => a.n - b.n))
    if (!cited.includes(s.articleId)) cited.push(s.articleId);
  const relevant = new Set(item.relevant);
  const rankIndex = cited.findIndex((id) => relevant.has(id));
  const top5 = cited.slice(0, 5);
  const bullets = fold(result.bullets.map((b) => b.text).join(' '));
  rows.push({
    id: item.id,
    kind: item.kind,
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
      `${mark}${item.id} ${item.kind} ${result.status} rank=${rankIndex + 1} ${item.query.slice(0, 70)}`,
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
const answerable = rows.filter((r) => r.answerable);
const unanswerable = rows.filter((r) => !r.answerable);
const ask = answerable.filter((r) => r.kind === 'ask');
const brief = answerable.filter((r) => r.kind === 'brief');
const metrics = {
  items: rows.length,
  recallAt5: mean(answerable.map((r) => (r.rank >= 1 && r.rank <= 5 ? 1 : 0))),
  askRecallAt5: mean(ask.map((r) => (r.rank >= 1 && r.rank <= 5 ? 1 : 0))),
  mrr: mean(answerable.map((r) => (r.rank === 0 ? 0 : 1 / r.rank))),
  askMrr: mean(ask.map((r) => (r.rank === 0 ? 0 : 1 / r.rank))),
  precision: mean(answerable.map((r) => r.precision)),
  briefPrecisionAt5: mean(brief.map((r) => r.precision)),
  verbatim:
    rows.reduce((a, r) => a + r.verbatim, 0) /
    Math.max(
      1,
      rows.reduce((a, r) => a + r.quotes, 0),
    ),
  abstention: mean(unanswerable.map((r) => (r.status === 'no_sources' ? 1 : 0))),
  falseAbstention: mean(answerable.map((r) => (r.status === 'no_sources' ? 1 : 0))),
  keyFactCoverage:
    rows.reduce((a, r) => a + r.factsFound, 0) /
    Math.max(
      1,
      rows.reduce((a, r) => a + r.facts, 0),
    ),
  medianMs: [...rows.map((r) => r.ms)].sort((a, b) => a - b)[Math.floor(rows.length / 2)] ?? 0,
};
if (values.json) {
  console.log(JSON.stringify({ set: path.basename(values.set), metrics, rows }, null, 2));
} else {
  const f = (x: number): string => x.toFixed(3);
  console.log(
    `evaluation: ${path.basename(values.set)}, ${rows.length} items (${ask.length} ask, ${brief.length} brief, ${unanswerable.length} no_sources)`,
  );
  console.log(`  recall@5          ${f(metrics.recallAt5)}   (ask ${f(metrics.askRecallAt5)})`);
  console.log(`  MRR               ${f(metrics.mrr)}   (ask ${f(metrics.askMrr)})`);
  console.log(
    `  precision         ${f(metrics.precision)}   (brief precision@5 ${f(metrics.briefPrecisionAt5)})`,
  );
  console.log(`  verbatim quotes   ${f(metrics.verbatim)}`);
  console.log(
    `  abstention        ${f(metrics.abstention)}   (false abstention ${f(metrics.falseAbstention)})`,
  );
  console.log(`  key-fact coverage ${f(metrics.keyFactCoverage)}`);
  console.log(`  median latency    ${metrics.medianMs.toFixed(1)} ms per item`);
}
