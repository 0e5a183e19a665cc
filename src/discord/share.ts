import { randomBytes } from 'node:crypto';
import { z } from 'zod';
import type { StateStore } from '../state/store.ts';
import type { MessagePayload } from './render.ts';

/**
 * Recent private answers, so a Share button can post the same briefing to the channel. Button ids
 * are short (Discord allows 100 characters), so the answer is kept here under a random id.
 */
export interface ShareStore {
  put(pages: MessagePayload[]): Promise<string>;
  /** The pages under `id`, or undefined once they have expired (or were never kept here). */
  get(id: string): Promise<MessagePayload[] | undefined>;
}

/** How long a Share button works: an hour. */
const SHARE_TTL_MS = 60 * 60 * 1000;

const newId = () => randomBytes(6).toString('hex');

/** In this process only: the Share button works when it reaches the process that answered. Default 500 answers, 1 hour. */
export class MemoryShareStore implements ShareStore {
  private readonly entries = new Map<string, { pages: MessagePayload[]; at: number }>();

  constructor(
    private readonly max = 500,
    private readonly ttlMs = SHARE_TTL_MS,
    private readonly now: () => number = Date.now,
  ) {}

  async put(pages: MessagePayload[]): Promise<string> {
    const id = newId();
    this.entries.set(id, { pages, at: this.now() });
    if (this.entries.size > this.max) this.entries.delete(this.entries.keys().next().value!);
    return id;
  }

  async get(id: string): Promise<MessagePayload[] | undefined> {
    const entry = this.entries.get(id);
    if (entry === undefined || this.now() - entry.at > this.ttlMs) return undefined;
    return entry.pages;
  }
}

const pagesSchema = z.array(
  z.object({ content: z.string().optional(), embeds: z.array(z.record(z.string(), z.unknown())) }),
) as unknown as z.ZodType<MessagePayload[]>;

/**
 * In the shared state store (Redis): a button clicked after a restart, or arriving at another process
 * (a DM's button goes to shard 0, whichever process runs it), still finds its answer. Expired by the store.
 */
export class StateShareStore implements ShareStore {
  constructor(
    private readonly state: StateStore,
    private readonly ttlMs = SHARE_TTL_MS,
  ) {}

  async put(pages: MessagePayload[]): Promise<string> {
    const id = newId();
    await this.state.set(`share:${id}`, pages, this.ttlMs);
    return id;
  }

  get(id: string): Promise<MessagePayload[] | undefined> {
    // Button ids come from users' clients: only ids this store could have made are looked up.
    if (!/^[0-9a-f]{12}$/.test(id)) return Promise.resolve(undefined);
    return this.state.get(`share:${id}`, pagesSchema);
  }
}
