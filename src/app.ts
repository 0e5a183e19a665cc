/**
 * Wires the bot from a parsed config: logger → cache → engine → router → Discord. `src/main.ts` calls
 * it with the process environment; the tests call it with a config that points at a loopback Discord.
 */
import { randomBytes } from 'node:crypto';
import { hostname } from 'node:os';
import { Status } from 'discord.js';
import type { Logger } from 'pino';
import { z } from 'zod';
import { commands as defaultCommands } from '../commands/index.ts';
import { cachedEngine } from './cache/engine.ts';
import { type KeyvResultCache, openResultCache } from './cache/keyv.ts';
import { type Config, shardPlan } from './config.ts';
import { watchCorpus } from './corpus-watch.ts';
import { type Clock, systemClock } from './daily/clock.ts';
import type { DailySettings } from './daily/schedule.ts';
import { DailyStore } from './daily/schedule.ts';
import { DailyScheduler } from './daily/scheduler.ts';
import { buttons } from './discord/buttons.ts';
import { channelDeliver, checkChannel } from './discord/channels.ts';
import { connect, type RunningClient } from './discord/client.ts';
import type { Command } from './discord/command.ts';
import { Cooldown, SharedCooldown } from './discord/cooldown.ts';
import { Router } from './discord/router.ts';
import { shardOf } from './discord/shards.ts';
import { MemoryShareStore, StateShareStore } from './discord/share.ts';
import type { AbstractiveWriter, Engine } from './engine/engine.ts';
import { Library, manifestSchema, type ReloadReport } from './engine/library.ts';
import { openEngine } from './engine/open.ts';
import { buildIndexInWorker } from './engine/prebuild.ts';
import { writerFromConfig } from './engine/summarize/llm/writer.ts';
import { feedSettings, userAgent } from './feeds/poll.ts';
import { FeedPoller } from './feeds/poller.ts';
import { FeedService } from './feeds/service.ts';
import { MIN_INTERVAL_MS } from './feeds/subscriptions.ts';
import { type BotMetrics, botMetrics } from './http/bot-metrics.ts';
import { type HttpServer, startHttp } from './http/server.ts';
import { type Cluster, openCluster, type ProcessRecord } from './state/cluster.ts';
import { BriefHistory } from './state/history.ts';
import { openStateStore, type StateStore } from './state/store.ts';

export interface App {
  /** This process among those sharing the state store: `host:pid:random`. */
  processId: string;
  engine: () => Engine;
  library: Library;
  cache: KeyvResultCache;
  state: StateStore;
  scheduler: DailyScheduler;
  /** Polls the feeds of FEEDS_FILE and reloads when they bring articles. */
  feedPoller: FeedPoller;
  router: Router;
  discord: RunningClient;
  /** The Prometheus series. */
  metrics: BotMetrics;
  /** `/healthz` and `/metrics`, when HTTP_PORT is set. */
  http: HttpServer | undefined;
  /** Stops taking interactions, waits for those in flight (bounded), disconnects, closes the stores. */
  stop(): Promise<void>;
}

export interface AppOverrides {
  /** Replace the command list (tests). */
  commands?: readonly Command[];
  /** Wrap each engine once it is open (tests use it to slow it down or make it fail). */
  wrapEngine?: (engine: Engine) => Engine;
  /** The clock of the daily scheduler and of the corpus manifest, and the retry pacing (tests). */
  clock?: Clock;
  dailyBackoffMs?: number;
  /** Awaited before each corpus load (tests hold a reload with it). */
  beforeOpen?: () => Promise<void>;
  /** The cooldown's clock (tests). */
  now?: () => number;
  /** Called when Discord closes the gateway for good (bad token, disallowed intents). */
  onFatal?: (code: number) => void;
}

/** How often each process refreshes its record for /status (records older than STALE_MS are dropped). */
const HEARTBEAT_MS = 10_000;

/** How long a feed's poll is claimed for, over processes sharing the state store. */
const FEED_CLAIM_MS = MIN_INTERVAL_MS - 60_000;

