/**
 * The bot over a state store that stops answering: a real redis-server paused with SIGSTOP (its socket
 * stays open, so no error ever comes), the real discord.js client against the loopback fake Discord.
 * No assertion is about time: each test waits (generously) for an answer that, without deadlines on
 * the state store, would never come.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type App, startApp } from '../../src/app.ts';
import { parseConfig } from '../../src/config.ts';
import { HISTORY_UNREADABLE_NOTE } from '../../src/state/since-last.ts';
import { FakeDiscord, type InteractionLog, textOf } from '../helpers/fake-discord.ts';
import { FIXTURE_CORPUS } from '../helpers/fixtures.ts';
import { captureLogs } from '../helpers/logs.ts';
import { type RedisServer, shouldRunRedisTests, startRedis } from '../helpers/redis.ts';

const runRedis = shouldRunRedisTests();
/** Long enough for a loaded machine; the state store's own deadline is 2 s. */
const ANSWER_WAIT_MS = 60_000;
const EPHEMERAL = 64;
const MANAGE_GUILD = 0x20n;

let fake: FakeDiscord;
let redis: RedisServer;
let app: App;
let scratch: string;
const captured = captureLogs(runRedis);
const logLines = captured.lines;
let userSeq = 800000000000000000n;
const newUser = () => ({ id: String(++userSeq), username: `user${userSeq}` });
const sharer = newUser();
let shareable: InteractionLog;

describe.runIf(runRedis)('the bot while its Redis state store is paused (SIGSTOP)', () => {
  beforeAll(async () => {
    fake = await FakeDiscord.start();
    redis = await startRedis();
    scratch = mkdtempSync(path.join(tmpdir(), 'stall-test-'));
    const config = parseConfig({
      DISCORD_TOKEN: 'stall-test-token',
      DISCORD_APP_ID: fake.appId,
      DISCORD_API_URL: fake.apiUrl,
      CACHE_URL: 'memory:',
      STATE_URL: redis.url,
      CORPUS_DIR: FIXTURE_CORPUS,
      INDEX_CACHE_DIR: path.join(scratch, 'index'),
      // Shared through Redis, so every command here passes a cooldown kept in the paused store first.
      COOLDOWN: '60s',
      SHUTDOWN_TIMEOUT: '5s',
      LOG_LEVEL: 'debug',
    });
    captured.watch(fake);
    app = await startApp(config, captured.logger(config));
    await fake.identified;
    // A private answer made while Redis still answered: its Share button's answer is kept there (an
    // /ask: a /brief would also write the user's history after its reply, and that write could be cut
    // off by the pause).
    shareable = await fake.answered(
      fake.chatInput(
        'ask',
        [{ name: 'question', type: 3, value: 'Who threatened Saudi Arabia with drones?' }],
        {
          user: sharer,
        },
      ),
      ANSWER_WAIT_MS,
    );
    redis.pause();
  });

  afterAll(async () => {
    redis?.resume();
    await app?.stop().catch(() => {});
    await fake?.close();
    await redis?.dispose();
    if (scratch) rmSync(scratch, { recursive: true, force: true });
  });

  it('answers autocomplete, which never waits on storage', async () => {
    const log = await fake.answered(
      fake.autocomplete('brief', [{ name: 'topic', type: 3, value: 'houth', focused: true }]),
      ANSWER_WAIT_MS,
    );
    expect(log.callbacks[0]!.type).toBe(8);
  });

  it('answers a command whose shared cooldown cannot be read: the cooldown gives way', async () => {
    const log = await fake.answered(
      fake.chatInput('search', [{ name: 'query', type: 3, value: 'drone' }], { user: newUser() }),
      ANSWER_WAIT_MS,
    );
    expect(textOf(log.original)).toMatch(/drone/i);
  });

  it('answers a Share click whose stored answer cannot be read: privately, saying to try again', async () => {
    const customId = String(JSON.stringify(shareable.original!.components).match(/share:[0-9a-f]+/)![0]);
    const click = await fake.answered(
      fake.button(customId, { id: '1', channel_id: fake.channelId, ...shareable.original }, { user: sharer }),
      ANSWER_WAIT_MS,
    );
    expect(click.callbacks[0]!.type).toBe(4);
    expect(click.callbacks[0]!.data!.flags).toBe(EPHEMERAL);
    expect(textOf(click.callbacks[0]!.data)).toMatch(/cannot be read right now; try the button again/);
  });

  it('answers /brief since:last with the full briefing, saying the history could not be read', async () => {
    const log = await fake.answered(
      fake.chatInput(
        'brief',
        [
          { name: 'topic', type: 3, value: 'houthis' },
          { name: 'since', type: 3, value: 'last' },
        ],
        { user: newUser() },
      ),
      ANSWER_WAIT_MS,
    );
    expect(log.original!.content).toBe(HISTORY_UNREADABLE_NOTE);
    expect(textOf(log.original)).not.toMatch(/no earlier briefing/);
    expect(textOf(log.original)).toMatch(/Briefing: Houthis[\s\S]*\[1\]/);
    // The history is written after the reply: when the answer arrived, its write had not even failed yet.
    expect(logLines.some((l) => l.msg === 'could not record the briefing history')).toBe(false);
    await fake.waitFor(
      () => logLines.some((l) => l.msg === 'could not record the briefing history'),
      ANSWER_WAIT_MS,
      'the failed history write to be logged',
    );
    expect(logLines.some((l) => l.msg === 'could not read the briefing history')).toBe(true);
  });

  it('lets the daily scheduler log that it cannot read its settings, and look again later', async () => {
    // The second look certainly starts after the pause (the first may be the one begun at start-up).
    await app.scheduler.tick();
    await app.scheduler.tick();
    expect(logLines.map((l) => l.msg)).toContain('daily: cannot read the settings store; will look again');
  });

  it('answers /status, saying the state store is not answering', async () => {
    const log = await fake.answered(
      fake.chatInput('status', [], { user: newUser(), permissions: MANAGE_GUILD }),
      ANSWER_WAIT_MS,
    );
    const text = textOf(log.original);
    expect(text).toMatch(/\*\*State store\*\* redis \(not answering\)/);
    expect(text).toMatch(/\*\*Daily brief\*\* unknown: the state store did not answer/);
  });
});
