/**
 * Two bot processes as `npm start` runs them (child processes), each running two of four shards, over
 * one real Redis and the loopback fake Discord with eight servers spread over the shards. Everything is
 * observed from outside, as an operator would: the fake's record of answers and posts, /status, and
 * each process's /healthz and /metrics. Waits are for conditions, with generous deadlines.
 */
import { cpSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DailyStore } from '../../src/daily/schedule.ts';
import { openStateStore } from '../../src/state/store.ts';
import { type BotProcess, logLines, startBotProcess } from '../helpers/bot-process.ts';
import { clusterEnv, ownerOf, type ProcessName } from '../helpers/cluster.ts';
import {
  FakeDiscord,
  type FakeGuild,
  guildsOnShards,
  type InteractionLog,
  textOf,
} from '../helpers/fake-discord.ts';
import { FIXTURE_CORPUS } from '../helpers/fixtures.ts';
import { captureLogs } from '../helpers/logs.ts';
import { sample, until as untilWithin } from '../helpers/poll.ts';
import { type RedisServer, shouldRunRedisTests, startRedis } from '../helpers/redis.ts';

const MANAGE_GUILD = 0x20n;
type Name = ProcessName;
const NAMES: readonly Name[] = ['a', 'b'];
/** Start-up (an index build on a busy 2-core machine) and answers get this long: a deadline, not a measure. */
const PATIENCE_MS = 120_000;

let redis: RedisServer;
let fake: FakeDiscord;
let scratch: string;
const guilds: FakeGuild[] = guildsOnShards(4, 2);
const bots: Partial<Record<Name, BotProcess>> = {};
let postsOfBWhileDown: number[] = [];
/** Both processes' output, searched for the token and every interaction token at the end. */
const captured = captureLogs(shouldRunRedisTests()).secret('cluster-test-token');

const guildsOf = (name: Name) => guilds.filter((g) => ownerOf(g.id) === name);
const bot = (name: Name): BotProcess => {
  const running = bots[name];
  if (running === undefined) throw new Error(`process ${name} is not running`);
  return running;
};

async function start(name: Name): Promise<BotProcess> {
  const started = startBotProcess(
    {
      ...clusterEnv(name, { fake, redisUrl: redis.url, scratch }),
      LOG_LEVEL: 'info',
      HTTP_PORT: '0',
    },
    { onOutput: (chunk) => captured.output(chunk) },
  );
  bots[name] = started;
  await fake
    .waitFor(
      () => started.output.includes('"msg":"logged in"') || started.child.exitCode !== null,
      PATIENCE_MS,
      `process ${name} to log in`,
    )
    .catch((err: Error) => {
      throw new Error(`${err.message}\n${started.output}`);
    });
  if (started.child.exitCode !== null) throw new Error(`process ${name} exited:\n${started.output}`);
  return started;
}

async function kill(name: Name, signal: NodeJS.Signals): Promise<void> {
  const running = bots[name];
  if (running === undefined) return;
  delete bots[name];
  if (running.child.exitCode === null) running.child.kill(signal);
  await running.exited;
}

/** The port a process serves /healthz and /metrics on (HTTP_PORT=0: it logs the one it got). */
function httpUrl(name: Name, route: string): string {
  const line = logLines(bot(name)).find((l) => l.msg === 'serving /healthz and /metrics');
  if (line === undefined) throw new Error(`process ${name} serves no HTTP`);
  return `http://127.0.0.1:${String(line.port)}${route}`;
}

const until = <T>(ask: () => Promise<T>, ok: (value: T) => boolean, what: string) =>
  untilWithin(ask, ok, what, { timeoutMs: PATIENCE_MS, everyMs: 200 });

const healthz = async (name: Name) => {
  const res = await fetch(httpUrl(name, '/healthz'));
  return { status: res.status, body: (await res.json()) as { reasons: string[] } };
};
const metrics = async (name: Name) => (await fetch(httpUrl(name, '/metrics'))).text();
function run(command: string, guildId: string, options: Parameters<FakeDiscord['chatInput']>[1] = []) {
  return fake.answered(
    fake.chatInput(command, options, {
      guildId,
      permissions: MANAGE_GUILD,
      user: { id: '300000000000000777', username: 'admin' },
    }),
    PATIENCE_MS,
  );
}

