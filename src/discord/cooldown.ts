/** Per-user cooldown: one command per user per `ms`. The clock is injectable for tests. */
export class Cooldown {
  private readonly last = new Map<string, number>();

  constructor(
    private readonly ms: number,
    private readonly now: () => number = Date.now,
  ) {}

  /** Records a use and returns 0, or returns the milliseconds left to wait. */
  take(userId: string): number {
    if (this.ms <= 0) return 0;
    const t = this.now();
    const previous = this.last.get(userId);
    if (previous !== undefined && t - previous < this.ms) return this.ms - (t - previous);
    this.last.set(userId, t);
    // Forget users whose cooldown is long over, so the map stays small in a busy guild.
    if (this.last.size > 10_000) {
      for (const [id, at] of this.last) if (t - at >= this.ms) this.last.delete(id);
    }
    return 0;
  }
}
