/**
 * The command line: `brief <topic>`, `ask "<question>"`, `search "<query>"`, `topics`, `reload`,
 * `daily --preview`. It is the
 * composition root for the terminal: parse arguments, open the engine, print one result.
 */
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import { cachedEngine } from './cache/engine.ts';
import { type KeyvResultCache, openResultCache } from './cache/keyv.ts';
import { ConfigError, parseLlmConfig } from './config.ts';
import { buildDigest } from './daily/digest.ts';
import type { Engine } from './engine/engine.ts';
import { Library, manifestSchema } from './engine/library.ts';
import { openEngine } from './engine/open.ts';
import { writerFromConfig } from './engine/summarize/llm/writer.ts';
import { UserError } from './errors.ts';
import { FEEDS_USAGE, runFeedsCli } from './feeds/cli.ts';
import { isoDay } from './render/format.ts';
import {
  renderBriefing,
  renderCorpusProblems,
  renderDigest,
  renderReloadReport,
  renderRemembered,
  renderSearch,
  renderTopics,
} from './render/text.ts';
import { BriefHistory } from './state/history.ts';
import { briefRemembered, isSinceLast, type RememberedBriefing } from './state/since-last.ts';
import { openStateStore } from './state/store.ts';

const ROOT = fileURLToPath(new URL('..', import.meta.url));
export const DEFAULT_CORPUS = `${ROOT}data/articles`;
export const DEFAULT_TOPICS = `${ROOT}data/topics.json`;
export const DEFAULT_SYNONYMS = `${ROOT}data/synonyms.json`;
export const DEFAULT_INDEX_CACHE = `${ROOT}.cache/index`;
export const DEFAULT_PROMPTS = `${ROOT}prompts`;
export const DEFAULT_FEEDS = `${ROOT}data/feeds.yaml`;
export const DEFAULT_FEEDS_STATE = `${ROOT}data/state/feeds.json`;

export const USAGE = `usage: briefing <command> [options]

commands:
  brief <topic>        a cited briefing on a topic (slug, alias or any words), e.g. brief kataib-hezbollah
  ask "<question>"     a cited answer to a question, or "no sources" when the corpus has none
  search "<query>"     matching articles with dates and snippets
  topics               curated and discovered topics with article counts
  reload               validate a corpus and report what it holds (and what changed since the bot's
                       last load, with --state); exits 1 when no article is valid
  daily --preview      print the daily post that would go out next (--since YYYY-MM-DD sets what
                       counts as new; without it, what a fresh deployment's first post would hold;
                       --topics-first a,b the topics covered first)
  feeds <command>      add, list, remove, pause or resume the feeds the corpus follows (below)
  ingest [--force]     poll every due feed once and write its new items into the corpus

options:
  --corpus <path>      corpus directory or file (default data/articles)
  --topics <file>      curated topics (default data/topics.json)
  --synonyms <file>    synonym groups for questions (default data/synonyms.json)
  --index-cache <dir>  where built indexes are kept for the next run (default .cache/index)
  --no-index-cache     always build the index in memory, write nothing
  --cache <url>        answer cache: sqlite://<file> or redis://host:port (default $CACHE_URL, else none)
  --since <date>       only sources on or after: YYYY-MM-DD, or 7d / 4w / 6m / 1y back from today;
                       brief: "last" for what is new since your last brief --since last on the topic
                       (remembered in the state store: --state or $STATE_URL)
  --until <date>       only sources on or before (same forms)
  --limit <n>          bullets or results at most
  --state <url>        the bot's state store (default $STATE_URL): reload compares with its last load;
                       brief --since last keeps your briefing history there
  --topics-first <a,b> daily: topics covered first
  --json               print one JSON document (schema in README.md)
  -h, --help           this text

feeds:
${FEEDS_USAGE}`;

const COMMANDS = ['brief', 'ask', 'search', 'topics', 'reload', 'daily'] as const;
type Command = (typeof COMMANDS)[number];

