/**
 * `npm run bench:load [-- --processes 1,2 --burst 200 --runs 3 --json]`: the bot under a burst of
 * interactions, run as `npm start` runs it (one or two processes over one real Redis, two shards in all)
 * against the loopback fake Discord. Each run starts a fresh Redis (a cold answer cache) and fresh
 * processes on an index built beforehand, sends `--burst` slash commands at once (/brief over the
 * curated topics and /search, spread over the servers of both shards), and waits for every answer.
 *
 * Reported per process count, medians over the runs: the interactions answered (final answer, not just
 * the deferral) within Discord's 3 s of being sent, and those per second (that count over the time from
 * the burst to the last of them); first-response and answer latency percentiles; each process's peak
 * RSS (VmHWM, start-up and index load included).
 */
import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { loadavg, tmpdir } from 'node:os';
import path from 'node:path';
import { parseArgs } from 'node:util';
import { type BotProcess, ROOT, startBotProcess } from '../tests/helpers/bot-process.ts';
import { FakeDiscord, guildsOnShards, type InteractionLog } from '../tests/helpers/fake-discord.ts';
import { type RedisServer, startRedis } from '../tests/helpers/redis.ts';

const { values } = parseArgs({
  options: {
    processes: { type: 'string', default: '1,2' },
    burst: { type: 'string', default: '200' },
    runs: { type: 'string', default: '3' },
    corpus: { type: 'string', default: path.join(ROOT, '../shared/corpus/articles') },
    json: { type: 'boolean', default: false },
  },
});

const SHARD_COUNT = 2;
/** Discord drops an interaction not acknowledged within 3 s; an answer later than that is felt as slow. */
const DEADLINE_MS = 3000;
/** How long a burst may take to be answered in full before the run is called failed. */
const PATIENCE_MS = 300_000;
const burst = Number(values.burst);
const runs = Number(values.runs);
const processCounts = values.processes.split(',').map(Number);
/** The test fixtures (not imported from tests/helpers/fixtures.ts, which needs vitest running). */
const FIXTURE_CORPUS = path.join(ROOT, 'tests/fixtures/corpus');
// The real corpus in ../shared when it is there; the test fixtures (7 articles) otherwise.
const corpus = existsSync(values.corpus) ? values.corpus : FIXTURE_CORPUS;
const topics = (
  JSON.parse(readFileSync(path.join(ROOT, 'data/topics.json'), 'utf8')) as { topics: { slug: string }[] }
).topics.map((t) => t.slug);
const guilds = guildsOnShards(SHARD_COUNT, 8);

interface Run {
  processes: number;
  answeredWithin3s: number;
  perSecondWithin3s: number;
  acknowledgedWithin3s: number;
  firstResponseMs: { p50: number; p95: number };
  answerMs: { p50: number; p95: number; max: number };
  peakRssMB: number[];
}

const percentile = (sorted: number[], q: number) =>
  sorted[Math.min(sorted.length - 1, Math.floor(q * sorted.length))] ?? Number.NaN;
const median = (xs: number[]) =>
  percentile(
    [...xs].sort((a, b) => a - b),
    0.5,
  );

/** Peak resident set size of a live process, from the kernel's own accounting. */
function peakRssMB(pid: number): number {
  const status = readFileSync(`/proc/${pid}/status`, 'utf8');
  const kb = Number(status.match(/^VmHWM:\s+(\d+) kB/m)?.[1] ?? Number.NaN);
  return Math.round(kb / 1024);
}

function botEnv(fake: FakeDiscord, redis: RedisServer, indexDir: string, shardIds: string | undefined) {
  return {
    DISCORD_TOKEN: 'load-bench-token',
    DISCORD_APP_ID: fake.appId,
    DISCORD_API_URL: fake.apiUrl,
    CACHE_URL: redis.url,
    STATE_URL: redis.url,
    CORPUS_DIR: corpus,
    INDEX_CACHE_DIR: indexDir,
    COOLDOWN: '0s',
    SHUTDOWN_TIMEOUT: '10s',
    LOG_LEVEL: 'info',
    SHARD_COUNT: String(SHARD_COUNT),
    ...(shardIds === undefined ? {} : { SHARD_IDS: shardIds }),
  };
}

async function loggedIn(fake: FakeDiscord, bot: BotProcess): Promise<void> {
  await fake
    .waitFor(
      () => bot.output.includes('"msg":"logged in"') || bot.child.exitCode !== null,
      PATIENCE_MS,
      'login',
    )
    .catch((err: Error) => {
      throw new Error(`${err.message}\n${bot.output.slice(-4000)}`);
    });
  if (bot.child.exitCode !== null) throw new Error(`the bot exited:\n${bot.output.slice(-4000)}`);
}

async function stopAll(bots: BotProcess[]): Promise<void> {
  for (const bot of bots) if (bot.child.exitCode === null) bot.child.kill('SIGTERM');
  await Promise.all(bots.map((b) => b.exited));
}

/** The n-th command of the burst: /brief and /search in turn, over the curated topics. */
function command(fake: FakeDiscord, n: number): InteractionLog {
  const topic = topics[Math.floor(n / 2) % topics.length] ?? 'houthis';
  const guildId = guilds[n % guilds.length]!.id;
  const user = { id: String(400000000000000000n + BigInt(n)), username: `user${n}` };
  return n % 2 === 0
    ? fake.chatInput('brief', [{ name: 'topic', type: 3, value: topic }], { guildId, user })
    : fake.chatInput('search', [{ name: 'query', type: 3, value: topic.replace(/-/g, ' ') }], {
        guildId,
        user,
      });
}

