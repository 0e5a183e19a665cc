/**
 * Two bot processes sharing one real Redis, each running two of four shards, against the loopback fake
 * Discord with eight servers spread over the shards (the two apps run in this one test process, each with
 * its own discord.js client, stores and Redis connections, as two processes would).
 */
import { cpSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type App, startApp } from '../../src/app.ts';
import { parseConfig } from '../../src/config.ts';
import { DailyStore } from '../../src/daily/schedule.ts';
import { FakeClock } from '../helpers/clock.ts';
import { clusterEnv, ownerOf, type ProcessName } from '../helpers/cluster.ts';
import { FakeDiscord, type FakeGuild, guildsOnShards, textOf } from '../helpers/fake-discord.ts';
import { FIXTURE_CORPUS } from '../helpers/fixtures.ts';
import { captureLogs } from '../helpers/logs.ts';
import { type RedisServer, shouldRunRedisTests, startRedis } from '../helpers/redis.ts';

const MANAGE_GUILD = 0x20n;
type Name = ProcessName;

let redis: RedisServer;
let fake: FakeDiscord;
let scratch: string;
const clock = new FakeClock('2026-11-24T07:58:00Z');
const guilds: FakeGuild[] = guildsOnShards(4, 2);
const apps: Partial<Record<Name, App>> = {};
const logs: Record<Name, Record<string, unknown>[]> = { a: [], b: [] };
const captured = captureLogs(shouldRunRedisTests());

async function start(name: Name): Promise<App> {
  const config = parseConfig({
    ...clusterEnv(name, { fake, redisUrl: redis.url, scratch }),
    LOG_LEVEL: 'debug',
  });
  const app = await startApp(config, captured.logger(config, logs[name]), { clock, dailyBackoffMs: 1000 });
  apps[name] = app;
  return app;
}

async function stop(name: Name): Promise<void> {
  await apps[name]?.stop();
  delete apps[name];
}

function run(command: string, guildId: string) {
  return fake.answered(
    fake.chatInput(command, [], {
      guildId,
      permissions: MANAGE_GUILD,
      user: { id: '300000000000000777', username: 'admin' },
    }),
    30_000,
  );
}

