/**
 * Posts each guild's daily digest once a day. It wakes at the next post time (at least once a minute,
 * so new settings, clock jumps and a missed post are noticed), and for each guild whose time has come
 * today and that has no post for today: claims the day in the shared store (one process wins), builds
 * the digest of what is new since the previous post, and has it sent (src/daily/post.ts). The claim
 * is a short lease, renewed while the post is under way, so a process killed mid-post frees the day
 * within one lease; the record of the post is checked again after claiming, so a restart or a second
 * process never posts twice, and a post cut short is resumed by the next holder of the claim.
 */
import { randomUUID } from 'node:crypto';
import type { Logger } from 'pino';
import type { Engine } from '../engine/engine.ts';
import { type Clock, systemClock } from './clock.ts';
import { buildDigest, type Digest, newSince, type Previous } from './digest.ts';
import { type Deliver, type PostHow, type PostOutcome, sendPost } from './post.ts';
import {
  type DailySettings,
  type DailyStore,
  dueToday,
  localDate,
  nextPostTime,
  type PostAttempt,
} from './schedule.ts';

export interface SchedulerOptions {
  store: DailyStore;
  /** The engine in service and when each article was first seen (see Library). */
  library: { current(): Engine; firstSeen(articleId: string): string | undefined };
  deliver: Deliver;
  logger: Logger;
  clock?: Clock;
  /** Delivery attempts before giving up for the day; default 4, waiting 2 s, 4 s, 8 s between them. */
  attempts?: number;
  backoffMs?: number;
  /**
   * How long a claim on a guild's day lasts unless renewed; its holder renews it every third of it while
   * posting, so a holder that dies frees the day this long after its last renewal. Default 60 s.
   */
  leaseMs?: number;
}

/** Longest wait between two looks at the schedule. */
const MAX_SLEEP_MS = 60_000;
/** Short, so that a post cut short is resumed while Discord still remembers its pages' nonces. */
export const DEFAULT_LEASE_MS = 60_000;
/** A post sent this long after its time says it is late. */
const LATE_AFTER_MS = 5 * 60_000;

export class DailyScheduler {
  readonly owner = randomUUID();
  private readonly clock: Clock;
  private cancel: (() => void) | undefined;
  private ticking: Promise<void> | undefined;
  private stopped = false;
  /** Set when a look found a day claimed by another: look again once that claim could have lapsed. */
  private claimedElsewhere = false;

  constructor(private readonly options: SchedulerOptions) {
    this.clock = options.clock ?? systemClock;
  }

  /** Looks at once (a post missed while the bot was down goes out now, if it is still the same day). */
  start(): void {
    this.stopped = false;
    void this.tick();
  }

  async stop(): Promise<void> {
    this.stopped = true;
    this.cancel?.();
    await this.ticking;
  }

  /** One look at every guild's schedule; then the next look is planned. Never overlaps itself. */
  tick(): Promise<void> {
    this.ticking ??= this.runTick().then((all) => {
      this.ticking = undefined;
      this.plan(all);
    });
    return this.ticking;
  }

  /** Runs every guild's schedule; the settings it read, for planning the next look. */
  private async runTick(): Promise<DailySettings[]> {
    let all: DailySettings[];
    try {
      all = await this.options.store.allSettings();
    } catch (err) {
      this.options.logger.error({ err }, 'daily: cannot read the settings store; will look again');
      return [];
    }
    // Guilds are independent: one failing does not hold up the others.
    await Promise.all(
      all.map((s) =>
        this.runScheduled(s).catch((err) =>
          this.options.logger.error({ err, guild: s.guildId }, 'daily: could not run the schedule'),
        ),
      ),
    );
    return all;
  }

  /** Resolves once no look is running and the next one is planned (tests move their clock after it). */
  async settled(): Promise<void> {
    while (this.ticking !== undefined) await this.ticking;
  }

  /** Sets the timer for the next look: the soonest post time, at most a minute away. */
  private plan(all: readonly DailySettings[]): void {
    if (this.stopped) return;
    const now = this.clock.now();
    let soonest = MAX_SLEEP_MS;
    for (const s of all) {
      try {
        soonest = Math.min(soonest, nextPostTime(s, now).getTime() - now.getTime());
      } catch {
        // A setting croner cannot read (an unknown zone) was logged by the look; it does not stop the others.
      }
    }
    // A claim held by a process that died lapses within one lease; its post is then resumed here.
    if (this.claimedElsewhere) soonest = Math.min(soonest, this.leaseMs);
    this.claimedElsewhere = false;
    this.cancel?.();
    this.cancel = this.clock.setTimer(() => void this.tick(), Math.max(1000, soonest + 500));
  }

  private get leaseMs(): number {
    return this.options.leaseMs ?? DEFAULT_LEASE_MS;
  }

  /** The scheduler's clock (settings record when they were set on it). */
  now(): Date {
    return this.clock.now();
  }

  /** The next post time of a guild. */
  next(settings: DailySettings): Date {
    return nextPostTime(settings, this.clock.now());
  }

