/**
 * IDENTIFY pacing across processes. Discord lets a bot start one gateway session per rate-limit bucket
 * (`shard_id % max_concurrency`, from `GET /gateway/bot`) every 5 s, counted over all its processes.
 * discord.js paces the shards of one process (its SimpleIdentifyThrottler, one queue per bucket); this
 * throttler paces them over every process sharing the state store, by claiming the bucket for 5 s there
 * (Redis `SET NX PX`, or the SQLite row) before each IDENTIFY. Hosts then need no start-up stagger.
 */
import { setTimeout as sleep } from 'node:timers/promises';
import type { Logger } from 'pino';

/** Discord's IDENTIFY window per bucket. */
export const IDENTIFY_WINDOW_MS = 5000;

/** A lease shared by the processes: `claim` takes `key` for `ttlMs` when no one holds it. */
export interface IdentifyClaims {
  claim(key: string, ttlMs: number): Promise<boolean>;
}

/** What discord.js asks of an identify throttler (`ws.buildIdentifyThrottler`). */
export interface IdentifyThrottler {
  waitForIdentify(shardId: number, signal: AbortSignal): Promise<void>;
}

export interface SharedThrottlerOptions {
  /** The window a bucket is claimed for. @default IDENTIFY_WINDOW_MS (tests shorten it). */
  windowMs?: number;
  /** How often a waiting shard looks again (plus up to as much jitter). @default 250 ms */
  pollMs?: number;
  logger?: Logger;
}

export function sharedIdentifyThrottler(
  maxConcurrency: number,
  claims: IdentifyClaims,
  options: SharedThrottlerOptions = {},
): IdentifyThrottler {
  const windowMs = options.windowMs ?? IDENTIFY_WINDOW_MS;
  const pollMs = options.pollMs ?? 250;
  const buckets = Math.max(1, maxConcurrency);
  return {
    async waitForIdentify(shardId, signal) {
      const bucket = shardId % buckets;
      for (let waited = false; ; waited = true) {
        signal.throwIfAborted();
        let taken: boolean;
        try {
          taken = await claims.claim(`identify:${bucket}`, windowMs);
        } catch (err) {
          // The store is down: wait one window, as if the bucket were taken, and identify. At worst Discord
          // refuses the session (op 9) and discord.js identifies again.
          options.logger?.warn(
            { err, shard: shardId },
            'identify: the state store did not answer; pacing alone',
          );
          await sleep(windowMs, undefined, { signal });
          return;
        }
        if (taken) {
          if (waited) options.logger?.debug({ shard: shardId, bucket }, 'identify: bucket free, identifying');
          return;
        }
        await sleep(pollMs + Math.random() * pollMs, undefined, { signal });
      }
    },
  };
}