async function measure(processes: number, indexDir: string): Promise<Run> {
  const redis = await startRedis();
  const fake = await FakeDiscord.start({ extraGuilds: guilds });
  const bots: BotProcess[] = [];
  try {
    const ranges = processes === 1 ? [undefined] : Array.from({ length: processes }, (_, i) => String(i));
    for (const ids of ranges) {
      const bot = startBotProcess(botEnv(fake, redis, indexDir, ids));
      bots.push(bot);
      await loggedIn(fake, bot);
    }
    const sentAt = Date.now();
    const logs = Array.from({ length: burst }, (_, n) => command(fake, n));
    await fake.waitFor(() => logs.every((l) => l.answeredAt !== undefined), PATIENCE_MS, 'every answer');
    const answer = logs.map((l) => l.answeredAt! - l.sentAt).sort((a, b) => a - b);
    const first = logs
      .map((l) => (l.firstCallbackAt ?? Number.POSITIVE_INFINITY) - l.sentAt)
      .sort((a, b) => a - b);
    const inTime = logs.filter((l) => l.answeredAt! - l.sentAt <= DEADLINE_MS);
    const lastInTime = Math.max(...inTime.map((l) => l.answeredAt!));
    const peaks = bots.map((b) => peakRssMB(b.child.pid!));
    return {
      processes,
      answeredWithin3s: inTime.length,
      perSecondWithin3s: inTime.length === 0 ? 0 : inTime.length / ((lastInTime - sentAt) / 1000),
      acknowledgedWithin3s: first.filter((ms) => ms <= DEADLINE_MS).length,
      firstResponseMs: { p50: percentile(first, 0.5), p95: percentile(first, 0.95) },
      answerMs: { p50: percentile(answer, 0.5), p95: percentile(answer, 0.95), max: answer.at(-1)! },
      peakRssMB: peaks,
    };
  } finally {
    await stopAll(bots);
    await fake.close();
    await redis.dispose();
  }
}

// The machine's load when the runs began: on a shared machine the figures mean little without it.
const loadBefore = loadavg()[0]!;
const scratch = mkdtempSync(path.join(tmpdir(), 'load-bench-'));
const indexDir = path.join(scratch, 'index');
try {
  // Build and save the index once (a process that starts and stops): each measured process then reads it.
  {
    const redis = await startRedis();
    const fake = await FakeDiscord.start({ extraGuilds: guilds });
    const bot = startBotProcess(botEnv(fake, redis, indexDir, undefined));
    await loggedIn(fake, bot);
    await stopAll([bot]);
    await fake.close();
    await redis.dispose();
  }
  const all: Run[] = [];
  // Alternating process counts run by run, so that a drift in the machine's load touches both alike.
  for (let r = 0; r < runs; r++)
    for (const processes of processCounts) {
      const run = await measure(processes, indexDir);
      all.push(run);
      if (!values.json)
        console.error(
          `run ${r + 1}, ${processes} process(es): ${run.answeredWithin3s}/${burst} answered within 3 s ` +
            `(${run.perSecondWithin3s.toFixed(1)}/s), acknowledged within 3 s ${run.acknowledgedWithin3s}, ` +
            `answer p50/p95/max ${run.answerMs.p50}/${run.answerMs.p95}/${run.answerMs.max} ms, ` +
            `peak RSS ${run.peakRssMB.join(' + ')} MB`,
        );
    }
  const summary = processCounts.map((processes) => {
    const mine = all.filter((r) => r.processes === processes);
    return {
      processes,
      runs: mine.length,
      answeredWithin3s: median(mine.map((r) => r.answeredWithin3s)),
      perSecondWithin3s: Math.round(median(mine.map((r) => r.perSecondWithin3s)) * 10) / 10,
      acknowledgedWithin3s: median(mine.map((r) => r.acknowledgedWithin3s)),
      firstResponseP95Ms: median(mine.map((r) => r.firstResponseMs.p95)),
      answerP50Ms: median(mine.map((r) => r.answerMs.p50)),
      answerP95Ms: median(mine.map((r) => r.answerMs.p95)),
      peakRssMBPerProcess: median(mine.flatMap((r) => r.peakRssMB)),
    };
  });
  const corpusName = corpus === FIXTURE_CORPUS ? 'the test fixtures' : corpus;
  const load = { before: loadBefore, after: loadavg()[0]! };
  if (values.json)
    console.log(JSON.stringify({ corpus: corpusName, burst, load, runs: all, summary }, null, 2));
  else {
    console.log(
      `\nburst of ${burst} over ${corpusName}, ${SHARD_COUNT} shards, medians of ${runs} runs ` +
        `(load average ${load.before.toFixed(1)} before, ${load.after.toFixed(1)} after)`,
    );
    console.log(
      '| processes | answered within 3 s | per second within 3 s | acknowledged within 3 s | answer p50 / p95 | peak RSS per process |',
    );
    console.log('| --- | --- | --- | --- | --- | --- |');
    for (const s of summary)
      console.log(
        `| ${s.processes} | ${s.answeredWithin3s} / ${burst} | ${s.perSecondWithin3s} | ${s.acknowledgedWithin3s} / ${burst} | ${s.answerP50Ms} / ${s.answerP95Ms} ms | ${s.peakRssMBPerProcess} MB |`,
      );
  }
} finally {
  rmSync(scratch, { recursive: true, force: true });
}
