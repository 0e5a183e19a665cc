/** The state store's contract, apart from its backends (src/state/store.ts) and its deadlines (bounded.ts). */
import type { z } from 'zod';

export interface StateStore {
  readonly backend: 'memory' | 'sqlite' | 'redis';
  /** The value under `key` if it is present, unexpired and valid; an invalid value reads as absent. */
  get<T>(key: string, schema: z.ZodType<T>): Promise<T | undefined>;
  set(key: string, value: unknown, ttlMs?: number): Promise<void>;
  delete(key: string): Promise<void>;
  /**
   * Every present, unexpired and valid value whose key starts with `prefix`, by key. One key per item
   * (a guild's schedule, say) instead of one list under one key: two processes adding items at once
   * never overwrite each other.
   */
  list<T>(prefix: string, schema: z.ZodType<T>): Promise<Map<string, T>>;
  /**
   * Takes `key` for `owner` until `ttlMs` from now, atomically across every process sharing the store:
   * true for exactly one caller while the claim lasts. An expired claim can be taken again.
   */
  claim(key: string, owner: string, ttlMs: number): Promise<boolean>;
  /**
   * Extends `owner`'s claim on `key` to `ttlMs` from now: true while `owner` still holds it, false once
   * another has taken it. A holder renews a short lease while it works, so that its death frees the key soon.
   */
  extend(key: string, owner: string, ttlMs: number): Promise<boolean>;
  close(): Promise<void>;
}
