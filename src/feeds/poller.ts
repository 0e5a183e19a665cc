/**
 * Polling in the bot process: one timer that, every minute, ingests the feeds that are due and, when an
 * article was added or changed, reloads the library so that it is answerable at once (and, through the
 * reload notice, in every other process). With several processes, each feed's poll is claimed in the
 * state store, so one process polls it per interval.
 */
import type { Logger } from 'pino';
import type { Clock } from '../daily/clock.ts';
import { progressLine, reportLines } from './render.ts';
import type { FeedService, IngestReport } from './service.ts';
import type { Subscription } from './subscriptions.ts';

export interface FeedPollerOptions {
  service: FeedService;
  /** The library's reload (with its announcement to other processes). */
  reload: (by: string) => Promise<unknown>;
  logger: Logger;
  clock: Clock;
  claim?: (sub: Subscription) => Promise<boolean>;
  /** How often due feeds are looked for; default 60 s. */
  everyMs?: number;
}

export class FeedPoller {
  private cancel: (() => void) | undefined;
  private running: Promise<IngestReport | undefined> | undefined;
  private stopped = false;

  constructor(private readonly options: FeedPollerOptions) {}

  start(): void {
    this.stopped = false;
    this.schedule();
  }

  private schedule(): void {
    if (this.stopped) return;
    this.cancel = this.options.clock.setTimer(() => {
      void this.pollNow().finally(() => this.schedule());
    }, this.options.everyMs ?? 60_000);
  }

  /** Polls the due feeds now (or joins the poll under way); undefined when no feed is configured. */
  pollNow(force = false): Promise<IngestReport | undefined> {
    this.running ??= this.poll(force).finally(() => {
      this.running = undefined;
    });
    return this.running;
  }

  private async poll(force: boolean): Promise<IngestReport | undefined> {
    const { service, logger } = this.options;
    try {
      // A broken FEEDS_FILE is logged at each look (and fails `npm run feeds`), never silently ignored.
      if ((await service.subscriptions()).length === 0) return undefined;
      const report = await service.ingest({
        force,
        onFeed: (f) =>
          f.outcome === 'failed' ? logger.warn(f, progressLine(f)) : logger.info(f, progressLine(f)),
        ...(this.options.claim ? { claim: this.options.claim } : {}),
      });
      for (const f of report.feeds)
        if (f.disabled !== undefined) logger.error({ feed: f.name, reason: f.disabled }, 'feed disabled');
      if (report.feeds.length > 0) logger.info(report, reportLines(report).join(' '));
      if (report.added + report.updated > 0) await this.options.reload('feeds');
      return report;
    } catch (err) {
      logger.error({ err }, 'feeds: the poll failed');
      return undefined;
    }
  }

  async stop(): Promise<void> {
    this.stopped = true;
    this.cancel?.();
    await this.running;
  }
}
