/**
 * The bot's durable state: daily-post settings and records, per-user briefing history, the corpus
 * manifest. Unlike the answer cache it is never a "miss is fine" store, and it needs one operation Keyv
 * does not offer: an atomic claim (set if absent, with expiry), which is what lets two bot processes
 * sharing one store post a daily briefing exactly once. Three backends behind one small interface:
 * in-process (tests, one-off runs), a SQLite file (one host, several processes) and Redis.
 */
import { mkdirSync } from 'node:fs';
import path from 'node:path';
import sqlite3 from 'sqlite3';
import type { z } from 'zod';
import { UserError } from '../errors.ts';
import { parseStoreUrl } from '../store-url.ts';
import { type BoundedOptions, boundedStateStore } from './bounded.ts';
import { connectRedis, type RedisClient, type RedisStart } from './redis-client.ts';
import type { StateStore } from './types.ts';

export type { StateStore } from './types.ts';

/**
 * `STATE_URL`: unset/`memory:`, `sqlite://<file>` or `redis://host:port`, as for the cache. Every call
 * on the store returned has a deadline (see src/state/bounded.ts). `start` says whether to wait for a
 * Redis that cannot be reached yet (default: fail at once).
 */
export async function openStateStore(
  url: string | undefined,
  namespace = 'briefing',
  bounds: BoundedOptions = {},
  start: RedisStart = {},
): Promise<StateStore> {
  const parsed = parseStoreUrl(url, 'STATE_URL');
  const prefix = `${namespace}:state:`;
  if (parsed.backend === 'sqlite') return boundedStateStore(await SqliteState.open(parsed.target), bounds);
  if (parsed.backend === 'redis')
    return boundedStateStore(await RedisState.open(parsed.target, prefix, start), bounds);
  return new MemoryState();
}

function collect<T>(
  rows: Iterable<[string, string | null | undefined]>,
  schema: z.ZodType<T>,
): Map<string, T> {
  const found = new Map<string, T>();
  for (const [key, raw] of rows) {
    const value = decode(raw, schema);
    if (value !== undefined) found.set(key, value);
  }
  return found;
}

function decode<T>(raw: string | null | undefined, schema: z.ZodType<T>): T | undefined {
  if (raw === null || raw === undefined) return undefined;
  try {
    const parsed = schema.safeParse(JSON.parse(raw));
    return parsed.success ? parsed.data : undefined;
  } catch {
    return undefined;
  }
}

export class MemoryState implements StateStore {
  readonly backend = 'memory';
  private readonly values = new Map<string, { raw: string; expires: number | undefined }>();

  private live(key: string) {
    const entry = this.values.get(key);
    if (entry?.expires !== undefined && entry.expires <= Date.now()) {
      this.values.delete(key);
      return undefined;
    }
    return entry;
  }
  async get<T>(key: string, schema: z.ZodType<T>) {
    return decode(this.live(key)?.raw, schema);
  }
  async set(key: string, value: unknown, ttlMs?: number) {
    this.values.set(key, {
      raw: JSON.stringify(value),
      expires: ttlMs === undefined ? undefined : Date.now() + ttlMs,
    });
  }
  async delete(key: string) {
    this.values.delete(key);
  }
  async list<T>(prefix: string, schema: z.ZodType<T>) {
    const keys = [...this.values.keys()].filter((k) => k.startsWith(prefix));
    return collect(
      keys.map((k): [string, string | undefined] => [k, this.live(k)?.raw]),
      schema,
    );
  }
  async claim(key: string, owner: string, ttlMs: number) {
    if (this.live(key) !== undefined) return false;
    await this.set(key, owner, ttlMs);
    return true;
  }
  async extend(key: string, owner: string, ttlMs: number) {
    if (this.values.get(key)?.raw !== JSON.stringify(owner)) return false;
    await this.set(key, owner, ttlMs);
    return true;
  }
  async close() {}
}

/** How long opening a state file shared with another process that is opening it too may wait. */
const OPEN_BUSY_LIMIT_MS = 30_000;
const OPEN_RETRY_MS = 100;

