/**
 * What the bot's processes tell each other through Redis: a notice when one of them reloaded the corpus
 * (pub/sub), and a heartbeat record per process (its shards and corpus version) that `/status` lists, so
 * a host left on an old corpus is visible. Without Redis there is one process and nothing to tell.
 */
import { z } from 'zod';
import { parseStoreUrl } from '../store-url.ts';
import { connectRedis, type RedisClient, type RedisStart } from './redis-client.ts';

export const processRecordSchema = z.object({
  id: z.string(),
  host: z.string(),
  pid: z.number(),
  shards: z.array(z.number()),
  shardCount: z.number(),
  /** Whether every shard of the process is connected. */
  ready: z.boolean(),
  corpusVersion: z.string(),
  articles: z.number(),
  startedAt: z.string(),
  /** When the record was written (ISO). */
  at: z.string(),
});
export type ProcessRecord = z.infer<typeof processRecordSchema>;

export const reloadNoticeSchema = z.object({
  /** The process that reloaded. */
  from: z.string(),
  by: z.string(),
  corpusVersion: z.string(),
});
export type ReloadNotice = z.infer<typeof reloadNoticeSchema>;

export interface Cluster {
  /** True when the processes share Redis (notices travel); false in a single process. */
  readonly shared: boolean;
  /** Tells every other process that this one reloaded. */
  publishReload(notice: ReloadNotice): Promise<void>;
  /** Called for each notice from another process. */
  onReload(handler: (notice: ReloadNotice) => void): void;
  /** Writes this process's record. */
  beat(record: ProcessRecord): Promise<void>;
  /** Every process that wrote a record within {@link STALE_MS}, oldest start first. */
  processes(): Promise<ProcessRecord[]>;
  /** Removes this process's record (a clean shutdown), so that /status does not list it until it goes stale. */
  leave(id: string): Promise<void>;
  close(): Promise<void>;
}

/** A record not refreshed for this long belongs to a process that is gone (heartbeats every 10 s). */
export const STALE_MS = 45_000;

/**
 * `STATE_URL`: Redis gives a shared cluster, anything else one process on its own. `start` says whether
 * to wait for a Redis that cannot be reached yet (default: fail at once).
 */
export async function openCluster(
  url: string | undefined,
  namespace = 'briefing',
  start: RedisStart = {},
): Promise<Cluster> {
  const parsed = parseStoreUrl(url, 'STATE_URL');
  if (parsed.backend === 'redis') return RedisCluster.open(parsed.target, namespace, start);
  return new LocalCluster();
}

class LocalCluster implements Cluster {
  readonly shared = false;
  private record: ProcessRecord | undefined;
  async publishReload() {}
  onReload() {}
  async beat(record: ProcessRecord) {
    this.record = record;
  }
  async processes() {
    return this.record === undefined ? [] : [this.record];
  }
  async leave() {
    this.record = undefined;
  }
  async close() {}
}

class RedisCluster implements Cluster {
  readonly shared = true;
  private readonly handlers: ((notice: ReloadNotice) => void)[] = [];

  private constructor(
    private readonly client: RedisClient,
    private readonly subscriber: RedisClient,
    private readonly channel: string,
    private readonly hash: string,
  ) {}

  static async open(url: string, namespace: string, start: RedisStart): Promise<RedisCluster> {
    const client = await connectRedis(url, 'STATE_URL', start);
    // A subscribed connection can do nothing else: a second one, which re-subscribes after a reconnect.
    const subscriber = client.duplicate();
    subscriber.on('error', () => {});
    await subscriber.connect();
    const cluster = new RedisCluster(client, subscriber, `${namespace}:reload`, `${namespace}:processes`);
    await subscriber.subscribe(cluster.channel, (message) => cluster.deliver(message));
    return cluster;
  }

  private deliver(message: string): void {
    let notice: ReloadNotice;
    try {
      notice = reloadNoticeSchema.parse(JSON.parse(message));
    } catch {
      return;
    }
    for (const handler of this.handlers) handler(notice);
  }

  async publishReload(notice: ReloadNotice) {
    await this.client.publish(this.channel, JSON.stringify(notice));
  }
  onReload(handler: (notice: ReloadNotice) => void) {
    this.handlers.push(handler);
  }
  async beat(record: ProcessRecord) {
    await this.client.hSet(this.hash, record.id, JSON.stringify(record));
  }
  async processes() {
    const all = await this.client.hGetAll(this.hash);
    const now = Date.now();
    const live: ProcessRecord[] = [];
    const gone: string[] = [];
    for (const [id, raw] of Object.entries(all)) {
      const parsed = processRecordSchema.safeParse(safeJson(raw));
      if (parsed.success && now - Date.parse(parsed.data.at) < STALE_MS) live.push(parsed.data);
      else gone.push(id);
    }
    if (gone.length > 0) await this.client.hDel(this.hash, gone);
    return live.sort((a, b) => a.startedAt.localeCompare(b.startedAt));
  }
  async leave(id: string) {
    await this.client.hDel(this.hash, id);
  }
  async close() {
    await this.subscriber.quit().catch(() => this.subscriber.destroy());
    await this.client.quit().catch(() => this.client.destroy());
  }
}

function safeJson(raw: string): unknown {
  try {
    return JSON.parse(raw);
  } catch {
    return undefined;
  }
}
