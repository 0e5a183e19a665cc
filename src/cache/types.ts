import { createHash } from 'node:crypto';
import type { Briefing } from '../engine/result.ts';

/**
 * Where the engine keeps answers it has built. Implementations (Keyv over memory, SQLite or Redis) must
 * treat their own failures as misses: `get` resolves undefined and `set` resolves, never rejects.
 */
export interface ResultCache {
  get(key: string): Promise<Briefing | undefined>;
  set(key: string, value: Briefing): Promise<void>;
}

/** Everything an answer depends on. Any change to one of these gives a different key. */
export interface CacheKeyParts {
  kind: 'brief' | 'ask';
  /** The query after normalisation: a resolved topic's slug, or the question folded to lower case. */
  query: string;
  since?: string | undefined;
  until?: string | undefined;
  limit: number;
  corpusVersion: string;
  generatedBy: string;
  promptVersion?: string | undefined;
}

export function cacheKey(parts: CacheKeyParts): string {
  const canonical = JSON.stringify([
    parts.kind,
    parts.query,
    parts.since ?? '',
    parts.until ?? '',
    parts.limit,
    parts.corpusVersion,
    parts.generatedBy,
    parts.promptVersion ?? '',
  ]);
  return createHash('sha256').update(canonical).digest('hex');
}
