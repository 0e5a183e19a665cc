import { randomBytes } from 'node:crypto';
import { mkdtempSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type BotProcess, logLines, startBotProcess } from '../helpers/bot-process.ts';
import { FakeDiscord, textOf } from '../helpers/fake-discord.ts';
import { FakeOpenAI } from '../helpers/fake-openai.ts';
import { FIXTURE_CORPUS } from '../helpers/fixtures.ts';
import { until } from '../helpers/poll.ts';
import { shouldRunRedisTests, startRedis } from '../helpers/redis.ts';

describe('npm start (src/main.ts) as a process', () => {
  let fake: FakeDiscord;
  let openai: FakeOpenAI;
  let scratch: string;
  beforeAll(async () => {
    fake = await FakeDiscord.start();
    openai = await FakeOpenAI.start();
    scratch = mkdtempSync(path.join(tmpdir(), 'main-test-'));
  });
  afterAll(async () => {
    await fake.close();
    await openai.close();
    rmSync(scratch, { recursive: true, force: true });
  });

  /** `npm start`'s own command, with the environment of a test bot in `dir`; output gathered. */
  function startBot(dir: string, env: Record<string, string> = {}) {
    return startBotProcess({
      DISCORD_TOKEN: 'process-token',
      DISCORD_APP_ID: fake.appId,
      DISCORD_API_URL: fake.apiUrl,
      CACHE_URL: `sqlite://${path.join(dir, 'answers.sqlite')}`,
      STATE_URL: `sqlite://${path.join(dir, 'state.sqlite')}`,
      CORPUS_DIR: FIXTURE_CORPUS,
      INDEX_CACHE_DIR: path.join(dir, 'index'),
      LOG_LEVEL: 'info',
      ...env,
    });
  }

  async function loggedIn(bot: BotProcess): Promise<void> {
    await fake
      .waitFor(() => bot.output.includes('"msg":"logged in"'), 30_000, 'the bot to log in')
      .catch((err) => {
        bot.child.kill('SIGKILL');
        throw new Error(`${(err as Error).message}\n${bot.output}`);
      });
  }

  it('logs in, answers, and on SIGTERM disconnects and exits 0', async () => {
    const bot = startBot(scratch);
    await loggedIn(bot);
    const log = await fake.answered(fake.chatInput('brief', [{ name: 'topic', type: 3, value: 'houthis' }]));
    // On a mismatch the bot's own log says why.
    expect(JSON.stringify(log.original), bot.output).toMatch(/Briefing: Houthis/);
    bot.child.kill('SIGTERM');
    expect(await bot.exited).toBe(0);
    expect(bot.output).toMatch(/"msg":"disconnected from Discord"/);
    expect(bot.output).not.toContain('process-token');
    expect(fake.openSockets).toBe(0);
  });

  /**
   * A bot whose model call is held by the test: an /ask is in flight until `release` is called. The
   * deadlines are generous, so only the test decides when the answer comes.
   */
  async function botWithAnswerInFlight() {
    const dir = mkdtempSync(path.join(tmpdir(), 'main-test-'));
    let release!: () => void;
    openai.reset();
    openai.answerWith({ until: new Promise<void>((r) => (release = r)), content: '{"bullets": []}' });
    const bot = startBot(dir, {
      OPENAI_API_KEY: 'sk-main-test-key',
      OPENAI_BASE_URL: openai.baseURL,
      OPENAI_TIMEOUT: '300s',
      SHUTDOWN_TIMEOUT: '300s',
    });
    await loggedIn(bot);
    const log = fake.chatInput('ask', [
      { name: 'question', type: 3, value: 'Which country has Kataib Hezbollah threatened with drones?' },
    ]);
    await fake.waitFor(() => openai.requests.length === 1, 60_000, 'the model call');
    bot.child.kill('SIGTERM');
    await fake.waitFor(() => bot.output.includes('"msg":"shutting down"'), 60_000, 'shutting down');
    return { bot, log, release, dir };
  }

  it('finishes the answer in flight on SIGTERM under the service command, then exits 0', async () => {
    const { bot, log, release, dir } = await botWithAnswerInFlight();
    expect(log.original).toBeUndefined();
    release();
    expect(await bot.exited).toBe(0);
    expect(textOf(log.original)).toMatch(/Saudi Arabia/);
    expect(bot.output).toMatch(/"msg":"disconnected from Discord"/);
    rmSync(dir, { recursive: true, force: true });
    // Start-up, the model call and the drain each wait up to a minute on a loaded machine.
  }, 180_000);

  it('exits 1 at once on a second SIGTERM while draining', async () => {
    const { bot, release, dir } = await botWithAnswerInFlight();
    bot.child.kill('SIGTERM');
    expect(await bot.exited).toBe(1);
    expect(bot.output).toMatch(/"msg":"second signal while shutting down: exiting at once"/);
    release();
    rmSync(dir, { recursive: true, force: true });
  }, 180_000);

  it('starts over a corrupt answer-cache file: moves it aside with a warning and answers', async () => {
    const dir = mkdtempSync(path.join(tmpdir(), 'main-test-'));
    writeFileSync(path.join(dir, 'answers.sqlite'), randomBytes(64 * 1024));
    const bot = startBot(dir);
    await loggedIn(bot);
    expect(bot.output).toMatch(/"level":40.*answer cache file is not a usable SQLite database/);
    expect(readdirSync(dir).some((f) => f.startsWith('answers.sqlite.corrupt-'))).toBe(true);
    const log = await fake.answered(fake.chatInput('brief', [{ name: 'topic', type: 3, value: 'houthis' }]));
    // On a mismatch the bot's own log says why.
    expect(JSON.stringify(log.original), bot.output).toMatch(/Briefing: Houthis/);
    bot.child.kill('SIGTERM');
    expect(await bot.exited).toBe(0);
    rmSync(dir, { recursive: true, force: true });
  });

  it('exits non-zero with a fatal line saying what to do when Discord closes the gateway with 4004', async () => {
    const dir = mkdtempSync(path.join(tmpdir(), 'main-test-'));
    const bot = startBot(dir);
    await loggedIn(bot);
    fake.closeGateway(4004);
    expect(await bot.exited).toBe(1);
    expect(bot.output).toMatch(/"level":60.*"code":4004.*reset it/);
    rmSync(dir, { recursive: true, force: true });
  });

  it('refuses to start over a corrupt state file, naming it and saying what to do', async () => {
    const dir = mkdtempSync(path.join(tmpdir(), 'main-test-'));
    const state = path.join(dir, 'state.sqlite');
    writeFileSync(state, randomBytes(64 * 1024));
    const bot = startBot(dir);
    expect(await bot.exited).toBe(1);
    expect(bot.output).toContain(`the SQLite file ${state} cannot be used`);
    expect(bot.output).toMatch(/restore it from a backup, or move it aside/);
    expect(bot.output).not.toMatch(/"stack"/);
    rmSync(dir, { recursive: true, force: true });
  });
});

