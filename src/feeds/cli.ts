/**
 * `feeds add|list|remove|pause|resume` and `ingest` on the command line (src/cli.ts hands them over).
 * Wrong usage exits 2; `ingest` exits 1 when a feed failed, so cron can tell.
 */
import { parseArgs } from 'node:util';
import { ConfigError, parseFeedsConfig } from '../config.ts';
import { UserError } from '../errors.ts';
import { feedSettings, userAgent } from './poll.ts';
import { addLines, listLines, progressLine, reportLines } from './render.ts';
import { FeedService } from './service.ts';

export const FEEDS_USAGE = `usage:
  feeds add <url> [--name <name>] [--topics a,b] [--interval 30m] [--dry-run]
                        fetch the feed once, print its title and 3 newest items, and subscribe
                        (--dry-run: only the preview)
  feeds list            every feed: state, items, last success, last error, next poll
  feeds remove <name> [--delete-articles]
  feeds pause <name> | feeds resume <name>
  ingest [--force]      poll every due feed once (--force: every enabled feed now); exit 1 if one failed

options: --feeds <file> (default $FEEDS_FILE or data/feeds.yaml), --feeds-state <file> (default
$FEEDS_STATE_FILE or data/state/feeds.json), --corpus <dir> (default data/articles), --json`;

export interface FeedsCliPaths {
  feedsFile: string;
  stateFile: string;
  corpusDir: string;
}

export async function runFeedsCli(
  argv: readonly string[],
  out: (s: string) => void,
  err: (s: string) => void,
  env: Readonly<Record<string, string | undefined>>,
  defaults: FeedsCliPaths,
): Promise<number> {
  let parsed: ReturnType<typeof parse>;
  try {
    parsed = parse(argv);
  } catch (e) {
    err(`${(e as Error).message}\n\n${FEEDS_USAGE}\n`);
    return 2;
  }
  const { values, positionals } = parsed;
  const [command, sub, arg] = positionals;
  const json = values.json === true;
  try {
    const config = parseFeedsConfig(env);
    const service = new FeedService({
      subscriptionsFile: values.feeds ?? env.FEEDS_FILE ?? defaults.feedsFile,
      stateFile: values['feeds-state'] ?? env.FEEDS_STATE_FILE ?? defaults.stateFile,
      corpusDir: values.corpus ?? defaults.corpusDir,
      settings: feedSettings({
        allowPrivate: config.FEEDS_ALLOW_PRIVATE,
        disableAfter: config.FEEDS_DISABLE_AFTER,
        userAgent: userAgent(config.FEEDS_CONTACT_URL),
      }),
    });
    if (command === 'ingest') {
      const report = await service.ingest({
        force: values.force === true,
        onFeed: (f) => (json ? undefined : out(`${progressLine(f)}\n`)),
      });
      out(json ? `${JSON.stringify(report, null, 2)}\n` : `${reportLines(report).join('\n')}\n`);
      return report.failed > 0 ? 1 : 0;
    }
    switch (sub) {
      case 'add': {
        if (arg === undefined) return usage(err, 'feeds add needs a URL');
        const r = await service.add(
          {
            url: arg,
            name: values.name,
            topics: (values.topics ?? '')
              .split(',')
              .map((t) => t.trim())
              .filter(Boolean),
            interval: values.interval,
          },
          values['dry-run'] === true,
        );
        if (!r.ok) {
          err(`feeds add: ${r.message}\n`);
          return 1;
        }
        out(json ? `${JSON.stringify(r, null, 2)}\n` : `${addLines(r).join('\n')}\n`);
        return 0;
      }
      case 'list': {
        const feeds = await service.list();
        out(json ? `${JSON.stringify(feeds, null, 2)}\n` : `${listLines(feeds).join('\n')}\n`);
        return 0;
      }
      case 'remove':
      case 'pause':
      case 'resume': {
        if (arg === undefined) return usage(err, `feeds ${sub} needs a feed's name (see feeds list)`);
        const r =
          sub === 'remove'
            ? await service.remove(arg, values['delete-articles'] === true)
            : await service.setEnabled(arg, sub === 'resume');
        (r.ok ? out : err)(`${r.message}\n`);
        return r.ok ? 0 : 1;
      }
      default:
        return usage(err, sub === undefined ? 'feeds needs a command' : `unknown feeds command "${sub}"`);
    }
  } catch (e) {
    if (e instanceof UserError || e instanceof ConfigError) {
      err(`${e.message}\n`);
      return 2;
    }
    throw e;
  }
}

function usage(err: (s: string) => void, why: string): number {
  err(`${why}\n\n${FEEDS_USAGE}\n`);
  return 2;
}

function parse(argv: readonly string[]) {
  return parseArgs({
    args: [...argv],
    allowPositionals: true,
    options: {
      feeds: { type: 'string' },
      'feeds-state': { type: 'string' },
      corpus: { type: 'string' },
      name: { type: 'string' },
      topics: { type: 'string' },
      interval: { type: 'string' },
      'dry-run': { type: 'boolean' },
      'delete-articles': { type: 'boolean' },
      force: { type: 'boolean' },
      json: { type: 'boolean' },
    },
  });
}
