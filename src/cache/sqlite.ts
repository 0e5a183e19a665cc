/**
 * The SQLite answer cache. The file is disposable (every answer can be computed again), so a file that
 * is not a database any more is moved aside and a new one made, rather than stopping the bot; and since
 * Keyv deletes an expired row only when that key is read again, expired rows are swept on a timer so
 * the file does not only grow.
 */
import { mkdirSync } from 'node:fs';
import { rename } from 'node:fs/promises';
import path from 'node:path';
import KeyvSqlite from '@keyv/sqlite';
import { Keyv } from 'keyv';
import type { Logger } from 'pino';
import sqlite3 from 'sqlite3';

/** How often expired answers are deleted from the file. */
export const SWEEP_INTERVAL_MS = 10 * 60 * 1000;

/** A Keyv over a SQLite file that can be swept of expired answers. */
export interface SqliteKeyv {
  keyv: Keyv;
  /** Deletes every expired answer; resolves how many were deleted. */
  sweepExpired(): Promise<number>;
}

/**
 * Opens (or makes) the cache file. A file SQLite cannot read as a database (SQLITE_NOTADB, SQLITE_CORRUPT)
 * is renamed to `<file>.corrupt-<time>` with a warning, and a new one is made in its place. Any other
 * failure to open rejects (the caller then runs without a cache).
 */
export async function openSqliteKeyv(file: string, namespace: string, logger?: Logger): Promise<SqliteKeyv> {
  mkdirSync(path.dirname(path.resolve(file)), { recursive: true });
  const problem = await probe(file);
  if (problem !== undefined && !isDamage(problem)) throw problem;
  if (problem !== undefined) {
    const aside = `${file}.corrupt-${new Date().toISOString().replace(/[:.]/g, '-')}`;
    await rename(file, aside);
    logger?.warn(
      { file, movedTo: aside, err: problem },
      'the answer cache file is not a usable SQLite database; moved it aside and started an empty cache',
    );
  }
  const store = new KeyvSqlite({ uri: `sqlite://${file}`, busyTimeout: 2000 });
  const keyv = new Keyv({ store, namespace });
  return {
    keyv,
    async sweepExpired() {
      // Keyv keeps `{"value":…,"expires":<ms>}` in the value column (the SQLite store has no TTL of its own).
      const expired = (await store.query(
        "SELECT key FROM keyv WHERE json_extract(value, '$.expires') <= ?",
        Date.now(),
      )) as { key: string }[];
      if (expired.length > 0)
        await store.query("DELETE FROM keyv WHERE json_extract(value, '$.expires') <= ?", Date.now());
      return expired.length;
    },
  };
}

/** Why `file` cannot be used as a SQLite database, or undefined (also when it does not exist yet). */
function probe(file: string): Promise<Error | undefined> {
  return new Promise((resolve) => {
    const db = new sqlite3.Database(file, (openError) => {
      if (openError) return resolve(openError);
      db.get('SELECT count(*) FROM sqlite_master', (readError: Error | null) => {
        db.close(() => resolve(readError ?? undefined));
      });
    });
  });
}

/** Only damage moves the file aside; a locked or unreadable file is left alone (it may be a mistake). */
function isDamage(err: Error): boolean {
  const code = (err as Error & { code?: string }).code;
  return code === 'SQLITE_NOTADB' || code === 'SQLITE_CORRUPT';
}