/** Runs one CLI invocation; returns the exit code. Output goes through the two writers. */
export async function run(
  argv: readonly string[],
  out: (s: string) => void,
  err: (s: string) => void,
  env: Readonly<Record<string, string | undefined>> = process.env,
): Promise<number> {
  // Feeds have their own options (--dry-run, --force…): their module parses them.
  if ((argv[0] === 'feeds' || argv[0] === 'ingest') && !argv.includes('--help') && !argv.includes('-h'))
    return runFeedsCli(argv, out, err, env, {
      feedsFile: DEFAULT_FEEDS,
      stateFile: DEFAULT_FEEDS_STATE,
      corpusDir: DEFAULT_CORPUS,
    });
  let parsed: ReturnType<typeof parse>;
  try {
    parsed = parse(argv);
  } catch (e) {
    err(`${(e as Error).message}\n\n${USAGE}\n`);
    return 2;
  }
  const { values, positionals } = parsed;
  if (values.help === true) {
    out(`${USAGE}\n`);
    return 0;
  }
  const [command, ...rest] = positionals;
  if (command === undefined || !COMMANDS.includes(command as Command)) {
    err(`${command === undefined ? 'no command given' : `unknown command "${command}"`}\n\n${USAGE}\n`);
    return 2;
  }
  const text = rest.join(' ').trim();
  if (command === 'reload') return reload(values, out, err, env);
  if (command === 'daily' && values.preview !== true) {
    err('daily: only the bot posts; add --preview to print the post as it would look.\n');
    return 2;
  }
  if (!['topics', 'daily'].includes(command) && text === '') {
    err(
      `"${command}" needs ${command === 'brief' ? 'a topic' : command === 'ask' ? 'a question' : 'a query'}, e.g.\n  npm run ${command} -- ${command === 'brief' ? 'kataib-hezbollah' : '"Tower 22 attack"'}\n`,
    );
    return 2;
  }
  let limit: number | undefined;
  if (values.limit !== undefined) {
    limit = Number(values.limit);
    if (!Number.isInteger(limit)) {
      err(`--limit must be a whole number (got "${values.limit}")\n`);
      return 2;
    }
  }
  let cache: KeyvResultCache | undefined;
  try {
    // One CLI run asks once, so an in-memory cache would never hit: cache only where asked to.
    const cacheUrl = values.cache ?? env.CACHE_URL;
    if (cacheUrl !== undefined && cacheUrl.trim() !== '') cache = openResultCache({ url: cacheUrl });
    // OPENAI_API_KEY (and OPENAI_BASE_URL, OPENAI_MODEL…) switch brief and ask to verified LLM summaries.
    const writer = await writerFromConfig({
      ...parseLlmConfig(env),
      PROMPTS_DIR: env.PROMPTS_DIR ?? DEFAULT_PROMPTS,
    });
    const opened = await openEngine({
      ...(writer ? { writer } : {}),
      ...corpusOptions(values),
    });
    for (const w of opened.warnings) err(`warning: ${w}\n`);
    const { corpus } = opened;
    const engine = cache ? cachedEngine(opened.engine, cache) : opened.engine;
    const { rejected, duplicates } = corpus.report;
    if (rejected.length > 0 || duplicates.length > 0) err(renderCorpusProblems(corpus));
    const options = { since: command === 'daily' ? undefined : values.since, until: values.until, limit };
    const json = values.json === true;
    switch (command as Command) {
      case 'brief':
      case 'ask': {
        if (command === 'brief' && isSinceLast(values.since)) {
          const remembered = await briefSinceLast(engine, text, values.state ?? env.STATE_URL);
          out(
            json ? `${JSON.stringify(rememberedJson(remembered), null, 2)}\n` : renderRemembered(remembered),
          );
          return 0;
        }
        const result =
          command === 'brief' ? await engine.brief(text, options) : await engine.ask(text, options);
        out(json ? `${JSON.stringify(result, null, 2)}\n` : renderBriefing(result));
        return 0;
      }
      case 'search': {
        const result = engine.search(text, options);
        out(json ? `${JSON.stringify(result, null, 2)}\n` : renderSearch(result));
        return 0;
      }
      case 'daily': {
        const today = isoDay(new Date());
        const since = values.since;
        if (since !== undefined && !/^\d{4}-\d{2}-\d{2}$/.test(since))
          throw new UserError('bad_date', `--since: write a date as YYYY-MM-DD (got "${since}")`);
        // Without --since: the bot's next post on a fresh deployment, where every article is first seen
        // at start-up and so counts as new (the scheduler's own rule, src/daily/scheduler.ts).
        const only =
          since === undefined
            ? { describe: 'new to a fresh deployment', keep: () => true }
            : { describe: `new since ${since}`, keep: (a: { date: string }) => a.date >= since };
        const digest = await buildDigest(engine, {
          date: today,
          only,
          topics: (values['topics-first'] ?? '')
            .split(',')
            .map((t) => t.trim())
            .filter(Boolean),
        });
        out(
          json
            ? `${JSON.stringify(digest, null, 2)}\n`
            : `${renderDigest(digest, 'Preview: nothing has been posted.')}\n`,
        );
        return 0;
      }
      default: {
        // 'topics'
        const result = engine.topics();
        out(json ? `${JSON.stringify(result, null, 2)}\n` : renderTopics(result));
        return 0;
      }
    }
  } catch (e) {
    if (e instanceof UserError || e instanceof ConfigError) {
      err(`${e.message}\n`);
      return 2;
    }
    throw e;
  } finally {
    await cache?.close();
  }
}

