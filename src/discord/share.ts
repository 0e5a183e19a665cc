import { randomBytes } from 'node:crypto';
import type { MessagePayload } from './render.ts';

/**
 * Recent private answers, so a Share button can post the same briefing to the channel. Button ids
 * are short (Discord allows 100 characters), so the answer is kept here under a random id.
 */
export class ShareStore {
  private readonly entries = new Map<string, { pages: MessagePayload[]; at: number }>();

  constructor(
    private readonly max = 500,
    private readonly ttlMs = 60 * 60 * 1000,
    private readonly now: () => number = Date.now,
  ) {}

  put(pages: MessagePayload[]): string {
    const id = randomBytes(6).toString('hex');
    this.entries.set(id, { pages, at: this.now() });
    if (this.entries.size > this.max) this.entries.delete(this.entries.keys().next().value!);
    return id;
  }

  get(id: string): MessagePayload[] | undefined {
    const entry = this.entries.get(id);
    if (entry === undefined || this.now() - entry.at > this.ttlMs) return undefined;
    return entry.pages;
  }
}
