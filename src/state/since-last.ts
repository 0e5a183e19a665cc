/**
 * `brief … since last`: a briefing on only what is newer than the asker's previous briefing on the same
 * topic (sources dated after its newest, or articles this deployment first saw after it), remembered for
 * next time. A service beside the engine, shared by `/brief since:last` and the CLI's `--since last`.
 */
import { newSince } from '../daily/digest.ts';
import type { Engine } from '../engine/engine.ts';
import type { Briefing } from '../engine/result.ts';
import { isoDay } from '../render/format.ts';
import type { BriefHistory, HistoryEntry } from './history.ts';

/** What a briefing since the last one needs besides the engine. */
export interface BriefingMemory {
  history: BriefHistory;
  /** When this deployment first saw an article (ISO time), if known. */
  firstSeen(articleId: string): string | undefined;
  /** The clock briefings are recorded on (the one first-seen times are on). */
  now(): Date;
  /** Called when a briefing could not be remembered; the briefing is still answered. */
  onRecordFailure?: (err: unknown) => void;
  /** Called when the history could not be read for `since last`; the full briefing is answered. */
  onReadFailure?: (err: unknown) => void;
}

/**
 * A briefing as asked, or, since the last one, the news that nothing came since; with `remember`, which
 * records it in the asker's history. The caller runs `remember` once the answer is sent: a slow store
 * must not hold the reply. It never rejects (a failure goes to `onRecordFailure`).
 */
export type RememberedBriefing = (
  | {
      kind: 'briefing';
      briefing: Briefing;
      /** Said before the briefing: why it is the full one although `since last` was asked. */
      note?: string;
    }
  | {
      kind: 'nothing-new';
      briefing: Briefing;
      /** The topic as a reader knows it. */
      topicName: string;
      /** "Nothing new since your last briefing on …". */
      reason: string;
      previous: HistoryEntry;
    }
) & { remember(): Promise<void> };

/** Said before a full briefing when `since last` was asked but the history could not be read. */
export const HISTORY_UNREADABLE_NOTE =
  'Your briefing history could not be read just now, so this is the full briefing, not only what is new.';

/** Whether a `since` value asks for what is new since the asker's last briefing. */
export function isSinceLast(since: string | undefined): boolean {
  return since?.trim().toLowerCase() === 'last';
}

/**
 * A briefing on `topic` for `asker` (a Discord user id, or `cli`): since their last one when `since` is
 * `last`, else as {@link Engine.brief} with `since`. Every answered briefing is remembered.
 */
export async function briefRemembered(
  engine: Engine,
  memory: BriefingMemory,
  asker: string,
  topic: string,
  since: string | undefined,
): Promise<RememberedBriefing> {
  const resolved = engine.resolveTopic(topic);
  const key = resolved.kind === 'free-text' ? resolved.text.toLowerCase() : resolved.topic.slug;
  const sinceLast = isSinceLast(since);
  // The history matters only for `since last`; a store that fails or misses its deadline reads as none.
  let unreadable = false;
  const previous = await memory.history.get(asker, key).catch((err: unknown) => {
    unreadable = sinceLast;
    if (sinceLast) memory.onReadFailure?.(err);
    return undefined;
  });
  let briefing: Briefing;
  let note: string | undefined;
  if (sinceLast && previous !== undefined) {
    // Newer than what this asker last saw: dated after its newest source, or added since.
    const only = newSince({ date: previous.newest, at: previous.at }, (id) => memory.firstSeen(id));
    briefing = await engine.brief(topic, {
      only: { ...only, describe: `new since your last briefing (${isoDay(previous.at)})` },
    });
  } else {
    briefing = await engine.brief(topic, { since: sinceLast ? undefined : since });
    if (unreadable) note = HISTORY_UNREADABLE_NOTE;
    else if (sinceLast) note = 'You have no earlier briefing on this topic: here is the full one.';
  }
  const at = memory.now();
  const remember = () =>
    memory.history
      .record(asker, key, briefing, at, previous?.newest)
      .catch((err: unknown) => memory.onRecordFailure?.(err));
  if (sinceLast && previous !== undefined && briefing.status === 'no_sources') {
    return {
      kind: 'nothing-new',
      briefing,
      topicName: resolved.kind === 'free-text' ? topic : resolved.topic.name,
      reason: `Nothing new since your last briefing on ${isoDay(previous.at)}; its newest source was dated ${previous.newest}.`,
      previous,
      remember,
    };
  }
  return { kind: 'briefing', briefing, ...(note !== undefined ? { note } : {}), remember };
}