class SqliteState implements StateStore {
  readonly backend = 'sqlite';
  private constructor(private readonly db: sqlite3.Database) {}

  static async open(file: string): Promise<SqliteState> {
    mkdirSync(path.dirname(path.resolve(file)), { recursive: true });
    const db = await new Promise<sqlite3.Database>((resolve, reject) => {
      const opened = new sqlite3.Database(file, (err) => (err ? reject(err) : resolve(opened)));
    }).catch((err: Error) => {
      throw new UserError('bad_config', `STATE_URL: cannot open the SQLite file ${file}: ${err.message}`);
    });
    // Several processes may share the file: wait for each other's writes instead of failing.
    db.configure('busyTimeout', 5000);
    const state = new SqliteState(db);
    try {
      // Switching to WAL takes the file for itself, and SQLite reports a process opening it at the same
      // moment as busy at once (its busy handler is not asked): that is a wait, not a damaged file.
      for (let waited = 0; ; waited += OPEN_RETRY_MS) {
        try {
          await state.run('PRAGMA journal_mode = WAL');
          await state.run(
            'CREATE TABLE IF NOT EXISTS state (key TEXT PRIMARY KEY, value TEXT NOT NULL, expires INTEGER)',
          );
          break;
        } catch (err) {
          const code = (err as { code?: string }).code;
          if ((code !== 'SQLITE_BUSY' && code !== 'SQLITE_LOCKED') || waited >= OPEN_BUSY_LIMIT_MS) throw err;
          await new Promise((resolve) => setTimeout(resolve, OPEN_RETRY_MS));
        }
      }
    } catch (err) {
      await state.close();
      // Unlike the answer cache this file holds settings (daily posts, history): never replaced silently.
      throw new UserError(
        'bad_config',
        `STATE_URL: the SQLite file ${file} cannot be used (${(err as Error).message}). It holds the bot's ` +
          'settings and daily-post records: restore it from a backup, or move it aside to start with empty ' +
          'state, then start again.',
        { file },
      );
    }
    return state;
  }

  private run(sql: string, params: unknown[] = []): Promise<number> {
    return new Promise((resolve, reject) => {
      this.db.run(sql, params, function (this: sqlite3.RunResult, err: Error | null) {
        if (err) reject(err);
        else resolve(this.changes);
      });
    });
  }

  async get<T>(key: string, schema: z.ZodType<T>) {
    const row = await new Promise<{ value: string } | undefined>((resolve, reject) => {
      this.db.get(
        'SELECT value FROM state WHERE key = ? AND (expires IS NULL OR expires > ?)',
        [key, Date.now()],
        (err: Error | null, r: { value: string } | undefined) => (err ? reject(err) : resolve(r)),
      );
    });
    return decode(row?.value, schema);
  }
  async set(key: string, value: unknown, ttlMs?: number) {
    await this.run(
      'INSERT INTO state (key, value, expires) VALUES (?, ?, ?) ON CONFLICT(key) DO UPDATE SET value = excluded.value, expires = excluded.expires',
      [key, JSON.stringify(value), ttlMs === undefined ? null : Date.now() + ttlMs],
    );
  }
  async delete(key: string) {
    await this.run('DELETE FROM state WHERE key = ?', [key]);
  }
  async list<T>(prefix: string, schema: z.ZodType<T>) {
    // A key range rather than LIKE: a prefix may hold % or _, and the range uses the primary key.
    const rows = await new Promise<{ key: string; value: string }[]>((resolve, reject) => {
      this.db.all(
        'SELECT key, value FROM state WHERE key >= ? AND key < ? AND (expires IS NULL OR expires > ?)',
        [prefix, `${prefix}\uffff`, Date.now()],
        (err: Error | null, r: { key: string; value: string }[]) => (err ? reject(err) : resolve(r)),
      );
    });
    return collect(
      rows.map((r): [string, string] => [r.key, r.value]),
      schema,
    );
  }
  async claim(key: string, owner: string, ttlMs: number) {
    const now = Date.now();
    // One statement: insert, or take over an expired row; SQLite serialises writers, so one wins.
    const changes = await this.run(
      `INSERT INTO state (key, value, expires) VALUES (?, ?, ?)
       ON CONFLICT(key) DO UPDATE SET value = excluded.value, expires = excluded.expires
       WHERE state.expires IS NOT NULL AND state.expires <= ?`,
      [key, JSON.stringify(owner), now + ttlMs, now],
    );
    return changes === 1;
  }
  async extend(key: string, owner: string, ttlMs: number) {
    // Still ours, even if just expired: nobody else took it, so holding on is as good as claiming anew.
    const changes = await this.run('UPDATE state SET expires = ? WHERE key = ? AND value = ?', [
      Date.now() + ttlMs,
      key,
      JSON.stringify(owner),
    ]);
    return changes === 1;
  }
  async close() {
    await new Promise<void>((resolve) => this.db.close(() => resolve()));
  }
}

