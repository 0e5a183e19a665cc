/**
 * Admin control and the daily brief, end to end: the real discord.js client against the loopback fake
 * Discord, the state in a real SQLite file, and a hand-moved clock (no test waits for real time).
 */
import { cpSync, mkdtempSync, rmSync, unlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type App, startApp } from '../../src/app.ts';
import { type Config, parseConfig } from '../../src/config.ts';
import { FakeClock } from '../helpers/clock.ts';
import { FakeDiscord, type InteractionLog, textOf } from '../helpers/fake-discord.ts';
import { FIXTURE_CORPUS } from '../helpers/fixtures.ts';
import { captureLogs } from '../helpers/logs.ts';

const EPHEMERAL = 64;
const ADMIN_USER = '500000000000000001';
const ADMIN_ROLE = '600000000000000001';

let fake: FakeDiscord;
let scratch: string;
let corpus: string;
let config: Config;
const clock = new FakeClock('2026-11-24T07:58:00Z');
const captured = captureLogs();
const logLines = captured.lines;
const apps: App[] = [];
/** Opens the gate of a held reload. */
let holdOpen: Promise<void> = Promise.resolve();

async function start(): Promise<App> {
  const logger = captured.logger(config);
  const app = await startApp(config, logger, { clock, dailyBackoffMs: 1000, beforeOpen: () => holdOpen });
  apps.push(app);
  return app;
}

async function stop(app: App): Promise<void> {
  await app.stop();
  apps.splice(apps.indexOf(app), 1);
}

let userSeq = 700000000000000000n;
const newUser = () => ({ id: String(++userSeq), username: `admin${userSeq}` });
const MANAGE_GUILD = 0x20n;

const str = (name: string, value: string) => ({ name, type: 3, value });
function sub(name: string, options: Record<string, unknown>[] = []) {
  return [{ name, type: 1, options }];
}
/** Runs a command as an admin (Manage Server) unless `who` says otherwise; the final answer. */
function run(
  command: string,
  options: Record<string, unknown>[] = [],
  who: { permissions?: bigint; user?: { id: string; username: string }; roles?: string[] } = {},
): Promise<InteractionLog> {
  return fake.answered(
    fake.chatInput(command, options as never, { user: newUser(), permissions: MANAGE_GUILD, ...who }),
  );
}
const answer = (log: InteractionLog) => textOf(log.original ?? log.callbacks[0]?.data);

function article(file: string, title: string, date: string, body: string): void {
  writeFileSync(path.join(corpus, file), `Title: ${title}\nDate: ${date}\nSource: Test Wire\n\n${body}\n`);
}

/** Waits until every running bot's scheduler has finished its look and planned the next one. */
async function settle(): Promise<void> {
  await new Promise((resolve) => setTimeout(resolve, 20));
  for (const app of apps) await app.scheduler.settled();
}

/** Moves the clock once the schedulers are idle, so each sees the jump as a wall clock would. */
async function moveBy(ms: number): Promise<void> {
  await moveClock(new Date(clock.now().getTime() + ms).toISOString());
}

async function moveClock(to: string): Promise<void> {
  await settle();
  clock.set(to);
}

beforeAll(async () => {
  fake = await FakeDiscord.start();
  captured.watch(fake);
  scratch = mkdtempSync(path.join(tmpdir(), 'admin-test-'));
  corpus = path.join(scratch, 'corpus');
  cpSync(FIXTURE_CORPUS, corpus, { recursive: true });
  config = parseConfig({
    DISCORD_TOKEN: 'admin-test-token',
    DISCORD_APP_ID: fake.appId,
    DISCORD_API_URL: fake.apiUrl,
    CACHE_URL: 'memory:',
    STATE_URL: `sqlite://${path.join(scratch, 'state.sqlite')}`,
    CORPUS_DIR: corpus,
    INDEX_CACHE_DIR: path.join(scratch, 'index'),
    COOLDOWN: '0s',
    SHUTDOWN_TIMEOUT: '5s',
    LOG_LEVEL: 'debug',
    ADMIN_USER_IDS: ADMIN_USER,
    ADMIN_ROLE_IDS: ADMIN_ROLE,
  });
  await start();
});

afterAll(async () => {
  for (const app of [...apps]) await app.stop();
  await fake?.close();
  if (scratch) rmSync(scratch, { recursive: true, force: true });
});

