/**
 * Wires the bot from a parsed config: logger → cache → engine → router → Discord. `src/main.ts` calls
 * it with the process environment; the tests call it with a config that points at a loopback Discord.
 */
import type { Logger } from 'pino';
import { commands as defaultCommands } from '../commands/index.ts';
import { cachedEngine } from './cache/engine.ts';
import { type KeyvResultCache, openResultCache } from './cache/keyv.ts';
import type { Config } from './config.ts';
import { watchCorpus } from './corpus-watch.ts';
import { DailyStore } from './daily/schedule.ts';
import { type Clock, DailyScheduler } from './daily/scheduler.ts';
import { buttons } from './discord/buttons.ts';
import { channelDeliver, checkChannel } from './discord/channels.ts';
import { connect, type RunningClient } from './discord/client.ts';
import type { Command } from './discord/command.ts';
import { Router } from './discord/router.ts';
import { ShareStore } from './discord/share.ts';
import type { Engine } from './engine/engine.ts';
import { Library, manifestSchema, type ReloadReport } from './engine/library.ts';
import { openEngine } from './engine/open.ts';
import { buildIndexInWorker } from './engine/prebuild.ts';
import { writerFromConfig } from './engine/summarize/llm/writer.ts';
import { BriefHistory } from './state/history.ts';
import { openStateStore, type StateStore } from './state/store.ts';

export interface App {
  engine: () => Engine;
  library: Library;
  cache: KeyvResultCache;
  state: StateStore;
  scheduler: DailyScheduler;
  router: Router;
  discord: RunningClient;
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
  /** Called when Discord closes the gateway for good (bad token, disallowed intents). */
  onFatal?: (code: number) => void;
}

export async function startApp(config: Config, logger: Logger, overrides: AppOverrides = {}): Promise<App> {
  const writer = await writerFromConfig(config, logger);
  logger.info({ summariser: writer?.label ?? 'extractive' }, 'summariser');
  const state = await openStateStore(config.STATE_URL);
  const cache = openResultCache({ url: config.CACHE_URL, ttlMs: config.CACHE_TTL, logger });
  // Connected (or known unreachable) before the first request, so no lookup's deadline pays for it.
  await cache.ready();
  const closeStores = async () => {
    await cache.close();
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
    open: async () => {
      await overrides.beforeOpen?.();
      const opened = await openEngine({ ...(writer ? { writer } : {}), ...files });
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
    throw err;
  }
  const current = () => library.current();
  const daily = new DailyStore(state);
  const startedAt = new Date();
  // The Discord client exists only after login; the scheduler and services reach it through this.
  let discord: RunningClient | undefined;
  const client = () => {
    if (discord === undefined) throw new Error('not connected to Discord yet');
    return discord.client;
  };
  const scheduler = new DailyScheduler({
    store: daily,
    library,
    deliver: (...args) => channelDeliver(client())(...args),
    logger: logger.child({ part: 'daily' }),
    ...(overrides.clock ? { clock: overrides.clock } : {}),
    ...(overrides.dailyBackoffMs !== undefined ? { backoffMs: overrides.dailyBackoffMs } : {}),
  });
  const router = new Router({
    commands: overrides.commands ?? defaultCommands,
    buttons,
    engine: current,
    logger,
    shares: new ShareStore(),
    cooldownMs: config.COOLDOWN,
    publicByDefault: config.PUBLIC_BY_DEFAULT,
    services: {
      library,
      daily,
      scheduler,
      history: new BriefHistory(state),
      admins: { roleIds: config.ADMIN_ROLE_IDS, userIds: config.ADMIN_USER_IDS },
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
      router,
      logger,
      ...(overrides.onFatal ? { onFatal: overrides.onFatal } : {}),
    });
  } catch (err) {
    await closeStores();
    throw err;
  }
  scheduler.start();
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
    engine: current,
    library,
    cache,
    state,
    scheduler,
    router,
    discord: running,
    async stop() {
      watcher?.close();
      await scheduler.stop();
      await running.stop(config.SHUTDOWN_TIMEOUT);
      await closeStores();
    },
  };
}

function logReload(logger: Logger, report: ReloadReport): void {
  const { rejected, ...counts } = report;
  if (!report.ok) logger.error(counts, `reload refused: ${report.error}`);
  else logger.info({ ...counts, rejected: rejected.length }, 'corpus loaded');
  for (const r of rejected.slice(0, 20))
    logger.warn({ file: r.file, line: r.line, reason: r.reason }, 'article skipped');
}
