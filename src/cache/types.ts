import { createHash } from 'node:crypto';
import type { AnswerKey } from '../engine/request.ts';
import type { Briefing } from '../engine/result.ts';

/**
 * Where the engine keeps answers it has built. Implementations (Keyv over memory, SQLite or Redis) must
 * treat their own failures as misses: `get` resolves undefined and `set` resolves, never rejects.
 */
export interface ResultCache {
  get(key: string): Promise<Briefing | undefined>;
  set(key: string, value: Briefing): Promise<void>;
}

/** Everything an answer depends on (the engine says what: {@link AnswerKey}). */
export type CacheKeyParts = AnswerKey;

/** The key an answer is kept under: a hash of everything it depends on. */
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
    parts.answerVersion,
  ]);
  return createHash('sha256').update(canonical).digest('hex');
}