describe('who is an admin', () => {
  it('refuses a member without Manage Server, ephemerally, and runs nothing', async () => {
    for (const command of ['reload', 'status']) {
      const log = await run(command, [], { permissions: 0n });
      expect(log.callbacks[0]).toMatchObject({ type: 4, data: { flags: EPHEMERAL } });
      expect(answer(log)).toMatch(new RegExp(`/${command} is for server admins`));
    }
    const daily = await run('daily', sub('now'), { permissions: 0n });
    expect(answer(daily)).toMatch(/is for server admins/);
    expect(logLines.some((l) => l.outcome === 'not_admin')).toBe(true);
  });

  it('accepts a user or a role listed in ADMIN_USER_IDS / ADMIN_ROLE_IDS without the permission', async () => {
    const byUser = await run('status', [], { permissions: 0n, user: { id: ADMIN_USER, username: 'listed' } });
    expect(answer(byUser)).toMatch(/Corpus/);
    const byRole = await run('status', [], { permissions: 0n, roles: [ADMIN_ROLE] });
    expect(answer(byRole)).toMatch(/Corpus/);
  });
});

describe('/status', () => {
  it('shows corpus, last reload, cache, summariser, uptime and the daily schedule', async () => {
    const text = answer(await run('status'));
    expect(text).toMatch(/\*\*Corpus\*\* \d+ articles/);
    expect(text).toMatch(/Last reload.*by start-up/);
    expect(text).toMatch(/Cache\*\* memory/);
    expect(text).toMatch(/Summariser\*\* extractive/);
    expect(text).toMatch(/State store\*\* sqlite/);
    expect(text).toMatch(/Servers\*\* 1/);
    expect(text).toMatch(/Daily brief\*\* off here/);
  });
});

