/**
 * Sending one daily post: the attempt (its digest, a nonce and each page's message id) is stored before
 * the first page and after each one, so that a post cut short is finished by whoever holds the day
 * next, sending only the pages the attempt does not list; each page goes out with a nonce Discord
 * enforces (`enforce_nonce`), so a page Discord made just before a kill, whose id never reached the
 * store, is returned instead of made again when it is sent again within Discord's nonce memory (a few
 * minutes). A failed delivery is retried with backoff, then recorded as the day's failure.
 */
import { randomBytes } from 'node:crypto';
import type { Logger } from 'pino';
import type { Clock } from './clock.ts';
import type { Digest } from './digest.ts';
import type { DailySettings, DailyStore, PostAttempt, PostRecord } from './schedule.ts';

/**
 * Sends a digest to its channel, pushing the id of each message sent to `sent` and then awaiting
 * `progress` (which records it); throws on failure. A retry, or a restart resuming a post, passes the
 * pages already sent, and only the rest are posted. `nonce` is the post's own (the same on a resume):
 * page i goes out with the nonce `<nonce>.<i>`, enforced, so that Discord returns the message it already
 * made instead of making it again.
 */
export type Deliver = (
  settings: DailySettings,
  digest: Digest,
  note: string | undefined,
  sent: string[],
  progress?: (sent: readonly string[]) => Promise<void>,
  nonce?: string,
) => Promise<void>;

export type PostOutcome =
  | { posted: true; record: PostRecord }
  | {
      posted: false;
      reason: 'not-due' | 'already-posted' | 'claimed-elsewhere' | 'gave-up-today' | 'failed';
      error?: string;
    };

/** How a post is sent: late or not, on request or scheduled, and the attempt it resumes if any. */
export interface PostHow {
  late: boolean;
  manual: boolean;
  note: string | undefined;
  resume?: PostAttempt;
}

/** What sending a post needs from the scheduler. */
export interface PostDeps {
  store: DailyStore;
  logger: Logger;
  deliver: Deliver;
  clock: Clock;
  /** Delivery attempts before giving up for the day. */
  attempts: number;
  /** The first wait between attempts, doubled after each, in ms. */
  backoffMs: number;
  /** The digest of what is new for the guild on `date`. */
  digest(settings: DailySettings, date: string): Promise<Digest>;
}

/** Sends the post of `settings`' guild for `date`, or resumes `how.resume`; never throws. */
export async function sendPost(
  deps: PostDeps,
  settings: DailySettings,
  date: string,
  how: PostHow,
): Promise<PostOutcome> {
  const { store, logger, deliver, clock, attempts } = deps;
  const backoff = deps.backoffMs;
  let digest: Digest;
  try {
    digest = how.resume?.digest ?? (await deps.digest(settings, date));
  } catch (err) {
    logger.error({ err, guild: settings.guildId }, 'daily: could not build the digest');
    return { posted: false, reason: 'failed', error: (err as Error).message };
  }
  const messageIds: string[] = [...(how.resume?.messageIds ?? [])];
  // 16 hex digits and the page number stay within Discord's 25 characters for a nonce.
  const nonce = how.resume?.nonce ?? randomBytes(8).toString('hex');
  const quietSkip = settings.quiet && !how.manual && digest.sections.length === 0;
  // Scheduled posts only: `/daily now` is answered in the interaction, and a retry is the admin's call.
  const journal: PostAttempt | undefined =
    how.manual || quietSkip
      ? undefined
      : (how.resume ?? {
          guildId: settings.guildId,
          date,
          channelId: settings.channelId,
          startedAt: clock.now().toISOString(),
          late: how.late,
          ...(how.note !== undefined ? { note: how.note } : {}),
          digest,
          nonce,
          messageIds: [],
        });
  const progress = async (sent: readonly string[]) => {
    if (journal === undefined) return;
    // Not fatal: the attempt and its nonce are stored, so a resume resends this page under the same nonce.
    await store
      .saveAttempt({ ...journal, messageIds: [...sent] })
      .catch((err) => logger.error({ err, guild: settings.guildId }, 'daily: could not record a page'));
  };
  if (journal !== undefined && how.resume === undefined) {
    // Nothing is sent unless the attempt is stored first: a post begun without it and cut short would
    // be posted again in full by the next holder of the day, under new nonces.
    try {
      await store.saveAttempt(journal);
    } catch (err) {
      logger.error({ err, guild: settings.guildId }, 'daily: could not record the attempt; will try again');
      return { posted: false, reason: 'failed', error: (err as Error).message };
    }
  }
  let error = '';
  for (let attempt = 1; !quietSkip && attempt <= attempts; attempt++) {
    try {
      await deliver(settings, digest, how.note, messageIds, progress, nonce);
      error = '';
      break;
    } catch (err) {
      error = (err as Error).message;
      logger.warn(
        { guild: settings.guildId, channel: settings.channelId, attempt, err: error },
        'daily: post failed',
      );
      if (attempt < attempts) await clock.sleep(backoff * 2 ** (attempt - 1));
    }
  }
  if (error !== '') {
    logger.error(
      { guild: settings.guildId, channel: settings.channelId, attempts, err: error },
      'daily: gave up for today',
    );
    await store
      .setFailure(settings.guildId, {
        date,
        at: clock.now().toISOString(),
        channelId: settings.channelId,
        attempts,
        error,
      })
      .catch((err) => logger.error({ err }, 'daily: could not record the failure'));
    return { posted: false, reason: 'failed', error };
  }
  const record: PostRecord = {
    guildId: settings.guildId,
    date,
    channelId: settings.channelId,
    messageIds,
    corpusVersion: digest.corpusVersion,
    postedAt: clock.now().toISOString(),
    late: how.late,
    manual: how.manual,
    newArticles: digest.newArticles,
  };
  try {
    await store.record(record);
    if (journal !== undefined) await store.deleteAttempt(settings.guildId, date);
  } catch (err) {
    // Posted but not recorded: the attempt, listing every page, stays, so the next holder of the day
    // records the post without sending anything. Said loudly all the same.
    logger.error({ err, guild: settings.guildId }, 'daily: posted, but could not record the post');
  }
  logger.info(
    { guild: settings.guildId, date, messages: messageIds.length, late: how.late, manual: how.manual },
    'daily: posted',
  );
  return { posted: true, record };
}
