/**
 * Shards, end to end: the real discord.js client against the loopback fake Discord, which places each
 * server on the shard `(guild_id >> 22) % shard_count` and delivers its events only on that shard.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { type App, startApp } from '../../src/app.ts';
import { parseConfig } from '../../src/config.ts';
import {
  FakeDiscord,
  type FakeGuild,
  guildsOnShards,
  shardOfGuild,
  textOf,
} from '../helpers/fake-discord.ts';
import { FIXTURE_CORPUS } from '../helpers/fixtures.ts';
import { captureLogs } from '../helpers/logs.ts';

let scratch: string;
const running: { app: App; fake: FakeDiscord }[] = [];
const captured = captureLogs();

beforeAll(() => {
  scratch = mkdtempSync(path.join(tmpdir(), 'shards-test-'));
});

afterEach(async () => {
  for (const { app, fake } of running.splice(0)) {
    await app.stop().catch(() => {});
    await fake.close();
  }
});

afterAll(() => rmSync(scratch, { recursive: true, force: true }));

async function startBot(
  env: Record<string, string>,
  fakeOptions: Parameters<typeof FakeDiscord.start>[0] = {},
): Promise<{ app: App; fake: FakeDiscord; logs: Record<string, unknown>[] }> {
  const fake = await FakeDiscord.start(fakeOptions);
  const logs: Record<string, unknown>[] = [];
  const config = parseConfig({
    DISCORD_TOKEN: 'shard-test-token',
    DISCORD_APP_ID: fake.appId,
    DISCORD_API_URL: fake.apiUrl,
    CACHE_URL: 'memory:',
    STATE_URL: 'memory:',
    CORPUS_DIR: FIXTURE_CORPUS,
    INDEX_CACHE_DIR: path.join(scratch, 'index'),
    COOLDOWN: '0s',
    SHUTDOWN_TIMEOUT: '5s',
    LOG_LEVEL: 'debug',
    ...env,
  });
  captured.watch(fake);
  const app = await startApp(config, captured.logger(config, logs));
  running.push({ app, fake });
  return { app, fake, logs };
}

describe('shards', () => {
  const extra: FakeGuild[] = guildsOnShards(4, 2);

  it('runs exactly the configured shards: SHARD_IDS=0-1 of SHARD_COUNT=4 identifies [0,4] and [1,4]', async () => {
    const { app, fake } = await startBot(
      { SHARD_COUNT: '4', SHARD_IDS: '0-1' },
      { extraGuilds: extra, recommendedShards: 8 },
    );
    expect([...fake.identifies].sort()).toEqual([
      [0, 4],
      [1, 4],
    ]);
    expect(app.discord.shardIds).toEqual([0, 1]);
    expect(app.discord.shardCount).toBe(4);
    // The process sees only the servers of its own shards.
    const mine = fake.guilds.filter((g) => shardOfGuild(g.id, 4) < 2).map((g) => g.id);
    expect([...app.discord.client.guilds.cache.keys()].sort()).toEqual(mine.sort());
  });

  it('asks Discord for the shard count with SHARD_COUNT=auto and runs them all', async () => {
    const { app, fake } = await startBot(
      { SHARD_COUNT: 'auto' },
      { extraGuilds: extra, recommendedShards: 2 },
    );
    expect([...fake.identifies].sort()).toEqual([
      [0, 2],
      [1, 2],
    ]);
    expect(app.discord.shardCount).toBe(2);
    expect(app.discord.client.guilds.cache.size).toBe(fake.guilds.length);
  });

  it('ignores the SHARDS and SHARD_COUNT that discord.js would read from the environment', async () => {
    const saved = { SHARDS: process.env.SHARDS, SHARD_COUNT: process.env.SHARD_COUNT };
    // What a ShardingManager child sees, and what SHARD_COUNT=auto in .env would put there.
    process.env.SHARDS = '[3]';
    process.env.SHARD_COUNT = 'auto';
    try {
      const { fake } = await startBot({ SHARD_COUNT: '2', SHARD_IDS: '1' }, { extraGuilds: extra });
      expect(fake.identifies).toEqual([[1, 2]]);
    } finally {
      for (const [k, v] of Object.entries(saved)) {
        if (v === undefined) delete process.env[k];
        else process.env[k] = v;
      }
    }
  });

  it('answers an interaction on the shard that owns its server, and logs that shard', async () => {
    const { fake, logs } = await startBot({ SHARD_COUNT: '4', SHARD_IDS: '2-3' }, { extraGuilds: extra });
    const guild = fake.guilds.find((g) => shardOfGuild(g.id, 4) === 3)!;
    const log = await fake.answered(fake.chatInput('help', [], { guildId: guild.id }));
    expect(textOf(log.original ?? log.callbacks[0]?.data)).toMatch(/brief/i);
    const isAnswered = (l: Record<string, unknown>) => l.interaction === log.id && l.msg === 'answered';
    await fake.waitFor(() => logs.some(isAnswered), 10_000, 'the answered log line');
    expect(logs.find(isAnswered)).toMatchObject({ shard: 3, guild: guild.id });
  });
});

describe('IDENTIFY pacing over processes', () => {
  it('spaces the IDENTIFYs of two processes sharing a state store by Discord’s 5 s (max_concurrency 1)', async () => {
    const fake = await FakeDiscord.start({ maxConcurrency: 1 });
    // Two apps in this process stand for two processes: each has its own discord.js client and throttler,
    // and only the SQLite state file is shared.
    const state = `sqlite://${path.join(scratch, 'identify-state.sqlite')}`;
    captured.watch(fake);
    const start = (ids: string) => {
      const config = parseConfig({
        DISCORD_TOKEN: 'shard-test-token',
        DISCORD_APP_ID: fake.appId,
        DISCORD_API_URL: fake.apiUrl,
        STATE_URL: state,
        CORPUS_DIR: FIXTURE_CORPUS,
        INDEX_CACHE_DIR: path.join(scratch, 'index'),
        SHUTDOWN_TIMEOUT: '5s',
        LOG_LEVEL: 'debug',
        SHARD_COUNT: '2',
        SHARD_IDS: ids,
      });
      return startApp(config, captured.logger(config));
    };
    const apps = await Promise.all([start('0'), start('1')]);
    try {
      expect([...fake.identifies].sort()).toEqual([
        [0, 2],
        [1, 2],
      ]);
      // A lower bound, not a speed: Discord refuses a second session in the bucket within 5 s, whatever
      // the load. Left to themselves, the two clients would identify at once.
      const [first, second] = [...fake.identifiedAt].sort((a, b) => a - b);
      expect(second! - first!).toBeGreaterThanOrEqual(4900);
    } finally {
      for (const app of apps) await app.stop();
      await fake.close();
    }
  });
});
