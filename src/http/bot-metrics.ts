/** The bot's Prometheus series (`briefing_…`): what is counted as it happens, and what is read at scrape time. */
import { monitorEventLoopDelay } from 'node:perf_hooks';
import type { CacheStats } from '../cache/keyv.ts';
import { Counter, Gauge, Histogram, Registry } from './metrics.ts';
import type { ShardHealth } from './server.ts';

export interface BotMetrics {
  registry: Registry;
  /** `briefing_interactions_total{command,outcome}`. */
  interactions: Counter;
  /** `briefing_interaction_duration_seconds{command}`: from receipt to the final answer. */
  latency: Histogram;
  /** `briefing_first_response_seconds{command}`: from receipt to the first callback (Discord's 3 s). */
  firstResponse: Histogram;
  /** `briefing_model_calls_total{kind,outcome}`: `ok`, or why no answer came (`timeout`, `rejected`, …). */
  modelCalls: Counter;
  /** `briefing_model_fallbacks_total{kind,reason}`: offline summaries served instead of the model's. */
  modelFallbacks: Counter;
  /** `briefing_reloads_total{outcome,origin}`: origin `here` or `notice` (another process reloaded). */
  reloads: Counter;
  /** `briefing_daily_posts_total{outcome}`: `sent` or `failed` (gave up for the day). */
  dailyPosts: Counter;
  close(): void;
}

/** The sampling timer's period; each sample includes it, so it is taken off the reported lag. */
const LOOP_RESOLUTION_MS = 20;
const lagSeconds = (ns: number) =>
  Number.isFinite(ns) ? Math.max(0, ns / 1e9 - LOOP_RESOLUTION_MS / 1000) : 0;

/** Seconds: Discord wants a first response within 3 s; answers with a model can take 20. */
const LATENCY_BUCKETS = [0.05, 0.1, 0.25, 0.5, 1, 2, 3, 5, 10, 20, 30];

export function botMetrics(sources: {
  cache: () => CacheStats;
  corpus: () => { version: string; articles: number };
  shards: () => ShardHealth[] | undefined;
}): BotMetrics {
  const registry = new Registry();
  const loop = monitorEventLoopDelay({ resolution: LOOP_RESOLUTION_MS });
  loop.enable();
  const metrics: BotMetrics = {
    registry,
    interactions: registry.add(
      new Counter('briefing_interactions_total', 'Commands and buttons handled, by command and outcome.'),
    ),
    latency: registry.add(
      new Histogram(
        'briefing_interaction_duration_seconds',
        'Time from receiving a command or button to its final answer.',
        LATENCY_BUCKETS,
      ),
    ),
    firstResponse: registry.add(
      new Histogram(
        'briefing_first_response_seconds',
        'Time from receiving a command or button to its first callback (a reply or a deferral).',
        LATENCY_BUCKETS,
      ),
    ),
    modelCalls: registry.add(
      new Counter('briefing_model_calls_total', 'Model (LLM) calls, by kind and outcome.'),
    ),
    modelFallbacks: registry.add(
      new Counter(
        'briefing_model_fallbacks_total',
        'Answers served by the offline summary instead of the model, by kind and reason.',
      ),
    ),
    reloads: registry.add(new Counter('briefing_reloads_total', 'Corpus reloads, by outcome and origin.')),
    dailyPosts: registry.add(new Counter('briefing_daily_posts_total', 'Daily posts, by outcome.')),
    close: () => loop.disable(),
  };
  registry.add(
    new Gauge(
      'briefing_cache_hits_total',
      'Answer-cache hits.',
      () => [{ value: sources.cache().hits }],
      'counter',
    ),
  );
  registry.add(
    new Gauge(
      'briefing_cache_misses_total',
      'Answer-cache misses (errors included).',
      () => [{ value: sources.cache().misses }],
      'counter',
    ),
  );
  registry.add(
    new Gauge(
      'briefing_cache_errors_total',
      'Answer-cache operations that failed or timed out.',
      () => [{ value: sources.cache().errors }],
      'counter',
    ),
  );
  registry.add(
    new Gauge(
      'briefing_cache_hit_ratio',
      'Answer-cache hits / lookups since start (0 before the first).',
      () => [{ value: sources.cache().hitRate }],
    ),
  );
  registry.add(
    new Gauge('briefing_corpus_articles', 'Articles in the corpus in service.', () => [
      { value: sources.corpus().articles },
    ]),
  );
  registry.add(
    new Gauge('briefing_corpus_info', 'The corpus version in service (the label); always 1.', () => [
      { labels: { version: sources.corpus().version }, value: 1 },
    ]),
  );
  registry.add(
    new Gauge('briefing_shard_up', 'Whether each shard of this process is ready (1) or not (0).', () =>
      (sources.shards() ?? []).map((s) => ({ labels: { shard: String(s.id) }, value: s.ready ? 1 : 0 })),
    ),
  );
  registry.add(
    new Gauge('briefing_shard_latency_seconds', 'Gateway heartbeat round trip of each shard.', () =>
      (sources.shards() ?? [])
        .filter((s) => s.pingMs >= 0)
        .map((s) => ({ labels: { shard: String(s.id) }, value: s.pingMs / 1000 })),
    ),
  );
  registry.add(
    new Gauge('briefing_event_loop_lag_seconds', 'Event-loop delay: p99 and mean since start.', () => [
      { labels: { quantile: '0.99' }, value: lagSeconds(loop.percentile(99)) },
      { labels: { quantile: 'mean' }, value: lagSeconds(loop.mean) },
    ]),
  );
  registry.add(
    new Gauge('briefing_heap_used_bytes', 'V8 heap in use.', () => [
      { value: process.memoryUsage().heapUsed },
    ]),
  );
  registry.add(
    new Gauge('briefing_resident_memory_bytes', 'Resident set size of the process.', () => [
      { value: process.memoryUsage().rss },
    ]),
  );
  return metrics;
}
