import { describe, expect, it } from 'vitest';
import { ConfigError, parseConfig, parseDuration } from '../../src/config.ts';

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
});
