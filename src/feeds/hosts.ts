/**
 * Per-host politeness: one request at a time to a host, and at least `minIntervalMs` between the end
 * of one and the start of the next, whichever feed or page asks.
 */
export class HostQueue {
  private readonly tails = new Map<string, Promise<unknown>>();
  private readonly lastEnd = new Map<string, number>();

  /** @param minIntervalMs gap between two requests to one host; default 1 s. */
  constructor(
    private readonly minIntervalMs = 1000,
    private readonly now: () => number = Date.now,
  ) {}

  run<T>(url: string, task: () => Promise<T>): Promise<T> {
    let host: string;
    try {
      host = new URL(url).host;
    } catch {
      return task();
    }
    const previous = this.tails.get(host) ?? Promise.resolve();
    const next = previous.then(async () => {
      const wait = (this.lastEnd.get(host) ?? 0) + this.minIntervalMs - this.now();
      if (wait > 0) await new Promise((r) => setTimeout(r, wait));
      try {
        return await task();
      } finally {
        this.lastEnd.set(host, this.now());
      }
    });
    const tail = next.catch(() => {});
    this.tails.set(host, tail);
    void tail.then(() => {
      if (this.tails.get(host) === tail) this.tails.delete(host);
    });
    return next;
  }
}
