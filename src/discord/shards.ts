/** The shard that receives a guild's events: `(guild_id >> 22) % shard_count`; direct messages use shard 0. */
export function shardOf(guildId: string | null | undefined, shardCount: number): number {
  if (guildId === null || guildId === undefined) return 0;
  return Number((BigInt(guildId) >> 22n) % BigInt(shardCount));
}
