/**
 * Runs one computation per key at a time: callers that ask for a key already being computed wait for
 * that computation instead of starting their own. Nothing is kept once it settles (that is the cache's job).
 */
export class SingleFlight<T> {
  private readonly inFlight = new Map<string, Promise<T>>();
  run(key: string, compute: () => Promise<T>): Promise<T> {
    const running = this.inFlight.get(key);
    if (running !== undefined) return running;
    const started = compute().finally(() => this.inFlight.delete(key));
    this.inFlight.set(key, started);
    return started;
  }
}
