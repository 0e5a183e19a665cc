/**
 * The state store's contract on every backend (in-process, a real SQLite file, a real redis-server),
 * and the daily scheduler's exactly-once guarantee with two schedulers (two "processes") sharing one
 * store, driven by a hand-moved clock.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import pino from 'pino';
import sqlite3 from 'sqlite3';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { z } from 'zod';
import { type DailySettings, DailyStore, dueToday, nextPostTime } from '../../src/daily/schedule.ts';
import { DailyScheduler } from '../../src/daily/scheduler.ts';
import { boundedStateStore, StateUnavailableError } from '../../src/state/bounded.ts';
import { openCluster } from '../../src/state/cluster.ts';
import { openStateStore, type StateStore } from '../../src/state/store.ts';
import { FakeClock } from '../helpers/clock.ts';
import { fixtureEngineOnce } from '../helpers/fixtures.ts';
import { type RedisServer, shouldRunRedisTests, startRedis } from '../helpers/redis.ts';

let scratch: string;
let redis: RedisServer | undefined;
const runRedis = shouldRunRedisTests();

beforeAll(async () => {
  scratch = mkdtempSync(path.join(tmpdir(), 'state-test-'));
  if (runRedis) redis = await startRedis();
});
afterAll(async () => {
  await redis?.dispose();
  rmSync(scratch, { recursive: true, force: true });
});

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));
const valueSchema = z.object({ n: z.number() });

/** Two handles on one store, as two bot processes would hold. */
type Pair = () => Promise<[StateStore, StateStore]>;
const backends: [string, Pair, boolean][] = [
  [
    'in-process',
    async () => {
      const one = await openStateStore('memory:');
      return [one, one];
    },
    true,
  ],
  [
    'SQLite file',
    async () => {
      const url = `sqlite://${path.join(scratch, `state-${Math.random().toString(36).slice(2)}.sqlite`)}`;
      return [await openStateStore(url), await openStateStore(url)];
    },
    true,
  ],
  [
    'Redis',
    async () => {
      const ns = `t${Math.random().toString(36).slice(2)}`;
      return [await openStateStore(redis!.url, ns), await openStateStore(redis!.url, ns)];
    },
    runRedis,
  ],
];

for (const [name, pair, enabled] of backends) {
  describe.runIf(enabled)(`state store: ${name}`, () => {
    it('keeps values, validates them on read, expires them, deletes them', async () => {
      const [a, b] = await pair();
      await a.set('k', { n: 1 });
      expect(await b.get('k', valueSchema)).toEqual({ n: 1 });
      // A value of the wrong shape reads as absent, never as a wrong value.
      await a.set('bad', { n: 'one' });
      expect(await b.get('bad', valueSchema)).toBeUndefined();
      await a.set('short', { n: 2 }, 30);
      await sleep(60);
      expect(await b.get('short', valueSchema)).toBeUndefined();
      await a.delete('k');
      expect(await b.get('k', valueSchema)).toBeUndefined();
      await a.close();
      if (b !== a) await b.close();
    });

    it('lists the values under a prefix, and no others', async () => {
      const [a, b] = await pair();
      await a.set('p:1', { n: 1 });
      await b.set('p:2', { n: 2 });
      await a.set('p:bad', { n: 'two' });
      await a.set('q:1', { n: 3 });
      await a.set('p:gone', { n: 4 }, 30);
      await sleep(60);
      expect(Object.fromEntries(await b.list('p:', valueSchema))).toEqual({
        'p:1': { n: 1 },
        'p:2': { n: 2 },
      });
      await a.close();
      if (b !== a) await b.close();
    });

    it('keeps both guilds scheduled when two admins save at the same moment', async () => {
      const [a, b] = await pair();
      const base = { time: '08:00', timezone: 'UTC', topics: [], quiet: false, setBy: 't', setAt: 'x' };
      await Promise.all([
        new DailyStore(a).save({ ...base, guildId: '111', channelId: 'c1' }),
        new DailyStore(b).save({ ...base, guildId: '222', channelId: 'c2' }),
      ]);
      const guilds = (await new DailyStore(a).allSettings()).map((s) => s.guildId).sort();
      expect(guilds).toEqual(['111', '222']);
      await new DailyStore(b).remove('111');
      expect((await new DailyStore(a).allSettings()).map((s) => s.guildId)).toEqual(['222']);
      await a.close();
      if (b !== a) await b.close();
    });

    it('gives a claim to exactly one of many concurrent claimants, and again once it expires', async () => {
      const [a, b] = await pair();
      const attempts = Array.from({ length: 20 }, (_, i) =>
        (i % 2 === 0 ? a : b).claim('day', `owner${i}`, 150),
      );
      const won = (await Promise.all(attempts)).filter(Boolean);
      expect(won).toHaveLength(1);
      expect(await b.claim('day', 'late', 150)).toBe(false);
      await sleep(250);
      expect(await b.claim('day', 'after-expiry', 1000)).toBe(true);
      expect(await a.claim('day', 'again', 1000)).toBe(false);
      await a.close();
      if (b !== a) await b.close();
    });

    it('extends a claim for its holder only, so a renewed lease outlives its first length', async () => {
      const [a, b] = await pair();
      expect(await a.claim('post', 'holder', 1000)).toBe(true);
      expect(await a.extend('post', 'holder', 60_000)).toBe(true);
      await sleep(1200);
      expect(await b.claim('post', 'other', 1000)).toBe(false);
      expect(await b.extend('post', 'other', 60_000)).toBe(false);
      // Let it lapse; once another holds it, the first holder can no longer extend it.
      expect(await a.extend('post', 'holder', 50)).toBe(true);
      await sleep(150);
      expect(await b.claim('post', 'other', 60_000)).toBe(true);
      expect(await a.extend('post', 'holder', 60_000)).toBe(false);
      await a.close();
      if (b !== a) await b.close();
    });
  });
}