/** Which processes logged an answer to `log`. */
const answeredBy = (log: InteractionLog): Name[] =>
  NAMES.filter((name) =>
    logLines(bots[name] ?? { output: '' }).some((l) => l.interaction === log.id && l.msg === 'answered'),
  );

const dailyPosts = (g: FakeGuild) =>
  fake.channelMessages.filter((m) => m.channelId === g.channelId && /Daily brief/.test(textOf(m.body)));

describe.runIf(shouldRunRedisTests())(
  'two bot processes × two shards, one Redis, eight servers',
  { timeout: 3 * PATIENCE_MS },
  () => {
    beforeAll(async () => {
      redis = await startRedis();
      fake = await FakeDiscord.start({ extraGuilds: guilds });
      captured.watch(fake);
      scratch = mkdtempSync(path.join(tmpdir(), 'cluster-processes-'));
      for (const name of NAMES)
        cpSync(FIXTURE_CORPUS, path.join(scratch, `corpus-${name}`), { recursive: true });
      // Each server's schedule, as /daily set would store it, set yesterday for 00:00 UTC: today's post is
      // due whenever the test runs, and each process makes it as soon as it starts (a late post).
      const state = await openStateStore(redis.url);
      const yesterday = new Date(Date.now() - 24 * 3600 * 1000).toISOString();
      for (const g of guilds)
        await new DailyStore(state).save({
          guildId: g.id,
          channelId: g.channelId,
          time: '00:00',
          timezone: 'UTC',
          topics: [],
          quiet: false,
          setBy: 'test',
          setAt: yesterday,
        });
      await state.close();
      // One after the other: the second reads the index the first saved in the shared cache.
      await start('a');
      // While b is not running, its servers get no post: a makes only its own.
      await fake.waitFor(
        () => guildsOf('a').every((g) => dailyPosts(g).length === 1),
        PATIENCE_MS,
        "a's posts",
      );
      postsOfBWhileDown = guildsOf('b').map((g) => dailyPosts(g).length);
      await start('b');
    }, 3 * PATIENCE_MS);

    afterAll(async () => {
      for (const name of NAMES) await kill(name, 'SIGKILL');
      await fake?.close();
      await redis?.dispose();
      if (scratch) rmSync(scratch, { recursive: true, force: true });
    });

    it('connects each shard once, from the process that runs it, and both report healthy', async () => {
      expect([...fake.identifies].sort()).toEqual([
        [0, 4],
        [1, 4],
        [2, 4],
        [3, 4],
      ]);
      for (const name of NAMES)
        expect(
          (
            await until(
              () => healthz(name),
              (h) => h.status === 200,
              `${name} healthy`,
            )
          ).status,
        ).toBe(200);
    });

    it('answers every interaction exactly once, in the process that owns its server', async () => {
      const answered = await Promise.all(guilds.map((g) => run('help', g.id)));
      for (const [i, log] of answered.entries()) {
        expect(log.callbacks).toHaveLength(1);
        const owner = ownerOf(guilds[i]!.id);
        await fake.waitFor(() => answeredBy(log).length > 0, PATIENCE_MS, 'the answered log line');
        expect(answeredBy(log)).toEqual([owner]);
      }
      for (const name of NAMES) {
        const text = await metrics(name);
        expect(sample(text, 'briefing_interactions_total{command="help",outcome="ok"}')).toBe(4);
        expect(sample(text, 'briefing_first_response_seconds_count{command="help"}')).toBe(4);
      }
    });

    it('posts each server’s daily brief once in all, from the process that owns the server', async () => {
      await fake.waitFor(
        () => guilds.every((g) => dailyPosts(g).length >= 1),
        PATIENCE_MS,
        'every daily post',
      );
      for (const name of NAMES) {
        const text = await until(
          () => metrics(name),
          (t) => sample(t, 'briefing_daily_posts_total{outcome="sent"}') === guildsOf(name).length,
          `${name}'s posts counted`,
        );
        expect(sample(text, 'briefing_daily_posts_total{outcome="failed"}')).toBeUndefined();
        // The process's log reaches us through its stdout, after the post and its count: read until it has.
        const posted = await until(
          async () =>
            logLines(bot(name))
              .filter((l) => l.msg === 'daily: posted')
              .map((l) => l.guild as string),
          (p) => p.length >= guildsOf(name).length,
          `${name}'s posts logged`,
        );
        expect(posted.sort()).toEqual(
          guildsOf(name)
            .map((g) => g.id)
            .sort(),
        );
      }
      for (const g of guilds) expect(dailyPosts(g), `posts in ${g.id}`).toHaveLength(1);
      expect(postsOfBWhileDown).toEqual([0, 0, 0, 0]);
    });

    it('moves both processes to the new corpus on a /reload in one, as /status shows', async () => {
      for (const name of NAMES)
        writeFileSync(
          path.join(scratch, `corpus-${name}`, 'cluster-new.txt'),
          'Title: Port reopens\nDate: 2026-11-23\nSource: Test Wire\n\nThe harbour authority said the port reopened on Monday after repairs.\n',
        );
      const reload = await run('reload', guildsOf('a')[0]!.id);
      expect(textOf(reload.original)).toMatch(/\*\*1\*\* added/);
      const processLines = (status: string) => status.split('\n').filter((l) => l.startsWith('**Process**'));
      const status = await until(
        async () => textOf((await run('status', guildsOf('b')[0]!.id)).original),
        (s) => processLines(s).length === 2 && !/differs/.test(s) && /articles/.test(s),
        'both processes on one corpus version',
      );
      const versions = processLines(status).map((l) => l.match(/corpus (\w+), (\d+) articles/)?.slice(1));
      expect(versions[0]).toBeDefined();
      expect(versions[1]).toEqual(versions[0]);
      for (const name of NAMES) {
        const text = await until(
          () => metrics(name),
          (t) => /^briefing_reloads_total\{outcome="ok",origin="(here|notice)"\} 1$/m.test(t),
          `${name}'s reload counted`,
        );
        const origin = name === 'a' ? 'here' : 'notice';
        expect(sample(text, `briefing_reloads_total{outcome="ok",origin="${origin}"}`)).toBe(1);
      }
    });

    it('keeps answering the other process’s servers while one is killed, and its own once it restarts', async () => {
      await kill('a', 'SIGKILL');
      for (const g of guildsOf('b')) {
        const log = await run('help', g.id);
        expect(log.callbacks).toHaveLength(1);
        await fake.waitFor(() => answeredBy(log).length > 0, PATIENCE_MS, 'the answered log line');
        expect(answeredBy(log)).toEqual(['b']);
      }
      expect((await healthz('b')).status).toBe(200);
      await start('a');
      for (const g of guildsOf('a')) {
        const log = await run('help', g.id);
        expect(log.callbacks).toHaveLength(1);
        await fake.waitFor(() => answeredBy(log).length > 0, PATIENCE_MS, 'the answered log line');
        expect(answeredBy(log)).toEqual(['a']);
      }
      // The restarted process looked at its schedules at once: today's posts were made, none again.
      await until(
        async () => logLines(bot('a')).some((l) => l.msg === 'serving /healthz and /metrics'),
        Boolean,
        'a serving HTTP',
      );
      await run('daily', guildsOf('a')[0]!.id, [{ name: 'show', type: 1 }]);
      for (const g of guilds) expect(dailyPosts(g), `posts in ${g.id}`).toHaveLength(1);
    });

    it('/healthz of the process whose shard is down turns 503, and 200 once it is back', async () => {
      fake.holdShard(2);
      const down = await until(
        () => healthz('b'),
        (h) => h.status === 503,
        'b unhealthy',
      );
      expect(down.body.reasons.join('\n')).toMatch(/shard 2 is \w+/);
      expect((await healthz('a')).status).toBe(200);
      fake.releaseShard(2);
      await until(
        () => healthz('b'),
        (h) => h.status === 200,
        'b healthy again',
      );
    });
  },
);
