/**
 * Daily-post settings, records and times. Times are computed with croner, which knows time zones and
 * DST: a post set for 08:00 Europe/Berlin is at 06:00 UTC in summer and 07:00 UTC in winter, and a time
 * that does not exist on a spring-forward day (02:30) runs an hour later that day.
 */
import { Cron } from 'croner';
import { z } from 'zod';
import type { StateStore } from '../state/store.ts';
import { digestSchema } from './digest.ts';

export const dailySettingsSchema = z.object({
  guildId: z.string(),
  channelId: z.string(),
  /** HH:MM, 24-hour, in `timezone`. */
  time: z.string().regex(/^([01]\d|2[0-3]):[0-5]\d$/),
  timezone: z.string(),
  /** Topics covered first (slugs). */
  topics: z.array(z.string()),
  /** Post nothing (instead of one line) when nothing is new. */
  quiet: z.boolean(),
  setBy: z.string(),
  setAt: z.string(),
});
export type DailySettings = z.infer<typeof dailySettingsSchema>;

export const postRecordSchema = z.object({
  guildId: z.string(),
  /** The guild's local day the post is for. */
  date: z.string(),
  channelId: z.string(),
  messageIds: z.array(z.string()),
  corpusVersion: z.string(),
  postedAt: z.string(),
  late: z.boolean(),
  manual: z.boolean(),
  newArticles: z.number(),
});
export type PostRecord = z.infer<typeof postRecordSchema>;

export const failureSchema = z.object({
  date: z.string(),
  at: z.string(),
  channelId: z.string(),
  attempts: z.number(),
  error: z.string(),
});
export type PostFailure = z.infer<typeof failureSchema>;

/**
 * A scheduled post under way: written before the first page is sent and after each one, deleted once the
 * post is recorded. A process killed mid-post leaves it behind, and the next holder of the day's claim
 * sends only the pages it does not list.
 */
export const postAttemptSchema = z.object({
  guildId: z.string(),
  date: z.string(),
  channelId: z.string(),
  startedAt: z.string(),
  late: z.boolean(),
  note: z.string().optional(),
  digest: digestSchema,
  /** The post's nonce: page i is sent with `<nonce>.<i>` (absent in attempts stored by older versions). */
  nonce: z.string().optional(),
  /** Ids of the pages delivered so far, in order. */
  messageIds: z.array(z.string()),
});
export type PostAttempt = z.infer<typeof postAttemptSchema>;

/** Key prefix of a guild's settings (the key ends with the guild id). */
const SETTINGS = 'daily:settings:';

/** How long a post record is kept: the next post needs the last one; a month of history is plenty. */
const RECORD_TTL_MS = 31 * 24 * 3600 * 1000;
/** An unfinished post matters only on its own day. */
const ATTEMPT_TTL_MS = 2 * 24 * 3600 * 1000;

/** Daily-post state in the shared store, by guild. */
export class DailyStore {
  constructor(private readonly store: StateStore) {}

  settings(guildId: string) {
    return this.store.get(`${SETTINGS}${guildId}`, dailySettingsSchema);
  }
  /**
   * Every guild's settings. Each guild's are their own key, found by prefix: a list of guilds under one
   * key was a read-modify-write, and two admins saving at once in two servers lost one of them.
   */
  async allSettings(): Promise<DailySettings[]> {
    return [...(await this.store.list(SETTINGS, dailySettingsSchema)).values()];
  }
  async save(settings: DailySettings): Promise<void> {
    await this.store.set(`${SETTINGS}${settings.guildId}`, settings);
  }
  async remove(guildId: string): Promise<void> {
    await this.store.delete(`${SETTINGS}${guildId}`);
  }
  post(guildId: string, date: string) {
    return this.store.get(`daily:post:${guildId}:${date}`, postRecordSchema);
  }
  lastPost(guildId: string) {
    return this.store.get(`daily:last:${guildId}`, postRecordSchema);
  }
  async record(post: PostRecord): Promise<void> {
    if (!post.manual) await this.store.set(`daily:post:${post.guildId}:${post.date}`, post, RECORD_TTL_MS);
    await this.store.set(`daily:last:${post.guildId}`, post, RECORD_TTL_MS);
    await this.store.delete(`daily:failure:${post.guildId}`);
  }
  attempt(guildId: string, date: string) {
    return this.store.get(`daily:attempt:${guildId}:${date}`, postAttemptSchema);
  }
  saveAttempt(attempt: PostAttempt) {
    return this.store.set(`daily:attempt:${attempt.guildId}:${attempt.date}`, attempt, ATTEMPT_TTL_MS);
  }
  deleteAttempt(guildId: string, date: string) {
    return this.store.delete(`daily:attempt:${guildId}:${date}`);
  }
  failure(guildId: string) {
    return this.store.get(`daily:failure:${guildId}`, failureSchema);
  }
  setFailure(guildId: string, failure: PostFailure) {
    return this.store.set(`daily:failure:${guildId}`, failure, RECORD_TTL_MS);
  }
  /** The right to post a guild's day, for `leaseMs`: one process gets it. */
  claim(guildId: string, date: string, owner: string, leaseMs: number) {
    return this.store.claim(`daily:claim:${guildId}:${date}`, owner, leaseMs);
  }
  /** Renews `owner`'s claim for another `leaseMs`; false once it is no longer theirs. */
  extendClaim(guildId: string, date: string, owner: string, leaseMs: number) {
    return this.store.extend(`daily:claim:${guildId}:${date}`, owner, leaseMs);
  }
}

/** Why a time zone name is not one, or undefined when it is a valid IANA zone. */
export function checkTimezone(timezone: string): string | undefined {
  try {
    new Intl.DateTimeFormat('en-US', { timeZone: timezone });
    return undefined;
  } catch {
    return `"${timezone}" is not a time zone. Use an IANA name such as Europe/Berlin, America/New_York or UTC.`;
  }
}

/** The calendar day of an instant in a time zone, YYYY-MM-DD. */
export function localDate(at: Date, timezone: string): string {
  return new Intl.DateTimeFormat('en-CA', {
    timeZone: timezone,
    year: 'numeric',
    month: '2-digit',
    day: '2-digit',
  }).format(at);
}

function cronFor(settings: Pick<DailySettings, 'time' | 'timezone'>): Cron {
  const [h, m] = settings.time.split(':').map(Number);
  return new Cron(`${m} ${h} * * *`, { timezone: settings.timezone, paused: true });
}

/** The post time of the day `now` falls on (in the guild's zone), if it has passed. */
export function dueToday(
  settings: Pick<DailySettings, 'time' | 'timezone'>,
  now: Date,
): { date: string; due: Date } | undefined {
  const today = localDate(now, settings.timezone);
  // The runs of the last two days and a bit; today's is the one on today's local date.
  const runs = cronFor(settings).nextRuns(3, new Date(now.getTime() - 50 * 3600 * 1000));
  const due = runs.find((r) => localDate(r, settings.timezone) === today);
  return due !== undefined && due.getTime() <= now.getTime() ? { date: today, due } : undefined;
}

/** The next post time after `now`. */
export function nextPostTime(settings: Pick<DailySettings, 'time' | 'timezone'>, now: Date): Date {
  return cronFor(settings).nextRun(now) ?? new Date(now.getTime() + 24 * 3600 * 1000);
}