describe('/daily', () => {
  it('says what is wrong with a bad time zone, time, topic or channel, and saves nothing', async () => {
    const cases: [Record<string, unknown>[], RegExp][] = [
      [[str('time', '08:00'), str('timezone', 'Mars/Olympus')], /"Mars\/Olympus" is not a time zone/],
      [[str('time', '25:00'), str('timezone', 'UTC')], /write a 24-hour time/],
      [
        [str('time', '08:00'), str('timezone', 'UTC'), str('topics', 'kataib-hezbollah, no-such-group')],
        /"no-such-group" is not a known topic/,
      ],
    ];
    for (const [options, message] of cases) {
      const log = await run(
        'daily',
        sub('set', [{ name: 'channel', type: 7, value: fake.channelId }, ...options]),
      );
      expect(answer(log)).toMatch(message);
    }
    const unknownChannel = await run(
      'daily',
      sub('set', [
        { name: 'channel', type: 7, value: '123456789012345678' },
        str('time', '08:00'),
        str('timezone', 'UTC'),
      ]),
    );
    expect(answer(unknownChannel)).toMatch(/I cannot see <#123456789012345678>/);
    expect(answer(await run('daily', sub('show')))).toMatch(/The daily brief is off here/);
  });

  it('is set, shown and previewed without posting anything', async () => {
    const set = await run(
      'daily',
      sub('set', [
        { name: 'channel', type: 7, value: fake.channelId },
        str('time', '8:00'),
        str('timezone', 'UTC'),
        str('topics', 'KH'),
      ]),
    );
    expect(answer(set)).toMatch(/Every day at \*\*08:00\*\* \(UTC\)/);
    expect(answer(set)).toMatch(/`kataib-hezbollah`/);
    // 08:00 UTC today is two minutes away.
    expect(answer(set)).toContain(`<t:${Date.parse('2026-11-24T08:00:00Z') / 1000}:f>`);
    const show = answer(await run('daily', sub('show')));
    expect(show).toMatch(/At \*\*08:00\*\* \(UTC\) in <#\d+>/);
    expect(show).toMatch(/No post yet/);
    const preview = await run('daily', sub('preview'));
    expect(preview.callbacks[0]).toEqual({ type: 5, data: { flags: EPHEMERAL } });
    expect(answer(preview)).toMatch(/Daily brief — 2026-11-24/);
    expect(answer(preview)).toMatch(/Preview: nothing has been posted/);
    // The corpus a deployment starts with is not news.
    expect(answer(preview)).toMatch(/Nothing new in the corpus/);
    expect(fake.channelMessages).toHaveLength(0);
  });

  it('posts at the set time what was added since, once, however often the clock looks', async () => {
    article(
      'drone-unit.txt',
      'Kataib Hezbollah forms drone unit',
      '2026-11-23',
      'Kataib Hezbollah said it had formed a new drone unit near Jurf al-Sakhar. The group said the unit would answer any attack on its bases.',
    );
    expect(answer(await run('reload'))).toMatch(/1\*\* added/);
    await moveBy(60_000); // 07:59
    await settle();
    expect(fake.channelMessages).toHaveLength(0);
    await moveClock('2026-11-24T08:00:30Z');
    await fake.waitFor(() => fake.channelMessages.length === 1, 5000, 'the daily post');
    const post = fake.channelMessages[0]!;
    expect(post.channelId).toBe(fake.channelId);
    expect(post.body.allowed_mentions).toEqual({ parse: [] });
    const text = textOf(post.body);
    expect(text).toMatch(/Daily brief — 2026-11-24/);
    expect(text).toMatch(/1 article new since/);
    expect(text).toMatch(/\*\*Kata'ib Hezbollah\*\*/);
    expect(text).toMatch(/drone unit near Jurf al-Sakhar\. \[1\]/);
    expect(text).toMatch(/\[1\] Kataib Hezbollah forms drone unit — Test Wire, 2026-11-23/);
    expect(text).not.toMatch(/Posted late/);
    await moveBy(5 * 60_000);
    await settle();
    await moveBy(3600_000);
    await settle();
    expect(fake.channelMessages).toHaveLength(1);
    expect(answer(await run('daily', sub('show')))).toMatch(/Last post <t:\d+:f>: 1 new articles, 1 message/);
  });

  it('does not post again after a restart on the same day, nor when the clock is set back', async () => {
    await stop(apps[0]!);
    await start();
    await settle();
    await moveClock('2026-11-24T07:30:00Z');
    await moveClock('2026-11-24T08:00:10Z');
    await settle();
    expect(fake.channelMessages).toHaveLength(1);
  });

  it('two bot processes sharing one store post once between them', async () => {
    await start();
    expect(apps).toHaveLength(2);
    await moveClock('2026-11-25T08:00:20Z');
    await fake.waitFor(() => fake.channelMessages.length === 2, 5000, 'the next day post');
    await settle();
    await moveBy(120_000);
    await settle();
    expect(fake.channelMessages).toHaveLength(2);
    // Nothing was added since yesterday's post: one line says so.
    expect(textOf(fake.channelMessages[1]!.body)).toMatch(/Nothing new in the corpus since 2026-11-24/);
    await stop(apps[1]!);
  });

  it('retries a post that Discord fails with a 5xx, and reports one that keeps failing on /daily show', async () => {
    // discord.js retries a 5xx three times itself: four failures fail one delivery, then ours retries.
    fake.failNext('POST /channels', 500, 4);
    await moveClock('2026-11-26T08:00:20Z');
    await fake.waitFor(() => fake.channelMessages.length === 3, 5000, 'the retried post');
    expect(logLines.some((l) => l.msg === 'daily: post failed' && l.attempt === 1)).toBe(true);

    fake.failNext('POST /channels', 500, 100);
    await moveClock('2026-11-27T08:00:20Z');
    await fake.waitFor(
      () => logLines.some((l) => l.msg === 'daily: gave up for today'),
      10_000,
      'the scheduler to give up',
    );
    const show = answer(await run('daily', sub('show')));
    expect(show).toMatch(/The post for 2026-11-27 failed after 4 attempts/);
    fake.failNext('POST /channels', 500, 0);
    await moveBy(60 * 60_000);
    await settle();
    expect(fake.channelMessages).toHaveLength(3);
  });

  it('sends a post missed while the bot was down when it starts again that day, saying it is late', async () => {
    await fake.waitFor(() => true);
    // Clear scripted failures left over, then go down before 08:00 and come back at 09:30.
    (fake as unknown as { failures: unknown[] }).failures.length = 0;
    await stop(apps[0]!);
    await moveClock('2026-11-28T09:30:00Z');
    await start();
    await fake.waitFor(() => fake.channelMessages.length === 4, 5000, 'the catch-up post');
    expect(textOf(fake.channelMessages[3]!.body)).toMatch(
      /Posted late: the bot was offline at 08:00 \(UTC\)/,
    );
  });

  it('/daily now posts at once, and /daily off stops it', async () => {
    const now = await run('daily', sub('now'));
    expect(answer(now)).toMatch(/Posted 1 message\(s\) in <#\d+>/);
    expect(fake.channelMessages).toHaveLength(5);
    expect(textOf(fake.channelMessages[4]!.body)).toMatch(/Posted on request/);
    expect(answer(await run('daily', sub('off')))).toMatch(/No more daily posts here/);
    await moveClock('2026-11-29T08:00:20Z');
    await settle();
    expect(fake.channelMessages).toHaveLength(5);
    expect(answer(await run('daily', sub('now')))).toMatch(/The daily brief is off here/);
  });
});

describe('/reload', () => {
  it('reports added, changed, removed and rejected files, and serves the new corpus', async () => {
    article(
      'tower.txt',
      'New Tower 22 findings',
      '2026-11-20',
      'Investigators released new findings on the Tower 22 drone attack in Jordan.',
    );
    article(
      'drone-unit.txt',
      'Kataib Hezbollah forms drone unit',
      '2026-11-23',
      'Kataib Hezbollah said it had formed a second drone unit. The group said the unit was ready.',
    );
    unlinkSync(path.join(corpus, 'header.txt'));
    writeFileSync(path.join(corpus, 'broken.json'), '{"title": "half a record"');
    const text = answer(await run('reload'));
    expect(text).toMatch(/\*\*1\*\* added, \*\*1\*\* changed, \*\*1\*\* removed/);
    expect(text).toMatch(/1 rejected/);
    expect(text).toMatch(/`broken\.json`/);
    expect(text).toMatch(/Corpus [0-9a-f]{8} → [0-9a-f]{8}/);
    // The new index was built on a worker thread; this thread only read it.
    expect(apps[0]!.library.last).toMatchObject({ ok: true, index: 'cache' });
    expect(logLines.some((l) => String(l.msg).includes('index worker failed'))).toBe(false);
    const search = answer(await run('search', [str('query', 'Tower 22 findings')]));
    expect(search).toMatch(/New Tower 22 findings/);
  });

  it('keeps the corpus in service when the new one has no valid article', async () => {
    const aside = path.join(scratch, 'aside');
    cpSync(corpus, aside, { recursive: true });
    rmSync(corpus, { recursive: true });
    cpSync(path.join(aside, 'broken.json'), path.join(corpus, 'broken.json'));
    const text = answer(await run('reload'));
    expect(text).toMatch(/Reload refused — the corpus in service is unchanged/);
    expect(text).toMatch(/No valid article/);
    expect(answer(await run('search', [str('query', 'Tower 22 findings')]))).toMatch(/New Tower 22 findings/);
    rmSync(corpus, { recursive: true });
    cpSync(aside, corpus, { recursive: true });
  });

  it('answers commands from the old index while a slow reload runs, then from the new one', async () => {
    article(
      'late.txt',
      'Late addition on Kataib Hezbollah',
      '2026-11-28',
      'Kataib Hezbollah announced a pause in attacks on Tuesday.',
    );
    let open!: () => void;
    holdOpen = new Promise<void>((resolve) => {
      open = resolve;
    });
    const reload = fake.chatInput('reload', [], { user: newUser(), permissions: MANAGE_GUILD });
    await fake.waitFor(() => reload.callbacks.length > 0, 5000, 'the reload to be deferred');
    const during = answer(await run('search', [str('query', 'pause in attacks')]));
    expect(during).not.toMatch(/Late addition/);
    open();
    holdOpen = Promise.resolve();
    expect(answer(await fake.answered(reload))).toMatch(/\*\*1\*\* added/);
    expect(answer(await run('search', [str('query', 'pause in attacks')]))).toMatch(/Late addition/);
  });
});

describe('/brief since:last', () => {
  it('briefs only what is newer than this user’s previous briefing, or says nothing new arrived', async () => {
    const me = newUser();
    // The briefing is remembered after the reply is sent: the next one waits until that has happened.
    const brief = async (since?: string) => {
      const log = await run(
        'brief',
        [str('topic', 'kataib-hezbollah'), ...(since ? [str('since', since)] : [])],
        {
          user: me,
        },
      );
      for (const app of apps) expect(await app.router.drain(30_000)).toBe(true);
      return log;
    };
    const first = answer(await brief('last'));
    expect(first).toMatch(/no earlier briefing on this topic: here is the full one/);
    const nothing = answer(await brief('last'));
    expect(nothing).toMatch(
      /Nothing new since your last briefing on \d{4}-\d{2}-\d{2}; its newest source was dated 2026-11-28/,
    );
    expect(nothing).toMatch(/^Briefing: Kata'ib Hezbollah/m);
    expect(nothing).not.toMatch(/The corpus has nothing on this/);
    article(
      'newer.txt',
      'Kataib Hezbollah statement',
      '2026-11-29',
      'Kataib Hezbollah issued a statement rejecting the new security agreement.',
    );
    await run('reload');
    const update = answer(await brief('last'));
    expect(update).toMatch(/rejecting the new security agreement/);
    expect(update).not.toMatch(/drone unit/);
  });
});

describe('CORPUS_WATCH', () => {
  it('reloads by itself once changed files have settled', async () => {
    for (const app of [...apps]) await stop(app);
    config = { ...config, CORPUS_WATCH: true };
    const app = await start();
    article(
      'watched.txt',
      'Watched article',
      '2026-11-30',
      'A watched article about Kataib Hezbollah arrived.',
    );
    await fake.waitFor(() => app.library.last?.by === 'watch', 10_000, 'the watch reload');
    expect(app.library.last).toMatchObject({ ok: true, added: 1, removed: 0 });
    expect(answer(await run('search', [str('query', 'watched article')]))).toMatch(/Watched article/);
  });
});