describe.runIf(shouldRunRedisTests())('npm start before its Redis is up', () => {
  it('says it cannot reach Redis, tries again with back-off, and answers once Redis is there', async () => {
    const fake = await FakeDiscord.start();
    const redis = await startRedis({ running: false });
    const dir = mkdtempSync(path.join(tmpdir(), 'main-test-'));
    const bot = startBotProcess({
      DISCORD_TOKEN: 'process-token',
      DISCORD_APP_ID: fake.appId,
      DISCORD_API_URL: fake.apiUrl,
      CACHE_URL: redis.url,
      STATE_URL: redis.url,
      CORPUS_DIR: FIXTURE_CORPUS,
      INDEX_CACHE_DIR: path.join(dir, 'index'),
      LOG_LEVEL: 'info',
      HTTP_PORT: '0',
    });
    const { child, exited } = bot;
    const healthz = async () => {
      const serving = logLines(bot).find((l) => l.msg === 'serving /healthz and /metrics');
      if (serving === undefined) throw new Error('no HTTP port logged');
      const res = await fetch(`http://127.0.0.1:${String(serving.port)}/healthz`);
      return { status: res.status, body: (await res.json()) as { reasons: string[] } };
    };
    const tries = () =>
      bot.output.match(/STATE_URL: cannot reach Redis at redis:\/\/127\.0\.0\.1:\d+ \(/g)?.length ?? 0;
    try {
      // Two tries said, each with its wait: the process is waiting, not gone.
      await fake.waitFor(() => tries() >= 2 || child.exitCode !== null, 60_000, 'two tries logged');
      expect(child.exitCode).toBeNull();
      expect(bot.output).toMatch(/"attempt":1,"retryInMs":500,.*trying again in 0\.5 s/);
      expect(bot.output).toMatch(/"attempt":2,"retryInMs":1000,.*trying again in 1 s/);
      // Meanwhile a probe is told why the process is not ready, rather than refused.
      const waiting = await healthz();
      expect(waiting.status).toBe(503);
      expect(waiting.body.reasons).toContain('the state store does not answer (not open yet)');
      expect(waiting.body.reasons).toContain('no index loaded');
      await redis.start();
      await fake.waitFor(() => bot.output.includes('"msg":"logged in"'), 90_000, 'the bot to log in');
      expect(bot.output).toMatch(/"msg":"STATE_URL: connected to Redis at redis:\/\/127\.0\.0\.1:\d+"/);
      const log = await fake.answered(
        fake.chatInput('brief', [{ name: 'topic', type: 3, value: 'houthis' }]),
      );
      expect(JSON.stringify(log.original)).toMatch(/Briefing: Houthis/);
      expect((await until(healthz, (h) => h.status === 200, 'a healthy bot')).status).toBe(200);
      child.kill('SIGTERM');
      expect(await exited).toBe(0);
    } catch (err) {
      child.kill('SIGKILL');
      throw new Error(`${(err as Error).message}\n${bot.output}`);
    } finally {
      await fake.close();
      await redis.dispose();
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
