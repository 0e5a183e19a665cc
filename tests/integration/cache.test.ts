import { cpSync, mkdtempSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import KeyvSqlite from '@keyv/sqlite';
import { Keyv } from 'keyv';
import pino from 'pino';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { cachedEngine } from '../../src/cache/engine.ts';
import { KeyvResultCache, openResultCache } from '../../src/cache/keyv.ts';
import { cacheKey, type ResultCache } from '../../src/cache/types.ts';
import type { Engine } from '../../src/engine/engine.ts';
import { openEngine } from '../../src/engine/open.ts';
import { ANSWER_VERSION } from '../../src/engine/request.ts';
import type { Briefing } from '../../src/engine/result.ts';
import { parseStoreUrl } from '../../src/store-url.ts';
import { FIXTURE_CORPUS, SYNONYMS, TOPICS } from '../helpers/fixtures.ts';
import { type RedisServer, shouldRunRedisTests, startRedis } from '../helpers/redis.ts';

const NOW = new Date('2024-12-31T12:00:00Z');

async function engineOver(corpus: string, cache?: ResultCache): Promise<Engine> {
  const opened = await openEngine({
    corpus,
    topicsFile: TOPICS,
    synonymsFile: SYNONYMS,
    now: () => NOW,
  });
  return cache ? cachedEngine(opened.engine, cache) : opened.engine;
}

/** Counts what reaches the store, to see how often the engine really computed an answer. */
class CountingCache implements ResultCache {
  sets = 0;
  constructor(private readonly inner: ResultCache) {}
  get(key: string) {
    return this.inner.get(key);
  }
  set(key: string, value: Briefing) {
    this.sets++;
    return this.inner.set(key, value);
  }
}

let scratch: string;
let sample: Briefing;

beforeAll(async () => {
  scratch = mkdtempSync(path.join(tmpdir(), 'cache-test-'));
  sample = await (await engineOver(FIXTURE_CORPUS)).brief('kataib-hezbollah');
});
afterAll(() => rmSync(scratch, { recursive: true, force: true }));

describe('CACHE_URL', () => {
  it('names the backend, and a bad value says what to write instead', () => {
    expect(parseStoreUrl(undefined, 'CACHE_URL').backend).toBe('memory');
    expect(parseStoreUrl('', 'CACHE_URL').backend).toBe('memory');
    expect(parseStoreUrl('sqlite://data/cache.sqlite', 'CACHE_URL')).toEqual({
      backend: 'sqlite',
      target: 'data/cache.sqlite',
    });
    expect(parseStoreUrl('redis://127.0.0.1:6379', 'CACHE_URL').backend).toBe('redis');
    expect(() => parseStoreUrl('mysql://x', 'CACHE_URL')).toThrow(/sqlite:\/\/<file>, redis:\/\/host:port/);
    expect(() => parseStoreUrl('sqlite://', 'CACHE_URL')).toThrow(/needs a file path/);
    expect(() => parseStoreUrl('ftp://x', 'STATE_URL')).toThrow(/^STATE_URL "ftp:\/\/x": use sqlite/);
  });
});

/** The behaviour every backend must show, run against each real store. */
function backendContract(name: string, open: () => Promise<KeyvResultCache> | KeyvResultCache) {
  describe(`${name} cache`, () => {
    let cache: KeyvResultCache;
    beforeAll(async () => {
      cache = await open();
    });
    afterAll(() => cache.close());

    it('returns what was stored, validated, and counts hits and misses', async () => {
      const before = cache.stats();
      expect(await cache.get(`${name}-absent`)).toBeUndefined();
      await cache.set(`${name}-sample`, sample);
      expect(await cache.get(`${name}-sample`)).toEqual(sample);
      const after = cache.stats();
      expect(after.backend).toBe(name);
      expect(after.hits - before.hits).toBe(1);
      expect(after.misses - before.misses).toBe(1);
      expect(after.hitLatencyMs.p50).toBeGreaterThanOrEqual(0);
    });

    it('answers through the engine once, then from the store with cached: true', async () => {
      const counting = new CountingCache(cache);
      const engine = await engineOver(FIXTURE_CORPUS, counting);
      const first = await engine.ask('Who leads Kataib Hezbollah?');
      const second = await engine.ask('  who leads KATAIB hezbollah? ');
      expect(first.cached).toBe(false);
      expect(second.cached).toBe(true);
      expect(second.generatedAt).toBe(first.generatedAt);
      expect(second.bullets).toEqual(first.bullets);
      expect(counting.sets).toBe(1);
    });
  });
}

backendContract('memory', () => openResultCache({}));
backendContract('sqlite', () =>
  openResultCache({ url: `sqlite://${path.join(scratch, 'contract.sqlite')}` }),
);

describe('the engine with a cache', () => {
  it('shares one entry between a topic slug and its alias, answering under the wording asked', async () => {
    const counting = new CountingCache(openResultCache({}));
    const engine = await engineOver(FIXTURE_CORPUS, counting);
    const bySlug = await engine.brief('kataib-hezbollah');
    const byAlias = await engine.brief('KH');
    expect(byAlias.cached).toBe(true);
    expect(byAlias.query).toBe('KH');
    expect(byAlias.bullets).toEqual(bySlug.bullets);
    expect(counting.sets).toBe(1);
  });

  it('computes concurrent identical requests once (single-flight)', async () => {
    const counting = new CountingCache(openResultCache({}));
    const engine = await engineOver(FIXTURE_CORPUS, counting);
    const answers = await Promise.all(Array.from({ length: 8 }, () => engine.brief('houthis')));
    expect(counting.sets).toBe(1);
    expect(new Set(answers.map((a) => a.generatedAt)).size).toBe(1);
  });

  it('keys relative dates by the day they resolve to', async () => {
    const counting = new CountingCache(openResultCache({}));
    const engine = await engineOver(FIXTURE_CORPUS, counting);
    const relative = await engine.brief('kataib-hezbollah', { since: '1y' });
    const absolute = await engine.brief('kataib-hezbollah', { since: '2023-12-31' });
    expect(relative.cached).toBe(false);
    expect(absolute.cached).toBe(true);
  });

  it('never serves an answer made by an older answer policy: its version is part of the key', () => {
    const parts = {
      kind: 'brief' as const,
      query: 'houthis',
      limit: 6,
      corpusVersion: 'c',
      generatedBy: 'extractive',
      answerVersion: ANSWER_VERSION,
    };
    expect(cacheKey(parts)).toBe(cacheKey({ ...parts }));
    expect(cacheKey({ ...parts, answerVersion: ANSWER_VERSION - 1 })).not.toBe(cacheKey(parts));
  });

  it('never serves an answer built on an older corpus: an edited article changes the key', async () => {
    const file = path.join(scratch, 'versions.sqlite');
    const corpus = path.join(scratch, 'corpus');
    cpSync(FIXTURE_CORPUS, corpus, { recursive: true });
    const cacheA = openResultCache({ url: `sqlite://${file}` });
    const before = await (await engineOver(corpus, cacheA)).brief('houthis');
    await cacheA.close();
    writeFileSync(
      path.join(corpus, 'added.txt'),
      'date 2024-12-30 The Houthis fired two missiles at a tanker in the Red Sea on Monday, officials said.\n',
    );
    const cacheB = openResultCache({ url: `sqlite://${file}` });
    const engine = await engineOver(corpus, cacheB);
    expect(engine.corpusVersion).not.toBe(before.corpusVersion);
    const after = await engine.brief('houthis');
    expect(after.cached).toBe(false);
    expect(after.corpusVersion).toBe(engine.corpusVersion);
    // The same corpus again, through a fresh connection to the same file: now it is a hit.
    const again = await (await engineOver(corpus, cacheB)).brief('houthis');
    expect(again.cached).toBe(true);
    await cacheB.close();
  });
});

describe('a damaged or expired entry', () => {
  it('is a miss when the stored value is not a briefing, and is deleted', async () => {
    const keyv = new Keyv({ namespace: 'briefing' });
    const cache = new KeyvResultCache(keyv, 'memory', {});
    await keyv.set('k', { kind: 'brief', bullets: 'not a list' });
    expect(await cache.get('k')).toBeUndefined();
    expect(await keyv.get('k')).toBeUndefined();
    expect(cache.stats().errors).toBe(1);
  });

  it('is a miss in SQLite when another writer left garbage under the key', async () => {
    const file = path.join(scratch, 'garbage.sqlite');
    const cache = openResultCache({ url: `sqlite://${file}` });
    await cache.set('k', sample);
    const raw = new Keyv({ store: new KeyvSqlite({ uri: `sqlite://${file}` }), namespace: 'briefing' });
    await raw.set('k', { generatedBy: 42 });
    expect(await cache.get('k')).toBeUndefined();
    expect(cache.stats().errors).toBe(1);
    await raw.disconnect();
    await cache.close();
  });

  it('is deleted from the SQLite file once expired, even if never read again', async () => {
    const file = path.join(scratch, 'expiring.sqlite');
    const cache = openResultCache({ url: `sqlite://${file}`, ttlMs: 1, sweepIntervalMs: 20 });
    for (let i = 0; i < 300; i++) await cache.set(`k${i}`, sample);
    const rows = async () => {
      const db = new Keyv({ store: new KeyvSqlite({ uri: `sqlite://${file}` }) });
      const store = db.store as KeyvSqlite;
      const [row] = (await store.query('SELECT count(*) AS n FROM keyv')) as { n: number }[];
      await db.disconnect();
      return row!.n;
    };
    // The sweep runs on its own timer; wait for it however long the machine takes.
    while ((await rows()) > 0) await new Promise((r) => setTimeout(r, 20));
    expect(await rows()).toBe(0);
    await cache.close();
  });

  it('moves a SQLite file that is not a database aside, and caches in a new one', async () => {
    const dir = mkdtempSync(path.join(scratch, 'corrupt-'));
    const file = path.join(dir, 'answers.sqlite');
    writeFileSync(file, Buffer.alloc(8192, 0x5a));
    const warnings: string[] = [];
    const logger = pino({ level: 'warn' }, { write: (line: string) => void warnings.push(line) });
    const cache = openResultCache({ url: `sqlite://${file}`, logger, timeoutMs: 10_000 });
    await cache.set('k', sample);
    expect(await cache.get('k')).toEqual(sample);
    expect(readdirSync(dir).filter((f) => f.includes('.corrupt-'))).toHaveLength(1);
    expect(warnings.join('')).toMatch(/not a usable SQLite database; moved it aside/);
    await cache.close();
  });

  it('expires after its TTL', async () => {
    const cache = openResultCache({ ttlMs: 30 });
    await cache.set('k', sample);
    expect(await cache.get('k')).toEqual(sample);
    await new Promise((r) => setTimeout(r, 80));
    expect(await cache.get('k')).toBeUndefined();
  });
});

describe.runIf(shouldRunRedisTests())('Redis', () => {
  let redis: RedisServer;
  beforeAll(async () => {
    redis = await startRedis();
  });
  afterAll(() => redis?.dispose());

  backendContract('redis', () => openResultCache({ url: redis.url, namespace: 'contract' }));

  it('shares answers between two bot processes (two connections)', async () => {
    const a = openResultCache({ url: redis.url, namespace: 'shared' });
    const b = openResultCache({ url: redis.url, namespace: 'shared' });
    await a.set('k', sample);
    expect(await b.get('k')).toEqual(sample);
    await Promise.all([a.close(), b.close()]);
  });

  it('starts without Redis (logged, every lookup a miss), and uses it once it is up', async () => {
    await redis.stop();
    const warnings: string[] = [];
    const logger = pino({ level: 'warn' }, { write: (l: string) => void warnings.push(JSON.parse(l).msg) });
    const cache = openResultCache({ url: redis.url, namespace: 'late', logger });
    await cache.ready();
    expect(warnings).toContain('the Redis answer cache is not reachable yet');
    expect(await cache.get('k')).toBeUndefined();
    await redis.start();
    let served: Briefing | undefined;
    for (let attempt = 0; attempt < 50 && served === undefined; attempt++) {
      await cache.set('k', sample);
      served = await cache.get('k');
      if (served === undefined) await new Promise((r) => setTimeout(r, 200));
    }
    expect(served).toEqual(sample);
    await cache.close();
  });

  it('keeps answering when Redis stops mid-test, and uses it again once it is back', async () => {
    const cache = openResultCache({ url: redis.url, namespace: 'outage', timeoutMs: 300 });
    const engine = await engineOver(FIXTURE_CORPUS, cache);
    expect((await engine.brief('houthis')).cached).toBe(false);
    expect((await engine.brief('houthis')).cached).toBe(true);

    await redis.stop();
    const during = await engine.brief('houthis');
    expect(during.status).toBe('answered');
    expect(during.cached).toBe(false);
    expect(cache.stats().errors).toBeGreaterThan(0);

    await redis.start();
    // The client reconnects with backoff; the first answer after that is stored, the next one a hit.
    let served: Briefing | undefined;
    for (let attempt = 0; attempt < 50 && served?.cached !== true; attempt++) {
      await new Promise((r) => setTimeout(r, 200));
      served = await engine.brief('houthis');
    }
    expect(served?.cached).toBe(true);
    await cache.close();
  });
});
