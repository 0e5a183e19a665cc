/**
 * Deadlines for the state store. A stalled disk (a frozen file system, a SQLite file locked by another
 * process) or a hung Redis (a paused server keeps its socket open, so no error ever comes) must not hold
 * a command, the scheduler or a shutdown for ever: every call here settles by its deadline, rejecting
 * with {@link StateUnavailableError}, and callers decide what a missing answer means.
 */
import type { z } from 'zod';
import { CallGate } from '../deadline.ts';
import type { StateStore } from './types.ts';

/** Longest wait for one state-store call before it fails, in ms. */
export const DEFAULT_STATE_TIMEOUT_MS = 2000;
/**
 * Calls allowed to reach the backend at once. A SQLite call runs on libuv's thread pool (4 threads,
 * shared with file reads, DNS lookups and zlib); a stalled disk holds each thread it is given, so
 * without a cap a burst of state calls takes the whole pool and nothing else in the process, not even
 * the lookup of Discord's address for a deferral, can run. Calls beyond the cap wait their turn
 * within their own deadline.
 */
export const DEFAULT_STATE_CONCURRENCY = 2;

/** A state-store call that failed or did not settle in time. */
export class StateUnavailableError extends Error {
  override readonly name = 'StateUnavailableError';
}

export interface BoundedOptions {
  /** Deadline of one call, in ms; default {@link DEFAULT_STATE_TIMEOUT_MS}. */
  timeoutMs?: number;
  /** Calls in flight at the backend at most; default {@link DEFAULT_STATE_CONCURRENCY}. */
  concurrency?: number;
}

/** `store` with a deadline on every call and a cap on the calls it has in flight. */
export function boundedStateStore(store: StateStore, options: BoundedOptions = {}): StateStore {
  return new BoundedStateStore(store, options);
}

class BoundedStateStore implements StateStore {
  private readonly timeoutMs: number;
  private readonly gate: CallGate;

  constructor(
    private readonly inner: StateStore,
    options: BoundedOptions,
  ) {
    this.timeoutMs = options.timeoutMs ?? DEFAULT_STATE_TIMEOUT_MS;
    this.gate = new CallGate(options.concurrency ?? DEFAULT_STATE_CONCURRENCY);
  }

  get backend() {
    return this.inner.backend;
  }

  get<T>(key: string, schema: z.ZodType<T>): Promise<T | undefined> {
    return this.bounded('get', () => this.inner.get(key, schema));
  }
  set(key: string, value: unknown, ttlMs?: number): Promise<void> {
    return this.bounded('set', () => this.inner.set(key, value, ttlMs));
  }
  delete(key: string): Promise<void> {
    return this.bounded('delete', () => this.inner.delete(key));
  }
  list<T>(prefix: string, schema: z.ZodType<T>): Promise<Map<string, T>> {
    return this.bounded('list', () => this.inner.list(prefix, schema));
  }
  claim(key: string, owner: string, ttlMs: number): Promise<boolean> {
    return this.bounded('claim', () => this.inner.claim(key, owner, ttlMs));
  }
  extend(key: string, owner: string, ttlMs: number): Promise<boolean> {
    return this.bounded('extend', () => this.inner.extend(key, owner, ttlMs));
  }
  close(): Promise<void> {
    // A hung backend must not hold a shutdown either; what it still had in flight is abandoned.
    return this.bounded('close', () => this.inner.close(), true);
  }

  private bounded<T>(op: string, call: () => Promise<T>, skipQueue = false): Promise<T> {
    const what = `state store (${this.inner.backend}) ${op}`;
    return this.gate
      .run(
        call,
        this.timeoutMs,
        () => new StateUnavailableError(`${what} did not answer within ${this.timeoutMs} ms`),
        skipQueue,
      )
      .catch((err: unknown) => {
        if (err instanceof StateUnavailableError) throw err;
        throw new StateUnavailableError(`${what} failed: ${message(err)}`, { cause: err });
      });
  }
}

function message(err: unknown): string {
  return err instanceof Error ? err.message : String(err);
}
