import { openEngine } from './src/engine/open.ts';
import { planQuery } from './src/engine/query.ts';
const { engine } = await openEngine({ corpus: '../shared/corpus/articles', topicsFile: 'data/topics.json', synonymsFile: 'data/synonyms.json' });
for (const q of process.argv.slice(2)) {
  const p = planQuery(engine.index, q);
  console.log(q, JSON.stringify({ c: p.concepts.map((c) => `${c.kind}:${c.text}`), u: p.unknown, abs: p.absentNames, corr: p.corrections }));
  const r = await engine.ask(q);
  console.log('  ', r.status, r.reason ?? '', r.bullets.slice(0, 2).map((b) => b.text.slice(0, 120)));
}
console.log(engine.index.vocabulary.get('luanda'), engine.index.vocabulary.get('marlin'));
