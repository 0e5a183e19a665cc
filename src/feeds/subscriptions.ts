/**
 * The feeds an operator subscribed to (`data/feeds.yaml`, hand-editable) and what polling learned about
 * each (a JSON file beside the state store: validators, last success and error, failures, next poll,
 * the items already ingested). The two are kept apart so that the file a person edits never churns.
 */
import { randomBytes } from 'node:crypto';
import { mkdir, readFile, rename, rm, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { parse as parseYaml, stringify as stringifyYaml } from 'yaml';
import { z } from 'zod';
import { parseDuration } from '../config.ts';
import { UserError } from '../errors.ts';

/** Poll interval when a feed does not set one. */
export const DEFAULT_INTERVAL = '30m';
/** No feed is polled more often than this, whatever its file says. */
export const MIN_INTERVAL_MS = 5 * 60_000;

/** A feed's name: its directory under `feeds/` and how commands refer to it. */
export const feedNameSchema = z
  .string()
  .regex(/^[a-z0-9][a-z0-9-]{0,62}$/, 'a name is lower-case letters, digits and dashes (at most 63)');

export const subscriptionSchema = z.object({
  url: z.url({ protocol: /^https?$/, message: 'must be an http(s) URL' }),
  name: feedNameSchema,
  /** Topic slugs or words added to every article of the feed as tags. */
  topics: z.array(z.string().trim().min(1)).default([]),
  /** `30m`, `2h`…; default 30m, at least 5m. */
  interval: z
    .string()
    .default(DEFAULT_INTERVAL)
    .refine((v) => parseDuration(v) !== undefined, 'write an interval such as 30m, 2h or 1d'),
  /** False: paused by an operator. */
  enabled: z.boolean().default(true),
});
export type Subscription = z.infer<typeof subscriptionSchema>;

const feedsFileSchema = z.object({ feeds: z.array(subscriptionSchema).default([]) });

export function intervalMs(sub: Subscription): number {
  return Math.max(MIN_INTERVAL_MS, parseDuration(sub.interval) ?? parseDuration(DEFAULT_INTERVAL)!);
}

/** Reads the subscriptions; a missing file is no feeds. Every problem is listed at once. */
export async function readSubscriptions(file: string): Promise<Subscription[]> {
  const text = await readFile(file, 'utf8').catch((err: NodeJS.ErrnoException) => {
    if (err.code === 'ENOENT') return undefined;
    throw err;
  });
  if (text === undefined || text.trim() === '') return [];
  let value: unknown;
  try {
    value = parseYaml(text);
  } catch (err) {
    throw new UserError('bad_config', `${file}: not valid YAML: ${(err as Error).message.split('\n')[0]}`);
  }
  const parsed = feedsFileSchema.safeParse(value ?? {});
  if (!parsed.success)
    throw new UserError(
      'bad_config',
      `${file}:\n${parsed.error.issues.map((i) => `  - ${i.path.join('.')}: ${i.message}`).join('\n')}`,
    );
  const names = new Set<string>();
  for (const f of parsed.data.feeds) {
    if (names.has(f.name)) throw new UserError('bad_config', `${file}: two feeds are named "${f.name}"`);
    names.add(f.name);
  }
  return parsed.data.feeds;
}

export async function writeSubscriptions(file: string, feeds: readonly Subscription[]): Promise<void> {
  const header =
    '# Feeds the corpus follows: url, name (its folder under articles/feeds/), topics (tags),\n' +
    '# interval (30m, 2h…), enabled. Managed by `npm run feeds` and /feeds; hand edits are kept.\n';
  await atomicWrite(file, header + stringifyYaml({ feeds }));
}

/** One ingested item: the file it became and the hash of what the feed said of it. */
const seenItemSchema = z.object({ file: z.string(), hash: z.string(), at: z.string() });

export const feedStateSchema = z.object({
  title: z.string().optional(),
  etag: z.string().optional(),
  lastModified: z.string().optional(),
  lastPoll: z.string().optional(),
  lastSuccess: z.string().optional(),
  lastError: z.object({ at: z.string(), message: z.string() }).optional(),
  /** Consecutive failures since the last success. */
  failures: z.number().int().default(0),
  nextPoll: z.string().optional(),
  /** Set after too many consecutive failures; cleared by resume. */
  disabled: z.object({ at: z.string(), reason: z.string() }).optional(),
  items: z.record(z.string(), seenItemSchema).default({}),
});
export type FeedState = z.infer<typeof feedStateSchema>;

const stateFileSchema = z.object({ version: z.literal(1), feeds: z.record(z.string(), feedStateSchema) });
export type FeedStates = Record<string, FeedState>;

export function emptyState(): FeedState {
  return { failures: 0, items: {} };
}

/** Reads the feeds' state; missing or unreadable is empty (the worst case is one full re-fetch). */
export async function readFeedStates(file: string): Promise<FeedStates> {
  const text = await readFile(file, 'utf8').catch(() => undefined);
  if (text === undefined) return {};
  try {
    const parsed = stateFileSchema.safeParse(JSON.parse(text));
    return parsed.success ? parsed.data.feeds : {};
  } catch {
    return {};
  }
}

export async function writeFeedStates(file: string, feeds: FeedStates): Promise<void> {
  await atomicWrite(file, `${JSON.stringify({ version: 1, feeds }, null, 1)}\n`);
}

/** Write to a hidden temporary file, then rename: a reader never sees half a file. */
export async function atomicWrite(file: string, content: string): Promise<void> {
  await mkdir(path.dirname(file), { recursive: true });
  const tmp = path.join(path.dirname(file), `.${path.basename(file)}.${randomBytes(4).toString('hex')}.tmp`);
  try {
    await writeFile(tmp, content, 'utf8');
    await rename(tmp, file);
  } catch (err) {
    await rm(tmp, { force: true });
    throw err;
  }
}

/** A feed name from a title or URL: `State Department Press` → `state-department-press`. */
export function slugName(from: string, max = 50): string {
  const full = from
    .normalize('NFKD')
    .replace(/[\u0300-\u036f]/g, '')
    .toLowerCase()
    .replace(/^https?:\/\/(www\.)?/, '')
    .replace(/[^a-z0-9]+/g, '-')
    .replace(/^-+|-+$/g, '');
  // Cut at a word (dash) where the word would be cut.
  const cut =
    full.length <= max
      ? full
      : full.slice(0, full.lastIndexOf('-', max) > 0 ? full.lastIndexOf('-', max) : max);
  return cut === '' ? 'feed' : cut;
}
