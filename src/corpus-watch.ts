/**
 * CORPUS_WATCH: calls `onChange` when files under the corpus directory change, once a burst of changes
 * has settled. A watch is bound to the directory it was opened on, not to its name: once the directory
 * is deleted (and perhaps made again, as a deploy that replaces it does) the old watch hears nothing
 * more, silently. So the directory's identity is checked on every event and every `checkMs`; when it
 * is gone, watching stops and says so, and when a directory stands at that path again, watching restarts
 * on it, says so, and counts it as a change.
 */
import { type FSWatcher, type Stats, statSync, watch } from 'node:fs';
import type { Logger } from 'pino';

export interface CorpusWatchOptions {
  /** Quiet time after the last change before `onChange`, in ms; default 2000. */
  debounceMs?: number;
  /** How often the directory's identity is checked, in ms; default 2000. */
  checkMs?: number;
}

export interface CorpusWatch {
  close(): void;
}

const DEFAULT_DEBOUNCE_MS = 2000;
const DEFAULT_CHECK_MS = 2000;

/** The directory's identity (device and inode), or undefined when no directory stands at `dir`. */
function identity(dir: string): string | undefined {
  let info: Stats;
  try {
    info = statSync(dir);
  } catch {
    return undefined;
  }
  return info.isDirectory() ? `${info.dev}:${info.ino}` : undefined;
}

export function watchCorpus(
  dir: string,
  onChange: () => void,
  logger: Logger,
  options: CorpusWatchOptions = {},
): CorpusWatch {
  const debounceMs = options.debounceMs ?? DEFAULT_DEBOUNCE_MS;
  let watcher: FSWatcher | undefined;
  let watching: string | undefined;
  let debounce: NodeJS.Timeout | undefined;
  let closed = false;

  const changed = () => {
    clearTimeout(debounce);
    debounce = setTimeout(onChange, debounceMs);
  };

  const stop = (why: string) => {
    watcher?.close();
    watcher = undefined;
    watching = undefined;
    logger.warn({ dir }, `watch: stopped watching the corpus (${why}); watching again when it is back`);
  };

  const arm = (): boolean => {
    const id = identity(dir);
    if (id === undefined) return false;
    try {
      watcher = watch(dir, { recursive: true }, () => {
        check();
        changed();
      });
    } catch (err) {
      logger.warn({ err, dir }, 'watch: cannot watch the corpus yet');
      return false;
    }
    watching = id;
    watcher.on('error', (err) => {
      logger.error({ err, dir }, 'watch: the corpus watch failed');
      if (watching !== undefined) stop('the watch failed');
    });
    return true;
  };

  /** Stops when the watched directory is gone or replaced; restarts once a directory is there. */
  const check = () => {
    if (closed) return;
    const id = identity(dir);
    if (watching !== undefined && id !== watching)
      stop(id === undefined ? 'the directory is gone' : 'the directory was replaced');
    if (watching === undefined && id !== undefined && arm()) {
      logger.info({ dir }, 'watch: watching the corpus again');
      changed();
    }
  };

  if (arm()) logger.info({ dir }, 'watching the corpus for changes');
  else logger.warn({ dir }, 'watch: the corpus directory is not there; watching once it is');
  const checker = setInterval(check, options.checkMs ?? DEFAULT_CHECK_MS);
  checker.unref();

  return {
    close() {
      closed = true;
      clearInterval(checker);
      clearTimeout(debounce);
      watcher?.close();
    },
  };
}