describe.runIf(shouldRunRedisTests())('two processes, four shards, one Redis', () => {
  beforeAll(async () => {
    redis = await startRedis();
    fake = await FakeDiscord.start({ extraGuilds: guilds });
    captured.watch(fake);
    scratch = mkdtempSync(path.join(tmpdir(), 'cluster-test-'));
    for (const name of ['a', 'b'])
      cpSync(FIXTURE_CORPUS, path.join(scratch, `corpus-${name}`), { recursive: true });
    await start('a');
    await start('b');
  });

  afterAll(async () => {
    for (const name of ['a', 'b'] as const) await stop(name).catch(() => {});
    await fake?.close();
    await redis?.dispose();
    if (scratch) rmSync(scratch, { recursive: true, force: true });
  });

  it('connects each process to its own shards only', () => {
    expect([...fake.identifies].sort()).toEqual([
      [0, 4],
      [1, 4],
      [2, 4],
      [3, 4],
    ]);
    for (const name of ['a', 'b'] as const) {
      const mine = guilds.filter((g) => ownerOf(g.id) === name).map((g) => g.id);
      const seen = [...apps[name]!.discord.client.guilds.cache.keys()].filter((id) =>
        guilds.some((g) => g.id === id),
      );
      expect(seen.sort()).toEqual(mine.sort());
    }
  });

  it('answers every interaction exactly once, in the process that owns its server', async () => {
    const answered = await Promise.all(guilds.map((g) => run('help', g.id)));
    for (const [i, log] of answered.entries()) {
      expect(log.callbacks).toHaveLength(1);
      const owner = ownerOf(guilds[i]!.id);
      const other = owner === 'a' ? 'b' : 'a';
      await fake.waitFor(() => logs[owner].some((l) => l.interaction === log.id && l.msg === 'answered'));
      expect(logs[other].some((l) => l.interaction === log.id)).toBe(false);
    }
  });

  it('posts each server’s daily brief once in all, from the process that owns the server', async () => {
    const store = new DailyStore(apps.a!.state);
    for (const g of guilds) {
      await store.save({
        guildId: g.id,
        channelId: g.channelId,
        time: '08:00',
        timezone: 'UTC',
        topics: [],
        quiet: false,
        setBy: 'test',
        setAt: clock.now().toISOString(),
      });
    }
    clock.set('2026-11-24T08:00:30Z');
    for (let look = 0; look < 2; look++)
      await Promise.all([apps.a!.scheduler.tick(), apps.b!.scheduler.tick()]);
    for (const g of guilds) {
      const posts = fake.channelMessages.filter((m) => m.channelId === g.channelId);
      expect(posts.length, `posts in ${g.id}`).toBe(1);
      expect(textOf(posts[0]!.body)).toMatch(/Daily brief — 2026-11-24/);
    }
    for (const name of ['a', 'b'] as const) {
      const posted = logs[name].filter((l) => l.msg === 'daily: posted').map((l) => l.guild as string);
      expect(posted.sort()).toEqual(
        guilds
          .filter((g) => ownerOf(g.id) === name)
          .map((g) => g.id)
          .sort(),
      );
    }
  });

  it('moves both processes to the new corpus on a /reload in one, and /status shows each one’s version', async () => {
    const before = apps.a!.engine().corpusVersion;
    for (const name of ['a', 'b'])
      writeFileSync(
        path.join(scratch, `corpus-${name}`, 'cluster-new.txt'),
        'Title: Port reopens\nDate: 2026-11-23\nSource: Test Wire\n\nThe harbour authority said the port reopened on Monday after repairs.\n',
      );
    const guildOfA = guilds.find((g) => ownerOf(g.id) === 'a')!;
    const reload = await run('reload', guildOfA.id);
    expect(textOf(reload.original)).toMatch(/\*\*1\*\* added/);
    const after = apps.a!.engine().corpusVersion;
    expect(after).not.toBe(before);
    await fake.waitFor(() => apps.b!.engine().corpusVersion === after, 30_000, 'b on the new corpus');
    // a only gained an article, so it extended its index and saved it to the shared cache; b read that
    // file instead of building (or extending) again.
    expect(apps.a!.library.last).toMatchObject({ ok: true, index: 'extended' });
    // The report is written just after the swap (once the manifest is saved).
    await fake.waitFor(() => apps.b!.library.last?.corpusVersion === after, 30_000, 'b’s reload report');
    expect(apps.b!.library.last).toMatchObject({ ok: true, index: 'cache' });
    const guildOfB = guilds.find((g) => ownerOf(g.id) === 'b')!;
    const status = textOf((await run('status', guildOfB.id)).original);
    const lines = status.split('\n').filter((l) => l.startsWith('**Process**'));
    expect(lines).toHaveLength(2);
    expect(lines.join('\n')).toMatch(/shards 0-1 of 4/);
    expect(lines.join('\n')).toMatch(/shards 2-3 of 4 · corpus \w+, \d+ articles/);
    expect(status).not.toMatch(/differs/);
  });

  it('keeps answering the other process’s servers while one is down, and its own once it is back', async () => {
    await stop('a');
    const guildOfA = guilds.find((g) => ownerOf(g.id) === 'a')!;
    const guildOfB = guilds.find((g) => ownerOf(g.id) === 'b')!;
    expect((await run('help', guildOfB.id)).callbacks).toHaveLength(1);
    const status = textOf((await run('status', guildOfB.id)).original);
    expect(status.split('\n').filter((l) => l.startsWith('**Process**'))).toHaveLength(1);
    await start('a');
    expect((await run('help', guildOfA.id)).callbacks).toHaveLength(1);
  });
});