describe('a state store that stops answering', () => {
  it.runIf(runRedis)(
    'fails each call by its deadline while Redis is paused (SIGSTOP), and works once it runs again',
    async () => {
      const paused = await startRedis();
      // Generous, so that a loaded machine does not fail the calls made before the pause.
      const store = await openStateStore(paused.url, 'stall', { timeoutMs: 1500, concurrency: 4 });
      await store.set('k', { n: 1 });
      paused.pause();
      try {
        await Promise.all([
          expect(store.get('k', valueSchema)).rejects.toThrow(StateUnavailableError),
          expect(store.set('k', { n: 2 })).rejects.toThrow(/did not answer within 1500 ms/),
          expect(store.claim('day', 'me', 1000)).rejects.toThrow(StateUnavailableError),
          expect(store.list('', valueSchema)).rejects.toThrow(StateUnavailableError),
        ]);
      } finally {
        paused.resume();
      }
      // The calls queued in the paused server run now; the store answers again.
      await vi.waitFor(async () => expect(await store.get('k', valueSchema)).toEqual({ n: 2 }), {
        timeout: 20_000,
        interval: 50,
      });
      await store.close();
      await paused.dispose();
    },
  );

  it('lets at most two calls at a time reach a backend that never settles; the rest fail in turn', async () => {
    let reached = 0;
    const never = <T>() => {
      reached++;
      return new Promise<T>(() => {});
    };
    const hung: StateStore = {
      backend: 'sqlite',
      get: never,
      set: never,
      delete: never,
      list: never,
      claim: never,
      extend: never,
      close: never,
    };
    const store = boundedStateStore(hung, { timeoutMs: 100 });
    const calls = Array.from({ length: 6 }, (_, i) => store.get(`k${i}`, valueSchema));
    const outcomes = await Promise.allSettled(calls);
    expect(outcomes.map((o) => o.status)).toEqual(Array(6).fill('rejected'));
    // The two hung calls still hold their places: nothing more reaches the backend.
    expect(reached).toBe(2);
    await expect(store.set('k', 1)).rejects.toThrow(StateUnavailableError);
    expect(reached).toBe(2);
    // Closing does not wait on a hung backend either.
    await expect(store.close()).rejects.toThrow(StateUnavailableError);
  });
});

