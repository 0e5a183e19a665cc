/**
 * Cache figures for `npm run bench`: hit latency per backend (memory, a SQLite file, a real Redis when
 * redis-server is on the PATH) and the speed-up of a hit over a miss for `brief`, on one corpus.
 */
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { cachedEngine } from '../src/cache/engine.ts';
import { openResultCache } from '../src/cache/keyv.ts';
import { openEngine } from '../src/engine/open.ts';
import { redisAvailable, startRedis } from '../tests/helpers/redis.ts';

export interface CacheRow {
  backend: string;
  /** `brief` answered from the cache, ms. */
  hit: { p50: number; p95: number };
  /** `brief` computed and stored, ms. */
  miss: { p50: number; p95: number };
  /** Median miss / median hit. */
  speedup: number;
}

const TOPICS = fileURLToPath(new URL('../data/topics.json', import.meta.url));

function pct(xs: number[]): { p50: number; p95: number } {
  const s = [...xs].sort((a, b) => a - b);
  const at = (q: number) => Math.round(s[Math.min(s.length - 1, Math.floor(q * s.length))]! * 1000) / 1000;
  return { p50: at(0.5), p95: at(0.95) };
}

export async function measureCache(corpus: string, topicCount = 100): Promise<CacheRow[]> {
  const dir = await mkdtemp(path.join(tmpdir(), 'bench-cache-'));
  const redis = redisAvailable() ? await startRedis() : undefined;
  if (redis === undefined) console.error('(redis-server not on the PATH: Redis cache figures skipped)');
  const urls: [string, string | undefined][] = [
    ['memory', undefined],
    ['sqlite', `sqlite://${path.join(dir, 'bench.sqlite')}`],
    ...(redis ? ([['redis', redis.url]] as [string, string][]) : []),
  ];
  const rows: CacheRow[] = [];
  try {
    for (const [backend, url] of urls) {
      const cache = openResultCache({ url, namespace: `bench-${Date.now()}` });
      const opened = await openEngine({ corpus, topicsFile: TOPICS });
      const engine = cachedEngine(opened.engine, cache);
      const slugs = engine
        .topics()
        .topics.filter((t) => t.articles > 0)
        .slice(0, topicCount)
        .map((t) => t.slug);
      await engine.brief(slugs[0]!); // warm up the JIT and the connection
      const miss: number[] = [];
      const hit: number[] = [];
      for (const slug of slugs.slice(1)) {
        let t = performance.now();
        await engine.brief(slug);
        miss.push(performance.now() - t);
        t = performance.now();
        const again = await engine.brief(slug);
        hit.push(performance.now() - t);
        if (!again.cached) throw new Error(`${backend}: the second brief of ${slug} was not a hit`);
      }
      await cache.close();
      const row = { backend, hit: pct(hit), miss: pct(miss), speedup: 0 };
      row.speedup = Math.round((row.miss.p50 / Math.max(row.hit.p50, 1e-3)) * 10) / 10;
      rows.push(row);
    }
  } finally {
    await redis?.dispose();
    await rm(dir, { recursive: true, force: true });
  }
  return rows;
}