export async function startApp(config: Config, logger: Logger, overrides: AppOverrides = {}): Promise<App> {
  // The Discord client exists only after login; the scheduler and services reach it through this.
  let discord: RunningClient | undefined;
  const corpusFacts = () => {
    const stats = library.current().stats();
    return { version: stats.corpusVersion, articles: stats.articles };
  };
  // Read at scrape time only, once everything below exists.
  const metrics = botMetrics({
    cache: () => cache.stats(),
    corpus: corpusFacts,
    shards: () => discord?.shardHealth(),
  });
  const llm = await writerFromConfig(config, logger);
  const writer = llm === undefined ? undefined : countedWriter(llm, metrics);
  logger.info({ summariser: writer?.label ?? 'extractive' }, 'summariser');
  // The state store as /healthz pings it: none while it is being opened (a Redis being waited for).
  let stateForHealth: StateStore | undefined;
  let http: HttpServer | undefined;
  try {
    // Served from the start, so that a probe reads 503 and why (waiting for Redis, loading the index,
    // connecting the shards) instead of a refused connection that looks like a dead process.
    if (config.HTTP_PORT !== undefined)
      http = await startHttp({
        host: config.HTTP_HOST,
        port: config.HTTP_PORT,
        metrics: metrics.registry,
        logger,
        health: {
          shards: () => discord?.shardHealth(),
          corpus: corpusFacts,
          pingState: async () => {
            if (stateForHealth === undefined) throw new Error('not open yet');
            await stateForHealth.get('health:ping', z.unknown());
          },
        },
      });
  } catch (err) {
    metrics.close();
    throw err;
  }
  const closeEarly = async () => {
    await http?.close();
    metrics.close();
  };
  // A Redis that cannot be reached yet is waited for, saying so, rather than exiting (hosts boot in any order).
  const redisStart = { waitLogger: logger };
  let state: StateStore;
  let cluster: Cluster;
  try {
    state = await openStateStore(config.STATE_URL, undefined, undefined, redisStart);
  } catch (err) {
    await closeEarly();
    throw err;
  }
  try {
    cluster = await openCluster(config.STATE_URL, undefined, redisStart);
  } catch (err) {
    await state.close();
    await closeEarly();
    throw err;
  }
  stateForHealth = state;
  const cache = openResultCache({ url: config.CACHE_URL, ttlMs: config.CACHE_TTL, logger });
  // Connected (or known unreachable) before the first request, so no lookup's deadline pays for it.
  await cache.ready();
  const closeStores = async () => {
    await cache.close();
    await cluster
      .close()
      .catch((err: unknown) => logger.warn({ err }, 'the cluster link did not close cleanly'));
    await state
      .close()
      .catch((err: unknown) => logger.warn({ err }, 'the state store did not close cleanly'));
  };
  const clock = overrides.clock;
  const files = {
    corpus: config.CORPUS_DIR,
    topicsFile: config.TOPICS_FILE,
    synonymsFile: config.SYNONYMS_FILE,
    indexCache: config.INDEX_CACHE_DIR,
  };
  const library = new Library({
    ...(clock ? { now: () => clock.now() } : {}),
    open: async (reopen) => {
      await overrides.beforeOpen?.();
      const opened = await openEngine({ ...(writer ? { writer } : {}), ...files }, reopen);
      for (const warning of opened.warnings) logger.warn(warning);
      return { ...opened, engine: cachedEngine(opened.engine, cache) };
    },
    prebuild: async () => {
      const built = await buildIndexInWorker(files);
      if (!built.ok)
        logger.warn({ err: built.error }, 'reload: the index worker failed; building on the main thread');
      else logger.debug(built, 'reload: index built on a worker thread');
    },
    manifestStore: {
      load: () => state.get('corpus:manifest', manifestSchema),
      save: (manifest) => state.set('corpus:manifest', manifest),
    },
    ...(overrides.wrapEngine ? { wrap: overrides.wrapEngine } : {}),
  });
  try {
    logReload(logger, await library.reload('start-up'));
  } catch (err) {
    await closeStores();
    await closeEarly();
    throw err;
  }
  const processId = `${hostname()}:${process.pid}:${randomBytes(3).toString('hex')}`;
  const reloadHere = library.reload.bind(library);
  // A reload here (/reload, the watcher) is announced; each process then loads its own corpus directory
  // and, with a shared INDEX_CACHE_DIR, reads the index the first one saved (its name is the content's hash).
  library.reload = async (by: string) => {
    const report = await reloadHere(by).catch((err) => {
      metrics.reloads.inc({ outcome: 'error', origin: 'here' });
      throw err;
    });
    metrics.reloads.inc({ outcome: report.ok ? 'ok' : 'refused', origin: 'here' });
    if (report.ok && cluster.shared) {
      await cluster
        .publishReload({ from: processId, by, corpusVersion: report.corpusVersion })
        .catch((err) => logger.warn({ err }, 'reload: could not tell the other processes'));
    }
    void heartbeat();
    return report;
  };
  cluster.onReload((notice) => {
    if (notice.from === processId || library.current().corpusVersion === notice.corpusVersion) return;
    logger.info(
      { from: notice.from, corpusVersion: notice.corpusVersion },
      'reload: another process reloaded',
    );
    reloadHere(`${notice.by} (via ${notice.from})`).then(
      (report) => {
        metrics.reloads.inc({ outcome: report.ok ? 'ok' : 'refused', origin: 'notice' });
        logReload(logger, report);
        void heartbeat();
      },
      (err) => {
        metrics.reloads.inc({ outcome: 'error', origin: 'notice' });
        logger.error({ err }, 'reload: the reload another process asked for failed');
      },
    );
  });
  const current = () => library.current();
  const daily = new DailyStore(state);
  const startedAt = new Date();
  const heartbeat = async () => {
    if (discord === undefined) return;
    const stats = library.current().stats();
    const record: ProcessRecord = {
      id: processId,
      host: hostname(),
      pid: process.pid,
      shards: [...discord.shardIds],
      shardCount: discord.shardCount,
      ready: discord.client.ws.shards.every((shard) => shard.status === Status.Ready),
      corpusVersion: stats.corpusVersion,
      articles: stats.articles,
      startedAt: startedAt.toISOString(),
      at: new Date().toISOString(),
    };
    await cluster.beat(record).catch((err) => logger.warn({ err }, 'could not write the heartbeat'));
  };
  const client = () => {
    if (discord === undefined) throw new Error('not connected to Discord yet');
    return discord.client;
  };
  // Work follows the shard: only the process running a server's shard plans its post (the claim in
  // the store still stops a second post, should two processes ever disagree on the shards).
  const owns = (guildId: string) => {
    const running = discord;
    return running?.shardIds.includes(shardOf(guildId, running.shardCount)) === true;
  };
  const scheduler = new DailyScheduler({
    store: schedulerView(daily, owns, metrics),
    library,
    deliver: (...args) => channelDeliver(client())(...args),
    logger: logger.child({ part: 'daily' }),
    ...(overrides.clock ? { clock: overrides.clock } : {}),
    ...(overrides.dailyBackoffMs !== undefined ? { backoffMs: overrides.dailyBackoffMs } : {}),
    leaseMs: config.DAILY_CLAIM_LEASE,
  });
  const feeds = new FeedService({
    subscriptionsFile: config.FEEDS_FILE,
    stateFile: config.FEEDS_STATE_FILE,
    corpusDir: config.CORPUS_DIR,
    settings: feedSettings({
      allowPrivate: config.FEEDS_ALLOW_PRIVATE,
      disableAfter: config.FEEDS_DISABLE_AFTER,
      userAgent: userAgent(config.FEEDS_CONTACT_URL),
    }),
    ...(clock ? { now: () => clock.now() } : {}),
  });
  const feedPoller = new FeedPoller({
    service: feeds,
    reload: (by) => library.reload(by).then((report) => logReload(logger, report)),
    logger: logger.child({ part: 'feeds' }),
    clock: clock ?? systemClock,
    // One process polls a due feed: the claim covers the poll, and the shared FEEDS_STATE_FILE then says
    // when it is due next (shorter than any interval, so that a retry after back-off is never blocked).
    claim: (sub) => state.claim(`feeds:poll:${sub.name}`, processId, FEED_CLAIM_MS),
  });
  const router = new Router({
    commands: overrides.commands ?? defaultCommands,
    buttons,
    engine: current,
    logger,
    // Shared through Redis: one user's commands reach several processes (each server's shard, DMs on 0).
    shares: state.backend === 'redis' ? new StateShareStore(state) : new MemoryShareStore(),
    cooldownMs: config.COOLDOWN,
    cooldown:
      state.backend === 'redis'
        ? new SharedCooldown(state, config.COOLDOWN, overrides.now)
        : new Cooldown(config.COOLDOWN, overrides.now),
    publicByDefault: config.PUBLIC_BY_DEFAULT,
    onOutcome: ({ command, outcome, seconds }) => {
      metrics.interactions.inc({ command, outcome });
      metrics.latency.observe({ command }, seconds);
    },
    onFirstResponse: (command, seconds) => metrics.firstResponse.observe({ command }, seconds),
    services: {
      library,
      daily,
      scheduler,
      history: new BriefHistory(state),
      admins: { roleIds: config.ADMIN_ROLE_IDS, userIds: config.ADMIN_USER_IDS },
      feeds,
      feedPoller,
      cluster: { self: processId, processes: () => cluster.processes() },
      checkChannel: (guildId, channelId) => checkChannel(client(), guildId, channelId),
      runtime: () => ({
        cache: cache.stats(),
        summariser: writer?.label ?? 'extractive',
        startedAt,
        guilds: discord?.client.guilds.cache.size ?? 0,
        stateBackend: state.backend,
      }),
    },
  });
  try {
    discord = await connect({
      token: config.DISCORD_TOKEN,
      apiUrl: config.DISCORD_API_URL,
      shards: shardPlan(config),
      // Processes sharing a store (Redis, or one SQLite file) pace their IDENTIFYs together.
      identifyClaims:
        state.backend === 'memory'
          ? undefined
          : { claim: (key, ttlMs) => state.claim(key, processId, ttlMs) },
      router,
      logger,
      ...(overrides.onFatal ? { onFatal: overrides.onFatal } : {}),
    });
  } catch (err) {
    await closeStores();
    await closeEarly();
    throw err;
  }
  scheduler.start();
  feedPoller.start();
  await heartbeat();
  const beating = setInterval(() => void heartbeat(), HEARTBEAT_MS);
  beating.unref();
  const watcher = config.CORPUS_WATCH
    ? watchCorpus(
        config.CORPUS_DIR,
        () =>
          void library.reload('watch').then(
            (report) => logReload(logger, report),
            (err: unknown) => logger.error({ err }, 'watch: reload failed'),
          ),
        logger,
      )
    : undefined;
  const running = discord;
  return {
    processId,
    engine: current,
    library,
    cache,
    state,
    scheduler,
    feedPoller,
    router,
    discord: running,
    metrics,
    http,
    async stop() {
      clearInterval(beating);
      watcher?.close();
      await scheduler.stop();
      await feedPoller.stop();
      await running.stop(config.SHUTDOWN_TIMEOUT);
      await cluster.leave(processId).catch(() => {});
      await http?.close();
      metrics.close();
      await closeStores();
    },
  };
}