describe('STATE_URL', () => {
  it('opens a SQLite file another process holds locked once it is let go, instead of calling it damaged', async () => {
    const dir = mkdtempSync(path.join(tmpdir(), 'state-shared-'));
    const file = path.join(dir, 'state.sqlite');
    // Another process starting at the same moment: it holds the file locked past SQLite's busy timeout.
    const other = new sqlite3.Database(file);
    const exec = (sql: string) =>
      new Promise<void>((resolve, reject) => other.exec(sql, (err) => (err ? reject(err) : resolve())));
    try {
      await exec('CREATE TABLE t (x); BEGIN EXCLUSIVE; INSERT INTO t VALUES (1);');
      const opening = openStateStore(`sqlite://${file}`);
      await new Promise((resolve) => setTimeout(resolve, 6_000));
      await exec('COMMIT;');
      const store = await opening;
      await store.set('k', 1);
      expect(await store.get('k', z.number())).toBe(1);
      await store.close();
    } finally {
      await new Promise((resolve) => other.close(resolve));
      rmSync(dir, { recursive: true, force: true });
    }
  }, 60_000);

  it('says what is wrong with a bad value', async () => {
    await expect(openStateStore('mysql://x')).rejects.toThrow(/STATE_URL "mysql:\/\/x": use sqlite/);
  });

  it.runIf(runRedis)(
    'fails at once, naming the server, when Redis is not there and no one waits for it (the command line)',
    async () => {
      const absent = await startRedis({ running: false });
      try {
        await expect(openStateStore(absent.url)).rejects.toThrow(
          /^STATE_URL: cannot reach Redis at redis:\/\/127\.0\.0\.1:\d+: .*ECONNREFUSED/,
        );
        await expect(openCluster(absent.url)).rejects.toThrow(/^STATE_URL: cannot reach Redis at/);
      } finally {
        await absent.dispose();
      }
    },
  );
});

describe('post times', () => {
  const berlin = { time: '08:00', timezone: 'Europe/Berlin' };
  it('follow the time zone across DST, and are due only once the time has passed that local day', () => {
    expect(dueToday(berlin, new Date('2026-07-01T05:59:00Z'))).toBeUndefined();
    expect(dueToday(berlin, new Date('2026-07-01T06:00:00Z'))?.due.toISOString()).toBe(
      '2026-07-01T06:00:00.000Z',
    );
    expect(dueToday(berlin, new Date('2026-12-01T07:30:00Z'))?.due.toISOString()).toBe(
      '2026-12-01T07:00:00.000Z',
    );
    // The night of the change: 08:00 is 07:00 UTC on Saturday and 06:00 UTC on Sunday.
    expect(nextPostTime(berlin, new Date('2026-03-28T12:00:00Z')).toISOString()).toBe(
      '2026-03-29T06:00:00.000Z',
    );
    // 23:30 UTC is already the next day in Berlin: today's post there is not due yet.
    expect(dueToday(berlin, new Date('2026-07-01T23:30:00Z'))).toBeUndefined();
    // A time that does not exist on the spring-forward day still posts that day.
    expect(
      dueToday({ time: '02:30', timezone: 'Europe/Berlin' }, new Date('2026-03-29T05:00:00Z'))?.date,
    ).toBe('2026-03-29');
  });
});

