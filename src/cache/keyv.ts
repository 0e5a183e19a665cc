import { Keyv } from 'keyv';
import type { Logger } from 'pino';
import { CallGate } from '../deadline.ts';
import { type Briefing, briefingSchema } from '../engine/result.ts';
import { parseStoreUrl, type StoreBackend } from '../store-url.ts';
import { openSqliteKeyv, SWEEP_INTERVAL_MS } from './sqlite.ts';
import type { ResultCache } from './types.ts';

/** How the answer cache is made. */
export interface CacheOptions {
  /** unset or `memory:` → in-process; `sqlite://<file>` → a SQLite file; `redis://host:port` → Redis. */
  url?: string | undefined;
  /** How long an answer is kept, in ms; default 24 h. */
  ttlMs?: number | undefined;
  /** Key prefix, so several bots can share one Redis; default `briefing`. */
  namespace?: string | undefined;
  /**
   * Longest wait for one cache operation before it counts as a miss, in ms; default 500. Opening the
   * store (loading the Redis client and connecting, opening the SQLite file) is not part of it: it
   * starts when the cache is made and has its own, longer bound ({@link OPEN_GRACE_MS}).
   */
  timeoutMs?: number | undefined;
  logger?: Logger | undefined;
  /** SQLite only: how often expired answers are deleted from the file, in ms; default 10 minutes. */
  sweepIntervalMs?: number | undefined;
}

/** What the cache has done since start, for `/status`. */
export interface CacheStats {
  backend: StoreBackend;
  hits: number;
  misses: number;
  /** Failed or timed-out operations and invalid stored values; each one was served as a miss. */
  errors: number;
  /** hits / (hits + misses), 0 before the first lookup. */
  hitRate: number;
  /** Latency of the last (up to 1000) hits, in ms. */
  hitLatencyMs: { p50: number; p95: number };
}

export const DEFAULT_CACHE_TTL_MS = 24 * 60 * 60 * 1000;
const DEFAULT_TIMEOUT_MS = 500;
/**
 * How much longer than `timeoutMs` an operation may wait while the store is still opening. On a loaded
 * machine loading the Redis client and connecting took about 1 s, and with it inside the 500 ms the
 * first lookups after start were all misses.
 */
export const OPEN_GRACE_MS = 10_000;
const LATENCY_WINDOW = 1000;
/**
 * Calls at a SQLite cache file at once (the sweep included). Each holds one of libuv's four pool
 * threads for as long as the disk holds it; with the state store's two, one thread stays free for
 * file reads and the DNS lookups of Discord's address however long a stalled disk lasts. Calls beyond
 * it wait their turn within their deadline, and a lookup that waits too long is a miss.
 */
const SQLITE_CALLS_AT_ONCE = 1;
/** Longest a sweep of expired answers may take before it is reported as failed. */
const SWEEP_DEADLINE_MS = 60_000;
const noop = () => {};

/**
 * Opens the answer cache named by `options.url`. The store is never trusted: every value read back is
 * validated against the briefing schema, and a failing, slow or corrupt store is a miss, never an error.
 */
export function openResultCache(options: CacheOptions = {}): KeyvResultCache {
  const { backend, target } = parseStoreUrl(options.url, 'CACHE_URL');
  const namespace = options.namespace ?? 'briefing';
  let keyv: Keyv;
  if (backend === 'sqlite') {
    const opening = openSqliteKeyv(target, namespace, options.logger);
    const cache = new KeyvResultCache(
      opening.then(({ keyv: k }) => {
        k.throwOnErrors = true;
        return k;
      }),
      backend,
      options,
    );
    void opening.then(
      (sqlite) => cache.sweepEvery(options.sweepIntervalMs ?? SWEEP_INTERVAL_MS, sqlite.sweepExpired),
      () => {},
    );
    return cache;
  } else if (backend === 'redis') {
    // Loaded only when used: importing the Redis client slows every other part of the process (an index
    // build takes ~1.8× as long once it is loaded; see the README's benchmark notes).
    const opening = import('@keyv/redis').then(({ default: KeyvRedis }) => {
      const store = new KeyvRedis(
        {
          url: target,
          // Without this, commands sent while Redis is down queue until it comes back, and the user waits.
          disableOfflineQueue: true,
          socket: {
            connectTimeout: 1000,
            reconnectStrategy: (attempt: number) => Math.min(100 * 2 ** attempt, 5000),
          },
        },
        { throwOnConnectError: true, throwOnErrors: true, connectionTimeout: 1000 },
      );
      const redis = new Keyv({ store, namespace, useKeyPrefix: false });
      store.namespace = namespace;
      redis.throwOnErrors = true;
      return store.getClient().then(
        () => redis,
        (err: unknown) => {
          // Not fatal: each lookup is a miss, and the next one tries to connect again.
          options.logger?.warn({ err, backend }, 'the Redis answer cache is not reachable yet');
          return redis;
        },
      );
    });
    return new KeyvResultCache(opening, backend, options);
  } else {
    keyv = new Keyv({ namespace });
  }
  keyv.throwOnErrors = true;
  return new KeyvResultCache(keyv, backend, options);
}

/** The {@link ResultCache} over Keyv: counts hits, misses and errors, and turns every failure into a miss. */
export class KeyvResultCache implements ResultCache {
  private hits = 0;
  private misses = 0;
  private errors = 0;
  private readonly latencies: number[] = [];
  private readonly ttlMs: number;
  private readonly timeoutMs: number;
  private readonly logger: Logger | undefined;

  private readonly keyv: Promise<Keyv>;
  private opened = false;
  private readonly gate: CallGate;

