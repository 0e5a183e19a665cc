/**
 * The feeds as the command line and the bot manage them: subscribe (with a preview), list, remove,
 * pause, resume, and ingest every due feed. One instance per process owns the two files; its
 * operations run one at a time so that a poll and an edit never overwrite each other's changes.
 */
import { rm } from 'node:fs/promises';
import path from 'node:path';
import { HostQueue } from './hosts.ts';
import type { ParsedFeed } from './parse.ts';
import { type FeedSettings, fetchFeed, type PollEnv, pollFeed } from './poll.ts';
import {
  DEFAULT_INTERVAL,
  emptyState,
  type FeedState,
  feedNameSchema,
  readFeedStates,
  readSubscriptions,
  type Subscription,
  slugName,
  subscriptionSchema,
  writeFeedStates,
  writeSubscriptions,
} from './subscriptions.ts';

export interface FeedServiceOptions {
  /** `data/feeds.yaml`. */
  subscriptionsFile: string;
  /** The feeds' state, e.g. `data/state/feeds.json`. */
  stateFile: string;
  /** The corpus directory the articles go under (`feeds/<name>/…`). */
  corpusDir: string;
  settings: FeedSettings;
  /** Gap between two requests to one host; default 1 s. */
  hostIntervalMs?: number;
  now?: () => Date;
}

/** What `/feeds add` and `feeds add` show before saving. */
export interface FeedPreview {
  url: string;
  title: string | null;
  format: ParsedFeed['format'];
  items: number;
  newest: { title: string | null; date: string | null; url: string | null }[];
}

export type AddOutcome =
  | { ok: true; saved: boolean; subscription: Subscription; preview: FeedPreview }
  | { ok: false; message: string };

export interface FeedListing {
  subscription: Subscription;
  state: FeedState;
  status: 'active' | 'paused' | 'disabled';
  items: number;
}

export interface FeedReport {
  name: string;
  outcome: 'ok' | 'not_modified' | 'failed';
  added: string[];
  updated: string[];
  message?: string;
  nextPoll?: string;
  /** Set when this poll disabled the feed. */
  disabled?: string;
}

export interface IngestReport {
  feeds: FeedReport[];
  added: number;
  updated: number;
  failed: number;
  /** Feeds not due (or paused, or disabled) and so not polled. */
  skipped: number;
}

export interface IngestOptions {
  /** Poll every enabled feed now, due or not (disabled ones too: an operator asked). */
  force?: boolean;
  /** Called as each feed finishes. */
  onFeed?: (report: FeedReport) => void;
  /** Asked before polling a due feed (not with `force`): false when another process is polling it. */
  claim?: (sub: Subscription) => Promise<boolean>;
}

/** Feeds polled at once, over all hosts (each host still sees one request at a time). */
const PARALLEL_FEEDS = 4;

export class FeedService {
  private readonly hosts: HostQueue;
  private readonly now: () => Date;
  private tail: Promise<unknown> = Promise.resolve();

  constructor(private readonly options: FeedServiceOptions) {
    this.hosts = new HostQueue(options.hostIntervalMs ?? 1000);
    this.now = options.now ?? (() => new Date());
  }

  private env(): PollEnv {
    return {
      settings: this.options.settings,
      hosts: this.hosts,
      corpusDir: this.options.corpusDir,
      now: this.now,
    };
  }

  /** Runs `task` after every operation started before it. */
  private exclusive<T>(task: () => Promise<T>): Promise<T> {
    const next = this.tail.then(task);
    this.tail = next.catch(() => {});
    return next;
  }

  /** The subscriptions (throws a UserError when the file is invalid). */
  subscriptions(): Promise<Subscription[]> {
    return readSubscriptions(this.options.subscriptionsFile);
  }

  /** Fetches `url` once and shows what it holds; nothing is saved. */
  async preview(url: string): Promise<{ ok: true; preview: FeedPreview } | { ok: false; message: string }> {
    const fetched = await fetchFeed(url, this.env());
    if (!fetched.ok) return { ok: false, message: fetched.message };
    if (fetched.notModified) return { ok: false, message: 'the server answered 304 to a first request' };
    const { feed } = fetched;
    return {
      ok: true,
      preview: {
        url: fetched.url,
        title: feed.title,
        format: feed.format,
        items: feed.items.length,
        newest: feed.items.slice(0, 3).map((i) => ({ title: i.title, date: i.date, url: i.url })),
      },
    };
  }

  /** Previews `url` and, unless `dryRun`, subscribes to it. Nothing is saved when the preview fails. */
  async add(
    input: {
      url: string;
      name?: string | undefined;
      topics?: readonly string[];
      interval?: string | undefined;
    },
    dryRun = false,
  ): Promise<AddOutcome> {
    let url: string;
    try {
      url = new URL(input.url.trim()).href;
    } catch {
      return { ok: false, message: `"${input.url}" is not a URL: write it as https://…` };
    }
    if (input.name !== undefined) {
      const name = feedNameSchema.safeParse(input.name);
      if (!name.success) return { ok: false, message: `name: ${name.error.issues[0]?.message}` };
    }
    const previewed = await this.preview(url);
    if (!previewed.ok) return { ok: false, message: `${url}: ${previewed.message}. Nothing was saved.` };
    const { preview } = previewed;
    return this.exclusive(async () => {
      const subs = await this.subscriptions();
      const same = subs.find((s) => s.url === url || s.url === preview.url);
      if (same !== undefined) return { ok: false, message: `already subscribed as "${same.name}"` };
      const name = input.name ?? uniqueName(slugName(preview.title ?? new URL(preview.url).host), subs);
      if (subs.some((s) => s.name === name))
        return { ok: false, message: `a feed is already named "${name}"` };
      const parsed = subscriptionSchema.safeParse({
        url,
        name,
        topics: [...(input.topics ?? [])],
        interval: input.interval ?? DEFAULT_INTERVAL,
        enabled: true,
      });
      if (!parsed.success)
        return {
          ok: false,
          message: parsed.error.issues.map((i) => `${i.path.join('.')}: ${i.message}`).join('; '),
        };
      if (!dryRun) await writeSubscriptions(this.options.subscriptionsFile, [...subs, parsed.data]);
      return { ok: true, saved: !dryRun, subscription: parsed.data, preview };
    });
  }