describe.runIf(runRedis)('two schedulers sharing one Redis store', () => {
  it('post a guild’s day once between them, whichever looks first, and again the next day', async () => {
    const engine = await fixtureEngineOnce();
    const clock = new FakeClock('2026-11-23T09:00:00Z');
    const ns = `sched${Math.random().toString(36).slice(2)}`;
    const stores = [await openStateStore(redis!.url, ns), await openStateStore(redis!.url, ns)];
    const posts: string[] = [];
    const settings: DailySettings = {
      guildId: '100000000000000001',
      channelId: '100000000000000002',
      time: '08:00',
      timezone: 'UTC',
      topics: [],
      quiet: false,
      setBy: 'test',
      setAt: '2026-11-24T00:00:00Z',
    };
    await new DailyStore(stores[0]!).save(settings);
    const schedulers = stores.map(
      (store, i) =>
        new DailyScheduler({
          store: new DailyStore(store),
          library: { current: () => engine, firstSeen: () => undefined },
          deliver: async (_s, digest, _note, sent) => {
            posts.push(`${i}:${digest.date}`);
            sent.push(String(posts.length));
          },
          logger: pino({ level: 'silent' }),
          clock,
        }),
    );
    const look = () => Promise.all(schedulers.map((s) => s.runScheduled(settings)));
    // Set at 10:00 for 08:00: today's time had passed, so the first post is tomorrow's, not a "late" one.
    const setLate = { ...settings, setAt: '2026-11-23T10:00:00.000Z' };
    clock.set('2026-11-23T10:00:05Z');
    expect(await schedulers[0]!.runScheduled(setLate)).toEqual({ posted: false, reason: 'not-due' });
    clock.set('2026-11-24T07:59:00Z');
    expect((await look()).map((o) => o.posted)).toEqual([false, false]);
    clock.set('2026-11-24T08:00:05Z');
    const outcomes = await look();
    expect(outcomes.filter((o) => o.posted)).toHaveLength(1);
    const other = outcomes.find((o) => !o.posted);
    expect(other).toMatchObject({ reason: expect.stringMatching(/^(claimed-elsewhere|already-posted)$/) });
    await look();
    clock.set('2026-11-25T08:00:05Z');
    await look();
    expect(posts.map((p) => p.slice(2))).toEqual(['2026-11-24', '2026-11-25']);
    for (const s of stores) await s.close();
  });
});

/** Guild g1's post at 08:00 UTC, set days before the tests' dates. */
const G1_AT_EIGHT: DailySettings = {
  guildId: 'g1',
  channelId: 'c1',
  time: '08:00',
  timezone: 'UTC',
  topics: [],
  quiet: false,
  setBy: 'test',
  setAt: '2026-11-20T00:00:00Z',
};

describe('the scheduler, killed between two pages of a post', () => {
  it('is finished by the next process without repeating a page (simulated kill, real SQLite file)', async () => {
    const engine = await fixtureEngineOnce();
    const file = path.join(scratch, `killed-${Math.random().toString(36).slice(2)}.sqlite`);
    const clock = new FakeClock('2026-11-24T08:00:05Z');
    const channel: string[] = [];
    const settings = G1_AT_EIGHT;
    /** A bot process: its own connection to the state file; `dieAfter` pages, it stops for good. */
    const process = async (dieAfter?: number) => {
      const store = await openStateStore(`sqlite://${file}`);
      const scheduler = new DailyScheduler({
        store: new DailyStore(store),
        library: { current: () => engine, firstSeen: () => undefined },
        deliver: async (_s, _digest, _note, sent, progress) => {
          for (const page of ['page 1', 'page 2', 'page 3'].slice(sent.length)) {
            // The process is killed here: nothing after this point ever runs.
            if (sent.length === dieAfter) await new Promise(() => {});
            channel.push(page);
            sent.push(`message ${page}`);
            await progress?.(sent);
          }
        },
        logger: pino({ level: 'silent' }),
        clock,
        // The claim expires on the store's own (real) clock.
        leaseMs: 300,
      });
      return { store, scheduler };
    };
    const first = await process(1);
    await new DailyStore(first.store).save(settings);
    void first.scheduler.runScheduled(settings);
    const firstView = new DailyStore(first.store);
    while ((await firstView.attempt('g1', '2026-11-24'))?.messageIds.length !== 1) await sleep(5);
    expect(channel).toEqual(['page 1']);
    // Dead: its link to the store is gone, so it renews its claim no more (a real kill: tests/e2e/main.test.ts).
    await first.store.close();

    // Restarted: the dead process's claim holds until its lease ends, then the post is finished.
    const second = await process();
    const daily = new DailyStore(second.store);
    let outcome = await second.scheduler.runScheduled(settings);
    while (!outcome.posted && outcome.reason === 'claimed-elsewhere') {
      await sleep(50);
      outcome = await second.scheduler.runScheduled(settings);
    }
    expect(outcome).toMatchObject({
      posted: true,
      record: { messageIds: ['message page 1', 'message page 2', 'message page 3'], late: false },
    });
    expect(channel).toEqual(['page 1', 'page 2', 'page 3']);
    expect(await daily.attempt('g1', '2026-11-24')).toBeUndefined();
    expect(await second.scheduler.runScheduled(settings)).toMatchObject({ reason: 'already-posted' });
    await second.store.close();
  });
});