/** Lua: extend KEYS[1] to ARGV[2] ms if its value is ARGV[1] (the owner); 1 if it was, else 0. */
const EXTEND_IF_OWNER = `if redis.call('GET', KEYS[1]) == ARGV[1] then
  return redis.call('PEXPIRE', KEYS[1], ARGV[2])
end
return 0`;

/** How long closing waits for Redis to acknowledge QUIT. */
const QUIT_WAIT_MS = 1000;

class RedisState implements StateStore {
  readonly backend = 'redis';
  private constructor(
    private readonly client: RedisClient,
    private readonly prefix: string,
  ) {}

  static async open(url: string, prefix: string, start: RedisStart): Promise<RedisState> {
    const client = await connectRedis(url, 'STATE_URL', start, { disableOfflineQueue: true });
    return new RedisState(client, prefix);
  }

  async get<T>(key: string, schema: z.ZodType<T>) {
    return decode(await this.client.get(this.prefix + key), schema);
  }
  async set(key: string, value: unknown, ttlMs?: number) {
    await this.client.set(
      this.prefix + key,
      JSON.stringify(value),
      ttlMs === undefined ? {} : { PX: Math.max(1, Math.round(ttlMs)) },
    );
  }
  async delete(key: string) {
    await this.client.del(this.prefix + key);
  }
  async list<T>(prefix: string, schema: z.ZodType<T>) {
    const pattern = `${this.prefix}${prefix}`.replace(/[*?[\]\\]/g, '\\$&');
    const keys: string[] = [];
    for await (const batch of this.client.scanIterator({ MATCH: `${pattern}*`, COUNT: 500 }))
      keys.push(...batch);
    if (keys.length === 0) return new Map<string, T>();
    const values = await this.client.mGet(keys);
    return collect(
      keys.map((k, i): [string, string | null | undefined] => [k.slice(this.prefix.length), values[i]]),
      schema,
    );
  }
  async claim(key: string, owner: string, ttlMs: number) {
    const ok = await this.client.set(this.prefix + key, JSON.stringify(owner), {
      NX: true,
      PX: Math.max(1, Math.round(ttlMs)),
    });
    return ok === 'OK';
  }
  async extend(key: string, owner: string, ttlMs: number) {
    // Compare and extend in one step on the server: between a GET and a PEXPIRE another could take it.
    const extended = await this.client.eval(EXTEND_IF_OWNER, {
      keys: [this.prefix + key],
      arguments: [JSON.stringify(owner), String(Math.max(1, Math.round(ttlMs)))],
    });
    return extended === 1;
  }
  async close() {
    // A hung server never answers QUIT: give it a moment, then drop the connection.
    let timer: NodeJS.Timeout | undefined;
    const quit = this.client.quit().then(
      () => true,
      () => false,
    );
    const gaveUp = new Promise<false>((resolve) => {
      timer = setTimeout(() => resolve(false), QUIT_WAIT_MS);
    });
    const quitted = await Promise.race([quit, gaveUp]);
    clearTimeout(timer);
    if (!quitted) this.client.destroy();
  }
}
