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