describe('the scheduler, unable to record a post before sending it', () => {
  it('sends nothing, and posts once the attempt can be recorded', async () => {
    const engine = await fixtureEngineOnce();
    const clock = new FakeClock('2026-11-24T08:00:05Z');
    const daily = new DailyStore(await openStateStore('memory:'));
    let storing = false;
    const store = Object.create(daily) as DailyStore;
    store.saveAttempt = async (attempt) => {
      if (!storing) throw new Error('disk full');
      await daily.saveAttempt(attempt);
    };
    const channel: string[] = [];
    const scheduler = new DailyScheduler({
      store,
      library: { current: () => engine, firstSeen: () => undefined },
      deliver: async (_s, _digest, _note, sent) => {
        channel.push('page');
        sent.push('m1');
      },
      logger: pino({ level: 'silent' }),
      clock,
      leaseMs: 300,
    });
    const settings = G1_AT_EIGHT;
    expect(await scheduler.runScheduled(settings)).toMatchObject({ posted: false, reason: 'failed' });
    expect(channel).toEqual([]);
    storing = true;
    let outcome = await scheduler.runScheduled(settings);
    // Its own claim from the failed look still holds until its lease ends.
    while (!outcome.posted && outcome.reason === 'claimed-elsewhere') {
      await sleep(50);
      outcome = await scheduler.runScheduled(settings);
    }
    expect(outcome).toMatchObject({ posted: true });
    expect(channel).toEqual(['page']);
  });
});

describe('the scheduler, one guild failing', () => {
  it('posts for the other guilds, and a quiet guild with nothing new gets nothing', async () => {
    const engine = await fixtureEngineOnce();
    const clock = new FakeClock('2026-11-24T09:00:00Z');
    const store = new DailyStore(await openStateStore('memory:'));
    const base = { topics: [], quiet: false, setBy: 'test', setAt: '2026-11-24T00:00:00Z', time: '08:00' };
    // A zone that was valid when saved but is no longer known, a channel that always fails, a quiet one.
    await store.save({ ...base, guildId: 'broken-zone', channelId: 'c1', timezone: 'Nowhere/Gone' });
    await store.save({ ...base, guildId: 'failing', channelId: 'c2', timezone: 'UTC' });
    await store.save({ ...base, guildId: 'quiet', channelId: 'c3', timezone: 'UTC', quiet: true });
    await store.save({ ...base, guildId: 'fine', channelId: 'c4', timezone: 'UTC' });
    const sentTo: string[] = [];
    const errors: string[] = [];
    const scheduler = new DailyScheduler({
      store,
      library: { current: () => engine, firstSeen: () => undefined },
      deliver: async (settings, _digest, _note, sent) => {
        if (settings.channelId === 'c2') throw new Error('Missing Permissions');
        sentTo.push(settings.channelId);
        sent.push('m1');
      },
      logger: pino({ level: 'error' }, { write: (line: string) => void errors.push(JSON.parse(line).msg) }),
      clock,
      backoffMs: 10,
    });
    await scheduler.tick();
    await scheduler.stop();
    expect(sentTo).toEqual(['c4']);
    expect(errors).toEqual(
      expect.arrayContaining(['daily: could not run the schedule', 'daily: gave up for today']),
    );
    expect(await store.failure('failing')).toMatchObject({
      date: '2026-11-24',
      attempts: 4,
      error: 'Missing Permissions',
    });
    // The quiet guild's day is recorded as done with no message, so it is not tried again.
    expect(await store.post('quiet', '2026-11-24')).toMatchObject({ messageIds: [], newArticles: 0 });
    expect(await store.post('fine', '2026-11-24')).toMatchObject({ messageIds: ['m1'] });
  });
});
