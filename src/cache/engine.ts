/**
 * The answer cache in front of an engine: a brief or ask answer is looked up by everything it depends
 * on ({@link AnswerKey}), built once however many identical requests arrive meanwhile (single-flight),
 * and kept. The composition roots (`src/app.ts`, `src/cli.ts`) wrap the engine with it; the engine
 * itself knows nothing of caching.
 */
import type { Engine, QueryOptions } from '../engine/engine.ts';
import type { Briefing } from '../engine/result.ts';
import { SingleFlight } from './single-flight.ts';
import { cacheKey, type ResultCache } from './types.ts';

/** `engine`, with its brief and ask answers kept in `cache`. */
export function cachedEngine(engine: Engine, cache: ResultCache): Engine {
  const flights = new SingleFlight<Briefing>();
  const answer = (kind: 'brief' | 'ask', input: string, options: QueryOptions = {}): Promise<Briefing> => {
    let request: ReturnType<Engine['answerRequest']>;
    try {
      request = engine.answerRequest(kind, input, options);
    } catch (err) {
      return Promise.reject(err);
    }
    const build = () => (kind === 'brief' ? engine.brief(input, options) : engine.ask(input, options));
    const { asked, key } = request;
    if (key === undefined) return build();
    const id = cacheKey(key);
    // `asked` is this request's own wording: a hit built for "KH" answers "kataib-hezbollah" under it.
    return flights
      .run(id, async () => {
        const hit = await cache.get(id);
        if (hit !== undefined) return { ...hit, cached: true };
        const fresh = await build();
        // A fallback from a failing model is not kept: the next asker should get the model's answer.
        if (fresh.generatedBy === engine.generatedBy) await cache.set(id, fresh);
        return fresh;
      })
      .then((b) => (b.query === asked ? b : { ...b, query: asked }));
  };
  return {
    index: engine.index,
    corpusVersion: engine.corpusVersion,
    generatedBy: engine.generatedBy,
    resolveTopic: (input) => engine.resolveTopic(input),
    brief: (input, options) => answer('brief', input, options),
    ask: (input, options) => answer('ask', input, options),
    answerRequest: (kind, input, options) => engine.answerRequest(kind, input, options),
    search: (input, options) => engine.search(input, options),
    suggestTopics: (typed, limit) => engine.suggestTopics(typed, limit),
    coverage: (only, limit) => engine.coverage(only, limit),
    stats: () => engine.stats(),
    topics: () => engine.topics(),
  };
}
