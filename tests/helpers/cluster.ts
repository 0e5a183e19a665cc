/** The two-process layout the cluster tests run: four shards, two a process, over one Redis. */
import path from 'node:path';
import type { FakeDiscord } from './fake-discord.ts';
import { shardOfGuild } from './fake-discord.ts';

/** The shards each of the two processes runs (of SHARD_COUNT=4). */
export const CLUSTER_SHARDS = { a: '0-1', b: '2-3' } as const;
export type ProcessName = keyof typeof CLUSTER_SHARDS;

/** The process whose shards hold `guildId`'s events. */
export const ownerOf = (guildId: string): ProcessName => (shardOfGuild(guildId, 4) < 2 ? 'a' : 'b');

/**
 * The environment of process `name`: both on one Redis (cache and state) and one index cache under
 * `scratch`, each with its own copy of the corpus in `scratch/corpus-<name>` (as on two hosts).
 */
export function clusterEnv(
  name: ProcessName,
  where: { fake: FakeDiscord; redisUrl: string; scratch: string },
): Record<string, string> {
  return {
    DISCORD_TOKEN: 'cluster-test-token',
    DISCORD_APP_ID: where.fake.appId,
    DISCORD_API_URL: where.fake.apiUrl,
    CACHE_URL: where.redisUrl,
    STATE_URL: where.redisUrl,
    CORPUS_DIR: path.join(where.scratch, `corpus-${name}`),
    INDEX_CACHE_DIR: path.join(where.scratch, 'index'),
    COOLDOWN: '0s',
    SHUTDOWN_TIMEOUT: '5s',
    SHARD_COUNT: '4',
    SHARD_IDS: CLUSTER_SHARDS[name],
  };
}
