import { z } from 'zod';
import { settleWithin } from '../deadline.ts';
import type { StateStore } from '../state/store.ts';

/** One command per user per period: `take` records a use and returns 0, or the milliseconds left to wait. */
export interface CooldownStore {
  take(userId: string): Promise<number>;
}

/** Per-user cooldown in this process. The clock is injectable for tests. */
export class Cooldown implements CooldownStore {
  private readonly last = new Map<string, number>();

  constructor(
    private readonly ms: number,
    private readonly now: () => number = Date.now,
  ) {}

  async take(userId: string): Promise<number> {
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

/**
 * Per-user cooldown over every process sharing the state store (Redis): a user's commands reach the
 * process of the server's shard, and a DM goes to shard 0, so one user meets several processes. The use
 * is an atomic claim that expires with the cooldown; its value is when it was taken.
 */
/** Longest a shared cooldown waits on the state store before it lets a command through. */
export const COOLDOWN_STORE_MS = 300;

export class SharedCooldown implements CooldownStore {
  constructor(
    private readonly state: StateStore,
    private readonly ms: number,
    private readonly now: () => number = Date.now,
  ) {}

  /**
   * The wait before this user may ask again, or 0. It stands before the interaction is deferred, so a
   * store that is slow or down lets the command through (after at most {@link COOLDOWN_STORE_MS}) rather
   * than letting Discord's three seconds run out: the cooldown is a courtesy, the answer is not.
   */
  take(userId: string): Promise<number> {
    if (this.ms <= 0) return Promise.resolve(0);
    return settleWithin(this.claim(userId), COOLDOWN_STORE_MS, 0);
  }

  private async claim(userId: string): Promise<number> {
    const key = `cooldown:${userId}`;
    // Twice at most: the holder's claim can expire between a failed claim and the read.
    for (let attempt = 0; attempt < 2; attempt++) {
      const t = this.now();
      if (await this.state.claim(key, String(t), this.ms)) return 0;
      const since = await this.state.get(key, z.string());
      if (since !== undefined) return Math.max(1, this.ms - (t - Number(since)));
    }
    return 0;
  }
}