  constructor(
    keyv: Keyv | Promise<Keyv>,
    readonly backend: StoreBackend,
    options: CacheOptions,
  ) {
    this.ttlMs = options.ttlMs ?? DEFAULT_CACHE_TTL_MS;
    this.timeoutMs = options.timeoutMs ?? DEFAULT_TIMEOUT_MS;
    this.logger = options.logger;
    this.gate = new CallGate(backend === 'sqlite' ? SQLITE_CALLS_AT_ONCE : Number.POSITIVE_INFINITY);
    this.keyv = Promise.resolve(keyv).then((k) => {
      // Keyv also reports failures as events; an 'error' event with no listener would crash the process.
      k.on('error', (err: unknown) => this.logger?.debug({ err, backend }, 'cache store reported an error'));
      this.opened = true;
      return k;
    });
    // A store that cannot open at all: every operation is then a logged miss (the bot runs uncached).
    this.keyv.catch((err: unknown) => {
      this.opened = true;
      this.logger?.error({ err, backend }, 'the answer cache could not be opened; running without it');
    });
  }

  /**
   * Settles once the store is open (or has failed to open), or after {@link OPEN_GRACE_MS} (a store
   * still opening then keeps opening, and lookups meanwhile are misses); the bot awaits it before
   * logging in.
   */
  async ready(): Promise<void> {
    let timer: NodeJS.Timeout | undefined;
    const gaveUp = new Promise<void>((resolve) => {
      timer = setTimeout(resolve, OPEN_GRACE_MS);
    });
    await Promise.race([this.keyv.then(noop, noop), gaveUp]);
    clearTimeout(timer);
  }

  private sweeper: NodeJS.Timeout | undefined;
  private closed = false;

  /** Runs `sweep` now and every `intervalMs` until closed; a failing sweep is logged and tried again later. */
  sweepEvery(intervalMs: number, sweep: () => Promise<number>): void {
    if (this.closed) return;
    const run = () =>
      this.gate
        .run(
          sweep,
          SWEEP_DEADLINE_MS,
          () => new Error(`cache sweep took longer than ${SWEEP_DEADLINE_MS} ms`),
        )
        .then(
          (deleted) => {
            if (deleted > 0)
              this.logger?.debug({ deleted, backend: this.backend }, 'expired answers deleted');
          },
          (err: unknown) => this.logger?.warn({ err, backend: this.backend }, 'cache sweep failed'),
        );
    this.sweeping = run();
    this.sweeper = setInterval(() => {
      this.sweeping = run();
    }, intervalMs);
    this.sweeper.unref();
  }

  /** The sweep in progress or last finished (tests wait for it). */
  sweeping: Promise<void> = Promise.resolve();

  async get(key: string): Promise<Briefing | undefined> {
    const started = performance.now();
    let raw: unknown;
    try {
      raw = await this.bounded((k) => k.get(key), 'get');
    } catch (err) {
      this.fail('get', err);
      return undefined;
    }
    if (raw === undefined || raw === null) {
      this.misses++;
      return undefined;
    }
    const parsed = briefingSchema.safeParse(raw);
    if (!parsed.success) {
      // A value from an older release or a damaged store: never serve it, and make room for a good one.
      this.fail('get', new Error(`stored value is not a briefing: ${parsed.error.issues[0]?.message ?? ''}`));
      await this.delete(key);
      return undefined;
    }
    this.hits++;
    this.latencies.push(performance.now() - started);
    if (this.latencies.length > LATENCY_WINDOW) this.latencies.shift();
    return parsed.data;
  }

  async set(key: string, value: Briefing): Promise<void> {
    try {
      await this.bounded((k) => k.set(key, value, this.ttlMs), 'set');
    } catch (err) {
      this.errors++;
      this.logger?.warn({ err, backend: this.backend }, 'cache set failed; the answer was not stored');
    }
  }

  /** Removes one entry; a failure is logged and ignored. */
  async delete(key: string): Promise<void> {
    try {
      await this.bounded((k) => k.delete(key), 'delete');
    } catch (err) {
      this.logger?.warn({ err, backend: this.backend }, 'cache delete failed');
    }
  }

  stats(): CacheStats {
    const sorted = [...this.latencies].sort((a, b) => a - b);
    const at = (q: number) => sorted[Math.min(sorted.length - 1, Math.floor(q * sorted.length))] ?? 0;
    const lookups = this.hits + this.misses;
    return {
      backend: this.backend,
      hits: this.hits,
      misses: this.misses,
      errors: this.errors,
      hitRate: lookups === 0 ? 0 : this.hits / lookups,
      hitLatencyMs: { p50: at(0.5), p95: at(0.95) },
    };
  }

  /** Closes the connection or file; the cache must not be used afterwards. */
  async close(): Promise<void> {
    this.closed = true;
    clearInterval(this.sweeper);
    await this.sweeping;
    try {
      await (await this.keyv).disconnect();
    } catch (err) {
      this.logger?.warn({ err, backend: this.backend }, 'cache did not close cleanly');
    }
  }

  private fail(op: string, err: unknown): void {
    this.errors++;
    this.misses++;
    this.logger?.warn({ err, backend: this.backend, op }, 'cache lookup failed; treated as a miss');
  }

  /**
   * A store that does not answer in time is a failure: the user is not kept waiting on the cache. The
   * wait for a place at a SQLite file counts against the same deadline.
   */
  private bounded<T>(call: (keyv: Keyv) => Promise<T>, op: string): Promise<T> {
    const limitMs = this.opened ? this.timeoutMs : this.timeoutMs + OPEN_GRACE_MS;
    return this.gate.run(
      () => this.keyv.then(call),
      limitMs,
      () => new Error(`cache ${op} took longer than ${limitMs} ms`),
    );
  }
}
