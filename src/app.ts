/**
 * Wires the bot from a parsed config: logger → cache → engine → router → Discord. `src/main.ts` calls
 * it with the process environment; the tests call it with a config that points at a loopback Discord.
 */
import type { Logger } from 'pino';
import { commands as defaultCommands } from '../commands/index.ts';
import { type KeyvResultCache, openResultCache } from './cache/keyv.ts';
import type { Config } from './config.ts';
import { buttons } from './discord/buttons.ts';
import { connect, type RunningClient } from './discord/client.ts';
import type { Command } from './discord/command.ts';
import { Router } from './discord/router.ts';
import { ShareStore } from './discord/share.ts';
import type { Engine } from './engine/engine.ts';
import { openEngine } from './engine/open.ts';
import { writerFromConfig } from './engine/summarize/llm/writer.ts';

export interface App {
  engine: () => Engine;
  cache: KeyvResultCache;
  router: Router;
  discord: RunningClient;
  /** Stops taking interactions, waits for those in flight (bounded), disconnects, closes the cache. */
  stop(): Promise<void>;
}

export interface AppOverrides {
  /** Replace the command list (tests). */
  commands?: readonly Command[];
  /** Wrap the engine once it is open (tests use it to slow it down or make it fail). */
  wrapEngine?: (engine: Engine) => Engine;
}

export async function startApp(config: Config, logger: Logger, overrides: AppOverrides = {}): Promise<App> {
  const writer = await writerFromConfig(config, logger);
  logger.info({ summariser: writer?.label ?? 'extractive' }, 'summariser');
  const cache = openResultCache({ url: config.CACHE_URL, ttlMs: config.CACHE_TTL, logger });
  const opened = await openEngine({
    ...(writer ? { writer } : {}),
    corpus: config.CORPUS_DIR,
    topicsFile: config.TOPICS_FILE,
    synonymsFile: config.SYNONYMS_FILE,
    indexCache: config.INDEX_CACHE_DIR,
    cache,
  });
  for (const warning of opened.warnings) logger.warn(warning);
  const { report } = opened.corpus;
  logger.info(
    {
      articles: opened.corpus.articles.length,
      rejected: report.rejected.length,
      duplicates: report.duplicates.length,
      corpusVersion: opened.engine.corpusVersion,
      index: opened.indexFrom,
      ms: Math.round(opened.buildMs),
    },
    'corpus loaded',
  );
  for (const r of report.rejected.slice(0, 20))
    logger.warn({ file: r.file, line: r.line, reason: r.reason }, 'article skipped');
  const engine = overrides.wrapEngine ? overrides.wrapEngine(opened.engine) : opened.engine;
  const current = () => engine;
  const router = new Router({
    commands: overrides.commands ?? defaultCommands,
    buttons,
    engine: current,
    logger,
    shares: new ShareStore(),
    cooldownMs: config.COOLDOWN,
    publicByDefault: config.PUBLIC_BY_DEFAULT,
  });
  let discord: RunningClient;
  try {
    discord = await connect({ token: config.DISCORD_TOKEN, apiUrl: config.DISCORD_API_URL, router, logger });
  } catch (err) {
    await cache.close();
    throw err;
  }
  return {
    engine: current,
    cache,
    router,
    discord,
    async stop() {
      await discord.stop(config.SHUTDOWN_TIMEOUT);
      await cache.close();
    },
  };
}
