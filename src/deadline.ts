/**
 * `promise`'s value, or `fallback` when it fails or has not settled within `ms`: for optional reads from a
 * shared store (a cooldown, the /status process list) that must never hold an answer up when the store
 * hangs. What the promise does later is ignored.
 */
export function settleWithin<T>(promise: Promise<T>, ms: number, fallback: T): Promise<T> {
  return new Promise((resolve) => {
    const timer = setTimeout(() => resolve(fallback), ms);
    promise.then(
      (value) => {
        clearTimeout(timer);
        resolve(value);
      },
      () => {
        clearTimeout(timer);
        resolve(fallback);
      },
    );
  });
}

/**
 * At most `concurrency` calls at a backend at once, each settled by its deadline, the wait for a place
 * included. A place is freed only when the backend lets go of its call, not at the call's deadline: a
 * backend that hangs (a stalled disk, a paused server) keeps what it holds, and no more calls reach it.
 * This matters for SQLite, whose every call runs on one of libuv's four pool threads, shared with file
 * reads, DNS lookups and zlib: without a cap, a stalled disk takes them all, and with them the lookup
 * of Discord's address that a reply needs.
 */
export class CallGate {
  private active = 0;
  private readonly waiting: (() => void)[] = [];

  constructor(private readonly concurrency: number) {}

  /**
   * `call`'s outcome, or a rejection with `timedOut()` once `timeoutMs` have passed (what the call does
   * later is ignored). `skipQueue` starts it at once, even with every place taken (closing a store).
   */
  run<T>(call: () => Promise<T>, timeoutMs: number, timedOut: () => Error, skipQueue = false): Promise<T> {
    return new Promise<T>((resolve, reject) => {
      let started = false;
      let settled = false;
      const timer = setTimeout(() => {
        settled = true;
        if (!started) {
          const at = this.waiting.indexOf(begin);
          if (at >= 0) this.waiting.splice(at, 1);
        }
        reject(timedOut());
      }, timeoutMs);
      const begin = () => {
        started = true;
        this.active++;
        let operation: Promise<T>;
        try {
          operation = call();
        } catch (err) {
          operation = Promise.reject(err);
        }
        operation
          .then(
            (value) => {
              if (!settled) resolve(value);
            },
            (err: unknown) => {
              if (!settled) reject(err);
            },
          )
          .finally(() => {
            settled = true;
            clearTimeout(timer);
            this.active--;
            this.waiting.shift()?.();
          });
      };
      if (skipQueue || this.active < this.concurrency) begin();
      else this.waiting.push(begin);
    });
  }
}
