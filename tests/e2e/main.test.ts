import { randomBytes } from 'node:crypto';
import { mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DailyStore } from '../../src/daily/schedule.ts';
import { openStateStore } from '../../src/state/store.ts';
import { type BotProcess, logLines, startBotProcess } from '../helpers/bot-process.ts';
import { FakeDiscord, textOf } from '../helpers/fake-discord.ts';
import { FakeOpenAI } from '../helpers/fake-openai.ts';
import { FIXTURE_CORPUS } from '../helpers/fixtures.ts';
import { captureLogs } from '../helpers/logs.ts';
import { until } from '../helpers/poll.ts';
import { shouldRunRedisTests, startRedis } from '../helpers/redis.ts';

const TOKEN = 'process-token';
const MODEL_KEY = 'sk-main-test-key';
/** Every bot process's output, searched for the token, the key and every interaction token at the end. */
const captured = captureLogs().secret(TOKEN, MODEL_KEY);

describe('npm start (src/main.ts) as a process', () => {
  let fake: FakeDiscord;
  let openai: FakeOpenAI;
  let scratch: string;
  beforeAll(async () => {
    fake = await FakeDiscord.start();
    captured.watch(fake);
    openai = await FakeOpenAI.start();
    scratch = mkdtempSync(path.join(tmpdir(), 'main-test-'));
  });
  afterAll(async () => {
    await fake.close();
    await openai.close();
    rmSync(scratch, { recursive: true, force: true });
  });

  /** `npm start`'s own command, with the environment of a test bot in `dir`; output gathered. */
  function startBot(dir: string, env: Record<string, string> = {}, preload: string[] = []) {
    return startBotProcess(
      {
        DISCORD_TOKEN: TOKEN,
        DISCORD_APP_ID: fake.appId,
        DISCORD_API_URL: fake.apiUrl,
        CACHE_URL: `sqlite://${path.join(dir, 'answers.sqlite')}`,
        STATE_URL: `sqlite://${path.join(dir, 'state.sqlite')}`,
        CORPUS_DIR: FIXTURE_CORPUS,
        INDEX_CACHE_DIR: path.join(dir, 'index'),
        LOG_LEVEL: 'info',
        ...env,
      },
      { preload, onOutput: (chunk) => captured.output(chunk) },
    );
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
    expect(bot.output).not.toContain(TOKEN);
    expect(fake.openSockets).toBe(0);
  });

  /**
   * A bot whose model call is held by the test: an /ask is in flight until `release` is called. The
   * deadlines are generous, so only the test decides when the answer comes.
   */
  async function botWithAnswerInFlight(signal: NodeJS.Signals = 'SIGTERM') {
    const dir = mkdtempSync(path.join(tmpdir(), 'main-test-'));
    let release!: () => void;
    openai.reset();
    openai.answerWith({ until: new Promise<void>((r) => (release = r)), content: '{"bullets": []}' });
    const bot = startBot(dir, {
      OPENAI_API_KEY: MODEL_KEY,
      OPENAI_BASE_URL: openai.baseURL,
      OPENAI_TIMEOUT: '300s',
      SHUTDOWN_TIMEOUT: '300s',
    });
    await loggedIn(bot);
    const log = fake.chatInput('ask', [
      { name: 'question', type: 3, value: 'Which country has Kataib Hezbollah threatened with drones?' },
    ]);
    await fake.waitFor(() => openai.requests.length === 1, 60_000, 'the model call');
    bot.child.kill(signal);
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

  it.each(['SIGTERM', 'SIGINT'] as const)(
    'exits 1 at once on a second %s while draining',
    async (signal) => {
      const { bot, release, dir } = await botWithAnswerInFlight(signal);
      bot.child.kill(signal);
      expect(await bot.exited).toBe(1);
      expect(bot.output).toMatch(/"msg":"second signal while shutting down: exiting at once"/);
      release();
      rmSync(dir, { recursive: true, force: true });
    },
    180_000,
  );

  it('logs a model 401 that echoes the key without the key, and answers offline', async () => {
    const dir = mkdtempSync(path.join(tmpdir(), 'main-test-'));
    openai.reset();
    openai.answerWith({
      status: 401,
      message: `Incorrect API key provided: ${MODEL_KEY}. You can find your API key at https://platform.openai.com/account/api-keys.`,
    });
    const bot = startBot(dir, { OPENAI_API_KEY: MODEL_KEY, OPENAI_BASE_URL: openai.baseURL });
    await loggedIn(bot);
    const log = await fake.answered(
      fake.chatInput('ask', [
        { name: 'question', type: 3, value: 'Which country has Kataib Hezbollah threatened with drones?' },
      ]),
      60_000,
    );
    expect(textOf(log.original)).toMatch(/Saudi Arabia/);
    await fake.waitFor(() => bot.output.includes('llm call failed'), 60_000, 'the failed call to be logged');
    expect(bot.output).toMatch(/"level":40.*Incorrect API key provided: \[redacted\]/);
    expect(bot.output).not.toContain(MODEL_KEY);
    bot.child.kill('SIGTERM');
    expect(await bot.exited).toBe(0);
    rmSync(dir, { recursive: true, force: true });
  });

  it('starts over an index cache with 10,000 bytes flipped: deletes it, says so, rebuilds, answers as before', async () => {
    const dir = mkdtempSync(path.join(tmpdir(), 'main-test-'));
    const brief = async () =>
      textOf(
        (await fake.answered(fake.chatInput('brief', [{ name: 'topic', type: 3, value: 'houthis' }]), 60_000))
          .original,
      );
    const first = startBot(dir, { CACHE_URL: 'memory:' });
    await loggedIn(first);
    const before = await brief();
    first.child.kill('SIGTERM');
    expect(await first.exited).toBe(0);
    const [name] = readdirSync(path.join(dir, 'index')).filter((f) => f.endsWith('.idx'));
    const file = path.join(dir, 'index', name!);
    const bytes = readFileSync(file);
    // Past the header, size unchanged: only a checksum over the whole file tells.
    const from = Math.floor(bytes.length / 2);
    for (let i = from; i < Math.min(bytes.length, from + 10_000); i++) bytes[i] = bytes[i]! ^ 0xff;
    writeFileSync(file, bytes);

    const second = startBot(dir, { CACHE_URL: 'memory:' });
    await loggedIn(second);
    expect(second.output).toMatch(
      /"level":40.*the index cache .* was damaged \(checksum mismatch\); deleted, and the index rebuilt/,
    );
    expect(await brief()).toBe(before);
    second.child.kill('SIGTERM');
    expect(await second.exited).toBe(0);
    rmSync(dir, { recursive: true, force: true });
  });

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

  it.each([
    [4004, /reset it/],
    [4014, /enable it in the Developer Portal/],
  ])(
    'exits non-zero with a fatal line saying what to do when Discord closes the gateway with %i',
    async (code, what) => {
      const dir = mkdtempSync(path.join(tmpdir(), 'main-test-'));
      const bot = startBot(dir);
      await loggedIn(bot);
      fake.closeGateway(code);
      expect(await bot.exited).toBe(1);
      expect(bot.output).toMatch(new RegExp(`"level":60.*"code":${code}.*${what.source}`));
      rmSync(dir, { recursive: true, force: true });
    },
  );

  it('logs an uncaught exception at fatal level, with its error, before exiting 1', async () => {
    const dir = mkdtempSync(path.join(tmpdir(), 'main-test-'));
    const bot = startBot(dir, {}, ['./tests/helpers/throw-on-signal.ts']);
    await loggedIn(bot);
    bot.child.kill('SIGUSR2');
    expect(await bot.exited).toBe(1);
    expect(bot.output).toMatch(
      /"level":60.*"message":"uncaught test error".*"msg":"uncaught exception: exiting"/,
    );
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

  it.each([1, 2])(
    'finishes a daily post cut short by SIGKILL once Discord made page %i of 2, sending no page twice',
    async (page) => {
      const dir = mkdtempSync(path.join(tmpdir(), 'main-test-'));
      const corpus = path.join(dir, 'corpus');
      const today = new Date().toISOString().slice(0, 10);
      writeNewsOfTheDay(corpus, today);
      // Due at 00:00 UTC every day, set two days ago: today's post is due from the bot's first look.
      const state = await openStateStore(`sqlite://${path.join(dir, 'state.sqlite')}`);
      await new DailyStore(state).save({
        guildId: fake.guildId,
        channelId: fake.channelId,
        time: '00:00',
        timezone: 'UTC',
        topics: [],
        quiet: false,
        setBy: 'test',
        setAt: new Date(Date.now() - 2 * 24 * 3600_000).toISOString(),
      });
      await state.close();
      const env = { CORPUS_DIR: corpus, DAILY_CLAIM_LEASE: '3s' };
      const posted = fake.channelMessages.length;
      const ours = () => fake.channelMessages.slice(posted);
      // Discord makes the page, but its answer never reaches the bot: it is killed first.
      const pageMade = fake.withholdAnswer(page - 1);
      const first = startBot(dir, env);
      await loggedIn(first);
      await pageMade;
      first.child.kill('SIGKILL');
      await first.exited;
      expect(ours()).toHaveLength(page);

      const second = startBot(dir, env);
      await loggedIn(second);
      await fake.waitFor(
        () => second.output.includes('"msg":"daily: posted"'),
        120_000,
        'the post to finish',
      );
      expect(second.output).toMatch(
        new RegExp(`"pagesSent":${page - 1},.*"msg":"daily: resuming a post that was cut short"`),
      );
      const pages = ours().map((m) => textOf(m.body));
      expect(pages).toHaveLength(2);
      expect(new Set(pages).size).toBe(2);
      expect(pages[0]).toMatch(new RegExp(`Daily brief — ${today}`));
      const show = await fake.answered(fake.chatInput('daily', [{ name: 'show', type: 1 }]), 60_000);
      expect(textOf(show.original)).toMatch(/Last post <t:\d+:f>: 18 new articles, 2 message\(s\)/);
      second.child.kill('SIGTERM');
      expect(await second.exited).toBe(0);
      expect(ours()).toHaveLength(2);
      rmSync(dir, { recursive: true, force: true });
    },
  );
});

describe.runIf(shouldRunRedisTests())('npm start before its Redis is up', () => {
  it('says it cannot reach Redis, tries again with back-off, and answers once Redis is there', async () => {
    const fake = await FakeDiscord.start();
    captured.watch(fake);
    const redis = await startRedis({ running: false });
    const dir = mkdtempSync(path.join(tmpdir(), 'main-test-'));
    const bot = startBotProcess(
      {
        DISCORD_TOKEN: TOKEN,
        DISCORD_APP_ID: fake.appId,
        DISCORD_API_URL: fake.apiUrl,
        CACHE_URL: redis.url,
        STATE_URL: redis.url,
        CORPUS_DIR: FIXTURE_CORPUS,
        INDEX_CACHE_DIR: path.join(dir, 'index'),
        LOG_LEVEL: 'info',
        HTTP_PORT: '0',
      },
      { onOutput: (chunk) => captured.output(chunk) },
    );
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

/**
 * Eighteen articles dated `date` on six groups, each sentence of its own made-up words (so that no two
 * bullets tell the same story): a daily post of two messages.
 */
function writeNewsOfTheDay(dir: string, date: string): void {
  mkdirSync(dir, { recursive: true });
  let seed = 7;
  const random = () => {
    seed = (seed * 1103515245 + 12345) % 2147483648;
    return seed / 2147483648;
  };
  const syllables = [
    'ka',
    'lo',
    'mi',
    'ru',
    'ten',
    'sar',
    'vo',
    'del',
    'pha',
    'nir',
    'gu',
    'bes',
    'tor',
    'qui',
    'zan',
  ];
  const word = () =>
    Array.from({ length: 2 + Math.floor(random() * 2) }, () => syllables[Math.floor(random() * 15)]).join('');
  const groups = ['Kataib Hezbollah', 'The Houthis', 'Hamas', 'Hezbollah', 'The SDF', 'ISIS'];
  const places = ['Jurf al-Sakhar', 'Hodeidah', 'Khan Younis', 'Nabatieh', 'Raqqa', 'Deir ez-Zor'];
  groups.forEach((group, g) => {
    for (let a = 1; a <= 3; a++) {
      const body = Array.from(
        { length: 3 },
        () => `${group} said the ${Array.from({ length: 40 }, word).join(' ')} near ${places[g]}.`,
      ).join(' ');
      writeFileSync(
        path.join(dir, `${g}-${a}.txt`),
        `Title: ${group} report ${word()} ${a}\nDate: ${date}\nSource: Test Wire\n\n${body}\n`,
      );
    }
  });
}
