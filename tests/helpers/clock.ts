/**
 * A clock the tests move by hand: timers fire when `advance` passes their time, and `sleep` (the
 * scheduler's backoff) lets time pass at once. Nothing in a test waits for real time.
 */
import type { Clock } from '../../src/daily/clock.ts';

export class FakeClock implements Clock {
  private at: number;
  private timers: { at: number; fn: () => void; id: number }[] = [];
  private seq = 0;

  constructor(start: string | Date) {
    this.at = new Date(start).getTime();
  }

  now(): Date {
    return new Date(this.at);
  }

  setTimer(fn: () => void, ms: number): () => void {
    const id = ++this.seq;
    this.timers.push({ at: this.at + ms, fn, id });
    return () => {
      this.timers = this.timers.filter((t) => t.id !== id);
    };
  }

  async sleep(ms: number): Promise<void> {
    this.at += ms;
  }

  /** Moves time forward (or to `to`), firing the timers that come due, in order. */
  advance(ms: number): void {
    this.set(new Date(this.at + ms));
  }

  /** Jumps to an instant; a jump backwards fires nothing (as a wall clock set back). */
  set(to: string | Date): void {
    const target = new Date(to).getTime();
    if (target < this.at) {
      this.at = target;
      return;
    }
    for (;;) {
      const due = this.timers.filter((t) => t.at <= target).sort((a, b) => a.at - b.at)[0];
      if (due === undefined) break;
      this.timers = this.timers.filter((t) => t !== due);
      this.at = Math.max(this.at, due.at);
      due.fn();
    }
    this.at = target;
  }

  /** Timers waiting (the scheduler keeps exactly one). */
  get pending(): number {
    return this.timers.length;
  }
}