/**
 * The daily store as the scheduler sees it: only the servers `owns` says this process runs, and each
 * post recorded (or given up on) counted for /metrics.
 */
function schedulerView(
  daily: DailyStore,
  owns: (guildId: string) => boolean,
  metrics: BotMetrics,
): DailyStore {
  const view = Object.create(daily) as DailyStore;
  view.allSettings = async (): Promise<DailySettings[]> =>
    (await daily.allSettings()).filter((s) => owns(s.guildId));
  view.record = async (post) => {
    metrics.dailyPosts.inc({ outcome: 'sent' });
    await daily.record(post);
  };
  view.setFailure = async (...args) => {
    metrics.dailyPosts.inc({ outcome: 'failed' });
    await daily.setFailure(...args);
  };
  return view;
}

/** The model writer, each call and each fallback to the offline summary counted for /metrics. */
function countedWriter(writer: AbstractiveWriter, metrics: BotMetrics): AbstractiveWriter {
  return {
    label: writer.label,
    promptRef: (kind) => writer.promptRef(kind),
    async write(kind, query, passages) {
      const outcome = await writer.write(kind, query, passages);
      metrics.modelCalls.inc({ kind, outcome: outcome.ok ? 'ok' : outcome.failure });
      return outcome;
    },
    fellBack: (kind, reason) => metrics.modelFallbacks.inc({ kind, reason }),
  };
}

function logReload(logger: Logger, report: ReloadReport): void {
  const { rejected, ...counts } = report;
  if (!report.ok) logger.error(counts, `reload refused: ${report.error}`);
  else logger.info({ ...counts, rejected: rejected.length }, 'corpus loaded');
  for (const r of rejected.slice(0, 20))
    logger.warn({ file: r.file, line: r.line, reason: r.reason }, 'article skipped');
}