/**
 * `reload`: loads the corpus as the bot's /reload would and prints the same report. With a state store
 * (--state or $STATE_URL) the counts compare with the bot's last load; nothing is written to it.
 */
async function reload(
  values: ReturnType<typeof parse>['values'],
  out: (s: string) => void,
  err: (s: string) => void,
  env: Readonly<Record<string, string | undefined>>,
): Promise<number> {
  const stateUrl = values.state ?? env.STATE_URL;
  const state = stateUrl !== undefined && stateUrl.trim() !== '' ? await openStateStore(stateUrl) : undefined;
  try {
    const library = new Library({
      open: () => openEngine(corpusOptions(values)),
      ...(state
        ? {
            manifestStore: { load: () => state.get('corpus:manifest', manifestSchema), save: async () => {} },
          }
        : {}),
    });
    const report = await library.reload('cli');
    out(
      values.json === true
        ? `${JSON.stringify(report, null, 2)}\n`
        : `${renderReloadReport(report).join('\n')}\n`,
    );
    return 0;
  } catch (e) {
    if (e instanceof UserError) {
      err(`reload: nothing usable — ${e.message}\n`);
      return 1;
    }
    throw e;
  } finally {
    await state?.close();
  }
}

/** Who the command line is in the briefing history (Discord users are numeric ids). */
const CLI_ASKER = 'cli';

/**
 * `brief <topic> --since last`: what is new since this command line's last briefing on the topic, as
 * /brief since:last does for a Discord user. The history and the corpus manifest (first-seen times)
 * live in the state store; without one there is nothing to compare with, and that is said.
 */
async function briefSinceLast(
  engine: Engine,
  topic: string,
  stateUrl: string | undefined,
): Promise<RememberedBriefing> {
  if (stateUrl === undefined || stateUrl.trim() === '')
    throw new UserError(
      'bad_option',
      '--since last needs the state store where your earlier briefings are kept: pass --state sqlite://<file> (or redis://host:port), or set STATE_URL.',
    );
  const state = await openStateStore(stateUrl);
  try {
    // Without the manifest, articles count as new only by their dates.
    const manifest = await state.get('corpus:manifest', manifestSchema).catch(() => undefined);
    const outcome = await briefRemembered(
      engine,
      { history: new BriefHistory(state), firstSeen: (id) => manifest?.[id]?.seen, now: () => new Date() },
      CLI_ASKER,
      topic,
      'last',
    );
    // One run, one answer: the history is written before the store closes.
    await outcome.remember();
    return outcome;
  } finally {
    await state.close();
  }
}

/** A remembered briefing as one JSON document: the briefing, saying why when nothing new came. */
function rememberedJson(r: RememberedBriefing) {
  return r.kind === 'nothing-new' ? { ...r.briefing, reason: r.reason } : r.briefing;
}

/** Where the corpus, topics, synonyms and index cache are, from the options or the defaults. */
function corpusOptions(values: ReturnType<typeof parse>['values']) {
  return {
    corpus: values.corpus ?? DEFAULT_CORPUS,
    topicsFile: values.topics ?? DEFAULT_TOPICS,
    synonymsFile: values.synonyms ?? DEFAULT_SYNONYMS,
    ...(values['no-index-cache'] === true
      ? {}
      : { indexCache: values['index-cache'] ?? DEFAULT_INDEX_CACHE }),
  };
}

function parse(argv: readonly string[]) {
  return parseArgs({
    args: [...argv],
    allowPositionals: true,
    options: {
      corpus: { type: 'string' },
      topics: { type: 'string' },
      synonyms: { type: 'string' },
      'index-cache': { type: 'string' },
      'no-index-cache': { type: 'boolean' },
      cache: { type: 'string' },
      since: { type: 'string' },
      until: { type: 'string' },
      limit: { type: 'string' },
      json: { type: 'boolean' },
      state: { type: 'string' },
      preview: { type: 'boolean' },
      'topics-first': { type: 'string' },
      help: { type: 'boolean', short: 'h' },
    },
  });
}

if (process.argv[1] !== undefined && fileURLToPath(import.meta.url) === process.argv[1]) {
  const code = await run(
    process.argv.slice(2),
    (s) => process.stdout.write(s),
    (s) => process.stderr.write(s),
  );
  process.exitCode = code;
}
