import { describe, expect, it } from 'vitest';
import { ConfigError, parseConfig, parseDuration, parseShardIds, shardPlan } from '../../src/config.ts';

describe('configuration', () => {
  it('lists every missing or malformed value at once, each with how to fix it', () => {
    let error: ConfigError | undefined;
    try {
      parseConfig({ DISCORD_APP_ID: '12', COOLDOWN: 'soon', CACHE_URL: 'ftp://x', LOG_LEVEL: 'loud' });
    } catch (err) {
      error = err as ConfigError;
    }
    expect(error).toBeInstanceOf(ConfigError);
    const names = error!.problems.map((p) => p.split(':')[0]);
    expect(names.sort()).toEqual(['CACHE_URL', 'COOLDOWN', 'DISCORD_APP_ID', 'DISCORD_TOKEN', 'LOG_LEVEL']);
    expect(error!.message).toMatch(/DISCORD_TOKEN: missing \(the bot token: Discord Developer Portal/);
    expect(error!.message).toMatch(/COOLDOWN: "soon" is not a duration; write e.g. 90s/);
  });

  it('fills in defaults and treats empty values as unset', () => {
    const config = parseConfig({
      DISCORD_TOKEN: 't',
      DISCORD_APP_ID: '123456789012345678',
      DISCORD_GUILD_ID: '  ',
    });
    expect(config.DISCORD_GUILD_ID).toBeUndefined();
    expect(config.COOLDOWN).toBe(3000);
    expect(config.CACHE_TTL).toBe(24 * 3600 * 1000);
    expect(config.CACHE_URL).toBe('sqlite://data/cache/answers.sqlite');
  });

  it('reads durations with units', () => {
    expect(parseDuration('90s')).toBe(90_000);
    expect(parseDuration('30m')).toBe(1_800_000);
    expect(parseDuration('5')).toBe(5000);
    expect(parseDuration('soon')).toBeUndefined();
  });

  it('reads SHARD_IDS as ranges and lists', () => {
    expect(parseShardIds('0-3')).toEqual([0, 1, 2, 3]);
    expect(parseShardIds('4,5,6,7')).toEqual([4, 5, 6, 7]);
    expect(parseShardIds('0-1, 4')).toEqual([0, 1, 4]);
    expect(parseShardIds('3,1,1-2')).toEqual([1, 2, 3]);
    expect(parseShardIds('2-1')).toMatch(/empty range/);
    expect(parseShardIds('a')).toMatch(/not a shard id/);
  });

  it('maps SHARD_COUNT and SHARD_IDS onto a shard plan; default one shard', () => {
    const base = { DISCORD_TOKEN: 't', DISCORD_APP_ID: '123456789012345678' };
    expect(shardPlan(parseConfig(base))).toEqual({ count: 1, ids: undefined });
    expect(shardPlan(parseConfig({ ...base, SHARD_COUNT: 'auto' }))).toEqual({
      count: 'auto',
      ids: undefined,
    });
    expect(shardPlan(parseConfig({ ...base, SHARD_COUNT: '8', SHARD_IDS: '4-7' }))).toEqual({
      count: 8,
      ids: [4, 5, 6, 7],
    });
    expect(parseConfig({ ...base, HTTP_PORT: '9464' })).toMatchObject({
      HTTP_PORT: 9464,
      HTTP_HOST: '127.0.0.1',
    });
  });

  it('lists shard problems with the others: an id out of range, SHARD_IDS without SHARD_COUNT or with auto', () => {
    const problems = (env: Record<string, string>) => {
      try {
        parseConfig(env);
      } catch (err) {
        return (err as ConfigError).problems;
      }
      return [];
    };
    const outOfRange = problems({ COOLDOWN: 'soon', SHARD_COUNT: '4', SHARD_IDS: '2-5' });
    expect(outOfRange.map((p) => p.split(':')[0]).sort()).toEqual([
      'COOLDOWN',
      'DISCORD_APP_ID',
      'DISCORD_TOKEN',
      'SHARD_IDS',
    ]);
    expect(outOfRange.join('\n')).toMatch(
      /SHARD_IDS: 4, 5 are out of range: with SHARD_COUNT=4 the ids are 0–3/,
    );
    expect(problems({ SHARD_IDS: '0-1' }).join('\n')).toMatch(/SHARD_IDS: needs SHARD_COUNT/);
    expect(problems({ SHARD_IDS: '0-1', SHARD_COUNT: 'auto' }).join('\n')).toMatch(
      /SHARD_IDS: needs a fixed SHARD_COUNT/,
    );
    expect(problems({ SHARD_COUNT: 'many', HTTP_PORT: '70000' }).join('\n')).toMatch(
      /SHARD_COUNT: .*HTTP_PORT: must be a port number/s,
    );
  });
});