  /** Today's scheduled post for a guild, if due and not yet sent by anyone. */
  async runScheduled(settings: DailySettings): Promise<PostOutcome> {
    const { store, logger } = this.options;
    const now = this.clock.now();
    const due = dueToday(settings, now);
    // A post time that had passed when the schedule was set (set at 10:00 for 08:00) starts tomorrow.
    if (due === undefined || due.due.getTime() < Date.parse(settings.setAt))
      return { posted: false, reason: 'not-due' };
    try {
      if ((await store.post(settings.guildId, due.date)) !== undefined)
        return { posted: false, reason: 'already-posted' };
      if ((await store.failure(settings.guildId))?.date === due.date)
        return { posted: false, reason: 'gave-up-today' };
      if (!(await store.claim(settings.guildId, due.date, this.owner, this.leaseMs))) {
        this.claimedElsewhere = true;
        return { posted: false, reason: 'claimed-elsewhere' };
      }
      // Someone may have posted and recorded between our first look and the claim (their lease expired).
      if ((await store.post(settings.guildId, due.date)) !== undefined)
        return { posted: false, reason: 'already-posted' };
    } catch (err) {
      logger.error({ err, guild: settings.guildId }, 'daily: store unavailable; will try again');
      return { posted: false, reason: 'failed', error: (err as Error).message };
    }
    return this.holdingClaim(settings.guildId, due.date, () => this.postDue(settings, due, now));
  }

  /**
   * Runs `work` while renewing this scheduler's claim on the guild's day (on the real clock: the store
   * expires claims on its own). A lost claim is logged; the pages' nonces still keep a second sender
   * from repeating a page.
   */
  private async holdingClaim<T>(guildId: string, date: string, work: () => Promise<T>): Promise<T> {
    const { store, logger } = this.options;
    const renew = setInterval(() => {
      store.extendClaim(guildId, date, this.owner, this.leaseMs).then(
        (held) => {
          if (!held)
            logger.warn({ guild: guildId, date }, 'daily: the claim on the day lapsed while posting');
        },
        (err: unknown) => logger.warn({ err, guild: guildId }, 'daily: could not renew the claim on the day'),
      );
    }, this.leaseMs / 3);
    renew.unref();
    try {
      return await work();
    } finally {
      clearInterval(renew);
    }
  }

  /** Today's post, once the day is claimed: a post cut short is resumed, otherwise a new one is made. */
  private async postDue(
    settings: DailySettings,
    due: { date: string; due: Date },
    now: Date,
  ): Promise<PostOutcome> {
    const { store, logger } = this.options;
    let unfinished: PostAttempt | undefined;
    try {
      unfinished = await store.attempt(settings.guildId, due.date);
    } catch (err) {
      logger.error({ err, guild: settings.guildId }, 'daily: store unavailable; will try again');
      return { posted: false, reason: 'failed', error: (err as Error).message };
    }
    if (unfinished !== undefined) {
      logger.warn(
        { guild: settings.guildId, date: due.date, pagesSent: unfinished.messageIds.length },
        'daily: resuming a post that was cut short',
      );
      return this.post(settings, due.date, {
        late: unfinished.late,
        manual: false,
        note: unfinished.note,
        resume: unfinished,
      });
    }
    const lateBy = now.getTime() - due.due.getTime();
    const note =
      lateBy > LATE_AFTER_MS
        ? `Posted late: the bot was offline at ${settings.time} (${settings.timezone}).`
        : undefined;
    return this.post(settings, due.date, { late: note !== undefined, manual: false, note });
  }

  /** `/daily now`: posts at once, outside the schedule (today's scheduled post still goes out). */
  postNow(settings: DailySettings): Promise<PostOutcome> {
    return this.post(settings, localDate(this.clock.now(), settings.timezone), {
      late: false,
      manual: true,
      note: 'Posted on request.',
    });
  }

  /** What the next post would hold, without posting. */
  async preview(settings: Pick<DailySettings, 'guildId' | 'timezone' | 'topics'>): Promise<Digest> {
    return this.digest(settings, localDate(this.clock.now(), settings.timezone));
  }

  private async digest(settings: Pick<DailySettings, 'guildId' | 'topics'>, date: string): Promise<Digest> {
    const last = await this.options.store.lastPost(settings.guildId);
    // No previous post: the last day counts as new.
    const dayAgo = new Date(this.clock.now().getTime() - 24 * 3600 * 1000);
    const previous: Previous =
      last !== undefined
        ? { date: last.date, at: last.postedAt }
        : { date: localDate(dayAgo, 'UTC'), at: dayAgo.toISOString() };
    const { library } = this.options;
    return buildDigest(library.current(), {
      date,
      only: newSince(previous, (id) => library.firstSeen(id)),
      topics: settings.topics,
    });
  }

  private post(settings: DailySettings, date: string, how: PostHow): Promise<PostOutcome> {
    const { store, logger, deliver } = this.options;
    return sendPost(
      {
        store,
        logger,
        deliver,
        clock: this.clock,
        attempts: this.options.attempts ?? 4,
        backoffMs: this.options.backoffMs ?? 2000,
        digest: (s, d) => this.digest(s, d),
      },
      settings,
      date,
      how,
    );
  }
}