  async list(): Promise<FeedListing[]> {
    const [subs, states] = await Promise.all([this.subscriptions(), readFeedStates(this.options.stateFile)]);
    return subs.map((subscription) => {
      const state = states[subscription.name] ?? emptyState();
      return {
        subscription,
        state,
        status: !subscription.enabled ? 'paused' : state.disabled !== undefined ? 'disabled' : 'active',
        items: Object.keys(state.items).length,
      };
    });
  }

  /** Unsubscribes; the feed's articles are deleted only with `deleteArticles`. */
  remove(name: string, deleteArticles = false): Promise<{ ok: boolean; message: string }> {
    return this.exclusive(async () => {
      const subs = await this.subscriptions();
      if (!subs.some((s) => s.name === name)) return { ok: false, message: `no feed is named "${name}"` };
      await writeSubscriptions(
        this.options.subscriptionsFile,
        subs.filter((s) => s.name !== name),
      );
      const states = await readFeedStates(this.options.stateFile);
      delete states[name];
      await writeFeedStates(this.options.stateFile, states);
      if (deleteArticles)
        await rm(path.join(this.options.corpusDir, 'feeds', name), { recursive: true, force: true });
      return {
        ok: true,
        message: deleteArticles
          ? `removed "${name}" and its articles`
          : `removed "${name}"; its articles stay under feeds/${name}/ until deleted by hand`,
      };
    });
  }

  /** Pause (false) or resume (true); resuming also clears a disabled feed's failures and polls it next. */
  setEnabled(name: string, enabled: boolean): Promise<{ ok: boolean; message: string }> {
    return this.exclusive(async () => {
      const subs = await this.subscriptions();
      const sub = subs.find((s) => s.name === name);
      if (sub === undefined) return { ok: false, message: `no feed is named "${name}"` };
      await writeSubscriptions(
        this.options.subscriptionsFile,
        subs.map((s) => (s.name === name ? { ...s, enabled } : s)),
      );
      if (enabled) {
        const states = await readFeedStates(this.options.stateFile);
        const state = states[name];
        if (state !== undefined) {
          delete state.disabled;
          delete state.nextPoll;
          state.failures = 0;
          await writeFeedStates(this.options.stateFile, states);
        }
      }
      return { ok: true, message: `${enabled ? 'resumed' : 'paused'} "${name}"` };
    });
  }

  /** One poll of every due feed (every enabled one with `force`); the state is saved as each ends. */
  ingest(options: IngestOptions = {}): Promise<IngestReport> {
    return this.exclusive(async () => {
      const subs = await this.subscriptions();
      const states = await readFeedStates(this.options.stateFile);
      const now = this.now().getTime();
      const due = subs.filter((s) => {
        const st = states[s.name];
        if (!s.enabled) return false;
        if (options.force === true) return true;
        if (st?.disabled !== undefined) return false;
        return st?.nextPoll === undefined || Date.parse(st.nextPoll) <= now;
      });
      const report: IngestReport = {
        feeds: [],
        added: 0,
        updated: 0,
        failed: 0,
        skipped: subs.length - due.length,
      };
      let saving: Promise<void> = Promise.resolve();
      const queue = [...due];
      const worker = async () => {
        for (let sub = queue.shift(); sub !== undefined; sub = queue.shift()) {
          if (options.force !== true && options.claim !== undefined && !(await options.claim(sub))) {
            report.skipped++;
            continue;
          }
          const before = states[sub.name] ?? emptyState();
          const polled = await pollFeed(sub, before, this.env());
          states[sub.name] = polled.state;
          const feed: FeedReport = {
            name: sub.name,
            outcome: polled.outcome,
            added: polled.added,
            updated: polled.updated,
            ...(polled.message !== undefined ? { message: polled.message } : {}),
            ...(polled.state.nextPoll !== undefined ? { nextPoll: polled.state.nextPoll } : {}),
            ...(polled.state.disabled !== undefined && before.disabled === undefined
              ? { disabled: polled.state.disabled.reason }
              : {}),
          };
          report.feeds.push(feed);
          report.added += feed.added.length;
          report.updated += feed.updated.length;
          if (feed.outcome === 'failed') report.failed++;
          // Saved after each feed, in order: a crash mid-ingest loses at most the feed in flight.
          saving = saving.then(() => writeFeedStates(this.options.stateFile, states));
          options.onFeed?.(feed);
        }
      };
      await Promise.all(Array.from({ length: Math.min(PARALLEL_FEEDS, due.length) }, worker));
      await saving;
      return report;
    });
  }
}

function uniqueName(base: string, subs: readonly Subscription[]): string {
  const names = new Set(subs.map((s) => s.name));
  for (let n = 1; ; n++) {
    const name = n === 1 ? base : `${base.slice(0, 58)}-${n}`;
    if (!names.has(name)) return name;
  }
}
