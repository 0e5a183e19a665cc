/**
 * Per-user briefing history for `/brief since:last`: one small record per user and topic (when, on
 * which corpus version, and the newest source it cited), kept 90 days in the state store.
 */
import { z } from 'zod';
import type { Briefing } from '../engine/result.ts';
import type { StateStore } from './store.ts';

export const historyEntrySchema = z.object({
  at: z.string(),
  corpusVersion: z.string(),
  /** Date of the newest source the briefing cited. */
  newest: z.string(),
});
export type HistoryEntry = z.infer<typeof historyEntrySchema>;

const TTL_MS = 90 * 24 * 3600 * 1000;

export class BriefHistory {
  constructor(private readonly store: StateStore) {}

  private key(userId: string, topic: string): string {
    return `history:${userId}:${topic.toLowerCase()}`;
  }

  get(userId: string, topic: string): Promise<HistoryEntry | undefined> {
    return this.store.get(this.key(userId, topic), historyEntrySchema);
  }

  /** Remembers an answered briefing; keeps the newest source date already seen when nothing newer came. */
  async record(
    userId: string,
    topic: string,
    briefing: Briefing,
    at: Date,
    seenNewest?: string,
  ): Promise<void> {
    if (briefing.status !== 'answered') return;
    // ISO dates compare as strings.
    let newest = seenNewest ?? '';
    for (const s of briefing.sources) if (s.date > newest) newest = s.date;
    await this.store.set(
      this.key(userId, topic),
      { at: at.toISOString(), corpusVersion: briefing.corpusVersion, newest } satisfies HistoryEntry,
      TTL_MS,
    );
  }
}
